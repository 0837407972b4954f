"""A lazy Qt table model over a SQLAlchemy select (the practice of Anki's browser model).

The model keeps only the ids of the filtered and sorted rows (one SQL query of ids); the cells
of a row are fetched when the view asks for them, a block of `BLOCK` rows by id at a time, and
a bounded number of blocks is cached. Filtering and sorting happen in SQL:

- search: the typed text is folded (`domain.text.fold`: no diacritics, đ→d, lower case) and
  each word must occur in one of the spec's folded key columns (`name_key`, `title_key`), so
  "dai tu" finds "Đại Từ";
- filters: `ListSpec.filters` turn a chosen value into a WHERE clause;
- sorting: on the column's sort expression; for names the folded key, then the name itself
  to break ties (see `list_specs.py`; a true Vietnamese collation in SQL would need a Python
  collation callback per comparison, too slow at 100,000 rows).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from sqlalchemy import Engine, and_, or_, select
from sqlalchemy.orm import Session

from htx_desktop.domain.text import fold
from htx_desktop.ui.list_specs import ListSpec

_Index = QModelIndex | QPersistentModelIndex


def register_fold(session: Session) -> None:
    """Make `htx_fold(text)` available in SQL on this session's SQLite connection."""
    if session.get_bind().dialect.name != "sqlite":
        return
    raw = session.connection().connection.driver_connection
    assert raw is not None
    raw.create_function("htx_fold", 1, lambda s: fold(s) if s else "", deterministic=True)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class LazyTableModel(QAbstractTableModel):
    BLOCK = 200
    MAX_BLOCKS = 40

    def __init__(self, engine: Engine, spec: ListSpec, unit_ids: Sequence[int]) -> None:
        super().__init__()
        self._engine = engine
        self.spec = spec
        self._unit_ids = list(unit_ids)
        self._ids: list[Any] = []
        self._blocks: OrderedDict[int, dict[Any, tuple[Any, ...]]] = OrderedDict()
        self._search = ""
        self._filters: dict[str, Any] = {}
        self._sort_column = spec.default_sort
        self._sort_order = Qt.SortOrder.AscendingOrder
        self.show_deleted = False

    # ------------------------------------------------------------------ query building

    def _where(self) -> list[Any]:
        spec = self.spec
        model = spec.model
        clauses: list[Any] = []
        if spec.unit_column is not None:
            clauses.append(spec.unit_column.in_(self._unit_ids))
        if hasattr(model, "deleted_at"):
            deleted = model.deleted_at
            clauses.append(deleted.is_not(None) if self.show_deleted else deleted.is_(None))
        words = fold(self._search).split()
        for word in words:
            pattern = f"%{_like_escape(word)}%"
            clauses.append(or_(*(key.like(pattern, escape="\\") for key in spec.search_keys)))
        for f in spec.filters:
            value = self._filters.get(f.key)
            if value is not None and value != "":
                clauses.append(f.apply(value))
        return clauses

    def id_query(self) -> Any:
        spec = self.spec
        stmt = select(spec.id_column).select_from(spec.from_clause())
        clauses = self._where()
        if clauses:
            stmt = stmt.where(and_(*clauses))
        col = spec.columns[self._sort_column]
        desc = self._sort_order == Qt.SortOrder.DescendingOrder
        order = [e.desc() if desc else e.asc() for e in col.sort_exprs()]
        return stmt.order_by(*order, spec.id_column)

    # ------------------------------------------------------------------ public API

    def set_search(self, text: str) -> None:
        if text != self._search:
            self._search = text
            self.refresh()

    def set_filter(self, key: str, value: Any) -> None:
        if self._filters.get(key) != value:
            self._filters[key] = value
            self.refresh()

    def set_show_deleted(self, show: bool) -> None:
        self.show_deleted = show
        self.refresh()

    def _session(self) -> Session:
        session = Session(self._engine)
        register_fold(session)
        return session

    def refresh(self) -> None:
        self.beginResetModel()
        with self._session() as session:
            self._ids = list(session.execute(self.id_query()).scalars())
        self._blocks.clear()
        self.endResetModel()

    def record_id(self, row: int) -> Any:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, record_id: Any) -> int:
        try:
            return self._ids.index(record_id)
        except ValueError:
            return -1

    def ids(self) -> list[Any]:
        return list(self._ids)

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.spec.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.spec.columns[section].title
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        col = self.spec.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            row = self._row(index.row())
            return col.format(row[index.column()]) if row is not None else ""
        if role == Qt.ItemDataRole.TextAlignmentRole and col.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.spec.columns):
            self._sort_column = column
            self._sort_order = order
            self.refresh()

    # ------------------------------------------------------------------ fetching

    def _row(self, row: int) -> tuple[Any, ...] | None:
        if not 0 <= row < len(self._ids):
            return None
        block_no = row // self.BLOCK
        block = self._blocks.get(block_no)
        if block is None:
            block = self._fetch_block(block_no)
        else:
            self._blocks.move_to_end(block_no)
        return block.get(self._ids[row])

    def _fetch_block(self, block_no: int) -> dict[Any, tuple[Any, ...]]:
        spec = self.spec
        ids = self._ids[block_no * self.BLOCK:(block_no + 1) * self.BLOCK]
        stmt = (select(spec.id_column, *(c.expr for c in spec.columns))
                .select_from(spec.from_clause()).where(spec.id_column.in_(ids)))
        with self._session() as session:
            block = {r[0]: tuple(r[1:]) for r in session.execute(stmt)}
        self._blocks[block_no] = block
        while len(self._blocks) > self.MAX_BLOCKS:
            self._blocks.popitem(last=False)
        return block
