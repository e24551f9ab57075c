-- How many filtered engagements touch each topic (a meeting counts once per topic).
SELECT t.topic_id, t.label, count(*) AS engagements
FROM (SELECT unnest(topics) AS topic_id FROM filtered) AS f
JOIN w.topics AS t USING (topic_id)
GROUP BY ALL
ORDER BY engagements DESC, t.topic_id
