"""Cài đặt: the officer and counting rules, and the backups (list, back up now, restore)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from htx_desktop.i18n import t
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.pages.hub import TabHub


def _backups(ctx: AppContext) -> QWidget:
    if ctx.data_root is None:  # a server database: the IT person backs it up (pg_dump)
        return QLabel(t("Cơ sở dữ liệu dùng chung trên máy chủ: việc sao lưu do máy chủ đảm "
                        "nhiệm."))
    from htx_desktop.store.paths import DataDir
    from htx_desktop.ui.pages.backup_page import BackupPage

    return BackupPage(ctx.db, DataDir(ctx.data_root))


def make_page(ctx: AppContext) -> TabHub:
    from htx_desktop.ui.pages import settings_page

    return TabHub([
        (t("Cán bộ và quy tắc tính"), lambda: settings_page.make_page(ctx)),
        (t("Sao lưu và khôi phục"), lambda: _backups(ctx)),
    ])
