"""Keystroke to updated list, at 100,000+ cooperatives and 500,000+ people.

Data: the province's demo data at scale 20 (24,000 cooperatives, 135,000 people), multiplied
in SQL (each cooperative copied 4 more times, each person 3 more times, with new ids and names
suffixed " 2", " 3" …) to ≈ 122,000 cooperatives and ≈ 542,000 people. Made once and cached.

Measured: the real list page (`ui.list_page.ListPage`, offscreen) of cooperatives and of people.
For each keystroke of a typed search, the time from the search being applied (after the
page's SEARCH_DELAY_MS debounce, a deliberate pause that is not counted) to the model reset and
the visible rows painted (`processEvents`). Since issue 10's fix the model fetches only the
first window of ids per keystroke and the page counts the total after a pause: that COUNT is
measured apart (`count_*`). Floor: every matching id, sorted, by the model's own plain query
run with the bare sqlite3 module (what the model ran per keystroke before the fix, now with the
search index). `paths` tells how the model found each keystroke's window (`store/window_lookup.py`:
"split", "walk"; "few" and "plain" ran the plain query). Target: ≤ 50 ms per keystroke.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    CACHE,
    demo_data_dir,
    median,
    p95,
    print_child_result,
    result,
    self_rss_mb,
)

COOP_COPIES, PERSON_COPIES = 4, 3
TYPED = {"cooperative": "htx nong nghiep", "person": "nguyen thi"}


def big_data_dir() -> Path:
    folder = CACHE / "list-100k"
    done = folder / ".complete"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(demo_data_dir(20), folder, ignore=shutil.ignore_patterns("backups"))
    (folder / "backups").mkdir(exist_ok=True)
    conn = sqlite3.connect(folder / "htx.sqlite3", isolation_level=None)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("BEGIN")
    for table, copies, name_col in (("cooperatives", COOP_COPIES, "name"),
                                    ("people", PERSON_COPIES, "full_name")):
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        for k in range(2, copies + 2):
            exprs = []
            for c in cols:
                if c == "id":
                    exprs.append(f"id || '-{k}'")
                elif c in (name_col, "name_key"):
                    exprs.append(f"{c} || ' {k}'")
                elif c in ("converted_to_id", "tax_code", "id_number", "phone"):
                    exprs.append("NULL")
                else:
                    exprs.append(c)
            conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) "
                         f"SELECT {', '.join(exprs)} FROM {table} WHERE id NOT LIKE '%-_'")
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    done.write_text("ok")
    return folder


def floor_query(db_path: Path, sql: str, params: Any) -> float:
    from htx_desktop.domain.text import fold

    conn = sqlite3.connect(db_path)
    conn.create_function("htx_fold", 1, lambda s: fold(s) if s else "", deterministic=True)
    start = time.perf_counter()
    conn.execute(sql, params).fetchall()
    took = time.perf_counter() - start
    conn.close()
    return took


def measure(folder: Path, kind: str) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication
    from sqlalchemy.dialects import sqlite as sqlite_dialect

    from htx_desktop.store.engine import Database
    from htx_desktop.store.paths import DataDir
    from htx_desktop.ui.context import AppContext
    from htx_desktop.ui.list_page import ListPage
    from htx_desktop.ui.list_specs import cooperative_spec, person_spec

    app = QApplication.instance() or QApplication([])
    db = Database.open(DataDir(folder), check=False)
    ctx = AppContext.load(db, folder)
    assert ctx is not None
    spec = cooperative_spec() if kind == "cooperative" else person_spec()
    start = time.perf_counter()
    page = ListPage(ctx, spec)
    page.resize(1200, 700)
    page.show()
    app.processEvents()
    open_s = time.perf_counter() - start
    total = page.model.count_total()

    times, floors, counts, count_times, paths = [], [], [], [], []
    text = TYPED[kind]
    for i in range(1, len(text) + 1):
        page.search.setText(text[:i])
        start = time.perf_counter()
        page.apply_search()  # what the debounce timer calls
        app.processEvents()  # the view asks for, and paints, the visible rows
        times.append(time.perf_counter() - start)
        paths.append(page.model.last_path)
        start = time.perf_counter()
        page.count_rows()  # what the page runs once typing pauses
        count_times.append(time.perf_counter() - start)
        counts.append(page.model.total())
        compiled = page.model.id_query().compile(dialect=sqlite_dialect.dialect(),
                                                compile_kwargs={"render_postcompile": True})
        params = [compiled.params[k] for k in compiled.positiontup]
        floors.append(floor_query(folder / "htx.sqlite3", str(compiled), params))
    page.search.setText("")
    start = time.perf_counter()
    page.apply_search()
    app.processEvents()
    clear_s = time.perf_counter() - start
    page.close()
    db.close()
    return {"rows": total, "median_s": median(times), "p95_s": p95(times), "max_s": max(times),
            "floor_median_s": median(floors), "open_s": open_s, "clear_s": clear_s,
            "per_keystroke_ms": [round(t * 1000, 1) for t in times], "paths": paths,
            "matches": counts, "count_median_s": median(count_times),
            "count_max_s": max(count_times),
            "per_keystroke_count_ms": [round(t * 1000, 1) for t in count_times]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = big_data_dir()
    for kind in ("cooperative", "person"):
        if args.profile:
            import cProfile
            import pstats
            prof = cProfile.Profile()
            prof.runcall(measure, folder, kind)
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
            continue
        r = measure(folder, kind)
        print_child_result(result(
            f"list_filter_{kind}", value_s=r["max_s"], floor_s=r["floor_median_s"],
            ratio=r["median_s"] / r["floor_median_s"], target_s=0.050,
            peak_rss_mb=self_rss_mb(), **r))


if __name__ == "__main__":
    main()
