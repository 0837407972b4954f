"""The window's front door: `run_gui(data_dir)`. Thin: fonts, error hook, database, first-run
wizard or main window. Report libraries are not imported here (start-up time)."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from htx_desktop.i18n import set_language, t
from htx_desktop.resources import resource_path
from htx_desktop.store.paths import DataDir

if TYPE_CHECKING:
    from htx_desktop.store.engine import Database
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
    data_dir.ensure()
    app = make_app()
    from htx_desktop.ui.error_dialog import install_excepthook
    install_excepthook(data_dir.logs)

    # SQLite's quick_check runs in C without the GIL: started first, it overlaps the imports
    # below (the ORM, the window, the first page) instead of adding to them. The file is still
    # checked before it is opened for writing.
    from htx_desktop.store.health import StartCheck, check_database_at_start
    checked: list[StartCheck] = []
    checker = threading.Thread(target=lambda: checked.append(check_database_at_start(data_dir)),
                               name="htx-quick-check")
    checker.start()
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
        show_message(None, t("Không mở được dữ liệu"), exc.message, warning=True)
        return 1

    with db.session() as session:
        install_translator(app, get_setting(session, "language") or "vi")

    ctx = AppContext.load(db, data_dir.root)
    if ctx is None:
        from htx_desktop.ui.first_run import FirstRunDialog
        if FirstRunDialog(db).exec() != FirstRunDialog.DialogCode.Accepted:
            return 0
        ctx = AppContext.load(db, data_dir.root)
        assert ctx is not None

    window = MainWindow(ctx)
    window.show()
    QTimer.singleShot(0, window.offer_drafts)
    backup = _start_daily_backup(db, window)
    if os.environ.get("HTX_SMOKE_TEST") == "1":
        _quit_when_usable(app, window)
    code = app.exec()
    # A worker still computing (the dashboard's figures) would signal a deleted page.
    QThreadPool.globalInstance().waitForDone()
    backup.join()  # never leave today's copy half made
    db.close()
    return int(code)


class _BackupDone(QObject):
    done = Signal()


def _start_daily_backup(db: Database, window: MainWindow) -> threading.Thread:
    """The first start of each day keeps a verified copy: made by SQLite's backup API and
    checked with integrity_check, both in C without the GIL, on a thread of its own once the
    window is up (0.1 s for a province's 16 MB, seconds for a large file: never on the way to
    the window). A failed copy is logged; the status bar shows the new one when it is made."""
    from htx_desktop.store.backup import daily_backup_or_log

    notifier = _BackupDone(window)
    notifier.done.connect(window.update_status)

    def work() -> None:
        if daily_backup_or_log(db) is not None:
            notifier.done.emit()

    thread = threading.Thread(target=work, name="htx-daily-backup")
    QTimer.singleShot(0, thread.start)  # after the first paint
    return thread


def _quit_when_usable(app: QApplication, window: MainWindow) -> None:
    """HTX_SMOKE_TEST=1 (benchmarks/bench_startup.py, the bundle's smoke test): quit once the
    window is usable, i.e. shown, and its first page's content on screen — the dashboard's
    figures are computed in a worker, so that is when it says `computed`. Prints, as seconds
    since the epoch, when the window had been shown (`shown`) and when the content was there
    (`usable`)."""
    def usable() -> None:
        print(f"usable {time.time():.4f}", flush=True)
        QTimer.singleShot(0, app.quit)

    def shown() -> None:
        print(f"shown {time.time():.4f}", flush=True)
        page = window.stack.currentWidget()
        tabs = getattr(page, "tabs", None)  # a page of tabs: its current tab
        if tabs is not None:
            page = tabs.currentWidget()
        if getattr(page, "busy", False):
            page.computed.connect(usable)  # type: ignore[union-attr]
        else:
            usable()

    QTimer.singleShot(0, shown)
