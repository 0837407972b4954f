"""Import a spreadsheet in three steps: choose the file and kind, check which column holds
what, look at the row-by-row dry run; then import all the good rows or nothing. Also the
small dialog that saves a blank template. The work itself is `htx_desktop.sheets` (Qt-free).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from htx_desktop.i18n import t
from htx_desktop.sheets.columns import COLUMNS, KIND_LABELS, KINDS
from htx_desktop.sheets.errors import SheetError
from htx_desktop.sheets.importer import (
    KINDS_WITH_FIGURES,
    STATUS_LABELS,
    ImportReport,
    figures_year_choices,
    import_table,
)
from htx_desktop.sheets.reader import SheetTable
from htx_desktop.store.engine import Database
from htx_desktop.store.os_errors import OSFailure
from htx_desktop.ui.writes import wait_cursor_while_locked

AUTO = ""  # the kind combo's "recognise it" entry


class SheetImportWizard(QWizard):
    """The three-step import; `report` holds the last dry run or the import done."""

    def __init__(self, db: Database, officer: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.officer = db, officer
        self.table: SheetTable | None = None
        self.kind = ""
        self.report: ImportReport | None = None
        self.setWindowTitle(t("Nhập dữ liệu từ bảng tính"))
        self.setButtonText(QWizard.WizardButton.NextButton, t("Tiếp"))
        self.setButtonText(QWizard.WizardButton.BackButton, t("Quay lại"))
        self.setButtonText(QWizard.WizardButton.CancelButton, t("Không nhập"))
        self.setButtonText(QWizard.WizardButton.FinishButton, t("Nhập các dòng hợp lệ"))
        self.file_page = _FilePage(self)
        self.mapping_page = _MappingPage(self)
        self.preview_page = _PreviewPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page):
            self.addPage(page)

    def accept(self) -> None:
        """Finish: import the good rows (all in one transaction) and remember the mapping."""
        if self.table is None:
            return
        try:
            # Another writer (an import in another window) is waited for, with a busy cursor.
            with wait_cursor_while_locked() as on_wait:
                report = import_table(self.db, self.table, self.kind,
                                      self.mapping_page.mapping(), apply=True,
                                      officer=self.officer,
                                      figures_year=self.preview_page.figures_year(),
                                      on_wait=on_wait)
        except OSFailure as exc:  # nothing was written; the wizard stays open to try again
            from htx_desktop.ui.dialogs import show_message

            show_message(self, t("Chưa nhập được"), exc.user_message, warning=True)
            return
        self.report = report
        super().accept()


class _FilePage(QWizardPage):
    def __init__(self, wizard: SheetImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(t("Chọn tệp bảng tính"))
        self.path = QLineEdit()
        browse = QPushButton(t("Chọn tệp…"))
        browse.clicked.connect(self._browse)
        self.kind = QComboBox()
        self.kind.addItem(t("Tự nhận ra"), AUTO)
        for kind in KINDS:
            self.kind.addItem(t(KIND_LABELS[kind]), kind)
        self.error = QLabel()
        self.error.setWordWrap(True)
        # A long reason (a path, what to do) takes the lines it needs, never clipped.
        self.error.setSizePolicy(QSizePolicy.Policy.Preferred,
                                 QSizePolicy.Policy.MinimumExpanding)
        self.error.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        row = QHBoxLayout()
        row.addWidget(self.path)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow(t("Tệp"), row)
        form.addRow(t("Loại dữ liệu"), self.kind)
        form.addRow(self.error)
        self.path.textChanged.connect(self.completeChanged)

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, t("Chọn tệp bảng tính"), "",
                                              t("Bảng tính Excel (*.xlsx *.xlsm)"))
        if name:
            self.path.setText(name)

    def isComplete(self) -> bool:
        return bool(self.path.text().strip())

    def validatePage(self) -> bool:
        from htx_desktop.sheets.importer import read_for_import

        try:
            kind = self.kind.currentData() or None
            self.w.table, self.w.kind = read_for_import(Path(self.path.text().strip()), kind)
        except SheetError as exc:
            self.error.setText(str(exc))
            return False
        self.error.clear()
        return True


class _MappingPage(QWizardPage):
    """One line per source column: its header and the field it goes to (or nothing)."""

    def __init__(self, wizard: SheetImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(t("Cột nào chứa thông tin nào"))
        self.grid = QTableWidget(0, 2)
        self.grid.setHorizontalHeaderLabels([t("Cột trong tệp"), t("Thông tin")])
        self.grid.horizontalHeader().setStretchLastSection(True)
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid)
        layout.addWidget(self.missing)

    def initializePage(self) -> None:
        from htx_desktop.sheets.mapping import mapping_for

        table = self.w.table
        assert table is not None
        with self.w.db.session() as session:
            current = mapping_for(session, self.w.kind, table.headers)
        self.grid.setRowCount(len(table.headers))
        for i, header in enumerate(table.headers):
            self.grid.setItem(i, 0, QTableWidgetItem(header or t("(cột {n})", n=i + 1)))
            combo = QComboBox()
            combo.addItem(t("— không nhập —"), "")
            for column in COLUMNS[self.w.kind]:
                combo.addItem(column.title, column.key)
            combo.setCurrentIndex(max(0, combo.findData(current.get(i, ""))))
            combo.currentIndexChanged.connect(self._changed)
            self.grid.setCellWidget(i, 1, combo)
        self._changed()

    def combo(self, row: int) -> QComboBox:
        widget = self.grid.cellWidget(row, 1)
        assert isinstance(widget, QComboBox)
        return widget

    def mapping(self) -> dict[int, str]:
        out: dict[int, str] = {}
        for i in range(self.grid.rowCount()):
            key = self.combo(i).currentData()
            if key and key not in out.values():
                out[i] = key
        return out

    def _changed(self) -> None:
        from htx_desktop.sheets.mapping import missing_required

        missing = missing_required(self.w.kind, self.mapping())
        self.missing.setText(t("Còn thiếu cột bắt buộc: {fields}", fields=", ".join(missing))
                             if missing else "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        from htx_desktop.sheets.mapping import missing_required

        return self.w.table is not None and not missing_required(self.w.kind, self.mapping())


class _PreviewPage(QWizardPage):
    """The dry run: every row with what would happen to it; for a sheet of figures, the one
    year its figures without a year are taken as (changing it runs the preview again)."""

    def __init__(self, wizard: SheetImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(t("Xem trước kết quả nhập"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.year_row = QWidget()
        year_layout = QHBoxLayout(self.year_row)
        year_layout.setContentsMargins(0, 0, 0, 0)
        self.year_box = QComboBox()
        self.year_box.setObjectName("figures_year")
        for year in figures_year_choices():
            self.year_box.addItem(str(year), year)
        year_layout.addWidget(QLabel(t("Số liệu không ghi năm là số liệu năm:")))
        year_layout.addWidget(self.year_box)
        year_layout.addStretch(1)
        self.year_box.currentIndexChanged.connect(lambda _i: self.initializePage())
        self.rows = QTableWidget(0, 3)
        self.rows.setHorizontalHeaderLabels([t("Dòng"), t("Kết quả"), t("Chi tiết")])
        self.rows.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.year_row)
        layout.addWidget(self.rows)

    def figures_year(self) -> int | None:
        year = self.year_box.currentData()
        return int(year) if year is not None else None

    def initializePage(self) -> None:
        table = self.w.table
        assert table is not None
        try:
            with wait_cursor_while_locked() as on_wait:
                report = import_table(self.w.db, table, self.w.kind,
                                      self.w.mapping_page.mapping(), apply=False,
                                      officer=self.w.officer, figures_year=self.figures_year(),
                                      on_wait=on_wait)
        except OSFailure as exc:  # the dry run also writes (then rolls back): told, no rows
            self.w.report = None
            self.rows.setRowCount(0)
            self.summary.setText(exc.user_message)
            self.completeChanged.emit()
            return
        self.w.report = report
        self.year_row.setVisible(self.w.kind in KINDS_WITH_FIGURES)
        self.rows.setRowCount(len(report.outcomes))
        for i, o in enumerate(report.outcomes):
            detail = o.reason if o.status == "refused" else o.record
            for c, text in enumerate((str(o.row), t(STATUS_LABELS[o.status]), detail)):
                self.rows.setItem(i, c, QTableWidgetItem(text))
        summary = t("Tạo mới {created}, cập nhật {updated}, từ chối {refused}.",
                    created=report.count("created"), updated=report.count("updated"),
                    refused=report.count("refused"))
        note = report.figures_year_note()
        self.summary.setText(summary + ("\n" + note if note else ""))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.w.report is not None and not self.w.report.all_refused


def save_template_dialog(db: Database, parent: QWidget | None = None,
                         kind: str | None = None, path: str | None = None) -> Path | None:
    """Ask for the kind (unless given) and where to save, write the template; None if the
    officer cancelled."""
    from htx_desktop.sheets.templates import write_template

    if kind is None:
        from PySide6.QtWidgets import QInputDialog

        labels = [t(KIND_LABELS[k]) for k in KINDS]
        label, ok = QInputDialog.getItem(parent, t("Tạo bảng tính mẫu"), t("Loại dữ liệu"),
                                         labels, 0, False)
        if not ok:
            return None
        kind = KINDS[labels.index(label)]
    if path is None:
        path, _ = QFileDialog.getSaveFileName(parent, t("Lưu bảng tính mẫu"),
                                              f"mau-{kind}.xlsx",
                                              t("Bảng tính Excel (*.xlsx)"))
        if not path:
            return None
    with db.session() as session:
        return write_template(session, kind, Path(path))
