-- Which counterparts drive a topic: engagements on $topic per counterpart.
SELECT c.name, c.kind, c.country_iso3, count(DISTINCT f.meeting_id) AS engagements
FROM filtered AS f
JOIN w.meeting_topics AS mt USING (meeting_id)
JOIN w.meeting_counterparts AS mc USING (meeting_id)
JOIN w.counterparts AS c USING (counterpart_id)
WHERE mt.topic_id = $topic
GROUP BY ALL
ORDER BY engagements DESC, c.name
LIMIT $limit
