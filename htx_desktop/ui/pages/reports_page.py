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
from sqlalchemy import select

from htx_desktop.domain.periods import scheme_years_until
from htx_desktop.i18n import t
from htx_desktop.store import models as m
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.formatting import fmt_date


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
        self.exports = QTableWidget()
        self.exports.setObjectName("exports")
        self.exports.verticalHeader().hide()
        self.exports.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        el.addWidget(self.exports)
        self.empty_note = QLabel(t("Chưa xuất gói báo cáo nào."))
        el.addWidget(self.empty_note)
        layout.addWidget(exports_box, 1)
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
        with self.ctx.db.session() as session:
            rows = session.execute(select(
                m.Export.period, m.Export.version, m.Export.created_at, m.Export.file_name)
                .order_by(m.Export.created_at.desc())).all()
        self.exports.setColumnCount(4)
        self.exports.setRowCount(len(rows))
        self.exports.setHorizontalHeaderLabels(
            [t("Kỳ"), t("Lần xuất"), t("Thời điểm"), t("Tệp")])
        for r, (period, version, created, name) in enumerate(rows):
            for c, text in enumerate((period, str(version), fmt_date(created), name)):
                self.exports.setItem(r, c, QTableWidgetItem(text))
        for c, w in enumerate((110, 80, 140)):
            self.exports.horizontalHeader().resizeSection(c, w)
        self.exports.horizontalHeader().setStretchLastSection(True)
        self.empty_note.setVisible(not rows)


def make_page(ctx: AppContext) -> ReportsPage:
    return ReportsPage(ctx)
