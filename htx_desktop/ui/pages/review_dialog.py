"""Trả lại gói: the comment box of a return (issue 21): a general comment and comments pinned
to an indicator (CT1–CT9) or to a record of the package. Comments travel by email or Zalo in
the receipt, so the box reminds the officer not to write a woman's name or phone, and warns
while she types something that looks like a phone or ID number."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.domain.comment_check import REMINDER, personal_data_warnings
from htx_desktop.i18n import t
from htx_desktop.store.review import INDICATOR_CODES, MAX_COMMENT


class ReviewDialog(QDialog):
    """`general()` and `pinned()` [(target, text)] once accepted."""

    def __init__(self, heading: str, records: list[tuple[str, str, str]],
                 indicator_names: dict[str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewDialog")
        self.setWindowTitle(t("Trả lại gói để đơn vị sửa"))
        self.setModal(True)
        self._pins: list[tuple[str, str, str]] = []  # (target, label, text)
        layout = QVBoxLayout(self)
        head = QLabel(heading)
        head.setWordWrap(True)
        layout.addWidget(head)
        reminder = QLabel("⚠ " + t(REMINDER))
        reminder.setObjectName("reminder")
        reminder.setWordWrap(True)
        reminder.setStyleSheet("color: #8a4b00; font-weight: bold;")
        layout.addWidget(reminder)

        layout.addWidget(QLabel(t("Ý kiến chung gửi đơn vị:")))
        self.comment = QPlainTextEdit()
        self.comment.setObjectName("comment")
        self.comment.setTabChangesFocus(True)
        self.comment.setPlaceholderText(t("Ví dụ: đề nghị rà soát lại số lao động nữ của các "
                                          "HTX rồi gửi lại gói báo cáo."))
        self.comment.setFixedHeight(80)
        self.comment.textChanged.connect(self._update)
        layout.addWidget(self.comment)

        layout.addWidget(QLabel(t("Ý kiến về một chỉ tiêu hoặc một bản ghi (không bắt buộc):")))
        row = QHBoxLayout()
        self.target = QComboBox()
        self.target.setObjectName("target")
        self.target.setMinimumWidth(220)
        names = indicator_names or {}
        for code in INDICATOR_CODES:
            name = names.get(code, "")
            self.target.addItem(f"{code} – {name}"[:90] if name else code, code)
        for _kind, rid, label in records:
            self.target.addItem(label[:90], rid)
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setMaxLength(MAX_COMMENT)
        self.note.setPlaceholderText(t("Ví dụ: có 18 lao động nữ, không phải 81"))
        self.note.textChanged.connect(self._update)
        self.note.returnPressed.connect(self.add_pin)
        self.add_button = QPushButton(t("Thêm ý kiến"))
        self.add_button.clicked.connect(self.add_pin)
        row.addWidget(self.target, 2)
        row.addWidget(self.note, 3)
        row.addWidget(self.add_button)
        layout.addLayout(row)
        self.pins = QListWidget()
        self.pins.setObjectName("pins")
        self.pins.setFixedHeight(90)
        self.pins.setWordWrap(True)
        layout.addWidget(self.pins)
        row = QHBoxLayout()
        row.addStretch(1)
        self.remove_button = QPushButton(t("Bỏ ý kiến đã chọn"))
        self.remove_button.clicked.connect(self.remove_pin)
        row.addWidget(self.remove_button)
        layout.addLayout(row)

        self.warning = QLabel("")
        self.warning.setObjectName("warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b71c1c;")
        layout.addWidget(self.warning)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton(t("Trả lại gói"))
        self.save_button.setObjectName("returnButton")
        self.save_button.clicked.connect(self.accept)
        self.cancel_button = QPushButton(t("Hủy"))
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self._update()
        self.resize(640, 480)

    def general(self) -> str:
        return self.comment.toPlainText().strip()[:MAX_COMMENT]

    def pinned(self) -> list[tuple[str, str]]:
        return [(target, text) for target, _label, text in self._pins]

    def add_pin(self) -> None:
        text = self.note.text().strip()
        if not text:
            return
        target = str(self.target.currentData())
        label = self.target.currentText()
        self._pins.append((target, label, text))
        self.pins.addItem(QListWidgetItem(f"{label}: {text}"))
        self.note.clear()
        self._update()

    def remove_pin(self) -> None:
        row = self.pins.currentRow()
        if 0 <= row < len(self._pins):
            del self._pins[row]
            self.pins.takeItem(row)
            self._update()

    def _update(self) -> None:
        texts = [self.general(), self.note.text(), *(text for _t, _l, text in self._pins)]
        warnings: list[str] = []
        for text in texts:
            for w in personal_data_warnings(text):
                if w not in warnings:
                    warnings.append(w)
        self.warning.setText("\n".join(warnings))
        self.warning.setVisible(bool(warnings))
        # Returning needs something to say (a comment typed in the line counts once added).
        self.save_button.setEnabled(bool(self.general() or self._pins))

    def accept(self) -> None:
        if self.note.text().strip():  # typed but not added: it is meant
            self.add_pin()
        if self.general() or self._pins:
            super().accept()
