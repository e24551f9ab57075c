-- Principal -> counterpart edges weighted by engagements (persons and organizations; countries when
-- $with_countries), the strongest $limit edges.
SELECT f.principal, c.name AS counterpart, c.kind AS counterpart_kind, c.country_iso3,
       count(DISTINCT f.meeting_id) AS engagements
FROM filtered AS f
JOIN w.meeting_counterparts AS mc USING (meeting_id)
JOIN w.counterparts AS c USING (counterpart_id)
WHERE f.principal IS NOT NULL AND (c.kind <> 'country' OR $with_countries)
GROUP BY ALL
ORDER BY engagements DESC, f.principal, counterpart
LIMIT $limit
