-- Headline numbers for the filtered period: engagements and distinct counterparts of each kind.
SELECT
    (SELECT count(*) FROM filtered) AS engagements,
    (SELECT count(DISTINCT x) FROM (SELECT unnest(countries) AS x FROM filtered)) AS countries,
    (SELECT count(DISTINCT x) FROM (SELECT unnest(persons) AS x FROM filtered)) AS persons,
    (SELECT count(DISTINCT x) FROM (SELECT unnest(orgs) AS x FROM filtered)) AS organizations
