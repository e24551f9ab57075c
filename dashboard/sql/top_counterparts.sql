-- The counterparts met most often ($kind: person, organization or country), with first and last contact.
WITH per AS (
    SELECT x AS key, count(*) AS engagements, min(meeting_date) AS first_contact, max(meeting_date) AS last_contact
    FROM (
        SELECT unnest(CASE $kind WHEN 'country' THEN countries WHEN 'person' THEN persons ELSE orgs END) AS x,
               meeting_date
        FROM filtered
    )
    GROUP BY x
),
cps AS (
    SELECT CASE WHEN kind = 'country' THEN country_iso3 ELSE name END AS key,
           min(counterpart_id) AS counterpart_id, min(country_iso3) AS country_iso3
    FROM w.counterparts
    WHERE kind = $kind
    GROUP BY ALL
)
SELECT cps.counterpart_id,
       CASE WHEN $kind = 'country' THEN coalesce(k.name, per.key) ELSE per.key END AS name,
       $kind AS kind,
       CASE WHEN $kind = 'country' THEN per.key ELSE cps.country_iso3 END AS country_iso3,
       per.engagements, per.first_contact, per.last_contact
FROM per
LEFT JOIN cps USING (key)
LEFT JOIN w.countries AS k ON $kind = 'country' AND k.iso3 = per.key
ORDER BY per.engagements DESC, name
LIMIT $limit
