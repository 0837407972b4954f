"""Failures of the PC rather than of the program — a full disk, a folder she may not write,
a disk error, another writer holding the database — told as one plain Vietnamese sentence:
what happened, that nothing saved was lost, and what to do.

`os_failure` recognises them in an OSError, a sqlite3 error, or SQLAlchemy's wrapper of one
(anywhere in the chain of causes), so every front door (the window's error hook, the command
line, the form's Lưu, the draft autosave) tells the same thing.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from htx_desktop.i18n import t
from htx_desktop.store.errors import StoreError

DISK_FULL = "disk_full"
READ_ONLY = "read_only"
IO_ERROR = "io_error"
LOCKED = "locked"

_MESSAGES = {
    DISK_FULL: "Ổ đĩa đã đầy nên chưa ghi được; dữ liệu đã lưu trước đó không bị mất. Hãy xoá "
               "bớt tệp không cần trên ổ đĩa (hoặc chép các bản sao lưu cũ ra USB) rồi thử lại.",
    READ_ONLY: "Không có quyền ghi vào thư mục dữ liệu{where} (thư mục chỉ đọc hoặc thuộc tài "
               "khoản Windows khác); dữ liệu đã lưu không bị mất. Hãy đăng nhập đúng tài khoản "
               "hoặc nhờ người quản lý máy cấp quyền ghi, rồi thử lại.",
    IO_ERROR: "Ổ đĩa báo lỗi đọc/ghi (ổ đĩa hỏng, hoặc USB vừa bị rút ra); dữ liệu đã lưu "
              "trước đó không bị mất. Hãy kiểm tra ổ đĩa hoặc cắm lại USB rồi thử lại.",
    LOCKED: "Dữ liệu đang được một cửa sổ hoặc lệnh khác của chương trình ghi (ví dụ đang nhận "
            "gói báo cáo) nên chưa ghi được; dữ liệu đã lưu không bị mất. Hãy đợi việc đó xong "
            "rồi thử lại.",
}


class OSFailure(StoreError):
    """A failure of the PC (`kind`: DISK_FULL, READ_ONLY, IO_ERROR, LOCKED)."""

    quiet = True  # expected: the error hook shows the message, no "unexpected error" dialog

    def __init__(self, kind: str, folder: Path | None = None) -> None:
        where = f" “{folder}”" if folder is not None else ""
        super().__init__(t(_MESSAGES[kind], where=where))
        self.kind = kind


def failure_kind(exc: BaseException) -> str | None:
    """DISK_FULL, READ_ONLY, IO_ERROR or LOCKED if `exc` (or a cause of it) is one."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = _kind_of(current)
        if kind is not None:
            return kind
        orig = getattr(current, "orig", None)  # SQLAlchemy's DBAPIError
        if isinstance(orig, BaseException):
            kind = _kind_of(orig)
            if kind is not None:
                return kind
        current = current.__cause__ or current.__context__
    return None


def _kind_of(exc: BaseException) -> str | None:
    if isinstance(exc, OSFailure):
        return exc.kind
    if isinstance(exc, OSError):
        number = exc.errno
        if number in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)) or \
                getattr(exc, "winerror", None) in (39, 112):
            return DISK_FULL
        if number in (errno.EACCES, errno.EPERM, errno.EROFS):
            return READ_ONLY
        if number == errno.EIO:
            return IO_ERROR
        return None
    if isinstance(exc, sqlite3.Error):
        text = str(exc).lower()
        if "disk is full" in text or "database or disk is full" in text:
            return DISK_FULL
        if "readonly" in text or "read-only" in text or "unable to open database" in text:
            return READ_ONLY
        if "disk i/o error" in text:
            return IO_ERROR
        if "database is locked" in text or "database table is locked" in text:
            return LOCKED
    return None


def os_failure(exc: BaseException, folder: Path | None = None) -> OSFailure | None:
    """The officer's message for `exc` if it is a failure of the PC, else None. `folder`:
    where it was writing (named when it may not be written; its free space tells a full
    disk from a broken one: SQLite reports a full disk as an I/O error when it cannot make
    its -shm file)."""
    if isinstance(exc, OSFailure):
        return exc
    kind = failure_kind(exc)
    if kind == IO_ERROR and folder is not None and disk_nearly_full(folder):
        kind = DISK_FULL
    return OSFailure(kind, folder if kind == READ_ONLY else None) if kind else None


def disk_nearly_full(folder: Path, *, room: int = 1 << 20) -> bool:
    """True if the disk holding `folder` (or its nearest existing parent) has less than
    `room` bytes free."""
    import shutil

    for place in (folder, *folder.parents):
        try:
            return shutil.disk_usage(place).free < room
        except OSError:
            continue
    return False
