"""`BackgroundOp` (ui/jobs.py), the one way the window runs work off the UI thread: results,
failures and progress on the UI thread, preloading first, the collector paused on request,
and nothing delivered to a page closed before the work ends."""

from __future__ import annotations

import gc
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from htx_desktop.ui import jobs
from htx_desktop.ui.error_dialog import ErrorDialog, ExceptionHook
from htx_desktop.ui.jobs import BackgroundOp, Progress

MAIN = threading.main_thread().ident


@pytest.fixture
def page(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def _flush() -> None:
    """Deliver what is queued (events posted from a worker, deferred deletes)."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        QApplication.processEvents()


def test_done_gets_the_result_on_the_ui_thread(qtbot: QtBot, page: QWidget) -> None:
    worked_in: list[int | None] = []
    got: list[tuple[Any, int | None]] = []

    def work(progress: Progress) -> dict[str, int]:
        worked_in.append(threading.get_ident())
        return {"CT1": 12}

    op = BackgroundOp(page, work, done=lambda r: got.append((r, threading.get_ident())))
    assert op.start() is op and op.running
    qtbot.waitUntil(lambda: bool(got))
    assert got == [({"CT1": 12}, MAIN)]
    assert worked_in and worked_in[0] != MAIN
    assert not op.running
    assert op.key not in jobs._running


def test_failed_gets_the_exception_on_the_ui_thread_and_nothing_is_printed(
        qtbot: QtBot, page: QWidget, capfd: pytest.CaptureFixture[str]) -> None:
    class Refused(Exception):
        user_message = "Gói đã bị sửa sau khi ký."

    def work(progress: Progress) -> None:
        raise Refused("internal words")

    done: list[object] = []
    failed: list[tuple[Exception, int | None]] = []
    BackgroundOp(page, work, done=done.append,
                 failed=lambda e: failed.append((e, threading.get_ident()))).start()
    qtbot.waitUntil(lambda: bool(failed))
    (exc, thread), = failed
    assert isinstance(exc, Refused) and thread == MAIN and done == []
    assert jobs.failure_text(exc) == "Gói đã bị sửa sau khi ký."
    assert jobs.failure_text(ValueError("Kỳ không hợp lệ")) == "Kỳ không hợp lệ"
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err


def test_without_failed_the_window_s_error_dialog_says_it_calmly(
        qtbot: QtBot, page: QWidget, monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str]) -> None:
    shown: list[ErrorDialog] = []

    def exec_(dialog: ErrorDialog) -> int:
        shown.append(dialog)
        return 0

    monkeypatch.setattr(ErrorDialog, "exec", exec_)
    monkeypatch.setattr(sys, "excepthook", ExceptionHook(None))

    def work(progress: Progress) -> None:
        raise ZeroDivisionError("division by zero")

    BackgroundOp(page, work, done=lambda _r: None).start()
    qtbot.waitUntil(lambda: bool(shown))
    dialog = shown[0]
    texts = " ".join(w.text() for w in dialog.findChildren(QLabel))
    assert "Dữ liệu đã lưu vẫn an toàn" in texts and "Traceback" not in texts
    assert not dialog.details_box.isVisible()  # the details only on "Xem chi tiết"
    assert "ZeroDivisionError" in dialog.details
    _out, err = capfd.readouterr()
    assert "Traceback" not in err


def test_progress_and_notes_arrive_in_order_before_done(qtbot: QtBot, page: QWidget) -> None:
    seen: list[tuple[str, int, int, str, int | None]] = []

    def work(progress: Progress) -> str:
        for i in range(200):
            progress(i, 200, f"tệp {i}.zip")
            if i % 50 == 0:
                progress.note(f"đang đợi {i}")
        return "xong"

    BackgroundOp(page, work,
                 done=lambda r: seen.append(("done", 0, 0, r, threading.get_ident())),
                 progress=lambda s, n, text: seen.append(("step", s, n, text,
                                                          threading.get_ident())),
                 note=lambda text: seen.append(("note", 0, 0, text,
                                                threading.get_ident()))).start()
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][0] == "done")
    expected: list[tuple[str, int, int, str, int | None]] = []
    for i in range(200):
        expected.append(("step", i, 200, f"tệp {i}.zip", MAIN))
        if i % 50 == 0:
            expected.append(("note", 0, 0, f"đang đợi {i}", MAIN))
    assert seen == [*expected, ("done", 0, 0, "xong", MAIN)]


def test_preload_runs_on_the_ui_thread_before_the_work(
        qtbot: QtBot, page: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "htx_probe_lazy.py").write_text(
        "import threading\nIMPORTED_IN = threading.get_ident()\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "htx_probe_lazy", raising=False)
    warmed: list[int | None] = []
    seen_by_work: list[tuple[bool, int]] = []

    def work(progress: Progress) -> None:
        module = sys.modules.get("htx_probe_lazy")
        seen_by_work.append((module is not None, len(warmed)))

    done: list[object] = []
    BackgroundOp(page, work, done=done.append,
                 preload=("htx_probe_lazy", "htx_no_such_module_here",
                          lambda: warmed.append(threading.get_ident()))).start()
    # Done by start() itself, before the worker runs.
    assert sys.modules["htx_probe_lazy"].IMPORTED_IN == MAIN
    assert warmed == [MAIN]
    qtbot.waitUntil(lambda: bool(done))
    assert seen_by_work == [(True, 1)]


def test_a_failed_preload_fails_the_operation_before_the_work(page: QWidget) -> None:
    ran: list[bool] = []
    failed: list[Exception] = []

    def broken() -> None:
        raise OSError("DejaVuSans.ttf không đọc được")

    op = BackgroundOp(page, lambda _p: ran.append(True), done=lambda _r: None,
                      failed=failed.append, preload=(broken,))
    op.start()  # delivered before start() returns
    assert [str(e) for e in failed] == ["DejaVuSans.ttf không đọc được"]
    assert ran == [] and not op.running and op.key not in jobs._running


def test_pause_gc_pauses_the_collector_for_the_work_only(qtbot: QtBot, page: QWidget) -> None:
    assert gc.isenabled()
    inside: list[bool] = []

    def work(progress: Progress) -> None:
        inside.append(gc.isenabled())

    done: list[object] = []
    BackgroundOp(page, work, done=done.append, pause_gc=True).start()
    qtbot.waitUntil(lambda: bool(done))
    BackgroundOp(page, work, done=done.append).start()
    qtbot.waitUntil(lambda: len(done) == 2)
    assert inside == [False, True]
    assert gc.isenabled()


def test_an_operation_nobody_keeps_still_delivers(qtbot: QtBot, page: QWidget) -> None:
    release = threading.Event()
    got: list[int] = []

    def work(progress: Progress) -> int:
        release.wait(30)
        return 7

    BackgroundOp(page, work, done=got.append).start()  # no variable holds it
    gc.collect()
    release.set()
    qtbot.waitUntil(lambda: bool(got))
    assert got == [7]


def test_a_page_closed_before_the_work_ends_gets_nothing(qtbot: QtBot) -> None:
    pool = QThreadPool()
    page = QWidget()
    page.show()
    started, release = threading.Event(), threading.Event()
    delivered: list[str] = []

    def work(progress: Progress) -> str:
        started.set()
        release.wait(30)
        progress(1, 1, "sau khi đóng")
        return "kết quả"

    op = BackgroundOp(page, work, done=lambda r: delivered.append(f"done {r}"),
                      failed=lambda e: delivered.append(f"failed {e}"),
                      progress=lambda *a: delivered.append("progress"), pool=pool)
    op.start()
    assert started.wait(30)
    page.close()
    page.deleteLater()
    _flush()  # the page and the operation's receiver are deleted now
    assert op.key in jobs._running  # held until its work ends
    release.set()
    assert pool.waitForDone(30_000)
    _flush()
    assert delivered == []
    assert op.key not in jobs._running  # then let go, here


def test_inline_delivers_before_start_returns_on_this_thread(page: QWidget) -> None:
    got: list[tuple[int, int | None]] = []

    def work(progress: Progress) -> int:
        assert threading.get_ident() == MAIN
        return 3

    op = BackgroundOp(page, work, done=lambda r: got.append((r, threading.get_ident())),
                      inline=True)
    op.start()
    assert got == [(3, MAIN)] and not op.running
    with pytest.raises(RuntimeError):
        op.start()
