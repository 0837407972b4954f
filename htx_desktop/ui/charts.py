"""Two small charts drawn with QPainter: vertical bars (a figure by year) and horizontal bars
(a figure by unit).

Why not Qt Charts: it is in PySide6-Addons, which would add 161 MB to the installer; the program
ships PySide6-Essentials only (STACK-NOTES.md). The dashboard needs two plain bar charts with
Vietnamese labels, which a few dozen lines of painting give without the weight.

Text is never clipped: margins are measured from the font metrics of the labels actually
shown, and a unit name too long for the label column is elided with "…" (the full name is in
the tooltip of the chart).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR = QColor("#8a63c9")
HIGHLIGHT = QColor("#5b2d9e")
GRID = QColor("#e3dfeb")
AXIS = QColor("#6b6478")
TEXT = QColor("#2b2733")

Formatter = Callable[[float], str]


def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """0 and round steps (1, 2 or 5 × 10^k) up to at least `maximum`."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if step < 1 and maximum >= 1:
        step = 1.0
    top = math.ceil(maximum / step - 1e-9) * step
    return [i * step for i in range(round(top / step) + 1)]


def _plain(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".") if float(value).is_integer() else f"{value:.1f}"


class _Chart(QWidget):
    """Labels, values (None = no figure: drawn as "—", no bar) and the painting helpers."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.axis_title = ""  # under the axis: what the numbers count ("Năm", "Số HTX")
        self.labels: list[str] = []
        self.values: list[float | None] = []
        self.highlight: int | None = None
        self.fmt: Formatter = _plain
        self.axis_fmt: Formatter = _plain
        self.bar_rects: list[QRectF] = []  # as last painted (tests count them)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_data(self, labels: Sequence[str], values: Sequence[float | None], *,
                 title: str | None = None, fmt: Formatter | None = None,
                 axis_fmt: Formatter | None = None, highlight: int | None = None,
                 axis_title: str | None = None) -> None:
        self.labels, self.values = list(labels), list(values)
        if title is not None:
            self.title = title
        if axis_title is not None:
            self.axis_title = axis_title
        self.fmt = fmt or _plain
        self.axis_fmt = axis_fmt or self.fmt
        self.highlight = highlight
        self.setToolTip("\n".join([self.title] * bool(self.title) + [
            f"{label}: {'—' if v is None else self.fmt(v)}" for label, v in zip(
                self.labels, self.values, strict=True)]))
        self.updateGeometry()
        self.update()

    def bar_count(self) -> int:
        """Categories shown (one bar each, or "—" where there is no figure)."""
        return len(self.labels)

    def _title_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() + 1)
        return font

    def _ticks(self) -> list[float]:
        return nice_ticks(max([v for v in self.values if v is not None] or [0]))

    def title_lines(self, width: int | None = None) -> list[str]:
        """The title in at most two lines of the chart's width, the rest cut with "…": two
        charts side by side never run their titles into each other."""
        fm = QFontMetrics(self._title_font())
        room = max(40, (self.width() if width is None else width) - 4)
        lines: list[str] = []
        words = self.title.split()
        while words and len(lines) < 2:
            line = words.pop(0)
            while words and fm.horizontalAdvance(f"{line} {words[0]}") <= room:
                line = f"{line} {words.pop(0)}"
            lines.append(line)
        if words:
            lines[-1] = fm.elidedText(f"{lines[-1]} {' '.join(words)}",
                                      Qt.TextElideMode.ElideRight, room)
        return [fm.elidedText(line, Qt.TextElideMode.ElideRight, room) for line in lines]

    def _title_room(self) -> int:
        """Two lines are always kept for the title: the chart does not jump when it wraps."""
        return 2 * QFontMetrics(self._title_font()).height() + 10 if self.title else 10

    def _paint_title(self, p: QPainter) -> float:
        p.setFont(self._title_font())
        fm = QFontMetrics(p.font())
        p.setPen(TEXT)
        for i, line in enumerate(self.title_lines()):
            p.drawText(QRectF(0, i * fm.height(), self.width(), fm.height() + 4),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)
        p.setFont(self.font())
        return self._title_room()

    def _paint_axis_title(self, p: QPainter) -> None:
        fm = QFontMetrics(self.font())
        p.setPen(AXIS)
        shown = fm.elidedText(self.axis_title, Qt.TextElideMode.ElideRight, self.width())
        p.drawText(QRectF(0, self.height() - fm.height() - 2, self.width(), fm.height()),
                   Qt.AlignmentFlag.AlignCenter, shown)

    def _axis_title_room(self) -> int:
        return QFontMetrics(self.font()).height() + 4 if self.axis_title else 0


class BarChart(_Chart):
    """Vertical bars, one per category (a year), value written above each bar."""

    def sizeHint(self) -> QSize:
        return QSize(420, 300)

    def minimumSizeHint(self) -> QSize:
        return QSize(260, 260)

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        top = self._paint_title(p)
        fm = QFontMetrics(self.font())
        ticks = self._ticks()
        left = max(fm.horizontalAdvance(self.axis_fmt(v)) for v in ticks) + 12
        bottom = self.height() - fm.height() - 8 - self._axis_title_room()
        top += fm.height() + 4  # room for the value above the tallest bar
        right = self.width() - 8
        height = max(bottom - top, 1)
        scale = height / ticks[-1]
        for v in ticks:
            y = bottom - v * scale
            p.setPen(QPen(GRID, 1))
            p.drawLine(int(left), int(y), int(right), int(y))
            p.setPen(AXIS)
            p.drawText(QRectF(0, y - fm.height() / 2, left - 6, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       self.axis_fmt(v))
        p.setPen(QPen(AXIS, 1))
        p.drawLine(int(left), int(bottom), int(right), int(bottom))
        self.bar_rects = []
        n = max(len(self.values), 1)
        slot = (right - left) / n
        width = min(slot * 0.6, 64)
        for i, (label, value) in enumerate(zip(self.labels, self.values, strict=True)):
            cx = left + slot * (i + 0.5)
            text_rect = QRectF(cx - slot / 2, bottom - fm.height() - 2, slot, fm.height())
            if value is not None:
                bar = QRectF(cx - width / 2, bottom - value * scale, width, value * scale)
                self.bar_rects.append(bar)
                p.fillRect(bar, HIGHLIGHT if i == self.highlight else BAR)
                text_rect.moveBottom(bar.top() - 2)
            p.setPen(TEXT)
            p.drawText(text_rect, Qt.AlignmentFlag.AlignCenter,
                       "—" if value is None else self.fmt(value))
            p.drawText(QRectF(cx - slot / 2, bottom + 4, slot, fm.height()),
                       Qt.AlignmentFlag.AlignCenter, label)
        self._paint_axis_title(p)
        p.end()


class HBarChart(_Chart):
    """Horizontal bars, one row per category (a unit), names on the left.

    With `break_last` (a "Khác" row summing many units), a last bar more than twice the
    largest other one is drawn cut, with a break mark and its true value, so that it does not
    flatten the bars that matter."""

    break_last = False

    def _broken_last(self) -> bool:
        if not self.break_last or len(self.values) < 2 or self.values[-1] is None:
            return False
        others = [v for v in self.values[:-1] if v is not None]
        return bool(others) and max(others) > 0 and self.values[-1] > 2 * max(others)

    def _row_height(self) -> int:
        return QFontMetrics(self.font()).height() + 8

    def sizeHint(self) -> QSize:
        title = self._title_room()
        axis = QFontMetrics(self.font()).height() + 10
        rows = max(len(self.labels), 1) * self._row_height()
        return QSize(480, title + axis + rows + self._axis_title_room() + 4)

    def minimumSizeHint(self) -> QSize:
        return QSize(320, self.sizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        top = self._paint_title(p)
        fm = QFontMetrics(self.font())
        ticks = self._ticks()
        broken = self._broken_last()
        if broken:
            ticks = nice_ticks(max(v for v in self.values[:-1] if v is not None))
        shown = ["—" if v is None else self.fmt(v) for v in self.values]
        value_room = max([fm.horizontalAdvance(s) for s in shown] or [0]) + 10
        label_room = min(max([fm.horizontalAdvance(s) for s in self.labels] or [0]) + 14.0,
                         self.width() * 0.42)
        left, right = float(label_room), float(self.width() - value_room)
        # The last tick label is centred on the axis end: keep it inside the widget.
        right = min(right, self.width() - fm.horizontalAdvance(self.axis_fmt(ticks[-1])) / 2 - 2)
        row = self._row_height()
        bottom = top + row * max(len(self.values), 1)
        scale = max(right - left, 1) / ticks[-1]
        for v in ticks:
            x = left + v * scale
            p.setPen(QPen(GRID, 1))
            p.drawLine(int(x), int(top), int(x), int(bottom))
            p.setPen(AXIS)
            text = self.axis_fmt(v)
            w = fm.horizontalAdvance(text) + 4
            p.drawText(QRectF(x - w / 2, bottom + 4, w, fm.height()),
                       Qt.AlignmentFlag.AlignCenter, text)
        p.setPen(QPen(AXIS, 1))
        p.drawLine(int(left), int(top), int(left), int(bottom))
        self.bar_rects = []
        for i, (label, value) in enumerate(zip(self.labels, self.values, strict=True)):
            y = top + i * row
            p.setPen(TEXT)
            name = fm.elidedText(label, Qt.TextElideMode.ElideRight, int(label_room - 12) + 1)
            p.drawText(QRectF(0, y, label_room - 8, row),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
            end = left
            if value is not None:
                cut = broken and i == len(self.values) - 1
                bar = QRectF(left, y + 3, (right - left) if cut else value * scale, row - 6)
                self.bar_rects.append(bar)
                p.fillRect(bar, HIGHLIGHT if i == self.highlight else BAR)
                if cut:  # a break in the bar: it is longer than the axis
                    p.setPen(QPen(QColor("white"), 3))
                    x = bar.right() - 18
                    p.drawLine(int(x), int(bar.bottom() + 1), int(x + 6), int(bar.top() - 1))
                    p.setPen(TEXT)
                end = bar.right()
            p.drawText(QRectF(end + 4, y, value_room + 4, row),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown[i])
        self._paint_axis_title(p)
        p.end()
