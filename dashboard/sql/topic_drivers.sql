-- Which counterparts drive a topic: engagements on $topic per counterpart.
WITH on_topic AS (SELECT * FROM filtered WHERE list_contains(topics, $topic)),
per AS (
    SELECT unnest(countries) AS key, 'country' AS kind FROM on_topic
    UNION ALL SELECT unnest(persons), 'person' FROM on_topic
    UNION ALL SELECT unnest(orgs), 'organization' FROM on_topic
)
SELECT CASE WHEN per.kind = 'country' THEN coalesce(k.name, per.key) ELSE per.key END AS name,
       per.kind,
       CASE WHEN per.kind = 'country' THEN per.key END AS country_iso3,
       count(*) AS engagements
FROM per
LEFT JOIN w.countries AS k ON per.kind = 'country' AND k.iso3 = per.key
GROUP BY ALL
ORDER BY engagements DESC, name
LIMIT $limit
