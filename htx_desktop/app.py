"""The window's front door: `run_gui(data_dir)`. Thin: fonts, error hook, database, first-run
wizard or main window. Report libraries are not imported here (start-up time)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from htx_desktop.i18n import set_language, t
from htx_desktop.resources import resource_path
from htx_desktop.store.paths import DataDir

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

    from htx_desktop.store.engine import Database
    from htx_desktop.store.errors import StoreError
    from htx_desktop.ui.damaged_dialog import ensure_database_sound
    from htx_desktop.ui.dialogs import show_message
    if not ensure_database_sound(None, data_dir):  # damaged and not restored: never opened
        return 1
    try:
        # The integrity check just ran (read-only): no second quick_check on this thread.
        db = Database.open(data_dir, check=False)
    except StoreError as exc:
        show_message(None, t("Không mở được dữ liệu"), exc.message, warning=True)
        return 1
    from htx_desktop.store.backup import daily_backup_or_log
    daily_backup_or_log(db)  # the first start of each day keeps a verified copy

    from htx_desktop.store.settings import get_setting
    with db.session() as session:
        install_translator(app, get_setting(session, "language") or "vi")

    from htx_desktop.ui.context import AppContext
    ctx = AppContext.load(db, data_dir.root)
    if ctx is None:
        from htx_desktop.ui.first_run import FirstRunDialog
        if FirstRunDialog(db).exec() != FirstRunDialog.DialogCode.Accepted:
            return 0
        ctx = AppContext.load(db, data_dir.root)
        assert ctx is not None

    from htx_desktop.ui.main_window import MainWindow
    window = MainWindow(ctx)
    window.show()
    QTimer.singleShot(0, window.offer_drafts)
    if os.environ.get("HTX_SMOKE_TEST") == "1":
        # Start-up benchmark and smoke test (benchmarks/bench_startup.py): leave as soon as the
        # window is shown and the event loop has turned once.
        QTimer.singleShot(0, app.quit)
    code = app.exec()
    db.close()
    return int(code)
