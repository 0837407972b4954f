"""The speed-ups of issue 10 change nothing that can be seen: styled workbook cells, the
data.json check, and migrating only when the database is behind (docs/performance.md)."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from htx_desktop.receiving.schemas import validate_data
from htx_desktop.reports.errors import PackageError
from htx_desktop.reports.workbook import HEADER_ROWS
from htx_desktop.store.engine import Database
from htx_desktop.store.migrate import _at_newest_file_revision, head_revision
from htx_desktop.store.paths import DataDir
from htx_desktop.store.sqlite_engine import create_sqlite_engine

openpyxl = pytest.importorskip("openpyxl")


def _data(package: Path) -> dict[str, Any]:
    with zipfile.ZipFile(package) as zf:
        data: dict[str, Any] = json.loads(zf.read("data.json"))
    return data


def test_every_body_cell_keeps_its_own_style(package: Path) -> None:
    """Style arrays are copied from cell to cell: each kind must still get its own format."""
    with zipfile.ZipFile(package) as zf:
        wb = openpyxl.load_workbook(io.BytesIO(zf.read("bao-cao.xlsx")))
    seen: dict[str, set[str]] = {"str": set(), "date": set(), "int": set()}
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=HEADER_ROWS + 1):
            for cell in row:
                assert cell.font.name == "Times New Roman" and not cell.font.b
                assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin"
                value = cell.value
                if isinstance(value, str):
                    assert cell.alignment.wrap_text
                    seen["str"].add(cell.number_format)
                elif hasattr(value, "year"):
                    assert cell.number_format == "DD/MM/YYYY"
                    seen["date"].add(cell.number_format)
                elif isinstance(value, int) and not isinstance(value, bool):
                    assert cell.number_format != "DD/MM/YYYY"
                    assert not cell.alignment.wrap_text
                    seen["int"].add(cell.number_format)
    assert all(seen.values()), seen  # the package has cells of every kind


def test_fast_check_accepts_a_real_data_json(package: Path) -> None:
    validate_data(_data(package))


@pytest.mark.parametrize("damage", ["phone", "missing_key", "wrong_type"])
def test_fast_check_still_refuses_with_the_same_words(package: Path, damage: str) -> None:
    data = copy.deepcopy(_data(package))
    person = data["people"][0]
    if damage == "phone":
        person["phone"] = "0912345678"
        expected = "không được phép gửi đi"
    elif damage == "missing_key":
        del person["gender"]
        expected = "thiếu khóa bắt buộc"
    else:
        person["birth_year"] = "1980"
        expected = "sai kiểu dữ liệu"
    with pytest.raises(PackageError) as err:
        validate_data(data)
    assert expected in str(err.value) and "people/0" in str(err.value)


def test_fast_head_check_only_answers_yes_at_head(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path / "data").ensure()
    engine = create_sqlite_engine(data_dir.db_path)
    try:
        assert not _at_newest_file_revision(engine)  # no database yet: Alembic decides
    finally:
        engine.dispose()
    Database.open(data_dir).close()
    engine = create_sqlite_engine(data_dir.db_path)
    try:
        assert _at_newest_file_revision(engine)
        with engine.begin() as conn:  # a database of a newer program: not "at head"
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
        assert not _at_newest_file_revision(engine)
    finally:
        engine.dispose()
    assert head_revision() is not None
