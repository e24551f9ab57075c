"""The DuckDB warehouse: its location, its schema migrations and the SQL files that read it."""

from warehouse.db import connect, default_db_path, is_file, resolve_db_path
from warehouse.migrate import migrate

__all__ = ["connect", "default_db_path", "is_file", "migrate", "resolve_db_path"]
