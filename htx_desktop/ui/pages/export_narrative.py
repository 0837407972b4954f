"""The report's own paragraphs, one editor per section with its Vietnamese heading, saved per
unit and period (store/narratives.py) a moment after typing stops and whenever the editor is
left, so nothing typed is lost if the program is closed or the power goes."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QScrollArea, QVBoxLayout, QWidget

from htx_desktop.i18n import t
from htx_desktop.reports.report_text import TASKS
from htx_desktop.store.narratives import load_narrative, save_narrative
from htx_desktop.ui.context import AppContext

AUTOSAVE_MS = 1500

# (section key of report_text.SECTIONS, heading shown above its editor)
SECTION_HEADINGS: tuple[tuple[str, str], ...] = (
    ("intro", "Mở đầu"),
    *((key, f"{i}. {text}") for i, (key, text) in enumerate(TASKS, start=1)),
    ("achievements", "Kết quả đạt được"),
    ("shortcomings", "Tồn tại, hạn chế, khó khăn và nguyên nhân"),
    ("next_year", "Nhiệm vụ năm tới"),
    ("proposals", "Đề xuất, kiến nghị"),
)


class NarrativeEditor(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.period_label: str | None = None
        self._dirty: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.save)

        inner = QWidget()
        col = QVBoxLayout(inner)
        hint = QLabel(t("Các đoạn văn do đơn vị tự viết, được lưu tự động khi gõ. Mỗi dòng là "
                        "một đoạn. Mục để trống sẽ có một câu mặc định trong báo cáo; các số "
                        "liệu được chương trình tự điền."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#555;")
        col.addWidget(hint)
        self.editors: dict[str, QPlainTextEdit] = {}
        for key, heading in SECTION_HEADINGS:
            label = QLabel(t(heading))
            label.setWordWrap(True)
            label.setStyleSheet("font-weight:bold; margin-top:6px;")
            editor = QPlainTextEdit()
            editor.setObjectName(f"narrative_{key}")
            editor.setMinimumHeight(70)
            editor.setMaximumHeight(110)
            editor.setTabChangesFocus(True)
            editor.textChanged.connect(lambda k=key: self._edited(k))
            label.setBuddy(editor)
            col.addWidget(label)
            col.addWidget(editor)
            self.editors[key] = editor
        col.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        self.saved_label = QLabel()
        self.saved_label.setObjectName("saved")
        self.saved_label.setStyleSheet("color:#555;")
        layout.addWidget(self.saved_label)

    def load(self, period_label: str) -> None:
        """Save what was typed for the previous period, then show this period's text."""
        self.save()
        with self.ctx.db.session() as session:
            texts = load_narrative(session, self.ctx.home_unit_id, period_label)
        for key, editor in self.editors.items():
            editor.blockSignals(True)
            editor.setPlainText(texts.get(key, ""))
            editor.blockSignals(False)
        self.period_label = period_label
        self._dirty.clear()
        self.saved_label.setText("")

    def _edited(self, key: str) -> None:
        self._dirty.add(key)
        self.saved_label.setText(t("Đang soạn…"))
        self._timer.start()

    def save(self) -> bool:
        """Write the edited sections now; False (and a message) if that failed."""
        self._timer.stop()
        if not self._dirty or self.period_label is None:
            return True
        texts = {k: self.editors[k].toPlainText() for k in self._dirty}
        try:
            with self.ctx.db.session() as session:
                save_narrative(session, self.ctx.home_unit_id, self.period_label, texts,
                               self.ctx.officer)
        except Exception as exc:  # the text stays in the editors; the next pause retries
            self.saved_label.setText(t("Chưa lưu được nội dung: {error}",
                                       error=getattr(exc, "user_message", None) or str(exc)))
            return False
        self._dirty.clear()
        self.saved_label.setText(t("Đã lưu lúc {time}", time=datetime.now().strftime("%H:%M")))
        return True

    def hideEvent(self, event: QHideEvent) -> None:
        self.save()  # leaving the tab, the page or the program
        super().hideEvent(event)
