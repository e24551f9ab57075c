-- One counterpart's engagements (from counterpart_hits.sql), one row per engagement: timeline and gaps.
SELECT meeting_id, meeting_date, kind, principal, source
FROM hits
ORDER BY meeting_date, meeting_id
