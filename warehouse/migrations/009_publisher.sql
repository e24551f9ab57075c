-- Who published each release, and how that was decided (CONTRACT §3): `registry` (a curated entry of
-- etl/data/sources.toml, or the `--source` the operator declared), `domain` (the release's source or URL
-- domain in the directory of government press services, etl/data/press_services.tsv) or `inferred` (from
-- the text: the principals' country). A release loaded before this migration has neither until it is
-- extracted again (a new extractor version re-extracts every release).

ALTER TABLE releases ADD COLUMN publisher_country VARCHAR;   -- ISO 3166-1 alpha-3
ALTER TABLE releases ADD COLUMN publisher_basis VARCHAR;     -- registry | domain | inferred
