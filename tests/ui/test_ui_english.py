"""The window in English (settings key `language` = "en"): navigation, list pages, forms and
tabs show English, with no Vietnamese left in what was looked at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from htx_desktop.app import install_translator
from htx_desktop.i18n import language, set_language, t
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.forms.registry import make_form
from htx_desktop.ui.list_page import ListPage
from htx_desktop.ui.main_window import SECTIONS, MainWindow

VIETNAMESE = re.compile(
    "[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE)


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    """English for one test; every other test keeps the Vietnamese default."""
    install_translator(qapp, "en")
    try:
        yield
    finally:
        set_language("vi")


def test_language_fixture_restores_vietnamese() -> None:
    assert language() == "vi"
    assert t("Tổng quan") == "Tổng quan"


def test_navigation_and_list_page_in_english(qtbot: Any, ctx: AppContext,
                                             english: None) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    items = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert items == ["Overview", "Cooperatives & groups", "People", "Training & events",
                     "Job placements", "Support to cooperatives", "Communication & awards", "Plan",
                     "Reports", "Settings"]
    assert len(items) == len(SECTIONS)
    dashboard: Any = window.pages["overview"].tab(0)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not dashboard.busy, timeout=20_000)

    page = window.go("cooperatives")
    lists = [page] if isinstance(page, ListPage) else list(page.lists.values())  # type: ignore[attr-defined]
    coop = lists[0]
    assert [b.text() for b in (coop.add_button, coop.edit_button, coop.delete_button,
                               coop.trash_button, coop.history_button)] == [
        "Add", "Edit", "Delete", "Trash", "History"]
    assert coop.search.placeholderText() == "Search (diacritics optional)…"
    model = coop.model
    headers = [str(model.headerData(c, _horizontal(), _display()))
               for c in range(model.columnCount())]
    assert "Tax code" in headers
    assert not [h for h in headers if VIETNAMESE.search(h)], headers

    reports: Any = window.go("reports")
    assert [reports.tabs.tabText(i) for i in range(reports.tabs.count())] == [
        "Export report package", "Receive packages from lower units", "Spreadsheets",
        "Reporting periods"]


def test_every_page_and_form_without_vietnamese(qtbot: Any, ctx: AppContext,
                                               english: None) -> None:
    """Buttons of every section, and labels and buttons of a new cooperative's form (none of
    these quote the officer's data, which stays Vietnamese)."""
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    dashboard: Any = window.pages["overview"].tab(0)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not dashboard.busy, timeout=20_000)
    left: list[str] = []
    for key, _title, _module in SECTIONS:
        page = window.go(key)
        left += [f"{key}: {b.text()}" for b in page.findChildren(QPushButton)
                 if VIETNAMESE.search(b.text())]
    form = make_form(ctx, "cooperative", None, parent=window)
    form.show()
    texts = [w.text() for w in form.findChildren(QLabel)]
    texts += [b.text() for b in form.findChildren(QPushButton)]
    left += [f"form: {text}" for text in texts if VIETNAMESE.search(text)]
    form._dirty = False
    form.close()
    assert not left, "\n".join(left)


def test_narrative_headings_have_english() -> None:
    """The export page's numbered task headings are built at import time ("1. …")."""
    from htx_desktop.i18n import _english
    from htx_desktop.ui.pages.export_narrative import SECTION_HEADINGS

    assert [h for _key, h in SECTION_HEADINGS if h not in _english()] == []


def _horizontal() -> Any:
    from PySide6.QtCore import Qt
    return Qt.Orientation.Horizontal


def _display() -> Any:
    from PySide6.QtCore import Qt
    return Qt.ItemDataRole.DisplayRole
