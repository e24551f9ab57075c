-- The entities that consecutive inputs mention, merged into counterparts as one upsert per batch of
-- $batch_size inputs merges them, so the result does not depend on how many batches a statement writes:
-- within a batch, the first mention of an entity gives its kind, name and country, and all its mentions
-- give aliases (with that name); across batches and with the row already there, the most complete name
-- wins (ties: the alphabetically first), the first country known stays, and aliases accumulate. Reads the
-- registered Arrow table _mentions, in extraction order by (item, pos); `item` is the input's position.
INSERT INTO counterparts
WITH firsts AS (
    SELECT DISTINCT ON (entity_key, item // $batch_size)
        entity_key, item // $batch_size AS batch, counterpart_id, kind, name, country_iso3
    FROM _mentions
    ORDER BY entity_key, batch, item, pos
),
aliases AS (
    SELECT entity_key, list_sort(list(alias)) AS aliases
    FROM (SELECT entity_key, alias FROM _mentions UNION SELECT entity_key, name FROM firsts)
    GROUP BY entity_key
),
merged AS (
    SELECT entity_key,
        arg_min(counterpart_id, batch) AS counterpart_id,
        arg_min(kind, batch) AS kind,
        first(name ORDER BY length(name) DESC, name) AS name,
        arg_min(country_iso3, batch) FILTER (WHERE country_iso3 IS NOT NULL) AS country_iso3
    FROM firsts
    GROUP BY entity_key
)
SELECT m.counterpart_id, m.entity_key, m.kind, m.name, m.country_iso3, a.aliases
FROM merged AS m
JOIN aliases AS a USING (entity_key)
ON CONFLICT (counterpart_id) DO UPDATE SET
    aliases = list_sort(list_distinct(list_concat(counterparts.aliases, excluded.aliases))),
    country_iso3 = coalesce(counterparts.country_iso3, excluded.country_iso3),
    -- The most complete spelling seen becomes the canonical name (ties: the alphabetically first).
    name = CASE WHEN length(excluded.name) > length(counterparts.name)
        OR (length(excluded.name) = length(counterparts.name) AND excluded.name < counterparts.name)
        THEN excluded.name ELSE counterparts.name END
