-- Engagements per period ($grain: day, week, month, quarter, year), split by $stack
-- (kind, topic, region or country); a meeting with two topics counts once in each.
WITH keyed AS (
    SELECT f.meeting_id, date_trunc($grain, f.meeting_date)::DATE AS period, f.kind AS grp
    FROM filtered AS f WHERE $stack = 'kind'
    UNION ALL
    SELECT f.meeting_id, date_trunc($grain, f.meeting_date)::DATE, mt.topic_id
    FROM filtered AS f JOIN w.meeting_topics AS mt USING (meeting_id) WHERE $stack = 'topic'
    UNION ALL
    SELECT DISTINCT f.meeting_id, date_trunc($grain, f.meeting_date)::DATE, coalesce(k.region, 'Unknown')
    FROM filtered AS f JOIN w.meeting_counterparts AS mc USING (meeting_id)
    JOIN w.counterparts AS c USING (counterpart_id) LEFT JOIN w.countries AS k ON k.iso3 = c.country_iso3
    WHERE $stack = 'region' AND c.kind = 'country'
    UNION ALL
    SELECT f.meeting_id, date_trunc($grain, f.meeting_date)::DATE, c.country_iso3
    FROM filtered AS f JOIN w.meeting_counterparts AS mc USING (meeting_id)
    JOIN w.counterparts AS c USING (counterpart_id)
    WHERE $stack = 'country' AND c.kind = 'country'
)
SELECT period, grp AS "group", count(DISTINCT meeting_id) AS engagements
FROM keyed
GROUP BY ALL
ORDER BY period, "group"
