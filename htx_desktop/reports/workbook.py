"""The package's workbook (`bao-cao.xlsx`): standard sheets for people, one record a row.

Every sheet starts with HEADER_ROWS rows (title, what the sheet covers, column headings); a list
sheet then has exactly one row per record and nothing after it, so that a reader (or a test)
can count records as `max_row - HEADER_ROWS`. Totals live in the "Tổng hợp" sheet, not under
the lists. Which records a list holds:
- HTX (HTX and Liên hiệp HTX), THT, "Việc làm" (all kinds), "Cán bộ": every record of the
  package (stocks; their state is shown on the period's last day);
- "Sự kiện", "Hỗ trợ", "Vốn vay" (support of kind credit), "Truyền thông": records dated in the
  period (flows); "Nhóm ưu tiên", "Kế hoạch (chi tiết)": records of the period's years;
- "Tiến độ nộp báo cáo": one row per entry of `submissions`.
"Kế hoạch" is not a list but the printed summary of "Kế hoạch (chi tiết)" (one row per plan
line and year: units by status, the home unit's result); the detail prints its headings only.

People appear only under their pseudonymous ids. Text from records is written so that a
spreadsheet can never run it as a formula (see `_text`). Sheets are written in write-only mode:
a province's lists reach tens of thousands of rows (STACK-NOTES: 8× less memory).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from htx_desktop.domain.catalogues import (
    CadreLevel,
    CommunicationForm,
    CoopKind,
    CoopStatus,
    EventType,
    FundingSource,
    PlanStatus,
    PriorityGroup,
    Sector,
    SupportKind,
    Topic,
)
from htx_desktop.domain.coop_rules import figure_of_exact_year, figures_of_year, women_managed_on
from htx_desktop.domain.fields import FieldSpec
from htx_desktop.domain.kinds import KINDS
from htx_desktop.domain.records import COUNT_KEYS, CooperativeRec, Dataset
from htx_desktop.reports.sheet_print import apply as apply_print
from htx_desktop.reports.sheet_print import chars_per_line, lines_of, row_height
from htx_desktop.reports.sheet_print import plan as print_plan
from htx_desktop.reports.sheet_xml import (
    FORMULA_START,
    NO_LIMIT,
    CellStyles,
    Column,
    Percent,
    body_chunks,
    splice,
)
from htx_desktop.reports.wording import (
    PERCENT_CODES,
    fmt_date,
    indicator_text,
    phase_of,
    plan_lines,
    progress,
)

HEADER_ROWS = 3
SCHEME_START = date(2023, 1, 1)  # training before the scheme does not count (CT5, CT8, CT9)
COUNT_FMT = "#,##0"
# A year or a row number is not a quantity: no thousands separator ("2025", not "2.025").
PLAIN_FMT = "0"
# The cell holds the 0–100 figure of data.json; the format adds the sign (one decimal, a
# non-breaking space before "%", as the PDF writes it).
PERCENT_FMT = '0.0"\u00a0%"'
DATE_FMT = "DD/MM/YYYY"
_SUBMISSION_STATUS = {"missing": "Chưa nộp", "accepted": "Đã tiếp nhận",
                      "superseded": "Đã được thay thế"}


@dataclass(frozen=True)
class Col:
    """A column: its heading, width (Excel units) and number format; `key` columns lead and
    are repeated on every page of a sheet printed in column groups; `internal` columns (record
    ids) come last and are outside the print area; columns of one `group` print together."""

    title: str
    width: float
    fmt: str | None = None
    key: bool = False
    internal: bool = False
    group: str = ""


def _label(catalogue: Any, code: str | None) -> str:
    """Vietnamese label of a code; an unknown code (a newer program's) is shown as it is."""
    if code is None:
        return ""
    try:
        return str(catalogue(code).label)
    except ValueError:
        return code


def _labels(catalogue: Any, codes: Iterable[str]) -> str:
    return "; ".join(_label(catalogue, c) for c in codes)


def _yes(flag: bool | None) -> str:
    return "Có" if flag else "Không"


class _Writer:
    """Appends styled sheets to a write-only workbook.

    openpyxl writes each sheet's headings and everything around the rows; the rows themselves
    are written by `sheet_xml` when the workbook is saved (the fast path, see there), with the
    style ids of their kinds registered here beforehand."""

    def __init__(self, subtitle: str) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.wb = Workbook(write_only=True)
        self.wb.properties.creator = "htx-desktop"
        # The workbook's default font sets the unit of column widths (its digit's width): Times
        # New Roman (Liberation Serif, metric-compatible, where it is missing), as every cell
        # uses. With Calibri, a PC without it measures columns in a wider fallback font and
        # the print set-up chosen here no longer fits the page.
        from openpyxl.utils.indexed_list import IndexedList

        self.wb._fonts = IndexedList([Font(name="Times New Roman", sz=11, family=1)])
        self.subtitle = subtitle
        thin = Side(style="thin", color="808080")
        self.title_font = Font(name="Times New Roman", bold=True, size=13)
        self.head_font = Font(name="Times New Roman", bold=True, size=11)
        self.body_font = Font(name="Times New Roman", size=11)
        self.head_fill = PatternFill("solid", fgColor="DDE4EE")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.top = Alignment(vertical="top")
        self.head_align = Alignment(wrap_text=True, vertical="center", horizontal="center")
        self._style_ids: dict[tuple[str, str | None], int] = {}
        # Each sheet's body: its columns and rows, written at `save` (rows may be generators).
        self._bodies: list[tuple[Any, list[Column], Iterable[Sequence[Any]], list[int]]] = []

    def sheet(self, title: str, heading: str, cols: Sequence[Col],
              rows: Iterable[Sequence[Any]], note: str | None = None,
              headings_only: bool = False) -> None:
        """`headings_only`: the print area is the title, note and headings (a detail sheet
        kept for the screen, with a summary sheet printed instead: "Chi tiết — không in")."""
        from openpyxl.utils import get_column_letter

        ws = self.wb.create_sheet(title)
        # Write-only sheets take their layout before the first row.
        for i, col in enumerate(cols, start=1):
            ws.column_dimensions[get_column_letter(i)].width = col.width
        layout = print_plan([c.width for c in cols], keys=sum(1 for c in cols if c.key),
                            internal=sum(1 for c in cols if c.internal),
                            groups=[c.group or c.title for c in cols])
        # The headings stay in view; so do the number and name of a list printed in groups.
        ws.freeze_panes = f"{get_column_letter(layout.title_columns + 1)}{HEADER_ROWS + 1}"
        ws.print_title_rows = f"1:{HEADER_ROWS}"
        last_row = None
        if headings_only:
            last_row = HEADER_ROWS
        elif layout.printed < len(cols):  # the print area ends before the internal ids and
            rows = list(rows)  # needs the last row
            last_row = HEADER_ROWS + len(rows)
        apply_print(ws, layout, last_row)
        heading_lines = max(lines_of(c.title, chars_per_line(c.width, bold=True)) for c in cols)
        height = row_height(heading_lines)
        if height is not None:
            ws.row_dimensions[HEADER_ROWS].height = height

        title_cell = self._text_cell(ws, heading)
        title_cell.font = self.title_font
        ws.append([title_cell])
        ws.append([self._text_cell(ws, note or self.subtitle)])
        heads = []
        for col in cols:
            cell = self._text_cell(ws, col.title)
            cell.font, cell.fill, cell.border = self.head_font, self.head_fill, self.border
            cell.alignment = self.head_align
            heads.append(cell)
        ws.append(heads)
        columns = [Column(get_column_letter(i), CellStyles(
            text=self._style_id(ws, "text"), quoted=self._style_id(ws, "quoted"),
            date=self._style_id(ws, "date", DATE_FMT),
            number=self._style_id(ws, "number", col.fmt or COUNT_FMT),
            other=self._style_id(ws, "other"),
            percent=self._style_id(ws, "number", PERCENT_FMT)))
            for i, col in enumerate(cols, start=1)]
        # Row heights follow the printed columns' text (an unprinted one does not count).
        self._bodies.append((ws, columns, rows, [
            NO_LIMIT if c.internal else chars_per_line(c.width) for c in cols]))

    def _text_cell(self, ws: Any, text: str) -> Any:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        clean = ILLEGAL_CHARACTERS_RE.sub("", text)
        cell = WriteOnlyCell(ws, value=clean)
        if clean.startswith(FORMULA_START):
            # openpyxl makes "=…" a formula; force a plain string, and mark it quote-prefixed
            # so that Excel and Calc keep it text even when someone edits the cell.
            cell.data_type = "s"
            cell.quotePrefix = True
        return cell

    def _style_id(self, ws: Any, kind: str, fmt: str | None = None) -> int:
        """The workbook's id of a body cell's style: Times New Roman 11, thin grey border;
        text wrapped at the top (quote-prefixed when it looks like a formula), dates and
        numbers in their format. Registered before saving, as openpyxl writes the style table
        before the rows that use it."""
        key = (kind, fmt)
        if key not in self._style_ids:
            from openpyxl.cell import WriteOnlyCell

            cell = WriteOnlyCell(ws)
            if kind in ("text", "quoted"):
                cell.alignment = self.wrap
                cell.quotePrefix = kind == "quoted"
            else:
                cell.alignment = self.top  # level with the first line of wrapped text
                if fmt is not None:
                    cell.number_format = fmt
            cell.font, cell.border = self.body_font, self.border
            self._style_ids[key] = cell.style_id
        return self._style_ids[key]

    def save(self) -> bytes:
        skeleton = io.BytesIO()
        self.wb.save(skeleton)  # numbers the sheets: their part names are known from here on
        return splice(skeleton.getvalue(), {
            ws.path.lstrip("/"): body_chunks(HEADER_ROWS + 1, rows, columns, per_line)
            for ws, columns, rows, per_line in self._bodies})


def build_workbook(*, dataset: Dataset, indicators: Mapping[str, Any],
                   activity: Mapping[str, Any], unit: Mapping[str, Any], period_label: str,
                   period_start: date, period_end: date,
                   management_positions: Sequence[str],
                   targets: Mapping[tuple[str, int], float] | None = None,
                   submissions: Sequence[Mapping[str, Any]] | None = None,
                   with_submissions: bool = False) -> bytes:
    """The workbook as bytes. `with_submissions` adds the "Tiến độ nộp báo cáo" sheet (units
    with units below them), listing `submissions` (`submissions --json` entries)."""
    start, end = period_start, period_end
    w = _Writer(f"{unit['name']} — kỳ báo cáo {period_label} "
                f"({fmt_date(start)}–{fmt_date(end)})")
    units = {u.code: u.name for u in dataset.units}
    coops = {c.id: c for c in dataset.cooperatives}
    gender = {p.id: p.gender for p in dataset.people}

    def unit_name(code: str) -> str:
        return units.get(code, code)

    def coop_name(cid: str) -> str:
        return coops[cid].name if cid in coops else cid

    def in_period(d: date | None) -> bool:
        return d is not None and start <= d <= end

    _indicator_sheet(w, indicators, start, end, targets or {})
    years = range(start.year, end.year + 1)
    _summary_sheet(w, activity)
    coop_order = sorted(dataset.cooperatives,
                        key=lambda c: (unit_name(c.unit_code), c.name, c.id))
    for title, kinds in (("HTX", ("htx", "lhhtx")), ("THT", ("tht",))):
        rows = [_coop_row(c, end, unit_name(c.unit_code), gender, management_positions)
                for c in coop_order if c.kind in kinds]
        w.sheet(title, f"DANH SÁCH {title} (tình trạng ngày {fmt_date(end)})", COOP_COLS,
                _numbered(rows))

    # Grouped once: a scan of every placement per cooperative was quadratic (40 s of a
    # 24,000-cooperative export, docs/performance.md).
    jobs_of: dict[str, list[Any]] = {}
    for j in dataset.job_placements:
        if in_period(j.start):
            jobs_of.setdefault(j.cooperative, []).append(j)
    w.sheet("Việc làm", "VIỆC LÀM CHO LAO ĐỘNG NỮ THEO HTX, THT", JOB_COLS, _numbered(
        _job_row(c, end, unit_name(c.unit_code), jobs_of.get(c.id, []))
        for c in coop_order))
    prio = sorted((p for p in dataset.priority_counts if p.year in years),
                  key=lambda p: (unit_name(p.unit_code), p.year, p.group))
    w.sheet("Nhóm ưu tiên", "PHỤ NỮ THUỘC NHÓM ƯU TIÊN ĐƯỢC HỖ TRỢ, CÓ VIỆC LÀM (số lượng)",
            PRIORITY_COLS, _numbered(
                (unit_name(p.unit_code), p.year, _label(PriorityGroup, p.group),
                 p.women_supported, p.women_placed) for p in prio))

    events = sorted((e for e in dataset.events if in_period(e.start)),
                    key=lambda e: (e.start, e.id))
    w.sheet("Sự kiện", "TẬP HUẤN, HỘI NGHỊ, HỘI THẢO VÀ CÁC SỰ KIỆN TRONG KỲ", EVENT_COLS,
            _numbered(_event_row(e, unit_name(e.unit_code)) for e in events))
    support = sorted((s for s in dataset.support if in_period(s.on)),
                     key=lambda s: (s.on, s.id))
    w.sheet("Hỗ trợ", "HỖ TRỢ HTX, THT TRONG KỲ", SUPPORT_COLS, _numbered(
        (s.on, unit_name(s.unit_code), coop_name(s.cooperative), _label(SupportKind, s.kind),
         s.provider or "", s.lender or "", s.amount_vnd, s.plan_line or "") for s in support))
    w.sheet("Vốn vay", "HỖ TRỢ TIẾP CẬN VỐN VAY TRONG KỲ", LOAN_COLS, _numbered(
        (s.on, unit_name(s.unit_code), coop_name(s.cooperative), s.lender or "",
         s.amount_vnd) for s in support if s.kind == "credit"))
    comms = sorted((c for c in dataset.communications if in_period(c.on)),
                   key=lambda c: (c.on, c.id))
    w.sheet("Truyền thông", "HOẠT ĐỘNG TRUYỀN THÔNG TRONG KỲ", COMM_COLS, _numbered(
        (c.on, unit_name(c.unit_code), _label(CommunicationForm, c.form), c.topic, c.reach,
         c.plan_line or "") for c in comms))
    _plain_sheets(w, dataset, in_period, unit_name, coop_name)
    lines = plan_lines()
    plan = sorted((p for p in dataset.plan_status if p.year in years),
                  key=lambda p: (_line_key(p.line), unit_name(p.unit_code), p.year))
    other = any(p.status not in PLAN_COUNTED for p in plan)
    w.sheet(PLAN_SUMMARY, "TIẾN ĐỘ THỰC HIỆN CÁC NỘI DUNG CỦA KẾ HOẠCH (tổng hợp)",
            _plan_summary_cols(str(unit["name"]), other),
            _plan_summary_rows(plan, str(unit["code"]), lines, other),
            note=f"{w.subtitle}; số đơn vị theo tình trạng; từng đơn vị, từng năm: trang "
                 f"“{PLAN_DETAIL}” (không in)")
    w.sheet(PLAN_DETAIL, "TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH CỦA TỪNG ĐƠN VỊ, TỪNG NĂM",
            PLAN_COLS, _numbered(
                (p.line, unit_name(p.unit_code), p.year, _label(PlanStatus, p.status),
                 p.result or "", lines.get(p.line, "")) for p in plan),
            note=f"Chi tiết — không in: {len(plan):,} dòng, xem và lọc trên máy; bản in là "
                 f"trang “{PLAN_SUMMARY}”. ".replace(",", ".") + w.subtitle,
            headings_only=True)
    w.sheet("Cán bộ", "CÁN BỘ HỘI ĐƯỢC TẬP HUẤN (mã bí danh, không có họ tên)", CADRE_COLS,
            _numbered(_cadre_rows(dataset, end, unit_name)))
    if with_submissions:
        w.sheet("Tiến độ nộp báo cáo", "TIẾN ĐỘ NỘP BÁO CÁO CỦA CÁC ĐƠN VỊ CẤP DƯỚI",
                SUBMISSION_COLS, _numbered(
                    (str(s.get("code") or ""), str(s.get("name") or ""),
                     _SUBMISSION_STATUS.get(str(s.get("status")), str(s.get("status") or "")),
                     s.get("version"), str(s.get("received_at") or "")[:10],
                     "" if s.get("on_time") is None else _yes(bool(s.get("on_time"))))
                    for s in submissions or ()))
    return w.save()


def _plain_sheets(w: _Writer, dataset: Dataset, in_period: Callable[[date | None], bool],
                  unit_name: Callable[[str], str], coop_name: Callable[[str], str]) -> None:
    """One sheet per plain kind of domain/kinds.py (`columns` declared): its records dated in
    the period, one a row, every declared field a column headed by its label (fields.py)."""
    for k in KINDS:
        if not k.plain:
            continue
        specs = k.fields
        fields = [(attr, specs[column]) for attr, column in k.columns]
        day_attr = next(attr for attr, column in k.columns if column == k.lock_dates[0])
        records = sorted((r for r in dataset.records(k.json_key)
                          if in_period(getattr(r, day_attr))),
                         key=lambda r: (getattr(r, day_attr), r.id))
        cols = (Col("STT", 6, PLAIN_FMT), Col("Đơn vị", 20),
                *(Col(cap(spec.label), _plain_width(spec),
                      COUNT_FMT if spec.kind == "int" else None) for _attr, spec in fields))

        def cell(spec: FieldSpec, value: Any) -> Any:
            if spec.kind == "bool":
                return _yes(bool(value))
            if spec.kind == "ref":
                return coop_name(value) if value else ""
            if spec.kind == "code":
                return _label(spec.codes, value)
            return "" if value is None else value

        w.sheet(k.plural, f"{k.plural.upper()} TRONG KỲ", cols, _numbered(
            (unit_name(r.unit_code), *(cell(spec, getattr(r, attr)) for attr, spec in fields))
            for r in records))


def cap(label: str) -> str:
    return label[:1].upper() + label[1:]


def _plain_width(spec: FieldSpec) -> float:
    if spec.kind in ("date", "bool", "int"):
        return 12
    if spec.kind == "ref":
        return 30
    return 40 if spec.max_len == 0 or spec.max_len > 300 else 24


def _numbered(rows: Iterable[Sequence[Any]]) -> Iterable[list[Any]]:
    for i, row in enumerate(rows, start=1):
        yield [i, *row]


def _line_key(line: str) -> tuple[str, int]:
    group, _, number = line.partition(".")
    return group, int(number) if number.isdigit() else 0


# Counts without decimals; a percentage indicator's figures are `Percent`s (one decimal, "%").
INDICATOR_COLS = (Col("Mã", 6, key=True), Col("Chỉ tiêu", 52), Col("Kết quả kỳ báo cáo", 12),
                  Col("Tử số", 9), Col("Mẫu số", 9), Col("Lũy kế giai đoạn", 11),
                  Col("Chỉ tiêu giai đoạn", 11), Col("Chỉ tiêu 2025", 10),
                  Col("Chỉ tiêu 2030", 10), Col("Tỷ lệ đạt chỉ tiêu", 11, PERCENT_FMT))


def _pct(code: str, value: Any) -> Any:
    return Percent(value) if value is not None and code in PERCENT_CODES else value


def _indicator_sheet(w: _Writer, indicators: Mapping[str, Any], start: date, end: date,
                     targets: Mapping[tuple[str, int], float]) -> None:
    first, last = phase_of(end)
    rows = []
    for ind in indicators["indicators"]:
        code = str(ind["code"])
        text = indicator_text(code, end) + (" (%)" if code in PERCENT_CODES else "")
        done = progress(ind)
        rows.append((code, text, _pct(code, ind.get("value")), ind.get("numerator"),
                     ind.get("denominator"), ind.get("cumulative"),
                     _pct(code, ind.get("target")), _pct(code, targets.get((code, 2025))),
                     _pct(code, targets.get((code, 2030))),
                     None if done is None else Percent(done)))
    # The note stays within the printed width (text running past it adds an empty page).
    cols = (*INDICATOR_COLS[:5], Col(f"Lũy kế {first}–{last}", 11),
            Col(f"Chỉ tiêu giai đoạn {first}–{last}", 11), *INDICATOR_COLS[7:9],
            Col("Tỷ lệ đạt chỉ tiêu (trên lũy kế nếu có)", 11, PERCENT_FMT))
    w.sheet("Chỉ tiêu", "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CỦA ĐỀ ÁN", cols, rows)


# Printed in three groups of columns (record, characteristics, figures) with the row number
# and name on every page; the record id is not printed.
COOP_COLS = (Col("STT", 6, PLAIN_FMT, key=True), Col("Tên", 36, key=True),
             *(Col(t, w, f, group="hồ sơ") for t, w, f in (
                 ("Đơn vị", 20, None), ("Loại", 8, None), ("Mã số thuế", 13, None),
                 ("Ngày thành lập", 12, None), ("Tình trạng", 14, None),
                 ("Lĩnh vực", 22, None))),
             *(Col(t, w, group="đặc điểm") for t, w in (
                 ("Hội hỗ trợ thành lập", 10), ("Phụ nữ tham gia quản lý", 10),
                 ("Tạo nhiều việc làm cho LĐ nữ", 10), ("Sản phẩm OCOP", 26))),
             *(Col(t, w, f, group="số liệu") for t, w, f in (
                 ("Năm số liệu", 8, PLAIN_FMT), ("Thành viên", 9, None),
                 ("Thành viên nữ", 9, None), ("Lao động", 9, None), ("Lao động nữ", 9, None),
                 ("LĐ nữ có việc làm ổn định", 10, None), ("LĐ nữ DTTS", 9, None),
                 ("Việc làm mới cho nữ trong năm", 10, None), ("Doanh thu (đồng)", 15, None),
                 ("Thu nhập bình quân (đồng/người/tháng)", 14, None),
                 ("Nguồn số liệu", 14, None))),
             Col("Mã hồ sơ", 38, internal=True))


def _coop_row(c: CooperativeRec, end: date, unit_name: str, gender: Mapping[str, str | None],
              positions: Sequence[str]) -> tuple[Any, ...]:
    y = figures_of_year(c, end.year)
    ocop = "; ".join(f"{o.product} ({o.stars} sao, {o.year})"
                     for o in sorted(c.ocop, key=lambda o: (o.year, o.product)))
    source = {"cooperative": "HTX tự báo cáo", "alliance": "Liên minh HTX",
              "union_survey": "Hội LHPN khảo sát"}.get(y.source or "", y.source or "") if y else ""
    return (c.name, unit_name, _label(CoopKind, c.kind), c.tax_code or "",
            c.founded_on, _label(CoopStatus, c.status), _labels(Sector, c.sectors),
            _yes(c.union_supported), _yes(women_managed_on(c, end, positions, gender)),
            _yes(c.many_jobs_for_women), ocop, y.year if y else None,
            *((getattr(y, f) if y else None) for f in (
                "members", "members_female", "workers", "workers_female", "female_stable_jobs",
                "female_ethnic_minority")),
            figure_of_exact_year(c, end.year, "new_female_jobs"),
            y.revenue_vnd if y else None, y.avg_monthly_income_vnd if y else None, source, c.id)


JOB_COLS = (Col("STT", 6, PLAIN_FMT), Col("Đơn vị", 20), Col("HTX, THT", 32), Col("Loại", 10),
            Col("Năm số liệu", 8, PLAIN_FMT), Col("Lao động nữ", 10),
            Col("LĐ nữ có việc làm ổn định", 11),
            Col("LĐ nữ DTTS", 10), Col("Việc làm mới cho nữ trong năm", 11),
            Col("Phụ nữ được giới thiệu việc làm trong kỳ", 12),
            Col("Trong đó: việc làm mới", 11), Col("Trong đó: ổn định", 11))


def _job_row(c: CooperativeRec, end: date, unit_name: str, jobs: Sequence[Any]
             ) -> tuple[Any, ...]:
    y = figures_of_year(c, end.year)
    return (unit_name, c.name, _label(CoopKind, c.kind), y.year if y else None,
            y.workers_female if y else None, y.female_stable_jobs if y else None,
            y.female_ethnic_minority if y else None,
            figure_of_exact_year(c, end.year, "new_female_jobs"), len({j.person for j in jobs}),
            sum(1 for j in jobs if j.new_job), sum(1 for j in jobs if j.stable))


PRIORITY_COLS = (Col("STT", 6, PLAIN_FMT), Col("Đơn vị", 22), Col("Năm", 8, PLAIN_FMT),
                 Col("Nhóm ưu tiên", 32),
                 Col("Số phụ nữ được hỗ trợ", 14), Col("Số phụ nữ có việc làm", 14))

_COUNT_TITLES = {"total": "Tổng số", "female": "Nữ", "ethnic_minority": "DTTS",
                 "htx_managers": "Quản lý HTX", "members_workers": "TV, LĐ HTX/THT",
                 "cadres": "Cán bộ Hội", "union_members": "Hội viên"}
# Printed in groups (the event, its attendance, its funding) with the row number and title on
# every page.
EVENT_COLS = (Col("STT", 6, PLAIN_FMT, key=True), Col("Tên sự kiện", 44, key=True),
              *(Col(t, w, group="sự kiện") for t, w in (
                  ("Ngày bắt đầu", 11), ("Ngày kết thúc", 11), ("Loại", 13), ("Chủ đề", 24),
                  ("Dòng KH", 8), ("Đơn vị chủ trì", 16), ("Đơn vị", 18))),
              Col("Người dự có trong danh sách", 11, group="người dự"),
              *(Col(f"Người dự khác: {_COUNT_TITLES[k]}", 10, group="người dự")
                for k in COUNT_KEYS),
              Col("Tổng lượt người", 10, group="người dự"),
              *(Col(f"Kinh phí: {s.label} (đồng)", 14, group="kinh phí") for s in FundingSource),
              Col("Tổng kinh phí (đồng)", 15, group="kinh phí"))


def _event_row(e: Any, unit_name: str) -> tuple[Any, ...]:
    funding: dict[str, int] = {}
    for source, amount in e.funding:
        funding[source] = funding.get(source, 0) + amount
    return (e.title, e.start, e.end, _label(EventType, e.type), _labels(Topic, e.topics),
            e.plan_line or "", e.lead_unit or "", unit_name, len(e.attendance),
            *(e.count(k) for k in COUNT_KEYS), len(e.attendance) + e.count("total"),
            *(funding.get(s.value, 0) for s in FundingSource), sum(funding.values()))


SUPPORT_COLS = (Col("STT", 6, PLAIN_FMT), Col("Ngày", 12), Col("Đơn vị", 20), Col("HTX, THT", 30),
                Col("Hình thức hỗ trợ", 26), Col("Đơn vị hỗ trợ", 20),
                Col("Tổ chức cho vay", 20), Col("Số tiền (đồng)", 15), Col("Dòng KH", 8))
LOAN_COLS = (Col("STT", 6, PLAIN_FMT), Col("Ngày", 12), Col("Đơn vị", 20), Col("HTX, THT", 32),
             Col("Tổ chức cho vay", 26), Col("Số tiền vay (đồng)", 16))
COMM_COLS = (Col("STT", 6, PLAIN_FMT), Col("Ngày", 12), Col("Đơn vị", 20), Col("Hình thức", 22),
             Col("Chủ đề", 58), Col("Số lượt tiếp cận", 12), Col("Dòng KH", 8))
# "Kế hoạch" prints a summary per line and year; "Kế hoạch (chi tiết)", one row per unit,
# line and year, prints its headings only (a province's is ~9,500 rows, 329 pages). A line's
# content, the same on each of its rows, is last there and outside the print area.
PLAN_COLS = (Col("STT", 6, PLAIN_FMT), Col("Dòng KH", 8), Col("Đơn vị", 20),
             Col("Năm", 8, PLAIN_FMT), Col("Tình trạng", 16), Col("Kết quả", 80),
             Col("Nội dung", 60, internal=True))
PLAN_SUMMARY, PLAN_DETAIL = "Kế hoạch", "Kế hoạch (chi tiết)"
# Counted per plan line and year, in this order (a newer program's code: "tình trạng khác").
PLAN_COUNTED = ("done", "in_progress", "not_started")


def _plan_summary_cols(home_name: str, other: bool) -> tuple[Col, ...]:
    # Landscape A4 at 100 % with a little room (at the limit, Calc printed two pages wide);
    # a newer program's status takes its width from the result.
    return (Col("Dòng KH", 6), Col("Nội dung", 52), Col("Năm", 6, PLAIN_FMT),
            *(Col(f"Số đơn vị {_label(PlanStatus, s).lower()}", 9) for s in PLAN_COUNTED),
            *((Col("Số đơn vị tình trạng khác", 9),) if other else ()),
            Col(f"Kết quả của {home_name}", 40 if other else 50))


def _plan_summary_rows(plan: Sequence[Any], home: str, lines: Mapping[str, str], other: bool
                       ) -> list[tuple[Any, ...]]:
    """Per plan line and year: how many units' rows are of each status (`other`: a column
    for codes of a newer program), and the home unit's own result; a line's content on its
    first year's row only (the same on every year's)."""
    width = len(PLAN_COUNTED) + other
    counts: dict[tuple[str, int], list[int]] = {}
    results: dict[tuple[str, int], str] = {}
    for p in plan:
        n = counts.setdefault((p.line, p.year), [0] * width)
        n[PLAN_COUNTED.index(p.status) if p.status in PLAN_COUNTED else -1] += 1
        if p.unit_code == home and p.result:
            results[(p.line, p.year)] = p.result
    rows: list[tuple[Any, ...]] = []
    for line, year in sorted(counts, key=lambda k: (_line_key(k[0]), k[1])):
        first = not rows or rows[-1][0] != line
        rows.append((line, lines.get(line, "") if first else "", year, *counts[(line, year)],
                     results.get((line, year), "")))
    return rows


CADRE_COLS = (Col("STT", 6, PLAIN_FMT), Col("Đơn vị", 20), Col("Cấp", 10), Col("Chức vụ", 30),
              Col("Phụ trách KTTT, HTX", 10), Col("Đang công tác cuối kỳ", 10),
              Col("Được tập huấn kiến thức KTTT, HTX", 12),
              Col("Được bồi dưỡng kỹ năng tuyên truyền, vận động", 14),
              Col("Được tập huấn quản trị, phương án kinh doanh", 14),
              Col("Mã cán bộ", 38, internal=True), Col("Mã người (bí danh)", 38, internal=True))
SUBMISSION_COLS = (Col("STT", 6, PLAIN_FMT), Col("Mã đơn vị", 10), Col("Tên đơn vị", 30),
                   Col("Tình trạng", 16), Col("Phiên bản", 9), Col("Ngày nhận", 12),
                   Col("Đúng hạn", 9))


def _cadre_rows(dataset: Dataset, end: date, unit_name: Any) -> Iterable[tuple[Any, ...]]:
    trained: dict[str, set[str]] = {}
    for e in dataset.events:
        if SCHEME_START <= e.start <= end:
            for topic in e.topics:
                trained.setdefault(topic, set()).update(p for p, _r in e.attendance)
    for c in sorted(dataset.cadres, key=lambda c: (unit_name(c.unit_code), c.id)):
        yield (unit_name(c.unit_code), _label(CadreLevel, c.level), c.position,
               _yes(c.kttt_assigned), _yes(c.active_on(end)),
               *(_yes(c.person in trained.get(t, set()))
                 for t in ("kttt_knowledge", "advocacy_skills", "management")), c.id, c.person)


SUMMARY_COLS = (Col("Nội dung", 52), Col("Số lượng", 12), Col("Số người / lượt", 14),
                Col("Số tiền (đồng)", 16))


def _summary_sheet(w: _Writer, activity: Mapping[str, Any]) -> None:
    """Totals by kind, from the activity figures (domain.activity.activity_figures)."""
    rows: list[tuple[Any, ...]] = []

    def section(title: str) -> None:
        rows.append((title.upper(), None, None, None))

    ev = activity.get("events") or {}
    section("Sự kiện theo loại (số sự kiện; lượt người dự)")
    for kind, block in (ev.get("by_type") or {}).items():
        rows.append((_label(EventType, kind), block.get("count"), block.get("person_times"),
                     None))
    rows.append(("Tổng số", ev.get("count"), ev.get("person_times"), None))
    section("Kinh phí tổ chức sự kiện theo nguồn")
    for source, amount in (ev.get("funding_vnd") or {}).items():
        rows.append((_label(FundingSource, source), None, None, amount))
    sup = activity.get("support") or {}
    section("Hỗ trợ HTX, THT theo hình thức (lượt hỗ trợ; số HTX, THT)")
    for kind, block in (sup.get("by_kind") or {}).items():
        rows.append((_label(SupportKind, kind), block.get("count"), block.get("cooperatives"),
                     block.get("amount_vnd")))
    loans = activity.get("loans") or {}
    section("Vốn vay theo tổ chức cho vay (số khoản vay)")
    for lender, block in (loans.get("by_lender") or {}).items():
        rows.append((lender or "Không rõ", block.get("count"), None, block.get("amount_vnd")))
    comms = activity.get("communications") or {}
    section("Truyền thông theo hình thức (số hoạt động; lượt tiếp cận)")
    for form, block in (comms.get("by_form") or {}).items():
        rows.append((_label(CommunicationForm, form), block.get("count"), block.get("reach"),
                     None))
    section("Sản phẩm OCOP còn hiệu lực theo số sao")
    for stars, n in ((activity.get("ocop") or {}).get("by_stars") or {}).items():
        rows.append((f"{stars} sao", n, None, None))
    jobs = activity.get("job_placements") or {}
    section("Giới thiệu việc làm cho phụ nữ theo nhóm ưu tiên (hỗ trợ; có việc làm)")
    for group, block in (jobs.get("by_priority_group") or {}).items():
        rows.append((_label(PriorityGroup, group), block.get("women_supported"),
                     block.get("women_placed"), None))
    # The plan lines, their wording and progress are the "Kế hoạch" sheet's.
    w.sheet("Tổng hợp", "TỔNG HỢP HOẠT ĐỘNG TRONG KỲ", SUMMARY_COLS, rows)
