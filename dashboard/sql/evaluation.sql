-- Accuracy per field from the most recent `etl evaluate` of each gold file.
SELECT e.gold_file, e.evaluated_at, e.releases, e.missing, e.field, e.precision, e.recall, e.f1,
       e.tp, e.fp, e.fn, e.extractor_version
FROM w.evaluations AS e
JOIN (SELECT gold_file, max(evaluated_at) AS evaluated_at FROM w.evaluations GROUP BY gold_file) AS latest
  USING (gold_file, evaluated_at)
ORDER BY e.gold_file, e.field
