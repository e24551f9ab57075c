-- The text search condition, appended to filtered.sql when the analyst typed something.
-- contains(), not ILIKE: a % or _ typed in the search box is text, not a wildcard.
  AND s.release_id IN (
        SELECT r.release_id FROM w.releases AS r
        WHERE contains(lower(r.title), lower($text)) OR contains(lower(r.body), lower($text)))
