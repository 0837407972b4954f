"""Cold start to a usable main window, against a bare PySide6 QMainWindow started the same way.

Each start is a fresh `python` process (offscreen Qt) that shows its window, lets the event loop
turn once and quits; the figure is the wall time from spawn to exit, median of 5 (the OS file
cache is warm after the first run on both sides: this is a fresh process, not a cold disk).
The program starts on the province's demo data folder (scale 1) with HTX_SMOKE_TEST=1, the hook
in `app.run_gui` that quits once the window is shown.
"""

from __future__ import annotations

import argparse
import re
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


def top_imports(data_dir: Path, n: int = 8) -> list[tuple[str, float]]:
    """The slowest top-level packages at start (python -X importtime, cumulative µs)."""
    env = child_env(HTX_SMOKE_TEST="1")
    import subprocess
    proc = subprocess.run([PYTHON, "-X", "importtime", "-m", "htx_desktop", "--data-dir",
                           str(data_dir)], env=env, capture_output=True, text=True, check=True)
    totals: dict[str, float] = {}
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\s*)(\S+)", line)
        if m and len(m.group(2)) <= 1:  # top level (one space of indent)
            pkg = m.group(3).split(".")[0]
            totals[pkg] = totals.get(pkg, 0) + int(m.group(1)) / 1e6
    return sorted(totals.items(), key=lambda kv: -kv[1])[:n]


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
        runs=runs, samples_s=app, floor_samples_s=bare,
        dominated_by=[f"{k} {v:.2f}s" for k, v in top_imports(data_dir)]))


if __name__ == "__main__":
    main()
