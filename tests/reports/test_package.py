"""The package writer: entries, manifest, schemas, determinism of data.json, atomicity."""

from __future__ import annotations

import errno
import hashlib
import json
import subprocess
import sys
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from htx_desktop.receiving.schemas import validate_data, validate_manifest
from htx_desktop.reports import package as package_module
from htx_desktop.reports import pdf as pdf_module
from htx_desktop.reports.errors import PackageError
from htx_desktop.reports.package import package_name, write_package
from htx_desktop.reports.wording import admin_date

ENTRIES = ["data.json", "bao-cao.xlsx", "bao-cao.pdf", "manifest.json"]
ICT = timezone(timedelta(hours=7))


def _read(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_four_top_level_entries_manifest_last(package: Path) -> None:
    assert package.name == "BC-DA01_19_2025_v1.zip"
    with zipfile.ZipFile(package) as zf:
        assert zf.namelist() == ENTRIES
        assert zf.testzip() is None


def test_manifest_checksums_and_fields(package: Path, make_inputs: Any, tmp_path: Path
                                       ) -> None:
    entries = _read(package)
    manifest = json.loads(entries["manifest.json"])
    assert set(manifest["files"]) == {"data.json", "bao-cao.xlsx", "bao-cao.pdf"}
    for name, info in manifest["files"].items():
        assert info["sha256"] == hashlib.sha256(entries[name]).hexdigest()
        assert info["bytes"] == len(entries[name])
    assert manifest["format"] == "htx-report-package"
    assert manifest["format_version"] == "1.0"
    assert manifest["program"]["name"] == "htx-desktop"
    assert manifest["unit"] == {"code": "19", "name": "Tỉnh Thái Nguyên", "level": "tinh"}
    assert manifest["parent_code"] is None
    assert manifest["period"] == {"label": "2025", "start": "2025-01-01", "end": "2025-12-31"}
    assert manifest["version"] == 1
    assert manifest["created_at"] == "2026-01-05T09:30:00+07:00"
    assert manifest["prepared_by"] == make_inputs(tmp_path)["prepared_by"]
    assert manifest["includes_personal_names"] is False
    assert manifest["children"] == []
    assert "chair" in manifest["management_positions"]


def test_both_schemas_validate(package: Path) -> None:
    entries = _read(package)
    validate_manifest(json.loads(entries["manifest.json"]))
    data = json.loads(entries["data.json"])
    validate_data(data)
    assert data["indicators"]["unit"] == "19"
    assert data["priority_counts"] and data["narrative"]["task1"]
    assert "created_at" not in data and "version" not in data


def test_data_json_identical_across_versions(tmp_path: Path, make_inputs: Any) -> None:
    first = write_package(**make_inputs(tmp_path / "a"))
    second = write_package(**make_inputs(
        tmp_path / "b", version=7, created_at=datetime(2026, 3, 9, 16, 1, 2, tzinfo=ICT)))
    assert second.name == "BC-DA01_19_2025_v7.zip"
    assert _read(first)["data.json"] == _read(second)["data.json"]
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        ia, ib = a.getinfo("data.json"), b.getinfo("data.json")
        assert (ia.date_time, ia.CRC, ia.compress_size) == (ib.date_time, ib.CRC, ib.compress_size)


def test_data_json_is_sorted_and_readable(package: Path) -> None:
    raw = _read(package)["data.json"].decode("utf-8")
    data = json.loads(raw)
    assert raw == json.dumps(data, ensure_ascii=False, sort_keys=True,
                             separators=(",", ":")) + "\n"
    assert "Phường Phan Đình Phùng" in raw  # ensure_ascii=False: Vietnamese stays readable


def test_failure_mid_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          make_inputs: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("máy in hỏng")

    monkeypatch.setattr(pdf_module, "render_pdf", broken)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(PackageError, match="Không tạo được gói báo cáo"):
        write_package(**make_inputs(out))
    assert list(out.iterdir()) == []


def test_disk_full_after_zipping_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                make_inputs: Any) -> None:
    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    # The temporary ZIP is complete when its flush to disk fails: it must still go.
    monkeypatch.setattr(package_module.os, "fsync", full)
    with pytest.raises(PackageError, match="Ổ đĩa đã đầy"):
        write_package(**make_inputs(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_indicators_of_another_unit_are_refused(tmp_path: Path, make_inputs: Any) -> None:
    inputs = make_inputs(tmp_path)
    inputs["indicators"] = {**inputs["indicators"], "unit": "05443"}
    with pytest.raises(PackageError, match="không phải của đơn vị"):
        write_package(**inputs)
    assert list(tmp_path.iterdir()) == []


def test_schema_refuses_names_without_quoting_them(package: Path) -> None:
    data = json.loads(_read(package)["data.json"])
    data["people"][0]["name"] = "Trần Thị Bí Mật"
    with pytest.raises(PackageError) as err:
        validate_data(data)
    assert "people/0" in str(err.value) and "Bí Mật" not in str(err.value)


def test_schema_refuses_incomplete_manifest(package: Path) -> None:
    manifest = json.loads(_read(package)["manifest.json"])
    del manifest["files"]["bao-cao.pdf"]
    with pytest.raises(PackageError, match=r"bao-cao\.pdf"):
        validate_manifest(manifest)
    manifest = json.loads(_read(package)["manifest.json"])
    manifest["created_at"] = "2026-01-05T09:30:00"  # no offset
    with pytest.raises(PackageError, match="created_at"):
        validate_manifest(manifest)


def test_names_and_dates_in_administrative_form() -> None:
    assert package_name("05443", "2023–2025", 3) == "BC-DA01_05443_2023-2025_v3.zip"
    assert admin_date(datetime(2026, 1, 5).date()) == "ngày 05 tháng 01 năm 2026"
    assert admin_date(datetime(2025, 12, 25).date()) == "ngày 25 tháng 12 năm 2025"
    assert admin_date(datetime(2025, 3, 9).date()) == "ngày 09 tháng 3 năm 2025"


def test_report_libraries_not_imported_with_the_writer() -> None:
    code = ("import sys, htx_desktop.reports.package; "
            "print('openpyxl' in sys.modules, 'reportlab' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parents[2])
    assert out.stdout.split() == ["False", "False"]
