"""The rules a record must meet before it is saved, with messages an officer can act on.

Free of SQLAlchemy and Qt: the record service (`store/service.py`), the spreadsheet import and
the window all call the same functions. Each `validate_<kind>(values, *, today)` takes the typed
values (keys as in `domain/fields.py`), normalises them with `clean(kind, values)` and returns
every problem found, never raising: an empty list means the values may be saved.

Rules that need the database (does the chosen person exist? is there already a cooperative with
this tax code?) are the service's; the rules here look at the values alone.

Every message is Vietnamese, names the field by its label, and says how to put it right. The
message templates are the keys of the English catalogue (`resources/translations/en.json`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from stdnum.exceptions import InvalidChecksum
from stdnum.vn import mst

from htx_desktop.domain import normalise as n
from htx_desktop.domain.catalogues import CoopStatus
from htx_desktop.domain.fields import EVENT_COUNT_KEYS, FIELDS, MAX_REF, MAX_TEXT, FieldSpec
from htx_desktop.errors import Refusal
from htx_desktop.i18n import t

EARLIEST = date(1950, 1, 1)
OCOP_FIRST_YEAR = 2018  # the OCOP programme's first ratings
PLAN_YEARS = (2023, 2030)  # the plan (Kế hoạch 138) runs over the scheme's two phases
OLDEST_BIRTH_YEAR = 1930
YOUNGEST_AGE = 15  # the minimum working age of the Labour Code


@dataclass(frozen=True)
class FieldError:
    """One problem with one field; `field` is the key, nested as "yearly[0].workers"."""

    field: str
    message: str


class ValidationError(Refusal):
    """Values refused by validation; `errors` lists every problem, `user_message` (and
    `str()`) all their messages, one a line."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(e.message for e in self.errors))


# --------------------------------------------------------------------------- message templates

REQUIRED = "Hãy nhập {label}: thông tin này không được để trống."
REQUIRED_CHOICE = "Hãy chọn {label}: thông tin này không được để trống."
NOT_TEXT = "{label} phải là chữ. Hãy nhập lại."
TOO_LONG = "{label} dài {length} ký tự, quá mức cho phép ({max} ký tự). Hãy rút gọn lại."
NOT_INT = "{label} phải là một số nguyên, ví dụ 12. Hãy nhập lại chỉ bằng chữ số."
NEGATIVE = "{label} ({value}) không được là số âm. Hãy nhập 0 hoặc một số lớn hơn."
TOO_BIG = "{label} ({value}) lớn bất thường. Hãy kiểm tra lại số đã nhập."
NOT_DATE = (
    "{label} không phải là ngày hợp lệ. Hãy nhập theo dạng ngày/tháng/năm, ví dụ 25/12/2024."
)
DATE_TOO_EARLY = "{label} ({value}) không được trước năm 1950. Hãy kiểm tra lại năm."
DATE_IN_FUTURE = "{label} ({value}) không được sau ngày hôm nay ({today}). Hãy kiểm tra lại ngày."
DATE_TOO_LATE = "{label} ({value}) không được sau ngày {latest}. Hãy kiểm tra lại năm."
NOT_BOOL = "{label} chỉ nhận giá trị Có hoặc Không. Hãy chọn lại."
NOT_REF = "{label} không đúng dạng. Hãy chọn lại trong danh sách."
UNKNOWN_CODE = "{label} «{value}» không có trong danh sách. Hãy chọn một trong: {choices}."
NOT_LIST = "{label} không đúng dạng danh sách. Hãy chọn lại."
NOT_RECORD = "Một dòng của {label} không đúng dạng. Hãy nhập lại dòng đó."
YEAR_RANGE = "{label} ({value}) phải từ {low} đến {high}. Hãy kiểm tra lại năm."
NOT_GREATER = "{label} ({value}) không được lớn hơn {other} ({limit}). Hãy kiểm tra lại hai số này."
DATES_ORDER = (
    "{label} ({value}) không được trước {other} ({limit}). Hãy kiểm tra lại hai ngày này."
)
TAX_FORMAT = (
    "Mã số thuế «{value}» không đúng dạng: cần 10 chữ số, hoặc 13 chữ số với mã chi nhánh "
    "(ví dụ 0100233488-001). Hãy đối chiếu với giấy chứng nhận đăng ký."
)
TAX_CHECKSUM = (
    "Mã số thuế «{value}» sai chữ số kiểm tra (chữ số thứ 10), có thể do gõ nhầm. "
    "Hãy đối chiếu với giấy chứng nhận đăng ký."
)
PHONE = (
    "Số điện thoại «{value}» không hợp lệ: cần 10 chữ số, bắt đầu bằng số 0 "
    "(ví dụ 0912 345 678). Hãy kiểm tra lại."
)
ID_NUMBER = (
    "Số CCCD/CMND «{value}» không hợp lệ: cần 12 chữ số (CCCD) hoặc 9 chữ số (CMND). "
    "Hãy kiểm tra lại."
)
ETHNICITY = "Mã dân tộc «{value}» không hợp lệ: cần mã từ 01 đến 54. Hãy chọn lại dân tộc."
STATUS_NEEDS_DATE = (
    "Trạng thái «{status}» cần có ngày chuyển trạng thái. Hãy nhập ngày chuyển trạng thái."
)
CONVERTED_NEEDS_HTX = (
    "Trạng thái «Đã chuyển thành HTX» cần biết HTX mà THT đã chuyển thành. Hãy chọn HTX đó."
)
ONLY_THT_CONVERTS = (
    "Chỉ THT mới có trạng thái «Đã chuyển thành HTX». "
    "Hãy chọn trạng thái khác hoặc đổi loại hình thành THT."
)
OVERRIDE_NEEDS_REASON = (
    "Hãy ghi lý do khi tự xác định HTX có tạo nhiều việc làm cho phụ nữ hay không "
    "(thay cho quy tắc chung của tỉnh)."
)
OCOP_STARS = "Số sao OCOP ({value}) phải là 3, 4 hoặc 5. Hãy chọn lại số sao."
DUPLICATE_YEAR = (
    "Số liệu năm {year} được nhập nhiều lần. Hãy gộp lại thành một dòng cho mỗi năm."
)
DUPLICATE_ATTENDEE = (
    "Một người chỉ được ghi một lần trong danh sách tham dự. Hãy bỏ dòng trùng."
)

# The label of the sum a female count may not exceed (female members and workers overlap, so
# their sum is an upper bound, not the exact number of women).
FEMALE_TOTAL = "tổng số thành viên nữ và lao động nữ"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _label(spec: FieldSpec, *, first: bool = True) -> str:
    label = t(spec.label)
    return _cap(label) if first else label


def _show(value: Any) -> str:
    """A value as the officer typed it, cut short so a message stays readable."""
    if isinstance(value, date):
        return n.format_date(value)
    try:
        text = str(value)
    except ValueError:  # an int too long for Python to print
        return "…"
    return text if len(text) <= 40 else text[:37] + "…"


def _error(field: str, template: str, **values: Any) -> FieldError:
    shown = {k: _show(v) if isinstance(v, int | date) else v for k, v in values.items()}
    return FieldError(field, t(template, **shown))


# --------------------------------------------------------------------------- cleaning

_CLEANERS: dict[str, Callable[[Any], Any]] = {
    "text": n.clean_text,
    "code": n.clean_code,
    "int": n.clean_int,
    "date": n.clean_date,
    "unit": n.clean_int,
    "ref": n.clean_text,
    "phone": n.clean_phone,
    "tax_code": n.clean_tax_code,
    "id_number": n.clean_digits,
}


def _clean_ethnicity(value: Any) -> Any:
    code = n.clean_text(value)
    if isinstance(code, str) and re.fullmatch(r"[0-9]", code):
        return "0" + code  # "5" typed for "05"
    return code


def _clean_codes(value: Any) -> Any:
    if not isinstance(value, list | tuple | set | frozenset):
        return value
    items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
    codes: list[Any] = []
    for item in items:
        code = n.clean_code(item)
        if code is not None and code not in codes:
            codes.append(code)
    return codes


def clean(kind: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values in their stored form: text NFC and trimmed (empty text is None), numbers and
    dates parsed from text, phones as ten digits, tax codes in standard form, code lists without
    repeats; nested lists cleaned item by item. Keys this kind does not know pass through
    unchanged, and so does anything that cannot be understood (validation reports it)."""
    specs = FIELDS[kind]
    out: dict[str, Any] = dict(values)
    if kind == "event" and isinstance(out.get("counts"), Mapping):
        counts = out.pop("counts")
        for key, column in EVENT_COUNT_KEYS.items():
            if key in counts:
                out[column] = counts[key]
    for name, spec in specs.items():
        if name not in out:
            continue
        value = out[name]
        if spec.kind == "codes":
            out[name] = _clean_codes(value)
        elif spec.kind == "ethnicity":
            out[name] = _clean_ethnicity(value)
        elif spec.kind == "items":
            if isinstance(value, list | tuple):
                out[name] = [
                    clean(spec.child, item) if isinstance(item, Mapping) else item
                    for item in value
                ]
        elif spec.kind in _CLEANERS:
            out[name] = _CLEANERS[spec.kind](value)
    return out


# --------------------------------------------------------------------------- field checks


def _latest(spec: FieldSpec, today: date) -> date:
    if spec.horizon == "past":
        return today
    years = 1 if spec.horizon == "plan" else 10
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + years, day=28)


def _check_field(field: str, spec: FieldSpec, value: Any, today: date) -> FieldError | None:
    """The first problem with one field's own value, or None."""
    if value is None or (isinstance(value, list | tuple) and not value and spec.required):
        if spec.required:
            template = REQUIRED_CHOICE if spec.kind in ("code", "unit", "ref") else REQUIRED
            return _error(field, template, label=_label(spec, first=False))
        return None
    label = _label(spec)
    kind = spec.kind
    if kind == "text":
        if not isinstance(value, str):
            return _error(field, NOT_TEXT, label=label)
        limit = spec.max_len or MAX_TEXT
        if len(value) > limit:
            return _error(field, TOO_LONG, label=label, length=len(value), max=limit)
    elif kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            return _error(field, NOT_INT, label=label)
        if value < 0:
            return _error(field, NEGATIVE, label=label, value=value)
        if value > spec.maximum:
            return _error(field, TOO_BIG, label=label, value=value)
    elif kind == "date":
        if not isinstance(value, date):
            return _error(field, NOT_DATE, label=label)
        if value < EARLIEST:
            return _error(field, DATE_TOO_EARLY, label=label, value=_show(value))
        latest = _latest(spec, today)
        if value > latest and spec.horizon == "past":
            return _error(field, DATE_IN_FUTURE, label=label, value=_show(value),
                          today=_show(today))
        if value > latest:
            return _error(field, DATE_TOO_LATE, label=label, value=_show(value),
                          latest=_show(latest))
    elif kind in ("bool", "optional_bool"):
        if not isinstance(value, bool):
            return _error(field, NOT_BOOL, label=label)
    elif kind == "code":
        return _check_code(field, spec, value)
    elif kind == "codes":
        if not isinstance(value, list | tuple):
            return _error(field, NOT_LIST, label=label)
        for item in value:
            problem = _check_code(field, spec, item)
            if problem:
                return problem
    elif kind == "unit":
        # A unit is a row id: anything outside a 64-bit integer cannot name one (and would
        # overflow the database driver instead of being refused).
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 2**63:
            return _error(field, NOT_REF, label=label)
    elif kind == "ref":
        if not isinstance(value, str) or len(value) > MAX_REF:
            return _error(field, NOT_REF, label=label)
    elif kind == "phone":
        if not isinstance(value, str) or n.normalise_phone(value) is None:
            return _error(field, PHONE, value=_show(value))
    elif kind == "tax_code":
        return _check_tax_code(field, value)
    elif kind == "id_number":
        if not (isinstance(value, str) and re.fullmatch(r"[0-9]{9}|[0-9]{12}", value)):
            return _error(field, ID_NUMBER, value=_show(value))
    elif kind == "ethnicity":
        if not (isinstance(value, str) and re.fullmatch(r"[0-9]{2}", value)
                and 1 <= int(value) <= 54):
            return _error(field, ETHNICITY, value=_show(value))
    elif kind == "items" and not isinstance(value, list | tuple):
        return _error(field, NOT_LIST, label=label)
    return None


def _check_code(field: str, spec: FieldSpec, value: Any) -> FieldError | None:
    assert spec.codes is not None
    allowed = {m.value for m in spec.codes}
    if isinstance(value, str) and value in allowed:
        return None
    choices = "; ".join(m.label for m in spec.codes)  # labels may hold commas
    return _error(field, UNKNOWN_CODE, label=_label(spec), value=_show(value), choices=choices)


def _check_tax_code(field: str, value: Any) -> FieldError | None:
    if not isinstance(value, str):
        return _error(field, TAX_FORMAT, value=_show(value))
    try:
        mst.validate(value)
    except InvalidChecksum:
        return _error(field, TAX_CHECKSUM, value=_show(value))
    except Exception:  # InvalidLength, InvalidFormat, InvalidComponent: all "wrong shape"
        return _error(field, TAX_FORMAT, value=_show(value))
    return None


# --------------------------------------------------------------------------- cross-field rules


class _Checker:
    """The cleaned values of one record, the errors found so far, and helpers for the rules
    that relate fields to one another. A rule only looks at fields whose own value passed."""

    def __init__(self, kind: str, values: dict[str, Any], today: date, prefix: str) -> None:
        self.specs = FIELDS[kind]
        self.values = values
        self.today = today
        self.prefix = prefix
        self.errors: list[FieldError] = []
        self.bad: set[str] = set()

    def field(self, name: str) -> str:
        return self.prefix + name

    def add(self, name: str, template: str, **values: Any) -> None:
        self.errors.append(_error(self.field(name), template, **values))
        self.bad.add(name)

    def get(self, name: str, kind: type) -> Any:
        """The value if it passed its own check and is of `kind`, else None."""
        value = self.values.get(name)
        if name in self.bad or not isinstance(value, kind) or isinstance(value, bool) != (
            kind is bool
        ):
            return None
        return value

    def label(self, name: str, *, first: bool = True) -> str:
        return _label(self.specs[name], first=first)

    def not_greater(self, name: str, other: str, limit: int | None, other_label: str) -> None:
        value = self.get(name, int)
        if value is not None and limit is not None and value > limit:
            self.add(name, NOT_GREATER, label=self.label(name), value=value,
                     other=other_label, limit=limit)

    def not_greater_than_field(self, name: str, other: str) -> None:
        self.not_greater(name, other, self.get(other, int), self.label(other, first=False))

    def dates_ordered(self, earlier: str, later: str) -> None:
        start, end = self.get(earlier, date), self.get(later, date)
        if start is not None and end is not None and end < start:
            self.add(later, DATES_ORDER, label=self.label(later), value=_show(end),
                     other=self.label(earlier, first=False), limit=_show(start))

    def year_between(self, name: str, low: int, high: int) -> None:
        year = self.get(name, int)
        if year is not None and not low <= year <= high:
            self.add(name, YEAR_RANGE, label=self.label(name), value=year, low=low, high=high)


def _cooperative_rules(c: _Checker) -> None:
    status = c.get("status", str)
    if status in (CoopStatus.SUSPENDED, CoopStatus.DISSOLVED, CoopStatus.CONVERTED) and (
        c.values.get("status_on") is None
    ):
        c.add("status_on", STATUS_NEEDS_DATE, status=CoopStatus(status).label)
    if status == CoopStatus.CONVERTED:
        if c.values.get("converted_to_id") is None:
            c.add("converted_to_id", CONVERTED_NEEDS_HTX)
        kind = c.get("kind", str)
        if kind is not None and kind != "tht":
            c.add("status", ONLY_THT_CONVERTS)
    if c.get("many_jobs_override", bool) is not None and c.values.get("many_jobs_reason") is None:
        c.add("many_jobs_reason", OVERRIDE_NEEDS_REASON)
    c.dates_ordered("founded_on", "registered_on")


def _yearly_rules(c: _Checker) -> None:
    c.year_between("year", EARLIEST.year, c.today.year)
    c.not_greater_than_field("members_female", "members")
    c.not_greater_than_field("workers_female", "workers")
    members_female, workers_female = c.get("members_female", int), c.get("workers_female", int)
    if members_female is not None and workers_female is not None:
        women = members_female + workers_female
        for name in ("female_stable_jobs", "female_ethnic_minority", "new_female_jobs"):
            c.not_greater(name, "workers_female", women, t(FEMALE_TOTAL))


def _ocop_rules(c: _Checker) -> None:
    stars = c.get("stars", int)
    if stars is not None and not 3 <= stars <= 5:
        c.add("stars", OCOP_STARS, value=stars)
    c.year_between("year", OCOP_FIRST_YEAR, c.today.year)


def _person_rules(c: _Checker) -> None:
    c.year_between("birth_year", OLDEST_BIRTH_YEAR, c.today.year - YOUNGEST_AGE)


def _event_rules(c: _Checker) -> None:
    c.dates_ordered("start", "end")
    for column in EVENT_COUNT_KEYS.values():
        if column != "count_total":
            c.not_greater_than_field(column, "count_total")


def _plan_status_rules(c: _Checker) -> None:
    c.year_between("year", *PLAN_YEARS)


_RULES: dict[str, Callable[[_Checker], None]] = {
    "cooperative": _cooperative_rules,
    "yearly_figures": _yearly_rules,
    "ocop_product": _ocop_rules,
    "management_position": lambda c: c.dates_ordered("start", "end"),
    "person": _person_rules,
    "cadre": lambda c: c.dates_ordered("active_from", "active_to"),
    "event": _event_rules,
    "job_placement": lambda c: c.dates_ordered("start", "end"),
    "plan_status": _plan_status_rules,
    "supervision_visit": lambda c: c.dates_ordered("on", "follow_up_due"),
}


def _item_set_rules(kind: str, name: str, items: list[dict[str, Any]], prefix: str,
                    ) -> list[FieldError]:
    """Rules over a nested list as a whole: one row per year, one line per attendee."""
    errors: list[FieldError] = []
    key = {("cooperative", "yearly"): "year", ("event", "attendance"): "person_id"}.get(
        (kind, name))
    if key is None:
        return errors
    seen: set[Any] = set()
    for i, item in enumerate(items):
        value = item.get(key)
        if value is None or not isinstance(value, int | str) or isinstance(value, bool):
            continue
        if value in seen:
            field = f"{prefix}{name}[{i}].{key}"
            if key == "year":
                errors.append(_error(field, DUPLICATE_YEAR, year=value))
            else:
                errors.append(_error(field, DUPLICATE_ATTENDEE))
        seen.add(value)
    return errors


def _validate(kind: str, values: Any, today: date, prefix: str = "") -> list[FieldError]:
    if not isinstance(values, Mapping):
        return [_error(prefix.rstrip("."), NOT_RECORD, label=t("bản ghi"))]
    cleaned = clean(kind, values)
    checker = _Checker(kind, cleaned, today, prefix)
    for name, spec in FIELDS[kind].items():
        problem = _check_field(checker.field(name), spec, cleaned.get(name), today)
        if problem is not None:
            checker.errors.append(problem)
            checker.bad.add(name)
    rules = _RULES.get(kind)
    if rules is not None:
        rules(checker)
    for name, spec in FIELDS[kind].items():
        items = cleaned.get(name)
        if spec.kind != "items" or name in checker.bad or not isinstance(items, list | tuple):
            continue
        for i, item in enumerate(items):
            item_prefix = f"{prefix}{name}[{i}]."
            if not isinstance(item, Mapping):
                checker.errors.append(_error(item_prefix.rstrip("."), NOT_RECORD,
                                             label=_label(spec, first=False)))
                continue
            checker.errors.extend(_validate(spec.child, item, today, item_prefix))
        mappings = [dict(item) for item in items if isinstance(item, Mapping)]
        checker.errors.extend(_item_set_rules(kind, name, mappings, prefix))
    return checker.errors


# --------------------------------------------------------------------------- public checks


def validate(kind: str, values: Mapping[str, Any], *, today: date) -> list[FieldError]:
    """Every problem with `values` as a record of `kind` (a key of `domain.fields.FIELDS`)."""
    return _validate(kind, values, today)


def validate_cooperative(values: Mapping[str, Any], *, today: date) -> list[FieldError]:
    return _validate("cooperative", values, today)


def validate_yearly_figures(values: Mapping[str, Any], *, today: date) -> list[FieldError]:
    return _validate("yearly_figures", values, today)


def validate_ocop_product(values: Mapping[str, Any], *, today: date) -> list[FieldError]:
    return _validate("ocop_product", values, today)


def validate_management_position(values: Mapping[str, Any], *, today: date
                                 ) -> list[FieldError]:
    return _validate("management_position", values, today)


def validate_person(values: Mapping[str, Any], *, today: date) -> list[FieldError]:
    return _validate("person", values, today)


def validate_cadre(values: Mapping[str, Any], *, today: date) -> list[FieldError]:
    return _validate("cadre", values, today)


def validate_event(values: Mapping[str, Any], *, today: date) -> list[FieldError]:
    return _validate("event", values, today)


def validate_job_placement(values: Mapping[str, Any], *, today: date) -> list[FieldError]:
    return _validate("job_placement", values, today)


def validate_support(values: Mapping[str, Any], *, today: date) -> list[FieldError]:
    return _validate("support", values, today)


def validate_communication(values: Mapping[str, Any], *, today: date) -> list[FieldError]:
    return _validate("communication", values, today)


def validate_award(values: Mapping[str, Any], *, today: date) -> list[FieldError]:
    return _validate("award", values, today)


def validate_plan_status(values: Mapping[str, Any], *, today: date) -> list[FieldError]:
    return _validate("plan_status", values, today)
