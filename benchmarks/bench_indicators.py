"""Indicators CT1–CT9 for the province over a phase: snapshot (`build_dataset`) + engine
(`compute_indicators`), at demo scale 1 and 20, each in its own process (its own peak RSS).

Floor: reading every row of the tables the snapshot reads with the bare sqlite3 module
(`SELECT *`, fetchall) — what any program must do to look at the data once.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    PYTHON,
    child_result,
    demo_data_dir,
    median,
    print_child_result,
    result,
    run_child_rss,
    self_rss_mb,
)

PERIOD = "phase1"
TABLES = ("units", "cooperatives", "cooperative_sectors", "cooperative_years", "ocop_products",
          "management_positions", "people", "cadres", "events", "event_topics",
          "event_funding", "attendances", "job_placements", "support", "communications",
          "awards", "plan_line_status")


def floor_read(db_path: Path) -> float:
    start = time.perf_counter()
    conn = sqlite3.connect(db_path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    for table in TABLES:
        if table in names:
            conn.execute(f"SELECT * FROM {table}").fetchall()
    conn.close()
    return time.perf_counter() - start


def child(folder: Path, profile: bool) -> None:
    start = time.perf_counter()
    from htx_desktop.domain.periods import parse_period
    from htx_desktop.reports.figures import indicators_for_unit
    from htx_desktop.store.engine import Database
    from htx_desktop.store.paths import DataDir
    from htx_desktop.store.settings import home_unit
    from htx_desktop.store.snapshot import build_dataset
    imports = time.perf_counter() - start

    db = Database.open(DataDir(folder), check=False)
    period = parse_period(PERIOD)

    def work() -> tuple[float, float, int]:
        with db.session() as session:
            unit = home_unit(session)
            assert unit is not None
            t0 = time.perf_counter()
            dataset = build_dataset(session, unit.id)
            t1 = time.perf_counter()
            indicators_for_unit(session, unit.id, period, dataset)
            t2 = time.perf_counter()
        return t1 - t0, t2 - t1, len(dataset.cooperatives)

    if profile:
        import cProfile
        import pstats
        prof = cProfile.Profile()
        prof.runcall(work)
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
    snapshot_s, engine_s, coops = work()
    print_child_result({"snapshot_s": snapshot_s, "engine_s": engine_s, "imports_s": imports,
                        "cooperatives": coops, "rss_mb": self_rss_mb()})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--child", type=Path)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.profile)
        return
    runs = 1 if args.quick else 3
    for scale in (1, 20):
        folder = demo_data_dir(scale)
        floors, totals, rss, parts = [], [], [], []
        for _ in range(runs):
            floors.append(floor_read(folder / "htx.sqlite3"))
            _wall, peak, out = run_child_rss([PYTHON, __file__, "--child", str(folder)])
            r = child_result(out)
            totals.append(r["snapshot_s"] + r["engine_s"])
            parts.append(r)
            rss.append(peak)
        best = min(range(runs), key=lambda i: totals[i])
        print_child_result(result(
            f"indicators_scale{scale}", value_s=median(totals), floor_s=median(floors),
            ratio=median(totals) / median(floors), snapshot_s=parts[best]["snapshot_s"],
            engine_s=parts[best]["engine_s"], cooperatives=parts[best]["cooperatives"],
            peak_rss_mb=max(rss), runs=runs))


if __name__ == "__main__":
    main()
