-- Headline numbers from the counterpart totals (see counterpart_totals.sql).
SELECT
    (SELECT count(*) FROM filtered) AS engagements,
    count(*) FILTER (WHERE kind = 'country') AS countries,
    count(*) FILTER (WHERE kind = 'person') AS persons,
    count(*) FILTER (WHERE kind = 'organization') AS organizations
FROM totals
