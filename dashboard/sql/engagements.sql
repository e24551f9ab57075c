-- One page of the filtered engagement list, with counterparts and topics folded into text.
WITH page AS (
    SELECT f.*, r.title, r.url, r.source
    FROM filtered AS f JOIN w.releases AS r USING (release_id)
    ORDER BY
        CASE WHEN $order = 'date_desc' THEN f.meeting_date END DESC,
        CASE WHEN $order = 'date_asc' THEN f.meeting_date END ASC,
        CASE WHEN $order = 'kind' THEN f.kind END ASC,
        CASE WHEN $order = 'principal' THEN f.principal END ASC,
        f.meeting_date DESC, f.meeting_id
    LIMIT $limit OFFSET $offset
)
SELECT p.meeting_id, p.meeting_date, p.kind, p.principal, p.source, p.title, p.url,
       coalesce((SELECT string_agg(c.name, '; ' ORDER BY c.kind DESC, c.name)
                 FROM w.meeting_counterparts AS mc JOIN w.counterparts AS c USING (counterpart_id)
                 WHERE mc.meeting_id = p.meeting_id AND c.kind <> 'country'), '') AS counterparts,
       coalesce((SELECT string_agg(c.country_iso3, ', ' ORDER BY c.country_iso3)
                 FROM w.meeting_counterparts AS mc JOIN w.counterparts AS c USING (counterpart_id)
                 WHERE mc.meeting_id = p.meeting_id AND c.kind = 'country'), '') AS countries,
       coalesce((SELECT string_agg(mt.topic_id, ', ' ORDER BY mt.topic_id)
                 FROM w.meeting_topics AS mt WHERE mt.meeting_id = p.meeting_id), '') AS topics
FROM page AS p
ORDER BY
    CASE WHEN $order = 'date_desc' THEN p.meeting_date END DESC,
    CASE WHEN $order = 'date_asc' THEN p.meeting_date END ASC,
    CASE WHEN $order = 'kind' THEN p.kind END ASC,
    CASE WHEN $order = 'principal' THEN p.principal END ASC,
    p.meeting_date DESC, p.meeting_id
