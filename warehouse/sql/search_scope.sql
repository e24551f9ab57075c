-- The releases whose meeting_search rows a run must recompute (etl/load.py refresh_search_of_run): those it
-- loaded ($run_id), and those with a meeting whose counterpart it renamed or gave a country to, as against
-- the temporary table counterparts_before (the counterparts when the run started).
SELECT release_id FROM releases WHERE run_id = $run_id
UNION
SELECT m.release_id
FROM counterparts AS c
JOIN counterparts_before AS b USING (counterpart_id)
JOIN meeting_counterparts AS mc USING (counterpart_id)
JOIN meetings AS m USING (meeting_id)
WHERE c.name IS DISTINCT FROM b.name OR c.country_iso3 IS DISTINCT FROM b.country_iso3
