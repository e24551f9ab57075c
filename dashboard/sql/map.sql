-- Engagements per counterpart country, for the map.
SELECT c.country_iso3 AS iso3, coalesce(k.name, c.name) AS country, k.region,
       count(DISTINCT f.meeting_id) AS engagements
FROM filtered AS f
JOIN w.meeting_counterparts AS mc USING (meeting_id)
JOIN w.counterparts AS c USING (counterpart_id)
LEFT JOIN w.countries AS k ON k.iso3 = c.country_iso3
WHERE c.kind = 'country'
GROUP BY ALL
ORDER BY engagements DESC, iso3
