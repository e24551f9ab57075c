-- DuckDB holds an index it writes to in memory: at a million releases the link tables' keys alone
-- (1.6M counterpart links and 1.8M topic tags, two 16-character ids each) came to more than the ETL's
-- whole memory limit, and a run failed to commit. Nothing looks these rows up by key: the loader writes
-- one link per counterpart and meeting and one tag per topic and meeting (etl/staged.py), and its deletes
-- and the meeting_search refresh are semi-joins, which scan columns rather than probe an index. So the link
-- tables lose their primary keys, and the secondary indexes on release_id and counterpart_id go. The keys
-- of releases, meetings and counterparts stay (the loader's upserts and the stable ids rely on them).

DROP INDEX IF EXISTS meeting_counterparts_cp;
DROP INDEX IF EXISTS meetings_release;
DROP INDEX IF EXISTS meeting_search_release;

CREATE TABLE meeting_counterparts_unindexed (
    meeting_id     VARCHAR NOT NULL,
    counterpart_id VARCHAR NOT NULL,
    role           VARCHAR,                  -- the title as stated
    evidence_start INTEGER,
    evidence_end   INTEGER
);
INSERT INTO meeting_counterparts_unindexed SELECT * FROM meeting_counterparts;
DROP TABLE meeting_counterparts;
ALTER TABLE meeting_counterparts_unindexed RENAME TO meeting_counterparts;

CREATE TABLE meeting_topics_unindexed (
    meeting_id     VARCHAR NOT NULL,
    topic_id       VARCHAR NOT NULL,
    evidence_start INTEGER,
    evidence_end   INTEGER
);
INSERT INTO meeting_topics_unindexed SELECT * FROM meeting_topics;
DROP TABLE meeting_topics;
ALTER TABLE meeting_topics_unindexed RENAME TO meeting_topics;
