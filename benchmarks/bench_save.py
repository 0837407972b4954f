"""Saving a record through RecordService (validation, duplicate check, audit entry, commit)
against a bare one-row SQLite commit, both on a database file with WAL and synchronous=FULL.

The program's figure is one `db.session()` transaction per save, as the window does it: create
a cooperative (its duplicate check reads the commune's cooperatives), then update a person.
The floor: `INSERT` one row and `COMMIT` with the sqlite3 module, same pragmas, same folder.
Measured on a copy of the province's demo data (scale 1), median and 95th percentile.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    demo_data_dir,
    fresh_copy,
    median,
    p95,
    print_child_result,
    result,
    self_rss_mb,
)


def floor_commits(folder: Path, n: int) -> list[float]:
    conn = sqlite3.connect(folder / "floor.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, name TEXT, at TEXT)")
    times = []
    for i in range(n):
        start = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute("INSERT INTO t (name, at) VALUES (?, ?)", (f"Hợp tác xã {i}", "2025-01-01"))
        conn.execute("COMMIT")
        times.append(time.perf_counter() - start)
    conn.close()
    return times


def program_saves(folder: Path, n: int) -> tuple[list[float], list[float]]:
    from sqlalchemy import select

    from htx_desktop.store.engine import Database
    from htx_desktop.store.models import Person, Unit
    from htx_desktop.store.paths import DataDir
    from htx_desktop.store.service import RecordService

    db = Database.open(DataDir(folder))
    with db.session() as session:
        communes = list(session.scalars(select(Unit.id).where(Unit.level == "xa")
                                        .order_by(Unit.code)))
        people = list(session.scalars(select(Person.id).where(Person.deleted_at.is_(None))
                                      .order_by(Person.id).limit(n)))
    creates, updates = [], []
    today = date.today()
    for i in range(n):
        start = time.perf_counter()
        with db.session() as session:
            RecordService(session, "Benchmark", today=today).create("cooperative", {
                "unit_id": communes[i % len(communes)], "kind": "htx",
                "name": f"Hợp tác xã nông nghiệp thử nghiệm số {i}"})
        creates.append(time.perf_counter() - start)
    for i in range(n):
        start = time.perf_counter()
        with db.session() as session:
            RecordService(session, "Benchmark", today=today).update(
                "person", people[i % len(people)], {"phone": f"09{i:08d}"})
        updates.append(time.perf_counter() - start)
    db.close()
    return creates, updates


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    n = 50 if args.quick else 200
    folder = fresh_copy(demo_data_dir(1), "save")
    floor = floor_commits(folder, n)
    if args.profile:
        import cProfile
        import pstats
        prof = cProfile.Profile()
        prof.runcall(program_saves, folder, n)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
        return
    creates, updates = program_saves(folder, n)
    both = creates + updates
    print_child_result(result(
        "save", value_s=p95(both), floor_s=p95(floor), ratio=p95(both) / p95(floor),
        target_p95_s=0.010, median_s=median(both), floor_median_s=median(floor),
        create_median_s=median(creates), create_p95_s=p95(creates),
        update_median_s=median(updates), update_p95_s=p95(updates),
        peak_rss_mb=self_rss_mb(), runs=n))


if __name__ == "__main__":
    main()
