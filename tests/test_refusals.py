"""One refusal type (`htx_desktop/errors.py`): every exception of the package that carries a
sentence for the officer is a `Refusal`, and the command line decides by that type — never by an
exception's name — what it prints (the window's exception hook: tests/ui/test_refusal_hook.py).
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

import pytest

from htx_desktop.cli import run
from htx_desktop.cli.failures import explain
from htx_desktop.cli.output import EXIT_REFUSED, CommandRefused
from htx_desktop.demo.generate import DemoError, DemoRefused
from htx_desktop.domain.validation import FieldError, ValidationError
from htx_desktop.errors import Refusal
from htx_desktop.receiving.crypto import CryptoError
from htx_desktop.receiving.limits import LimitExceeded
from htx_desktop.receiving.reader import PackageRefused
from htx_desktop.reports.errors import PackageError
from htx_desktop.reports.signing import SigningError
from htx_desktop.sheets.convert import CellError
from htx_desktop.sheets.errors import SheetError
from htx_desktop.sheets.rows import RowRefused
from htx_desktop.store.concurrency import BusyError
from htx_desktop.store.errors import DatabaseDamagedError, StoreError
from htx_desktop.store.locks import LockedRecordError
from htx_desktop.store.os_errors import DISK_FULL, OSFailure
from htx_desktop.store.service import ConflictError, DuplicateError, NotFoundError
from htx_desktop.store.targets import TargetError
from tests.test_architecture import modules

# Exceptions of the package that are not refusals: they carry no sentence for the officer.
NOT_REFUSALS: dict[str, str] = {
    "htx_desktop.app._DamagedAtStart": "closes the window at start; the damaged-database "
                                       "dialog that follows says what happened",
    "htx_desktop.sheets.importer._DryRun": "rolls a dry run's session back",
}


def _exception_classes() -> dict[str, type[BaseException]]:
    """Every exception class defined at the top of a module of the package, by its name."""
    found: dict[str, type[BaseException]] = {}
    for name in modules():
        module = importlib.import_module(name)
        for obj in vars(module).values():
            if (isinstance(obj, type) and issubclass(obj, BaseException)
                    and obj.__module__ == name):
                found[f"{name}.{obj.__qualname__}"] = obj
    return found


def test_every_exception_of_the_package_is_a_refusal_or_says_why_not() -> None:
    found = _exception_classes()
    assert len(found) > 20  # the walk saw the package, not an empty list
    wrong = sorted(name for name, cls in found.items()
                   if not issubclass(cls, Refusal) and name not in NOT_REFUSALS)
    assert not wrong, "exceptions with no Refusal base: " + ", ".join(wrong)
    assert set(NOT_REFUSALS) <= set(found), "NOT_REFUSALS names a class that is gone"
    for name in NOT_REFUSALS:
        assert not issubclass(found[name], Refusal)


@pytest.mark.parametrize("cls", [
    StoreError, DatabaseDamagedError, BusyError, ConflictError, DuplicateError, NotFoundError,
    TargetError, LockedRecordError, OSFailure, PackageError, PackageRefused, SigningError,
    CryptoError, DemoError, DemoRefused, SheetError, CellError, RowRefused, ValidationError,
    CommandRefused, LimitExceeded])
def test_the_named_errors_are_refusals(cls: type[Exception]) -> None:
    assert issubclass(cls, Refusal)


@pytest.mark.parametrize("exc, message", [
    (Refusal("Không được."), "Không được."),
    (StoreError("Kho bị khoá."), "Kho bị khoá."),
    (DatabaseDamagedError("Tệp hỏng.", None), "Tệp hỏng."),
    (ConflictError("Đã có người sửa.", "Hoa"), "Đã có người sửa."),
    (DuplicateError("Trùng tên.", []), "Trùng tên."),
    (LockedRecordError("Kỳ đã khoá.", ["2024"]), "Kỳ đã khoá."),
    (CellError("Ngày", "Không phải ngày."), "Không phải ngày."),
    (PackageRefused("goi.zip", "chữ ký sai."), "Gói goi.zip bị từ chối: chữ ký sai."),
    (ValidationError([FieldError("a", "Thiếu tên."), FieldError("b", "Sai năm.")]),
     "Thiếu tên.\nSai năm."),
])
def test_user_message_is_the_sentence_and_str_says_the_same(exc: Refusal, message: str) -> None:
    assert exc.user_message == message
    assert str(exc) == message


def test_a_failure_of_the_pc_is_a_refusal_with_its_sentence() -> None:
    failure = OSFailure(DISK_FULL)
    assert failure.user_message.startswith("Ổ đĩa đã đầy") and str(failure) == failure.user_message


def test_limit_exceeded_is_still_a_value_error() -> None:
    assert issubclass(LimitExceeded, ValueError)


# --------------------------------------------------------------------------- the command line


def _args(tmp_path: Path) -> argparse.Namespace:
    return argparse.Namespace(data_dir=str(tmp_path), command="test")


@pytest.mark.parametrize("exc", [
    SheetError("Không đọc được bảng tính."), CryptoError("Khoá bí mật không đúng."),
    DemoRefused(), PackageError("Gói không hợp lệ."), ValidationError([FieldError("x", "Sai.")]),
])
def test_the_command_line_prints_any_refusal_as_it_is(tmp_path: Path, exc: Refusal) -> None:
    assert explain(exc, _args(tmp_path)) == (exc.user_message, EXIT_REFUSED)
    assert not list(tmp_path.rglob("*.log"))  # a refusal is not a defect: nothing logged


def test_the_command_line_decides_by_type_not_by_name(tmp_path: Path) -> None:
    class SheetError(Exception):  # the name of a refusal, but not one
        user_message = "Không nên hiện."

    message, code = explain(SheetError("Không nên hiện."), _args(tmp_path))
    assert code == EXIT_REFUSED
    assert message.startswith("Đã xảy ra lỗi không mong đợi")
    assert "Không nên hiện" not in message


def test_a_sheet_refusal_reaches_the_officer_from_the_command(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import Workbook

    home = tmp_path / "home"
    assert run(["--data-dir", str(home), "init", "--unit", "19"]) == 0
    sheet = tmp_path / "la.xlsx"
    book = Workbook()
    book.active.append(["Cột lạ", "Cột khác"])  # type: ignore[union-attr]
    book.active.append(["a", "b"])  # type: ignore[union-attr]
    book.save(sheet)
    capsys.readouterr()
    code = run(["--data-dir", str(home), "import-sheet", str(sheet), "--dry-run"])
    out, err = capsys.readouterr()
    assert code == EXIT_REFUSED
    assert out == ""
    assert err == (f"Không tìm thấy dòng tiêu đề trong tệp “{sheet}”. Hãy để các tên cột (ví dụ "
                   "«Tên HTX/THT», «Họ và tên») trên một dòng, phía trên dữ liệu.\n")
    assert not list((home / "logs").glob("cli-*.log"))  # refused, not a defect: nothing logged
