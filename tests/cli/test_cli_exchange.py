"""`verify`, `import`, `submissions` as INTERFACES.md §1 and §2 promise: messages, JSON and
exit codes (refused → 1, already imported → 0, a mixed batch → 1 and says so)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from htx_desktop.cli import run
from tests.reports.exchange_helpers import (
    UNITS_3LEVEL,
    export,
    file_dump,
    make_folder,
    rewrite,
)


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("cli-exchange")
    commune = make_folder(root, "05443", seed=7, units_file=UNITS_3LEVEL)
    good = export(commune, "2025", root / "out")
    bad = rewrite(good, root / "bad.zip", manifest=lambda m: m.update(format_version="2.1"))
    return {"root": root, "good": good, "bad": bad}


@pytest.fixture
def district(setup: dict[str, Any], tmp_path: Path) -> Path:
    return make_folder(tmp_path, "164", units_file=UNITS_3LEVEL)


def test_verify(setup: dict[str, Any], district: Path,
                capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "--data-dir", str(district), "verify", str(setup["good"]))
    assert code == 0 and "hợp lệ" in out and "05443" in out
    code, _, err = cli(capsys, "--data-dir", str(district), "verify", str(setup["bad"]))
    assert code == 1
    assert "Gói được tạo bởi phiên bản mới hơn của chương trình; hãy cập nhật HTX Desktop." in err
    assert "Traceback" not in err


def test_import_exit_codes(setup: dict[str, Any], district: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    d = str(district)
    before = file_dump(district)
    code, out, _ = cli(capsys, "--data-dir", d, "import", "--accept-new-key",
                       "--dry-run", str(setup["good"]))
    assert code == 0 and "Xem trước" in out and "phiên bản 1" in out
    assert file_dump(district) == before

    code, out, err = cli(capsys, "--data-dir", d, "import", "--accept-new-key", str(setup["good"]),
                         str(setup["bad"]))
    assert code == 1, "a mixed batch exits 1"
    assert "nhận gói của Phường Trưng Vương" in out
    assert "bị từ chối" in err and "1/2 gói bị từ chối" in err
    log = (district / "logs" / "import.log").read_text(encoding="utf-8")
    assert "bad.zip" in log

    code, out, _ = cli(capsys, "--data-dir", d, "import", "--accept-new-key", str(setup["good"]))
    assert code == 0 and "đã nhận gói này trước đây" in out

    code, out, _ = cli(capsys, "--data-dir", d, "import", "--accept-new-key",
                       "--json", str(setup["good"]))
    assert code == 0
    (pkg,) = json.loads(out)["packages"]
    assert pkg["outcome"] == "already_imported" and pkg["unit"] == "05443"


def test_submissions_and_reminder(setup: dict[str, Any], district: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    d = str(district)
    assert cli(capsys, "--data-dir", d, "import", "--accept-new-key", str(setup["good"]))[0] == 0
    code, out, _ = cli(capsys, "--data-dir", d, "submissions", "--period", "2025", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["period"] == "2025"
    rows = {r["code"]: r for r in data["units"]}
    assert set(rows) == {"05443", "05449", "05494", "05503"}
    assert rows["05443"]["status"] == "accepted" and rows["05443"]["version"] == 1
    assert isinstance(rows["05443"]["on_time"], bool) and rows["05443"]["received_at"]
    assert {k: rows["05449"][k] for k in ("code", "name", "status", "version", "received_at",
                                          "on_time", "review")} == {
        "code": "05449", "name": "Phường Phan Đình Phùng", "status": "missing", "version": None,
        "received_at": None, "on_time": None, "review": None}
    assert rows["05443"]["review"] == "received"  # issue 21: not reviewed yet
    # Timeliness (issue 21 point 4): the package was made after 25/12/2025.
    assert data["deadline"] == "2025-12-25" and data["deadline_default"] is True
    assert rows["05443"]["timeliness"] == "late" and rows["05443"]["days_late"] > 0
    assert rows["05443"]["arrived_on"] is not None
    assert rows["05449"]["timeliness"] == "overdue" and rows["05449"]["arrived_on"] is None
    assert rows["05449"]["awaiting_resend"] is False
    code, out, _ = cli(capsys, "--data-dir", d, "submissions", "--period", "2025")
    assert code == 0 and "Đã nộp: 1/4 đơn vị." in out
    assert "Kính gửi Hội LHPN: Phường Phan Đình Phùng, " in out
    assert "Hạn gửi báo cáo kết quả thực hiện Đề án năm 2025 là ngày 25/12/2025" in out
    assert "Lịch sử các gói đã nhận:" in out and setup["good"].name in out


def test_wrong_period_is_usage(district: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = cli(capsys, "--data-dir", str(district), "submissions", "--period", "20x5")
    assert code == 2
