-- Country reference data (names and UN M49 regions), refreshed by every ETL run from etl/data/countries.tsv,
-- so that dashboards can group counterparts by region without their own copy of the gazetteer.

CREATE TABLE countries (
    iso3      VARCHAR PRIMARY KEY,
    name      VARCHAR NOT NULL,
    region    VARCHAR,
    subregion VARCHAR
);
