-- What the dashboard filters on, one row per meeting, counterparts and topics folded into lists: a filter
-- becomes one scan of one table (list_has_any) instead of joins over millions of link rows. Derived data:
-- the loader keeps it in step with meetings (warehouse/sql/search_rows.sql) and rebuilds it whenever its
-- row count differs from meetings' (so this migration leaves it empty and the next run fills it).

CREATE TABLE meeting_search (
    meeting_id        VARCHAR NOT NULL,
    release_id        VARCHAR NOT NULL,
    meeting_date      DATE NOT NULL,
    kind              VARCHAR NOT NULL,
    principal         VARCHAR,
    principal_country VARCHAR,
    source            VARCHAR,
    countries         VARCHAR[] NOT NULL,
    regions           VARCHAR[] NOT NULL,
    orgs              VARCHAR[] NOT NULL,
    persons           VARCHAR[] NOT NULL,
    topics            VARCHAR[] NOT NULL
);

CREATE INDEX meeting_search_release ON meeting_search (release_id);
