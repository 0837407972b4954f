"""A pasted sign-in sheet, read line by line and matched to the people already registered.

The lines come from Excel (tab-separated), Word tables, or a Zalo message ("1. Nguyễn Thị
Hoa - 1985 - Tân Cương"): one person a line, the name and, where present, birth year, commune,
phone and role, in any column order. `split_sheet` cuts the text into cells, `guess_columns`
proposes what each column holds (the officer confirms or changes it once), `read_lines` turns
the cells into `PastedLine`s, and `match_lines` decides for each line: one person matched, a
new person, a choice among namesakes, a repeat of an earlier line, a person already on the
event's list, or a line that cannot be used (no name, legacy encoding not yet converted).

Matching (`match_key`): composed or decomposed text, old or new tone placement and case do not
matter; diacritics do ("Hoa" and "Hòa" are two names), except when the line has none at all
(typed without marks: every person whose folded name is the same is a candidate). A phone
that matches one candidate decides; birth year and commune narrow the candidates.

Qt-free, and free of the database: the caller gives the people whose folded name is among the
lines' (`folded_names`), as `PersonInfo`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from htx_desktop.domain.catalogues import AttendanceRole
from htx_desktop.domain.text import fold, has_diacritics, match_key, nfc
from htx_desktop.domain.vn_legacy import Encoding, detect

NAME, BIRTH_YEAR, COMMUNE, PHONE, ROLE, SKIP = (
    "name", "birth_year", "commune", "phone", "role", "skip")
COLUMN_KINDS: tuple[str, ...] = (NAME, BIRTH_YEAR, COMMUNE, PHONE, ROLE, SKIP)
COLUMN_LABELS: dict[str, str] = {
    NAME: "Họ và tên", BIRTH_YEAR: "Năm sinh", COMMUNE: "Xã/phường", PHONE: "Điện thoại",
    ROLE: "Vai trò", SKIP: "(bỏ qua)"}
NEW = "__new__"  # the choice "create a new person from this line"

# Header words (folded) → the column they name.
_HEADERS: dict[str, str] = {
    "ho va ten": NAME, "ho ten": NAME, "ten": NAME, "hoc vien": NAME, "dai bieu": NAME,
    "nam sinh": BIRTH_YEAR, "ns": BIRTH_YEAR, "sinh nam": BIRTH_YEAR,
    "xa": COMMUNE, "xa/phuong": COMMUNE, "xa phuong": COMMUNE, "dia chi": COMMUNE,
    "don vi": COMMUNE, "phuong": COMMUNE,
    "dien thoai": PHONE, "sdt": PHONE, "so dien thoai": PHONE, "dt": PHONE, "sđt": PHONE,
    "vai tro": ROLE, "chuc vu": ROLE, "thanh phan": ROLE,
    "stt": SKIP, "tt": SKIP, "ky ten": SKIP, "chu ky": SKIP, "ghi chu": SKIP,
}
_YEAR = re.compile(r"^(19[2-9]\d|20[0-2]\d)$")
_PHONE = re.compile(r"^(\+?84|0)[\d .]{8,12}$")
_TRAILING_PHONE = re.compile(r"(?:^|\s)((?:\+84|0)(?:[ .]?\d){8,10})[\s.,;]*$")
_TRAILING_YEAR = re.compile(r"(?:^|\s)(19[2-9]\d|20[0-2]\d)[\s.,;)]*$")
_NUMBERING = re.compile(r"^\s*\d{1,3}\s*[.)/-]?\s+(?=\D)")
_COMMUNE_PREFIX = re.compile(r"^(xa|phuong|thi tran|tt)\s+")
# Separators tried for a whole sheet, first to last (a tab is Excel and Word tables).
_SEPARATORS = ("\t", ";", " - ", " – ", ",", "|")


@dataclass(frozen=True)
class PersonInfo:
    """One registered person as the matching and the preview show her."""

    id: str
    full_name: str
    birth_year: int | None
    unit_id: int | None
    commune: str
    phone: str | None = None


def person_label(full_name: str, birth_year: int | None, commune: str | None) -> str:
    """How a person is shown wherever namesakes must be told apart:
    "Bàn Thị Hải (1987, Xã Tân Cương)"."""
    extra = ", ".join(x for x in (str(birth_year) if birth_year else "", commune or "") if x)
    return f"{full_name} ({extra})" if extra else full_name


def label_of(person: PersonInfo) -> str:
    return person_label(person.full_name, person.birth_year, person.commune)


@dataclass
class PastedLine:
    number: int  # 1-based, among the lines kept (not counting the header)
    raw: str
    name: str = ""
    birth_year: int | None = None
    commune: str | None = None
    phone: str | None = None
    role: str | None = None  # an AttendanceRole code
    legacy: Encoding | None = None  # the line looks typed in a legacy encoding


@dataclass
class LineMatch:
    line: PastedLine
    unit_id: int | None = None  # the commune the line names, when found
    candidates: list[PersonInfo] = field(default_factory=list)
    choice: str | None = None  # a person id, NEW, or None (still to choose)
    problem: str | None = None  # why the line cannot be used
    duplicate_of: int | None = None  # the earlier line number holding the same person
    in_event: bool = False  # the chosen person is already on the event's list

    @property
    def status(self) -> str:
        """error, duplicate, in_event, choose, new or matched."""
        if self.problem:
            return "error"
        if self.duplicate_of is not None:
            return "duplicate"
        if self.in_event:
            return "in_event"
        if self.choice is None:
            return "choose"
        return "new" if self.choice == NEW else "matched"

    @property
    def usable(self) -> bool:
        return self.status in ("new", "matched")

    def chosen(self) -> PersonInfo | None:
        return next((p for p in self.candidates if p.id == self.choice), None)


# ------------------------------------------------------------------ cutting the text

def _lines(text: str) -> list[str]:
    return [ln for ln in nfc(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
            if ln.strip()]


def separator_of(lines: Sequence[str]) -> str | None:
    """The separator used by (at least half of) the lines, or None: one name a line."""
    for sep in _SEPARATORS:
        if sum(sep in ln for ln in lines) * 2 >= len(lines) > 0:
            return sep
    return None


def split_sheet(text: str) -> list[list[str]]:
    """The non-empty lines of `text`, each as its cells (trimmed)."""
    lines = _lines(text)
    sep = separator_of(lines)
    rows = []
    for ln in lines:
        cells = [c.strip() for c in (ln.split(sep) if sep else [ln])]
        if sep is None or len(cells) == 1:
            cells = _cells_of_free_text(cells[0] if sep else ln.strip())
        rows.append(cells)
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def _cells_of_free_text(text: str) -> list[str]:
    """A line without separators: the leading number dropped, a year and a phone taken off the
    end ("Nguyễn Thị Hoa 1985 0912345678" → name, year, phone)."""
    text = _NUMBERING.sub("", text).strip()
    year = phone = ""
    for _ in range(2):
        found = _TRAILING_PHONE.search(text)
        if not phone and found:
            phone, text = re.sub(r"\D", "", found.group(1)), text[:found.start()].rstrip(" ,;-")
            continue
        found = _TRAILING_YEAR.search(text)
        if not year and found:
            year, text = found.group(1), text[:found.start()].rstrip(" ,;-")
    return [" ".join(text.split()), year, phone]


def header_columns(cells: Sequence[str]) -> list[str] | None:
    """The columns a header line names, or None when `cells` is not a header."""
    kinds = [_HEADERS.get(fold(c).strip(" :.*"), "") for c in cells]
    named = [k for k in kinds if k]
    if NAME in named and len(named) * 2 >= len([c for c in cells if c.strip()]):
        return [k or SKIP for k in kinds]
    return None


def _commune_keys(name: str) -> set[str]:
    key = fold(name)
    return {key, _COMMUNE_PREFIX.sub("", key)}


def commune_index(communes: Iterable[tuple[int, str]]) -> dict[str, int]:
    """Folded commune name, with and without "xã/phường/thị trấn" → unit id (a name two units
    share is left out: it cannot decide)."""
    index: dict[str, int] = {}
    clashes: set[str] = set()
    for unit_id, name in communes:
        for key in _commune_keys(name):
            if key in index and index[key] != unit_id:
                clashes.add(key)
            index[key] = unit_id
    for key in clashes:
        del index[key]
    return index


def find_commune(text: str | None, index: Mapping[str, int]) -> int | None:
    if not text:
        return None
    key = fold(text)
    if key in index:
        return index[key]
    bare = _COMMUNE_PREFIX.sub("", key)
    if bare in index:
        return index[bare]
    # "Xóm Bản Giáo, xã Đại Phúc": the last part that names a commune
    for part in reversed(re.split(r"[,/-]", key)):
        found = index.get(_COMMUNE_PREFIX.sub("", part.strip()))
        if found is not None:
            return found
    return None


def _role_of(text: str) -> str | None:
    key = fold(text)
    if not key:
        return None
    for role in AttendanceRole:
        vi, en = AttendanceRole.labels()[role.value]
        if key in (fold(vi), fold(en), role.value):
            return role.value
    shortcuts = {"hoc vien": "participant", "dai bieu": "participant", "quan ly": "htx_manager",
                 "giam doc": "htx_manager", "thanh vien": "member_worker",
                 "lao dong": "member_worker", "can bo": "cadre", "hoi vien": "union_member"}
    for word, code in shortcuts.items():
        if word in key:
            return code
    return None


def guess_columns(rows: Sequence[Sequence[str]],
                  communes: Mapping[str, int] | None = None) -> list[str]:
    """What each column most likely holds, from its values: years, phones, line numbers,
    commune names, roles; the first other text column is the name."""
    width = max((len(r) for r in rows), default=0)
    kinds: list[str] = []
    for col in range(width):
        values = [r[col].strip() for r in rows if col < len(r) and r[col].strip()]
        if not values:
            kinds.append(SKIP)
            continue
        share = len(values) / 2

        def count(test: Any, vals: list[str] = values) -> int:
            return sum(1 for v in vals if test(v))

        if count(lambda v: _YEAR.match(v)) >= share:
            kinds.append(BIRTH_YEAR)
        elif count(lambda v: _PHONE.match(v.replace(" ", ""))) >= share:
            kinds.append(PHONE)
        elif count(lambda v: v.rstrip(".").isdigit()) >= share:
            kinds.append(SKIP)  # a line number (STT)
        elif communes and count(lambda v: find_commune(v, communes) is not None) >= share:
            kinds.append(COMMUNE)
        elif count(lambda v: _role_of(v) is not None) >= share:
            kinds.append(ROLE)
        else:
            kinds.append("?")
    texts = [i for i, k in enumerate(kinds) if k == "?"]
    for i in texts:
        kinds[i] = SKIP
    if texts:
        kinds[texts[0]] = NAME
    return kinds


def read_lines(rows: Sequence[Sequence[str]], columns: Sequence[str]) -> list[PastedLine]:
    """The rows as lines, by the confirmed columns."""
    out = []
    for number, cells in enumerate(rows, start=1):
        line = PastedLine(number, " | ".join(c for c in cells if c))
        for kind, cell in zip(columns, cells, strict=False):
            value = cell.strip()
            if not value:
                continue
            if kind == NAME:
                line.name = _NUMBERING.sub("", value).strip()
            elif kind == BIRTH_YEAR:
                digits = re.sub(r"\D", "", value)
                line.birth_year = int(digits) if len(digits) == 4 else None
            elif kind == COMMUNE:
                line.commune = value
            elif kind == PHONE:
                line.phone = re.sub(r"[ .]", "", value).replace("+84", "0", 1)
            elif kind == ROLE:
                line.role = _role_of(value)
        line.legacy = detect(line.raw)
        out.append(line)
    return out


def tidy_name(name: str) -> str:
    """A name as registered: single spaces; ALL CAPITALS or all small letters made Title Case."""
    name = " ".join(nfc(name).split())
    if name.isupper() or name.islower():
        name = " ".join(w[:1].upper() + w[1:].lower() for w in name.split())
    return name


def folded_names(lines: Iterable[PastedLine]) -> set[str]:
    """The folded names to look people up by."""
    return {fold(ln.name) for ln in lines if ln.name}


# ------------------------------------------------------------------ matching

def _match_one(line: PastedLine, people: Sequence[PersonInfo],
               communes: Mapping[str, int]) -> LineMatch:
    result = LineMatch(line, unit_id=find_commune(line.commune, communes))
    if line.legacy is not None:
        result.problem = "legacy"
        return result
    if not line.name or not any(ch.isalpha() for ch in line.name):
        result.problem = "no_name"
        return result
    alike = [p for p in people if fold(p.full_name) == fold(line.name)]
    pool = alike
    if has_diacritics(line.name):
        key = match_key(line.name)
        pool = [p for p in alike if match_key(p.full_name) == key]
        if not pool:  # "Hoa" pasted, "Hòa" registered: offered, a new person by default
            result.candidates, result.choice = _ordered(alike), NEW
            return result
    if line.phone:
        by_phone = [p for p in pool if p.phone and p.phone == line.phone]
        if len(by_phone) == 1:
            result.candidates, result.choice = by_phone, by_phone[0].id
            return result
    narrowed = pool
    if line.birth_year is not None:
        narrowed = [p for p in narrowed if p.birth_year in (line.birth_year, None)]
        exact = [p for p in narrowed if p.birth_year == line.birth_year]
        narrowed = exact or narrowed
    if result.unit_id is not None:
        narrowed = [p for p in narrowed if p.unit_id == result.unit_id]
    result.candidates = _ordered(narrowed or pool)
    if len(narrowed) == 1:
        result.choice = narrowed[0].id
    elif not narrowed:
        result.choice = NEW  # namesakes differ in year or commune: offered, not chosen
    return result


def _ordered(people: Iterable[PersonInfo]) -> list[PersonInfo]:
    return sorted(people, key=lambda p: (p.birth_year or 0, p.commune, p.id))


def match_lines(lines: Sequence[PastedLine], people: Sequence[PersonInfo],
                communes: Mapping[str, int],
                already: Iterable[str] = ()) -> list[LineMatch]:
    """Each line matched (see the module's notes); repeats and people already on the event's
    list marked (`mark_repeats`)."""
    results = [_match_one(line, people, communes) for line in lines]
    mark_repeats(results, already)
    return results


def _identity(m: LineMatch) -> tuple[Any, ...] | None:
    if m.problem:
        return None
    if m.choice not in (None, NEW):
        return ("person", m.choice)
    return ("line", match_key(m.line.name), m.line.birth_year, m.unit_id, m.line.phone)


def mark_repeats(results: Sequence[LineMatch], already: Iterable[str] = ()) -> None:
    """Mark each line that repeats an earlier one (the same person chosen, or the same
    name, year, commune and phone) and each person already on the event's list. Called again
    after every change of choice."""
    on_list = set(already)
    seen: dict[tuple[Any, ...], int] = {}
    for m in results:
        m.duplicate_of = None
        m.in_event = m.choice not in (None, NEW) and m.choice in on_list
        ident = _identity(m)
        if ident is None:
            continue
        if ident in seen:
            m.duplicate_of = seen[ident]
        else:
            seen[ident] = m.line.number
            if ident[0] == "person":
                # a later line with the same text, still to choose, repeats this one too
                seen.setdefault(("line", match_key(m.line.name), m.line.birth_year,
                                 m.unit_id, m.line.phone), m.line.number)


def new_person_values(m: LineMatch, default_unit_id: int) -> dict[str, Any]:
    """The person record a line creates (what the line gives; a woman by default, as every
    new person in this program)."""
    values: dict[str, Any] = {"unit_id": m.unit_id or default_unit_id,
                              "full_name": tidy_name(m.line.name), "gender": "female"}
    if m.line.birth_year is not None:
        values["birth_year"] = m.line.birth_year
    if m.line.phone:
        values["phone"] = m.line.phone
    return values


def summary(results: Sequence[LineMatch]) -> dict[str, int]:
    """How many lines have each status."""
    out = dict.fromkeys(("matched", "new", "choose", "duplicate", "in_event", "error"), 0)
    for m in results:
        out[m.status] += 1
    return out
