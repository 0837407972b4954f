"""Reference data: administrative units, ethnic groups, plan lines and targets.

Units are data, never code: the current national list (since 1/7/2025) comes from the
`vietnam-provinces` package; other trees (the pre-2025 three-level tree, another province)
load from a CSV file. Codes were reused in 2025, so a unit is identified by its `id`, and a
code is looked up in the current era (`find_unit`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from htx_desktop.domain.catalogues import UnitLevel
from htx_desktop.domain.text import fold, nfc
from htx_desktop.i18n import t
from htx_desktop.resources import resource_path
from htx_desktop.store.errors import StoreError
from htx_desktop.store.models import Base, EthnicGroup, PlanLine, Target, Unit, UnitSuccessor

NATIONAL_SOURCE = "vietnam-provinces"
FILE_SOURCE = "file"
NATIONAL_VALID_FROM = date(2025, 7, 1)
_RANK = {UnitLevel.TINH.value: 0, UnitLevel.HUYEN.value: 1, UnitLevel.XA.value: 2}
_CODE_WIDTH = {UnitLevel.TINH.value: 2, UnitLevel.HUYEN.value: 3, UnitLevel.XA.value: 5}
UNIT_COLUMNS = ("code", "name", "level", "parent_code", "valid_from", "valid_to")


@dataclass
class _UnitRow:
    line: int
    code: str
    name: str
    level: str
    parent_code: str
    valid_from: date | None
    valid_to: date | None
    outside_parent_id: int | None = None  # a parent that is not in the same list


# --------------------------------------------------------------------------- lookups


def find_unit(session: Session, code: str) -> Unit | None:
    """The unit with this code in the current era (still valid, else the latest)."""
    stmt = (
        select(Unit)
        .where(Unit.code == code)
        .order_by(Unit.valid_to.is_(None).desc(), Unit.valid_from.desc().nulls_last())
        .limit(1)
    )
    return session.scalars(stmt).first()


def descendant_units(session: Session, unit_id: int, include_self: bool = True) -> list[Unit]:
    """The unit and every unit below it (any depth), ordered by code."""
    tree = select(Unit.id).where(Unit.id == unit_id).cte("tree", recursive=True)
    tree = tree.union_all(select(Unit.id).where(Unit.parent_id == tree.c.id))
    stmt = select(Unit).where(Unit.id.in_(select(tree.c.id))).order_by(Unit.code)
    if not include_self:
        stmt = stmt.where(Unit.id != unit_id)
    return list(session.scalars(stmt))


# --------------------------------------------------------------------------- units


def _new_unit(row: _UnitRow, source: str) -> Unit:
    return Unit(code=row.code, name=row.name, name_key=fold(row.name), level=row.level,
                valid_from=row.valid_from, valid_to=row.valid_to, source=source)


def _apply(unit: Unit, row: _UnitRow) -> None:
    unit.name, unit.name_key, unit.level = row.name, fold(row.name), row.level
    unit.valid_from, unit.valid_to = row.valid_from, row.valid_to


def _sync_units(session: Session, rows: list[_UnitRow], source: str) -> dict[str, Unit]:
    """Make the units of `source` exactly `rows` (parents listed before children).

    Units already there (same code and start date) are updated in place, so records that
    belong to them keep their unit. Returns the units by code.
    """
    existing = {(u.code, u.valid_from): u
                for u in session.scalars(select(Unit).where(Unit.source == source))}
    wanted = {(r.code, r.valid_from) for r in rows}
    _delete_units(session, [u for key, u in existing.items() if key not in wanted])
    by_code: dict[str, Unit] = {}
    # Level by level, so that each parent has its id before its children are written.
    for rank in sorted({_RANK[r.level] for r in rows}):
        for row in (r for r in rows if _RANK[r.level] == rank):
            unit = existing.get((row.code, row.valid_from))
            if unit is None:
                unit = _new_unit(row, source)
                session.add(unit)
            else:
                _apply(unit, row)
            parent = by_code.get(row.parent_code)
            unit.parent_id = parent.id if parent is not None else row.outside_parent_id
            by_code[row.code] = unit
        session.flush()
    return by_code


def _delete_units(session: Session, units: list[Unit]) -> None:
    """Delete units that left the list; refuse if records still belong to one of them."""
    if not units:
        return
    ids = [u.id for u in units]
    for table in Base.metadata.sorted_tables:
        if table.name in ("units", "unit_successors"):
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name != "units":
                continue
            used = session.scalar(
                select(fk.parent).where(fk.parent.in_(ids)).limit(1)
            )
            if used is not None:
                unit = next(u for u in units if u.id == used)
                raise StoreError(
                    t("Không thể bỏ đơn vị {code} – {name} khỏi danh sách: vẫn còn dữ liệu "
                      "thuộc đơn vị này.", code=unit.code, name=unit.name)
                )
    session.execute(delete(UnitSuccessor).where(
        UnitSuccessor.unit_id.in_(ids) | UnitSuccessor.successor_id.in_(ids)))
    session.execute(update(Unit).where(Unit.parent_id.in_(ids)).values(parent_id=None))
    session.execute(delete(Unit).where(Unit.id.in_(ids)))
    for unit in units:
        session.expunge(unit)


def _province_name(name: str, division_type: str) -> str:
    if name.startswith(("Tỉnh ", "Thành phố ")):
        return name
    return f"Thành phố {name}" if division_type.startswith("thành phố") else f"Tỉnh {name}"


def national_unit_rows() -> list[_UnitRow]:
    """The current national list (34 provinces, 3,321 communes and wards)."""
    from vietnam_provinces import Province, Ward  # imported on use: it loads a large table

    rows = [
        _UnitRow(0, f"{int(p.code):02d}", nfc(_province_name(p.name, p.division_type.value)),
                 UnitLevel.TINH.value, "", NATIONAL_VALID_FROM, None)
        for p in Province.iter_all()
    ]
    rows += [
        _UnitRow(0, f"{int(w.code):05d}", nfc(w.name), UnitLevel.XA.value,
                 f"{int(w.province_code):02d}", NATIONAL_VALID_FROM, None)
        for w in Ward.iter_all()
    ]
    return rows


def load_national_units(session: Session) -> int:
    """Load (or refresh) the current national list; returns the number of units."""
    return len(_sync_units(session, national_unit_rows(), NATIONAL_SOURCE))


def _read_csv(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) pairs of a UTF-8 CSV (with or without BOM) with these columns."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise StoreError(t("Không tìm thấy tệp {path}.", path=str(path))) from exc
    except UnicodeDecodeError as exc:
        raise StoreError(t("Tệp {name} không được lưu theo mã UTF-8.",
                           name=Path(path).name)) from exc
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in columns if c not in header]
    if missing:
        raise StoreError(t("Tệp {name} thiếu cột: {columns}.", name=Path(path).name,
                           columns=", ".join(missing)))
    reader.fieldnames = header
    for row in reader:
        values = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if any(values.values()):
            yield reader.line_num, values


def _parse_date(text: str, line: int) -> date | None:
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise StoreError(t("Dòng {line}: ngày “{text}” không hợp lệ (cần dạng YYYY-MM-DD).",
                       line=line, text=text))


def _parse_unit_rows(path: Path) -> list[_UnitRow]:
    rows: list[_UnitRow] = []
    first_line: dict[str, int] = {}
    for line, v in _read_csv(path, UNIT_COLUMNS):
        level = v["level"].lower()
        if level not in _RANK:
            raise StoreError(t("Dòng {line}: cấp “{level}” không hợp lệ (chỉ nhận tinh, huyen "
                               "hoặc xa).", line=line, level=v["level"]))
        code = v["code"]
        if not code:
            raise StoreError(t("Dòng {line}: thiếu mã đơn vị.", line=line))
        if code.isdigit():  # a spreadsheet may have dropped the leading zeros
            code = code.zfill(_CODE_WIDTH[level])
        if not v["name"]:
            raise StoreError(t("Dòng {line}: thiếu tên đơn vị.", line=line))
        if code in first_line:
            raise StoreError(t("Dòng {line}: mã đơn vị {code} bị trùng (đã có ở dòng {first}).",
                               line=line, code=code, first=first_line[code]))
        first_line[code] = line
        rows.append(_UnitRow(line, code, nfc(v["name"]), level, v["parent_code"],
                             _parse_date(v["valid_from"], line), _parse_date(v["valid_to"], line)))
    if not rows:
        raise StoreError(t("Tệp {name} không có đơn vị nào.", name=Path(path).name))
    return rows


def _resolve_parents(session: Session, rows: list[_UnitRow]) -> None:
    """Point each row at its parent: in the same file, else an existing unit of another list."""
    in_file = {r.code: r for r in rows}
    unpadded = {r.code.lstrip("0"): r.code for r in rows}
    for row in rows:
        if not row.parent_code:
            if row.level != UnitLevel.TINH.value:
                raise StoreError(t("Dòng {line}: đơn vị {code} thiếu mã đơn vị cấp trên.",
                                   line=row.line, code=row.code))
            continue
        code = row.parent_code
        code = code if code in in_file else unpadded.get(code.lstrip("0"), code)
        parent_rank: int
        if code in in_file:
            row.parent_code = code
            parent_rank = _RANK[in_file[code].level]
        else:
            outside = session.scalars(
                select(Unit).where(Unit.code == code, Unit.source != FILE_SOURCE)
                .order_by(Unit.valid_to.is_(None).desc(), Unit.valid_from.desc().nulls_last())
            ).first()
            if outside is None:
                raise StoreError(t("Dòng {line}: không tìm thấy đơn vị cấp trên có mã {code}.",
                                   line=row.line, code=row.parent_code))
            row.parent_code, row.outside_parent_id = "", outside.id
            parent_rank = _RANK.get(outside.level, -1)
        if parent_rank >= _RANK[row.level]:
            raise StoreError(t("Dòng {line}: đơn vị cấp trên {code} không ở cấp cao hơn.",
                               line=row.line, code=code))


def load_units_csv(session: Session, path: Path, successors_path: Path | None = None) -> int:
    """Replace the units loaded from a file with those of `path`; returns their number.

    Columns: code,name,level,parent_code,valid_from,valid_to (dates YYYY-MM-DD or empty).
    The optional successor file (code,successor_code) says which current unit each unit of
    this file became; successor codes are looked up outside this file. Any error refuses the
    whole file with a StoreError naming the line.
    """
    rows = _parse_unit_rows(Path(path))
    _resolve_parents(session, rows)
    links: list[tuple[str, int]] = []
    if successors_path is not None:
        links = _parse_successors(session, Path(successors_path), {r.code for r in rows})
    units = _sync_units(session, rows, FILE_SOURCE)
    ids = [u.id for u in units.values()]
    session.execute(delete(UnitSuccessor).where(UnitSuccessor.unit_id.in_(ids)))
    session.add_all(UnitSuccessor(unit_id=units[code].id, successor_id=successor)
                    for code, successor in dict.fromkeys(links))
    session.flush()
    return len(units)


def _parse_successors(session: Session, path: Path, codes: set[str]) -> list[tuple[str, int]]:
    links: list[tuple[str, int]] = []
    for line, v in _read_csv(path, ("code", "successor_code")):
        if v["code"] not in codes:
            raise StoreError(t("Tệp đơn vị kế thừa, dòng {line}: mã {code} không có trong danh "
                               "sách đơn vị vừa nạp.", line=line, code=v["code"]))
        successor = session.scalars(
            select(Unit).where(Unit.code == v["successor_code"], Unit.source != FILE_SOURCE)
            .order_by(Unit.valid_to.is_(None).desc(), Unit.valid_from.desc().nulls_last())
        ).first()
        if successor is None:
            raise StoreError(t("Tệp đơn vị kế thừa, dòng {line}: không tìm thấy đơn vị mới có mã "
                               "{code}.", line=line, code=v["successor_code"]))
        links.append((v["code"], successor.id))
    return links


# --------------------------------------------------------------------------- other lists


def load_ethnic_groups(session: Session) -> int:
    """The 54 ethnic groups with the codes of Decision 121-TCTK/PPCĐ (1979)."""
    existing = {g.code: g for g in session.scalars(select(EthnicGroup))}
    count = 0
    for _, v in _read_csv(resource_path("reference", "ethnic-groups.csv"), ("code", "name")):
        group = existing.get(v["code"]) or EthnicGroup(code=v["code"])
        group.name, group.code_list = nfc(v["name"]), "121-TCTK/PPCĐ"
        session.add(group)
        count += 1
    session.flush()
    return count


def load_plan_lines(session: Session) -> int:
    """The 34 activity lines of the plan's appendix."""
    columns = ("code", "group", "group_title", "number", "content", "lead_unit",
               "coordinating_units", "time_text", "year_from", "year_to")
    existing = {p.code: p for p in session.scalars(select(PlanLine))}
    count = 0
    for _, v in _read_csv(resource_path("reference", "plan-lines.csv"), columns):
        line = existing.get(v["code"]) or PlanLine(code=v["code"])
        line.group, line.group_title = v["group"], nfc(v["group_title"])
        line.number, line.content = int(v["number"]), nfc(v["content"])
        line.lead_unit, line.coordinating_units = nfc(v["lead_unit"]), nfc(v["coordinating_units"])
        line.time_text = nfc(v["time_text"])
        line.year_from, line.year_to = int(v["year_from"]), int(v["year_to"])
        session.add(line)
        count += 1
    session.flush()
    return count


def load_targets(session: Session, province_unit_id: int) -> int:
    """The province's targets (2025, 2030, and the yearly III.1 with year NULL)."""
    existing = {(tg.indicator, tg.year): tg for tg in session.scalars(
        select(Target).where(Target.unit_id == province_unit_id))}
    count = 0
    columns = ("code", "year", "value", "unit", "scope", "text")
    for _, v in _read_csv(resource_path("reference", "targets.csv"), columns):
        year = int(v["year"]) if v["year"].isdigit() else None  # "every year"
        target = existing.get((v["code"], year)) or Target(
            unit_id=province_unit_id, indicator=v["code"], year=year)
        target.value, target.unit_of_measure = float(v["value"]), v["unit"]
        target.text = nfc(v["text"])
        session.add(target)
        count += 1
    session.flush()
    return count


def load_reference(session: Session) -> None:
    """Everything that comes with the program, except the home unit's targets (idempotent)."""
    load_national_units(session)
    load_ethnic_groups(session)
    load_plan_lines(session)

