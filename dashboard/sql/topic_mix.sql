-- How many filtered engagements touch each topic (a meeting counts once per topic).
SELECT t.topic_id, t.label, count(*) AS engagements
FROM filtered AS f
JOIN w.meeting_topics AS mt USING (meeting_id)
JOIN w.topics AS t USING (topic_id)
GROUP BY ALL
ORDER BY engagements DESC, t.topic_id
