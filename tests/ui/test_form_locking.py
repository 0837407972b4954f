"""Saving over someone else's newer change (issue #11 point 2) and changing a record of a period
already sent up (issue #7 point 4), through the real form.

- Conflict: a second RecordService session, as another officer, saves the record the form has
  open; saving the form shows who changed it, "So sánh" lists the fields, "Tải lại" reloads
  and keeps her edit, and the next save lands on top: both updates are in the audit log.
- Locked period: an Export row for 2024 locks a record dated 2024 (store/locks.py reads only
  the exports table, so this is what a real export leaves behind); saving asks for a reason
  (cancel saves nothing, an empty reason cannot be given), and the reason reaches the audit log
  and the next package's amendments. Deleting from the list asks too.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from htx_desktop.domain.periods import parse_period
from htx_desktop.store.drafts import list_drafts
from htx_desktop.store.locks import amendments_since_export
from htx_desktop.store.models import AuditEntry, Cooperative, Event, Export
from htx_desktop.store.service import RecordService
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.forms.conflict import CompareDialog, ConflictDialog, field_label
from htx_desktop.ui.forms.registry import make_form
from htx_desktop.ui.list_page import ListPage
from htx_desktop.ui.list_specs import SPEC_FACTORIES
from htx_desktop.ui.reason_dialog import ReasonDialog
from tests.ui.conftest import answer_next_box, type_text, when_dialog

OTHER = "Trần Thị Bình"


def _audit(ctx: AppContext, table: str, record_id: str) -> list[tuple[str, str, str | None]]:
    with ctx.db.session() as session:
        rows = session.scalars(select(AuditEntry).where(
            AuditEntry.table_name == table, AuditEntry.record_id == record_id)
            .order_by(AuditEntry.at, AuditEntry.id))
        return [(e.action, e.officer, e.reason) for e in rows]


def test_conflict_compare_and_reload_lose_no_update(qtbot: Any, ctx: AppContext,
                                                    seeded: dict[str, str]) -> None:
    coop_id = seeded["cooperative"]
    form = make_form(ctx, "cooperative", coop_id)
    form.show()
    opened_version = form.row_version
    type_text(form.widgets["village"], "Xóm Đồng Tâm")

    # another officer saves the same record meanwhile
    with ctx.db.session() as session:
        RecordService(session, OTHER).update("cooperative", coop_id,
                                             {"note": "Đã đối chiếu sổ thành viên"})

    seen: dict[str, Any] = {}

    def on_compare(dialog: CompareDialog) -> None:
        seen["fields"] = dialog.table.names()
        seen["rows"] = {d.name: (d.mine, d.stored, d.mine_changed, d.theirs_changed)
                        for d in dialog.rows}
        seen["history"] = dialog.history_label.text()
        dialog.accept()

    def on_conflict(dialog: ConflictDialog) -> None:
        seen["message"] = dialog.message.text()
        when_dialog(CompareDialog, on_compare)
        dialog.compare_button.click()
        dialog.reload_button.click()

    when_dialog(ConflictDialog, on_conflict)
    form.save_button.click()

    assert form.saved_id is None, "the stale save is refused"
    assert OTHER in seen["message"]
    assert seen["fields"] == [field_label("cooperative", "village"),
                              field_label("cooperative", "note")]
    assert seen["rows"]["village"] == ("Xóm Đồng Tâm", "—", True, False)
    assert seen["rows"]["note"] == ("—", "Đã đối chiếu sổ thành viên", False, True)
    assert OTHER in seen["history"] and field_label("cooperative", "note") in seen["history"]

    # reloaded: the new version, the other officer's note, her village kept; a draft holds it
    assert form.row_version != opened_version
    assert form.widgets["note"].value() == "Đã đối chiếu sổ thành viên"  # type: ignore[attr-defined]
    assert form.widgets["village"].value() == "Xóm Đồng Tâm"  # type: ignore[attr-defined]
    assert form.merge_panel is not None and not form.merge_panel.isHidden()
    drafts = [d for d in list_drafts(ctx.db) if d[2] == coop_id]
    assert drafts and drafts[0][3]["village"] == "Xóm Đồng Tâm"

    assert form.save(), "saving again sends the new row version"
    with ctx.db.session() as session:
        coop = session.get(Cooperative, coop_id)
        assert coop is not None
        assert (coop.village, coop.note) == ("Xóm Đồng Tâm", "Đã đối chiếu sổ thành viên")
    updates = [(a, o) for a, o, _r in _audit(ctx, "cooperatives", coop_id) if a == "update"]
    assert updates == [("update", OTHER), ("update", ctx.officer)]
    assert not [d for d in list_drafts(ctx.db) if d[2] == coop_id], "the draft is gone"


def test_conflict_on_the_same_field_keeps_the_stored_value_until_she_chooses(
        qtbot: Any, ctx: AppContext, seeded: dict[str, str]) -> None:
    coop_id = seeded["cooperative"]
    form = make_form(ctx, "cooperative", coop_id)
    form.show()
    type_text(form.widgets["village"], "Xóm Đồng Tâm")
    with ctx.db.session() as session:
        RecordService(session, OTHER).update("cooperative", coop_id, {"village": "Xóm Trung"})

    when_dialog(ConflictDialog, lambda d: d.reload_button.click())
    assert not form.save()
    assert form.widgets["village"].value() == "Xóm Trung"  # type: ignore[attr-defined]
    assert form.merge_table.names() == [field_label("cooperative", "village")]
    assert form.merge_panel is not None
    use_mine = form.merge_panel.findChild(QPushButton, "useMine")
    assert use_mine is not None
    use_mine.click()
    assert form.save()
    with ctx.db.session() as session:
        coop = session.get(Cooperative, coop_id)
        assert coop is not None and coop.village == "Xóm Đồng Tâm"
    entries = _audit(ctx, "cooperatives", coop_id)
    assert [o for a, o, _r in entries if a == "update"] == [OTHER, ctx.officer]


def _lock_2024(ctx: AppContext) -> None:
    with ctx.db.session() as session:
        session.add(Export(unit_id=ctx.home_unit_id, period="2024", version=1,
                           sha256="0" * 64, file_name="bao-cao-2024.zip"))


def test_locked_record_asks_a_reason_and_logs_it(qtbot: Any, ctx: AppContext,
                                                 seeded: dict[str, str]) -> None:
    _lock_2024(ctx)
    event_id = seeded["event"]  # starts 10/06/2024
    form = make_form(ctx, "event", event_id)
    form.show()
    form.widgets["count_total"].set_value(45)  # type: ignore[attr-defined]

    seen: dict[str, Any] = {}

    def cancel(dialog: ReasonDialog) -> None:
        seen["message"] = dialog.message.text()
        dialog.cancel_button.click()

    when_dialog(ReasonDialog, cancel)
    assert not form.save()
    assert "2024" in seen["message"]
    with ctx.db.session() as session:
        event = session.get(Event, event_id)
        assert event is not None and event.count_total == 40, "cancelled: nothing saved"

    def give_reason(dialog: ReasonDialog) -> None:
        seen["empty_enabled"] = dialog.save_button.isEnabled()
        dialog.accept()  # Enter with no reason: refused, the dialog stays open
        seen["still_open"] = dialog.isVisible()
        type_text(dialog.reason_edit, "Đếm lại danh sách ký tên")
        seen["typed_enabled"] = dialog.save_button.isEnabled()
        dialog.save_button.click()

    when_dialog(ReasonDialog, give_reason)
    assert form.save()
    assert seen == {**seen, "empty_enabled": False, "still_open": True, "typed_enabled": True}
    with ctx.db.session() as session:
        event = session.get(Event, event_id)
        assert event is not None and event.count_total == 45
        amendments = amendments_since_export(session, parse_period("2024"))
    assert ("update", ctx.officer, "Đếm lại danh sách ký tên") in _audit(ctx, "events", event_id)
    assert [(a["id"], a["reason"]) for a in amendments] == [(event_id,
                                                             "Đếm lại danh sách ký tên")]

    # deleting it from the list asks too
    page = ListPage(ctx, SPEC_FACTORIES["event"]())
    qtbot.addWidget(page)
    page.show()
    page.select_id(event_id)
    answer_next_box("Có")

    def why_delete(dialog: ReasonDialog) -> None:
        type_text(dialog.reason_edit, "Nhập trùng hoạt động")
        dialog.save_button.click()

    when_dialog(ReasonDialog, why_delete)
    page.delete_button.click()
    assert event_id not in page.model.ids()
    assert ("delete", ctx.officer, "Nhập trùng hoạt động") in _audit(ctx, "events", event_id)
