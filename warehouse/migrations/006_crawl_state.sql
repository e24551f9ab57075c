-- Crawl state (etl/crawl.py): one row per URL the crawler fetched or found, with what the next crawl needs:
-- the validators for a conditional GET, the outcome of the last attempt, and where the page was archived.

CREATE TABLE crawl_state (
    url           VARCHAR PRIMARY KEY,
    source        VARCHAR NOT NULL,            -- the source registry entry
    kind          VARCHAR NOT NULL,            -- listing | feed | article
    etag          VARCHAR,                     -- sent back as If-None-Match
    last_modified VARCHAR,                     -- sent back as If-Modified-Since
    last_status   INTEGER,                     -- HTTP status of the last response (NULL: none, e.g. a timeout)
    outcome       VARCHAR NOT NULL,            -- fetched | not_modified | failed | disallowed | pending
    fetched_at    TIMESTAMP NOT NULL,          -- the last attempt (for `pending`: when the link was found)
    content_hash  VARCHAR,                     -- sha256 of the last body received
    archive_path  VARCHAR,                     -- where an article page was saved
    failures      INTEGER NOT NULL DEFAULT 0,  -- failed attempts in a row, one per crawl
    error         VARCHAR                      -- why the last attempt failed, for a person
);
