"""What a cell means: a date typed any of the usual ways, a unit by name or code, a label of a
closed list, a cooperative by tax code or name. A cell that means nothing raises `CellError`
naming its column; the importer turns that into the row's refusal.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from htx_desktop.domain import normalise as n
from htx_desktop.domain.text import fold
from htx_desktop.errors import Refusal
from htx_desktop.i18n import t
from htx_desktop.sheets.columns import Column
from htx_desktop.sheets.lists import CATALOGUES, bool_of, code_of, labels
from htx_desktop.sheets.reader import as_text
from htx_desktop.store.models import Cooperative, EthnicGroup, Unit
from htx_desktop.store.reference import descendant_units

EXCEL_EPOCH = date(1899, 12, 30)
_DMY = re.compile(r"([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]{2}|[0-9]{4})")
_UNIT_PREFIXES = ("xa ", "phuong ", "thi tran ", "dac khu ", "huyen ", "quan ", "thi xa ",
                  "thanh pho ", "tinh ")


class CellError(Refusal):
    """A cell whose value cannot be understood; `column` is its header, `user_message` what
    is wrong with it (the importer adds the row and the column)."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def parse_date(value: Any, today: date | None = None) -> date | Any | None:
    """A date from a real date, an Excel day number, or text: 12/03/2021, 12-3-21, 12.03.2021,
    2021-03-12. Two-digit years are this century unless that would be in the future.
    Anything else is returned unchanged (the caller refuses it)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 18000 <= value <= 80000:
        return EXCEL_EPOCH + timedelta(days=value)  # a date cell stored as its day number
    if not isinstance(value, str):
        return value
    text = value.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    match = _DMY.fullmatch(text)
    if not match:
        return value
    day, month, year = (int(g) for g in match.groups())
    if len(match.group(3)) == 2:
        now = (today or date.today()).year
        year += 2000 if 2000 + year <= now else 1900
    try:
        return date(year, month, day)
    except ValueError:
        return value


class Converter:
    """Turns the cells of one workbook into typed values, with the home unit's tree at hand."""

    def __init__(self, session: Session, home_unit_id: int, today: date | None = None) -> None:
        self.session = session
        self.today = today or date.today()
        self.units = descendant_units(session, home_unit_id, include_self=True)
        self._by_code = {u.code: u for u in self.units}
        self._by_name: dict[str, list[Unit]] = {}
        for u in self.units:
            for key in _unit_keys(u.name):
                self._by_name.setdefault(key, []).append(u)
        self._ethnic = {g.code: g.code for g in session.scalars(select(EthnicGroup))}
        for g in session.scalars(select(EthnicGroup)):
            self._ethnic[fold(g.name)] = g.code
        self.unit_ids = {u.id for u in self.units}

    def value(self, column: Column, raw: Any) -> Any:
        """The typed value of a cell of this column (None for a blank cell)."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        kind = column.type
        if kind == "text":
            return as_text(raw)
        if kind == "int":
            return n.clean_int(raw)
        if kind == "year":
            if isinstance(raw, date):
                return raw.year  # a date of birth where the year was asked for
            year = n.clean_int(raw)
            if isinstance(year, str):
                parsed = parse_date(year, self.today)
                return parsed.year if isinstance(parsed, date) else year
            return year
        if kind == "date":
            parsed = parse_date(raw, self.today)
            if not isinstance(parsed, date):
                raise CellError(column.header, t(
                    "«{value}» không phải là ngày. Hãy ghi theo dạng ngày/tháng/năm, "
                    "ví dụ 25/12/2024.", value=as_text(raw)))
            return parsed
        if kind == "bool":
            flag = bool_of(raw)
            if flag is None:
                raise CellError(column.header, t("«{value}» không phải Có hoặc Không.",
                                                 value=as_text(raw)))
            return flag
        if kind == "unit":
            return self.unit(column, raw).id
        if kind == "ethnicity":
            return self.ethnicity(column, raw)
        if kind in CATALOGUES:
            code = code_of(kind, as_text(raw))
            if code is None:
                raise CellError(column.header, t(
                    "«{value}» không có trong danh sách. Hãy chọn một trong: {choices}.",
                    value=as_text(raw), choices=", ".join(labels(kind))))
            return code
        if kind == "phone" and isinstance(raw, int) and len(str(raw)) == 9:
            return "0" + str(raw)  # the leading zero a number cell dropped
        if kind == "tax_code" and isinstance(raw, int) and len(str(raw)) == 9:
            return "0" + str(raw)
        return as_text(raw)

    def unit(self, column: Column, raw: Any) -> Unit:
        text = as_text(raw).strip()
        candidates: list[Unit] = []
        code = text.zfill(5) if text.isdigit() and len(text) > 2 else text
        if code in self._by_code:
            return self._by_code[code]
        for key in _unit_keys(text):
            candidates = self._by_name.get(key, [])
            if candidates:
                break
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            raise CellError(column.header, t(
                "Có nhiều đơn vị tên «{value}» ({codes}). Hãy ghi mã đơn vị thay cho tên.",
                value=text, codes=", ".join(u.code for u in candidates)))
        raise CellError(column.header, t(
            "Không có đơn vị «{value}» trong địa bàn của đơn vị sử dụng. Hãy chọn trong danh "
            "sách hoặc ghi mã đơn vị.", value=text))

    def ethnicity(self, column: Column, raw: Any) -> str:
        text = as_text(raw).strip()
        key = text.zfill(2) if text.isdigit() else fold(text)
        key = key[len("dan toc "):] if key.startswith("dan toc ") else key
        if key in self._ethnic:
            return self._ethnic[key]
        raise CellError(column.header, t(
            "Không có dân tộc «{value}» trong danh sách 54 dân tộc. Hãy chọn lại.", value=text))

    def cooperative(self, column: Column, name: Any, tax_code: Any = None,
                    near_unit: int | None = None) -> Cooperative:
        """An existing cooperative of the home unit's tree, by tax code, else by name (in the
        given commune first when the name is not unique)."""
        base = select(Cooperative).where(Cooperative.deleted_at.is_(None),
                                         Cooperative.unit_id.in_(self.unit_ids))
        if tax_code:
            code = n.clean_tax_code(as_text(tax_code))
            found = self.session.scalars(base.where(Cooperative.tax_code == code)).first()
            if found is not None:
                return found
        if name is None:
            raise CellError(column.header, t("Hãy ghi tên HTX/THT."))
        matches = list(self.session.scalars(
            base.where(Cooperative.name_key == fold(as_text(name)))))
        if len(matches) > 1 and near_unit is not None:
            matches = [c for c in matches if c.unit_id == near_unit] or matches
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise CellError(column.header, t(
                "Có nhiều HTX/THT tên «{value}». Hãy ghi thêm mã số thuế của HTX/THT.",
                value=as_text(name)))
        raise CellError(column.header, t(
            "Không tìm thấy HTX/THT «{value}». Hãy nhập HTX/THT trước (mẫu HTX/THT) "
            "rồi nhập lại dòng này.", value=as_text(name)))


def _unit_keys(name: str) -> list[str]:
    """A unit's folded name, and the name without its "Xã"/"Phường"… prefix."""
    key = fold(name)
    keys = [key]
    for prefix in _UNIT_PREFIXES:
        if key.startswith(prefix):
            keys.append(key[len(prefix):])
            break
    return keys
