-- One counterpart's engagements within the filters, with their topics: the Counterparts page reads its
-- timeline and its topic mix from this one selection (materialised once, see queries.counterpart_profile).
SELECT f.meeting_id, f.meeting_date, f.kind, f.principal, f.source, f.topics
FROM filtered AS f
WHERE CASE $kind WHEN 'country' THEN list_contains(f.countries, coalesce((SELECT min(iso3) FROM w.countries WHERE name = $name), $name))
                 WHEN 'person' THEN list_contains(f.persons, $name)
                 ELSE list_contains(f.orgs, $name) END
