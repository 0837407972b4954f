"""Cold start to a usable main window, against a bare PySide6 QMainWindow started the same way.

Each start is a fresh `python` process (offscreen Qt); the figure is the wall time from spawn
to *usable*, median of 5 (the OS file cache is warm after the first run on both sides: this is
a fresh process, not a cold disk). The program starts on the province's demo data folder
(scale 1) with HTX_SMOKE_TEST=1, the hook in `app.run_gui` that prints, as it happens:
`shown` (the event loop turned once after `show()`), `usable` (the first page's content is on
screen: the figures kept from the last start, marked as such, or the fresh ones), `ready` (the
database is open: every click is served at once) and `fresh` (the first page's figures
recomputed), then quits. The bare window prints `usable` after the same first turn of its
event loop. Reported: each mark as seconds and as a ratio to the bare window; the same with
no kept figures (the first start after an install or an upgrade: usable = fresh); spawn to
process exit (the teardown is not part of the start).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    PYTHON,
    child_env,
    demo_data_dir,
    fresh_copy,
    median,
    print_child_result,
    result,
    run_child,
    run_child_rss,
)

BARE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow()
w.setWindowTitle("bare")
w.resize(1200, 800)
w.show()
def usable():
    print(f"usable {time.time():.4f}", flush=True)
    QTimer.singleShot(0, app.quit)
QTimer.singleShot(0, usable)
sys.exit(app.exec())
"""


MARKS = ("shown", "usable", "ready", "fresh")


def start(args: list[str], env: dict[str, str]) -> tuple[dict[str, float], float]:
    """One start: seconds from spawn to each mark the child printed, and its peak RSS (MB)."""
    spawned = time.time()
    wall, rss, out = run_child_rss(args, env=env)
    marks = {line.split()[0]: float(line.split()[1]) - spawned
             for line in out.splitlines() if line.split()[:1] and line.split()[0] in MARKS}
    if "usable" not in marks:
        raise RuntimeError(f"{args[:4]}: no 'usable' mark in its output:\n{out[-2000:]}")
    marks["exit"] = wall
    return marks, rss


def measure(name: str, data_dir: Path, runs: int, env: dict[str, str],
            keep_figures: bool = True) -> dict[str, object]:
    app_args = [PYTHON, "-m", "htx_desktop", "--data-dir", str(data_dir)]
    kept = data_dir / "cache" / "dashboard.json"
    # One unmeasured run of each: the first migration and daily backup, the page cache, and
    # the figures kept for the next start.
    run_child([PYTHON, "-c", BARE], env=env)
    run_child(app_args, env=env)
    bare: list[dict[str, float]] = []
    app: list[dict[str, float]] = []
    bare_rss, app_rss = [], []
    for _ in range(runs):  # interleaved, so machine noise hits both alike
        marks, rss = start([PYTHON, "-c", BARE], env)
        bare.append(marks)
        bare_rss.append(rss)
        if not keep_figures:
            kept.unlink(missing_ok=True)
        marks, rss = start(app_args, env)
        app.append(marks)
        app_rss.append(rss)
    floor = median([m["usable"] for m in bare])
    figures: dict[str, object] = {}
    for mark in MARKS:
        seconds = median([m[mark] for m in app])
        figures[f"{mark}_s"] = seconds
        figures[f"{mark}_ratio"] = seconds / floor
    usable = [m["usable"] for m in app]
    return result(
        name, value_s=median(usable), floor_s=floor, ratio=median(usable) / floor,
        target_ratio=3.0, **figures,
        exit_s=median([m["exit"] for m in app]), floor_exit_s=median([m["exit"] for m in bare]),
        peak_rss_mb=max(app_rss), floor_rss_mb=max(bare_rss), runs=runs,
        samples_s=usable, floor_samples_s=[m["usable"] for m in bare])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--national", action="store_true")
    args = parser.parse_args()
    env = child_env(HTX_SMOKE_TEST="1")
    runs = 3 if args.quick else 5
    data_dir = fresh_copy(demo_data_dir(1), "startup")
    print_child_result(measure("startup", data_dir, runs, env))
    # The first start after an install or an upgrade: no figures kept yet.
    print_child_result(measure("startup_no_kept_figures", data_dir, 3, env,
                               keep_figures=False))
    # The same start on 20 times the province's data: what grows with the database
    # (the integrity check at open, the dashboard's figures).
    big = fresh_copy(demo_data_dir(20), "startup-20")
    print_child_result(measure("startup_scale20", big, 3, env))


if __name__ == "__main__":
    main()
