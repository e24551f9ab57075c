-- Engagements per period ($grain: day, week, month, quarter, year), split by $stack
-- (kind, topic, region or country); a meeting with two topics counts once in each.
WITH keyed AS (
    SELECT date_trunc($grain, meeting_date)::DATE AS period, kind AS grp FROM filtered WHERE $stack = 'kind'
    UNION ALL
    SELECT date_trunc($grain, meeting_date)::DATE, unnest(topics) FROM filtered WHERE $stack = 'topic'
    UNION ALL
    SELECT date_trunc($grain, meeting_date)::DATE,
           unnest(CASE WHEN len(regions) = 0 AND len(countries) > 0 THEN ['Unknown'] ELSE regions END)
    FROM filtered WHERE $stack = 'region'
    UNION ALL
    SELECT date_trunc($grain, meeting_date)::DATE, unnest(countries) FROM filtered WHERE $stack = 'country'
)
SELECT period, grp AS "group", count(*) AS engagements
FROM keyed
GROUP BY ALL
ORDER BY period, "group"
