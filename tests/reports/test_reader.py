"""Hostile packages: each refused with its own message, quickly, and the database unchanged."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from htx_desktop.receiving.importer import ACCEPTED, REFUSED, import_packages
from htx_desktop.receiving.reader import PackageRefused, read_package
from htx_desktop.reports.package import write_package
from htx_desktop.store.engine import Database
from htx_desktop.store.models import RefusedPackage
from tests.reports.conftest import package_inputs
from tests.reports.exchange_helpers import (
    TRUST,
    dump,
    entries,
    export,
    make_folder,
    rewrite,
    write_zip,
)

COMMUNE = "05443"  # Phường Phan Đình Phùng, below the test database's home province 19


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real commune package, written by the program from demo data."""
    root = tmp_path_factory.mktemp("commune")
    folder = make_folder(root, COMMUNE, seed=3)
    return export(folder, "2025", root / "out")


def test_a_good_package_reads_and_recomputes(good: Path) -> None:
    pkg = read_package(good)
    assert pkg.unit_code == COMMUNE and pkg.version == 1 and pkg.period.label == "2025"
    assert pkg.dataset.cooperatives, "demo data travels in the package"


def _bomb(path: Path, size: int, others: dict[str, bytes] | None = None) -> Path:
    """data.json of `size` zero bytes, written as a stream (never `size` bytes in memory),
    beside the `others` entries (a real manifest: only the size can refuse it)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, raw in (others or {"manifest.json": b"{}"}).items():
            if name != "data.json":
                zf.writestr(name, raw)
        with zf.open("data.json", "w", force_zip64=True) as fh:
            block = bytes(1024 * 1024)
            for _ in range(size // len(block)):
                fh.write(block)
    return path


def _truncated(good: Path, out: Path) -> Path:
    """The first half of a good package: a download that stopped half-way."""
    out.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    return out


def _variants(good: Path, tmp: Path) -> dict[str, tuple[Path, str]]:
    files = entries(good)

    def bump_ct1(d: dict[str, Any]) -> None:
        ct1 = next(r for r in d["indicators"]["indicators"] if r["code"] == "CT1")
        ct1["value"] += 1

    def bad_kind(d: dict[str, Any]) -> None:
        d["cooperatives"][0]["kind"] = "bogus"

    def with_period(label: str) -> Any:
        return lambda m: m["period"].update(label=label)

    tampered = dict(files)
    tampered["data.json"] = files["data.json"].replace(b'"units"', b' "units"', 1)
    return {
        "folder": (write_zip(tmp / "folder.zip", {**{f"x/{k}": v for k, v in files.items()}}),
                   "thư mục"),
        "dotdot": (write_zip(tmp / "dotdot.zip", {**files, "../evil.txt": b"x"}), "thư mục"),
        "extra": (write_zip(tmp / "extra.zip", {"readme.txt": b"hi", **files}),
                  "không được phép (readme.txt)"),
        "checksum": (write_zip(tmp / "checksum.zip", tampered), "SHA-256"),
        "schema": (rewrite(good, tmp / "schema.zip", data=bad_kind),
                   "không đúng định dạng gói báo cáo 1.x"),
        "indicators": (rewrite(good, tmp / "ind.zip", data=bump_ct1), "chỉ tiêu CT1"),
        "period": (rewrite(good, tmp / "period.zip", manifest=with_period("2024")),
                   "không khớp kỳ báo cáo 2024"),
        "newer": (rewrite(good, tmp / "v2.zip",
                          manifest=lambda m: m.update(format_version="2.0")),
                  "Gói được tạo bởi phiên bản mới hơn của chương trình; hãy cập nhật "
                  "HTX Desktop."),
        "truncated": (_truncated(good, tmp / "t.zip"), "bị hỏng hoặc không trọn vẹn"),
        "ratio": (_bomb(tmp / "ratio.zip", 20 * 1024 * 1024, files), "vượt quá giới hạn"),
    }


def test_hostile_packages_are_refused_and_change_nothing(
        good: Path, tmp_path: Path, db: Database) -> None:
    variants = _variants(good, tmp_path)
    for name, (path, message) in variants.items():
        before = dump(db)
        with pytest.raises(PackageRefused) as info:
            read_package(path)
        assert message in str(info.value), (name, str(info.value))
        (outcome,) = import_packages(db, [path], trust=TRUST)
        assert outcome.outcome == REFUSED and message in outcome.reason, name
        assert dump(db) == before, name
    with db.session() as session:
        assert session.query(RefusedPackage).count() == len(variants)


def test_unit_not_below_home_is_refused(tmp_path: Path, db: Database) -> None:
    # A package of the province 19 itself, received by province 19.
    own = write_package(**package_inputs(tmp_path))
    before = dump(db)
    (outcome,) = import_packages(db, [own], trust=TRUST)
    assert outcome.outcome == REFUSED
    assert "không trực thuộc đơn vị sử dụng 19" in outcome.reason
    assert dump(db) == before


def test_a_gigabyte_zip_bomb_is_refused_quickly(good: Path, tmp_path: Path,
                                                db: Database) -> None:
    bomb = _bomb(tmp_path / "bomb.zip", 1024 * 1024 * 1024, entries(good))
    assert bomb.stat().st_size < 10 * 1024 * 1024
    before = dump(db)
    start = time.perf_counter()
    (outcome,) = import_packages(db, [bomb], trust=TRUST)
    assert time.perf_counter() - start < 2.0
    assert outcome.outcome == REFUSED and "vượt quá giới hạn" in outcome.reason
    assert dump(db) == before


def test_the_good_package_is_then_accepted(good: Path, db: Database) -> None:
    (outcome,) = import_packages(db, [good], trust=TRUST)
    assert outcome.outcome == ACCEPTED, outcome.reason
