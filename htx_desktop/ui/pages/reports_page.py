"""Báo cáo: the report periods, the packages already exported, and how to export one
(until the export page exists, the command line does the export)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.domain.periods import scheme_years_until
from htx_desktop.i18n import t
from htx_desktop.ui.context import AppContext


def report_periods(today: date) -> list[tuple[str, str]]:
    """(period, what it is) for the periods an officer reports on."""
    out = [(str(y), t("Báo cáo năm {year} (hạn nộp 25/12/{year})", year=y))
           for y in reversed(scheme_years_until(today))]
    out += [("2023-2025", t("Sơ kết 3 năm, giai đoạn 1 (2023–2025)")),
            ("2026-2028", t("Sơ kết giữa giai đoạn 2 (2026–2028)")),
            ("2026-2030", t("Tổng kết giai đoạn 2 (2026–2030)"))]
    return out


class ReportsPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        how = QLabel(t(
            "Xuất gói báo cáo gửi cấp trên bằng lệnh: htx-desktop export --period 2025 "
            "--out THƯ_MỤC. Gói gồm bảng tính, báo cáo PDF và dữ liệu để cấp trên tổng hợp."))
        how.setWordWrap(True)
        layout.addWidget(how)
        periods_box = QGroupBox(t("Các kỳ báo cáo"))
        pl = QVBoxLayout(periods_box)
        self.periods = QTableWidget()
        self.periods.setObjectName("periods")
        self.periods.verticalHeader().hide()
        self.periods.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        pl.addWidget(self.periods)
        layout.addWidget(periods_box, 1)
        exports_box = QGroupBox(t("Các gói báo cáo đã xuất"))
        el = QVBoxLayout(exports_box)
        # Each with what the level above said: sent, accepted, returned with comments (#21).
        from htx_desktop.ui.pages.sent_panel import SentPanel

        self.sent = SentPanel(ctx.db)
        self.exports = self.sent.table
        el.addWidget(self.sent)
        layout.addWidget(exports_box, 2)
        self.refresh()

    def refresh(self) -> None:
        periods = report_periods(date.today())
        self.periods.setColumnCount(2)
        self.periods.setRowCount(len(periods))
        self.periods.setHorizontalHeaderLabels([t("Kỳ"), t("Nội dung")])
        for r, (code, text) in enumerate(periods):
            self.periods.setItem(r, 0, QTableWidgetItem(code))
            self.periods.setItem(r, 1, QTableWidgetItem(text))
        self.periods.horizontalHeader().resizeSection(0, 110)
        self.periods.horizontalHeader().setStretchLastSection(True)
        self.sent.refresh()


def make_page(ctx: AppContext) -> ReportsPage:
    return ReportsPage(ctx)
