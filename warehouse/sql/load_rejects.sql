-- The rejects of consecutive inputs, as writing them one batch of $batch_size inputs at a time leaves them
-- (a batch: its releases first, then its rejects). An input rejected again for the same reason keeps its
-- first record; a reject of an input that loads in a later batch of the run is gone (the loading of a
-- release deletes the rejects of its source_ref, which etl/load.py does for the earlier ones). Reads the
-- registered Arrow tables _rejects and _releases; `item` is the input's position in the run.
INSERT INTO rejects
SELECT DISTINCT ON (j.source_ref, j.reason) j.source_ref, j.path, j.record_ref, j.reason, $now, $run_id
FROM _rejects AS j
WHERE NOT EXISTS (
    SELECT 1 FROM _releases AS r
    WHERE r.source_ref = j.source_ref AND r.item // $batch_size > j.item // $batch_size
)
ORDER BY j.source_ref, j.reason, j.item
ON CONFLICT DO NOTHING
