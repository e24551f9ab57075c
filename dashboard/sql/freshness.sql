-- The last run of each status: when the data was last refreshed, and whether the last attempt failed.
SELECT
    (SELECT max(finished_at) FROM w.etl_runs WHERE status = 'succeeded') AS refreshed_at,
    (SELECT status FROM w.etl_runs ORDER BY started_at DESC LIMIT 1) AS last_status,
    (SELECT started_at FROM w.etl_runs ORDER BY started_at DESC LIMIT 1) AS last_started_at,
    (SELECT error FROM w.etl_runs ORDER BY started_at DESC LIMIT 1) AS last_error,
    (SELECT extractor_version FROM w.etl_runs WHERE status = 'succeeded' ORDER BY finished_at DESC LIMIT 1)
        AS extractor_version
