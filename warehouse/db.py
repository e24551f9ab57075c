"""Where the warehouse lives and how a connection to it is opened."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_VAR = "DIPLOMACY_DB"


def default_db_path() -> Path:
    """`warehouse/diplomacy.duckdb` under the project root (CONTRACT §2)."""
    return PROJECT_ROOT / "warehouse" / "diplomacy.duckdb"


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The --db argument, else $DIPLOMACY_DB, else the default path."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else default_db_path()


def is_file(location: str | os.PathLike[str]) -> bool:
    """Whether a warehouse location is a local file (else a DuckDB connection string: ':memory:', 'md:…')."""
    text = str(location)
    return not (text == ":memory:" or text.startswith(("md:", "motherduck:")) or "://" in text)


MEMORY_ENV = "DIPLOMACY_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "256MB"


def connect(path: str | os.PathLike[str], read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection with the settings every caller wants: no progress bar on stderr, and a memory limit.

    DuckDB's default limit is 80% of the machine's memory, which a long ETL run fills with cache; a bounded
    limit ($DIPLOMACY_MEMORY_LIMIT, default 256MB) makes it spill to disk instead, so a run over a million
    releases stays within a small machine's memory. Insertion order is not preserved (nothing relies on it),
    which lets large inserts stream.
    """
    con = duckdb.connect(str(path), read_only=read_only)
    con.execute("SET enable_progress_bar = false")
    con.execute("SET memory_limit = ?", [os.environ.get(MEMORY_ENV, DEFAULT_MEMORY_LIMIT)])
    con.execute("SET preserve_insertion_order = false")
    return con
