-- All engagements of one release (the Engagement page lists the others).
SELECT m.meeting_id, m.ordinal, m.meeting_date, m.kind, m.principal, m.evidence_start, m.evidence_end
FROM w.meetings AS m
WHERE m.release_id = $release_id
ORDER BY m.ordinal
