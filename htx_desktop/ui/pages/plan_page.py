"""Kế hoạch: the 34 lines of the plan with this unit's status in a chosen year."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel
from sqlalchemy import select

from htx_desktop.i18n import t
from htx_desktop.store import models as m
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.dialogs import ask_yes_no
from htx_desktop.ui.formatting import fmt_date
from htx_desktop.ui.list_page import ListPage
from htx_desktop.ui.list_specs import Column, ListSpec, plan_spec
from htx_desktop.ui.table_model import LazyTableModel

FIRST_YEAR, LAST_YEAR = 2023, 2030


def status_trash_spec() -> ListSpec:
    s, pl = m.PlanLineStatus, m.PlanLine
    return ListSpec(
        kind="plan_status", model=s, title=t("Kế hoạch"),
        columns=[Column(t("Mục"), s.line_code, width=60),
                 Column(t("Năm"), s.year, width=60),
                 Column(t("Nội dung hoạt động"), pl.content, width=380),
                 Column(t("Ngày xóa"), s.deleted_at, fmt_date, width=130)],
        search_keys=[s.line_code], id_column=s.id,
        joins=lambda: s.__table__.join(pl.__table__, s.line_code == pl.code),
        unit_column=s.unit_id)


class PlanPage(ListPage):
    def __init__(self, ctx: AppContext) -> None:
        self.year = min(max(date.today().year, FIRST_YEAR), LAST_YEAR)
        super().__init__(ctx, plan_spec(ctx.home_unit_id, self.year))
        self.year_box = QComboBox()
        self.year_box.setObjectName("year")
        for y in range(FIRST_YEAR, LAST_YEAR + 1):
            self.year_box.addItem(str(y), y)
        self.year_box.setCurrentIndex(self.year - FIRST_YEAR)
        self.year_box.currentIndexChanged.connect(
            lambda _i: self.set_year(int(self.year_box.currentData())))
        top = self.top_bar
        top.insertWidget(1, QLabel(t("Năm:")))
        top.insertWidget(2, self.year_box)
        self.add_button.setText(t("Cập nhật tình hình"))
        self.add_button.setToolTip(t("Cập nhật tình hình của dòng đang chọn (Ctrl+N)"))

    def set_year(self, year: int) -> None:
        self.year = year
        self.spec = plan_spec(self.ctx.home_unit_id, year)
        self.model = self.make_model()
        self.table.setModel(self.model)
        self.model.modelReset.connect(self._update_count)
        self._restore_widths()
        for key, box in self.filter_boxes.items():
            self.model._filters[key] = box.currentData()
        self.model.set_search(self.search.text())
        self.model.refresh()

    def make_model(self) -> LazyTableModel:
        return LazyTableModel(self.ctx.db.engine, self.spec, self.ctx.unit_ids)

    def status_id(self, line_code: str) -> str | None:
        with self.ctx.db.session() as session:
            return session.scalar(select(m.PlanLineStatus.id).where(
                m.PlanLineStatus.unit_id == self.ctx.home_unit_id,
                m.PlanLineStatus.line_code == line_code, m.PlanLineStatus.year == self.year,
                m.PlanLineStatus.deleted_at.is_(None)))

    def open_form(self, record_id: Any = None) -> str | None:
        from htx_desktop.ui.forms.registry import open_form
        line = record_id or self.current_id()
        if line is None:
            return None
        status_id = self.status_id(line)
        values = None if status_id else {"line_code": line, "year": self.year,
                                         "status": "in_progress"}
        saved = open_form(self.ctx, "plan_status", status_id, values, parent=self)
        if saved:
            self.refresh()
            self.select_id(line)
            self.changed.emit()
        return saved

    def delete_current(self) -> None:
        line = self.current_id()
        status_id = self.status_id(line) if line else None
        if status_id is None:
            return
        if not ask_yes_no(self, t("Xóa hồ sơ"), t(
                "Xóa tình hình thực hiện dòng {line} năm {year}? Bạn có thể khôi phục lại sau.",
                line=line, year=self.year)):
            return
        from htx_desktop.store.service import RecordService
        with self.ctx.db.session() as session:
            RecordService(session, self.ctx.officer).delete("plan_status", status_id)
        self.refresh()

    def show_trash(self) -> None:
        from htx_desktop.ui.record_dialogs import TrashDialog
        dialog = TrashDialog(self.ctx, status_trash_spec(), self)
        dialog.exec()
        if dialog.restored:
            self.refresh()

    def show_history(self) -> None:
        line = self.current_id()
        status_id = self.status_id(line) if line else None
        if status_id is not None:
            from htx_desktop.ui.record_dialogs import HistoryDialog
            HistoryDialog(self.ctx, "plan_status", status_id, self).exec()


def make_page(ctx: AppContext) -> PlanPage:
    return PlanPage(ctx)
