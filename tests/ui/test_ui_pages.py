from __future__ import annotations

from htx_desktop.ui.context import AppContext
from htx_desktop.ui.main_window import SECTIONS, MainWindow


def test_every_page_builds(qtbot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    for row, (key, _title, _m) in enumerate(SECTIONS):
        window.nav.setCurrentRow(row)
        assert window.pages[key] is window.stack.currentWidget()
