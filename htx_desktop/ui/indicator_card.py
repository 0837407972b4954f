"""One indicator on the dashboard: name, figure (a flat button that lists the records behind
it), the cumulative figure of a flow, and progress against the 2025 and 2030 targets."""

from __future__ import annotations

import re

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.domain.indicator_specs import INDICATORS, spec
from htx_desktop.domain.indicators import PERCENT_CODES
from htx_desktop.domain.periods import PHASES
from htx_desktop.i18n import t
from htx_desktop.reports.dashboard import TARGET_YEARS, DashboardData
from htx_desktop.reports.labels import format_figure, format_number, indicator_name

# Short names for chart titles, the chart's indicator list and the drill-down's title.
SHORT_NAME = {s.code: s.short_name for s in INDICATORS}


def progress_text(value: float | None) -> str:
    return "—" if value is None else format_number(value, 1) + " %"


def target_text(target: float, code: str) -> str:
    """50, 550; 100 %, 80 % (a target is a round figure: no ",0")."""
    text = format_number(target, 0 if float(target).is_integer() else 1)
    return text + " %" if code in PERCENT_CODES else text


# Dark text on a light bar stays readable wherever the chunk ends; green once reached.
_BAR_STYLE = ("QProgressBar{{border:1px solid #c9c2d6; border-radius:3px; background:#f6f4fa;"
              " color:#2b2733; text-align:center;}}"
              "QProgressBar::chunk{{background:{color}; border-radius:2px;}}")


class TargetBar(QProgressBar):
    """A target's progress bar as wide as its own text needs, whatever the style says.

    QProgressBar's size hints come from the style's chunk width: Fusion's is 9 px, the
    Windows Vista style's 49 px, which made every bar at least 367 px wide on Windows and the
    dashboard's cards wider than the page (issue 15)."""

    PADDING = 16  # the text's margins and the bar's border, both sides

    def _text_width(self) -> int:
        return self.fontMetrics().horizontalAdvance(self.text() or "100,0 %")

    def minimumSizeHint(self) -> QSize:
        return QSize(self._text_width() + self.PADDING, self.fontMetrics().height() + 6)

    def sizeHint(self) -> QSize:
        return QSize(self._text_width() + 3 * self.PADDING, self.fontMetrics().height() + 6)


class OneLineLabel(QLabel):
    """A label that wraps only when it must: its size hint is its text on one line (a
    word-wrapped QLabel's own hint is about twenty characters wide, so a layout with room
    to spare still broke "Mục tiêu 2025: 100 %" in two)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        line = self.fontMetrics().horizontalAdvance(self.text()) + 2 * self.margin() + 2
        return QSize(max(hint.width(), line), hint.height())


class LinkText(QLabel):
    """Text that wraps and acts as a flat button: a click, Enter or Space emits `clicked`.

    A QPushButton never wraps: its one line set the card's minimum width."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def click(self) -> None:
        if self.isEnabled():
            self.clicked.emit()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
                event.position().toPoint()):
            self.click()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.click()
            return
        super().keyPressEvent(event)


class IndicatorCard(QFrame):
    """`drill` is emitted with the code when the figure (or the cumulative) is clicked."""

    drill = Signal(str, str)  # code, "value" | "cumulative"

    def __init__(self, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.setObjectName("card")
        self.setStyleSheet("QFrame#card{border:1px solid #ddd6ea; border-radius:6px;"
                           " background:#ffffff;}")
        layout = QVBoxLayout(self)
        self.card_layout = layout
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        # The phase named in a flow's official wording is the 2025 one; the detail line below
        # says which phase the cumulative figure is of, so the name drops it.
        self.name = QLabel()
        self._set_name(2025)
        self.name.setWordWrap(True)
        self.name.setMinimumHeight(self.name.fontMetrics().height() * 3)
        self.name.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.name)
        row = QHBoxLayout()
        self.value = QPushButton("…")
        self.value.setObjectName(f"value_{code}")
        self.value.setFlat(True)
        self.value.setCursor(Qt.CursorShape.PointingHandCursor)
        self.value.setToolTip(t("Bấm để xem danh sách hồ sơ được tính"))
        self.value.setStyleSheet("QPushButton{font-size:19pt; font-weight:bold; color:#2b2733;"
                                 " border:none; padding:0 2px; text-align:left;}"
                                 "QPushButton:hover{color:#5b2d9e; text-decoration:underline;}")
        self.value.clicked.connect(lambda: self.drill.emit(code, "value"))
        row.addWidget(self.value)
        self.unit = QLabel(t(spec(code).counted))  # what the figure counts
        self.unit.setWordWrap(True)
        self.unit.setStyleSheet("color:#6b6478;")
        row.addWidget(self.unit, 1)
        layout.addLayout(row)
        self.detail = LinkText()
        self.detail.setObjectName(f"detail_{code}")
        self.detail.setStyleSheet("QLabel{color:#2b2733;} QLabel:hover, QLabel:focus"
                                  "{color:#5b2d9e;} QLabel:disabled{color:#2b2733;}")
        self.detail.clicked.connect(lambda: self.drill.emit(code, "cumulative"))
        layout.addWidget(self.detail)
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(3)
        self.target_labels: dict[int, OneLineLabel] = {}
        self.bars: dict[int, TargetBar] = {}
        for i, year in enumerate(TARGET_YEARS):
            label = OneLineLabel()  # "Mục tiêu 2030: 100 %" in two lines on a narrow card
            bar = TargetBar()
            bar.setObjectName(f"bar_{code}_{year}")
            bar.setRange(0, 100)
            bar.setTextVisible(True)
            bar.setFixedHeight(bar.fontMetrics().height() + 6)
            bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(label, i, 0)
            grid.addWidget(bar, i, 1)
            self.target_labels[year], self.bars[year] = label, bar
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        # Beside CT6, plan line III.1's yearly target: at least 2 new women-led HTX a year.
        self.plan_line = QLabel()
        self.plan_line.setObjectName(f"plan_line_{code}")
        self.plan_line.setWordWrap(True)
        self.plan_line.setStyleSheet("color:#6b6478;")
        self.plan_line.setVisible(False)
        layout.addWidget(self.plan_line)

    def comfortable_width(self) -> int:
        """The width at which the card reads without squeezing: its minimum width, and each
        target's words on one line beside a bar wide enough for its figure. What the
        dashboard's columns are chosen by (the fonts' real metrics, not a fixed guess)."""
        margins = self.card_layout.contentsMargins()
        rows = max(self.target_labels[y].sizeHint().width() + 8 + self.bars[y].sizeHint().width()
                   for y in TARGET_YEARS)
        return int(max(self.minimumSizeHint().width(),
                       rows + margins.left() + margins.right()))

    def _set_name(self, target_year: int) -> None:
        """The plan's own words for the indicator, of the phase whose targets apply."""
        name = re.sub(r"\s*\((?:giai đoạn|phase) [^)]*\)$", "",
                      indicator_name(self.code, target_year))
        self.name.setText(f"<b style='color:#5b2d9e'>{self.code}</b> · {name}")
        self.name.setToolTip(name)

    def _show_plan_line(self, data: DashboardData) -> None:
        new = data.activity.get("new_women_led_htx") if data.activity else None
        if self.code != "CT6" or not new:
            self.plan_line.setVisible(False)
            return
        years = "; ".join(
            t("năm {year}: {n} ({verdict})", year=y, n=format_number(v["founded"]),
              verdict=t("đạt") if v["met"] else t("chưa đạt"))
            for y, v in new["by_year"].items())
        self.plan_line.setText(t("Kế hoạch III.1: mỗi năm ít nhất {n} HTX mới do phụ nữ làm "
                                 "chủ — {years}", n=f"{new['target_per_year']:02d}",
                                 years=years))
        self.plan_line.setVisible(True)

    def show_data(self, data: DashboardData) -> None:
        r = data.result(self.code)
        self._set_name(data.report.target_year)
        self._show_plan_line(data)
        self.value.setText(format_figure(r.value, self.code))
        detail, clickable = "", False
        if r.is_percent:
            noun = t(spec(self.code).noun)
            detail = (t("{n}/{d} {noun}", n=format_number(r.numerator or 0),
                        d=format_number(r.denominator), noun=noun) if r.denominator
                      else t("Chưa có {noun} nào để tính tỉ lệ", noun=noun))
            clickable = bool(r.denominator)
        elif r.is_flow:
            first = data.report.phase_start.year
            detail = t("Lũy kế từ đầu giai đoạn ({first}–{last}): {n}", first=first,
                       last=data.report.target_year, n=format_number(r.cumulative or 0))
            clickable = True
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.detail.setEnabled(clickable)
        self.detail.setCursor(Qt.CursorShape.PointingHandCursor if clickable
                              else Qt.CursorShape.ArrowCursor)
        self.detail.setFocusPolicy(Qt.FocusPolicy.StrongFocus if clickable
                                   else Qt.FocusPolicy.NoFocus)
        for year in TARGET_YEARS:
            self._show_target(data, year)

    def _show_target(self, data: DashboardData, year: int) -> None:
        target = data.targets.get((self.code, year))
        label, bar = self.target_labels[year], self.bars[year]
        if target is None:
            label.setText(t("Mục tiêu {year}:", year=year))
            bar.setValue(0)
            bar.setStyleSheet(_BAR_STYLE.format(color="#c7b3ea"))
            bar.setFormat(t("chưa có chỉ tiêu"))
            bar.setToolTip(t("Đơn vị này chưa được giao chỉ tiêu năm {year}.", year=year))
            return
        label.setText(t("Mục tiêu {year}: {target}", year=year,
                        target=target_text(target, self.code)))
        progress = data.progress(self.code, year)
        # The bar stops at 100 %; the text says how far past the target the figure is.
        bar.setValue(0 if progress is None else min(100, round(progress)))
        reached = progress is not None and progress >= 100
        bar.setStyleSheet(_BAR_STYLE.format(color="#8fd19e" if reached else "#c7b3ea"))
        bar.setFormat(progress_text(progress))
        tip = t("Đạt {p} chỉ tiêu năm {year}.", p=progress_text(progress), year=year)
        if progress is None and data.result(self.code).is_flow:
            first, last = next((f, la) for _n, f, la in PHASES if la == year)
            tip = t("Chỉ tiêu của giai đoạn {first}–{last}: chọn một kỳ trong giai đoạn đó "
                    "để xem tiến độ.", first=first, last=last)
        bar.setToolTip(tip)
