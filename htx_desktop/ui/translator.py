"""Qt's own strings (context menus, standard buttons, file dialogs) in Vietnamese.

Qt ships no Vietnamese translation, so the program carries the few strings it shows. The
translator is installed only when the language is Vietnamese; English is Qt's own.
"""

from __future__ import annotations

from PySide6.QtCore import QTranslator

QT_VI: dict[str, str] = {
    "&Undo": "&Hoàn tác", "&Redo": "&Làm lại", "Cu&t": "Cắ&t", "&Copy": "&Sao chép",
    "&Paste": "&Dán", "Delete": "Xóa", "Select All": "Chọn tất cả",
    "Copy &Link Location": "Sao chép địa chỉ liên kết",
    "OK": "Đồng ý", "Cancel": "Hủy", "&OK": "Đồng ý", "&Cancel": "&Hủy", "Close": "Đóng",
    "&Close": "Đó&ng", "Save": "Lưu", "&Save": "&Lưu", "Open": "Mở", "&Open": "&Mở",
    "&Yes": "&Có", "&No": "&Không", "Yes": "Có", "No": "Không", "Apply": "Áp dụng",
    "Discard": "Bỏ", "Help": "Trợ giúp", "Reset": "Đặt lại", "Retry": "Thử lại",
    "Ignore": "Bỏ qua", "Abort": "Hủy bỏ", "Show Details...": "Xem chi tiết...",
    "Hide Details...": "Ẩn chi tiết...", "Look in:": "Tìm trong:",
    "File &name:": "Tên &tệp:", "Files of type:": "Loại tệp:", "Back": "Quay lại",
    "Forward": "Tiếp", "Parent Directory": "Thư mục cha", "Create New Folder":
    "Tạo thư mục mới", "List View": "Dạng danh sách", "Detail View": "Dạng chi tiết",
    "Name": "Tên", "Size": "Kích thước", "Type": "Loại", "Date Modified": "Ngày sửa",
    "My Computer": "Máy tính", "Computer": "Máy tính", "&Rename": "Đổi &tên",
    "&Delete": "&Xóa", "Show &hidden files": "Hiện tệp ẩn", "&New Folder": "Thư mục &mới",
    "All Files (*)": "Mọi tệp (*)", "Directories": "Thư mục", "Recent Places": "Vị trí gần đây",
}


class QtStringsTranslator(QTranslator):
    def translate(self, context: str, source_text: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        return QT_VI.get(source_text, "")

    def isEmpty(self) -> bool:
        return False
