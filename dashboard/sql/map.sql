-- Engagements per counterpart country, for the map.
SELECT f.iso3, coalesce(k.name, f.iso3) AS country, k.region, count(*) AS engagements
FROM (SELECT unnest(countries) AS iso3 FROM filtered) AS f
LEFT JOIN w.countries AS k ON k.iso3 = f.iso3
GROUP BY ALL
ORDER BY engagements DESC, f.iso3
