-- Before changed releases are written again, everything extracted from their old content goes. Reads the
-- registered Arrow table _changed (release_id).
DELETE FROM meeting_counterparts WHERE meeting_id IN (
    SELECT meeting_id FROM meetings WHERE release_id IN (SELECT release_id FROM _changed)
);
DELETE FROM meeting_topics WHERE meeting_id IN (
    SELECT meeting_id FROM meetings WHERE release_id IN (SELECT release_id FROM _changed)
);
DELETE FROM meetings WHERE release_id IN (SELECT release_id FROM _changed);
DELETE FROM releases WHERE release_id IN (SELECT release_id FROM _changed);
