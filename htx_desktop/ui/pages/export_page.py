"""Xuất báo cáo: choose the period, check the indicators, write the report's own paragraphs,
preview the PDF, and export the package that goes up (issue 5 point 4); optionally with the
names sealed to the receiving unit's key (issue 7 point 5).

The paragraphs are saved as they are typed (export_narrative.py). The preview and the export
run off the UI thread (`ui/jobs.py::BackgroundOp`, with what they import lazily preloaded:
`EXPORT_PRELOAD`), with a busy bar; the page stays usable meanwhile.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.domain.periods import Period, parse_period
from htx_desktop.i18n import t
from htx_desktop.reports.labels import format_figure, indicator_name, percent_of_target
from htx_desktop.store import models as m
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.edge_delegate import EdgeDelegate
from htx_desktop.ui.jobs import BackgroundOp, failure_text
from htx_desktop.ui.pages.export_names import NamesBox
from htx_desktop.ui.pages.export_narrative import NarrativeEditor
from htx_desktop.ui.pages.keygen_dialog import KeygenDialog, documents_folder
from htx_desktop.ui.pages.period_names import period_choices


def _validators() -> None:
    from htx_desktop.receiving.reader import preload

    preload()  # jsonschema and both validators


def _fonts() -> None:
    from htx_desktop.reports.pdf import register_fonts

    register_fonts()


# What an export or a preview imports lazily, measured on a commune's export, and the fonts and
# validators they build: done on the UI thread before the worker starts (PySide6's import hook
# is not thread-safe: a module imported for the first time inside a worker thread crashed the
# program, seen with jsonschema). A module this Python lacks is skipped.
EXPORT_PRELOAD = (
    "htx_desktop.reports.export", "htx_desktop.reports.figures", "htx_desktop.reports.package",
    "htx_desktop.reports.pdf", "htx_desktop.reports.workbook", "htx_desktop.receiving.crypto",
    "htx_desktop.store.submissions", "htx_desktop.store.locks", "htx_desktop.store.targets",
    "PIL.Image", "babel.dates", "babel.numbers", "cryptography.hazmat.backends.openssl.backend",
    "encodings.unicode_escape", "encodings.utf_16_be", "fractions", "getpass", "glob",
    "html.parser", "mimetypes", "openpyxl", "openpyxl.packaging.extended", "pprint",
    "reportlab.lib.PyFontify", "reportlab.lib.enums", "reportlab.lib.pagesizes",
    "reportlab.lib.rl_safe_eval", "reportlab.lib.styles", "reportlab.lib.units",
    "reportlab.pdfbase.ttfonts", "reportlab.platypus", "reportlab.platypus.tables",
    "reportlab.platypus.xpreformatted", "zipfile", "zoneinfo",
    # issue 22: print set-up, the QR code and the Word copy
    "htx_desktop.reports.sheet_print", "htx_desktop.reports.print_code",
    "htx_desktop.reports.docx_report", "openpyxl.worksheet.pagebreak",
    "openpyxl.utils.indexed_list", "segno", "segno.writers", "docx", "docx.enum.table",
    "docx.enum.text", "docx.oxml.ns", "docx.shared", "lxml.etree",
    _validators, _fonts,
)

# Narrower than this (a 1024×768 screen), the export panel goes under the figures.
NARROW_PAGE = 900
QWIDGETSIZE_MAX = (1 << 24) - 1
FOLDER_SETTING = "export_folder"  # the last folder chosen, offered next time


def _local(when: datetime | None) -> str:
    if when is None:
        return ""
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)  # stored in UTC
    return aware.astimezone().strftime("%d/%m/%Y %H:%M")


class ExportPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.jobs: list[BackgroundOp[Any]] = []  # running: the page is busy
        self.preview_dir: tempfile.TemporaryDirectory[str] | None = None
        self.last_package: Path | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        top = QHBoxLayout()
        top.addWidget(QLabel(t("Kỳ báo cáo:")))
        self.period_box = QComboBox()
        self.period_box.setObjectName("period")
        for code, text in period_choices(date.today()):
            self.period_box.addItem(text, code)
        top.addWidget(self.period_box)
        self.period_note = QLabel()
        self.period_note.setStyleSheet("color:#555;")
        # A long note (a returned package, issue 21) wraps; it never widens the page.
        self.period_note.setWordWrap(True)
        self.period_note.setSizePolicy(QSizePolicy.Policy.Ignored,
                                       QSizePolicy.Policy.Preferred)
        top.addWidget(self.period_note, 1)
        self.preview_button = QPushButton(t("Xem trước PDF"))
        self.preview_button.clicked.connect(self.start_preview)
        top.addWidget(self.preview_button)
        layout.addLayout(top)

        body = QHBoxLayout()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._indicator_tab(), t("Chỉ tiêu"))
        self.narrative = NarrativeEditor(ctx)
        self.tabs.addTab(self.narrative, t("Nội dung báo cáo"))
        self.tabs.addTab(self._preview_tab(), t("Xem trước PDF"))
        self.tabs.addTab(self._exports_tab(), t("Các gói đã xuất"))
        body.addWidget(self.tabs, 5)
        # beside the figures; on a 1024×768 screen under them (see resizeEvent), where it
        # scrolls rather than squeezing its texts
        self.body = body
        self.panel_area = panel_area = QScrollArea()
        panel_area.setWidgetResizable(True)
        panel_area.setFrameShape(QScrollArea.Shape.NoFrame)
        panel_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        panel = self._export_panel()
        panel_area.setWidget(panel)
        self._beside(True)
        body.addWidget(panel_area, 3)
        layout.addLayout(body, 1)

        self.period_box.currentIndexChanged.connect(self._period_changed)
        self._period_changed()
        self.refresh_exports()

    # ------------------------------------------------------------------ building

    def _beside(self, beside: bool) -> None:
        area = self.panel_area
        panel = area.widget()
        assert panel is not None
        self.body.setDirection(QHBoxLayout.Direction.LeftToRight if beside
                               else QHBoxLayout.Direction.TopToBottom)
        area.setMinimumWidth(panel.minimumSizeHint().width() + 4 if beside else 0)
        area.setMaximumWidth(360 if beside else QWIDGETSIZE_MAX)
        area.setMaximumHeight(QWIDGETSIZE_MAX if beside else 240)
        self.panel_beside = beside

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        beside = event.size().width() >= NARROW_PAGE
        if beside != self.panel_beside:
            self._beside(beside)

    def _indicator_tab(self) -> QWidget:
        self.indicators = QTableWidget(0, 6)
        self.indicators.setObjectName("indicators")
        self.indicators.setHorizontalHeaderLabels(
            [t("Mã"), t("Chỉ tiêu"), t("Kết quả"), t("Lũy kế"), t("Mục tiêu"), t("Đạt (%)")])
        self.indicators.verticalHeader().hide()
        self.indicators.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.indicators.setWordWrap(True)
        self.indicators.setItemDelegate(EdgeDelegate(self.indicators))
        header = self.indicators.horizontalHeader()
        header.setSectionResizeMode(1, header.ResizeMode.Stretch)
        for col, width in ((0, 48), (2, 74), (3, 70), (4, 74), (5, 70)):
            header.resizeSection(col, width)
        return self.indicators

    def _preview_tab(self) -> QWidget:
        inner = QWidget()
        self.pages_layout = QVBoxLayout(inner)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.preview_note = QLabel(t("Bấm “Xem trước PDF” để xem báo cáo sẽ gửi đi, đúng như "
                                     "trong gói."))
        self.preview_note.setWordWrap(True)
        self.pages_layout.addWidget(self.preview_note)
        self.page_images: list[QLabel] = []
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setStyleSheet("QScrollArea{background:#e6e6e6;}")
        return scroll

    def _exports_tab(self) -> QWidget:
        """The packages sent, with the level above's decision and comments (issue 21)."""
        from htx_desktop.ui.pages.sent_panel import SentPanel

        self.sent = SentPanel(self.ctx.db, dict(period_choices(date.today())))
        self.exports = self.sent.table
        return self.sent

    def _export_panel(self) -> QWidget:
        panel = QWidget()
        col = QVBoxLayout(panel)
        col.setContentsMargins(8, 0, 0, 0)
        title = QLabel(t("Xuất gói báo cáo gửi cấp trên"))
        title.setStyleSheet("font-weight:bold; font-size:11pt;")
        col.addWidget(title)
        what = QLabel(t("Gói gồm báo cáo PDF, bảng tính Excel và dữ liệu để cấp trên tổng hợp. "
                        "Mỗi lần xuất lại cùng kỳ, số lần xuất tăng lên."))
        what.setWordWrap(True)
        col.addWidget(what)
        self.names = NamesBox(self)
        col.addWidget(self.names)
        self.word_copy = QCheckBox(t("Ghi thêm bản Word (.docx) để chỉnh sửa trước khi ký"))
        self.word_copy.setObjectName("word_copy")
        self.word_copy.setToolTip(t(
            "Bản Word có cùng nội dung và mã QR với báo cáo PDF, ghi cạnh gói báo cáo (không "
            "nằm trong gói). Mã QR xác định số liệu của gói, không phụ thuộc lời văn."))
        col.addWidget(self.word_copy)
        self.sign = QCheckBox(t("Ký số báo cáo PDF bằng thiết bị ký số (token)"))
        self.sign.setObjectName("sign")
        self.sign.setToolTip(t(
            "Báo cáo PDF trong gói được ký số bằng chữ ký số của cán bộ trước khi xuất; đơn vị "
            "nhận kiểm tra được chữ ký. Không có thiết bị ký số: bỏ chọn, gói vẫn xuất như cũ."))
        col.addWidget(self.sign)
        self.export_button = QPushButton(t("Xuất gói báo cáo…"))
        self.export_button.setObjectName("export")
        self.export_button.setStyleSheet("font-weight:bold; padding:6px;")
        self.export_button.clicked.connect(self.choose_and_export)
        col.addWidget(self.export_button)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.hide()
        col.addWidget(self.busy)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        col.addWidget(self.message)
        self.open_button = QPushButton(t("Mở thư mục"))
        self.open_button.hide()
        self.open_button.clicked.connect(self.open_folder)
        col.addWidget(self.open_button)
        col.addStretch(1)
        keygen = QPushButton(t("Tạo cặp khóa cho đơn vị nhận…"))
        keygen.setToolTip(t("Dành cho đơn vị cấp trên nhận danh sách họ tên đã mã hóa."))
        keygen.clicked.connect(self.open_keygen)
        col.addWidget(keygen)
        return panel

    # ------------------------------------------------------------------ period

    @property
    def period(self) -> Period:
        return parse_period(str(self.period_box.currentData()))

    def _period_changed(self) -> None:
        period = self.period
        self.period_note.setText(t("Số liệu từ {start} đến {end}",
                                   start=period.start.strftime("%d/%m/%Y"),
                                   end=period.end.strftime("%d/%m/%Y")))
        self.narrative.load(period.label)
        self.refresh_indicators()
        self._clear_preview()
        if hasattr(self, "sent"):
            self._returned_note()

    def refresh(self) -> None:
        """The main window calls this when the page is shown again: records may have changed."""
        self.refresh_indicators()
        self.refresh_exports()

    def refresh_indicators(self) -> None:
        from htx_desktop.reports.figures import indicators_for_unit

        with self.ctx.db.session() as session:
            report = indicators_for_unit(session, self.ctx.home_unit_id, self.period)
        self.indicators.setRowCount(len(report.results))
        for row, r in enumerate(report.results):
            cells = (r.code, indicator_name(r.code, report.target_year),
                     format_figure(r.value, r.code),
                     format_figure(r.cumulative, r.code), format_figure(r.target, r.code),
                     percent_of_target(r))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.indicators.setItem(row, c, item)
        self.indicators.resizeRowsToContents()

    def refresh_exports(self) -> None:
        self.sent.refresh()
        self._returned_note()

    def _returned_note(self) -> None:
        """Beside the period: the level above returned a package (issue 21), this period's
        or another's; the tab of the sent packages says how many wait for a correction."""
        label = self.period.label
        returned = self.sent.returned()
        note = t("Số liệu từ {start} đến {end}", start=self.period.start.strftime("%d/%m/%Y"),
                 end=self.period.end.strftime("%d/%m/%Y"))
        here = [r for r in returned if r["period"] == label]
        if here:
            note += " — " + t("cấp trên trả lại lần xuất {version}: xem ý kiến ở thẻ “Các gói "
                              "đã xuất”.", version=here[0]["version"])
        elif returned:
            note += " — " + t("cấp trên trả lại gói kỳ {periods}: xem ý kiến ở thẻ “Các gói đã "
                              "xuất”.", periods=", ".join(r["period"] for r in returned))
        self.period_note.setStyleSheet("color:#b71c1c;" if returned else "color:#555;")
        self.period_note.setText(note)
        self.period_note.setToolTip(note)
        index = self.tabs.indexOf(self.sent)
        self.tabs.setTabText(index, t("Các gói đã xuất ({n} bị trả lại)", n=len(returned))
                             if returned else t("Các gói đã xuất"))

    # ------------------------------------------------------------------ work off the UI thread

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None],
             failed: Callable[[str], None]) -> None:
        def finished() -> None:
            if op in self.jobs:
                self.jobs.remove(op)
            self._set_busy(bool(self.jobs))

        def on_done(result: Any) -> None:
            finished()
            done(result)

        def on_failed(exc: Exception) -> None:  # said as it is; the writer left nothing
            finished()
            failed(failure_text(exc))

        op = BackgroundOp(self, lambda _progress: work(), done=on_done, failed=on_failed,
                          preload=EXPORT_PRELOAD)
        self.jobs.append(op)
        self._set_busy(True)
        op.start()

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        for w in (self.export_button, self.preview_button, self.period_box):
            w.setEnabled(not busy)

    def is_busy(self) -> bool:
        return bool(self.jobs)

    # ------------------------------------------------------------------ preview

    def _clear_preview(self) -> None:
        for label in self.page_images:
            self.pages_layout.removeWidget(label)
            label.deleteLater()
        self.page_images = []
        self.preview_note.show()

    def start_preview(self) -> None:
        from htx_desktop.reports.export import preview_pdf

        if not self.narrative.save():
            return
        if self.preview_dir is not None:
            self.preview_dir.cleanup()
        self.preview_dir = tempfile.TemporaryDirectory(prefix="htx-xem-truoc-")
        folder, db, period = Path(self.preview_dir.name), self.ctx.db, self.period

        def work() -> list[Path] | Path:
            pdf = preview_pdf(db, period, folder)
            tool = shutil.which("pdftoppm")
            if tool is None:
                return pdf
            subprocess.run([tool, "-png", "-scale-to", "900", str(pdf), str(folder / "trang")],
                           check=True, capture_output=True, timeout=120)
            return sorted(folder.glob("trang*.png"))

        self.message.setText(t("Đang dựng báo cáo PDF…"))
        self._run(work, self._show_preview, self._failed("Chưa xem trước được báo cáo. {reason}"))

    def _show_preview(self, result: list[Path] | Path) -> None:
        self.message.setText("")
        self._clear_preview()
        if isinstance(result, Path):  # no page renderer on this PC: the PDF viewer shows it
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(result)))
            return
        self.preview_note.hide()
        for png in result:
            label = QLabel()
            label.setPixmap(QPixmap(str(png)).scaledToWidth(
                620, Qt.TransformationMode.SmoothTransformation))
            label.setStyleSheet("border:1px solid #999; background:white;")
            self.pages_layout.addWidget(label)
            self.page_images.append(label)
        self.tabs.setCurrentIndex(2)

    # ------------------------------------------------------------------ export

    def default_folder(self) -> Path:
        from htx_desktop.store.settings import get_setting

        with self.ctx.db.session() as session:
            stored = get_setting(session, FOLDER_SETTING)
        return Path(stored) if stored else documents_folder()

    def choose_and_export(self) -> None:
        if not self.names.ready_or_explain(self._say_error):
            return
        chosen = QFileDialog.getExistingDirectory(
            self, t("Chọn thư mục ghi gói báo cáo"), str(self.default_folder()))
        if chosen:
            self.start_export(Path(chosen))

    def start_export(self, out_dir: Path) -> None:
        from htx_desktop.reports.export import export_package
        from htx_desktop.store.settings import set_setting

        if not self.names.ready_or_explain(self._say_error):
            return
        if not self.narrative.save():
            return
        signer = None
        if self.sign.isChecked():
            from htx_desktop.reports.pdf_signing import pdf_signer
            from htx_desktop.ui.signing_dialog import SigningDialog

            dialog = SigningDialog(self)
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
                return
            signer = pdf_signer(*dialog.choice)
        with self.ctx.db.session() as session:
            set_setting(session, FOLDER_SETTING, str(out_dir))
        db, period, key = self.ctx.db, self.period, self.names.recipient_key()
        self.open_button.hide()
        self.message.setStyleSheet("")
        self.message.setText(t("Đang xuất gói báo cáo…"))
        word = self.word_copy.isChecked()
        self._run(lambda: export_package(db, period, out_dir, recipient_key=key,
                                         with_docx=word, sign_pdf=signer),
                  self._exported, self._failed("Chưa xuất được gói báo cáo. {reason}"))

    def _exported(self, path: Path) -> None:
        self.last_package = Path(path)
        version = Path(path).stem.rsplit("_v", 1)[-1]
        if self.names.wanted():
            text = t("Đã xuất gói báo cáo, lần xuất thứ {version}:\n{path}\nDanh sách họ tên "
                     "đã được mã hóa kèm theo.", version=version, path=str(path))
        else:
            text = t("Đã xuất gói báo cáo, lần xuất thứ {version}:\n{path}", version=version,
                     path=str(path))
        docx = Path(path).with_suffix(".docx")
        if docx.exists():
            text += "\n" + t("Bản Word để chỉnh sửa: {path}", path=str(docx))
        self.message.setStyleSheet("color:#1b5e20;")
        self.message.setText(text)
        self.open_button.show()
        self.refresh_exports()

    def _failed(self, message: str) -> Callable[[str], None]:
        """Show `message` (a Vietnamese text with {reason}) with the failure's reason."""
        def show(reason: str) -> None:
            self._say_error(t(message, reason=reason))
        return show

    def _say_error(self, text: str) -> None:
        self.open_button.hide()
        self.message.setStyleSheet("color:#a33;")
        self.message.setText(text)

    def open_folder(self) -> None:
        if self.last_package is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_package.parent)))

    def open_keygen(self) -> None:
        with self.ctx.db.session() as session:
            unit = session.get(m.Unit, self.ctx.home_unit_id)
            code = unit.code if unit is not None else ""
        from htx_desktop.reports.unit_keys import own_key

        signing = own_key(self.ctx.db)  # its short code is printed on the sheet too
        KeygenDialog(code, self.ctx.home_unit_name, self,
                     signing_code=signing.short_code if signing else None).exec()


def make_page(ctx: AppContext) -> ExportPage:
    return ExportPage(ctx)
