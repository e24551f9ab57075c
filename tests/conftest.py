"""Shared fixtures: a fresh warehouse path, the bundled sample, the shared corpus and a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from dashboard_fixture import dashboard_wh, paged_wh  # noqa: F401  (the dashboard tests' warehouses)

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

CliRunner = Callable[..., tuple[int, str, str]]


@pytest.fixture
def fresh_db(tmp_path: Path) -> Path:
    """A warehouse path that does not exist yet, in a folder of its own."""
    folder = tmp_path / "warehouse"
    folder.mkdir()
    return folder / "diplomacy.duckdb"


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"no shared corpus at {SHARED_CORPUS}")
    return SHARED_CORPUS


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    path = REPO / "data" / "sample"
    assert path.is_dir(), f"the bundled sample is missing: {path}"
    return path


def run_cli(*args: str | os.PathLike[str], env: Mapping[str, str] | None = None) -> tuple[int, str, str]:
    """`python -m etl ARGS` from the repository root; returns (exit status, stdout, stderr).

    $DIPLOMACY_DB is removed from the inherited environment, so only `env` can set it.
    """
    full_env = {k: v for k, v in os.environ.items() if k != "DIPLOMACY_DB"}
    full_env.update(env or {})
    done = subprocess.run(
        [sys.executable, "-m", "etl", *map(str, args)],
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def cli() -> CliRunner:
    """The CLI in a subprocess: `cli("run", "--input", path, env={...})` -> (returncode, stdout, stderr)."""
    return run_cli


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the expected outputs of the golden-file tests instead of comparing (review the diff)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
