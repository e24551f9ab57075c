-- The filtered rows of meeting_facts, as analysts export them (CONTRACT §3 columns, in order).
SELECT mf.*
FROM w.meeting_facts AS mf
WHERE mf.meeting_id IN (SELECT meeting_id FROM filtered)
ORDER BY mf.meeting_date, mf.meeting_id
