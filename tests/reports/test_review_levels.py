"""Issue 21 point 5, three levels: the district reviews its communes before its own package
goes up; its package says which of its communes' submissions it accepted (manifest `children`
entries carry `review`), and the province sees both: its own review of the district and the
district's review of each commune."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from htx_desktop.cli import run
from tests.reports.exchange_helpers import UNITS_3LEVEL, export, make_folder


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# Under Wine's Windows Python the offscreen platform finds no font folder in PySide6 (the
# window's tests, which would meet it too, run on Linux: build/windows/wine/tests-under-wine.txt).
@pytest.mark.qt_log_ignore("QFontDatabase: Cannot find font directory")
def test_three_levels(tmp_path: Path, capsys: pytest.CaptureFixture[str], qtbot: Any) -> None:
    a = make_folder(tmp_path, "05443", seed=7, units_file=UNITS_3LEVEL)
    b = make_folder(tmp_path, "05494", seed=11, units_file=UNITS_3LEVEL)
    district = make_folder(tmp_path, "164", units_file=UNITS_3LEVEL)
    province = make_folder(tmp_path, "19", units_file=UNITS_3LEVEL)
    d, p = str(district), str(province)
    packages = [export(a, "2025", tmp_path / "out"), export(b, "2025", tmp_path / "out")]
    assert cli(capsys, "--data-dir", d, "import", "--accept-new-key",
               *map(str, packages))[0] == 0

    # Exporting before reviewing: the district is told which communes wait.
    code, out, err = cli(capsys, "--data-dir", d, "export", "--period", "2025", "--out",
                         str(tmp_path / "early"))
    assert code == 0 and "chưa được xét duyệt" in err and "05443, 05494" in err
    assert out.strip().endswith(".zip"), "stdout keeps only the path"

    assert cli(capsys, "--data-dir", d, "review", "--unit", "05443", "--period", "2025",
               "--accept")[0] == 0
    assert cli(capsys, "--data-dir", d, "review", "--unit", "05494", "--period", "2025",
               "--return", "--comment", "Thiếu số liệu năm 2025 của HTX")[0] == 0
    code, _, err = cli(capsys, "--data-dir", d, "export", "--period", "2025", "--out",
                       str(tmp_path / "district"))
    assert code == 0 and "chưa được xét duyệt" not in err
    (package,) = (tmp_path / "district").glob("*.zip")
    with zipfile.ZipFile(package) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    children = {c["unit_code"]: c for c in manifest["children"]}
    assert children["05443"]["review"] == "accepted"
    assert children["05443"]["reviewed_at"].endswith("+00:00")
    assert children["05494"]["review"] == "returned"

    code, _, err = cli(capsys, "--data-dir", p, "import", "--accept-new-key", str(package))
    assert code == 0, err
    code, out, _ = cli(capsys, "--data-dir", p, "submissions", "--period", "2025", "--json")
    rows = {r["code"]: r for r in json.loads(out)["units"]}
    row: dict[str, Any] = rows["164"]
    assert row["status"] == "accepted" and row["review"] == "received"
    lower = {x["code"]: x for x in row["lower_reviews"]}
    assert lower["05443"]["review"] == "accepted" and lower["05494"]["review"] == "returned"
    assert "lower_reviews" not in rows["165"], "a unit without a package says nothing"

    # The province's own review of the district goes down to the district.
    assert cli(capsys, "--data-dir", p, "review", "--unit", "164", "--period", "2025",
               "--accept")[0] == 0
    code, out, _ = cli(capsys, "--data-dir", p, "receipts", "--out", str(tmp_path / "bn"),
                       "--json")
    (receipt,) = json.loads(out)["receipts"]
    code, out, err = cli(capsys, "--data-dir", d, "import", "--accept-new-key",
                         receipt["file"])
    assert code == 0 and "CHẤP NHẬN" in out, err
    code, out, _ = cli(capsys, "--data-dir", d, "sent", "--json")
    states = {(x["period"], x["version"]): x["state"] for x in json.loads(out)["packages"]}
    assert states == {("2025", 2): "accepted", ("2025", 1): "sent"}

    # The province's receive page: the district's review of its communes beside its package.
    from htx_desktop.store.engine import Database
    from htx_desktop.store.paths import DataDir
    from htx_desktop.ui.pages.receive_page import ReceivePage

    db = Database.open(DataDir(province))
    try:
        page = ReceivePage(db)
        qtbot.addWidget(page)
        page.period_box.setCurrentText("2025")
        row = next(r for r in range(page.history.rowCount())
                   if page.history.item(r, 0).text() == "164")
        assert page.history.item(row, 4).text().startswith("Đã chấp nhận")
        assert page.history.item(row, 6).text() == "1 chấp nhận, 1 trả lại"
        assert "05494 v1: Đã trả lại" in page.history.item(row, 6).toolTip()
    finally:
        db.engine.dispose()
