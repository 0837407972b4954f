"""A section made of several pages in tabs, each built when its tab is first opened."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget


class TabHub(QWidget):
    def __init__(self, tabs: list[tuple[str, Callable[[], QWidget]]]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self._makers = [make for _title, make in tabs]
        self.built: dict[int, QWidget] = {}
        for title, _make in tabs:
            self.tabs.addTab(QWidget(), title.replace("&", "&&"))
        self.tabs.currentChanged.connect(self._show)
        layout.addWidget(self.tabs)
        self._show(0)

    def _show(self, index: int) -> None:
        if index < 0:
            return
        if index not in self.built:
            widget = self._makers[index]()
            from htx_desktop.ui.edge_delegate import cut_cells_at_edges
            from htx_desktop.ui.wheel_guard import guard_wheel
            guard_wheel(widget)
            cut_cells_at_edges(widget)  # built after the main window guarded the page
            self.built[index] = widget
            title = self.tabs.tabText(index)
            self.tabs.blockSignals(True)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, widget, title)
            self.tabs.setCurrentIndex(index)
            self.tabs.blockSignals(False)
        else:
            refresh = getattr(self.built[index], "refresh", None)
            if refresh is not None:
                refresh()

    def tab(self, index: int) -> QWidget:
        """The page of a tab, built now if it was not yet."""
        self.tabs.setCurrentIndex(index)
        self._show(index)
        return self.built[index]

    def refresh(self) -> None:
        refresh = getattr(self.built.get(self.tabs.currentIndex()), "refresh", None)
        if refresh is not None:
            refresh()
