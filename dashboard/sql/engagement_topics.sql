-- The topics of one engagement, with where the text names them.
SELECT mt.topic_id, t.label, mt.evidence_start, mt.evidence_end
FROM w.meeting_topics AS mt JOIN w.topics AS t USING (topic_id)
WHERE mt.meeting_id = $meeting_id
ORDER BY mt.evidence_start NULLS LAST, mt.topic_id
