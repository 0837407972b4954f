"""Shared helpers of the benchmark scripts: timing statistics, children with their own peak
memory, cached demo data folders, and the result record each script prints.

Every figure is compared with a *floor* measured in the same run on the same machine, so that
a slow or busy machine moves both and the ratio stays meaningful. Peak memory is the child
process's own `ru_maxrss` (from `os.wait4`), so one measurement's memory never includes another
one's, nor the data generation that preceded it.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("HTX_BENCH_CACHE", "/tmp/htx-bench-cache"))
PYTHON = sys.executable
HOME_PROVINCE = "19"  # Thái Nguyên: 92 communes
RESULT_MARK = "HTX_BENCH_RESULT "


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def run_child(args: Sequence[str], *, env: dict[str, str] | None = None,
              timeout: float = 3600) -> tuple[float, str]:
    """Run a command; return (wall seconds, stdout). Raises on failure."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env or child_env(), cwd=ROOT)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{args[:4]} failed ({proc.returncode}):\n{err.decode()[-3000:]}")
    return wall, out.decode()


def run_child_rss(args: Sequence[str], *, env: dict[str, str] | None = None,
                  timeout: float = 3600) -> tuple[float, float, str]:
    """Like run_child, reaping the child with os.wait4 so its own peak RSS (MB) is known.
    Output goes to a file, not a pipe, so the child never blocks on a full pipe."""
    out_path = CACHE / f"child-{os.getpid()}-{time.monotonic_ns()}.out"
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(out_path, "wb") as out, open(out_path.with_suffix(".err"), "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(args), stdout=out, stderr=err, env=env or child_env(),
                                cwd=ROOT)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                raise TimeoutError(args)
            time.sleep(0.002)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = out_path.read_text(encoding="utf-8", errors="replace")
    errors = out_path.with_suffix(".err").read_text(encoding="utf-8", errors="replace")
    out_path.unlink(missing_ok=True)
    out_path.with_suffix(".err").unlink(missing_ok=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{list(args)[:4]} failed ({proc.returncode}):\n{errors[-3000:]}")
    return wall, usage.ru_maxrss / 1024, text  # Linux: ru_maxrss is in KiB


def self_rss_mb() -> float:
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_result(text: str) -> dict[str, Any]:
    """The JSON a `--child` mode printed on its result line."""
    for line in reversed(text.splitlines()):
        if line.startswith(RESULT_MARK):
            return dict(json.loads(line[len(RESULT_MARK):]))
    raise RuntimeError(f"no result line in child output:\n{text[-2000:]}")


def print_child_result(value: dict[str, Any]) -> None:
    print(RESULT_MARK + json.dumps(value), flush=True)


def htx(*args: str) -> str:
    """Run the program's own command line (the documented way to make demo data)."""
    return run_child([PYTHON, "-m", "htx_desktop", *args])[1]


def demo_data_dir(scale: float) -> Path:
    """A data folder: `init --unit 19` then `demo --scale <scale>`, made once and cached
    (the benchmark that writes into it works on a copy, see `fresh_copy`)."""
    folder = CACHE / f"demo-scale-{scale:g}"
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        htx("--data-dir", str(folder), "init", "--unit", HOME_PROVINCE,
            "--officer", "Nguyễn Thị Hoa", "--position", "Chuyên viên", "--phone", "0912345678")
        htx("--data-dir", str(folder), "demo", "--scale", f"{scale:g}")
        done.write_text("ok")
    return folder


def fresh_copy(source: Path, name: str) -> Path:
    """A private copy of a cached data folder (so a benchmark's writes never accumulate)."""
    target = CACHE / "work" / name
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("backups"))
    (target / "backups").mkdir(exist_ok=True)
    return target


def result(name: str, **fields: Any) -> dict[str, Any]:
    return {"benchmark": name, **fields}
