"""Scheduled refresh, as operators run it: real processes on real DuckDB files.

Atomic publish under readers, SIGKILL at random points, one writer at a time (etl/store/lock.py), the audit of
failed runs, and `python -m etl schedule`. Processes are synchronised on what they print or on their exit,
never on sleeps; every wait is bounded.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import queue
import random
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

import pytest

from dashboard.db import reader
from etl.cli import main as cli_main
from etl.pipeline import run
from etl.schedule import parse_every, run_every
from etl.store.lock import LockTimeout, lock_path, writer_lock
from etl.store.publish import leftovers
from warehouse import connect

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"
PMD = SAMPLE / "pmd" / "releases.jsonl"
READER = Path(__file__).resolve().parent / "warehouse_reader.py"

# Columns that say when or by which run a row was written, not what it holds.
VOLATILE = {"ingested_at", "run_id", "rejected_at", "applied_at"}
# Tables that gain a row per run or per evaluation by design.
AUDIT_TABLES = {"etl_runs", "evaluations"}
SNAPSHOT_SQL = (
    "SELECT (SELECT count(*) FROM w.releases), (SELECT count(*) FROM w.meetings),"
    " (SELECT count(*) FROM w.meeting_counterparts), (SELECT count(*) FROM w.etl_runs)"
)
WAIT = 120.0  # upper bound for any one process to finish; far above what any of them takes


# --------------------------------------------------------------------------------------------- helpers


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DIPLOMACY_DB", "DIPLOMACY_LOCK_TIMEOUT"}}
    env["PYTHONPATH"] = str(REPO)
    env.update(extra)
    return env


def etl(*args: object, env: dict[str, str] | None = None, **popen: Any) -> subprocess.Popen[str]:
    """`python -m etl ARGS` started from the repository root (not waited for)."""
    return subprocess.Popen(
        [sys.executable, "-m", "etl", *map(str, args)],
        cwd=REPO,
        env=env or clean_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=WAIT)
    return proc.returncode, out, err


def etl_run(*args: object, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    return finish(etl("run", *args, env=env))


def summary(stdout: str) -> dict[str, Any]:
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one summary line, got {stdout!r}"
    parsed = json.loads(lines[0])
    assert isinstance(parsed, dict)
    return parsed


class Lines:
    """A process's output stream, read by a thread, so a test can wait for a line with a deadline."""

    def __init__(self, stream: IO[str]) -> None:
        self._queue: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self._queue.put(line)
        self._queue.put(None)

    def wait_for(self, predicate: Any, timeout: float = WAIT) -> str:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                line = self._queue.get(timeout=max(remaining, 0.001))
            except queue.Empty:
                raise AssertionError(f"no such line within {timeout} s; got {self.seen}") from None
            if line is None:
                raise AssertionError(f"the stream ended without such a line; got {self.seen}")
            self.seen.append(line)
            if predicate(line):
                return line

    def rest(self, timeout: float = WAIT) -> list[str]:
        """Everything up to the end of the stream (the process has exited or is about to)."""
        deadline = time.monotonic() + timeout
        while True:
            line = self._queue.get(timeout=max(deadline - time.monotonic(), 0.001))
            if line is None:
                return self.seen
            self.seen.append(line)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(db: Path) -> tuple[int, ...]:
    """The reader's counts, read the way the dashboard reads."""
    with reader(db) as con:
        row = con.execute(SNAPSHOT_SQL).fetchone()
    assert row is not None
    return tuple(row)


def content(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every data table, sorted, without the columns that only say when or which run."""
    con = connect(db, read_only=True)
    try:
        tables = [
            t
            for (t,) in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1"
            ).fetchall()
            if t not in AUDIT_TABLES
        ]
        out: dict[str, list[tuple[Any, ...]]] = {}
        for table in tables:
            columns = [
                c
                for (c,) in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ?"
                    " ORDER BY ordinal_position",
                    [table],
                ).fetchall()
                if c not in VOLATILE
            ]
            # identifiers from the catalogue, never from input
            out[table] = con.execute(f'SELECT {", ".join(columns)} FROM "{table}" ORDER BY ALL').fetchall()
        return out
    finally:
        con.close()


def runs(db: Path) -> list[tuple[Any, ...]]:
    con = connect(db, read_only=True)
    try:
        return con.execute(
            "SELECT status, started_at, finished_at, new, error FROM etl_runs ORDER BY started_at"
        ).fetchall()
    finally:
        con.close()


def beside(db: Path) -> list[str]:
    """What lies beside the warehouse besides itself: scratch files, logs, lock files."""
    return sorted(p.name for p in db.parent.iterdir() if p.name != db.name)


def group_members(pgid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = (entry / "stat").read_text()
                fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
                if int(fields[2]) == pgid and fields[0] != "Z":
                    members.append(int(entry.name))
    return members


def wait_group_gone(pgid: int, timeout: float) -> list[int]:
    """Wait (on pidfds, not sleeps) until no live process is left in the group; returns the stragglers."""
    deadline = time.monotonic() + timeout
    while (members := group_members(pgid)) and time.monotonic() < deadline:
        fds = []
        for pid in members:
            with contextlib.suppress(ProcessLookupError):
                fds.append(os.pidfd_open(pid))
        try:
            if fds:
                select.select(fds, [], [], max(deadline - time.monotonic(), 0))
        finally:
            for fd in fds:
                os.close(fd)
    return group_members(pgid)


def nobody_holds(path: Path) -> bool:
    """Whether the lock file is absent or not flocked: checked without taking it over (the file stays)."""
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait(timeout=WAIT)
    return proc.pid


@pytest.fixture(scope="module")
def half(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 300 records of the bundled sample."""
    path = tmp_path_factory.mktemp("inputs") / "half.jsonl"
    lines = PMD.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:300]), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def single_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample loaded by one run: what any number of runs over it must leave."""
    db = tmp_path_factory.mktemp("single") / "diplomacy.duckdb"
    run([str(SAMPLE)], db, workers=1)
    return db


# --------------------------------------------------------------------------------------------- readers


def test_readers_never_see_a_torn_warehouse_during_20_refreshes(
    tmp_path: Path, fresh_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A dashboard-like reader in its own process queries while 20 refreshes publish, each adding a file."""
    lines = PMD.read_text(encoding="utf-8").splitlines(keepends=True)
    size = -(-len(lines) // 20)
    chunks = [lines[i : i + size] for i in range(0, len(lines), size)]
    assert len(chunks) == 20
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    run([str(SAMPLE / "seed")], fresh_db, workers=1)
    published = [snapshot(fresh_db)]

    proc = subprocess.Popen(
        [sys.executable, str(READER), str(fresh_db), "150"],
        cwd=REPO,
        env=clean_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    out = Lines(proc.stdout)
    try:
        out.wait_for(lambda line: line.strip() == "ready", timeout=60)
        started = time.monotonic()
        for number, chunk in enumerate(chunks, 1):
            (inbox / f"{number:02d}.jsonl").write_text("".join(chunk), encoding="utf-8")
            code, stdout, err = etl_run("--input", inbox, "--db", fresh_db, "--workers", 1)
            assert code == 0, err
            assert summary(stdout)["unchanged"] == published[-1][0] - 1  # the seed is not in the inbox
            published.append(snapshot(fresh_db))
        refreshing = time.monotonic() - started
        proc.stdin.close()
        result = json.loads(out.wait_for(lambda line: line.startswith("{"), timeout=60))
    finally:
        with contextlib.suppress(OSError):
            proc.stdin.close()
        proc.wait(timeout=WAIT)

    assert len(set(published)) == 21, "every refresh published a different warehouse"
    assert [p[3] for p in published] == list(range(1, 22)), "one etl_runs row per run"
    seen = {tuple(row[:4]): row[4] for row in result["seen"]}
    assert result["error_count"] == 0, result["errors"]
    assert not result["timed_out"]
    torn = set(seen) - set(published)
    assert not torn, f"reads that match no published warehouse: {torn}"
    assert len(seen) >= 3, f"the reader saw too few publications to prove anything: {seen}"
    with capsys.disabled():
        print(
            f"\n[refresh] {result['reads']} reads during 20 refreshes ({refreshing:.1f} s), 0 errors, "
            f"0 torn; {len(seen)} of 21 published snapshots seen"
        )


# --------------------------------------------------------------------------------------------- SIGKILL


def test_sigkill_at_random_points_leaves_the_published_warehouse_as_it_was(
    tmp_path: Path, half: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Kill a run that adds 299 releases (with 2 extraction workers) at 8 random moments of its life."""
    base = tmp_path / "base.duckdb"
    run([str(half)], base, workers=1)
    full = ("--input", SAMPLE, "--workers", 2)

    def fresh_copy(name: str) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        shutil.copyfile(base, folder / "diplomacy.duckdb")
        return folder / "diplomacy.duckdb"

    durations = []
    references = []
    for name in ("clean1", "clean2"):
        db = fresh_copy(name)
        t0 = time.monotonic()
        code, _, err = etl_run(*full, "--db", db)
        durations.append(time.monotonic() - t0)
        assert code == 0, err
        references.append(content(db))
    assert references[0] == references[1], "two clean runs from one state must load the same rows"
    clean = references[0]
    base_hash = sha256(base)
    longest = max(durations)

    kills = []
    for seed in range(8):
        db = fresh_copy(f"seed{seed}")
        delay = random.Random(seed).uniform(0.0, longest)
        proc = etl("run", *full, "--db", db, start_new_session=True)
        try:
            proc.wait(timeout=delay)
            completed = True
        except subprocess.TimeoutExpired:
            completed = False
            os.kill(proc.pid, signal.SIGKILL)  # the run's main process only: its workers must follow
        proc.communicate(timeout=WAIT)
        stragglers = wait_group_gone(proc.pid, timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        assert stragglers == [], "extraction workers outlived their killed run"

        if sha256(db) == base_hash:
            outcome = "unchanged"
        else:  # only if the run had swapped its complete warehouse in before the kill
            assert content(db) == clean, f"seed {seed}: the published warehouse changed but is not complete"
            outcome = "complete"
        assert not (db.parent / (db.name + ".wal")).exists()
        scratch = [p.name for p in leftovers(db)]
        lock_left = lock_path(db).exists()
        assert nobody_holds(lock_path(db)), "the killed run's lock is still held"

        code, stdout, err = etl_run(*full, "--db", db, "--lock-timeout", 0)
        assert code == 0, err
        assert summary(stdout)["new"] == (0 if outcome == "complete" else 299)
        if scratch:
            assert f"removed {len(scratch)} scratch file(s)" in err
        if lock_left:
            assert "stale warehouse lock file" in err and "that process is gone" in err
        assert content(db) == clean
        assert beside(db) == [], "scratch files, logs or a lock file left beside the warehouse"
        assert [r[0] for r in runs(db)] == ["succeeded"] * (3 if outcome == "complete" else 2)
        kills.append(
            f"seed {seed}: {delay:.2f} s ({delay / longest:.0%}) "
            f"{'exited before the kill' if completed else 'killed'}, published {outcome}, "
            f"{len(scratch)} scratch file(s) left{', lock file left' if lock_left else ''}"
        )
    with capsys.disabled():
        print(f"\n[refresh] clean run {', '.join(f'{d:.2f}' for d in durations)} s; kills:")
        for line in kills:
            print(f"[refresh]   {line}")


def test_a_stray_wal_beside_the_published_file_is_replayed_not_left(tmp_path: Path, fresh_db: Path) -> None:
    """Something wrote the published file in place and was killed: the next run folds its log in."""
    run([str(SAMPLE / "seed")], fresh_db, workers=1)
    writer = (
        "import os, signal, sys, duckdb\n"
        "con = duckdb.connect(sys.argv[1])\n"
        "con.execute(\"INSERT INTO topics VALUES ('zz_marker', 'written in place', NULL)\")\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", writer, str(fresh_db)], timeout=WAIT, check=False)
    wal = fresh_db.with_name(fresh_db.name + ".wal")
    assert wal.exists(), "the in-place writer was meant to leave its write-ahead log"

    code, _, err = etl_run("--input", SAMPLE / "seed", "--db", fresh_db)
    assert code == 0, err
    assert "write-ahead log" in err
    assert beside(fresh_db) == []
    con = connect(fresh_db, read_only=True)
    try:
        assert con.execute("SELECT label FROM topics WHERE topic_id = 'zz_marker'").fetchall() == [
            ("written in place",)
        ]
    finally:
        con.close()


# --------------------------------------------------------------------------------------------- one writer


def _lock_taken(db: Path, proc: subprocess.Popen[str], limit: float = 60.0) -> None:
    """Wait until `proc` holds the writer lock (its lock file is flocked), bounded by `limit` seconds.

    "Started together" must mean the second run arrives while the first holds the lock: waiting for that
    signal, not a sleep, keeps the test deterministic on a loaded machine.
    """
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if lock_path(db).exists() and not nobody_holds(lock_path(db)):
            return
        assert proc.poll() is None, "the first run ended before it took the lock"
        time.sleep(0.01)
    raise AssertionError("the first run never took the lock")


def test_two_runs_started_together_take_turns(fresh_db: Path, single_run: Path) -> None:
    first_proc = etl("run", "--input", SAMPLE, "--db", fresh_db, "--workers", 1)
    _lock_taken(fresh_db, first_proc)
    procs = [first_proc, etl("run", "--input", SAMPLE, "--db", fresh_db, "--workers", 2)]
    results = [finish(p) for p in procs]
    assert [code for code, _, _ in results] == [0, 0], [err for _, _, err in results]
    summaries = [summary(out) for _, out, _ in results]
    first, second = sorted(range(2), key=lambda i: -summaries[i]["new"])
    assert (summaries[first]["new"], summaries[second]["new"], summaries[second]["unchanged"]) == (
        596,
        0,
        596,
    )
    assert "waiting up to 600 s for the warehouse lock" in results[second][2]
    assert f"pid {procs[first].pid}" in results[second][2], "the waiting run names the one it waits for"

    assert content(fresh_db) == content(single_run), "nothing duplicated, nothing lost"
    (status1, _, finished1, _, _), (status2, started2, _, _, _) = runs(fresh_db)
    assert (status1, status2) == ("succeeded", "succeeded")
    assert finished1 <= started2, "the two runs overlapped in the warehouse"
    assert beside(fresh_db) == []


def test_two_runs_started_together_with_a_short_lock_timeout(fresh_db: Path, single_run: Path) -> None:
    first_proc = etl("run", "--input", SAMPLE, "--db", fresh_db, "--workers", 1, "--lock-timeout", 0.3)
    _lock_taken(fresh_db, first_proc)
    procs = [
        first_proc,
        etl("run", "--input", SAMPLE, "--db", fresh_db, "--workers", 2, "--lock-timeout", 0.3),
    ]
    results = [finish(p) for p in procs]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 1], [err for _, _, err in results]
    winner, loser = (0, 1) if results[0][0] == 0 else (1, 0)
    _, out, err = results[loser]
    assert json.loads(out) == {"status": "failed", "error": json.loads(out)["error"]}
    message = json.loads(out)["error"]
    assert message.startswith(f"another run (pid {procs[winner].pid}, started ")
    assert "holds the warehouse lock" in message and "waited 0.3 s" in message
    assert message in err and "published nothing" in err
    assert summary(results[winner][1])["new"] == 596
    assert content(fresh_db) == content(single_run)
    assert [r[0] for r in runs(fresh_db)] == ["succeeded"], "a run that never got the lock records nothing"


@pytest.fixture
def seed_db(fresh_db: Path) -> Path:
    run([str(SAMPLE / "seed")], fresh_db, workers=1)
    return fresh_db


def test_a_lock_timeout_fails_with_status_1_and_names_the_holder(seed_db: Path, tmp_path: Path) -> None:
    before = sha256(seed_db)
    with writer_lock(seed_db, timeout=0):
        code, out, err = etl_run("--input", SAMPLE / "seed", "--db", seed_db, "--lock-timeout", 0.5)
        assert code == 1
        failed = json.loads(out)
        assert failed["status"] == "failed"
        assert failed["error"].startswith(f"another run (pid {os.getpid()}, started ")
        assert "waited 0.5 s" in failed["error"] and str(lock_path(seed_db)) in failed["error"]
        assert f"error: the run failed and published nothing: {failed['error']}" in err

        # the environment sets the default; evaluation recording waits for the lock too
        code, out, err = etl_run(
            "--input", SAMPLE / "seed", "--db", seed_db, env=clean_env(DIPLOMACY_LOCK_TIMEOUT="0.2")
        )
        assert code == 1 and "waited 0.2 s" in json.loads(out)["error"]
        gold = tmp_path / "gold.jsonl"
        gold.write_text(json.dumps({"ref": "000_5fff5019fe881499.txt", "diplomatic": True}) + "\n")
        code, _, err = finish(etl("evaluate", "--gold", gold, "--db", seed_db, "--lock-timeout", 0.2))
        assert code == 1 and "not recorded" in err and f"pid {os.getpid()}" in err
    assert sha256(seed_db) == before, "nothing was published"
    assert [r[0] for r in runs(seed_db)] == ["succeeded"]
    assert beside(seed_db) == []

    code, _, err = etl_run(
        "--input", SAMPLE / "seed", "--db", seed_db, env=clean_env(DIPLOMACY_LOCK_TIMEOUT="x")
    )
    assert code == 2 and "DIPLOMACY_LOCK_TIMEOUT" in err


def test_a_waiting_run_goes_on_as_soon_as_the_lock_is_released(seed_db: Path) -> None:
    with writer_lock(seed_db, timeout=0):
        proc = etl("run", "--input", SAMPLE / "seed", "--db", seed_db, "--lock-timeout", WAIT)
        assert proc.stderr is not None
        err = Lines(proc.stderr)
        line = err.wait_for(lambda text: "waiting up to" in text)
        assert f"pid {os.getpid()}" in line
        released = time.monotonic()
    code = proc.wait(timeout=WAIT)
    waited_after_release = time.monotonic() - released
    assert code == 0, err.rest()
    assert waited_after_release < 30  # the poll backs off to 1 s: the run went on, it did not time out
    assert [r[0] for r in runs(seed_db)] == ["succeeded", "succeeded"]


def test_a_stale_lock_file_is_reported_and_taken_over(seed_db: Path) -> None:
    path = lock_path(seed_db)
    pid = dead_pid()
    path.write_text(json.dumps({"pid": pid, "host": os.uname().nodename, "started": "2025-01-02T03:04:05"}))
    code, _, err = etl_run("--input", SAMPLE / "seed", "--db", seed_db, "--lock-timeout", 0)
    assert code == 0, err
    assert "stale warehouse lock file" in err and f"pid {pid}" in err and "that process is gone" in err
    assert not path.exists(), "the lock file is removed when the run releases it"

    path.write_bytes(b"\x00\xffnot json")  # a run killed while writing its record
    code, _, err = etl_run("--input", SAMPLE / "seed", "--db", seed_db, "--lock-timeout", 0)
    assert code == 0, err
    assert "stale warehouse lock file" in err and "unreadable" in err
    assert beside(seed_db) == []


def test_the_flock_decides_not_the_pid_in_the_file(seed_db: Path) -> None:
    """A lock file that names a dead pid but is still locked (e.g. by a forked child) still blocks."""
    path = lock_path(seed_db)
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.write(fd, json.dumps({"pid": dead_pid(), "started": "then"}).encode())
        code, out, _ = etl_run("--input", SAMPLE / "seed", "--db", seed_db, "--lock-timeout", 0.2)
        assert code == 1 and json.loads(out)["status"] == "failed"
        with pytest.raises(LockTimeout), writer_lock(seed_db, timeout=0):
            pass
    finally:
        os.close(fd)
        path.unlink()


def test_the_lock_is_reentrant_and_other_threads_wait(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    outcome: list[str] = []

    def other_thread() -> None:
        try:
            with writer_lock(db, timeout=0.1):
                outcome.append("acquired")
        except LockTimeout:
            outcome.append("timed out")

    with writer_lock(db, timeout=0), writer_lock(db, timeout=0):
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join(timeout=WAIT)
    assert outcome == ["timed out"]
    with writer_lock(db, timeout=0):
        pass
    assert not lock_path(db).exists()


def test_a_failed_run_leaves_an_actionable_error_and_the_last_good_warehouse(
    seed_db: Path, half: Path
) -> None:
    """The real CLI in its own process, with an extractor that breaks on the 50th release."""
    before, published = content(seed_db), sha256(seed_db)
    breaking = (
        "import sys, etl.pipeline as p\n"
        "real, calls = p.extract_release, []\n"
        "def extract_release(release, declared, registry):\n"
        "    calls.append(release)\n"
        "    if len(calls) == 50:\n"
        "        raise RuntimeError('extractor broke on ' + release.source_ref)\n"
        "    return real(release, declared, registry)\n"
        "p.extract_release = extract_release\n"
        "from etl.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", breaking, "run", "--input", half, "--db", seed_db, "--workers", "1"],
        cwd=REPO,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    failed = json.loads(done.stdout)
    assert failed["status"] == "failed" and "RuntimeError: extractor broke on " in failed["error"]
    assert "error: the run failed and published nothing: RuntimeError: extractor broke on" in done.stderr
    assert content(seed_db) == before, "the last good warehouse stays published"
    assert sha256(seed_db) != published, "(with the failed run's audit row)"
    [(status, _, finished, _, error)] = runs(seed_db)[1:]
    assert status == "failed" and finished is not None and error == failed["error"]
    assert beside(seed_db) == []


# --------------------------------------------------------------------------------------------- schedule


@pytest.mark.parametrize(
    ("text", "seconds"), [("30s", 30), ("15m", 900), ("2h", 7200), ("1d", 86400), (" 45M ", 2700)]
)
def test_every_parses_whole_units(text: str, seconds: int) -> None:
    assert parse_every(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "30", "m", "0m", "-5m", "1.5h", "15 minutes", "2w", "1h30m"])
def test_schedule_rejects_a_bad_every_with_status_2(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli_main(["schedule", f"--every={text}", "--input", str(SAMPLE / "seed")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--every" in err and "30s, 15m, 2h, 1d" in err


def test_schedule_usage_errors_exit_2_before_any_run(fresh_db: Path) -> None:
    code, out, err = finish(etl("schedule", "--every", "soon", "--input", SAMPLE / "seed", "--db", fresh_db))
    assert (code, out) == (2, "") and "usage:" in err
    code, out, err = finish(
        etl("schedule", "--every", "1s", "--input", SAMPLE, "--db", fresh_db, "--source", "no-such-source")
    )
    assert (code, out) == (2, "") and "no-such-source" in err
    assert not fresh_db.exists()


def test_the_scheduler_runs_now_then_every_interval_and_survives_failures() -> None:
    """In-process: the job fails, fails again by status, succeeds, then SIGTERM stops the scheduler."""
    calls: list[float] = []

    def job() -> int:
        calls.append(time.monotonic())
        if len(calls) == 1:
            raise RuntimeError("first run explodes")
        if len(calls) == 3:
            os.kill(os.getpid(), signal.SIGTERM)
        return 1 if len(calls) == 2 else 0

    handler_before = signal.getsignal(signal.SIGTERM)
    safety = threading.Timer(60, os.kill, (os.getpid(), signal.SIGINT))  # bounds the test if it hangs
    safety.start()
    try:
        assert run_every(timedelta(seconds=0.05), job) == 0
    finally:
        safety.cancel()
    assert len(calls) == 3
    assert signal.getsignal(signal.SIGTERM) == handler_before, "the previous handler is restored"


def test_schedule_prints_a_summary_per_run_goes_on_after_a_failure_and_stops_on_sigterm(
    fresh_db: Path,
) -> None:
    """A real `schedule` process: its first run finds the lock held and fails, the next ones publish."""
    with writer_lock(fresh_db, timeout=0):
        proc = etl(
            "schedule", "--every", "1s", "--input", SAMPLE / "seed", "--db", fresh_db, "--lock-timeout", 0.2
        )
        assert proc.stdout is not None and proc.stderr is not None
        out, err = Lines(proc.stdout), Lines(proc.stderr)
        first = json.loads(out.wait_for(lambda line: line.startswith("{"), timeout=60))
    try:
        second = json.loads(out.wait_for(lambda line: line.startswith("{"), timeout=60))
        third = json.loads(out.wait_for(lambda line: line.startswith("{"), timeout=60))
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=WAIT)
    assert code == 0, err.rest()
    assert first["status"] == "failed" and f"pid {os.getpid()}" in first["error"]
    assert (second["new"], second["meetings"]) == (1, 1)
    assert (third["new"], third["unchanged"]) == (0, 1)
    logged = "".join(err.rest())
    assert "the scheduled run failed (exit status 1)" in logged
    assert "SIGTERM: stopping" in logged and "stopped" in logged
    assert [r[0] for r in runs(fresh_db)][:2] == ["succeeded", "succeeded"]
    assert beside(fresh_db) == []
