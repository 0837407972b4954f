"""Every section of the main window builds on demo data and shows what the officer expects:
lists with rows, the dashboard with its figures, the report, receive, spreadsheet and backup
tabs wired in."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QPushButton

from htx_desktop.cli import run
from htx_desktop.store.engine import Database
from htx_desktop.store.paths import DataDir
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.list_page import ListPage
from htx_desktop.ui.main_window import SECTIONS, MainWindow


def test_every_page_builds(qtbot: Any, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    # The in-memory test database has one connection: let the dashboard's worker finish.
    dashboard: Any = window.pages["overview"].tab(0)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not dashboard.busy, timeout=20_000)
    for row, (key, _title, _m) in enumerate(SECTIONS):
        window.nav.setCurrentRow(row)
        assert window.pages[key] is window.stack.currentWidget()


def test_sections_and_tabs_on_demo_data(qtbot: Any, tmp_path: Path) -> None:
    """A real data folder (the backup tab needs one) with a commune's demo data."""
    folder = tmp_path / "data"
    assert run(["--data-dir", str(folder), "init", "--unit", "05443"]) == 0
    assert run(["--data-dir", str(folder), "demo", "--seed", "4"]) == 0
    db = Database.open(DataDir(folder))
    try:
        ctx = AppContext.load(db, folder)
        assert ctx is not None
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        for key in ("cooperatives", "events", "jobs", "support", "plan"):
            page: Any = window.go(key)
            lists = [page] if isinstance(page, ListPage) else list(page.lists.values())
            for lst in lists:
                qtbot.waitUntil(lambda lst=lst: lst.model.rowCount() > 0, timeout=5000)

        home: Any = window.go("overview")
        dashboard = home.tab(0)
        qtbot.waitUntil(lambda: not dashboard.busy, timeout=20_000)
        assert dashboard.data is not None
        assert home.tabs.count() == 3 and home.tab(1) is not None and home.tab(2) is not None

        reports: Any = window.go("reports")
        titles = [reports.tabs.tabText(i) for i in range(reports.tabs.count())]
        assert titles == ["Xuất gói báo cáo", "Nhận gói của đơn vị cấp dưới", "Bảng tính",
                          "Các kỳ báo cáo"]
        for i in range(reports.tabs.count()):
            assert reports.tab(i) is reports.tabs.widget(i)
        sheets = reports.tab(2)
        assert {b.text() for b in sheets.findChildren(QPushButton)} >= {
            "Lưu bảng tính mẫu…", "Nhập dữ liệu từ bảng tính…"}

        settings: Any = window.go("settings")
        backups = settings.tab(1)
        assert type(backups).__name__ == "BackupPage"
        assert date.today().year >= 2026
    finally:
        db.close()
