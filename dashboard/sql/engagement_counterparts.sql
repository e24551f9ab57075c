-- The counterparts of one engagement, with their role as stated and where the text names them.
SELECT c.counterpart_id, c.kind, c.name, c.country_iso3, mc.role, mc.evidence_start, mc.evidence_end
FROM w.meeting_counterparts AS mc JOIN w.counterparts AS c USING (counterpart_id)
WHERE mc.meeting_id = $meeting_id
ORDER BY CASE c.kind WHEN 'person' THEN 0 WHEN 'organization' THEN 1 ELSE 2 END, c.name
