-- One engagement with its release: everything the Engagement page shows.
SELECT m.meeting_id, m.release_id, m.ordinal, m.meeting_date, m.kind, m.principal, m.principal_country,
       m.location, m.evidence_start, m.evidence_end,
       r.source, r.source_ref, r.url, r.title, r.published_at, r.body, r.lang, r.extractor_version,
       r.publisher_country, r.publisher_basis
FROM w.meetings AS m JOIN w.releases AS r USING (release_id)
WHERE m.meeting_id = $meeting_id
