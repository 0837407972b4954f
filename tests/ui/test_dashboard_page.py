"""The dashboard page on demo data: the figures shown are the engine's, the period and unit
selectors recompute, an empty denominator shows "—", the drill-down lists exactly the records
behind a figure, and the charts paint one bar per year / unit."""

from __future__ import annotations

from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from htx_desktop.demo.generate import generate_demo
from htx_desktop.domain.indicators import INDICATOR_CODES
from htx_desktop.domain.periods import parse_period
from htx_desktop.reports.dashboard import TARGET_YEARS, TOP_UNITS, dashboard_figures
from htx_desktop.reports.figures import indicators_for_unit
from htx_desktop.reports.labels import format_figure
from htx_desktop.store.engine import Database
from htx_desktop.store.reference import find_unit
from htx_desktop.store.settings import home_unit
from htx_desktop.store.targets import targets_for
from htx_desktop.ui.charts import BarChart, HBarChart, nice_ticks
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.indicator_card import progress_text, target_text
from htx_desktop.ui.pages.dashboard_page import DashboardPage

TODAY = date.today()


def _ctx(db: Database) -> AppContext:
    ctx = AppContext.load(db)
    assert ctx is not None
    return ctx


@pytest.fixture
def province_ctx(db: Database) -> AppContext:
    """Province 19 (92 communes) with demo data."""
    with db.session() as session:
        province = find_unit(session, "19")
        assert province is not None
        generate_demo(session, province.id, today=TODAY)
    return _ctx(db)


@pytest.fixture
def commune_ctx(commune_db: Database) -> AppContext:
    """A commune as the home unit, with its own demo data."""
    with commune_db.session() as session:
        unit = home_unit(session)
        assert unit is not None
        generate_demo(session, unit.id, today=TODAY)
    return _ctx(commune_db)


def _page(qtbot: QtBot, ctx: AppContext) -> DashboardPage:
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    _wait(qtbot, page)
    return page


def _wait(qtbot: QtBot, page: DashboardPage) -> None:
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)
    assert page.data is not None


def _engine(ctx: AppContext, unit_id: int, period: str):  # type: ignore[no-untyped-def]
    with ctx.db.session() as session:
        return indicators_for_unit(session, unit_id, parse_period(period))


def _assert_shows(page: DashboardPage, ctx: AppContext, unit_id: int, period: str) -> None:
    report = _engine(ctx, unit_id, period)
    with ctx.db.session() as session:
        targets = targets_for(session, unit_id)
    for code in INDICATOR_CODES:
        result = report.result(code)
        card = page.cards[code]
        assert card.value.text() == format_figure(result.value, code), code
        if result.is_percent:
            assert card.detail.text().startswith(f"{result.numerator}/{result.denominator} ")
        # The bar of the period's own phase shows the engine's progress, uncapped in its text.
        bar = card.bars[report.target_year]
        target = targets.get((code, report.target_year))
        if target is None:
            assert bar.format() == "chưa có chỉ tiêu"
        else:
            assert card.target_labels[report.target_year].text().endswith(
                target_text(target, code))
            assert bar.format() == progress_text(result.progress)
            assert bar.value() == min(100, round(result.progress or 0))


def test_figures_equal_the_engine_for_every_indicator(qtbot: QtBot,
                                                      province_ctx: AppContext) -> None:
    page = _page(qtbot, province_ctx)
    assert page.period_text() == str(TODAY.year)
    _assert_shows(page, province_ctx, province_ctx.home_unit_id, str(TODAY.year))
    # Both phases' targets are on every card that has them.
    for year in TARGET_YEARS:
        assert page.cards["CT1"].target_labels[year].text().startswith(f"Mục tiêu {year}: ")
    # A demo province exceeds some 2025 targets: the bar stops at 100, the text does not.
    page.period_box.setCurrentIndex(page.period_box.findData("2025"))
    _wait(qtbot, page)
    over = [c for c in INDICATOR_CODES
            if (page.data and (page.data.progress(c, 2025) or 0) > 100)]
    assert over
    bar = page.cards[over[0]].bars[2025]
    assert bar.value() == 100 and bar.format() == progress_text(page.data.progress(over[0], 2025))


def test_changing_period_and_unit_recomputes(qtbot: QtBot, commune_ctx: AppContext) -> None:
    page = _page(qtbot, commune_ctx)
    unit_id = commune_ctx.home_unit_id
    page.period_box.setCurrentIndex(page.period_box.findData("phase1"))
    _wait(qtbot, page)
    assert page.data is not None and page.data.period.label == "2023-2025"
    assert "giai đoạn 2023–2025" in page.heading.text()
    _assert_shows(page, commune_ctx, unit_id, "phase1")
    page.period_box.setCurrentIndex(page.period_box.findData("2024"))
    _wait(qtbot, page)
    _assert_shows(page, commune_ctx, unit_id, "2024")
    # A flow shows its cumulative figure since the start of the phase.
    ct6 = _engine(commune_ctx, unit_id, "2024").result("CT6")
    assert page.cards["CT6"].detail.text().endswith(f": {ct6.cumulative}")


def test_empty_denominator_shows_a_dash(qtbot: QtBot, commune_db: Database) -> None:
    page = _page(qtbot, _ctx(commune_db))  # a commune with no records at all
    for code in ("CT5", "CT8", "CT9"):
        assert page.cards[code].value.text() == "—"
        assert page.cards[code].detail.text().startswith("Chưa có")
    assert page.cards["CT1"].value.text() == "0"
    assert page.no_split.isVisibleTo(page) and not page.split_chart.isVisibleTo(page)


def test_drill_down_lists_exactly_the_records_behind_a_figure(
        qtbot: QtBot, commune_ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    page = _page(qtbot, commune_ctx)
    page.period_box.setCurrentIndex(page.period_box.findData("2025"))
    _wait(qtbot, page)
    report = _engine(commune_ctx, commune_ctx.home_unit_id, "2025")

    for code in ("CT1", "CT3"):  # cooperatives, one tab
        dialog = page.records_dialog(code)
        assert dialog is not None and dialog.kind == "cooperative"
        qtbot.addWidget(dialog)
        assert dialog.tabs.count() == 1
        assert sorted(dialog.record_ids(0)) == sorted(report.result(code).record_ids)

    ct5 = report.result("CT5")
    assert ct5.denominator  # the demo commune has women managers
    dialog = page.records_dialog("CT5")
    assert dialog is not None and dialog.kind == "person"
    qtbot.addWidget(dialog)
    assert [dialog.tabs.tabText(i).rsplit(" (", 1)[0] for i in range(2)] == [
        "Được tính (tử số)", "Tổng (mẫu số)"]
    assert sorted(dialog.record_ids(0)) == sorted(ct5.record_ids)
    assert sorted(dialog.record_ids(1)) == sorted(ct5.denominator_ids)
    # Names are shown, with the cooperative the woman manages on the period's last day.
    assert dialog.tables[1].item(0, 0).text() and dialog.tables[1].item(0, 1).text()

    ct8 = report.result("CT8")
    dialog = page.records_dialog("CT8")
    assert dialog is not None and dialog.kind == "cadre"
    qtbot.addWidget(dialog)
    assert sorted(dialog.record_ids(1)) == sorted(ct8.denominator_ids)

    ct6 = report.result("CT6")
    dialog = page.records_dialog("CT6", "cumulative")
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.tabs.tabText(0).startswith("Lũy kế")
    assert sorted(dialog.record_ids(0)) == sorted(ct6.cumulative_ids)
    assert sorted(dialog.record_ids(1)) == sorted(ct6.record_ids)

    # Double-clicking a row opens that record in its form.
    opened: list[tuple[str, str]] = []
    monkeypatch.setattr("htx_desktop.ui.forms.registry.open_form",
                        lambda ctx, kind, record_id, **kw: opened.append((kind, record_id)))
    dialog = page.records_dialog("CT5")
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.tables[1].cellDoubleClicked.emit(0, 1)
    assert opened == [("person", dialog.record_ids(1)[0])]


def test_drilled_record_opens_in_its_real_form(qtbot: QtBot, commune_ctx: AppContext) -> None:
    from htx_desktop.ui.forms.registry import make_form

    page = _page(qtbot, commune_ctx)
    for code in ("CT1", "CT5", "CT8"):
        dialog = page.records_dialog(code, "value")
        assert dialog is not None
        qtbot.addWidget(dialog)
        ids = dialog.record_ids(dialog.tabs.count() - 1)
        assert ids, code
        form = make_form(commune_ctx, dialog.kind, ids[0], parent=dialog)
        qtbot.addWidget(form)
        assert form.record_id == ids[0]


def test_charts_have_a_bar_per_year_and_per_unit(qtbot: QtBot,
                                                  province_ctx: AppContext) -> None:
    page = _page(qtbot, province_ctx)
    data = page.data
    assert data is not None
    years = list(range(2023, TODAY.year + 1))
    for code in ("CT1", "CT3", "CT5"):
        page.chart_code.setCurrentIndex(page.chart_code.findData(code))
        assert page.trend_chart.labels == [str(y) for y in years]
        assert page.trend_chart.values == [data.yearly[y].result(code).value for y in years]
        assert len(data.children) == 92
        assert page.split_chart.bar_count() == TOP_UNITS + 1
        assert page.split_chart.labels[-1] == "Khác (77 đơn vị)"
        page.body.grab()  # paints every chart (a Qt warning would fail the test)
        assert len(page.trend_chart.bar_rects) == sum(
            1 for y in years if data.yearly[y].result(code).value is not None)
        assert len(page.split_chart.bar_rects) == TOP_UNITS + 1
    # The split of an additive indicator adds up to the province's figure.
    page.chart_code.setCurrentIndex(page.chart_code.findData("CT3"))
    assert sum(v or 0 for v in page.split_chart.values) == data.result("CT3").value


def test_dashboard_figures_match_indicators_command(province_ctx: AppContext) -> None:
    """Qt-free: the per-year reports are the engine's for each year."""
    with province_ctx.db.session() as session:
        data = dashboard_figures(session, province_ctx.home_unit_id, "2024", today=TODAY)
        for year, report in data.yearly.items():
            direct = indicators_for_unit(session, province_ctx.home_unit_id,
                                         parse_period(str(year)))
            assert report.to_json() == direct.to_json()


def test_nice_ticks_and_charts_paint_edge_cases(qtbot: QtBot) -> None:
    assert nice_ticks(57) == [0, 20, 40, 60]
    assert nice_ticks(3)[-1] >= 3 and nice_ticks(0) == [0.0, 1.0]
    bars = BarChart()
    qtbot.addWidget(bars)
    bars.resize(300, 260)
    bars.set_data(["2023", "2024"], [None, 12.5], axis_title="Năm")
    bars.grab()
    assert bars.bar_count() == 2 and len(bars.bar_rects) == 1
    h = HBarChart()
    qtbot.addWidget(h)
    h.break_last = True
    h.resize(360, h.sizeHint().height())
    h.set_data(["Phường có một cái tên rất dài không vừa cột nhãn", "B", "Khác"], [3, 1, 50])
    h.grab()
    assert len(h.bar_rects) == 3
    assert h.bar_rects[2].right() <= h.width()  # the "Khác" bar is cut, not off the chart
