-- Headline numbers for the filtered period: engagements and distinct counterparts of each kind.
SELECT
    (SELECT count(*) FROM filtered) AS engagements,
    count(DISTINCT c.country_iso3) FILTER (WHERE c.kind = 'country') AS countries,
    count(DISTINCT c.counterpart_id) FILTER (WHERE c.kind = 'person') AS persons,
    count(DISTINCT c.counterpart_id) FILTER (WHERE c.kind = 'organization') AS organizations
FROM filtered AS f
LEFT JOIN w.meeting_counterparts AS mc USING (meeting_id)
LEFT JOIN w.counterparts AS c USING (counterpart_id)
