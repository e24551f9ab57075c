-- Values the filter widgets offer, with how often each occurs (most frequent first).
SELECT 'source' AS field, source AS value, source AS label, count(*) AS n
FROM w.meetings JOIN w.releases USING (release_id) WHERE source IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'principal', principal, principal, count(*) FROM w.meetings WHERE principal IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'kind', kind, kind, count(*) FROM w.meetings GROUP BY ALL
UNION ALL
SELECT 'topic', t.topic_id, t.label, count(mt.meeting_id)
FROM w.topics AS t LEFT JOIN w.meeting_topics AS mt USING (topic_id) GROUP BY ALL
UNION ALL
SELECT 'country', c.country_iso3, coalesce(k.name, c.name), count(*)
FROM w.meeting_counterparts AS mc JOIN w.counterparts AS c USING (counterpart_id)
LEFT JOIN w.countries AS k ON k.iso3 = c.country_iso3 WHERE c.kind = 'country' GROUP BY ALL
UNION ALL
SELECT 'region', k.region, k.region, count(*)
FROM w.meeting_counterparts AS mc JOIN w.counterparts AS c USING (counterpart_id)
JOIN w.countries AS k ON k.iso3 = c.country_iso3 WHERE c.kind = 'country' AND k.region IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'org', c.name, c.name, count(*)
FROM w.meeting_counterparts AS mc JOIN w.counterparts AS c USING (counterpart_id)
WHERE c.kind = 'organization' GROUP BY ALL
UNION ALL
SELECT 'person', c.name, c.name, count(*)
FROM w.meeting_counterparts AS mc JOIN w.counterparts AS c USING (counterpart_id)
WHERE c.kind = 'person' GROUP BY ALL
ORDER BY field, n DESC, label
