-- Scores of `etl evaluate` against a gold file, per field: what the Data quality page shows.

CREATE TABLE evaluations (
    evaluation_id     VARCHAR NOT NULL,
    evaluated_at      TIMESTAMP NOT NULL,
    gold_file         VARCHAR NOT NULL,
    releases          INTEGER NOT NULL,      -- gold lines scored
    missing           INTEGER NOT NULL,      -- gold lines whose release is not in the warehouse
    field             VARCHAR NOT NULL,
    tp                INTEGER NOT NULL,
    fp                INTEGER NOT NULL,
    fn                INTEGER NOT NULL,
    precision         DOUBLE,
    recall            DOUBLE,
    f1                DOUBLE,
    extractor_version VARCHAR,
    PRIMARY KEY (evaluation_id, field)
);
