-- One counterpart's engagements within the filters, one row per engagement (profile, timeline, gaps).
SELECT f.meeting_id, f.meeting_date, f.kind, f.principal, r.source
FROM filtered AS f
JOIN w.releases AS r USING (release_id)
JOIN w.meeting_counterparts AS mc USING (meeting_id)
JOIN w.counterparts AS c USING (counterpart_id)
WHERE c.kind = $kind AND (c.name = $name OR (c.kind = 'country' AND c.country_iso3 = $name))
ORDER BY f.meeting_date, f.meeting_id
