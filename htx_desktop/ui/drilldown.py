"""The records behind a figure of the dashboard: one tab per set of ids (the counted records,
the denominator, the phase's cumulative), double-click to open a record in its form.

Names are shown: this window runs on the officer's own PC, where the names are hers to see
(only packages leave the PC pseudonymised).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import cmp_to_key

from PySide6.QtCore import QCollator, QLocale, Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from htx_desktop.domain import catalogues as cat
from htx_desktop.domain.attendance_paste import person_label
from htx_desktop.domain.indicator_specs import INDICATORS
from htx_desktop.i18n import t
from htx_desktop.store import models as m
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.edge_delegate import EdgeDelegate
from htx_desktop.ui.formatting import fmt_bool, fmt_date

# Which kind of record each indicator's ids are (`IndicatorSpec.records`).
KIND_OF = {s.code: s.records for s in INDICATORS}
_CHUNK = 900  # bound parameters per IN (...)


def _label(catalogue: type[cat.Catalogue], value: str | None) -> str:
    try:
        return catalogue(value).label if value else ""
    except ValueError:
        return value or ""


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i:i + _CHUNK]


def headers(kind: str) -> list[str]:
    if kind == "person":
        return [t("Họ và tên"), t("Quản lý HTX (chức vụ)"), t("Xã/phường")]
    if kind == "cadre":
        return [t("Họ và tên"), t("Chức vụ"), t("Cấp"), t("Đơn vị"),
                t("Phụ trách KTTT")]
    return [t("Tên"), t("Loại"), t("Xã/phường"), t("Trạng thái"), t("Ngày thành lập")]


Rows = list[tuple[str, list[str]]]


def record_rows(session: Session, kind: str, ids: Sequence[str], on: date,
                positions: Sequence[str]) -> Rows:
    """(id, cells) of the records, in Vietnamese alphabetical order of the first cell."""
    query = RECORD_QUERIES.get(kind, _cooperatives)
    rows: Rows = []
    for chunk in _chunks(list(ids)):
        rows += query(session, chunk, on, positions)
    collator = QCollator(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))

    def order(a: tuple[str, list[str]], b: tuple[str, list[str]]) -> int:
        return (collator.compare(a[1][0], b[1][0])
                or (a[1][1:] > b[1][1:]) - (a[1][1:] < b[1][1:]))

    rows.sort(key=cmp_to_key(order))
    return rows


def _cadres(session: Session, ids: Sequence[str], _on: date, _positions: Sequence[str]
            ) -> Rows:
    cadres = (select(m.Cadre.id, m.Person.full_name, m.Person.birth_year,
                     m.Cadre.position, m.Cadre.level, m.Unit.name, m.Cadre.kttt_assigned)
              .join(m.Person, m.Person.id == m.Cadre.person_id)
              .join(m.Unit, m.Unit.id == m.Cadre.unit_id).where(m.Cadre.id.in_(ids)))
    return [(cid, [person_label(name, year, None), position,
                   _label(cat.CadreLevel, level), unit, fmt_bool(kttt)])
            for cid, name, year, position, level, unit, kttt in session.execute(cadres)]


def _cooperatives(session: Session, ids: Sequence[str], _on: date,
                  _positions: Sequence[str]) -> Rows:
    c = m.Cooperative
    coops = (select(c.id, c.name, c.kind, m.Unit.name, c.status, c.founded_on)
             .join(m.Unit, m.Unit.id == c.unit_id).where(c.id.in_(ids)))
    return [(cid, [name, _label(cat.CoopKind, kind_), unit,
                   _label(cat.CoopStatus, status), fmt_date(founded)])
            for cid, name, kind_, unit, status, founded in session.execute(coops)]


def _people(session: Session, ids: Sequence[str], on: date, positions: Sequence[str]
            ) -> Rows:
    mp, c = m.ManagementPosition, m.Cooperative
    held: dict[str, dict[str, list[str]]] = {}  # person → cooperative → positions
    stmt = (select(mp.person_id, c.name, mp.position).join(c, c.id == mp.cooperative_id)
            .where(mp.person_id.in_(ids), mp.position.in_(positions), c.deleted_at.is_(None),
                   or_(mp.start.is_(None), mp.start <= on), or_(mp.end.is_(None), mp.end >= on)))
    for person, coop, position in session.execute(stmt):
        held.setdefault(person, {}).setdefault(coop, []).append(_label(cat.Position, position))
    stmt2 = (select(m.Person.id, m.Person.full_name, m.Person.birth_year, m.Unit.name)
             .join(m.Unit, m.Unit.id == m.Person.unit_id).where(m.Person.id.in_(ids)))
    def managed(pid: str) -> str:
        return "; ".join(f"{coop} ({', '.join(sorted(p))})"
                         for coop, p in sorted(held.get(pid, {}).items()))

    # namesakes told apart: the birth year beside the name (the commune has its column)
    return [(pid, [person_label(name, year, None), managed(pid), unit])
            for pid, name, year, unit in session.execute(stmt2)]


# The query behind each kind of record an indicator's figure is made of
# (`IndicatorSpec.records`): (id, cells) of a chunk of ids, on the period's last day.
RECORD_QUERIES: dict[str, Callable[[Session, Sequence[str], date, Sequence[str]], Rows]] = {
    "cooperative": _cooperatives, "person": _people, "cadre": _cadres}


class RecordsDialog(QDialog):
    """Tabs of records; double-click (or Enter) opens the record in its form."""

    def __init__(self, ctx: AppContext, title: str, kind: str,
                 tabs: Sequence[tuple[str, Sequence[str]]], on: date,
                 positions: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.kind = ctx, kind
        self.changed = False  # a record was saved from here: the figures are out of date
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setWordWrap(True)
        heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(heading)
        layout.addWidget(QLabel(t("Bấm đúp vào một dòng để mở hồ sơ.")))
        self.tabs = QTabWidget()
        self.tables: list[QTableWidget] = []
        with ctx.db.session() as session:
            for tab_title, ids in tabs:
                table = self._table(record_rows(session, kind, ids, on, positions))
                self.tables.append(table)
                self.tabs.addTab(table, t("{title} ({n})", title=tab_title, n=len(ids)))
        layout.addWidget(self.tabs, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        close = QPushButton(t("Đóng"))
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
        self.resize(900, 520)

    def _table(self, rows: list[tuple[str, list[str]]]) -> QTableWidget:
        cols = headers(self.kind)
        table = QTableWidget(len(rows), len(cols))
        table.setHorizontalHeaderLabels(cols)
        table.setItemDelegate(EdgeDelegate(table))  # a number behind the edge ends with …
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.setWordWrap(False)  # one line per record; the full text is in the tooltip
        for r, (record_id, cells) in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setData(Qt.ItemDataRole.UserRole, record_id)
                table.setItem(r, c, item)
        table.resizeColumnsToContents()
        header = table.horizontalHeader()
        for c in range(len(cols)):
            header.resizeSection(c, min(max(header.sectionSize(c) + 12, 90), 420))
        header.setStretchLastSection(True)
        table.cellDoubleClicked.connect(lambda r, _c, tb=table: self.open_row(tb, r))
        return table

    def record_ids(self, tab: int) -> list[str]:
        table = self.tables[tab]
        items = [table.item(r, 0) for r in range(table.rowCount())]
        return [str(i.data(Qt.ItemDataRole.UserRole)) for i in items if i is not None]

    def open_row(self, table: QTableWidget, row: int) -> None:
        item = table.item(row, 0)
        if item is None:
            return
        from htx_desktop.ui.forms.registry import open_form

        if open_form(self.ctx, self.kind, str(item.data(Qt.ItemDataRole.UserRole)),
                     parent=self):
            self.changed = True
