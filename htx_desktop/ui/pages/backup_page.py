"""The backup page: the program's backups (date, reason, size, check result), a backup made on
demand, and a restore (the current state is backed up first, then the officer restarts)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from htx_desktop.i18n import t
from htx_desktop.store.backup import (
    BackupInfo,
    backup_to_dir,
    describe_backup,
    list_backups,
    prune_backups,
)
from htx_desktop.store.engine import Database
from htx_desktop.store.errors import StoreError
from htx_desktop.store.paths import DataDir
from htx_desktop.store.restore import restore_database
from htx_desktop.ui import dialogs

MANUAL = "thu-cong"
REASONS = {
    "hang-ngay": "Tự động hằng ngày",
    "truoc-nang-cap": "Trước khi nâng cấp chương trình",
    "truoc-khoi-phuc": "Trước khi khôi phục",
    "import": "Trước khi nhập gói báo cáo",
    "manual": "Sao lưu thủ công",
    MANUAL: "Sao lưu thủ công",
    "": "Sao lưu",
}
COLUMNS = ("Thời điểm", "Lý do", "Dung lượng", "Kiểm tra")


def reason_label(reason: str) -> str:
    return t(REASONS.get(reason, reason.replace("-", " ")))


def size_label(size: int) -> str:
    if size >= 1024 ** 3:
        return f"{size / 1024 ** 3:.1f} GB".replace(".", ",")
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} KB"


class BackupPage(QWidget):
    """Lists backups newest first. `restored` is emitted with the backup put back; the window
    should then close or reopen everything that holds records (the lead wires it)."""

    restored = Signal(Path)

    def __init__(self, db: Database, data_dir: DataDir, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.data_dir = data_dir
        self.infos: list[BackupInfo] = []
        layout = QVBoxLayout(self)
        intro = QLabel(t(
            "Chương trình tự sao lưu dữ liệu mỗi ngày lần đầu mở, trước khi nâng cấp, trước khi "
            "nhập gói báo cáo và trước khi khôi phục. Mỗi bản sao lưu được kiểm tra ngay sau "
            "khi ghi. Thư mục sao lưu: {folder}", folder=str(data_dir.backups)))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([t(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        self.backup_button = QPushButton(t("Sao lưu ngay"))
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton(t("Khôi phục"))
        self.restore_button.clicked.connect(self.restore_selected)
        self.away_button = QPushButton(t("Chép bản sao lưu ra USB…"))
        self.away_button.setToolTip(t("Ghi một bản sao lưu đã kiểm tra vào USB hoặc thư mục "
                                      "khác, để giữ ngoài máy này"))
        self.away_button.clicked.connect(self.choose_folder_away)
        row.addWidget(self.backup_button)
        row.addWidget(self.away_button)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.usage = QLabel("")  # the backups' total size and the disk's free space
        self.usage.setObjectName("backupUsage")
        self.usage.setWordWrap(True)
        layout.addWidget(self.usage)
        self.refresh()

    # ------------------------------------------------------------------ list

    def refresh(self) -> None:
        self.infos = [describe_backup(p) for p in list_backups(self.data_dir.backups)]
        self.table.setRowCount(len(self.infos))
        for r, info in enumerate(self.infos):
            cells = (info.made_at.strftime("%H:%M:%S %d/%m/%Y"), reason_label(info.reason),
                     size_label(info.size),
                     t("Tốt") if info.problem is None else t("Hỏng — không dùng được"))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 3 and info.problem is not None:
                    item.setToolTip(info.problem)
                    item.setForeground(Qt.GlobalColor.red)
                self.table.setItem(r, c, item)
        if not self.infos:
            self.status.setText(t("Chưa có bản sao lưu nào."))
        self._show_usage()
        self._update_buttons()

    def _show_usage(self) -> None:
        import shutil

        from htx_desktop.store.backup import total_size

        used = total_size(self.data_dir.backups)
        try:
            free = shutil.disk_usage(self.data_dir.root).free
        except OSError:
            self.usage.setText(t("Các bản sao lưu chiếm {size}.", size=size_label(used)))
            return
        text = t("Các bản sao lưu chiếm {size}; ổ đĩa còn trống {free}.",
                 size=size_label(used), free=size_label(free))
        try:
            db_size = self.data_dir.db_path.stat().st_size
        except OSError:
            db_size = 0
        if free < max(3 * db_size, 200 * 1024 * 1024):  # room for a few more copies
            text += " " + t("Ổ đĩa sắp đầy: hãy chép các bản sao lưu cũ ra USB rồi xoá bớt, "
                            "hoặc dọn bớt tệp không cần trên máy.")
            self.usage.setStyleSheet("color:#b3261e;")
        else:
            self.usage.setStyleSheet("")
        self.usage.setText(text)

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.infos[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        info = self.selected()
        self.restore_button.setEnabled(info is not None and info.problem is None)
        # A PostgreSQL office server is backed up by `backup`, not from this page.
        self.backup_button.setEnabled(not getattr(self.db, "is_server", False))

    # ------------------------------------------------------------------ actions

    def _keep(self) -> int:
        from htx_desktop.store.settings import backup_keep

        with self.db.session() as session:
            return backup_keep(session)

    def backup_now(self) -> Path | None:
        try:
            made = backup_to_dir(self.data_dir.db_path, self.data_dir.backups, reason=MANUAL)
            prune_backups(self.data_dir.backups, self._keep())
        except StoreError as exc:
            self.status.setText(exc.user_message)
            return None
        self.refresh()
        self.status.setText(t("Đã sao lưu và kiểm tra: {name}", name=made.name))
        return made

    def choose_folder_away(self) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(
            self, t("Chọn USB hoặc thư mục để chép bản sao lưu"), "",
            QFileDialog.Option.DontUseNativeDialog)
        return self.backup_away(Path(folder)) if folder else None

    def backup_away(self, folder: Path) -> Path | None:
        """A checked backup written into `folder` (a USB stick), to keep away from this PC."""
        from htx_desktop.store.backup import backup_away
        from htx_desktop.store.os_errors import os_failure

        try:
            made = backup_away(self.data_dir.db_path, folder)
        except (StoreError, OSError) as exc:
            failure = os_failure(exc, folder)
            self.status.setText(failure.user_message if failure is not None else str(exc))
            return None
        self.status.setText(t("Đã chép và kiểm tra bản sao lưu: {path}. Trên máy mới, chọn "
                              "“Khôi phục từ bản sao lưu…” khi mở chương trình lần đầu.",
                              path=str(made)))
        return made

    def restore_selected(self) -> Path | None:
        info = self.selected()
        if info is None or info.problem is not None:
            return None
        when = info.made_at.strftime("%H:%M %d/%m/%Y")
        if not dialogs.ask_yes_no(self, t("Khôi phục dữ liệu"), t(
                "Đưa dữ liệu về như lúc {time}? Những gì nhập sau thời điểm đó sẽ không còn "
                "trong dữ liệu đang dùng (dữ liệu hiện tại được sao lưu trước, có thể lấy lại "
                "từ danh sách này).", time=when)):
            return None
        self.db.close()  # no connection may hold the file while it is replaced
        try:
            previous = restore_database(info.path, self.data_dir)
        except StoreError as exc:
            self.status.setText(exc.user_message)
            dialogs.show_message(self, t("Không khôi phục được"), exc.user_message, warning=True)
            return None
        self.refresh()
        self.status.setText(t("Đã khôi phục. Hãy đóng rồi mở lại chương trình."))
        dialogs.show_message(self, t("Đã khôi phục"), t(
            "Đã khôi phục dữ liệu lúc {time}. Dữ liệu trước khi khôi phục được giữ trong bản "
            "sao lưu {name}. Hãy đóng rồi mở lại chương trình để làm việc tiếp.",
            time=when, name=previous.name if previous else "—"))
        self.restored.emit(info.path)
        return info.path
