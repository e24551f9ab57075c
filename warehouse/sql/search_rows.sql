-- One row per meeting with everything the dashboard filters on folded into lists: the rows of
-- meeting_search, for the meetings of the releases in the relation search_scope (release_id), which the caller
-- provides. Lists are sorted, so loading the same data twice gives the same rows.
WITH ms AS (
    SELECT m.meeting_id, m.release_id, m.meeting_date, m.kind, m.principal, m.principal_country, r.source
    FROM meetings AS m
    JOIN releases AS r USING (release_id)
    WHERE m.release_id IN (SELECT release_id FROM search_scope)
),
cp AS (
    SELECT mc.meeting_id,
        list_sort(list(DISTINCT c.country_iso3) FILTER (WHERE c.kind = 'country')) AS countries,
        list_sort(list(DISTINCT k.region) FILTER (WHERE c.kind = 'country' AND k.region IS NOT NULL)) AS regions,
        list_sort(list(DISTINCT c.name) FILTER (WHERE c.kind = 'organization')) AS orgs,
        list_sort(list(DISTINCT c.name) FILTER (WHERE c.kind = 'person')) AS persons
    FROM meeting_counterparts AS mc
    JOIN ms USING (meeting_id)
    JOIN counterparts AS c USING (counterpart_id)
    LEFT JOIN countries AS k ON k.iso3 = c.country_iso3
    GROUP BY mc.meeting_id
),
tp AS (
    SELECT mt.meeting_id, list_sort(list(DISTINCT mt.topic_id)) AS topics
    FROM meeting_topics AS mt
    JOIN ms USING (meeting_id)
    GROUP BY mt.meeting_id
)
SELECT ms.meeting_id, ms.release_id, ms.meeting_date, ms.kind, ms.principal, ms.principal_country, ms.source,
    coalesce(cp.countries, []::VARCHAR[]) AS countries,
    coalesce(cp.regions, []::VARCHAR[]) AS regions,
    coalesce(cp.orgs, []::VARCHAR[]) AS orgs,
    coalesce(cp.persons, []::VARCHAR[]) AS persons,
    coalesce(tp.topics, []::VARCHAR[]) AS topics
FROM ms
LEFT JOIN cp USING (meeting_id)
LEFT JOIN tp USING (meeting_id)
