-- The tables of CONTRACT.md section 3. Names are a contract; extra columns are ours.

CREATE TABLE releases (
    release_id        VARCHAR PRIMARY KEY,   -- sha256 of the natural key (URL, record id or file name)
    source            VARCHAR,
    source_ref        VARCHAR NOT NULL,      -- input path, plus '#<id>' for json/jsonl records
    url               VARCHAR,
    published_at      TIMESTAMP NOT NULL,
    title             VARCHAR NOT NULL,
    body              VARCHAR NOT NULL,
    lang              VARCHAR,
    content_hash      VARCHAR NOT NULL,
    ingested_at       TIMESTAMP NOT NULL,
    extractor_version VARCHAR NOT NULL,
    run_id            VARCHAR                -- the run that last (re)loaded it
);

CREATE TABLE meetings (
    meeting_id        VARCHAR PRIMARY KEY,   -- sha256(release_id, ordinal): stable while the release is
    release_id        VARCHAR NOT NULL,
    ordinal           INTEGER NOT NULL,      -- position of the engagement within its release
    meeting_date      DATE NOT NULL,
    kind              VARCHAR NOT NULL,
    principal         VARCHAR,
    principal_country VARCHAR,
    location          VARCHAR,
    evidence_start    INTEGER NOT NULL,      -- offsets into releases.body of the sentence
    evidence_end      INTEGER NOT NULL       -- that states the engagement
);

CREATE TABLE counterparts (
    counterpart_id VARCHAR PRIMARY KEY,      -- sha256 of the canonical entity key
    entity_key     VARCHAR NOT NULL UNIQUE,  -- e.g. country:IDN, org:undp, person:erdogan|TUR
    kind           VARCHAR NOT NULL,         -- person | organization | country
    name           VARCHAR NOT NULL,         -- canonical name
    country_iso3   VARCHAR,
    aliases        VARCHAR[] NOT NULL        -- every surface form seen
);

CREATE TABLE meeting_counterparts (
    meeting_id     VARCHAR NOT NULL,
    counterpart_id VARCHAR NOT NULL,
    role           VARCHAR,                  -- the title as stated
    evidence_start INTEGER,
    evidence_end   INTEGER,
    PRIMARY KEY (meeting_id, counterpart_id)
);

CREATE TABLE topics (
    topic_id VARCHAR PRIMARY KEY,
    label    VARCHAR NOT NULL,
    parent   VARCHAR
);

CREATE TABLE meeting_topics (
    meeting_id     VARCHAR NOT NULL,
    topic_id       VARCHAR NOT NULL,
    evidence_start INTEGER,
    evidence_end   INTEGER,
    PRIMARY KEY (meeting_id, topic_id)
);

CREATE TABLE etl_runs (
    run_id      VARCHAR PRIMARY KEY,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status      VARCHAR NOT NULL,            -- running | succeeded | failed
    source      VARCHAR,
    inputs      VARCHAR[],
    seen        INTEGER,
    new         INTEGER,
    changed     INTEGER,
    unchanged   INTEGER,
    rejected    INTEGER,
    meetings    INTEGER,
    seconds     DOUBLE,
    extractor_version VARCHAR,
    error       VARCHAR
);

CREATE TABLE rejects (
    source_ref  VARCHAR NOT NULL,
    path        VARCHAR NOT NULL,
    record_ref  VARCHAR,
    reason      VARCHAR NOT NULL,
    rejected_at TIMESTAMP NOT NULL,          -- first time this input was rejected for this reason
    run_id      VARCHAR,
    PRIMARY KEY (source_ref, reason)
);

CREATE INDEX meetings_release ON meetings (release_id);
CREATE INDEX meeting_counterparts_cp ON meeting_counterparts (counterpart_id);
