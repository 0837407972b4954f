"""The window's front door: `run_gui(data_dir)`. Thin: fonts, error hook, database, first-run
wizard or main window. Report libraries are not imported here (start-up time)."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

from htx_desktop.i18n import set_language, t
from htx_desktop.resources import resource_path
from htx_desktop.store.paths import DataDir
from htx_desktop.ui.import_hook import quiet_pyside_import_hook

if TYPE_CHECKING:
    from htx_desktop.store.engine import Database
    from htx_desktop.store.health import StartCheck
    from htx_desktop.ui.context import AppContext
    from htx_desktop.ui.main_window import MainWindow

APP_FONT = "DejaVu Sans"


def register_fonts(app: QApplication) -> None:
    """Bundle-provided DejaVu Sans (full Vietnamese coverage) as the application font."""
    families: list[str] = []
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", name)))
        if font_id >= 0:
            families += QFontDatabase.applicationFontFamilies(font_id)
    family = families[0] if families else APP_FONT
    app.setFont(QFont(family, 10))


def make_app() -> QApplication:
    quiet_pyside_import_hook()
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("HTX Desktop")
    app.setOrganizationName("Hoi LHPN")
    register_fonts(app)
    return app


def install_translator(app: QApplication, language: str) -> None:
    from htx_desktop.ui.translator import QtStringsTranslator
    set_language(language)
    if language == "vi":
        translator = QtStringsTranslator(app)
        app.installTranslator(translator)


def run_gui(data_dir: DataDir | Path | str) -> int:
    if not isinstance(data_dir, DataDir):
        data_dir = DataDir(Path(data_dir))
    # A folder she may not write is opened read-only; the log goes to the temp folder.
    with contextlib.suppress(OSError):
        data_dir.ensure()
    from htx_desktop.running_mark import hold_running_mark
    hold_running_mark()  # the installer asks to close the window before replacing it
    app = make_app()
    from htx_desktop.ui.error_dialog import install_excepthook
    install_excepthook(data_dir.logs)

    # Before anything reads the file: a WAL left beside a database copied back by hand is
    # set aside, never replayed onto it (told once the window is up, `_after_open`).
    from htx_desktop.store.health import DAMAGED_FOLDER
    from htx_desktop.store.wal_guard import set_aside_foreign_wal
    set_aside_foreign_wal(data_dir.db_path, data_dir.root / DAMAGED_FOLDER)
    # SQLite's quick_check runs in C without the GIL: started first, it overlaps the imports
    # below instead of adding to them. The file is still checked before it is opened for
    # writing, and no window is shown on a damaged file.
    from htx_desktop.store.health import check_database_at_start
    checked: list[StartCheck] = []
    checker = threading.Thread(target=lambda: checked.append(check_database_at_start(data_dir)),
                               name="htx-quick-check")
    checker.start()
    from htx_desktop.store.quick_read import read_start_info
    info = read_start_info(data_dir)
    if info is None:  # a first start, a migration due, a shared server, …: the ordinary way
        return _run_opened(app, data_dir, checker, checked)
    install_translator(app, info.language)
    from htx_desktop.ui.context import AppContext
    from htx_desktop.ui.main_window import MainWindow
    from htx_desktop.ui.pages import dashboard_page  # noqa: F401  the first page
    opened: list[Database] = []
    damaged: list[bool] = []

    def open_database() -> Database:
        # Writes wait for the check: it may still be running on a large file (0.2 s at
        # 240 MB), while the window, drawn from reads only, is already on screen.
        if damaged:
            raise _DamagedAtStart()  # the window is closing: never again
        checker.join()
        if not (checked and checked[0].ok):
            damaged.append(True)
            window.hide()
            QTimer.singleShot(0, app.quit)  # then the damaged-database dialog, below
            raise _DamagedAtStart()
        from htx_desktop.store.engine import Database
        # Checked just now (read-only): no second quick_check on this thread.
        opened.append(Database.open(data_dir, check=False))
        return opened[0]

    # The window is shown before the database is opened: the first page draws the figures
    # kept from the last start while SQLAlchemy and the models load in small steps between
    # events (`_open_in_steps`); anything that needs the database sooner opens it at once.
    ctx = AppContext.pending(info, open_database, data_dir.root)
    window = MainWindow(ctx)
    window.show()
    ctx.when_ready(lambda: _after_open(ctx.db, window))
    if os.environ.get("HTX_SMOKE_TEST") == "1":
        _quit_when_usable(app, window)  # its first mark before the first step
    _open_in_steps(app, ctx, window, stopped=lambda: bool(damaged))
    code = app.exec()
    code = _finish(code, opened[0] if opened else None)
    if damaged:  # nothing was opened for writing: offer the newest good backup
        window.deleteLater()
        return _run_opened(app, data_dir, checker, checked)
    return code


class _DamagedAtStart(Exception):
    """The start-up check failed after the window was shown: it closes, and the ordinary
    start's damaged-database dialog follows. Not a fault of the program."""

    quiet = True  # logged, no error dialog (ui/error_dialog.py)


def _run_opened(app: QApplication, data_dir: DataDir, checker: threading.Thread,
                checked: list[StartCheck]) -> int:
    """The ordinary start: the database opened (and migrated) before the window."""
    from htx_desktop.store.engine import Database
    from htx_desktop.store.errors import StoreError
    from htx_desktop.store.settings import get_setting
    from htx_desktop.ui.context import AppContext
    from htx_desktop.ui.damaged_dialog import ensure_database_sound
    from htx_desktop.ui.dialogs import show_message
    from htx_desktop.ui.main_window import MainWindow
    from htx_desktop.ui.pages import dashboard_page  # noqa: F401  the first page, see above
    checker.join()
    if not ensure_database_sound(None, data_dir, checked[0] if checked else None):
        return 1  # damaged and not restored: never opened
    try:
        # The integrity check just ran (read-only): no second quick_check on this thread.
        db = Database.open(data_dir, check=False)
    except StoreError as exc:
        show_message(None, t("Không mở được dữ liệu"), exc.user_message, warning=True)
        return 1

    with db.session() as session:
        install_translator(app, get_setting(session, "language") or "vi")

    ctx = AppContext.load(db, data_dir.root)
    while ctx is None:  # again if a restored backup had no unit chosen
        from htx_desktop.ui.first_run import FirstRunDialog
        if FirstRunDialog(db).exec() != FirstRunDialog.DialogCode.Accepted:
            return 0
        ctx = AppContext.load(db, data_dir.root)

    window = MainWindow(ctx)
    window.show()
    _after_open(db, window)
    if os.environ.get("HTX_SMOKE_TEST") == "1":
        _quit_when_usable(app, window)
    code = app.exec()
    return _finish(code, db)


# Loaded one per turn of the event loop after the first paint (each ≤ ≈ 0.1 s here), so the
# window answers input between them; the last step opens the database.
_OPEN_STEPS = ("sqlalchemy", "sqlalchemy.orm", "htx_desktop.store.models",
               "htx_desktop.store.engine", "htx_desktop.store.snapshot",
               "htx_desktop.reports.figures")


def _open_in_steps(app: QApplication, ctx: AppContext, window: QWidget,
                   stopped: Callable[[], bool]) -> None:
    """Each step is queued with the window as its context: a window gone (closed after a
    failed start-up check) takes the steps still queued with it."""
    from importlib import import_module

    steps = list(_OPEN_STEPS)

    def step() -> None:
        if ctx.ready or stopped():
            return  # opened already, on demand; or the start was given up
        if steps:
            import_module(steps.pop(0))
            QTimer.singleShot(0, window, step)
            return
        try:
            ctx.open_database()
        except _DamagedAtStart:
            return
        except Exception as exc:  # shown, then the window closes: nothing was written
            from htx_desktop.errors import Refusal
            from htx_desktop.ui.dialogs import show_message
            message = exc.user_message if isinstance(exc, Refusal) else str(exc)
            show_message(None, t("Không mở được dữ liệu"), message, warning=True)
            app.exit(1)

    QTimer.singleShot(0, window, step)  # after the first paint


def _after_open(db: Database, window: MainWindow) -> None:
    """Once the database is open: drafts left by a crash, today's backup, and the unit's
    signing key at the first start of a database that has none (issue 19; a little later,
    off the way to a usable window: `cryptography` takes a moment to import)."""
    QTimer.singleShot(0, window.offer_drafts)
    QTimer.singleShot(0, window, lambda: show_wal_notices(window))
    _start_daily_backup(db, window)
    QTimer.singleShot(1500, lambda: _ensure_signing_key(db))


def show_wal_notices(window: QWidget) -> None:
    """Tell the officer, once, that a WAL left beside a database copied back by hand was set
    aside (store/wal_guard.py)."""
    from htx_desktop.store.wal_guard import take_notices
    from htx_desktop.ui.dialogs import show_message

    for text in take_notices():
        show_message(window, t("Nhật ký ghi cũ đã được cất riêng"), text, warning=True)


def _ensure_signing_key(db: Database) -> None:
    try:
        from htx_desktop.reports.unit_keys import own_key

        own_key(db)
    except Exception:  # best effort: an export makes the key too, and says why if it cannot
        logging.getLogger(__name__).exception("could not make the unit's signing key")


def _finish(code: int, db: Database | None) -> int:
    # A worker still computing (the dashboard's figures) would signal a deleted page; today's
    # backup is never left half made.
    QThreadPool.globalInstance().waitForDone()
    if db is not None:
        db.close()
    return int(code)


def _start_daily_backup(db: Database, window: MainWindow) -> None:
    """The first start of each day keeps a verified copy: made by SQLite's backup API and
    checked with integrity_check, both in C without the GIL, in the thread pool once the
    window is up (0.1 s for a province's 16 MB, seconds for a large file: never on the way to
    the window). The status bar shows the new one when it is made, or says, in red, that it
    could not be (a full disk, a read-only folder)."""
    from htx_desktop.store.backup import try_daily_backup
    from htx_desktop.ui.jobs import BackgroundOp

    def done(result: tuple[Path | None, str | None]) -> None:
        made, problem = result
        if made is not None:
            window.update_status()
        elif problem is not None:  # she is told (the status bar), the program goes on
            window.backup_failed(problem)

    op = BackgroundOp(window, lambda _progress: try_daily_backup(db), done=done,
                      preload=("htx_desktop.store.os_errors",))  # the words for a failed copy
    QTimer.singleShot(0, window, op.start)  # after the first paint


def _quit_when_usable(app: QApplication, window: MainWindow) -> None:
    """HTX_SMOKE_TEST=1 (benchmarks/bench_startup.py, the bundle's smoke test). Prints, as
    seconds since the epoch: `shown` (the event loop turned once after `show()`), `usable`
    (the first page's content is on screen: the figures kept from the last start, or the
    freshly computed ones), `ready` (the database is open: every click is served at once) and
    `fresh` (the first page's figures recomputed); then quits."""
    marks: set[str] = set()

    def mark(name: str) -> None:
        if name in marks:
            return
        marks.add(name)
        print(f"{name} {time.time():.4f}", flush=True)
        if {"usable", "ready", "fresh"} <= marks:
            QTimer.singleShot(0, app.quit)

    def first_page() -> QWidget:
        page = window.stack.currentWidget()
        tabs = getattr(page, "tabs", None)  # a page of tabs: its current tab
        current = tabs.currentWidget() if tabs is not None else page
        assert isinstance(current, QWidget)
        return current

    def fresh() -> None:
        page = first_page()
        if getattr(page, "data", None) is None or getattr(page, "preview_of", None):
            print("failed: the first page's figures were not computed", flush=True)
            app.exit(1)  # a smoke test must not pass on a page that could not compute
            return
        report_overflow(page)
        mark("usable")
        mark("fresh")

    def report_overflow(page: QWidget) -> None:
        """How far the first page and the window's page area are wider than they show (0:
        no horizontal scroll bar; the Windows check asserts it, issue 15)."""
        overflow = getattr(page, "horizontal_overflow", None)
        inner = overflow() if callable(overflow) else 0
        print(f"overflow page={inner} window={window.horizontal_overflow()} "
              f"size={window.width()}x{window.height()}", flush=True)

    def shown() -> None:
        mark("shown")
        page = first_page()
        if getattr(page, "data", None) is not None:
            mark("usable")  # the kept figures are drawn
        if getattr(page, "busy", False) or not window.ctx.ready:
            page.computed.connect(fresh)  # type: ignore[attr-defined]
        else:
            fresh()
        window.ctx.when_ready(lambda: mark("ready"))

    QTimer.singleShot(0, shown)
