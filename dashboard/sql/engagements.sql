-- One page of the filtered engagement list, with counterparts and topics folded into text.
WITH page AS (
    SELECT f.*
    FROM filtered AS f
    ORDER BY
        CASE WHEN $order = 'date_desc' THEN f.meeting_date END DESC,
        CASE WHEN $order = 'date_asc' THEN f.meeting_date END ASC,
        CASE WHEN $order = 'kind' THEN f.kind END ASC,
        CASE WHEN $order = 'principal' THEN f.principal END ASC,
        f.meeting_date DESC, f.meeting_id
    LIMIT $limit OFFSET $offset
)
SELECT p.meeting_id, p.meeting_date, p.kind, p.principal, p.source, r.title, r.url,
       array_to_string(list_concat(list_sort(p.persons), list_sort(p.orgs)), '; ') AS counterparts,
       array_to_string(list_sort(p.countries), ', ') AS countries,
       array_to_string(list_sort(p.topics), ', ') AS topics
FROM page AS p
JOIN w.releases AS r USING (release_id)
ORDER BY
    CASE WHEN $order = 'date_desc' THEN p.meeting_date END DESC,
    CASE WHEN $order = 'date_asc' THEN p.meeting_date END ASC,
    CASE WHEN $order = 'kind' THEN p.kind END ASC,
    CASE WHEN $order = 'principal' THEN p.principal END ASC,
    p.meeting_date DESC, p.meeting_id
