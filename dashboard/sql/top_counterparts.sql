-- The counterparts met most often ($kind: person, organization or country), with first and last contact.
SELECT c.counterpart_id, c.name, c.kind, c.country_iso3,
       count(DISTINCT f.meeting_id) AS engagements,
       min(f.meeting_date) AS first_contact, max(f.meeting_date) AS last_contact
FROM filtered AS f
JOIN w.meeting_counterparts AS mc USING (meeting_id)
JOIN w.counterparts AS c USING (counterpart_id)
WHERE c.kind = $kind
GROUP BY ALL
ORDER BY engagements DESC, c.name
LIMIT $limit
