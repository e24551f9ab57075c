-- Engagements, first and last contact per counterpart over the filtered engagements: what the Overview's
-- summary and top lists both read. Names resolve to counterparts rows after aggregating (a small join).
WITH per AS (
    SELECT 'country' AS kind, x AS key, count(*) AS engagements,
           min(meeting_date) AS first_contact, max(meeting_date) AS last_contact
    FROM (SELECT unnest(countries) AS x, meeting_date FROM filtered) GROUP BY x
    UNION ALL
    SELECT 'person', x, count(*), min(meeting_date), max(meeting_date)
    FROM (SELECT unnest(persons) AS x, meeting_date FROM filtered) GROUP BY x
    UNION ALL
    SELECT 'organization', x, count(*), min(meeting_date), max(meeting_date)
    FROM (SELECT unnest(orgs) AS x, meeting_date FROM filtered) GROUP BY x
)
SELECT c.counterpart_id, per.kind,
       CASE WHEN per.kind = 'country' THEN coalesce(k.name, per.key) ELSE per.key END AS name,
       CASE WHEN per.kind = 'country' THEN per.key ELSE c.country_iso3 END AS country_iso3,
       per.engagements, per.first_contact, per.last_contact
FROM per
LEFT JOIN w.countries AS k ON per.kind = 'country' AND k.iso3 = per.key
LEFT JOIN (
    SELECT kind, CASE WHEN kind = 'country' THEN country_iso3 ELSE name END AS key,
           min(counterpart_id) AS counterpart_id, min(country_iso3) AS country_iso3
    FROM w.counterparts GROUP BY ALL
) AS c ON c.kind = per.kind AND c.key = per.key
