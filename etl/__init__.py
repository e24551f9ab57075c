"""Chancery's ETL: reads official releases, finds diplomatic engagements, loads them into DuckDB."""
