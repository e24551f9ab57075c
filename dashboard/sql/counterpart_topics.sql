-- The topics of one counterpart's engagements (from counterpart_hits.sql).
SELECT topic_id, count(*) AS engagements
FROM (SELECT unnest(topics) AS topic_id FROM hits)
GROUP BY ALL
ORDER BY engagements DESC, topic_id
