"""The shared form dialog: fields from a declarative list, messages beside each field, keyboard
(Enter moves on, Ctrl+S saves, Esc cancels and asks when there are unsaved changes), duplicate
warning with a button to open the existing record, and a draft kept every few seconds.

A form subclass gives `KIND`, titles and `fields()`; complex kinds override `values_from()`
(record → values) to fill child tables. Saving goes through `RecordService` in one session.

Two refusals are answered here rather than shown as errors: a record of a period already sent
up (LockedRecordError) asks for a reason and saves again with it; a record someone else saved
since it was opened (ConflictError) offers to reload it (her edits are kept: see `reload`) or to
compare (forms/conflict.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.i18n import t
from htx_desktop.store.drafts import remove_draft, save_draft
from htx_desktop.store.os_errors import os_failure
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.dialogs import ask_yes_no
from htx_desktop.ui.writes import write

log = logging.getLogger(__name__)
_clock_warned: list[bool] = []  # the PC's clock is checked at the first save of a run

DRAFT_INTERVAL_MS = 3000


@dataclass
class F:
    """One field: the value's key, its label, a widget factory, the tab it sits on."""

    name: str
    label: str
    make: Callable[[], QWidget]
    tab: str = ""
    hint: str = ""
    before: str = ""  # a notice shown above the field (e.g. sensitive data)


def typing_banner() -> str:
    return t("Chưa lưu được: có ô gõ chưa đúng (được đánh dấu đỏ). Hãy sửa lại rồi bấm Lưu.")


@dataclass
class FieldProblem:
    field: str
    message: str


class _ErrorLabel(QLabel):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("fieldError")
        self.setStyleSheet("color: #b3261e;")
        self.setWordWrap(True)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


class FormDialog(QDialog):
    KIND = ""
    TITLE_NEW = ""
    TITLE_EDIT = ""

    def __init__(self, ctx: AppContext, record_id: str | None = None,
                 values: dict[str, Any] | None = None, draft_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.record_id = record_id
        self.row_version: int | None = None
        self.saved_id: str | None = None
        self.draft_id = draft_id
        self._dirty = False
        self._shown = False
        self._draft_due = False
        self._duplicates_ack = False
        self._reason: str | None = None  # why a locked record is changed, once asked
        # the values as loaded: what tells her own edits from someone else's on a conflict
        self._baseline: dict[str, Any] = {}
        self.merge_panel: QFrame | None = None
        self.setWindowTitle(self.TITLE_EDIT if record_id else self.TITLE_NEW)
        self.setModal(True)
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, _ErrorLabel] = {}
        self._build()
        if record_id:
            self._load()
            self._baseline = self.values()
        if values:
            self.set_values(values)
        self._dirty = bool(values)
        from htx_desktop.ui.forms.inherit import FollowsCooperative
        self.follows: FollowsCooperative | None = (
            FollowsCooperative(self) if {"unit_id", "cooperative_id"} <= set(self.widgets)
            else None)
        for w in self.widgets.values():
            w.changed.connect(self._mark_dirty)  # type: ignore[attr-defined]
        self._draft_timer = QTimer(self)
        self._draft_timer.setInterval(DRAFT_INTERVAL_MS)
        self._draft_timer.timeout.connect(self.save_draft_now)
        self._draft_timer.start()
        QShortcut(QKeySequence("Ctrl+S"), self, self.save)
        self.resize(760, 560)

    # ------------------------------------------------------------------ building

    def fields(self) -> list[F]:
        raise NotImplementedError

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.banner = QLabel()
        self.banner.setObjectName("formBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background:#fdecea; color:#8c1d18; padding:6px; border-radius:4px;")
        self.banner.hide()
        outer.addWidget(self.banner)
        self.dup_bar = QFrame()
        self.dup_bar.setStyleSheet("QFrame{background:#fff4e5; border-radius:4px;}")
        dup_layout = QHBoxLayout(self.dup_bar)
        self.dup_label = QLabel()
        self.dup_label.setWordWrap(True)
        dup_layout.addWidget(self.dup_label, 1)
        self.dup_open = QPushButton(t("Mở hồ sơ đã có"))
        self.dup_open.clicked.connect(self._open_duplicate)
        dup_layout.addWidget(self.dup_open)
        self.dup_save = QPushButton(t("Vẫn lưu hồ sơ mới"))
        self.dup_save.clicked.connect(self._save_anyway)
        dup_layout.addWidget(self.dup_save)
        self.dup_bar.hide()
        self._duplicate_ids: list[str] = []
        outer.addWidget(self.dup_bar)

        tabs: dict[str, QFormLayout] = {}
        self._pages: dict[str, QWidget] = {}
        order: list[str] = []
        for f in self.fields():
            if f.tab not in tabs:
                page = QWidget()
                self._pages[f.tab] = page
                tabs[f.tab] = QFormLayout(page)
                tabs[f.tab].setFieldGrowthPolicy(
                    QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
                order.append(f.tab)
                page.setObjectName(f"tab:{f.tab}")
            if f.before:
                notice = QLabel(f.before)
                notice.setWordWrap(True)
                notice.setStyleSheet("background:#fff4e5; color:#6b3d00; padding:6px;"
                                     " border-radius:4px;")
                tabs[f.tab].addRow(notice)
            widget = f.make()
            widget.setObjectName(f.name)
            self.widgets[f.name] = widget
            error = _ErrorLabel()
            self.errors[f.name] = error
            if hasattr(widget, "problem_changed"):  # a date typed wrong says so on leaving
                widget.problem_changed.connect(error.show_message)
                widget.problem_changed.connect(self._typing_corrected)
            holder = QWidget()
            # a field that asks for height (the attendee table) gets the tab's height
            tall = widget.sizePolicy().verticalPolicy() == QSizePolicy.Policy.Expanding
            holder.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding
                                 if tall else QSizePolicy.Policy.Fixed)
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            box.addWidget(widget)
            if f.hint:
                hint = QLabel(f.hint)
                hint.setStyleSheet("color:#5f6368;")
                hint.setWordWrap(True)
                box.addWidget(hint)
            box.addWidget(error)
            label = QLabel(f.label) if f.label else None
            if label is not None:
                label.setBuddy(widget)
                tabs[f.tab].addRow(label, holder)
            else:
                tabs[f.tab].addRow(holder)
        if len(order) == 1:
            scroll = self._scroll(self._pages[order[0]])
            outer.addWidget(scroll, 1)
            self.tabs: QTabWidget | None = None
        else:
            self.tabs = QTabWidget()
            for name in order:
                self.tabs.addTab(self._scroll(self._pages[name]),
                                 (name or t("Thông tin chung")).replace("&", "&&"))
            outer.addWidget(self.tabs, 1)

        buttons = QHBoxLayout()
        self.draft_status = QLabel("")  # quiet news of the draft autosave
        self.draft_status.setObjectName("draftStatus")
        self.draft_status.setWordWrap(True)
        self.draft_status.setStyleSheet("color:#5f6368;")
        self.draft_status.hide()
        buttons.addWidget(self.draft_status, 3)
        buttons.addStretch(1)
        self.save_button = QPushButton(t("Lưu"))
        self.save_button.setToolTip(t("Lưu (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self.save_button.setAutoDefault(False)
        self.cancel_button = QPushButton(t("Hủy"))
        self.cancel_button.setToolTip(t("Hủy (Esc)"))
        self.cancel_button.clicked.connect(self.reject)
        self.cancel_button.setAutoDefault(False)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        outer.addLayout(buttons)

    @staticmethod
    def _scroll(page: QWidget) -> QScrollArea:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        return scroll

    # ------------------------------------------------------------------ values

    def values(self) -> dict[str, Any]:
        return {name: w.value() for name, w in self.widgets.items()}  # type: ignore[attr-defined]

    def set_values(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            widget = self.widgets.get(name)
            if widget is not None:
                widget.set_value(value)  # type: ignore[attr-defined]

    def _service(self, session: Any) -> Any:
        from htx_desktop.store.service import RecordService
        return RecordService(session, self.ctx.officer)

    def _load(self) -> None:
        with self.ctx.db.session() as session:
            service = self._service(session)
            obj = service.get(self.KIND, self.record_id)
            self.row_version = getattr(obj, "row_version", None)
            values = service.snapshot(self.KIND, self.record_id)
        self.set_values(values)

    def _mark_dirty(self) -> None:
        self._dirty = True
        self._draft_due = True

    # ------------------------------------------------------------------ saving

    def show_errors(self, errors: list[Any]) -> None:
        for label in self.errors.values():
            label.show_message("")
        general: list[str] = []
        first: QWidget | None = None
        for err in errors:
            field = str(getattr(err, "field", "") or "")
            message = str(getattr(err, "message", err))
            base = field.split(".")[0].split("[")[0]
            if base in self.errors:
                label = self.errors[base]
                text = label.text()
                label.show_message(f"{text}\n{message}" if text else message)
                first = first or self.widgets[base]
            else:
                general.append(message)
        self.banner.setText("\n".join(general) or t("Chưa lưu được: hãy sửa các ô được đánh dấu."))
        self.banner.show()
        if first is not None:
            self._reveal(first)

    def _reveal(self, widget: QWidget) -> None:
        if self.tabs is not None:
            for i in range(self.tabs.count()):
                page = self.tabs.widget(i)
                if page is not None and page.isAncestorOf(widget):
                    self.tabs.setCurrentIndex(i)
        widget.setFocus()

    def typing_problems(self) -> list[FieldProblem]:
        """What cannot be read as typed (a date like 31/02/2026), field by field."""
        found: list[FieldProblem] = []
        for name, widget in self.widgets.items():
            problem = getattr(widget, "problem", None)
            message = problem() if callable(problem) else ""
            if message:
                found.append(FieldProblem(name, str(message)))
        return found

    def _typing_corrected(self, message: str) -> None:
        if not message and self.banner.text() == typing_banner() and not self.typing_problems():
            self.banner.hide()

    def check_typing(self) -> bool:
        """Nothing typed is lost: a field that cannot be read stops the save, with why."""
        problems = self.typing_problems()
        if problems:
            self.show_errors(problems)
            self.banner.setText(typing_banner())
        return not problems

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.show_message("")
        self.banner.hide()

    def prepare_values(self, service: Any, values: dict[str, Any]) -> dict[str, Any]:
        """The values to save, made inside the save's transaction (a form that creates
        other records with its own, as the event form its new attendees, does it here)."""
        return values

    def save(self) -> bool:
        from htx_desktop.domain.validation import ValidationError
        from htx_desktop.store.locks import LockedRecordError
        from htx_desktop.store.service import ConflictError, DuplicateError

        self.clear_errors()
        if not self.check_typing():
            return False
        values = self.values()
        if self.follows is not None and not self.follows.confirm(values):
            return False
        self._warn_about_clock()
        duplicates: list[tuple[str, str]] = []

        def attempt() -> str:
            duplicates.clear()
            with self.ctx.db.session() as session:
                service = self._service(session)
                try:
                    to_save = self.prepare_values(service, values)
                    if self.record_id is None:
                        obj = service.create(self.KIND, to_save,
                                             allow_duplicate=self._duplicates_ack,
                                             reason=self._reason)
                    else:
                        obj = service.update(self.KIND, self.record_id, to_save,
                                             row_version=self.row_version,
                                             allow_duplicate=self._duplicates_ack,
                                             reason=self._reason)
                except DuplicateError as exc:
                    # read the matches while the session is open; the rollback expires them
                    duplicates[:] = [(str(o.id), self.describe(o)) for o in exc.matches]
                    raise
                session.flush()
                return str(obj.id)

        try:
            saved_id = write(attempt)
        except ValidationError as exc:
            self.show_errors(list(exc.errors))
            return False
        except DuplicateError:
            self._show_duplicates(duplicates)
            return False
        except LockedRecordError as exc:
            from htx_desktop.ui.reason_dialog import ask_reason
            reason = ask_reason(self, str(exc))
            if reason is None:
                return False
            self._reason = reason
            return self.save()
        except ConflictError as exc:
            self._on_conflict(str(exc))
            return False
        except Exception as exc:
            failure = os_failure(exc, self.ctx.data_root)
            if failure is None:
                raise
            # The PC's fault (disk full, read-only folder, another writer): said plainly
            # above the form, which stays open with everything she typed.
            self.banner.setText(failure.user_message)
            self.banner.show()
            return False
        self.saved_id = saved_id
        self._dirty = False
        self._draft_timer.stop()
        self._forget_draft()
        self.draft_id = None
        super().accept()
        return True

    def _warn_about_clock(self) -> None:
        """Once per run: a PC clock earlier than the program's release, or than the newest
        change stored, is named as such (not the record's fault); the save goes on."""
        if _clock_warned:
            return
        from htx_desktop.store.clock_check import clock_problem

        try:
            with self.ctx.db.session() as session:
                problem = clock_problem(session)
        except Exception:
            return
        _clock_warned.append(True)
        if problem is not None:
            from htx_desktop.ui.dialogs import show_message
            show_message(self, t("Đồng hồ máy tính"), problem, warning=True)

    # ------------------------------------------------------------------ conflicts

    def _on_conflict(self, message: str) -> None:
        from htx_desktop.ui.forms.conflict import ConflictDialog
        dialog = ConflictDialog(message, self.show_comparison, self)
        dialog.exec()
        if dialog.choice == "reload":
            self.reload()

    def show_comparison(self) -> None:
        from htx_desktop.ui.forms.conflict import CompareDialog
        assert self.record_id is not None
        CompareDialog(self.ctx, self.KIND, self.record_id, self.values(), self._baseline,
                      self).exec()

    def reload(self) -> None:
        """Load the stored record (and its new row version), then put back the fields she
        edited that nobody else changed; where both changed a field the stored value stays
        and hers is shown beside it. Her whole typing is kept as a draft first."""
        from htx_desktop.ui.forms.conflict import differences
        mine = self.values()
        self.draft_id = save_draft(self.ctx.db, self.draft_id, self.KIND, self.record_id, mine)
        baseline = self._baseline
        self._load()
        stored = self.values()
        rows = differences(self.ctx, self.KIND, mine, stored, baseline)
        self._baseline = stored
        self.set_values({d.name: mine[d.name] for d in rows
                         if d.mine_changed and not d.theirs_changed})
        # beside the form: only what she typed (the rest reads as the stored record anyway)
        self._show_merge([d for d in rows if d.mine_changed],
                         {d.name: mine[d.name] for d in rows
                          if d.mine_changed and d.theirs_changed})
        self._dirty = True

    def _show_merge(self, rows: list[Any], clashes: dict[str, Any]) -> None:
        from htx_desktop.ui.forms.conflict import ComparisonTable
        if self.merge_panel is not None:
            self.merge_panel.deleteLater()
        panel = QFrame()
        panel.setObjectName("mergePanel")
        panel.setStyleSheet("QFrame#mergePanel{background:#e8f0fe; border-radius:4px;}")
        box = QVBoxLayout(panel)
        label = QLabel(t("Đã tải bản mới nhất. Các ô chỉ bạn sửa đã được điền lại giá trị của "
                         "bạn; các ô tô màu người kia cũng đã sửa nên đang giữ giá trị đã lưu. "
                         "Xem lại rồi bấm Lưu."))
        label.setWordWrap(True)
        box.addWidget(label)
        self.merge_table = ComparisonTable(t("Bạn đã nhập"), t("Đang lưu (bản mới)"))
        self.merge_table.show_differences(rows)
        self.merge_table.setFixedHeight(min(150, 8 + self.merge_table.horizontalHeader().height()
                                            + sum(self.merge_table.rowHeight(r) for r in
                                                  range(self.merge_table.rowCount()))))
        box.addWidget(self.merge_table)
        if clashes:
            use_mine = QPushButton(t("Dùng giá trị của tôi cho các ô tô màu"))
            use_mine.setObjectName("useMine")
            use_mine.clicked.connect(lambda: self.set_values(clashes))
            box.addWidget(use_mine)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(2, panel)  # under the banner and the duplicate bar
        panel.show()  # the layout alone would show it only on the next event loop pass
        self.merge_panel = panel

    def _show_duplicates(self, found: list[tuple[str, str]]) -> None:
        self._duplicate_ids = [record_id for record_id, _name in found]
        names = ", ".join(name for _id, name in found[:3])
        self.dup_label.setText(t("Có thể trùng với hồ sơ đã có: {names}", names=names))
        self.dup_open.setEnabled(bool(self._duplicate_ids))
        self.dup_bar.show()

    def describe(self, obj: Any) -> str:
        person = getattr(obj, "person", None)
        if person is not None:
            return str(person.full_name)
        for attr in ("name", "full_name", "title", "recipient", "topic"):
            if getattr(obj, attr, None):
                return str(getattr(obj, attr))
        return str(getattr(obj, "id", obj))

    def _open_duplicate(self) -> None:
        if self._duplicate_ids:
            from htx_desktop.ui.forms.opener import open_form
            open_form(self.ctx, self.KIND, self._duplicate_ids[0], parent=self)

    def _save_anyway(self) -> None:
        self._duplicates_ack = True
        self.dup_bar.hide()
        self.save()

    # ------------------------------------------------------------------ drafts and closing

    def save_draft_now(self) -> None:
        """Every few seconds while she types. Never a dialog: a draft that cannot be written
        (disk full, another writer) is said quietly under the form and tried again on the
        next tick."""
        if not (self._dirty and self._draft_due):
            return
        try:
            self.draft_id = save_draft(self.ctx.db, self.draft_id, self.KIND, self.record_id,
                                       self.values())
        except Exception as exc:
            failure = os_failure(exc, self.ctx.data_root)
            log.info("draft not saved", exc_info=True)
            self.draft_status.setText(t("Chưa lưu nháp được, sẽ thử lại. {why}", why=(
                failure.user_message if failure is not None else "")).strip())
            self.draft_status.show()
            return
        self._draft_due = False
        if self.draft_status.isVisible():
            self.draft_status.setText(t("Đã lưu nháp."))

    def _forget_draft(self) -> None:
        """The draft is no longer needed; if it cannot be removed now (a full disk), it is
        offered again at the next start, which loses nothing."""
        try:
            remove_draft(self.ctx.db, self.draft_id)
        except Exception as exc:
            if os_failure(exc) is None:
                raise
            log.info("draft not removed", exc_info=True)

    def reject(self) -> None:
        if self._dirty and not ask_yes_no(
                self, t("Bỏ thay đổi?"),
                t("Các thay đổi chưa được lưu. Bạn có muốn bỏ các thay đổi này không?")):
            return
        self._draft_timer.stop()
        self._forget_draft()
        self.draft_id = None
        self._dirty = False
        super().reject()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            from htx_desktop.ui.ui_state import fit_into
            fit_into(self)  # a 1024×768 screen: never a button below the taskbar
            if self.record_id is None:
                self.focus_first_empty()

    def focus_first_empty(self) -> None:
        """A new record: the focus in the first field she has to fill (one without a value
        from the defaults or the record it is made from)."""
        for widget in self.widgets.values():
            if isinstance(widget, QCheckBox) or not widget.isEnabled():
                continue
            value = widget.value()  # type: ignore[attr-defined]
            if value is None or value == "":
                self._reveal(widget)
                return

    def closeEvent(self, event: Any) -> None:
        if self._dirty:
            event.ignore()
            self.reject()
        else:
            super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            focus = self.focusWidget()
            if not isinstance(focus, QPlainTextEdit | QAbstractButton | QTableWidget):
                self.focusNextChild()
                return
        super().keyPressEvent(event)


def enclosing_form(widget: QWidget | None) -> FormDialog | None:
    while widget is not None and not isinstance(widget, FormDialog):
        widget = widget.parentWidget()
    return widget


def context_of(widget: QWidget | None) -> dict[str, Any]:
    """What a record made from inside `widget`'s form inherits from it: its commune
    (`inherit.py`)."""
    form = enclosing_form(widget)
    unit = form.widgets.get("unit_id") if form is not None else None
    value = unit.value() if unit is not None else None  # type: ignore[attr-defined]
    return {"unit_id": value} if value is not None else {}
