"""Inputs that cannot exhaust the PC, text that breaks nothing, keys and copies for their
owner only (issue 20, points 2, 3 and 5)."""

from __future__ import annotations

import os
import re
import stat
import sys
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from PySide6.QtCore import QModelIndex

from htx_desktop.cli import run
from htx_desktop.domain.fields import MAX_TEXT
from htx_desktop.domain.validation import validate
from htx_desktop.receiving.crypto import generate_keypair, load_private_key, seal
from htx_desktop.receiving.limits import LimitExceeded
from htx_desktop.receiving.personal_import import PrivateKey
from htx_desktop.reports.key_protection import uses_scrypt
from htx_desktop.reports.keysheet import write_key_files
from htx_desktop.sheets.errors import SheetError
from htx_desktop.sheets.extent import MAX_COLUMNS, MAX_ROWS, check_workbook_extent
from htx_desktop.sheets.reader import read_workbook
from htx_desktop.store.backup import backup_to_dir
from htx_desktop.store.engine import Database
from htx_desktop.store.paths import DataDir
from htx_desktop.store.search_index import MAX_WORDS, search_words
from tests.sheets.sheet_helpers import write_rows

POSIX = sys.platform != "win32"
HOSTILE_SEARCHES = [
    "nguyen\0thi", "abc\0", "\0", '"', '"quote"', "' or 1=1 --", "%", "_", "100%_x", "%_%",
    " ".join(f"tu{i}" for i in range(2000)), " ".join(["hoa"] * 3000), "a" * 100_000,
    "NEAR(", "*", "^abc", "x\u202ey\u2028z", "\ud800", "{name} : x", "AND OR NOT", "()",
]


# ---------------------------------------------------------------- point 2: sheets


@pytest.mark.parametrize("cell", ["T200000", "XFD1048576"])
def test_a_tiny_workbook_with_a_far_cell_is_refused_fast(tmp_path: Path, cell: str) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"], ws["B1"], ws["A2"] = "Tên HTX/THT", "Mã số thuế", "HTX Hoa Sen"
    ws[cell] = "x"
    path = tmp_path / "far.xlsx"
    wb.save(path)
    assert path.stat().st_size < 10_000
    tracemalloc.start()
    with pytest.raises(SheetError, match="quá lớn để đọc"):
        read_workbook(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20 * 1024 * 1024


def _far(tmp_path: Path, name: str, row: int, col: int) -> Path:
    from openpyxl.utils import get_column_letter

    return write_rows(tmp_path / name, [["Tên HTX/THT", "Mã số thuế"], ["HTX A", None]]) \
        if (row, col) == (0, 0) else _with_cell(tmp_path / name, f"{get_column_letter(col)}{row}")


def _with_cell(path: Path, ref: str) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"], ws["B1"], ws["A2"] = "Tên HTX/THT", "Mã số thuế", "HTX A"
    ws[ref] = "x"
    wb.save(path)
    return path


def test_sheet_extent_at_and_over_the_limits(tmp_path: Path) -> None:
    check_workbook_extent(_far(tmp_path, "rows.xlsx", MAX_ROWS, 2))
    check_workbook_extent(_far(tmp_path, "cols.xlsx", 2, MAX_COLUMNS))
    with pytest.raises(LimitExceeded, match=r"100\.001 dòng"):
        check_workbook_extent(_far(tmp_path, "rows1.xlsx", MAX_ROWS + 1, 2))
    with pytest.raises(LimitExceeded, match="201 cột"):
        check_workbook_extent(_far(tmp_path, "cols1.xlsx", 2, MAX_COLUMNS + 1))


def test_a_declared_dimension_alone_is_refused(tmp_path: Path) -> None:
    import zipfile

    src = _with_cell(tmp_path / "a.xlsx", "B2")
    out = tmp_path / "declared.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            raw = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                raw = re.sub(rb'<dimension ref="A1:B2"\s*/>',
                             b'<dimension ref="A1:XFD1048576"/>', raw)
                assert b"XFD1048576" in raw
            zout.writestr(info, raw)
    with pytest.raises(SheetError, match=r"1\.048\.576 dòng"):
        read_workbook(out)


# ---------------------------------------------------------------- point 2: text lengths


def test_free_text_without_its_own_limit_has_the_default_one() -> None:
    base = {"unit_id": 1, "kind": "htx", "name": "HTX Hoa Sen"}
    ok = validate("cooperative", {**base, "note": "x" * MAX_TEXT}, today=date(2025, 6, 1))
    assert not [e for e in ok if e.field == "note"]
    errors = validate("cooperative", {**base, "note": "x" * (MAX_TEXT + 1)},
                      today=date(2025, 6, 1))
    assert [e.field for e in errors if "quá mức cho phép" in e.message] == ["note"]


# ---------------------------------------------------------------- point 3: search


def test_search_words_are_safe_and_bounded() -> None:
    assert search_words("Nguyễn\0Thị") == ["nguyen", "thi"]
    assert search_words("a\u202eb") == ["a", "b"]
    assert len(search_words(" ".join(f"w{i}" for i in range(2000)))) == MAX_WORDS
    assert search_words("100%_x") == ["100%_x"]


@pytest.mark.parametrize("kind", ["cooperative", "person", "event"])
def test_lists_take_any_search_text(qtbot: object, tmp_path: Path, kind: str) -> None:
    from htx_desktop.store.reference import descendant_units
    from htx_desktop.store.settings import home_unit
    from htx_desktop.ui import list_specs
    from htx_desktop.ui.table_model import LazyTableModel

    folder = tmp_path / "d"
    assert run(["--data-dir", str(folder), "init", "--unit", "05443"]) == 0
    assert run(["--data-dir", str(folder), "demo", "--seed", "3", "--scale", "0.1"]) == 0
    db = Database.open(DataDir(folder))
    try:
        with db.session() as s:
            home = home_unit(s)
            assert home is not None
            ids = [u.id for u in descendant_units(s, home.id)]
        model = LazyTableModel(db.engine, getattr(list_specs, f"{kind}_spec")(), ids)
        resets: list[str] = []
        model.modelAboutToBeReset.connect(lambda: resets.append("begin"))
        model.modelReset.connect(lambda: resets.append("end"))
        model.refresh()
        everything = model.rowCount(QModelIndex())
        assert everything > 0 or kind == "event"
        for text in HOSTILE_SEARCHES:
            model.set_search(text)  # raises nothing
            model.count_total()
            assert resets[-2:] == ["begin", "end"], text
        model.set_search("")
        assert model.rowCount(QModelIndex()) == everything
    finally:
        db.close()


def test_first_run_unit_search_escapes_wildcards(db: Database) -> None:
    from htx_desktop.ui.first_run import search_units

    assert search_units(db, "%") == [] and search_units(db, "_") == []
    assert search_units(db, "x%n") == []
    assert search_units(db, "phan dinh phung")
    for text in HOSTILE_SEARCHES:
        search_units(db, text)  # raises nothing


# ---------------------------------------------------------------- point 5: keys and copies


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_key_is_stretched_with_scrypt_and_owner_only(tmp_path: Path) -> None:
    files = write_key_files(tmp_path / "keys", unit_code="19", unit_name="Tỉnh Thái Nguyên",
                            passphrase="mat-khau-dai-du")
    pem = files.private.read_bytes()
    assert uses_scrypt(pem)
    assert b"ENCRYPTED PRIVATE KEY" in pem
    load_private_key(pem, "mat-khau-dai-du")
    if POSIX:
        assert _mode(files.private) == 0o600
        assert _mode(files.sheet) == 0o600


def test_keygen_command_writes_owner_only_files(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    assert run(["--data-dir", str(folder), "init", "--unit", "19"]) == 0
    secret = tmp_path / "pass.txt"
    secret.write_text("mat-khau-dai-du\n", encoding="utf-8")
    assert run(["--data-dir", str(folder), "keygen", "--out", str(tmp_path / "k"),
                "--passphrase-file", str(secret)]) == 0
    (private,) = (tmp_path / "k").glob("*-private.pem")
    assert uses_scrypt(private.read_bytes())
    if POSIX:
        assert _mode(private) == 0o600


def test_an_old_pbkdf2_key_file_is_migrated_when_next_opened(tmp_path: Path) -> None:
    key = X25519PrivateKey.generate()
    old = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.BestAvailableEncryption(b"mat-khau-cu-1"))
    assert not uses_scrypt(old)
    path = tmp_path / "19-private.pem"
    path.write_bytes(old)
    wrong = PrivateKey(old, "sai-mat-khau", path)
    with pytest.raises(Exception, match="sai mật khẩu"):
        wrong.load()
    assert path.read_bytes() == old  # a wrong passphrase changes nothing
    opened = PrivateKey(old, "mat-khau-cu-1", path).load()
    new = path.read_bytes()
    assert uses_scrypt(new) and new != old
    if POSIX:
        assert _mode(path) == 0o600
    again = load_private_key(new, "mat-khau-cu-1")
    raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    assert again.public_key().public_bytes(*raw) == opened.public_key().public_bytes(*raw)
    public, _ = generate_keypair("mat-khau-dai-du")
    assert seal(b"x", public)


@pytest.mark.skipif(not POSIX, reason="file modes")
def test_a_backup_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    assert run(["--data-dir", str(folder), "init", "--unit", "19"]) == 0
    os.umask(0o022)
    made = backup_to_dir(folder / "htx.sqlite3", folder / "backups", reason="test")
    assert _mode(made) == 0o600
    assert run(["--data-dir", str(folder), "backup", "--out", str(tmp_path / "b.sqlite3")]) == 0
    assert _mode(tmp_path / "b.sqlite3") == 0o600


def test_a_report_section_at_and_over_its_limit(db: Database) -> None:
    from htx_desktop.store.errors import StoreError
    from htx_desktop.store.narratives import MAX_TEXT as MAX_SECTION_TEXT
    from htx_desktop.store.narratives import load_narrative, save_narrative
    from htx_desktop.store.settings import home_unit

    with db.session() as s:
        home = home_unit(s)
        assert home is not None
        save_narrative(s, home.id, "2025", {"task1": "x" * MAX_SECTION_TEXT}, "Lan")
        with pytest.raises(StoreError, match="quá mức cho phép"):
            save_narrative(s, home.id, "2025", {"task2": "x" * (MAX_SECTION_TEXT + 1)}, "Lan")
        assert load_narrative(s, home.id, "2025") == {"task1": "x" * MAX_SECTION_TEXT}
