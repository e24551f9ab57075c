-- The last ETL runs, newest first.
SELECT run_id, started_at, finished_at, status, source, seen, new, changed, unchanged, rejected, meetings,
       seconds, extractor_version, error
FROM w.etl_runs
ORDER BY started_at DESC
LIMIT $limit
