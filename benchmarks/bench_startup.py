"""Cold start to a usable main window, against a bare PySide6 QMainWindow started the same way.

Each start is a fresh `python` process (offscreen Qt) that shows its window, lets the event loop
turn once and quits; the figure is the wall time from spawn to exit, median of 5 (the OS file
cache is warm after the first run on both sides: this is a fresh process, not a cold disk).
The program starts on the province's demo data folder (scale 1) with HTX_SMOKE_TEST=1, the hook
in `app.run_gui` that quits once the window is shown.
"""

from __future__ import annotations

import argparse
import sys
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
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow()
w.setWindowTitle("bare")
w.resize(1200, 800)
w.show()
QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--national", action="store_true")
    args = parser.parse_args()
    runs = 3 if args.quick else 5
    data_dir = fresh_copy(demo_data_dir(1), "startup")
    env = child_env(HTX_SMOKE_TEST="1")
    # One unmeasured run of each: the first migration/backup, and the page cache.
    run_child([PYTHON, "-c", BARE], env=env)
    run_child([PYTHON, "-m", "htx_desktop", "--data-dir", str(data_dir)], env=env)
    bare, app, bare_rss, app_rss = [], [], [], []
    for _ in range(runs):  # interleaved, so machine noise hits both alike
        wall, rss, _out = run_child_rss([PYTHON, "-c", BARE], env=env)
        bare.append(wall)
        bare_rss.append(rss)
        wall, rss, _out = run_child_rss(
            [PYTHON, "-m", "htx_desktop", "--data-dir", str(data_dir)], env=env)
        app.append(wall)
        app_rss.append(rss)
    print_child_result(result(
        "startup", value_s=median(app), floor_s=median(bare), ratio=median(app) / median(bare),
        target_ratio=3.0, peak_rss_mb=max(app_rss), floor_rss_mb=max(bare_rss),
        runs=runs, samples_s=app, floor_samples_s=bare))
    # The same start on 20 times the province's data: what grows with the database
    # (the integrity check at open, the overview page's counts).
    big = fresh_copy(demo_data_dir(20), "startup-20")
    run_child([PYTHON, "-m", "htx_desktop", "--data-dir", str(big)], env=env)
    big_times, big_rss, floor_again = [], [], []
    for _ in range(3):
        wall, rss, _out = run_child_rss([PYTHON, "-c", BARE], env=env)
        floor_again.append(wall)
        wall, rss, _out = run_child_rss(
            [PYTHON, "-m", "htx_desktop", "--data-dir", str(big)], env=env)
        big_times.append(wall)
        big_rss.append(rss)
    print_child_result(result(
        "startup_scale20", value_s=median(big_times), floor_s=median(floor_again),
        ratio=median(big_times) / median(floor_again), target_ratio=3.0,
        peak_rss_mb=max(big_rss), runs=3, samples_s=big_times))


if __name__ == "__main__":
    main()
