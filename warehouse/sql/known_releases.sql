-- The releases a warehouse holds, as the integers etl/load.py KnownReleases classifies inputs by: the id and
-- the two halves of the content hash, sorted by id, and whether the row is of extractor $version. Ids and
-- hashes not written by our readers (16 and 32 lowercase hex digits) can equal no input's, so they are left
-- out or never count as the same content.
SELECT
    ('0x' || release_id)::UBIGINT AS id,
    CASE WHEN current THEN ('0x' || content_hash[1:16])::UBIGINT ELSE 0 END AS hash_high,
    CASE WHEN current THEN ('0x' || content_hash[17:32])::UBIGINT ELSE 0 END AS hash_low,
    current
FROM (
    SELECT release_id, content_hash,
        extractor_version = $version AND regexp_full_match(content_hash, '[0-9a-f]{32}') AS current
    FROM releases
    WHERE regexp_full_match(release_id, '[0-9a-f]{16}')
)
ORDER BY id
