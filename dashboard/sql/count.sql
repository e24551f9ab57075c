-- How many engagements the filters select (for paging).
SELECT count(*) AS n FROM filtered
