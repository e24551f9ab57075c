-- The topics of one counterpart's engagements within the filters.
SELECT topic_id, count(*) AS engagements
FROM (
    SELECT unnest(f.topics) AS topic_id
    FROM filtered AS f
    WHERE CASE $kind WHEN 'country' THEN list_has_any(f.countries, [$name, (SELECT min(iso3) FROM w.countries WHERE name = $name)])
                     WHEN 'person' THEN list_contains(f.persons, $name)
                     ELSE list_contains(f.orgs, $name) END
)
GROUP BY ALL
ORDER BY engagements DESC, topic_id
