-- How many filtered engagements touch each topic (a meeting counts once per topic). Counted by topic id
-- first and labelled after: joining a million unnested rows to the labels would cost more than the count.
SELECT t.topic_id, t.label, f.engagements
FROM (SELECT topic_id, count(*) AS engagements FROM (SELECT unnest(topics) AS topic_id FROM filtered) GROUP BY ALL) AS f
JOIN w.topics AS t USING (topic_id)
ORDER BY f.engagements DESC, t.topic_id
