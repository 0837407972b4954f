"""Power cuts: a record reported saved survives the writer being killed at any moment.

A writer process (crash_writer.py) saves people one transaction at a time and prints each id
after the commit; this test SIGKILLs it at random moments — during start-up, during writes —
and after each kill checks that the database passes SQLite's full integrity check and holds
every id the writer reported. Bounded: at most KILLS rounds and BUDGET seconds.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from htx_desktop.cli import run
from htx_desktop.store.engine import Database
from htx_desktop.store.paths import DataDir
from htx_desktop.store.reference import descendant_units, find_unit

WRITER = Path(__file__).with_name("crash_writer.py")
KILLS = 30
BUDGET = 50.0  # seconds


def commune_id(data_dir: DataDir) -> int:
    db = Database.open(data_dir)
    try:
        with db.session() as session:
            province = find_unit(session, "19")
            assert province is not None
            return next(u.id for u in descendant_units(session, province.id) if u.level == "xa")
    finally:
        db.close()


def wait_for_line(out: Path, proc: subprocess.Popen[bytes], deadline: float,
                  lines: int = 1) -> None:
    """Until the writer has printed `lines` lines (READY, then one id per saved record)."""
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= lines:
            return
        time.sleep(0.01)


def check(db_path: Path, reported: set[str]) -> int:
    """Integrity ok and every reported id present; returns the number of people."""
    with closing(sqlite3.connect(db_path)) as conn:
        assert [r[0] for r in conn.execute("PRAGMA integrity_check")] == ["ok"]
        present = {r[0] for r in conn.execute("SELECT id FROM people")}
    lost = reported - present
    assert not lost, f"{len(lost)} saved records lost, e.g. {sorted(lost)[:3]}"
    return len(present)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_at_random_moments_loses_nothing_saved(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path / "data").ensure()
    assert run(["--data-dir", str(data_dir.root), "init", "--unit", "19"]) == 0
    unit = commune_id(data_dir)
    rng = random.Random(int(os.environ.get("HTX_CRASH_SEED", "7")))
    reported: set[str] = set()
    started = time.monotonic()
    rounds = mid_write = 0
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    while rounds < KILLS and time.monotonic() - started < BUDGET:
        rounds += 1
        out = tmp_path / f"out-{rounds}.txt"
        with out.open("wb") as sink:
            proc = subprocess.Popen(
                [sys.executable, str(WRITER), str(data_dir.root), str(unit), str(rounds)],
                stdout=sink, stderr=subprocess.PIPE, env=env)
        try:
            if rng.random() < 0.2:  # sometimes during start-up (opening, checking the schema)
                time.sleep(rng.uniform(0.0, 0.6))
            else:
                # READY and a first saved record: the kill lands while it keeps writing,
                # however slow a loaded machine makes the start.
                wait_for_line(out, proc, time.monotonic() + 15, lines=2)
                time.sleep(rng.uniform(0.0, 0.25))
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait(10)
            if proc.stderr:
                proc.stderr.close()
        lines = out.read_bytes().split(b"\n")[:-1]  # a cut-off last line was not reported
        ids = {line.decode() for line in lines if line and line != b"READY"}
        mid_write += bool(ids)
        reported |= ids
        check(data_dir.db_path, reported)
    assert rounds >= 10, "too few rounds within the time budget"
    assert mid_write >= rounds // 2, "most kills should land while records are being written"
    assert len(reported) > rounds  # the writer did save records between kills
    db = Database.open(data_dir)  # the program itself opens it again, quick_check included
    db.close()
