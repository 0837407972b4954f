"""Báo cáo: export the package, receive the units' packages, spreadsheets in and out, and the
list of periods with the packages already exported."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from htx_desktop.i18n import t
from htx_desktop.ui.context import AppContext
from htx_desktop.ui.pages.hub import TabHub

if TYPE_CHECKING:
    from htx_desktop.ui.sheet_import_wizard import SheetImportWizard


class SheetsPanel(QWidget):
    """Templates for offices without the program, and import of an office's own lists."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        intro = QLabel(t(
            "Đơn vị chưa có chương trình có thể điền danh sách vào bảng tính mẫu (có danh sách "
            "chọn sẵn và kiểm tra dữ liệu). Bảng tính mẫu đã điền, hoặc danh sách Excel sẵn có "
            "của đơn vị, được nhập vào chương trình sau khi xem trước từng dòng."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.template_button = QPushButton(t("Lưu bảng tính mẫu…"))
        self.template_button.clicked.connect(self.save_template)
        self.import_button = QPushButton(t("Nhập dữ liệu từ bảng tính…"))
        self.import_button.clicked.connect(self.open_wizard)
        for button in (self.template_button, self.import_button):
            button.setMinimumHeight(34)
            layout.addWidget(button)
        self.result = QLabel()  # what the last import did
        self.result.setObjectName("import_result")
        self.result.setWordWrap(True)
        layout.addWidget(self.result)
        layout.addStretch(1)

    def save_template(self) -> None:
        from htx_desktop.ui.sheet_import_wizard import save_template_dialog

        save_template_dialog(self.ctx.db, self)

    def open_wizard(self) -> None:
        from htx_desktop.ui.sheet_import_wizard import SheetImportWizard

        wizard = SheetImportWizard(self.ctx.db, self.ctx.officer, self)
        if wizard.exec() == SheetImportWizard.DialogCode.Accepted:
            self.show_result(wizard)

    def show_result(self, wizard: SheetImportWizard) -> None:
        from htx_desktop.sheets.importer import result_text

        if wizard.report is not None and wizard.report.applied:
            self.result.setText(result_text(wizard.report))


def make_page(ctx: AppContext) -> TabHub:
    from htx_desktop.ui.pages import export_page, receive_page, reports_page

    return TabHub([
        (t("Xuất gói báo cáo"), lambda: export_page.make_page(ctx)),
        (t("Nhận gói của đơn vị cấp dưới"), lambda: receive_page.ReceivePage(ctx.db)),
        (t("Bảng tính"), lambda: SheetsPanel(ctx)),
        (t("Các kỳ báo cáo"), lambda: reports_page.make_page(ctx)),
    ])
