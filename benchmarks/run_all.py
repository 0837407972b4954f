"""Run every benchmark and print one table: `python benchmarks/run_all.py [--quick] [--national]`.

Not part of the test suite (pytest only collects tests/). Each `bench_*.py` runs in its own
process under `nice`, reaped with os.wait4 so that its peak RSS is its own; the scripts print
their figures as `HTX_BENCH_RESULT {json}` lines. Demo data folders are made once with the
program's own `init` + `demo --scale` and cached in $HTX_BENCH_CACHE (default
/tmp/htx-bench-cache); delete that folder after changing the demo generator or the schema.

Results are written to benchmarks/results/latest.json together with the machine they came
from; docs/performance.md explains them.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import PYTHON, RESULT_MARK, ROOT, run_child_rss

HERE = Path(__file__).resolve().parent
ORDER = ("bench_startup.py", "bench_list_filter.py", "bench_save.py", "bench_indicators.py",
         "bench_export.py", "bench_import.py")


def machine() -> dict[str, Any]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import sqlalchemy
    from PySide6 import QtCore
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": round(ram_gb, 1),
            "os": platform.platform(), "python": platform.python_version(),
            "qt": QtCore.qVersion(), "pyside6": QtCore.__version__ if hasattr(
                QtCore, "__version__") else "?", "sqlalchemy": sqlalchemy.__version__,
            "sqlite": sqlite3.sqlite_version,
            "loadavg_at_start": os.getloadavg()}


def script_args(name: str, quick: bool, national: bool) -> list[str]:
    if name == "bench_import.py":  # the import engineer's script takes --runs
        args = ["--runs", "1" if quick else "3"]
        return [*args, "--national"] if national and _accepts(name, "--national") else args
    return [*(["--quick"] if quick else []), *(["--national"] if national else [])]


def _accepts(name: str, flag: str) -> bool:
    return flag in (HERE / name).read_text(encoding="utf-8")


def parse_results(out: str) -> list[dict[str, Any]]:
    found = []
    for line in out.splitlines():
        if line.startswith(RESULT_MARK):
            found.append(json.loads(line[len(RESULT_MARK):]))
        elif line.startswith("{'benchmark'"):  # a script printing its result dict
            found.append(ast.literal_eval(line))
    return found


def fmt_row(r: dict[str, Any]) -> str:
    value = r.get("value_s", r.get("import_s"))
    floor = r.get("floor_s", r.get("floor_read_hash_s"))
    ratio = r.get("ratio")
    rss = r.get("peak_rss_mb", r.get("process_peak_rss_mb"))

    def num(x: Any, unit: str = "", digits: int = 3) -> str:
        return "—" if x is None else f"{x:.{digits}f}{unit}"
    return (f"| {r['benchmark']} | {num(value, ' s')} | {num(floor, ' s')} | "
            f"{num(ratio, '×', 1)} | {num(rss, ' MB', 0)} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, scale 1 only")
    parser.add_argument("--national", action="store_true",
                        help="also the national scale (3,300 packages): long")
    parser.add_argument("--only", nargs="*", help="run only these scripts (bench_x.py)")
    args = parser.parse_args()

    info = machine()
    results: list[dict[str, Any]] = []
    failures: list[str] = []
    for name in ORDER:
        if args.only and name not in args.only:
            continue
        if not (HERE / name).exists():
            failures.append(f"{name}: not written yet (pending)")
            continue
        print(f"… {name}", flush=True)
        start = time.perf_counter()
        try:
            _wall, rss, out = run_child_rss(
                ["nice", PYTHON, str(HERE / name), *script_args(name, args.quick, args.national)],
                timeout=4 * 3600)
        except Exception as exc:  # one broken benchmark must not hide the others
            failures.append(f"{name}: {exc}")
            continue
        for r in parse_results(out):
            r.setdefault("process_peak_rss_mb", rss)
            r["script"] = name
            results.append(r)
        print(f"  {time.perf_counter() - start:.0f} s", flush=True)
    if args.national and not _accepts("bench_import.py", "--national"):
        failures.append("bench_import.py --national (3,300 packages): pending")

    print("\n| benchmark | program | floor | ratio | peak RSS |\n|---|---|---|---|---|")
    for r in results:
        print(fmt_row(r))
    for f in failures:
        print(f"! {f}")
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "latest.json").write_text(json.dumps(
        {"machine": info, "quick": args.quick, "national": args.national, "results": results,
         "failures": failures, "root": str(ROOT)}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8")
    return 1 if failures and not results else 0


if __name__ == "__main__":
    raise SystemExit(main())
