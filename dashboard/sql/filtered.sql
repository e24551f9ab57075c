-- The engagements the global filters select: one row per meeting, from meeting_search (one table, the
-- counterparts and topics already folded into lists). Every dashboard query starts from it (queries.py
-- prepends it as the CTE `filtered`, or materialises it as a temporary table). All values arrive as named
-- parameters; an empty list or NULL means "no restriction". The text search is filtered_text.sql, added only
-- when there is text: DuckDB would otherwise scan every release body even for an empty search.
-- "Any of the selected values" is written as list_filter over the row's short list with list_contains
-- against the parameter, not list_has_any: 3-6x faster at a million rows (benchmarks/dashboard_queries.py).
SELECT s.meeting_id, s.release_id, s.meeting_date, s.kind, s.principal, s.principal_country, s.source,
       s.countries, s.regions, s.orgs, s.persons, s.topics
FROM w.meeting_search AS s
WHERE ($start::DATE IS NULL OR s.meeting_date >= $start::DATE)
  AND ($end::DATE IS NULL OR s.meeting_date <= $end::DATE)
  AND (len($kinds::VARCHAR[]) = 0 OR list_contains($kinds::VARCHAR[], s.kind))
  AND (len($sources::VARCHAR[]) = 0 OR list_contains($sources::VARCHAR[], s.source))
  AND (len($principals::VARCHAR[]) = 0 OR list_contains($principals::VARCHAR[], s.principal))
  AND (len($topics::VARCHAR[]) = 0 OR len(list_filter(s.topics, lambda x: list_contains($topics::VARCHAR[], x))) > 0)
  AND (len($countries::VARCHAR[]) = 0 OR len(list_filter(s.countries, lambda x: list_contains($countries::VARCHAR[], x))) > 0)
  AND (len($regions::VARCHAR[]) = 0 OR len(list_filter(s.regions, lambda x: list_contains($regions::VARCHAR[], x))) > 0)
  AND (len($orgs::VARCHAR[]) = 0 OR len(list_filter(s.orgs, lambda x: list_contains($orgs::VARCHAR[], x))) > 0)
  AND (len($persons::VARCHAR[]) = 0 OR len(list_filter(s.persons, lambda x: list_contains($persons::VARCHAR[], x))) > 0)
