-- The engagements the global filters select: one row per meeting, from meeting_search (one table, the
-- counterparts and topics already folded into lists). Every dashboard query starts from it (queries.py
-- prepends it as the CTE `filtered`, or materialises it as a temporary table). All values arrive as named
-- parameters; an empty list or NULL means "no restriction". The text search is filtered_text.sql, added only
-- when there is text: DuckDB would otherwise scan every release body even for an empty search.
SELECT s.meeting_id, s.release_id, s.meeting_date, s.kind, s.principal, s.principal_country, s.source,
       s.countries, s.regions, s.orgs, s.persons, s.topics
FROM w.meeting_search AS s
WHERE ($start::DATE IS NULL OR s.meeting_date >= $start::DATE)
  AND ($end::DATE IS NULL OR s.meeting_date <= $end::DATE)
  AND (len($kinds::VARCHAR[]) = 0 OR list_contains($kinds::VARCHAR[], s.kind))
  AND (len($sources::VARCHAR[]) = 0 OR list_contains($sources::VARCHAR[], s.source))
  AND (len($principals::VARCHAR[]) = 0 OR list_contains($principals::VARCHAR[], s.principal))
  AND (len($topics::VARCHAR[]) = 0 OR list_has_any(s.topics, $topics::VARCHAR[]))
  AND (len($countries::VARCHAR[]) = 0 OR list_has_any(s.countries, $countries::VARCHAR[]))
  AND (len($regions::VARCHAR[]) = 0 OR list_has_any(s.regions, $regions::VARCHAR[]))
  AND (len($orgs::VARCHAR[]) = 0 OR list_has_any(s.orgs, $orgs::VARCHAR[]))
  AND (len($persons::VARCHAR[]) = 0 OR list_has_any(s.persons, $persons::VARCHAR[]))
