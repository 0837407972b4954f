"""Tổng quan: how many records of each kind, in all and per commune (until the indicator
dashboard exists). One GROUP BY query per kind."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget
from sqlalchemy import func, select

from htx_desktop.domain.kinds import KINDS
from htx_desktop.i18n import t
from htx_desktop.store import models as m
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.formatting import fmt_int


def _columns() -> list[tuple[str, Any, Any]]:
    """(title, model, extra condition) of each counted column: the cooperatives by type, then
    the kinds of domain/kinds.py that have an overview column."""
    c = m.Cooperative
    return [
        (t("HTX"), c, c.kind == "htx"),
        (t("THT"), c, c.kind == "tht"),
        (t("Liên hiệp HTX"), c, c.kind == "lhhtx"),
        *((t(k.overview), m.PACKAGE_RECORDS[k.json_key], None) for k in KINDS if k.overview),
    ]


def count_by_unit(ctx: AppContext) -> tuple[list[str], dict[int, list[int]]]:
    columns = _columns()
    counts: dict[int, list[int]] = {}
    with ctx.db.session() as session:
        for i, (_title, model, extra) in enumerate(columns):
            stmt = (select(model.unit_id, func.count()).where(
                model.unit_id.in_(ctx.unit_ids), model.deleted_at.is_(None))
                .group_by(model.unit_id))
            if extra is not None:
                stmt = stmt.where(extra)
            for unit_id, n in session.execute(stmt):
                counts.setdefault(unit_id, [0] * len(columns))[i] = n
    return [c[0] for c in columns], counts


class OverviewPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15pt; font-weight: bold;")
        layout.addWidget(self.heading)
        self.note = QLabel(t("Số hồ sơ đang có theo từng loại và từng xã/phường "
                             "(không tính hồ sơ trong thùng rác)."))
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.table = QTableWidget()
        self.table.setObjectName("counts")
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        titles, counts = count_by_unit(self.ctx)
        self.heading.setText(t("Tổng quan — {unit}", unit=self.ctx.home_unit_name))
        names = dict(self.ctx.communes)
        rows = [(names.get(uid, str(uid)), v) for uid, v in counts.items()]
        rows.sort(key=lambda r: r[0])
        total = [sum(v[i] for _n, v in rows) for i in range(len(titles))]
        rows.insert(0, (t("Tổng cộng"), total))
        self.table.clear()
        self.table.setColumnCount(len(titles) + 1)
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels([t("Xã/phường"), *titles])
        for r, (name, values) in enumerate(rows):
            item = QTableWidgetItem(name)
            if r == 0:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(r, 0, item)
            for c, n in enumerate(values, start=1):
                cell = QTableWidgetItem(fmt_int(n))
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if r == 0:
                    cell.setFont(item.font())
                self.table.setItem(r, c, cell)
        header = self.table.horizontalHeader()
        header.resizeSection(0, 170)
        for c in range(1, len(titles) + 1):
            header.resizeSection(c, max(78, header.sectionSizeFromContents(c).width() + 6))


def make_page(ctx: AppContext) -> OverviewPage:
    return OverviewPage(ctx)
