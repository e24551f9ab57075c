-- The topics of one counterpart's engagements within the filters.
SELECT mt.topic_id, count(DISTINCT f.meeting_id) AS engagements
FROM filtered AS f
JOIN w.meeting_counterparts AS mc USING (meeting_id)
JOIN w.counterparts AS c USING (counterpart_id)
JOIN w.meeting_topics AS mt ON mt.meeting_id = f.meeting_id
WHERE c.kind = $kind AND (c.name = $name OR (c.kind = 'country' AND c.country_iso3 = $name))
GROUP BY ALL
ORDER BY engagements DESC, mt.topic_id
