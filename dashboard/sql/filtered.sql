-- The engagements the global filters select: one row per meeting. Every dashboard query starts from it
-- (queries.py prepends it as the CTE `filtered`). All values arrive as named parameters; an empty list
-- or NULL means "no restriction".
SELECT m.meeting_id, m.release_id, m.meeting_date, m.kind, m.principal, m.principal_country
FROM w.meetings AS m
WHERE ($start::DATE IS NULL OR m.meeting_date >= $start::DATE)
  AND ($end::DATE IS NULL OR m.meeting_date <= $end::DATE)
  AND (len($kinds::VARCHAR[]) = 0 OR list_contains($kinds::VARCHAR[], m.kind))
  AND (len($sources::VARCHAR[]) = 0 OR m.release_id IN (
        SELECT r.release_id FROM w.releases AS r WHERE list_contains($sources::VARCHAR[], r.source)))
  AND (len($principals::VARCHAR[]) = 0 OR list_contains($principals::VARCHAR[], m.principal))
  AND (len($topics::VARCHAR[]) = 0 OR m.meeting_id IN (
        SELECT mt.meeting_id FROM w.meeting_topics AS mt WHERE list_contains($topics::VARCHAR[], mt.topic_id)))
  AND (len($countries::VARCHAR[]) = 0 OR m.meeting_id IN (
        SELECT mc.meeting_id FROM w.meeting_counterparts AS mc JOIN w.counterparts AS c USING (counterpart_id)
        WHERE c.kind = 'country' AND list_contains($countries::VARCHAR[], c.country_iso3)))
  AND (len($regions::VARCHAR[]) = 0 OR m.meeting_id IN (
        SELECT mc.meeting_id FROM w.meeting_counterparts AS mc JOIN w.counterparts AS c USING (counterpart_id)
        JOIN w.countries AS k ON k.iso3 = c.country_iso3
        WHERE c.kind = 'country' AND list_contains($regions::VARCHAR[], k.region)))
  AND (len($orgs::VARCHAR[]) = 0 OR m.meeting_id IN (
        SELECT mc.meeting_id FROM w.meeting_counterparts AS mc JOIN w.counterparts AS c USING (counterpart_id)
        WHERE c.kind = 'organization' AND list_contains($orgs::VARCHAR[], c.name)))
  AND (len($persons::VARCHAR[]) = 0 OR m.meeting_id IN (
        SELECT mc.meeting_id FROM w.meeting_counterparts AS mc JOIN w.counterparts AS c USING (counterpart_id)
        WHERE c.kind = 'person' AND list_contains($persons::VARCHAR[], c.name)))
  AND ($text = '' OR m.release_id IN (
        SELECT r.release_id FROM w.releases AS r
        -- contains(), not ILIKE: a % or _ typed in the search box is text, not a wildcard
        WHERE contains(lower(r.title), lower($text)) OR contains(lower(r.body), lower($text))))
