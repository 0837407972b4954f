"""One pass over a workbook's rows inside one session: the state every row handler shares
(`RowRun`), what a row became (`RowOutcome`) and a row's refusal (`RowRefused`).

Below both `importer.py` (which reads the workbook, runs the pass and reports) and `handlers.py`
(what one row of each kind becomes in the record service's terms), so that neither imports the
other's privates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy.orm import Session

from htx_desktop.domain.validation import ValidationError
from htx_desktop.errors import Refusal
from htx_desktop.i18n import t
from htx_desktop.sheets.columns import COLUMNS, Column
from htx_desktop.sheets.convert import CellError, Converter
from htx_desktop.sheets.reader import SheetRow
from htx_desktop.store.errors import StoreError
from htx_desktop.store.service import DuplicateError, RecordService

Status = Literal["created", "updated", "refused"]

# Service field → sheet column key, where the names differ (for naming the column at fault).
FIELD_COLUMNS: dict[str, dict[str, str]] = {
    "cooperatives": {"unit_id": "commune", "sectors": "sector"},
    "people": {"unit_id": "commune", "ethnicity_code": "ethnicity", "positions": "position",
               "start": "position_start", "person_id": "full_name"},
    "events": {"unit_id": "unit", "type": "event_type", "attendance": "attendee_name",
               "full_name": "attendee_name", "birth_year": "attendee_birth_year",
               "gender": "attendee_gender", "role": "attendee_role"},
    "jobs": {"unit_id": "commune", "person_id": "full_name", "cooperative_id": "coop_name"},
}


@dataclass
class RowOutcome:
    row: int
    status: Status
    record: str = ""
    reason: str = ""


class RowRefused(Refusal):
    """A row refused with a reason already worded for the officer."""


def default_figures_year(today: date | None = None) -> int:
    """The year figures without their own year are taken as: the current year's."""
    return (today or date.today()).year


class RowRun:
    """One pass over the rows inside one session."""

    def __init__(self, session: Session, service: RecordService, conv: Converter, kind: str,
                 mapping: dict[int, str], headers: list[str]) -> None:
        self.session, self.service, self.conv, self.kind = session, service, conv, kind
        self.columns = {c.key: c for c in COLUMNS[kind]}
        self.index = {key: i for i, key in mapping.items()}
        self.headers = headers
        self.figures_year = default_figures_year()
        self.figures_year_rows: list[int] = []  # rows whose figures took figures_year

    def attempt(self, number: int, work: Callable[[], tuple[Status, str]]) -> RowOutcome:
        """Run one row's work in a savepoint; a refusal rolls back only that row."""
        try:
            with self.session.begin_nested():
                status, record = work()
            return RowOutcome(number, status, record)
        except CellError as exc:
            return RowOutcome(number, "refused", reason=self.where(number, exc.column,
                                                                    exc.user_message))
        except ValidationError as exc:
            return RowOutcome(number, "refused", reason="\n".join(
                self.where(number, self.column_of(e.field), e.message) for e in exc.errors))
        except (RowRefused, DuplicateError, StoreError) as exc:
            return RowOutcome(number, "refused", reason=t("Dòng {row}: {message}",
                                                          row=number, message=str(exc)))

    def where(self, number: int, column: str | None, message: str) -> str:
        if column is None:
            return t("Dòng {row}: {message}", row=number, message=message)
        return t("Dòng {row}, cột «{column}»: {message}", row=number, column=column,
                 message=message)

    def column_of(self, field_name: str) -> str | None:
        """The header of the column a service field came from ("yearly[0].workers" →
        the workers column)."""
        leaf = field_name.rsplit(".", 1)[-1]
        key = FIELD_COLUMNS.get(self.kind, {}).get(field_name.split("[")[0], leaf)
        key = FIELD_COLUMNS.get(self.kind, {}).get(leaf, key)
        column = self.columns.get(key)
        if column is None:
            return None
        index = self.index.get(column.key)
        if index is not None and index < len(self.headers) and self.headers[index]:
            return self.headers[index]
        return column.header

    def cell(self, row: SheetRow, key: str) -> Any:
        """The typed value of a column in this row (None when unmapped or blank)."""
        index = self.index.get(key)
        if index is None:
            return None
        column: Column = self.columns[key]
        try:
            return self.conv.value(column, row.get(index))
        except CellError as exc:
            header = self.headers[index] if index < len(self.headers) else ""
            raise CellError(header or exc.column, exc.user_message) from exc

    def raw(self, row: SheetRow, key: str) -> Any:
        index = self.index.get(key)
        return None if index is None else row.get(index)

    def cells(self, row: SheetRow, mapping: dict[str, str]) -> dict[str, Any]:
        """{field: value} for the given {column key: field}, blanks left out (an update keeps
        what the sheet does not say)."""
        out = {}
        for key, name in mapping.items():
            value = self.cell(row, key)
            if value is not None:
                out[name] = value
        return out
