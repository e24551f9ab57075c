-- Principal -> counterpart edges weighted by engagements (persons and organizations; countries when
-- $with_countries), the strongest $limit edges.
WITH edges AS (
    SELECT principal, unnest(persons) AS counterpart, 'person' AS counterpart_kind FROM filtered
    UNION ALL
    SELECT principal, unnest(orgs), 'organization' FROM filtered
    UNION ALL
    SELECT principal, unnest(countries), 'country' FROM filtered WHERE $with_countries
)
SELECT e.principal,
       CASE WHEN e.counterpart_kind = 'country' THEN coalesce(k.name, e.counterpart) ELSE e.counterpart END
           AS counterpart,
       e.counterpart_kind,
       CASE WHEN e.counterpart_kind = 'country' THEN e.counterpart END AS country_iso3,
       count(*) AS engagements
FROM edges AS e
LEFT JOIN w.countries AS k ON e.counterpart_kind = 'country' AND k.iso3 = e.counterpart
WHERE e.principal IS NOT NULL
GROUP BY ALL
ORDER BY engagements DESC, e.principal, counterpart
LIMIT $limit
