"""The national case of issue 10: making and importing about 3,300 commune packages.

Run through `bench_import.py --national` (and so `run_all.py --national`), or alone:
`python benchmarks/bench_import_national.py [--sample N]`.

Generation, honestly but cheaply, in-process with the program's own writer: the national unit
list has no national root (the 34 provinces have no parent, and `descendant_units` walks down
from one unit), so demo data is made once per province — an in-memory copy of one
reference-loaded template, home unit = the province, `generate_demo(scale=1)` with the
province's code as seed (so record ids never repeat between provinces) — and then, for each
commune, its own `build_dataset`, indicators, activity, workbook and PDF are written by
`write_package` exactly as `export` would (a tiny, empty narrative: the officer's texts are not
what is measured). Packages are cached under $HTX_BENCH_CACHE/national-<hash of the program and
package format version>/<province>/ and reused by reruns; the generation time of each province
is stored with them and reported separately.

Import: since there is no national root to be the home unit, each province's communes go into
that province's own fresh data folder (`init --unit <province>`), one `import_packages` call
per province — one command, one backup, one transaction, as the province officer would — and
the figure reported is the SUM over the 34 provinces plus the largest province. Every outcome
must be ACCEPTED: the receiving side recomputes each package's indicators (`read_package`) and
checks its signature (each commune signs with its own key, learnt on import as an officer
confirming every first key would), so an accepted package is a verified one. The import runs
in a child process of its own, so its peak RSS excludes the generation. The floor is reading
and hashing every file.

With `--sample N` only about N packages are made and imported (a stratified subset: every k-th
commune of every province, so all provinces and both large and small ones are in it) and the
times are extrapolated linearly to all communes; the result says so.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    CACHE,
    PYTHON,
    child_result,
    print_child_result,
    result,
    run_child_rss,
    self_rss_mb,
)

PERIOD = "2025"
OFFICER = {"name": "Nguyễn Thị Hoa", "position": "Chuyên viên", "phone": "0912345678"}


def cache_root() -> Path:
    """Keyed by the program's version and the package format: a new writer, a new set."""
    from htx_desktop import __version__
    from htx_desktop.reports.package import FORMAT_VERSION

    key = hashlib.sha256(f"{__version__}|{FORMAT_VERSION}|scale1|seed=province".encode())
    return CACHE / f"national-{key.hexdigest()[:12]}"


# Linux counts the memory a process had before exec() in its peak RSS, so a child started
# from a large process (this one after the 92-package import, or after generating) would
# report the parent's size. A small Python in between starts the real child from a small
# image and passes its own wait4 figure back.
_CLEAN_RSS = """
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
_pid, status, usage = os.wait4(proc.pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_clean_rss(args: list[str]) -> tuple[float, str]:
    """(peak RSS in MB of the command alone, its stdout)."""
    rss_file = CACHE / f"rss-{time.monotonic_ns()}.txt"
    _wall, _helper_rss, out = run_child_rss([PYTHON, "-c", _CLEAN_RSS, str(rss_file), *args],
                                            timeout=4 * 3600)
    kib = int(rss_file.read_text())
    rss_file.unlink()
    return kib / 1024, out


def stride_for(sample: int | None, total: int) -> int:
    return 1 if not sample or sample >= total else max(1, round(total / sample))


def generate(root: Path, stride: int) -> None:
    """Make the packages of the provinces not made yet (each province's are kept apart)."""
    from sqlalchemy import select

    from htx_desktop.demo.generate import generate_demo
    from htx_desktop.domain.periods import parse_period
    from htx_desktop.reports.figures import activity_for_unit, indicators_for_unit
    from htx_desktop.reports.package import write_package
    from htx_desktop.reports.signing import UnitKey
    from htx_desktop.store.engine import memory_database
    from htx_desktop.store.models import Unit
    from htx_desktop.store.reference import descendant_units, load_reference, load_targets
    from htx_desktop.store.settings import management_positions, set_setting
    from htx_desktop.store.snapshot import build_dataset

    period = parse_period(PERIOD)
    template = memory_database()
    with template.session() as session:
        load_reference(session)
        provinces = [(u.id, u.code) for u in session.scalars(
            select(Unit).where(Unit.parent_id.is_(None), Unit.level == "tinh",
                               Unit.valid_to.is_(None)).order_by(Unit.code))]
    for province_id, code in provinces:
        folder = root / f"stride-{stride}" / code
        done = folder / ".complete.json"
        if done.exists():
            continue
        shutil.rmtree(folder, ignore_errors=True)
        start = time.perf_counter()
        db = template.clone_in_memory()
        paths: list[Path] = []
        with db.session() as session:
            load_targets(session, province_id)
            set_setting(session, "home_unit_id", str(province_id))
            generate_demo(session, province_id, seed=int(code), scale=1.0, today=date.today())
            demo_s = time.perf_counter() - start
            positions = list(management_positions(session))
            communes = [u for u in descendant_units(session, province_id, include_self=False)
                        if u.level == "xa"]
            for unit in communes[::stride]:
                data = build_dataset(session, unit.id)
                paths.append(write_package(
                    dataset=data,
                    indicators=indicators_for_unit(session, unit.id, period, data).to_json(),
                    activity=activity_for_unit(session, unit.id, period, data),
                    unit={"code": unit.code, "name": unit.name, "level": unit.level,
                          "parent_code": code},
                    period_label=period.label, period_start=period.start,
                    period_end=period.end, version=1, prepared_by=OFFICER, narrative={},
                    management_positions=positions, place=unit.name, report_number=1,
                    out_dir=folder, created_at=datetime.now().astimezone(),
                    signing_key=UnitKey.generate()))
        db.close()
        info = {"seconds": round(time.perf_counter() - start, 2), "demo_s": round(demo_s, 2),
                "communes": len(communes), "packages": len(paths)}
        done.write_text(json.dumps(info))
        print(f"  {code}: {len(paths)}/{len(communes)} packages, {info['seconds']} s "
              f"(demo {info['demo_s']} s)", flush=True)
    template.close()
    (root / f"stride-{stride}" / ".complete").write_text(str(len(provinces)))


def packages(root: Path, stride: int) -> dict[str, Any]:
    """Make the set if needed — in a child process, so that this process stays small and the
    import child it forks later does not inherit its memory in its peak RSS — then return
    {province: {"paths", "seconds", "demo_s", "communes", "packages"}} from the cache."""
    sets = root / f"stride-{stride}"
    if not (sets / ".complete").exists():
        run_child_rss([PYTHON, __file__, "--generate-child", str(stride)], timeout=4 * 3600)
    out: dict[str, Any] = {}
    for done in sorted(sets.glob("*/.complete.json")):
        out[done.parent.name] = {**json.loads(done.read_text()),
                                 "paths": sorted(done.parent.glob("*.zip"))}
    assert len(out) == int((sets / ".complete").read_text()), "incomplete package set"
    return out


def import_child(sets: Path, work: Path) -> None:
    """In a process of its own: one fresh data folder and one import per province."""
    from htx_desktop.cli import run
    from htx_desktop.receiving.importer import ACCEPTED, Trust, import_packages
    from htx_desktop.store.engine import Database
    from htx_desktop.store.paths import DataDir

    per_province: dict[str, float] = {}
    records = 0
    for folder in sorted(p for p in sets.iterdir() if p.is_dir()):
        paths = sorted(folder.glob("*.zip"))
        target = work / folder.name
        shutil.rmtree(target, ignore_errors=True)
        assert run(["--data-dir", str(target), "init", "--unit", folder.name]) == 0
        db = Database.open(DataDir(target), check=False)
        start = time.perf_counter()
        # Every commune's first package: its key is learnt, its signature checked.
        outcomes = import_packages(db, paths, trust=Trust(accept_new_keys=True))
        per_province[folder.name] = time.perf_counter() - start
        db.close()
        bad = [o for o in outcomes if o.outcome != ACCEPTED or o.signer_fingerprint is None]
        assert not bad, bad[0].describe()
        assert len(outcomes) == len(paths)
        records += sum(o.new_records for o in outcomes)
        shutil.rmtree(target, ignore_errors=True)
    print_child_result({"per_province": per_province, "records": records,
                        "rss_mb": self_rss_mb()})


def floor(paths: list[Path]) -> float:
    start = time.perf_counter()
    for p in paths:
        hashlib.sha256(p.read_bytes()).hexdigest()
    return time.perf_counter() - start


def run_national(sample: int | None) -> dict[str, Any]:
    root = cache_root()
    total_communes = 3321  # the current national list (vietnam_provinces); checked below
    stride = stride_for(sample, total_communes)
    print(f"… packages of {'all' if stride == 1 else f'every {stride}th of the'} communes in "
          f"{root} (made once, about 5 minutes for all)", flush=True)
    sets = packages(root, stride)
    communes = sum(s["communes"] for s in sets.values())
    paths = [p for s in sets.values() for p in s["paths"]]
    gen_s = sum(s["seconds"] for s in sets.values())
    demo_s = sum(s["demo_s"] for s in sets.values())
    print(f"… importing {len(paths)} packages, one call per province", flush=True)
    rss, text = run_clean_rss(
        [PYTHON, __file__, "--import-child", str(root / f"stride-{stride}"),
         str(CACHE / "work" / "national-import")])
    child = child_result(text)
    per = child["per_province"]
    import_s = sum(per.values())
    largest = max(sets, key=lambda c: len(sets[c]["paths"]))
    floor_s = min(floor(paths) for _ in range(3))
    scale = communes / len(paths)  # 1.0 for the full set
    size = sum(p.stat().st_size for p in paths)
    return result(
        "import_national_communes", communes_in_list=communes, packages=len(paths),
        sampled=stride > 1, stride=stride, extrapolated_to=communes if stride > 1 else None,
        megabytes=round(size / 1e6, 1), records=child["records"],
        import_s=round(import_s * scale, 1), import_measured_s=round(import_s, 1),
        floor_read_hash_s=round(floor_s * scale, 3),
        ratio=round(import_s / floor_s, 1),
        per_package_ms=round(1000 * import_s / len(paths), 1),
        largest_province={"code": largest, "packages": len(sets[largest]["paths"]),
                          "import_s": round(per[largest], 2)},
        slowest_province={"code": max(per, key=per.get),
                          "import_s": round(max(per.values()), 2)},
        # The demo data is made once per province whatever the sample; only the writing scales.
        generation_s=round(demo_s + (gen_s - demo_s) * scale, 1),
        generation_measured_s=round(gen_s, 1), generation_demo_data_s=round(demo_s, 1),
        peak_rss_mb=round(rss), home_unit="each province (the list has no national root)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", type=int, help="about this many packages, extrapolated")
    parser.add_argument("--import-child", nargs=2, metavar=("SETS", "WORK"))
    parser.add_argument("--generate-child", type=int, metavar="STRIDE")
    args = parser.parse_args()
    if args.generate_child:
        generate(cache_root(), args.generate_child)
        return
    if args.import_child:
        import_child(Path(args.import_child[0]), Path(args.import_child[1]))
        return
    print(run_national(args.sample))


if __name__ == "__main__":
    main()
