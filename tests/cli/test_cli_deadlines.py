"""`deadline` (issue 21 point 4): the calendar listed with its defaults, a deadline set per
period and back to the default, a wrong date or period refused with nothing changed, and
`submissions` reading the calendar (its summary and `--reminder`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from htx_desktop.cli import run
from tests.reports.exchange_helpers import file_dump


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def province(tmp_path: Path) -> str:
    d = tmp_path / "province"
    assert run(["--data-dir", str(d), "init", "--unit", "19", "--officer", "Lê Thị Thu",
                "--position", "Phó Chủ tịch", "--phone", "0912345678"]) == 0
    return str(d)


def test_list_set_and_back_to_default(province: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "--data-dir", province, "deadline", "--list", "--json")
    assert code == 0
    listed = {d["period"]: d for d in json.loads(out)["deadlines"]}
    assert listed["2026"] == {"period": "2026", "due": "2026-12-25", "default": True,
                              "set_by": None, "set_at": None}
    assert listed["2023-2025"]["due"] == "2025-12-25"

    code, out, _ = cli(capsys, "--data-dir", province, "deadline", "--period", "2026",
                       "--due", "15/12/2026")
    assert code == 0
    assert out.strip() == "Đã đặt hạn nộp báo cáo năm 2026: 15/12/2026 (do Lê Thị Thu đặt)."
    code, out, _ = cli(capsys, "--data-dir", province, "deadline", "--period", "2026",
                       "--json")
    got = json.loads(out)
    assert (got["due"], got["default"], got["set_by"]) == ("2026-12-15", False, "Lê Thị Thu")
    assert got["set_at"].endswith("+00:00")
    code, out, _ = cli(capsys, "--data-dir", province, "deadline", "--list")
    assert "2026       15/12/2026 (do Lê Thị Thu đặt)" in out
    assert "2027       25/12/2027 (mặc định)" in out

    # The completeness list counts against it.
    code, out, _ = cli(capsys, "--data-dir", province, "submissions", "--period", "2026",
                       "--json")
    assert json.loads(out)["deadline"] == "2026-12-15"
    code, out, _ = cli(capsys, "--data-dir", province, "submissions", "--period", "2026",
                       "--reminder")
    assert code == 0 and out.startswith("Kính gửi Hội LHPN: ") and "15/12/2026" in out
    assert "Tình hình nộp báo cáo" not in out  # the reminder only

    code, out, _ = cli(capsys, "--data-dir", province, "deadline", "--period", "2026",
                       "--default")
    assert code == 0 and out.strip() == "Đã đặt hạn nộp báo cáo năm 2026: 25/12/2026 (mặc định)."


@pytest.mark.parametrize(("argv", "exit_code", "says"), [
    (("--period", "2026", "--due", "31/02/2026"), 1, "tháng 2/2026 chỉ có 28 ngày"),
    (("--period", "2026", "--due", "25/12/2029"), 1, "năm 2026 hoặc năm 2027"),
    (("--period", "2026", "--due", "hôm nay"), 1, "chưa phải là ngày"),
    (("--period", "2031", "--due", "25/12/2031"), 2, "ngoài các năm của Đề án"),
    (("--list", "--due", "25/12/2026"), 1, "chỉ dùng cùng --period"),
    (("--list", "--period", "2026"), 2, "--period"),
    ((), 2, "--list"),
])
def test_wrong_input_is_refused_and_changes_nothing(
        province: str, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...],
        exit_code: int, says: str) -> None:
    before = file_dump(Path(province))
    code, _out, err = cli(capsys, "--data-dir", province, "deadline", *argv)
    assert code == exit_code and says in err and "Traceback" not in err
    assert file_dump(Path(province)) == before
