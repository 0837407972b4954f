"""Nhận báo cáo: receive packages from the units below (preview, then accept) and see who has
submitted a period's report.

Reading, checking and importing run off the UI thread (QThreadPool); the window shows progress
and stays responsive. Every module the worker needs is imported on the UI thread first
(`preload_for`): PySide6's import hook is not thread-safe, and a first import inside a worker
thread crashed the process (seen with jsonschema). The page is standalone: it takes the
Database, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.i18n import t
from htx_desktop.os_errors import os_error_text
from htx_desktop.receiving.importer import (
    NEW_KEY,
    OTHER_KEY,
    UNSIGNED,
    PrivateKey,
    Trust,
    import_packages,
    preload_for,
)
from htx_desktop.receiving.personal_import import describe_names
from htx_desktop.store.concurrency import retry_serializable
from htx_desktop.store.engine import Database
from htx_desktop.ui.jobs import BackgroundOp, Progress, failure_text

_OUTCOME_LABELS = {
    "accepted": "Nhận mới",
    "supersedes": "Thay thế phiên bản {old}",
    "already_imported": "Đã nhận trước đây",
    "outdated": "Từ chối: phiên bản cũ",
    "refused": "Từ chối",
}
_STATUS_LABELS = {"missing": "Chưa nộp", "accepted": "Đã nhận", "superseded": "Đã thay thế",
                  "withdrawn": "Đã rút"}


def _day(iso: str | None) -> str:
    """"2025-12-20T10:00:00" → "20/12/2025"."""
    if not iso:
        return ""
    y, m, d = iso[:10].split("-")
    return f"{d}/{m}/{y}"


# Another writer holds the database: the import waits, then retries (store/retry.py).
WAITING = ("Dữ liệu đang được một cửa sổ hoặc lệnh khác của chương trình ghi; đang đợi việc "
           "đó xong để nhận các gói…")


class _Imported(NamedTuple):
    """What one run gives the page: the outcomes, and each accepted file's PDF ký số status."""

    outcomes: list[Any]
    signatures: dict[str, str]  # file name → its PDF's ký số status


def _import_work(db: Database, paths: list[Path], dry_run: bool,
                 private_key: PrivateKey | None, trust: Trust) -> Callable[[Progress], _Imported]:
    """`import_packages`, to run in a worker thread (`BackgroundOp`)."""
    def work(progress: Progress) -> _Imported:
        # SERIALIZABLE and retried on an office server (store/concurrency.py).
        outcomes = retry_serializable(db, lambda d: import_packages(
            d, paths, dry_run=dry_run, progress=progress, private_key=private_key,
            trust=trust, on_wait=lambda: progress.note(WAITING)))
        from htx_desktop.reports.pdf_signing import package_pdf_status  # preloaded

        accepted = {o.file_name for o in outcomes if not o.refused}
        return _Imported(outcomes, {path.name: package_pdf_status(path).describe()
                                    for path in paths if path.name in accepted})
    return work


class ReceivePage(QWidget):
    """Choose or drop .zip packages, see the preview, accept; then the completeness list."""

    def __init__(self, db: Database, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.today = today  # None: the store's clock, read at each refresh
        self.paths: list[Path] = []
        self.key_path: Path | None = None
        self.outcomes: list[Any] = []
        self.reminder = ""
        self.pool = QThreadPool.globalInstance()
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)

        box = QGroupBox(t("Nhận gói báo cáo của đơn vị trực thuộc"))
        bl = QVBoxLayout(box)
        hint = QLabel(t("Chọn các tệp gói báo cáo (.zip) hoặc kéo thả chúng vào đây. Chương "
                        "trình kiểm tra từng gói và cho xem trước; chỉ khi bấm “Nhận các "
                        "gói” dữ liệu mới được ghi."))
        hint.setWordWrap(True)
        bl.addWidget(hint)
        row = QHBoxLayout()
        self.choose_button = QPushButton(t("Chọn tệp…"))
        self.choose_button.clicked.connect(self.choose_files)
        self.accept_button = QPushButton(t("Nhận các gói"))
        self.accept_button.setEnabled(False)
        self.accept_button.clicked.connect(self.accept_packages)
        row.addWidget(self.choose_button)
        row.addWidget(self.accept_button)
        self.replace_key_button = QPushButton(t("Thay khoá ký của đơn vị…"))
        self.replace_key_button.setToolTip(t(
            "Chỉ dùng khi đơn vị đã đổi khoá thật (mất máy) và anh/chị đã gọi điện đối chiếu mã "
            "khoá mới: chọn dòng gói bị từ chối vì khoá khác."))
        self.replace_key_button.setEnabled(False)
        self.replace_key_button.clicked.connect(self.replace_key)
        row.addWidget(self.replace_key_button)
        row.addStretch(1)
        bl.addLayout(row)
        bl.addLayout(self._key_row())
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        bl.addWidget(self.progress)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        bl.addWidget(self.status)
        self.preview = self._table([t("Tệp"), t("Đơn vị"), t("Kỳ"), t("Phiên bản"),
                                    t("Kết quả"), t("Bản ghi mới"), t("Bản ghi thay thế"),
                                    t("Có thể trùng / lý do")])
        self.preview.setObjectName("preview")
        self.preview.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.preview.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.preview.itemSelectionChanged.connect(self._preview_selected)
        bl.addWidget(self.preview, 1)
        layout.addWidget(box, 2)

        box = QGroupBox(t("Tình hình nộp báo cáo"))
        cl = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(QLabel(t("Kỳ báo cáo:")))
        self.period_box = QComboBox()
        from htx_desktop.ui.pages.reports_page import report_periods

        for label, _what in report_periods(date.today()):
            self.period_box.addItem(label)
        self.period_box.currentTextChanged.connect(self.refresh_completeness)
        row.addWidget(self.period_box)
        # The reporting calendar (issue 21 point 4): the period's deadline, editable here.
        from htx_desktop.ui.pages.deadline_box import DeadlineEditor

        self.deadline = DeadlineEditor(db)
        self.deadline.changed.connect(self.refresh_completeness)
        row.addWidget(self.deadline, 1)
        cl.addLayout(row)
        row = QHBoxLayout()
        self.timeliness_summary = QLabel()
        self.timeliness_summary.setObjectName("timeliness_summary")
        self.timeliness_summary.setWordWrap(True)
        row.addWidget(self.timeliness_summary, 1)
        self.copy_button = QPushButton(t("Sao chép lời nhắc"))
        self.copy_button.setToolTip(t("Lời nhắc gửi các đơn vị chưa nộp (hoặc quá hạn) và các "
                                      "đơn vị có báo cáo bị trả lại, để dán vào thư điện tử "
                                      "hoặc Zalo."))
        self.copy_button.clicked.connect(self.copy_reminder)
        row.addWidget(self.copy_button)
        cl.addLayout(row)
        self.completeness = self._table([t("Mã"), t("Đơn vị"), t("Tình trạng"), t("Phiên bản"),
                                         t("Ngày nhận"), t("Thời hạn")])
        self.completeness.setObjectName("completeness")
        cl.addWidget(self.completeness, 3)
        row = QHBoxLayout()
        row.addWidget(QLabel(t("Lịch sử các gói đã nhận:")))
        row.addStretch(1)
        self.withdraw_button = QPushButton(t("Rút gói đã chọn…"))
        self.withdraw_button.setToolTip(t(
            "Rút một gói đã nhận (ví dụ gói giả mạo): phiên bản nhận trước đó của đơn vị được "
            "dùng lại; phiên bản đã rút không bao giờ được nhận lại."))
        self.withdraw_button.setEnabled(False)
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        row.addWidget(self.withdraw_button)
        cl.addLayout(row)
        self.history = self._table([t("Mã"), t("Đơn vị"), t("Phiên bản"), t("Tình trạng"),
                                    t("Ngày nhận"), t("Tệp")])
        self.history.setObjectName("history")
        self.history.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.history.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.history.itemSelectionChanged.connect(self._history_selected)
        self.history_rows: list[dict[str, Any]] = []
        cl.addWidget(self.history, 1)
        layout.addWidget(box, 3)
        layout.addWidget(self._print_check_box())
        self.refresh_completeness()

    def _print_check_box(self) -> QGroupBox:
        """"Kiểm tra bản in": the text of a paper report's QR code (scanned into the field, or
        typed from the caption) → whether that exact package was received (issue 22)."""
        box = QGroupBox(t("Kiểm tra bản in"))
        bl = QVBoxLayout(box)
        row = QHBoxLayout()
        self.print_code = QLineEdit()
        self.print_code.setObjectName("print_code")
        self.print_code.setPlaceholderText(t("Quét mã QR trên bản in hoặc gõ mã (HTXBC:1:…)"))
        self.print_code.returnPressed.connect(self.check_print)
        self.print_check_button = QPushButton(t("Kiểm tra"))
        self.print_check_button.clicked.connect(self.check_print)
        row.addWidget(self.print_code, 1)
        row.addWidget(self.print_check_button)
        bl.addLayout(row)
        self.print_result = QLabel()
        self.print_result.setObjectName("print_result")
        self.print_result.setWordWrap(True)
        self.print_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.print_result.hide()  # room for the lists above until there is something to say
        bl.addWidget(self.print_result)
        return box

    def check_print(self) -> None:
        from htx_desktop.reports.print_check import check_print

        with self.db.session() as session:
            result = check_print(session, self.print_code.text())
        figures = "; ".join(f"{code}: {value}" for code, value in result.headline)
        text = result.message + (f"\n{t('Số liệu chính')}: {figures}" if figures else "")
        self.print_result.setText(("✔ " if result.received else "✘ ") + text)
        self.print_result.setStyleSheet("color: #1b5e20;" if result.received
                                        else "color: #b71c1c;")
        self.print_result.show()

    def _key_row(self) -> QHBoxLayout:
        """Optional: the unit's private key and its passphrase, used only for packages that
        carry sealed names; without them the figures are received all the same."""
        row = QHBoxLayout()
        self.key_button = QPushButton(t("Khóa bí mật…"))
        self.key_button.setToolTip(t("Chỉ cần khi gói có họ tên được mã hoá (personal.enc)."))
        self.key_button.clicked.connect(self.choose_key)
        self.key_label = QLabel(t("(không dùng khoá: họ tên giữ dạng “(ẩn danh)”)"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(t("Mật khẩu của khoá bí mật"))
        self.passphrase.setEnabled(False)
        # A new passphrase is tried at once on the batch shown (a preview writes nothing).
        self.passphrase.editingFinished.connect(self._key_changed)
        row.addWidget(self.key_button)
        row.addWidget(self.key_label, 1)
        row.addWidget(QLabel(t("Mật khẩu:")))
        row.addWidget(self.passphrase)
        return row

    def choose_key(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, t("Chọn khoá bí mật của đơn vị"), "", t("Khoá bí mật (*.pem)"))
        if name:
            self.set_key(Path(name))

    def set_key(self, path: Path | None) -> None:
        self.key_path = path
        self.key_label.setText(path.name if path else
                               t("(không dùng khoá: họ tên giữ dạng “(ẩn danh)”)"))
        self.passphrase.setEnabled(path is not None)
        if path is not None:
            self.passphrase.setFocus()

    def _key_changed(self) -> None:
        if self.paths and self.choose_button.isEnabled():
            self._start(dry_run=True)

    def _private_key(self) -> PrivateKey | None:
        """The chosen key file's bytes with the typed passphrase; a file that cannot be read
        is said in the status line and the batch goes on without names."""
        if self.key_path is None:
            return None
        try:
            return PrivateKey(self.key_path.read_bytes(), self.passphrase.text(),
                              self.key_path)
        except OSError as exc:
            self.status.setText(t("Không đọc được tệp khoá bí mật {path}: {error}",
                                  path=str(self.key_path), error=os_error_text(exc)))
            return None

    @staticmethod
    def _table(headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    # ----------------------------------------------------------------- choosing files

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, t("Chọn gói báo cáo"), "", t("Gói báo cáo (*.zip)"))
        if names:
            self.add_files([Path(n) for n in names])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(u.toLocalFile().lower().endswith(".zip") for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls()
                 if u.toLocalFile().lower().endswith(".zip")]
        if paths:
            event.acceptProposedAction()
            self.add_files(paths)

    def add_files(self, paths: list[Path]) -> None:
        """Add files to the batch and preview the whole batch (nothing is written)."""
        for p in paths:
            if p not in self.paths:
                self.paths.append(p)
        self._start(dry_run=True)

    # ----------------------------------------------------------------- running

    def accept_packages(self) -> None:
        """Accept the batch; first ask the officer to confirm each new key (after checking it
        by phone) and each unsigned package. What she does not confirm is refused."""
        if not self.paths:
            return
        new_keys: set[str] = set()
        unsigned: set[str] = set()
        asked: set[str] = set()
        for o in self.outcomes:
            if not o.needs_confirmation or o.refused:
                continue
            fp = o.signer_fingerprint
            if o.key_status == NEW_KEY and fp and fp not in asked:
                asked.add(fp)
                if self._confirm_key(o):
                    new_keys.add(fp)
            elif o.key_status == UNSIGNED and o.sha256 and self._confirm_unsigned(o):
                unsigned.add(o.sha256)
        self._start(dry_run=False, trust=Trust(accept_new_keys=frozenset(new_keys),
                                               accept_unsigned=frozenset(unsigned)))

    def _confirm_key(self, o: Any) -> bool:
        return self._confirm(t("Xác nhận khoá ký của đơn vị gửi"), t(
            "Đây là gói đầu tiên nhận được từ đơn vị {unit} – {name}.\n"
            "Người lập báo cáo ghi trong gói: {who}.\n\n"
            "Mã khoá ký của gói:\n{code}\n\n"
            "Hãy gọi điện cho đơn vị (dùng số điện thoại anh/chị đã biết, không dùng số ghi "
            "trong gói) và đề nghị đọc mã khoá ký ở mục Cài đặt của họ. Chỉ nhận khi hai mã "
            "trùng khớp; từ nay mọi gói của đơn vị này phải mang đúng khoá này.",
            unit=o.unit_code, name=o.unit_name or "", who=o.prepared_by or t("(không ghi)"),
            code=o.short_code), t("Mã khớp, nhận khoá"), t("Không nhận"))

    def _confirm_unsigned(self, o: Any) -> bool:
        return self._confirm(t("Gói không có chữ ký"), t(
            "Gói {file} của đơn vị {unit} – {name} không có chữ ký (làm bằng phiên bản cũ của "
            "chương trình): không có gì chứng minh gói do đơn vị đó làm.\n\nChỉ nhận khi đã "
            "gọi điện cho đơn vị và chắc chắn họ đã gửi gói này; nên đề nghị đơn vị cập nhật "
            "chương trình và xuất lại.", file=o.file_name, unit=o.unit_code,
            name=o.unit_name or ""), t("Vẫn nhận gói này"), t("Không nhận"))

    def _confirm(self, title: str, text: str, yes: str, no: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("keyConfirmation")
        yes_button = box.addButton(yes, QMessageBox.ButtonRole.YesRole)
        no_button = box.addButton(no, QMessageBox.ButtonRole.NoRole)
        box.setDefaultButton(no_button)
        box.setEscapeButton(no_button)
        box.exec()
        return box.clickedButton() is yes_button

    def _start(self, dry_run: bool, trust: Trust | None = None) -> None:
        self.accept_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.status.setText(t("Đang kiểm tra các gói…") if dry_run
                            else t("Đang nhận các gói…"))
        db = self.db

        def done(result: _Imported) -> None:
            self._job = result  # the PDFs' ký số status, for _fill_preview
            self._on_done(result.outcomes, dry_run)

        def failed(exc: Exception) -> None:  # nothing was written (one transaction)
            self._on_failed(t("Không nhận được các gói: {error}", error=failure_text(exc)))

        # The preview marks what needs a confirmation instead of refusing it.
        work = _import_work(db, list(self.paths), dry_run, self._private_key(),
                            trust if trust is not None else Trust(preview=dry_run))
        BackgroundOp(self, work, done=done, failed=failed, progress=self._on_progress,
                     note=lambda text: self.status.setText(t(text)),
                     # first imports on this thread, never in the worker
                     preload=(lambda: preload_for(db),),
                     # The cycle collector is paused for the whole import: a collection in
                     # the window's thread interleaved with this one crashed the process once
                     # (Qt wrappers freed while the worker allocated); reference counting
                     # still frees what is dropped.
                     pause_gc=True, pool=self.pool).start()

    def _on_progress(self, step: int, total: int, name: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(step)
        self.status.setText(t("Đang xử lý {name}…", name=name))

    def _on_failed(self, message: str) -> None:
        self.progress.setVisible(False)
        self.choose_button.setEnabled(True)
        self.accept_button.setEnabled(bool(self.paths))
        self.status.setText(message)

    def _on_done(self, outcomes: list[Any], dry_run: bool) -> None:
        self.outcomes = outcomes
        self.progress.setVisible(False)
        self.choose_button.setEnabled(True)
        self._fill_preview(outcomes)
        refused = sum(1 for o in outcomes if o.refused)
        to_write = sum(1 for o in outcomes if o.outcome in ("accepted", "supersedes"))
        # An already imported package is worth accepting again when its names now open.
        to_write += sum(1 for o in outcomes if o.outcome == "already_imported"
                        and o.names_opened)
        if dry_run:
            self.accept_button.setEnabled(to_write > 0)
            self.status.setText(t("Xem trước: {ok} gói sẽ được nhận, {refused} gói bị từ chối. "
                                  "Bấm “Nhận các gói” để ghi.", ok=to_write, refused=refused))
            asking = sum(1 for o in outcomes if o.needs_confirmation and not o.refused)
            if asking:
                self.status.setText(self.status.text() + " " + t(
                    "{n} gói cần anh/chị xác nhận (khoá ký mới hoặc gói không có chữ ký) khi "
                    "bấm nhận.", n=asking))
        else:
            self.paths = []
            self.accept_button.setEnabled(False)
            self.status.setText(t("Đã nhận {ok} gói; {refused} gói bị từ chối.",
                                  ok=to_write, refused=refused))
            self.refresh_completeness()
        locked = sum(1 for o in outcomes if o.names_refused)
        if locked:
            self.status.setText(self.status.text() + " " + t(
                "Họ tên của {n} gói không mở được (xem cột lý do); số liệu vẫn được nhận.",
                n=locked))

    def _fill_preview(self, outcomes: list[Any]) -> None:
        job = getattr(self, "_job", None)
        signatures: dict[str, str] = job.signatures if job is not None else {}
        self.preview.setRowCount(len(outcomes))
        for r, o in enumerate(outcomes):
            label = t(_OUTCOME_LABELS.get(o.outcome, o.outcome), old=o.superseded_version) \
                if o.outcome == "supersedes" else t(_OUTCOME_LABELS.get(o.outcome, o.outcome))
            if o.needs_confirmation and not o.refused:
                label += " — " + (t("cần xác nhận khoá ký mới")
                                  if o.key_status == NEW_KEY else t("cần xác nhận: không chữ ký"))
            names = "" if o.refused else describe_names(o.names, o.names_reason,
                                                        o.names_opened)
            key_note = ""
            if not o.refused and o.key_status == NEW_KEY:
                key_note = t("Khoá ký mới, mã {code}", code=o.short_code)
            warnings = [t("Cảnh báo: {what}", what=w) for w in o.warnings]
            signed = (t("Báo cáo PDF: {status}", status=signatures[o.file_name])
                      if o.file_name in signatures else "")
            note = o.reason if o.refused else "\n".join(
                [*warnings, *o.duplicates, *filter(None, [key_note, names, signed])])
            unit = f"{o.unit_code} – {o.unit_name}" if o.unit_code else ""
            values = [o.file_name, unit, o.period or "", str(o.version or ""), label,
                      str(o.new_records), str(o.replaced_records), note]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 7 and value:
                    item.setToolTip(value)
                self.preview.setItem(r, c, item)
        self.preview.resizeColumnsToContents()

    # ----------------------------------------------------------------- completeness

    def refresh_completeness(self) -> None:
        from htx_desktop.domain.periods import parse_period
        from htx_desktop.receiving.reminder import reminder_text, submission_history
        from htx_desktop.store.settings import home_unit
        from htx_desktop.store.timeliness import completeness
        from htx_desktop.ui.pages.deadline_box import fill_cell

        try:
            period = parse_period(self.period_box.currentText())
        except ValueError:
            return
        with self.db.session() as session:
            home = home_unit(session)
            if home is None:
                return
            found = completeness(session, home.id, period, today=self.today)
            rows = found.rows
            self.reminder = reminder_text(session, home.id, period, rows, found.today)
            history = submission_history(session, home.id, period)
        self.deadline.set_period(period)
        self.timeliness_summary.setText(found.summary())
        self.history_rows = [{**h, "period": period.label} for h in history]
        self.history.setRowCount(len(history))
        for r, h in enumerate(history):
            values = [h["code"], h["name"], str(h["version"]),
                      t(_STATUS_LABELS.get(h["status"], "")), _day(h["received_at"]),
                      h["file_name"]]
            for c, value in enumerate(values):
                self.history.setItem(r, c, QTableWidgetItem(value))
        self.history.resizeColumnsToContents()
        self.completeness.setRowCount(len(rows))
        for r, (row, unit) in enumerate(zip(rows, found.units, strict=True)):
            received = _day(row["received_at"])
            values = [row["code"], row["name"], t(_STATUS_LABELS.get(row["status"], "")),
                      str(row["version"] or ""), received, ""]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                if c == 5:
                    fill_cell(item, unit, found.deadline.due)
                self.completeness.setItem(r, c, item)
        self.completeness.resizeColumnsToContents()
        self.copy_button.setEnabled(bool(self.reminder))

    def _selected_outcome(self) -> Any | None:
        rows = {i.row() for i in self.preview.selectedIndexes()}
        if len(rows) != 1:
            return None
        (r,) = rows
        return self.outcomes[r] if r < len(self.outcomes) else None

    def _preview_selected(self) -> None:
        o = self._selected_outcome()
        self.replace_key_button.setEnabled(
            o is not None and o.key_status == OTHER_KEY and self.choose_button.isEnabled())

    def replace_key(self) -> None:
        """Replace a unit's known key by the key of the chosen refused package, with a reason
        (a lost PC; issue 19): the window's `keys replace`."""
        from htx_desktop.receiving.reader import PackageRefused, read_package
        from htx_desktop.reports.signing import SigningError, short_code
        from htx_desktop.reports.unit_keys import officer_name, replace_sender_key
        from htx_desktop.ui.reason_dialog import ReasonDialog

        o = self._selected_outcome()
        if o is None or o.key_status != OTHER_KEY or not o.signer_fingerprint:
            return
        path = next((p for p in self.paths if p.name == o.file_name), None)
        dialog = ReasonDialog(t(
            "Thay khoá ký của đơn vị {unit} – {name}.\nKhoá đang biết: {old}\nKhoá mới (của "
            "gói {file}): {new}\n\nChỉ thay khi đơn vị đã đổi khoá thật (ví dụ mất máy) và "
            "anh/chị đã gọi điện cho đơn vị, bằng số điện thoại đã biết, để đối chiếu mã khoá "
            "mới. Gói ký bằng khoá cũ sẽ bị từ chối từ nay.", unit=o.unit_code,
            name=o.unit_name or "", old=short_code(o.known_fingerprint or ""),
            file=o.file_name, new=o.short_code), self)
        dialog.setWindowTitle(t("Thay khoá ký của đơn vị gửi"))
        dialog.setObjectName("replaceKeyDialog")
        dialog.reason_edit.setPlaceholderText(t("Ví dụ: máy tính của xã bị mất, đã gọi điện "
                                                "xác nhận mã khoá mới"))
        dialog.save_button.setText(t("Thay khoá"))
        if path is None or dialog.exec() != dialog.DialogCode.Accepted:
            return
        try:
            pkg = read_package(path)
            if pkg.signer is None or pkg.signer_fingerprint != o.signer_fingerprint:
                raise SigningError(t("Tệp gói đã thay đổi từ lúc xem trước: hãy xem trước "
                                     "lại."))
            with self.db.session() as session:
                replace_sender_key(session, o.unit_code, pkg.signer, reason=dialog.reason(),
                                   by=officer_name(self.db, session), source=pkg.file_name)
        except (PackageRefused, SigningError) as exc:
            self.status.setText(getattr(exc, "user_message", None) or str(exc))
            return
        self.status.setText(t("Đã thay khoá ký của đơn vị {unit}; xem trước lại các gói.",
                              unit=o.unit_code))
        self._start(dry_run=True)

    def _history_selected(self) -> None:
        row = self._selected_history()
        self.withdraw_button.setEnabled(row is not None and row["status"] == "accepted")

    def _selected_history(self) -> dict[str, Any] | None:
        rows = {i.row() for i in self.history.selectedIndexes()}
        if len(rows) != 1:
            return None
        (r,) = rows
        return self.history_rows[r] if r < len(self.history_rows) else None

    def withdraw_selected(self) -> None:
        """Withdraw the chosen accepted package, with a reason (issue 19)."""
        from htx_desktop.reports.errors import PackageError
        from htx_desktop.reports.withdraw import withdraw_submission
        from htx_desktop.ui.reason_dialog import ReasonDialog

        row = self._selected_history()
        if row is None or row["status"] != "accepted":
            return
        dialog = ReasonDialog(t(
            "Rút gói phiên bản {version} của {code} – {name}, kỳ {period}. Phiên bản nhận "
            "trước đó của đơn vị (nếu có) sẽ được dùng lại; phiên bản {version} không bao giờ "
            "được nhận lại.", version=row["version"], code=row["code"], name=row["name"],
            period=row["period"]), self)
        dialog.setWindowTitle(t("Rút gói đã nhận"))
        dialog.setObjectName("withdrawDialog")
        dialog.reason_edit.setPlaceholderText(t("Ví dụ: gói giả mạo, đơn vị xác nhận không "
                                                "gửi gói này"))
        dialog.save_button.setText(t("Rút gói"))
        if dialog.exec() != dialog.DialogCode.Accepted:
            return
        try:
            done = withdraw_submission(self.db, unit_code=row["code"], period=row["period"],
                                       version=int(row["version"]), reason=dialog.reason())
        except PackageError as exc:
            self.status.setText(str(exc))
            return
        self.status.setText(done.describe())
        self.refresh_completeness()

    def copy_reminder(self) -> None:
        """The ready-to-paste reminder paragraph to the units still missing."""
        if self.reminder:
            QGuiApplication.clipboard().setText(self.reminder)
            self.status.setText(t("Đã sao chép lời nhắc; hãy dán vào thư điện tử hoặc "
                                  "tin nhắn Zalo."))
