-- Every engagement, in the shape of filtered.sql: the Overview's selection when no filter is set.
SELECT s.meeting_id, s.release_id, s.meeting_date, s.kind, s.principal, s.principal_country, s.source,
       s.countries, s.regions, s.orgs, s.persons, s.topics
FROM w.meeting_search AS s
