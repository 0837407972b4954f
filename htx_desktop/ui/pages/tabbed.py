"""A page of several lists in tabs (people + cadres; communication + awards)."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from htx_desktop.ui.list_page import ListPage


class TabbedLists(QWidget):
    def __init__(self, pages: list[tuple[str, ListPage]]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.lists: dict[str, ListPage] = {}
        for title, page in pages:
            self.tabs.addTab(page, title.replace("&", "&&"))
            self.lists[page.spec.kind] = page
        layout.addWidget(self.tabs)

    def refresh(self) -> None:
        for page in self.lists.values():
            page.refresh()
