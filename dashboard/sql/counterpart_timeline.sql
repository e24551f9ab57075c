-- One counterpart's engagements within the filters, one row per engagement (profile, timeline, gaps).
SELECT f.meeting_id, f.meeting_date, f.kind, f.principal, f.source
FROM filtered AS f
WHERE CASE $kind WHEN 'country' THEN list_has_any(f.countries, [$name, (SELECT min(iso3) FROM w.countries WHERE name = $name)])
                 WHEN 'person' THEN list_contains(f.persons, $name)
                 ELSE list_contains(f.orgs, $name) END
ORDER BY f.meeting_date, f.meeting_id
