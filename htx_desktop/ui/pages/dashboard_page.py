"""Tổng quan: CT1–CT9 of a unit for a period with progress against the 2025 and 2030 targets,
the trend by year and the split by unit below (charts in `ui/charts.py`, drawn with QPainter),
and the plan lines' status for the year. Clicking a figure lists the records behind it.

The figures are computed off the UI thread (`ui/jobs.py::BackgroundOp`): a province's take
about a second. Everything the worker runs is imported on the UI thread first
(`preload_dashboard`) — PySide6's import hook is not thread-safe and a first import inside a
worker crashed the process. While a computation runs the page touches no database: an
in-memory or single-file SQLite connection may be shared with the worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.domain import catalogues as cat
from htx_desktop.domain.indicators import INDICATOR_CODES, PERCENT_CODES
from htx_desktop.domain.periods import parse_period, scheme_years_until
from htx_desktop.i18n import t
from htx_desktop.reports.dashboard import (
    SHOWN_BY_NAME,
    TOP_UNITS,
    DashboardData,
    dashboard_figures,
    period_choices,
    preload_dashboard,
    split_rows,
    trend_rows,
)
from htx_desktop.reports.dashboard_cache import load_figures, save_figures
from htx_desktop.reports.labels import format_figure, format_number
from htx_desktop.store.paths import DataDir
from htx_desktop.ui.charts import BarChart, HBarChart
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.indicator_card import SHORT_NAME, IndicatorCard

if TYPE_CHECKING:  # the page is drawn before the store is imported (app.run_gui)
    from htx_desktop.store.engine import Database
    from htx_desktop.ui.drilldown import RecordsDialog
    from htx_desktop.ui.jobs import Progress

STATUSES = ("not_started", "in_progress", "done")
log = logging.getLogger(__name__)
# The cards' width below which they go two a row even where their minimum widths would fit
# three (a 1280-px window gives them about 970 px, a 1024-px one about 720).
ROOM_FOR_THREE = 880


def columns_that_fit(room: int, card_width: int, spacing: int) -> int:
    """Cards a row in `room` px: three from ROOM_FOR_THREE on, if three of `card_width` fit
    side by side; else two if two fit; else one (whose words wrap to fit)."""
    for columns in (3, 2):
        if columns == 3 and room < ROOM_FOR_THREE:
            continue
        if columns * card_width + (columns - 1) * spacing <= room:
            return columns
    return 1


def _figures(db: Database, unit_id: int, period: str) -> Callable[[Progress], DashboardData]:
    """The work of one computation (in a worker thread; it reads only)."""
    def work(_progress: Progress) -> DashboardData:
        with db.session() as session:
            return dashboard_figures(session, unit_id, period)
    return work


class DashboardPage(QWidget):
    computed = Signal()  # new figures are on screen (tests wait for it)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.data: DashboardData | None = None
        self.busy = False
        # The figures kept from the last start, shown until the fresh ones replace them:
        # when they were computed, or None when what is on screen is fresh (or empty).
        self.preview_of: datetime | None = None
        self._generation = 0
        outer = QVBoxLayout(self)
        self.outer_layout = outer
        outer.setContentsMargins(8, 8, 8, 0)
        self.today = today  # None: the store's clock, read at each refresh
        outer.addLayout(self._header(today or date.today()))
        outer.addWidget(self._own_deadline())
        outer.addWidget(self._quality())
        scroll = QScrollArea()
        self.scroll_area = scroll
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        self.body = body
        layout = QVBoxLayout(body)
        self.body_layout = layout
        layout.setContentsMargins(0, 0, 6, 8)
        grid = QGridLayout()
        grid.setSpacing(8)
        self.grid = grid
        self.columns = 0
        self.cards: dict[str, IndicatorCard] = {}
        for code in INDICATOR_CODES:
            card = IndicatorCard(code)
            card.drill.connect(self.drill_down)
            self.cards[code] = card
        self._place_cards(3)
        layout.addLayout(grid)
        layout.addWidget(self._charts())
        layout.addWidget(self._plan())
        layout.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self._default = (self.unit_id(), parse_period(self.period_text()).label)
        if not ctx.ready:  # the window's start: last figures now, fresh ones once it opens
            self._show_preview()
        self.ctx.when_ready(self.refresh)

    # ------------------------------------------------------------------ building

    def _place_cards(self, columns: int) -> None:
        """Three cards a row, two on a narrow window, one where two do not fit."""
        if columns == self.columns:
            return
        self.columns = columns
        for i, card in enumerate(self.cards.values()):
            self.grid.removeWidget(card)
            self.grid.addWidget(card, i // columns, i % columns)
        for c in range(3):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.choose_columns()

    def choose_columns(self) -> None:
        """As many columns (three at most) as the cards' own widths allow in the page's
        width: never a horizontal scroll bar, whatever the fonts' metrics are (Windows' are
        wider than the tests'). Again whenever the cards' texts change."""
        self._place_cards(columns_that_fit(self.card_room(), self.card_width(),
                                           max(self.grid.horizontalSpacing(), 0)))

    def card_width(self) -> int:
        """The width every card needs to read without squeezing (never below its minimum)."""
        return max((c.comfortable_width() for c in self.cards.values()), default=0)

    def card_room(self) -> int:
        """The width the cards' grid gets: the scroll area's, less its vertical bar (counted
        whether shown or not: it comes and goes with the cards' height) and the body's
        margins. Taken from the page's own width, which the cards never change."""
        scroll = self.scroll_area
        bar = scroll.verticalScrollBar().sizeHint().width()
        frame = 2 * scroll.frameWidth()
        margins = self.body_layout.contentsMargins()
        outer = self.outer_layout.contentsMargins()
        return int(self.width() - outer.left() - outer.right() - frame - bar
                   - margins.left() - margins.right())

    def horizontal_overflow(self) -> int:
        """How far (px) the page's content is wider than what shows: 0 when no horizontal
        scroll bar is needed (the Windows check's smoke test prints it)."""
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        viewport = self.scroll_area.viewport().width()
        return int(max(0, self.scroll_area.horizontalScrollBar().maximum(),
                       self.body.minimumSizeHint().width() - viewport))

    def _header(self, today: date) -> QHBoxLayout:
        row = QHBoxLayout()
        self.heading = QLabel(t("Tổng quan chỉ tiêu"))
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.heading.setWordWrap(True)  # a long unit name wraps, never widens the window
        self.heading.setMinimumWidth(220)
        # "Đang tính…" on a line of its own under the heading: beside the choosers it made the
        # page 80 px wider than a 1024-px window while the kept figures were shown (issue 15).
        # In a widget of its own: a layout whose busy line is hidden (empty) limited the
        # column to its minimum width, and the heading wrapped beside empty room.
        head = QWidget()
        left = QVBoxLayout(head)
        left.setContentsMargins(0, 0, 0, 0)
        left.setSpacing(2)
        left.addWidget(self.heading)
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # busy: no known length
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setFixedSize(90, self.busy_bar.fontMetrics().height())
        self.busy_label = QLabel(t("Đang tính…"))
        self.busy_label.setWordWrap(True)
        busy = QHBoxLayout()
        busy.addWidget(self.busy_bar)
        busy.addWidget(self.busy_label, 1)
        left.addLayout(busy)
        row.addWidget(head, 1)
        row.addWidget(QLabel(t("Kỳ:")))
        self.period_box = QComboBox()
        self.period_box.setObjectName("period")
        for label, text in period_choices(today):
            self.period_box.addItem(label, text)
        # This year's figures; after the scheme's last year, that year's.
        self.period_box.setCurrentIndex(
            self.period_box.findData(str(scheme_years_until(today)[-1])))
        self.period_box.currentIndexChanged.connect(lambda _i: self.refresh())
        row.addWidget(self.period_box)
        row.addWidget(QLabel(t("Đơn vị:")))
        self.unit_box = QComboBox()
        self.unit_box.setObjectName("unit")
        for unit_id, name in self.ctx.communes:
            self.unit_box.addItem(name, unit_id)
        self.unit_box.setCurrentIndex(max(0, self.unit_box.findData(self.ctx.home_unit_id)))
        self.unit_box.setMinimumContentsLength(14)
        self.unit_box.currentIndexChanged.connect(lambda _i: self.refresh())
        row.addWidget(self.unit_box)
        return row

    def _charts(self) -> QGroupBox:
        box = QGroupBox(t("Biểu đồ"))
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(QLabel(t("Chỉ tiêu:")))
        self.chart_code = QComboBox()
        self.chart_code.setObjectName("chart_code")
        for code in INDICATOR_CODES:
            self.chart_code.addItem(f"{code} — {t(SHORT_NAME[code])}", code)
        self.chart_code.currentIndexChanged.connect(lambda _i: self.show_charts())
        row.addWidget(self.chart_code)
        row.addStretch(1)
        layout.addLayout(row)
        charts = QHBoxLayout()
        self.trend_chart = BarChart()
        self.trend_chart.setObjectName("trend_chart")
        self.split_chart = HBarChart()
        self.split_chart.setObjectName("split_chart")
        self.no_split = QLabel(t("Đơn vị này không có đơn vị trực thuộc."))
        self.no_split.setAlignment(Qt.AlignmentFlag.AlignCenter)
        charts.addWidget(self.trend_chart, 2, Qt.AlignmentFlag.AlignTop)
        charts.addWidget(self.split_chart, 3, Qt.AlignmentFlag.AlignTop)
        charts.addWidget(self.no_split, 3)
        layout.addLayout(charts)
        return box

    def _own_deadline(self) -> QLabel:
        """A sending unit's next deadline (issue 21 point 4); hidden at the top level."""
        self.deadline_line = QLabel()
        self.deadline_line.setObjectName("own_deadline")
        self.deadline_line.setWordWrap(True)
        self.deadline_line.setToolTip(t(
            "Hạn mặc định: ngày 25/12 hằng năm. Nếu cấp trên báo một hạn khác, hãy theo hạn "
            "của cấp trên."))
        self.deadline_line.hide()
        return self.deadline_line

    def show_own_deadline(self) -> None:
        """Read on the UI thread, before a worker starts: one small query."""
        from htx_desktop.store import clock
        from htx_desktop.store.deadlines import own_next_deadline
        from htx_desktop.store.models import Unit

        with self.ctx.db.session() as session:
            home = session.get(Unit, self.ctx.home_unit_id)
            found = (own_next_deadline(session, home.id, self.today or clock.local_today())
                     if home is not None and home.parent_id is not None else None)
        self.deadline_line.setVisible(found is not None)
        if found is None:
            return
        self.deadline_line.setText(("⚠ " if found.overdue else "") + found.text())
        colours = ("#fdecea", "#b3261e", "#b3261e") if found.overdue else \
            ("#eef3fb", "#1a3d6d", "#b9cbe6")
        self.deadline_line.setStyleSheet(
            f"QLabel{{background:{colours[0]}; color:{colours[1]}; border:1px solid "
            f"{colours[2]}; border-radius:3px; padding:4px 6px;}}")

    def _quality(self) -> QLabel:
        """Data-quality warning: managers whose sex is not recorded (not counted as women)."""
        self.quality = QLabel()
        self.quality.setObjectName("data_quality")
        self.quality.setWordWrap(True)
        self.quality.setTextFormat(Qt.TextFormat.RichText)
        self.quality.setStyleSheet("QLabel{background:#fff4d6; border:1px solid #e0b84c;"
                                   " border-radius:3px; padding:4px 6px;}")
        self.quality.linkActivated.connect(self.open_quality_link)
        self.quality.hide()
        return self.quality

    def show_quality(self) -> None:
        people = self.data.sex_not_recorded if self.data is not None else ()
        self.quality.setVisible(bool(people))
        if not people:
            self.quality.clear()
            return
        named = [f'<a href="person:{escape(pid)}">{escape(name or t("(không tên)"))}</a>'
                 for pid, name in people[:SHOWN_BY_NAME]]
        more = len(people) - len(named)
        text = t("Cảnh báo dữ liệu: {n} người giữ chức vụ quản lý HTX/THT chưa ghi giới tính "
                 "nên không được tính là nữ trong các chỉ tiêu. Bấm vào tên để mở hồ sơ và "
                 "ghi giới tính:", n=format_number(len(people)))
        links = ", ".join(named)
        if more > 0:
            links += " " + t("và {n} người khác", n=format_number(more))
        links += f' — <a href="all">{escape(t("xem danh sách"))}</a>'
        self.quality.setText(f"⚠ {escape(text)} {links}")

    def open_quality_link(self, link: str) -> None:
        """A name opens that person's form; "all" the list of every one of them."""
        if self.data is None or self.busy:
            return
        changed = False
        if link.startswith("person:"):
            from htx_desktop.ui.forms.registry import open_form

            changed = bool(open_form(self.ctx, "person", link.removeprefix("person:"),
                                     parent=self))
        elif link == "all":
            from htx_desktop.ui.drilldown import RecordsDialog

            ids = [pid for pid, _name in self.data.sex_not_recorded]
            dialog = RecordsDialog(
                self.ctx, t("Người quản lý chưa ghi giới tính — {unit}, {period}",
                            unit=self.data.unit_name, period=self.data.period.title),
                "person", [(t("Chưa ghi giới tính"), ids)], self.data.period.end,
                self.data.report.management_positions, parent=self)
            dialog.exec()
            changed = dialog.changed
        if changed:
            self.refresh()

    def _plan(self) -> QGroupBox:
        self.plan_box = QGroupBox(t("Thực hiện kế hoạch"))
        layout = QVBoxLayout(self.plan_box)
        self.plan_summary = QLabel()
        self.plan_summary.setObjectName("plan_summary")
        self.plan_summary.setWordWrap(True)
        layout.addWidget(self.plan_summary)
        self.new_htx = QLabel()
        self.new_htx.setWordWrap(True)
        layout.addWidget(self.new_htx)
        self.plan_table = QTableWidget(0, 2 + len(STATUSES))
        self.plan_table.setObjectName("plan_table")
        self.plan_table.setHorizontalHeaderLabels(
            [t("Dòng"), t("Nội dung"), *(cat.PlanStatus(s).label for s in STATUSES)])
        self.plan_table.verticalHeader().hide()
        self.plan_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.plan_table.setAlternatingRowColors(True)
        self.plan_table.setWordWrap(False)
        self.plan_table.setMinimumHeight(320)
        header = self.plan_table.horizontalHeader()
        header.resizeSection(0, 60)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, header.ResizeMode.Stretch)
        for c in range(2, 2 + len(STATUSES)):
            header.resizeSection(c, 130)
        layout.addWidget(self.plan_table)
        return self.plan_box

    # ------------------------------------------------------------------ computing

    def period_text(self) -> str:
        return str(self.period_box.currentData())

    def unit_id(self) -> int:
        return int(self.unit_box.currentData())

    def _cache_dir(self) -> Path | None:
        return DataDir(self.ctx.data_root).cache if self.ctx.data_root else None

    def _show_preview(self) -> None:
        """The figures of the last computation of the page's first choice, marked as such."""
        folder = self._cache_dir()
        kept = load_figures(folder, *self._default) if folder else None
        if kept is None:
            return
        self._set_busy(True)
        self._show(kept[0])
        self.preview_of = kept[1]
        self.busy_label.setText(t("Số liệu lần trước ({when}) — đang cập nhật…",
                                  when=kept[1].strftime("%H:%M %d/%m/%Y")))

    def refresh(self) -> None:
        """Recompute in a worker; the newest request wins (older results are dropped)."""
        if not self.ctx.ready:
            # Opening runs the refresh waiting for it (with the choices as they are now);
            # going on here as well would start a second, identical computation.
            self.ctx.open_database()
            return
        from htx_desktop.ui.jobs import BackgroundOp  # 2 ms: after the first paint

        self.show_own_deadline()  # before the worker: it may share the connection
        self._generation += 1
        generation = self._generation

        def failed(exc: Exception) -> None:  # shown on the page; nothing is written
            log.error("The dashboard's figures could not be computed", exc_info=exc)
            self._failed(generation, str(exc))

        op = BackgroundOp(self, _figures(self.ctx.db, self.unit_id(), self.period_text()),
                          done=lambda data: self._done(generation, data), failed=failed,
                          preload=(preload_dashboard,),
                          # one shared connection (an in-memory database) cannot serve two
                          # threads: computed at once, here
                          inline=self.ctx.db.single_connection)
        self._set_busy(True)
        op.start()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_bar.setVisible(busy)
        self.busy_label.setVisible(busy or self.preview_of is not None)
        if self.preview_of is None:
            self.busy_label.setText(t("Đang tính…"))
        for card in self.cards.values():
            card.setEnabled(not busy)  # no drill-down while a worker holds the database

    def _done(self, generation: int, data: DashboardData) -> None:
        if generation != self._generation:
            return
        self.preview_of = None
        self._set_busy(False)
        self._show(data)
        folder = self._cache_dir()
        if folder is not None and (data.unit_id, data.period.label) == self._default:
            save_figures(folder, data)
        self.computed.emit()

    def _show(self, data: DashboardData) -> None:
        self.data = data
        self.heading.setText(t("Tổng quan chỉ tiêu — {unit}, {period}", unit=data.unit_name,
                               period=data.period.title))
        for card in self.cards.values():
            card.show_data(data)
        self.choose_columns()  # their minimum widths follow their texts
        self.show_charts()
        self.show_plan()
        self.show_quality()

    def _failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self._set_busy(False)
        if self.preview_of is not None:  # still on screen: say plainly how old they are
            self.busy_label.setText(t("Số liệu lần trước ({when})",
                                      when=self.preview_of.strftime("%H:%M %d/%m/%Y")))
        self.heading.setText(t("Không tính được số liệu: {error}", error=message))
        self.computed.emit()

    # ------------------------------------------------------------------ showing

    def show_charts(self) -> None:
        data = self.data
        if data is None:
            return
        code = str(self.chart_code.currentData())
        name = t(SHORT_NAME[code])

        def fmt(v: float) -> str:
            return format_figure(v, code)

        def axis(v: float) -> str:
            return format_number(v) + (" %" if code in PERCENT_CODES else "")

        trend = trend_rows(data, code)
        period_year = str(data.period.end.year) if data.period.start.year == \
            data.period.end.year else None
        highlight = next((i for i, (y, _v) in enumerate(trend) if y == period_year), None)
        self.trend_chart.set_data(
            [y for y, _v in trend], [v for _y, v in trend], fmt=fmt, axis_fmt=axis,
            highlight=highlight, title=t("{code} — {name}: theo năm", code=code, name=name),
            axis_title=t("Năm (số liệu tại ngày 31/12 hoặc trong năm)"))
        split = split_rows(data, code)
        self.split_chart.break_last = len(data.children) > TOP_UNITS  # the last row is "Khác"
        self.split_chart.setVisible(bool(split))
        self.no_split.setVisible(not split)
        self.split_chart.set_data(
            [n for n, _v in split], [v for _n, v in split], fmt=fmt, axis_fmt=axis,
            title=t("{code}: theo đơn vị trực thuộc, {period}", code=code,
                    period=data.period.title),
            axis_title=t("Tỉ lệ (%)") if code in PERCENT_CODES else t("Số lượng"))

    def show_plan(self) -> None:
        data = self.data
        if data is None:
            return
        plan = data.activity["plan_status"]
        counts = plan["by_status"]
        self.plan_box.setTitle(t("Thực hiện các dòng kế hoạch năm {year}", year=plan["year"]))
        many = len(data.children) > 0
        parts = [f"{cat.PlanStatus(s).label}: <b>{format_number(counts.get(s, 0))}</b>"
                 for s in STATUSES]
        note = (t("(số lượt đơn vị × dòng kế hoạch đã cập nhật trạng thái)") if many
                else t("(số dòng kế hoạch đã cập nhật trạng thái)"))
        self.plan_summary.setText(" · ".join(parts) + " " + note)
        new = data.activity["new_women_led_htx"]
        years = ", ".join(
            t("năm {year}: {n} ({verdict})", year=y, n=v["founded"],
              verdict=t("đạt") if v["met"] else t("chưa đạt"))
            for y, v in new["by_year"].items())
        self.new_htx.setText(t("Dòng III.1 — HTX mới do phụ nữ làm chủ (chỉ tiêu ít nhất "
                               "{n} mỗi năm): {years}.", n=new["target_per_year"], years=years))
        lines = plan["by_line"]
        codes = sorted(data.plan_lines, key=_line_order)
        self.plan_table.setRowCount(len(codes))
        for r, code in enumerate(codes):
            by = lines.get(code, {})
            cells = [code, data.plan_lines[code], *(format_number(by.get(s, 0))
                                                    for s in STATUSES)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 1:
                    item.setToolTip(text)
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.plan_table.setItem(r, c, item)

    # ------------------------------------------------------------------ drilling down

    def drill_down(self, code: str, which: str) -> RecordsDialog | None:
        dialog = self.records_dialog(code, which)
        if dialog is None:
            return None
        dialog.exec()
        if dialog.changed:
            self.refresh()
        return dialog

    def records_dialog(self, code: str, which: str = "value") -> RecordsDialog | None:
        """The dialog listing the records behind a figure (not yet shown)."""
        if self.data is None or self.busy or self.preview_of is not None:
            return None
        from htx_desktop.ui.drilldown import KIND_OF, RecordsDialog
        r = self.data.result(code)
        if r.is_percent:
            tabs = [(t("Được tính (tử số)"), r.record_ids),
                    (t("Tổng (mẫu số)"), r.denominator_ids)]
        elif r.is_flow:
            tabs = [(t("Trong kỳ"), r.record_ids),
                    (t("Lũy kế từ đầu giai đoạn"), r.cumulative_ids)]
            if which == "cumulative":
                tabs.reverse()
        else:
            tabs = [(t("Được tính"), r.record_ids)]
        title = t("{code} — {name}, {unit}, {period}: {value}", code=code,
                  name=t(SHORT_NAME[code]), unit=self.data.unit_name,
                  period=self.data.period.title, value=format_figure(r.value, code))
        return RecordsDialog(self.ctx, title, KIND_OF.get(code, "cooperative"), tabs,
                             self.data.period.end, self.data.report.management_positions,
                             parent=self)


def _line_order(code: str) -> tuple[int, int]:
    roman = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6}
    group, _dot, number = code.partition(".")
    return roman.get(group, 99), int(number) if number.isdigit() else 0


def make_page(ctx: AppContext) -> DashboardPage:
    return DashboardPage(ctx)
