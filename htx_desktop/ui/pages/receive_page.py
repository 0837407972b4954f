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

from htx_desktop.domain.indicator_specs import codes as indicator_codes
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
from htx_desktop.receiving.receipts import (
    RECEIPT,
    ReceiptOutcome,
    import_receipts,
    looks_like_receipt,
    preload_receipts,
)
from htx_desktop.store.concurrency import retry_serializable
from htx_desktop.store.engine import Database
from htx_desktop.ui.jobs import BackgroundOp, Progress, failure_text
from htx_desktop.ui.table_selection import chosen_item

_OUTCOME_LABELS = {
    "accepted": "Nhận mới",
    "supersedes": "Thay thế phiên bản {old}",
    "already_imported": "Đã nhận trước đây",
    "outdated": "Từ chối: phiên bản cũ",
    "refused": "Từ chối",
}
_STATUS_LABELS = {"missing": "Chưa nộp", "accepted": "Đã nhận", "superseded": "Đã thay thế",
                  "withdrawn": "Đã rút"}
# A receipt of the level above (issue 21), by its decision.
_RECEIPT_LABELS = {"accepted": "Biên nhận: cấp trên đã chấp nhận",
                   "returned": "Biên nhận: cấp trên trả lại để sửa"}
# Files this page takes: packages, and the level above's receipts.
_TAKEN = (".zip", ".json")


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
    """`import_packages` (and the level above's receipts), to run in a worker thread
    (`BackgroundOp`)."""
    def work(progress: Progress) -> _Imported:
        packages = [p for p in paths if not looks_like_receipt(p)]
        receipts = [p for p in paths if looks_like_receipt(p)]
        # SERIALIZABLE and retried on an office server (store/concurrency.py).
        outcomes: list[Any] = list(retry_serializable(db, lambda d: import_packages(
            d, packages, dry_run=dry_run, progress=progress, private_key=private_key,
            trust=trust, on_wait=lambda: progress.note(WAITING)))) if packages else []
        if receipts:  # the level above's receipts (issue 21): small, read at once
            outcomes += import_receipts(db, receipts, dry_run=dry_run, trust=trust)
        from htx_desktop.reports.pdf_signing import package_pdf_status  # preloaded

        accepted = {o.file_name for o in outcomes
                    if not o.refused and not isinstance(o, ReceiptOutcome)}
        return _Imported(outcomes, {path.name: package_pdf_status(path).describe()
                                    for path in packages if path.name in accepted})
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
        hint = QLabel(t("Chọn các tệp gói báo cáo (.zip), hoặc biên nhận của cấp trên "
                        "(BN-….json), hoặc kéo thả chúng vào đây. Chương trình kiểm tra từng "
                        "tệp và cho xem trước; chỉ khi bấm “Nhận các gói” dữ liệu mới được "
                        "ghi."))
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
        row.addLayout(self._review_row())
        self.withdraw_button = QPushButton(t("Rút gói đã chọn…"))
        self.withdraw_button.setToolTip(t(
            "Rút một gói đã nhận (ví dụ gói giả mạo): phiên bản nhận trước đó của đơn vị được "
            "dùng lại; phiên bản đã rút không bao giờ được nhận lại."))
        self.withdraw_button.setEnabled(False)
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        row.addWidget(self.withdraw_button)
        cl.addLayout(row)
        self.history = self._table([t("Mã"), t("Đơn vị"), t("Phiên bản"), t("Tình trạng"),
                                    t("Xét duyệt"), t("Ngày nhận"), t("Cấp dưới đã duyệt"),
                                    t("Tệp")])
        self.history.setObjectName("history")
        self.history.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.history.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.history.itemSelectionChanged.connect(self._history_selected)
        self.history_rows: list[dict[str, Any]] = []
        cl.addWidget(self.history, 1)
        layout.addWidget(box, 3)
        layout.addWidget(self._print_check_box())
        self.refresh_completeness()

    def _review_row(self) -> QHBoxLayout:
        """Accept / return the chosen package in use, and write the receipts (issue 21)."""
        row = QHBoxLayout()
        self.review_accept_button = QPushButton(t("Chấp nhận"))
        self.review_accept_button.setObjectName("reviewAccept")
        self.review_accept_button.setToolTip(t(
            "Chấp nhận gói đã chọn: số liệu của phiên bản này được giữ khi tổng hợp; phiên bản "
            "sau chỉ thay thế khi anh/chị xác nhận."))
        self.review_accept_button.setEnabled(False)
        self.review_accept_button.clicked.connect(self.accept_selected)
        self.review_return_button = QPushButton(t("Trả lại…"))
        self.review_return_button.setObjectName("reviewReturn")
        self.review_return_button.setToolTip(t("Trả lại gói đã chọn kèm ý kiến để đơn vị sửa "
                                               "và gửi phiên bản mới."))
        self.review_return_button.setEnabled(False)
        self.review_return_button.clicked.connect(self.return_selected)
        self.receipts_button = QPushButton(t("Ghi biên nhận…"))
        self.receipts_button.setObjectName("writeReceipts")
        self.receipts_button.setToolTip(t("Ghi các biên nhận chưa gửi (BN-….json) vào một thư "
                                          "mục, để gửi cho từng đơn vị qua thư điện tử hoặc "
                                          "Zalo."))
        self.receipts_button.clicked.connect(self.write_receipts)
        for button in (self.review_accept_button, self.review_return_button,
                       self.receipts_button):
            row.addWidget(button)
        return row

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
            self, t("Chọn gói báo cáo hoặc biên nhận"), "",
            t("Gói báo cáo hoặc biên nhận (*.zip *.json)"))
        if names:
            self.add_files([Path(n) for n in names])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(u.toLocalFile().lower().endswith(_TAKEN) for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls()
                 if u.toLocalFile().lower().endswith(_TAKEN)]
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
        replacing: set[str] = set()
        asked: set[str] = set()
        for o in self.outcomes:
            if not o.needs_confirmation or o.refused:
                continue
            fp = o.signer_fingerprint
            if o.key_status == NEW_KEY and fp and fp not in asked:
                asked.add(fp)
                if (self._confirm_receipt_key(o) if isinstance(o, ReceiptOutcome)
                        else self._confirm_key(o)):
                    new_keys.add(fp)
            elif o.key_status == UNSIGNED and o.sha256 and self._confirm_unsigned(o):
                unsigned.add(o.sha256)
            if o.replaces_accepted and o.sha256 and self._confirm_replace(o):
                replacing.add(o.sha256)
        self._start(dry_run=False, trust=Trust(accept_new_keys=frozenset(new_keys),
                                               accept_unsigned=frozenset(unsigned),
                                               replace_accepted=frozenset(replacing)))

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

    def _confirm_receipt_key(self, o: Any) -> bool:
        return self._confirm(t("Xác nhận khoá ký của cấp trên"), t(
            "Đây là biên nhận đầu tiên nhận được từ cấp trên {unit} – {name}.\n"
            "Người quyết định ghi trong biên nhận: {who}.\n\n"
            "Mã khoá ký của biên nhận:\n{code}\n\n"
            "Hãy gọi điện cho cấp trên (dùng số điện thoại anh/chị đã biết, không dùng số ghi "
            "trong tệp) và đề nghị đọc mã khoá ký ở mục Cài đặt của họ. Chỉ nhận khi hai mã "
            "trùng khớp; từ nay mọi biên nhận của cấp trên phải mang đúng khoá này.",
            unit=o.unit_code, name=o.unit_name or "", who=o.prepared_by or t("(không ghi)"),
            code=o.short_code), t("Mã khớp, nhận khoá"), t("Không nhận"))

    def _confirm_replace(self, o: Any) -> bool:
        return self._confirm(t("Thay thế phiên bản đã chấp nhận"), t(
            "Phiên bản {old} của {unit} – {name} kỳ {period} đã được anh/chị CHẤP NHẬN. Gói "
            "{file} (phiên bản {version}) sẽ thay thế nó: số liệu tổng hợp sẽ lấy theo phiên "
            "bản mới, và phiên bản mới cần được xét duyệt lại.\n\nChỉ thay thế khi đơn vị đã "
            "báo có sửa đổi cần thiết.", old=o.superseded_version or "?", unit=o.unit_code,
            name=o.unit_name or "", period=o.period, file=o.file_name, version=o.version),
            t("Thay thế phiên bản đã chấp nhận"), t("Không nhận gói này"))

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
                     preload=(lambda: preload_for(db), preload_receipts),
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
        to_write = sum(1 for o in outcomes if o.outcome in ("accepted", "supersedes", RECEIPT))
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
                    "{n} gói cần anh/chị xác nhận (khoá ký mới, gói không có chữ ký, hoặc thay "
                    "thế phiên bản đã chấp nhận) khi bấm nhận.", n=asking))
        else:
            self.paths = []
            self.accept_button.setEnabled(False)
            self.status.setText(t("Đã nhận {ok} gói; {refused} gói bị từ chối.",
                                  ok=to_write, refused=refused))
            taken = [o for o in outcomes if isinstance(o, ReceiptOutcome)
                     and o.outcome == RECEIPT]
            if taken:  # where the level above's comments are kept (issue 21)
                self.status.setText(self.status.text() + " " + t(
                    "{n} biên nhận của cấp trên đã được ghi nhận; xem ý kiến ở Xuất gói báo "
                    "cáo → Các gói đã xuất.", n=len(taken)))
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
            if isinstance(o, ReceiptOutcome):
                self._fill_receipt_row(r, o)
                continue
            label = t(_OUTCOME_LABELS.get(o.outcome, o.outcome), old=o.superseded_version) \
                if o.outcome == "supersedes" else t(_OUTCOME_LABELS.get(o.outcome, o.outcome))
            if o.needs_confirmation and not o.refused and o.key_status == NEW_KEY:
                label += " — " + t("cần xác nhận khoá ký mới")
            elif o.needs_confirmation and not o.refused and o.key_status == UNSIGNED:
                label += " — " + t("cần xác nhận: không chữ ký")
            if o.replaces_accepted and not o.refused:
                label += " — " + t("thay thế phiên bản ĐÃ CHẤP NHẬN (cần xác nhận)")
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

    def _fill_receipt_row(self, r: int, o: ReceiptOutcome) -> None:
        """A receipt of the level above in the preview: its decision and comments (only when
        it passed every check)."""
        from htx_desktop.store.review import describe_comment

        if o.refused:
            label = t("Biên nhận bị từ chối")
            note = o.reason
        else:
            label = t(_RECEIPT_LABELS.get(o.decision or "", "Biên nhận"))
            if o.outcome == "already_imported":
                label = t("Biên nhận đã nhận trước đây")
            elif o.needs_confirmation:
                label += " — " + t("cần xác nhận khoá ký của cấp trên")
            lines = [describe_comment(c, o.labels) for c in o.comments]
            if o.decided_by:
                lines.insert(0, t("Người quyết định: {who}", who=o.decided_by))
            note = "\n".join(lines)
        unit = f"{o.unit_code} – {o.unit_name}" if o.unit_code else ""
        values = [o.file_name, unit, o.period or "", str(o.version or ""), label, "", "", note]
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if c == 7 and value:
                item.setToolTip(value)
            self.preview.setItem(r, c, item)

    # ----------------------------------------------------------------- completeness

    def refresh_completeness(self) -> None:
        from htx_desktop.domain.periods import parse_period
        from htx_desktop.receiving.receipts import pending_reviews
        from htx_desktop.receiving.reminder import reminder_text, submission_history
        from htx_desktop.store.review import (
            describe_comment,
            history_reviews,
            lower_summary,
            review_label,
        )
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
            reviews = history_reviews(session, home.id, period.label)
            pending = len(pending_reviews(session))
        self.deadline.set_period(period)
        self.timeliness_summary.setText(found.summary())
        self.history_rows = [{**h, "period": period.label} for h in history]
        self.history.setRowCount(len(history))
        for r, h in enumerate(history):
            review = reviews.get((h["code"], h["version"]))
            self.history_rows[r]["review"] = review.review if review else None
            values = [h["code"], h["name"], str(h["version"]),
                      t(_STATUS_LABELS.get(h["status"], "")), self._review_text(review),
                      _day(h["received_at"]),
                      lower_summary(review.lower) if review else "", h["file_name"]]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 4 and review is not None and review.comments:
                    item.setToolTip("\n".join(describe_comment(x, review.labels)
                                               for x in review.comments))
                if c == 6 and review is not None and review.lower:
                    item.setToolTip("\n".join(
                        f"{x['code']} v{x['version']}: {review_label(x['review'])}"
                        for x in review.lower))
                if c == 4 and review is not None and review.review == "returned":
                    item.setForeground(Qt.GlobalColor.darkRed)
                if c == 4 and review is not None and review.review == "accepted":
                    item.setForeground(Qt.GlobalColor.darkGreen)
                self.history.setItem(r, c, item)
        self.history.resizeColumnsToContents()
        self.receipts_button.setText(t("Ghi biên nhận ({n})…", n=pending) if pending
                                     else t("Ghi biên nhận…"))
        self.receipts_button.setEnabled(bool(pending))
        self._history_selected()
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
        return chosen_item(self.preview, self.outcomes)

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
        from htx_desktop.ui.writes import write

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
            signer, reason = pkg.signer, dialog.reason()

            def replace() -> None:  # one transaction, again while another writer holds it
                with self.db.session() as session:
                    replace_sender_key(session, o.unit_code, signer, reason=reason,
                                       by=officer_name(self.db, session), source=pkg.file_name)

            write(replace)
        except (PackageRefused, SigningError) as exc:
            self.status.setText(getattr(exc, "user_message", None) or str(exc))
            return
        self.status.setText(t("Đã thay khoá ký của đơn vị {unit}; xem trước lại các gói.",
                              unit=o.unit_code))
        self._start(dry_run=True)

    @staticmethod
    def _review_text(review: Any) -> str:
        from htx_desktop.store.review import review_label

        if review is None or review.review is None:
            return ""
        text = review_label(review.review)
        if review.decided_at is not None:
            text += " " + review.decided_at.astimezone().strftime("%d/%m/%Y")
        return text

    def _history_selected(self) -> None:
        row = self._selected_history()
        in_use = row is not None and row["status"] == "accepted"
        self.withdraw_button.setEnabled(in_use)
        self.review_accept_button.setEnabled(in_use and row is not None
                                             and row.get("review") != "accepted")
        self.review_return_button.setEnabled(in_use)

    def accept_selected(self) -> None:
        """One click: the chosen package in use is accepted (logged with the officer)."""
        self._decide("accepted")

    def return_selected(self) -> None:
        """Return the chosen package with comments (the comment dialog)."""
        from htx_desktop.reports.labels import indicator_name
        from htx_desktop.store.review import record_choices, submission_dataset
        from htx_desktop.ui.pages.review_dialog import ReviewDialog

        row = self._selected_history()
        if row is None or row["status"] != "accepted":
            return
        with self.db.session() as session:
            from htx_desktop.store.review import submission_in_use
            from htx_desktop.store.settings import home_unit

            home = home_unit(session)
            if home is None:
                return
            sub = submission_in_use(session, home.id, row["code"], row["period"],
                                    int(row["version"]))
            records = record_choices(submission_dataset(session, sub.id))
        year = 2030 if row["period"][:4] >= "2026" else 2025
        names = {code: indicator_name(code, year) for code in indicator_codes()}
        dialog = ReviewDialog(t(
            "Trả lại gói phiên bản {version} của {code} – {name}, kỳ {period}. Số liệu của gói "
            "vẫn được tính cho đến khi đơn vị gửi phiên bản mới.", version=row["version"],
            code=row["code"], name=row["name"], period=row["period"]), records, names, self)
        if dialog.exec() != dialog.DialogCode.Accepted:
            return
        self._decide("returned", dialog.general(), dialog.pinned())

    def _decide(self, decision: str, general: str = "",
                pinned: list[tuple[str, str]] | None = None) -> None:
        from htx_desktop.reports.unit_keys import officer_name
        from htx_desktop.store.review import (
            ReviewError,
            decide,
            make_comments,
            review_label,
            submission_dataset,
            submission_in_use,
        )
        from htx_desktop.store.settings import home_unit

        row = self._selected_history()
        if row is None or row["status"] != "accepted":
            return
        from htx_desktop.ui.writes import write

        def decide_now() -> bool:  # one transaction, again while another writer holds it
            with self.db.session() as session:
                home = home_unit(session)
                if home is None:
                    return False
                sub = submission_in_use(session, home.id, row["code"], row["period"],
                                        int(row["version"]))
                comments = make_comments(general, pinned or [],
                                         submission_dataset(session, sub.id))
                decide(session, sub, decision, comments, by=officer_name(self.db, session))
                return True

        try:
            if not write(decide_now):
                return
        except ReviewError as exc:
            self.status.setText(exc.user_message)
            return
        self.status.setText(t(
            "{code} – {name}, kỳ {period}, phiên bản {version}: {review}. Bấm “Ghi biên "
            "nhận…” để ghi tệp biên nhận gửi đơn vị.", code=row["code"], name=row["name"],
            period=row["period"], version=row["version"], review=review_label(decision)))
        selected = (row["code"], row["version"])
        self.refresh_completeness()
        for r, h in enumerate(self.history_rows):
            if (h["code"], h["version"]) == selected:
                self.history.selectRow(r)

    def write_receipts(self) -> None:
        """Write the receipts not written yet into a chosen folder."""

        folder = QFileDialog.getExistingDirectory(self, t("Chọn thư mục ghi biên nhận"))
        if folder:
            self.write_receipts_to(Path(folder))

    def write_receipts_to(self, folder: Path) -> None:
        from htx_desktop.receiving.receipts import write_receipts
        from htx_desktop.reports.errors import PackageError

        try:
            written = write_receipts(self.db, folder)
        except (PackageError, OSError) as exc:
            message = os_error_text(exc) if isinstance(exc, OSError) else str(exc)
            self.status.setText(t("Không ghi được biên nhận: {error}", error=message))
            return
        names = ", ".join(w.path.name for w in written)
        self.status.setText(t("Đã ghi {n} biên nhận vào {folder}: {names}. Hãy gửi mỗi tệp "
                              "cho đơn vị tương ứng.", n=len(written), folder=str(folder),
                              names=names))
        self.refresh_completeness()

    def _selected_history(self) -> dict[str, Any] | None:
        return chosen_item(self.history, self.history_rows)

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
