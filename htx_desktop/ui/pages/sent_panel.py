"""Các gói đã xuất: the packages this unit sent, each with what the level above said (issue 21):
sent, accepted (by whom, when) or returned with the comments beside the records they name; and
the button that takes a receipt in (the same check as the receive page and `import FILE`)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.i18n import t
from htx_desktop.store.engine import Database

STATE_LABELS = {"sent": "Đã gửi, chưa có biên nhận", "accepted": "Cấp trên đã chấp nhận",
                "returned": "Cấp trên trả lại để sửa"}
_COLOURS = {"accepted": "#1b5e20", "returned": "#b71c1c"}


def _local(iso: str | None) -> str:
    if not iso:
        return ""
    return datetime.fromisoformat(iso).astimezone().strftime("%d/%m/%Y %H:%M")


def comment_lines(row: dict[str, Any]) -> list[str]:
    """The comments of a sent package, each beside what it names: "CT3 – …: text", "HTX Chè
    Tân Cương: text", or the general text."""
    from htx_desktop.reports.labels import indicator_name

    year = 2030 if row["period"][:4] >= "2026" else 2025
    out = []
    for c in row.get("comments") or []:
        if c.get("target") == "indicator":
            out.append(f"{c['ref']} – {indicator_name(str(c['ref']), year)}: {c['text']}")
        elif c.get("target") == "record":
            name = c.get("label") or t("bản ghi {id} (không còn trên máy này)",
                                       id=str(c.get("ref"))[:8])
            out.append(f"{name}: {c['text']}")
        else:
            out.append(str(c.get("text") or ""))
    return out


class SentPanel(QWidget):
    """The exported packages (`exports` table) and the level above's decision on each."""

    def __init__(self, db: Database, period_names: dict[str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.period_names = period_names or {}
        self.rows: list[dict[str, Any]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("exports")
        self.table.setHorizontalHeaderLabels(
            [t("Kỳ"), t("Lần xuất"), t("Cấp trên"), t("Thời điểm"), t("Tệp")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        for c, w in enumerate((80, 60, 235, 115)):
            self.table.horizontalHeader().resizeSection(c, w)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._show_selected)
        layout.addWidget(self.table, 3)
        self.comments = QLabel("")
        self.comments.setObjectName("receiptComments")
        self.comments.setWordWrap(True)
        self.comments.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.comments.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.comments.setStyleSheet("QLabel{background:#fffdf5; border:1px solid #ddd; "
                                    "padding:6px;}")
        layout.addWidget(self.comments, 2)
        row = QHBoxLayout()
        self.status = QLabel("")
        self.status.setObjectName("receiptStatus")
        self.status.setWordWrap(True)
        row.addWidget(self.status, 1)
        self.import_button = QPushButton(t("Nhập biên nhận của cấp trên…"))
        self.import_button.setToolTip(t("Tệp biên nhận (BN-….json) cấp trên gửi về sau khi "
                                        "xét duyệt gói: chấp nhận, hoặc trả lại kèm ý kiến."))
        self.import_button.clicked.connect(self.choose_receipts)
        row.addWidget(self.import_button)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        from htx_desktop.receiving.receipts import sent_packages

        with self.db.session() as session:
            self.rows = sent_packages(session)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            state = t(STATE_LABELS.get(row["state"], row["state"]))
            if row["decided_at"]:
                state += " " + _local(row["decided_at"])[:10]
            values = (self.period_names.get(row["period"], row["period"]), str(row["version"]),
                      state, _local(row["exported_at"]), row["file"])
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c == 2 and row["state"] in _COLOURS:
                    from PySide6.QtGui import QColor

                    item.setForeground(QColor(_COLOURS[row["state"]]))
                self.table.setItem(r, c, item)
        if self.rows:
            # What the officer must act on first: the newest returned package, else the newest.
            first = next((r for r, row in enumerate(self.rows) if row["state"] == "returned"
                          and self._is_latest(row)), 0)
            self.table.selectRow(first)
        self._show_selected()

    def returned(self) -> list[dict[str, Any]]:
        """The latest package of each period, when the level above returned it."""
        return [row for row in self.rows if row["state"] == "returned" and self._is_latest(row)]

    def _is_latest(self, row: dict[str, Any]) -> bool:
        return all(other["version"] <= row["version"] for other in self.rows
                   if other["period"] == row["period"])

    def selected(self) -> dict[str, Any] | None:
        from htx_desktop.ui.table_selection import chosen_item

        return chosen_item(self.table, self.rows)

    def _show_selected(self) -> None:
        row = self.selected()
        if row is None:
            self.comments.setText(t("Chưa xuất gói báo cáo nào.") if not self.rows else "")
            return
        self.comments.setText(self.describe(row))

    def describe(self, row: dict[str, Any]) -> str:
        head = t("Kỳ {period}, lần xuất {version} ({file}): ", period=row["period"],
                 version=row["version"], file=row["file"])
        when = _local(row["decided_at"])
        who = row["decided_by"] or "?"
        if row["state"] == "sent":
            return head + t("đã gửi; chưa nhận được biên nhận của cấp trên.")
        if row["state"] == "accepted":
            text = head + t("cấp trên đã CHẤP NHẬN ({who}, {when}). Kỳ báo cáo được giữ khoá "
                            "sổ.", who=who, when=when)
        else:
            text = head + t("cấp trên TRẢ LẠI để sửa ({who}, {when}).", who=who, when=when)
            if self._is_latest(row):
                text += " " + t("Kỳ này đã được mở lại: sửa theo các ý kiến dưới đây (không "
                                "cần nhập lý do), rồi xuất gói phiên bản mới gửi lại.")
        lines = comment_lines(row)
        if lines:
            text += "\n\n" + t("Ý kiến của cấp trên:") + "\n" + "\n".join(
                "• " + line for line in lines)
        return text

    # ------------------------------------------------------------------ receipts in

    def choose_receipts(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, t("Chọn biên nhận của cấp trên"), "", t("Biên nhận (*.json)"))
        if names:
            self.take_receipts([Path(n) for n in names])

    def take_receipts(self, paths: list[Path]) -> None:
        """Check the receipts (a preview), confirm the level above's first key, take them
        in; what happened goes to the status line."""
        from htx_desktop.receiving.importer import NEW_KEY, Trust
        from htx_desktop.receiving.receipts import import_receipts

        preview = import_receipts(self.db, paths, dry_run=True, trust=Trust(preview=True))
        confirmed: set[str] = set()
        for o in preview:
            fp = o.signer_fingerprint
            if (not o.refused and o.needs_confirmation and o.key_status == NEW_KEY and fp
                    and fp not in confirmed and self._confirm_key(o)):
                confirmed.add(fp)
        done = import_receipts(self.db, paths, trust=Trust(
            accept_new_keys=frozenset(confirmed)))
        self.status.setText("\n".join(o.describe().split("\n")[0] for o in done))
        self.status.setStyleSheet("color:#b71c1c;" if any(o.refused for o in done) else "")
        self.refresh()

    def _confirm_key(self, o: Any) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, t("Xác nhận khoá ký của cấp trên"), t(
            "Đây là biên nhận đầu tiên nhận được từ cấp trên {unit} – {name}.\n"
            "Người quyết định ghi trong biên nhận: {who}.\n\n"
            "Mã khoá ký của biên nhận:\n{code}\n\n"
            "Hãy gọi điện cho cấp trên (dùng số điện thoại anh/chị đã biết, không dùng số ghi "
            "trong tệp) và đề nghị đọc mã khoá ký ở mục Cài đặt của họ. Chỉ nhận khi hai mã "
            "trùng khớp; từ nay mọi biên nhận của cấp trên phải mang đúng khoá này.",
            unit=o.unit_code, name=o.unit_name or "", who=o.prepared_by or t("(không ghi)"),
            code=o.short_code), QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("keyConfirmation")
        yes = box.addButton(t("Mã khớp, nhận khoá"), QMessageBox.ButtonRole.YesRole)
        no = box.addButton(t("Không nhận"), QMessageBox.ButtonRole.NoRole)
        box.setDefaultButton(no)
        box.setEscapeButton(no)
        box.exec()
        return box.clickedButton() is yes


def period_names(today: date) -> dict[str, str]:
    from htx_desktop.ui.pages.period_names import period_choices

    return dict(period_choices(today))
