"""A lazy Qt table model over a SQLAlchemy select (the practice of Anki's browser model).

The model keeps only ids of the filtered and sorted rows, and only as many as the view has
needed: a keystroke fetches the first `WINDOW` ids (`ORDER BY … LIMIT`, which walks the sort
key's index, or sorts only the rows the search index found), and Qt's `canFetchMore`/`fetchMore`
load the next ones as the view scrolls, in windows that double so that reaching the end of
500,000 rows is a handful of queries. The total is a separate COUNT (`count_total`), which the
list page runs once typing pauses. The cells of a row are fetched when the view asks for them,
a block of `BLOCK` rows by id at a time, and a bounded number of blocks is cached. Filtering
and sorting happen in SQL:

- search: the typed text is folded (`domain.text.fold`: no diacritics, đ→d, lower case) and
  each word must occur in one of the spec's folded key columns (`name_key`, `title_key`; a
  word without letters also in a phone or tax code: `ListSpec.keys_for`), so "dai tu" finds
  "Đại Từ"; on SQLite the words of 3 letters or more are looked up in the trigram index
  (`store/search_index.py`, all in one match), elsewhere by `LIKE '%word%'`; a window of a
  long list is found without sorting every match where that gives the same rows
  (`window_lookup.py`: 80 → 20 ms for "nguyen" at 542,000 people);
- filters: `ListSpec.filters` turn a chosen value into a WHERE clause;
- sorting: on the column's sort expression; for names the folded key, then the name itself
  to break ties (see `list_specs.py`; a true Vietnamese collation in SQL would need a Python
  collation callback per comparison, too slow at 100,000 rows).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from sqlalchemy import Engine, and_, func, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from htx_desktop.domain.text import fold
from htx_desktop.store import search_index, window_lookup
from htx_desktop.store.window_lookup import ListQuery
from htx_desktop.ui.list_specs import ListSpec

log = logging.getLogger(__name__)

_Index = QModelIndex | QPersistentModelIndex


def register_fold(session: Session) -> None:
    """Make `htx_fold(text)` available in SQL on this session's SQLite connection."""
    if session.get_bind().dialect.name != "sqlite":
        return
    raw = session.connection().connection.driver_connection
    assert raw is not None
    raw.create_function("htx_fold", 1, lambda s: fold(s) if s else "", deterministic=True)


def like_word(keys: list[Any], word: str) -> Any:
    """ "`word` occurs in one of `keys`" by LIKE (what the search index stands for)."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(*(key.like(f"%{escaped}%", escape="\\") for key in keys))


class LazyTableModel(QAbstractTableModel):
    BLOCK = 200
    MAX_BLOCKS = 40
    WINDOW = 200  # ids fetched per keystroke: a few screens of rows
    MAX_WINDOW = 50_000  # windows double as the view scrolls, up to this

    def __init__(self, engine: Engine, spec: ListSpec, unit_ids: Sequence[int]) -> None:
        super().__init__()
        self._engine = engine
        self.spec = spec
        self._unit_ids = list(unit_ids)
        self._ids: list[Any] = []
        self._complete = True  # every matching id is in _ids
        self._total: int | None = 0
        self._blocks: OrderedDict[int, dict[Any, tuple[Any, ...]]] = OrderedDict()
        self._search = ""
        self._filters: dict[str, Any] = {}
        self._sort_column = spec.default_sort
        self._sort_order = Qt.SortOrder.AscendingOrder
        self.show_deleted = False
        # find windows without sorting every match where that is provably the same
        # (`window_lookup`); off: always the plain query (the tests compare the two)
        self.adaptive = True
        self.last_path = "plain"  # how the last window was found (tests, benchmark)

    # ------------------------------------------------------------------ query building

    def _where(self, indexed: bool = True) -> list[Any]:
        """Every condition of the list; the words by the search index where it can answer
        them (`indexed`), else by LIKE on the folded keys."""
        spec = self.spec
        model = spec.model
        clauses: list[Any] = []
        if spec.unit_column is not None:
            unit = search_index.unindexed(self._engine, spec.unit_column)
            clauses.append(unit.in_(self._unit_ids))
        if hasattr(model, "deleted_at"):
            deleted = model.deleted_at
            clauses.append(deleted.is_not(None) if self.show_deleted else deleted.is_(None))
        words = self.words()
        long = [(w, spec.keys_for(w)) for w in words if len(w) >= search_index.MIN_WORD]
        # all the long words in one clause: the index intersects them itself
        match = search_index.words_match(self._engine, long) if indexed and long else None
        for word in words:
            if match is not None and len(word) >= search_index.MIN_WORD:
                continue
            clauses.append(like_word(spec.keys_for(word), word))
        if match is not None:
            clauses.append(match)
        for f in spec.filters:
            value = self._filters.get(f.key)
            if value is not None and value != "":
                clauses.append(f.apply(value))
        return clauses

    def words(self) -> list[str]:
        """The search's folded words."""
        return search_index.search_words(self._search)

    def _filtered(self, *columns: Any, indexed: bool = True) -> Any:
        spec = self.spec
        stmt = select(*columns).select_from(spec.from_clause())
        clauses = self._where(indexed)
        return stmt.where(and_(*clauses)) if clauses else stmt

    def _order(self) -> list[Any]:
        col = self.spec.columns[self._sort_column]
        desc = self._sort_order == Qt.SortOrder.DescendingOrder
        return [*(e.desc() if desc else e.asc() for e in col.sort_exprs()), self.spec.id_column]

    def id_query(self, indexed: bool = True) -> Any:
        """Every matching id, sorted (the first window adds LIMIT, the next ones OFFSET).
        `indexed=False`: the same rows, the words matched by LIKE instead of the index."""
        return self._filtered(self.spec.id_column, indexed=indexed).order_by(*self._order())

    def list_query(self) -> ListQuery:
        """What `window_lookup` needs to find a window without sorting every match."""
        spec = self.spec
        return ListQuery(
            engine=self._engine, filtered=self._filtered(spec.id_column, indexed=False),
            order=self._order(), key=spec.columns[self._sort_column].sort_exprs()[0],
            descending=self._sort_order == Qt.SortOrder.DescendingOrder,
            terms=[(w, spec.keys_for(w)) for w in self.words()],
            narrowed=self.show_deleted or any(
                self._filters.get(f.key) not in (None, "") for f in spec.filters))

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

    def _fetch_ids(self, offset: int, limit: int) -> list[Any]:
        # built before the session: both may ask the database which indices exist (on the
        # one connection of an in-memory database, inside a session's transaction, that
        # would begin a second one)
        plan = window_lookup.plan(self.list_query(), offset, limit) if self.adaptive else None
        stmt = self.id_query().limit(limit)
        if offset:
            stmt = stmt.offset(offset)
        self.last_path = "plain"
        with self._session() as session:
            if plan is not None:
                ids, self.last_path = window_lookup.first_ids(session, plan, offset, limit)
                if ids is not None:
                    return ids
            return list(session.execute(stmt).scalars())

    def refresh(self) -> None:
        self.beginResetModel()
        try:
            self._ids = self._fetch_ids(0, self.WINDOW)
        except SQLAlchemyError:
            # never a half-reset list: a query that fails shows an empty list (and is logged)
            log.exception("list query failed")
            self._ids = []
        finally:
            self._complete = len(self._ids) < self.WINDOW
            self._total = len(self._ids) if self._complete else None
            self._blocks.clear()
            self.endResetModel()

    def total(self) -> int | None:
        """The number of matching rows, None until counted (see `count_total`)."""
        return self._total

    def count_total(self) -> int:
        """Count the matching rows (one COUNT query; the list page runs it after a pause)."""
        if self._total is None:
            stmt = select(func.count()).select_from(self._filtered(self.spec.id_column)
                                                    .subquery())
            with self._session() as session:
                self._total = int(session.execute(stmt).scalar_one())
        return self._total

    def record_id(self, row: int) -> Any:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, record_id: Any) -> int:
        """The row of a record, loading further windows until it is found (after a save the
        saved record may lie beyond what the view has scrolled to)."""
        while True:
            try:
                return self._ids.index(record_id)
            except ValueError:
                if self._complete:
                    return -1
                self.fetchMore(QModelIndex())

    def ids(self) -> list[Any]:
        """Every matching id (loads all the remaining windows)."""
        while not self._complete:
            self.fetchMore(QModelIndex())
        return list(self._ids)

    def loaded(self) -> int:
        return len(self._ids)

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and not self._complete

    def fetchMore(self, parent: _Index) -> None:
        if parent.isValid() or self._complete:
            return
        size = min(max(self.WINDOW, len(self._ids)), self.MAX_WINDOW)
        more = self._fetch_ids(len(self._ids), size)
        self._complete = len(more) < size
        if self._complete:
            self._total = len(self._ids) + len(more)
        if more:
            first = len(self._ids)
            self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
            self._ids.extend(more)
            self.endInsertRows()

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
