"""Writes from the window: a busy cursor while another writer holds the database (bounded
retry, store/retry.py), and a PC failure told in one sentence instead of the error dialog."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from htx_desktop.store.retry import retry_when_locked

T = TypeVar("T")


@contextmanager
def wait_cursor_while_locked() -> Iterator[Callable[[int], None]]:
    """An `on_wait` for a retried write: the first pause shows the wait cursor, which is
    taken away when the block ends."""
    waiting = [False]

    def on_wait(_attempt: int) -> None:
        if not waiting[0]:
            waiting[0] = True
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    try:
        yield on_wait
    finally:
        if waiting[0]:
            QGuiApplication.restoreOverrideCursor()


def write(work: Callable[[], T]) -> T:
    """`work` (one transaction), run again while the database is locked by another writer,
    with the wait cursor shown meanwhile; raises what the last attempt raised."""
    with wait_cursor_while_locked() as on_wait:
        return retry_when_locked(work, on_wait=on_wait)
