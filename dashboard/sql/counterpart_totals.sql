-- Engagements, first and last contact per counterpart over the filtered engagements: the one join of
-- filtered engagements with their counterparts that the Overview's summary and top lists both read.
SELECT mc.counterpart_id, c.kind, c.name, c.country_iso3,
       count(*) AS engagements, min(f.meeting_date) AS first_contact, max(f.meeting_date) AS last_contact
FROM filtered AS f
JOIN w.meeting_counterparts AS mc USING (meeting_id)
JOIN w.counterparts AS c USING (counterpart_id)
GROUP BY mc.counterpart_id, c.kind, c.name, c.country_iso3
