"""Issue 15 point 6: the window and every form fit the area above the taskbar of 1366×768 and
1024×768 screens, never grow by themselves, and remember their size per user (not in the
database); list headers are not clipped at the default widths."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QRect, QSize
from sqlalchemy import select

from htx_desktop.store import models as m
from htx_desktop.store.settings import set_setting
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.forms.registry import FORMS, make_form
from htx_desktop.ui.list_page import ListPage
from htx_desktop.ui.main_window import DEFAULT_SIZE, SECTIONS, MainWindow
from htx_desktop.ui.ui_state import fit_into, get_widths, restore_window, set_state

AREAS = {"1366x768": QRect(0, 0, 1366, 728), "1024x768": QRect(0, 0, 1024, 728)}


def within(size: QSize, area: QRect) -> bool:
    return size.width() <= area.width() and size.height() <= area.height()


@pytest.mark.parametrize("screen", list(AREAS))
def test_main_window_fits_and_never_grows(qtbot: Any, ctx: AppContext, screen: str) -> None:
    area = AREAS[screen]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    restore_window(window, "main", DEFAULT_SIZE, area)
    assert within(window.size(), area)
    if screen == "1366x768":
        assert window.size() == DEFAULT_SIZE  # 1280×720: fits with the taskbar
    else:
        assert window.width() == 1024
    window.show()
    before = window.size()
    dashboard: Any = window.pages["overview"].tab(0)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not dashboard.busy, timeout=20_000)
    for row in range(len(SECTIONS)):  # every page built and shown: none widens the window
        window.nav.setCurrentRow(row)
        assert within(window.minimumSizeHint(), area), SECTIONS[row][0]
    assert window.size() == before


def test_remembered_size_larger_than_the_screen_is_reduced(qtbot: Any,
                                                          ctx: AppContext) -> None:
    big = MainWindow(ctx)
    qtbot.addWidget(big)
    big.setGeometry(0, 0, 1900, 1000)
    set_state("window/main", big.saveGeometry())  # as on a big monitor last time
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    area = AREAS["1024x768"]
    restore_window(window, "main", DEFAULT_SIZE, area)
    assert within(window.frameGeometry().size(), area)
    assert area.contains(window.frameGeometry())


def test_size_is_remembered_outside_the_database(qtbot: Any, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.resize(700, 500)  # within the test's offscreen screen (800×800)
    window.close()
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    assert again.size() == QSize(700, 500)
    with ctx.db.session() as session:
        keys = session.scalars(select(m.Setting.key)).all()
    assert not [k for k in keys if k.startswith("ui.")]


@pytest.mark.parametrize("kind", list(FORMS))
def test_every_form_fits_the_small_screen(qtbot: Any, ctx: AppContext,
                                          seeded: dict[str, str], kind: str) -> None:
    area = AREAS["1024x768"]
    for record_id in (None, seeded[kind]):
        form = make_form(ctx, kind, record_id)
        qtbot.addWidget(form)
        form.show()
        fit_into(form, area)
        assert within(form.minimumSizeHint(), area)
        assert within(form.frameGeometry().size(), area)
        form._dirty = False
        form.close()


def test_column_widths_move_from_the_database_once(qtbot: Any, ctx: AppContext) -> None:
    from htx_desktop.ui.list_specs import SPEC_FACTORIES
    spec = SPEC_FACTORIES["cooperative"]()
    old = [c.width + 11 for c in spec.columns]
    with ctx.db.session() as session:
        set_setting(session, "ui.column_widths.cooperative", str(old).replace(" ", ""))
    page = ListPage(ctx, spec)
    qtbot.addWidget(page)
    assert [page.table.horizontalHeader().sectionSize(i) for i in range(len(old))] == old
    assert get_widths("cooperative") == old
    # from now on her settings hold them; resizing writes nothing to the database
    page.show()
    page.table.horizontalHeader().resizeSection(0, 333)
    page.hide()
    assert get_widths("cooperative")[0] == 333  # type: ignore[index]
    with ctx.db.session() as session:
        stored = session.scalar(select(m.Setting.value).where(
            m.Setting.key == "ui.column_widths.cooperative"))
    assert stored == str(old).replace(" ", "")


def test_no_clipped_header_at_default_widths(qtbot: Any, ctx: AppContext) -> None:
    from htx_desktop.ui.list_specs import SPEC_FACTORIES
    for kind, factory in SPEC_FACTORIES.items():
        page = ListPage(ctx, factory())
        qtbot.addWidget(page)
        header = page.table.horizontalHeader()
        for i in range(header.count() - 1):  # the last one stretches
            assert header.sectionSize(i) >= header.sectionSizeFromContents(i).width(), (
                kind, page.spec.columns[i].title)


def test_stretched_last_column_is_not_remembered(qtbot: Any, ctx: AppContext) -> None:
    """Widths saved on a wide window must not push the last header out of a narrow one."""
    from htx_desktop.ui.list_specs import SPEC_FACTORIES
    page = ListPage(ctx, SPEC_FACTORIES["award"]())
    qtbot.addWidget(page)
    page.resize(1300, 400)
    page.show()
    header = page.table.horizontalHeader()
    last = header.count() - 1
    assert header.sectionSize(last) > page.default_width(last) + 100  # stretched
    page.save_widths()
    assert get_widths("award")[last] == page.default_width(last)  # type: ignore[index]


def test_chart_titles_stay_within_their_chart(qtbot: Any) -> None:
    from PySide6.QtGui import QFontMetrics

    from htx_desktop.ui.charts import BarChart
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.resize(220, 300)
    chart.set_data(["2025", "2026"], [1, 2], title=(
        "CT1 — HTX do phụ nữ quản lý được Hội hỗ trợ thành lập, củng cố: theo năm"))
    lines = chart.title_lines()
    fm = QFontMetrics(chart._title_font())
    assert len(lines) == 2
    assert all(fm.horizontalAdvance(line) <= chart.width() for line in lines)
    assert lines[0].startswith("CT1 — HTX") and lines[1].endswith("…")
    chart.resize(900, 300)
    assert chart.title_lines() == [chart.title]


def test_a_number_cut_by_the_table_edge_is_never_read_short(qtbot: Any) -> None:
    """The cell behind the edge is drawn within what shows and ends with "…"."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem, QTableWidget, QTableWidgetItem

    from htx_desktop.ui.edge_delegate import EdgeDelegate, cut_cells_at_edges
    drawn: list[QStyleOptionViewItem] = []

    class Seen(EdgeDelegate):
        def initStyleOption(self, option: QStyleOptionViewItem, index: Any) -> None:
            super().initStyleOption(option, index)
            drawn.append(QStyleOptionViewItem(option))

    table = QTableWidget(1, 2)
    qtbot.addWidget(table)
    item = QTableWidgetItem("4.500.000")
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    table.setItem(0, 1, item)
    table.horizontalHeader().resizeSection(0, 200)
    table.horizontalHeader().resizeSection(1, 200)
    table.resize(280, 120)
    table.show()
    cut_cells_at_edges(table)
    assert isinstance(table.itemDelegate(), EdgeDelegate)
    index = table.model().index(0, 1)
    option = QStyleOptionViewItem()
    option.rect = table.visualRect(index)
    assert option.rect.right() > table.viewport().width()  # behind the edge
    image = QImage(500, 100, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    Seen(table).paint(painter, option, index)
    painter.end()
    shown = drawn[-1]
    assert shown.rect.right() <= table.viewport().width()  # drawn within what shows
    text = shown.fontMetrics.elidedText(shown.text, shown.textElideMode, shown.rect.width() - 8)
    assert text.endswith("…") and text != "4.500"


def test_page_tables_headers_are_whole(qtbot: Any, ctx: AppContext) -> None:
    """Every table of every page and tab: no header narrower than its text."""
    from PySide6.QtWidgets import QHeaderView, QTableView
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    dashboard: Any = window.pages["overview"].tab(0)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not dashboard.busy, timeout=20_000)
    checked = 0
    for row in range(len(SECTIONS)):
        window.nav.setCurrentRow(row)
        page = window.pages[SECTIONS[row][0]]
        tabs = getattr(page, "tabs", None)
        for i in range(tabs.count() if tabs is not None else 1):
            if tabs is not None:
                tabs.setCurrentIndex(i)
            for view in page.findChildren(QTableView):
                header = view.horizontalHeader()
                for c in range(header.count() - (1 if header.stretchLastSection() else 0)):
                    if header.sectionResizeMode(c) != QHeaderView.ResizeMode.Interactive:
                        continue
                    assert header.sectionSize(c) >= header.sectionSizeFromContents(c).width(), (
                        SECTIONS[row][0], view.model().headerData(c, header.orientation()))
                    checked += 1
    assert checked > 40
