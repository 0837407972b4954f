"""Bring the rows of a workbook in through the record service, or show what that would do.

Every row is tried inside its own savepoint with the same validation and duplicate rules as
the forms (`store/service.py`), and ends created, updated (it matched an existing record:
a cooperative by tax code or folded name + commune, a person by folded name + birth year +
commune) or refused with a Vietnamese reason naming the row and the column. A dry run then
rolls the whole transaction back; a real run commits the good rows together, each with its
audit entry, or — if anything unexpected fails — nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from htx_desktop.i18n import t
from htx_desktop.sheets import handlers
from htx_desktop.sheets import mapping as mp
from htx_desktop.sheets.convert import Converter
from htx_desktop.sheets.errors import SheetError
from htx_desktop.sheets.reader import SheetRow, SheetTable, read_workbook
from htx_desktop.sheets.rows import RowOutcome, RowRun, Status, default_figures_year
from htx_desktop.store.engine import Database
from htx_desktop.store.retry import retry_or_tell
from htx_desktop.store.service import RecordService
from htx_desktop.store.settings import home_unit

STATUS_LABELS = {"created": "Tạo mới", "updated": "Cập nhật", "refused": "Từ chối"}


@dataclass
class ImportReport:
    path: str
    kind: str
    sheet: str
    header_row: int
    mapping: dict[int, str]
    outcomes: list[RowOutcome] = field(default_factory=list)
    skipped_totals: list[int] = field(default_factory=list)
    applied: bool = False
    # The year given to figures without their own year (kinds with yearly figures), and the
    # rows whose figures took it.
    figures_year: int | None = None
    figures_year_rows: list[int] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def figures_year_note(self) -> str:
        """The sentence that says which year figures without a year were taken as ("" when
        every row with figures gave its year)."""
        if self.figures_year is None or not self.figures_year_rows:
            return ""
        return t("{rows} dòng có số liệu nhưng không ghi năm: được tính là số liệu năm {year}.",
                 rows=len(self.figures_year_rows), year=self.figures_year)

    @property
    def all_refused(self) -> bool:
        return not any(o.status != "refused" for o in self.outcomes)

    def to_json(self) -> dict[str, Any]:
        return {"file": self.path, "kind": self.kind, "sheet": self.sheet,
                "header_row": self.header_row, "applied": self.applied,
                "counts": {s: self.count(s) for s in ("created", "updated", "refused")},
                "skipped_total_rows": self.skipped_totals,
                "rows": [{"row": o.row, "status": o.status, "record": o.record,
                          "reason": o.reason or None} for o in self.outcomes],
                # Added by issue 17 (the fields above keep their shape).
                "figures_year": self.figures_year,
                "figures_year_rows": self.figures_year_rows}


class _DryRun(Exception):
    """Raised at the end of a dry run so that the session rolls everything back."""


def read_for_import(path: Path, kind: str | None) -> tuple[SheetTable, str]:
    """The workbook's table and its kind (given, or recognised from the headers)."""
    table = read_workbook(path, (kind,) if kind else None)
    found = kind or mp.detect_kind(table.headers)
    if found is None:
        raise SheetError(t("Không nhận ra loại dữ liệu của tệp “{path}”. Hãy ghi rõ --kind.",
                           path=path))
    return table, found


def import_sheet(db: Database, path: Path, *, kind: str | None = None,
                 mapping: dict[int, str] | None = None, apply: bool = False,
                 officer: str = "", remember: bool = True,
                 figures_year: int | None = None) -> ImportReport:
    """Read, map and import (or preview, when `apply` is false) one workbook."""
    table, kind = read_for_import(path, kind)
    with db.session() as session:
        chosen = mapping if mapping is not None else mp.mapping_for(session, kind, table.headers)
    return import_table(db, table, kind, chosen, apply=apply, officer=officer,
                        remember=remember, path=str(path), figures_year=figures_year)


# The kinds whose rows carry a year's figures (a cooperative's members, workers, revenue …).
KINDS_WITH_FIGURES = ("cooperatives",)


# The years the import wizard offers for figures without a year, this year's first (the
# command line's --figures-year takes any year the forms take).
FIRST_FIGURES_YEAR_OFFERED = 2018


def figures_year_choices(today: date | None = None) -> list[int]:
    return list(range(default_figures_year(today), FIRST_FIGURES_YEAR_OFFERED - 1, -1))


def result_text(report: ImportReport) -> str:
    """What an import did, in a sentence or two (the window's result line)."""
    text = t("Đã nhập: tạo mới {created}, cập nhật {updated}.",
             created=report.count("created"), updated=report.count("updated"))
    if refused := report.count("refused"):
        text += " " + t("{refused} dòng bị từ chối không được nhập.", refused=refused)
    if report.figures_year_rows:
        text += " " + t("Số liệu năm {year} ở {rows} dòng không ghi năm.",
                        year=report.figures_year, rows=len(report.figures_year_rows))
    return text


def import_table(db: Database, table: SheetTable, kind: str, mapping: dict[int, str], *,
                 apply: bool, officer: str = "", remember: bool = True,
                 path: str = "", figures_year: int | None = None,
                 on_wait: Callable[[int], None] | None = None) -> ImportReport:
    """`figures_year`: the year of the figures in rows that do not give one (one choice for
    the whole sheet); by default the current year. A row is refused for what it says wrong,
    never for an empty cell that has a sensible default. Another writer holding the database
    is waited for (`on_wait` called before each pause); a lock that outlasts the wait raises
    OSFailure with the plain sentence, and nothing is written."""
    missing = mp.missing_required(kind, mapping)
    if missing:
        raise SheetError(t("Chưa chọn cột cho: {fields}. Hãy chỉ rõ cột nào chứa thông tin "
                           "này.", fields=", ".join(missing)))
    report = ImportReport(path, kind, table.sheet, table.header_row, dict(mapping),
                          skipped_totals=list(table.skipped_totals))
    if kind in KINDS_WITH_FIGURES:
        report.figures_year = figures_year or default_figures_year()

    def attempt() -> None:
        # The whole transaction, from scratch: run again while another writer holds the
        # database, so nothing of an earlier attempt is kept (store/retry.py).
        report.outcomes, report.figures_year_rows, report.applied = [], [], False
        try:
            with db.session() as session:
                home = home_unit(session)
                if home is None:
                    raise SheetError(t("Chưa chọn đơn vị sử dụng chương trình. "
                                       "Hãy chạy: htx-desktop init --unit MÃ_ĐƠN_VỊ"))
                run = RowRun(session, RecordService(session, officer or t("Nhập từ bảng tính")),
                             Converter(session, home.id), kind, mapping, table.headers)
                run.figures_year = report.figures_year or default_figures_year()
                outcomes = _all_rows(run, table.rows)
                done = {o.row for o in outcomes if o.status != "refused"}
                report.outcomes = outcomes
                report.figures_year_rows = [r for r in run.figures_year_rows if r in done]
                if not apply or report.all_refused:
                    raise _DryRun
                if remember:
                    mp.remember(session, kind, table.headers, mapping)
                report.applied = True
        except _DryRun:
            pass

    retry_or_tell(attempt, on_wait=on_wait)
    return report


def _all_rows(run: RowRun, rows: list[SheetRow]) -> list[RowOutcome]:
    """Every row through its kind's handler (`handlers.py`); an event's rows together."""
    if run.kind == "events":
        return handlers.events(run, rows)
    handler: Callable[[RowRun, SheetRow], tuple[Status, str]] = {
        "cooperatives": handlers.cooperative_row, "people": handlers.person_row,
        "jobs": handlers.job_row}[run.kind]
    return [run.attempt(row.number, partial(handler, run, row)) for row in rows]
