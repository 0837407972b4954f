"""Every figure and progress percentage agrees across `indicators --json`, the dashboard, the
workbook, the PDF and data.json (issue 18, "Done when"): for the demo province, a commune, and
a province that imported three communes' packages."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from htx_desktop.domain.progress import progress_of
from htx_desktop.reports.dashboard import dashboard_figures
from htx_desktop.reports.wording import fmt_percent, fmt_value
from htx_desktop.reports.workbook import HEADER_ROWS
from htx_desktop.store.engine import Database
from htx_desktop.store.paths import DataDir
from htx_desktop.store.settings import home_unit
from tests.reports.exchange_helpers import cli, export, make_folder

openpyxl = pytest.importorskip("openpyxl")
KEYS = ("value", "numerator", "denominator", "target", "cumulative")


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("surfaces")
    communes = [make_folder(root, code, seed=20 + i)
                for i, code in enumerate(("05443", "05482", "05503"))]
    importer = make_folder(root, "19")
    pkgs = [export(f, "2025", root / "out") for f in communes]
    assert cli("--data-dir", str(importer), "import", "--accept-new-key", *map(str, pkgs)) == 0
    demo = root / "demo"
    demo.mkdir()
    return {"commune": communes[0], "imported": importer,
            "demo": make_folder(demo, "19", seed=7)}


def _cli_json(folder: Path) -> dict[str, dict[str, Any]]:
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert cli("--data-dir", str(folder), "indicators", "--period", "2025", "--json") == 0
    return {r["code"]: r for r in json.loads(buf.getvalue())["indicators"]}


@pytest.mark.parametrize("which", ["commune", "imported", "demo"])
def test_every_surface_agrees(folders: dict[str, Path], which: str, tmp_path: Path) -> None:
    folder = folders[which]
    command = _cli_json(folder)
    package = export(folder, "2025", tmp_path)
    with zipfile.ZipFile(package) as zf:
        data = json.loads(zf.read("data.json"))
        workbook = openpyxl.load_workbook(io.BytesIO(zf.read("bao-cao.xlsx")))
        pdf = zf.read(next(n for n in zf.namelist() if n.endswith(".pdf")))
    in_data = {r["code"]: r for r in data["indicators"]["indicators"]}
    db = Database.open(DataDir(folder))
    try:
        with db.session() as s:
            home = home_unit(s)
            assert home is not None
            dash = dashboard_figures(s, home.id, "2025")
    finally:
        db.close()
    sheet = {row[0]: row for row in workbook["Chỉ tiêu"].iter_rows(
        min_row=HEADER_ROWS + 1, values_only=True)}
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")
    assert command["CT1"]["value"], "the case must have figures"
    for code, row in command.items():
        assert {k: in_data[code][k] for k in KEYS} == {k: row[k] for k in KEYS}, code
        result = dash.result(code)
        assert (result.value, result.numerator, result.denominator, result.cumulative) == (
            row["value"], row["numerator"], row["denominator"], row["cumulative"]), code
        done = progress_of(row)
        assert result.progress == done, code  # the dashboard's bar
        cells = sheet[code]
        assert (cells[2], cells[3], cells[4], cells[5]) == (
            row["value"], row["numerator"], row["denominator"], row["cumulative"]), code
        assert cells[9] == done, code  # the workbook's progress column
        if done is not None:  # the PDF's table: figure and progress as written there
            assert fmt_percent(done).replace("\u00a0", " ") in text, (code, done)
        if row["value"] is not None:
            assert fmt_value(code, row["value"]).replace("\u00a0", " ") in text, code
