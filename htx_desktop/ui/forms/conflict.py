"""When a save meets someone else's newer change (optimistic locking, issue #11 point 2).

`ConflictDialog` says who changed the record and when, and offers "Tải lại" (the form reloads
the stored version and puts the officer's own edits back on top, see `FormDialog.reload`) and
"So sánh" (`CompareDialog`: field by field, what she typed next to what is stored now, and the
latest entry of the record's history). Values are compared as the text the officer would read,
so that None and "" or a child row's hidden id never show up as a difference.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.domain.fields import FIELDS
from htx_desktop.i18n import t
from htx_desktop.store import models as m
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.formatting import fmt_bool, fmt_date, fmt_money
from htx_desktop.ui.record_dialogs import ACTIONS

_REF_MODELS: dict[str, tuple[type[Any], str]] = {
    "person_id": (m.Person, "full_name"), "cooperative_id": (m.Cooperative, "name"),
    "converted_to_id": (m.Cooperative, "name"), "training_event_id": (m.Event, "title"),
}
CLASH = QColor("#fdecea")


def field_label(kind: str, name: str) -> str:
    spec = FIELDS.get(kind, {}).get(name)
    label = t(spec.label) if spec is not None else name
    return label[:1].upper() + label[1:]


class ValueText:
    """Turns stored or typed values into the text a form shows (names for ids, labels for codes)."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._names: dict[tuple[str, str], str] = {}

    def __call__(self, kind: str, name: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return "—"
        spec = FIELDS.get(kind, {}).get(name)
        if spec is None:
            return str(value)
        if spec.kind == "items" and isinstance(value, list):
            rows = [self._row(spec.child, item) for item in value if isinstance(item, Mapping)]
            return "\n".join(rows) or "—"
        if spec.kind in ("code", "codes") and spec.codes is not None:
            labels = dict(spec.codes.choices())
            codes = value if isinstance(value, list) else [value]
            return ", ".join(str(labels.get(c, c)) for c in codes)
        if spec.kind == "unit":
            return dict(self.ctx.communes).get(value, str(value))
        if spec.kind == "ref" and name in _REF_MODELS:
            return self._ref(name, str(value))
        if isinstance(value, bool) or spec.kind in ("bool", "optional_bool"):
            return fmt_bool(value)
        if isinstance(value, datetime | date):
            return fmt_date(value)
        if isinstance(value, str) and spec.kind == "date":
            try:
                return fmt_date(date.fromisoformat(value[:10]))
            except ValueError:
                return value
        if name.endswith("_vnd") and isinstance(value, int):
            return fmt_money(value)
        return str(value)

    def _row(self, child: str, item: Mapping[str, Any]) -> str:
        parts = [self(child, k, v) for k, v in item.items() if k in FIELDS.get(child, {})]
        return ", ".join(p for p in parts if p != "—")

    def _ref(self, name: str, record_id: str) -> str:
        key = (name, record_id)
        if key not in self._names:
            model, attr = _REF_MODELS[name]
            with self.ctx.db.session() as session:
                obj = session.get(model, record_id)
                self._names[key] = str(getattr(obj, attr)) if obj is not None else record_id
        return self._names[key]


@dataclass
class Difference:
    name: str
    label: str
    mine: str
    stored: str
    mine_changed: bool  # she edited this field since she opened the record
    theirs_changed: bool  # the stored value moved since she opened the record


def differences(ctx: AppContext, kind: str, mine: Mapping[str, Any],
                stored: Mapping[str, Any], baseline: Mapping[str, Any]) -> list[Difference]:
    """The fields whose typed value and stored value read differently, in the form's order."""
    text = ValueText(ctx)
    out = []
    for name in mine:
        a, b = text(kind, name, mine[name]), text(kind, name, stored.get(name))
        if a == b:
            continue
        base = text(kind, name, baseline.get(name)) if name in baseline else None
        out.append(Difference(name, field_label(kind, name), a, b,
                              base is None or a != base, base is not None and b != base))
    return out


class ComparisonTable(QTableWidget):
    """Field | what she typed | what is stored; rows both sides changed are tinted."""

    def __init__(self, mine_title: str, stored_title: str) -> None:
        super().__init__(0, 3)
        self.setObjectName("comparison")
        self.setHorizontalHeaderLabels([t("Thông tin"), mine_title, stored_title])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.resizeSection(0, 190)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

    def show_differences(self, rows: list[Difference]) -> None:
        self.setRowCount(len(rows))
        for r, d in enumerate(rows):
            for c, value in enumerate((d.label, d.mine, d.stored)):
                item = QTableWidgetItem(value)
                if d.mine_changed and d.theirs_changed:
                    item.setBackground(QBrush(CLASH))
                    item.setToolTip(t("Cả bạn và người kia đều sửa thông tin này."))
                self.setItem(r, c, item)
        self.resizeRowsToContents()

    def names(self) -> list[str]:
        items = (self.item(r, 0) for r in range(self.rowCount()))
        return [item.text() for item in items if item is not None]


def latest_change(ctx: AppContext, kind: str, record_id: str) -> str:
    """One line about the record's latest history entry: who, when, what, which fields."""
    from htx_desktop.store.service import RecordService
    with ctx.db.session() as session:
        entries = RecordService(session, ctx.officer).history(kind, record_id)
        if not entries:
            return t("Chưa có lịch sử thay đổi.")
        last = entries[-1]
        at = last.at if last.at.tzinfo else last.at.replace(tzinfo=UTC)
        fields = ", ".join(field_label(kind, k) for k in (last.changes or {}))
        text = t("Lần lưu gần nhất: {officer}, lúc {time} ({action})",
                 officer=last.officer or t("không rõ người sửa"),
                 time=fmt_date(at.astimezone()), action=t(ACTIONS.get(last.action, last.action)))
        if fields:
            text += t(": đã sửa {fields}", fields=fields)
        if last.reason:
            text += t(". Lý do: {reason}", reason=last.reason)
        return text + "."


class CompareDialog(QDialog):
    """What she typed next to the stored record, field by field, and the latest change."""

    def __init__(self, ctx: AppContext, kind: str, record_id: str, mine: Mapping[str, Any],
                 baseline: Mapping[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareDialog")
        self.setWindowTitle(t("So sánh với bản đã lưu"))
        from htx_desktop.store.service import RecordService
        with ctx.db.session() as session:
            stored = RecordService(session, ctx.officer).snapshot(kind, record_id)
        self.rows = differences(ctx, kind, mine, stored, baseline)
        layout = QVBoxLayout(self)
        self.history_label = QLabel(latest_change(ctx, kind, record_id))
        self.history_label.setWordWrap(True)
        layout.addWidget(self.history_label)
        self.table = ComparisonTable(t("Bạn đã nhập"), t("Đang lưu (bản mới)"))
        self.table.show_differences(self.rows)
        layout.addWidget(self.table, 1)
        note = QLabel(t("Dòng tô màu: cả bạn và người kia đều sửa. Bấm \"Tải lại\" để nhận bản "
                        "mới; các ô bạn đã sửa sẽ được giữ để bạn xem và lưu lại."))
        note.setWordWrap(True)
        note.setStyleSheet("color:#5f6368;")
        layout.addWidget(note)
        close = QPushButton(t("Đóng"))
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.resize(760, 420)


class ConflictDialog(QDialog):
    """The refusal, with "Tải lại", "So sánh" and "Đóng"; `choice` is "reload" or ""."""

    def __init__(self, message: str, compare: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(t("Hồ sơ đã được sửa ở nơi khác"))
        self.setModal(True)
        self.choice = ""
        layout = QVBoxLayout(self)
        self.message = QLabel(message)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#8c1d18;")
        layout.addWidget(self.message)
        hint = QLabel(t("Thay đổi của bạn chưa được lưu nhưng không mất: \"Tải lại\" mở bản mới "
                        "nhất và giữ các ô bạn đã sửa (bản nháp cũng được lưu); \"So sánh\" cho "
                        "xem từng thông tin của bạn bên cạnh bản đang lưu."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.reload_button = QPushButton(t("Tải lại"))
        self.reload_button.setDefault(True)
        self.reload_button.clicked.connect(self._reload)
        self.compare_button = QPushButton(t("So sánh"))
        self.compare_button.clicked.connect(compare)
        self.close_button = QPushButton(t("Đóng"))
        self.close_button.clicked.connect(self.reject)
        for b in (self.reload_button, self.compare_button, self.close_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.resize(560, 220)

    def _reload(self) -> None:
        self.choice = "reload"
        self.accept()
