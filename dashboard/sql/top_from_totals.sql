-- The $limit counterparts of each kind met most often, from the counterpart totals.
SELECT counterpart_id, name, kind, country_iso3, engagements, first_contact, last_contact
FROM totals
QUALIFY row_number() OVER (PARTITION BY kind ORDER BY engagements DESC, name) <= $limit
ORDER BY kind, engagements DESC, name
