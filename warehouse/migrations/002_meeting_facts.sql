-- The flat table analysts export and the acceptance checks read (CONTRACT.md section 3).
-- Lists are pre-aggregated once per meeting and joined, never computed by correlated subqueries.

CREATE OR REPLACE VIEW meeting_facts AS
WITH cp AS (
    SELECT
        mc.meeting_id,
        list(DISTINCT c.name ORDER BY c.name) FILTER (WHERE c.kind = 'person')          AS counterpart_persons,
        list(DISTINCT c.country_iso3 ORDER BY c.country_iso3)
            FILTER (WHERE c.kind = 'country')                                             AS counterpart_countries,
        list(DISTINCT c.name ORDER BY c.name) FILTER (WHERE c.kind = 'organization')    AS counterpart_orgs
    FROM meeting_counterparts AS mc
    JOIN counterparts AS c USING (counterpart_id)
    GROUP BY mc.meeting_id
),
tp AS (
    SELECT meeting_id, list(topic_id ORDER BY topic_id) AS topics
    FROM meeting_topics
    GROUP BY meeting_id
)
SELECT
    m.meeting_id,
    m.release_id,
    r.source,
    r.source_ref,
    r.url,
    r.title,
    r.published_at,
    m.meeting_date,
    m.kind,
    m.principal,
    m.principal_country,
    m.location,
    coalesce(cp.counterpart_persons, []::VARCHAR[])   AS counterpart_persons,
    coalesce(cp.counterpart_countries, []::VARCHAR[]) AS counterpart_countries,
    coalesce(cp.counterpart_orgs, []::VARCHAR[])      AS counterpart_orgs,
    coalesce(tp.topics, []::VARCHAR[])                AS topics
FROM meetings AS m
JOIN releases AS r USING (release_id)
LEFT JOIN cp USING (meeting_id)
LEFT JOIN tp USING (meeting_id);
