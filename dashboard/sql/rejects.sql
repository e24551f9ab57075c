-- Rejected inputs with the reason a person can act on, newest first.
SELECT rejected_at, source_ref, reason, run_id
FROM w.rejects
ORDER BY rejected_at DESC, source_ref
LIMIT $limit
