"""Fault 5 for imports: a package or a workbook imported while another process holds a write
transaction waits (bounded retry of the WHOLE transaction, one backup only) and succeeds; a
lock that outlasts the retry is told with the plain "another writer" sentence, and nothing of
the import is written."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from htx_desktop.cli import run
from htx_desktop.store import retry
from htx_desktop.store import sqlite_engine as engine_module
from htx_desktop.store.backup import list_backups
from htx_desktop.store.engine import Database
from htx_desktop.store.models import Person, RefusedPackage, Submission
from htx_desktop.store.paths import DataDir
from tests.reports.exchange_helpers import UNITS_3LEVEL, export, make_folder

ANOTHER_WRITER = "Dữ liệu đang được một cửa sổ hoặc lệnh khác của chương trình ghi"


def _hold_write_lock(path: Path) -> sqlite3.Connection:
    """Another process's writer: a write transaction left open."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO settings(key, value) VALUES ('nhap_goi', 'dang chay')")
    return other


@pytest.fixture
def held(request: pytest.FixtureRequest) -> Iterator[list[sqlite3.Connection]]:
    """Connections a test holds; committed and closed at the end whatever happened."""
    conns: list[sqlite3.Connection] = []
    yield conns
    for conn in conns:
        if conn.in_transaction:
            conn.execute("COMMIT")
        conn.close()


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("locked-import")
    commune = make_folder(root, "05443", seed=7, units_file=UNITS_3LEVEL)
    return export(commune, "2025", root / "out")


@pytest.fixture
def district(tmp_path: Path) -> Path:
    return make_folder(tmp_path, "164", units_file=UNITS_3LEVEL)


def _count(folder: Path, model: Any) -> int:
    db = Database.open(DataDir(folder))
    try:
        with db.session() as session:
            return int(session.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        db.close()


def _import_backups(folder: Path) -> list[Path]:
    return [p for p in list_backups(folder / "backups") if "-import" in p.name]


def test_a_package_import_waits_for_another_writer_and_backs_up_once(
        package: Path, district: Path, held: list[sqlite3.Connection],
        capsys: pytest.CaptureFixture[str]) -> None:
    other = _hold_write_lock(district / "htx.sqlite3")
    held.append(other)
    released = threading.Timer(1.0, lambda: other.execute("COMMIT"))
    released.start()
    capsys.readouterr()
    try:
        code = run(["--data-dir", str(district), "import", "--accept-new-key", str(package)])
    finally:
        released.join()
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "nhận gói của Phường Trưng Vương" in out and "Traceback" not in err
    assert _count(district, Submission) == 1
    # One backup before the import, however many times its transaction had to run again.
    assert len(_import_backups(district)) == 1


def test_a_lock_that_outlasts_the_import_retry_is_told_plainly(
        package: Path, district: Path, held: list[sqlite3.Connection],
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry, "FIRST_WAIT_S", 0.01)
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 100)
    held.append(_hold_write_lock(district / "htx.sqlite3"))
    capsys.readouterr()
    code = run(["--data-dir", str(district), "import", "--accept-new-key", str(package)])
    _out, err = capsys.readouterr()
    assert code == 1
    assert ANOTHER_WRITER in err and "không bị mất" in err and "Traceback" not in err
    held[0].execute("COMMIT")
    # Nothing half-written: no submission, no refusal logged, at most the one backup.
    assert (_count(district, Submission), _count(district, RefusedPackage)) == (0, 0)
    assert len(_import_backups(district)) <= 1
    # Once the other writer is done, the same import goes through.
    code = run(["--data-dir", str(district), "import", "--accept-new-key", str(package)])
    assert code == 0 and _count(district, Submission) == 1


def test_the_receive_page_tells_the_lock_plainly(
        qtbot: Any, package: Path, district: Path, held: list[sqlite3.Connection],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from htx_desktop.ui.pages import receive_page
    from tests.reports.exchange_helpers import TRUST

    monkeypatch.setattr(retry, "FIRST_WAIT_S", 0.01)
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 100)
    db = Database.open(DataDir(district))
    try:
        held.append(_hold_write_lock(district / "htx.sqlite3"))
        notes: list[str] = []

        class _Progress:  # what BackgroundOp hands the work, without a thread
            def __call__(self, step: int, total: int, text: str) -> None:
                pass

            def note(self, text: str) -> None:
                notes.append(text)

        work = receive_page._import_work(db, [package], False, None, TRUST)
        with pytest.raises(Exception) as caught:
            work(_Progress())  # type: ignore[arg-type]
        from htx_desktop.ui.jobs import failure_text

        assert ANOTHER_WRITER in failure_text(caught.value), failure_text(caught.value)
        waited = [n for n in notes if n == receive_page.WAITING]
        assert waited  # the page said it was waiting before giving up
    finally:
        db.close()
    held[0].execute("COMMIT")
    assert _count(district, Submission) == 0


# ------------------------------------------------------------------------------ workbooks


def _people_sheet(folder: Path, tmp_path: Path) -> Path:
    from openpyxl import load_workbook

    template = tmp_path / "mau.xlsx"
    assert run(["--data-dir", str(folder), "template", "--kind", "people", "--out",
                str(template)]) == 0
    wb = load_workbook(template)
    ws = wb.worksheets[0]
    for r, row in enumerate([["Ma Thị Hằng", "Nữ", 1990, None, "05443"],
                             ["Lò Thị Mai", "Nữ", 1985, None, "05443"]], start=2):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    out = tmp_path / "danh-sach.xlsx"
    wb.save(out)
    return out


def test_a_sheet_import_waits_for_another_writer(
        district: Path, tmp_path: Path, held: list[sqlite3.Connection],
        capsys: pytest.CaptureFixture[str]) -> None:
    sheet = _people_sheet(district, tmp_path)
    other = _hold_write_lock(district / "htx.sqlite3")
    held.append(other)
    released = threading.Timer(1.0, lambda: other.execute("COMMIT"))
    released.start()
    capsys.readouterr()
    try:
        code = run(["--data-dir", str(district), "import-sheet", str(sheet)])
    finally:
        released.join()
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Tạo mới 2, cập nhật 0, từ chối 0" in out
    assert _count(district, Person) == 2


def test_a_lock_that_outlasts_the_sheet_retry_is_told_plainly(
        district: Path, tmp_path: Path, held: list[sqlite3.Connection],
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    sheet = _people_sheet(district, tmp_path)
    monkeypatch.setattr(retry, "FIRST_WAIT_S", 0.01)
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 100)
    held.append(_hold_write_lock(district / "htx.sqlite3"))
    capsys.readouterr()
    code = run(["--data-dir", str(district), "import-sheet", str(sheet)])
    out, err = capsys.readouterr()
    assert code == 1
    assert ANOTHER_WRITER in err and "Traceback" not in err
    assert "Dòng 2" not in out  # no row reported as refused because of the lock
    held[0].execute("COMMIT")
    assert _count(district, Person) == 0


def test_the_sheet_wizard_tells_the_lock_and_stays_open(
        qtbot: Any, district: Path, tmp_path: Path, held: list[sqlite3.Connection],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from htx_desktop.ui import dialogs
    from htx_desktop.ui.sheet_import_wizard import SheetImportWizard

    sheet = _people_sheet(district, tmp_path)
    monkeypatch.setattr(retry, "FIRST_WAIT_S", 0.01)
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 100)
    seen: list[str] = []
    monkeypatch.setattr(dialogs, "show_message",
                        lambda _parent, _title, text, warning=False: seen.append(text))
    db = Database.open(DataDir(district))
    try:
        wizard = SheetImportWizard(db, officer="Hoàng Thị Mai")
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.file_page.path.setText(str(sheet))
        wizard.next()
        wizard.next()
        preview = wizard.preview_page
        assert [preview.rows.item(r, 1).text() for r in range(2)] == ["Tạo mới", "Tạo mới"]
        held.append(_hold_write_lock(district / "htx.sqlite3"))
        wizard.accept()
        assert len(seen) == 1 and ANOTHER_WRITER in seen[0]
        assert wizard.isVisible()  # she can try again once the other writer is done
        held[0].execute("COMMIT")
        assert _count(district, Person) == 0
        wizard.accept()
        assert not wizard.isVisible() and _count(district, Person) == 2
    finally:
        db.close()
