"""Shared machinery of the demo generator: the seeded random source, ids, stamps, people.

Reproducibility rules (the same seed gives the same rows on any database):
- one `random.Random(seed)` is the only source of chance, drawn in a fixed order (units in code
  order, lists never sets: set order of strings changes between runs);
- ids are UUIDs made from that source, never `uuid4()`;
- timestamps derive from the records' dates, never from the clock.
Rows are collected as plain dicts per model and bulk-inserted at the end (STACK-NOTES
"Writing": `session.execute(insert(Model), rows)` is about 4x faster than `add_all`).
"""

from __future__ import annotations

import functools
import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from htx_desktop.demo import names
from htx_desktop.domain.text import fold
from htx_desktop.store.models import Base, Person

Row = dict[str, Any]
PHASE_START = date(2023, 1, 1)
# The 2025 reorganisation: districts abolished, communes merged, cadres reassigned.
REORGANISATION = date(2025, 7, 1)

# Mobile prefixes of the three big carriers (Viettel, Vinaphone, Mobifone).
_PHONE_PREFIXES = ("096", "097", "098", "086", "032", "033", "034", "035", "036", "037",
                   "038", "039", "091", "094", "088", "081", "082", "083", "084", "085",
                   "090", "093", "089", "070", "076", "077", "078", "079")

folded = functools.lru_cache(maxsize=None)(fold)  # names repeat a lot: fold each once


def vnd(amount: float, digits: int) -> int:
    """An amount in VND as an integer, rounded to 10**digits (money columns are integers)."""
    step: int = 10**digits
    return round(amount / step) * step


@dataclass
class DemoUnit:
    """A unit of the home tree with the demo's traits (place name, ethnic make-up)."""

    id: int
    code: str
    name: str
    level: str
    parent_id: int | None
    place: str
    union: str  # "Hội LHPN xã La Bằng"
    is_ward: bool
    minority_share: float
    minority_picker: names.Picker[str]
    villages: list[str]


@dataclass
class PersonInfo:
    """What the generator remembers about a person it made (for attendance and awards)."""

    id: str
    unit_id: int
    full_name: str
    female: bool
    ethnic_minority: bool


@dataclass
class DemoContext:
    rng: random.Random
    today: date
    scale: float
    rows: dict[type[Base], list[Row]] = field(default_factory=dict)
    tax_codes: set[str] = field(default_factory=set)

    # ----------------------------------------------------------------- chance

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def count(self, mean: float, *, scaled: bool = True) -> int:
        """A count with expectation `mean` (times the scale): noisy, stochastically rounded."""
        value = mean * (self.scale if scaled else 1.0) * self.rng.uniform(0.7, 1.3)
        whole = math.floor(value)
        return whole + (1 if self.rng.random() < value - whole else 0)

    def date_between(self, start: date, end: date) -> date:
        """A uniform date in [start, end] (end clipped to today)."""
        end = min(end, self.today)
        if end <= start:
            return start
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    def date_in_year(self, year: int, *, first: date | None = None) -> date | None:
        """A date in the year, not before `first` nor after today; None if there is none."""
        start = max(date(year, 1, 1), first or date(year, 1, 1))
        end = min(date(year, 12, 31), self.today)
        if start > end:
            return None
        return self.date_between(start, end)

    def stamp(self, day: date) -> datetime:
        """A deterministic office-hours timestamp (08:00–17:00 in Vietnam, UTC+7) of a day."""
        day = min(max(day, PHASE_START), self.today)
        base = datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)
        return base + timedelta(minutes=self.rng.randrange(540))

    def record(self, day: date, unit_id: int, *, updated: date | None = None) -> Row:
        """The columns every travelling record has (see models.Record)."""
        created = self.stamp(day)
        later = self.stamp(updated) if updated and updated > day else created
        return {"id": self.uid(), "unit_id": unit_id, "submission_id": None, "row_version": 1,
                "created_at": created, "updated_at": later, "deleted_at": None}

    def add(self, model: type[Base], row: Row) -> Row:
        self.rows.setdefault(model, []).append(row)
        return row

    # ----------------------------------------------------------------- people

    def ethnicity(self, unit: DemoUnit) -> str:
        if self.rng.random() < unit.minority_share:
            return unit.minority_picker.pick(self.rng)
        return names.KINH

    def full_name(self, ethnicity: str, female: bool) -> str:
        rng = self.rng
        surname = names.SURNAMES.get(ethnicity, names.SURNAMES[names.KINH]).pick(rng)
        if female:
            return f"{surname} {names.FEMALE_MIDDLE.pick(rng)} {names.FEMALE_GIVEN.pick(rng)}"
        return f"{surname} {names.MALE_MIDDLE.pick(rng)} {names.MALE_GIVEN.pick(rng)}"

    def phone(self) -> str:
        return self.rng.choice(_PHONE_PREFIXES) + f"{self.rng.randrange(10**7):07d}"

    def id_number(self, female: bool, birth_year: int) -> str:
        """A citizen ID (CCCD): Thái Nguyên's 019, a gender-and-century digit, the year."""
        digit = (0 if birth_year < 2000 else 2) + (1 if female else 0)
        return f"019{digit}{birth_year % 100:02d}{self.rng.randrange(10**6):06d}"

    def person(self, unit: DemoUnit, day: date, *, female: bool = True,
               born: tuple[int, int] = (1965, 2000), worker: bool = False) -> PersonInfo:
        """A person living in `unit`, recorded on `day`. Workers carry priority flags."""
        rng = self.rng
        ethnicity = self.ethnicity(unit)
        name = self.full_name(ethnicity, female)
        birth_year = rng.randint(*born)
        minority = ethnicity != names.KINH
        flags = dict.fromkeys(
            ("poor", "near_poor", "disability", "reintegrated", "trafficking_victim",
             "domestic_violence_victim", "sexual_abuse_victim", "unsafe_migrant",
             "laid_off_worker"), False)
        if worker:
            roll = rng.random()
            flags["poor"] = roll < (0.2 if minority else 0.08)
            flags["near_poor"] = not flags["poor"] and roll < (0.38 if minority else 0.2)
            flags["disability"] = rng.random() < 0.03
            flags["reintegrated"] = rng.random() < 0.005
            flags["unsafe_migrant"] = rng.random() < 0.01
            flags["laid_off_worker"] = rng.random() < 0.05
            # Victims are few, and their flags sensitive: they never leave the PC as names.
            flags["trafficking_victim"] = rng.random() < 0.003
            flags["domestic_violence_victim"] = rng.random() < 0.008
            flags["sexual_abuse_victim"] = rng.random() < 0.002
        elif rng.random() < 0.02:
            flags["near_poor"] = True
        row = self.record(day, unit.id)
        row.update(
            full_name=name, name_key=folded(name), gender="female" if female else "male",
            birth_year=birth_year, ethnicity_code=ethnicity,
            village=rng.choice(unit.villages),
            phone=self.phone() if rng.random() < 0.85 else None,
            id_number=self.id_number(female, birth_year) if rng.random() < 0.6 else None,
            ethnic_minority=minority, note=None, **flags)
        self.add(Person, row)
        return PersonInfo(row["id"], unit.id, name, female, minority)


def village_names(rng: random.Random, is_ward: bool) -> list[str]:
    """A unit's villages ("xóm …", or "tổ dân phố …" in a ward)."""
    stems = rng.sample(names.VILLAGE_STEMS, 8)
    if is_ward:
        return [f"Tổ dân phố {n}" for n in sorted(rng.sample(range(1, 30), 6))] + [
            f"Tổ dân phố {s}" for s in stems[:2]]
    return [f"Xóm {s}" for s in stems] + [f"Xóm {n}" for n in sorted(rng.sample(range(1, 15), 3))]


def demo_unit(rng: random.Random, unit_id: int, code: str, name: str, level: str,
              parent_id: int | None) -> DemoUnit:
    """Give a unit its demo traits: wards are mostly Kinh; rural communes vary widely."""
    is_ward = name.startswith("Phường") or name.startswith("Thị trấn")
    if is_ward or level != "xa":
        share = rng.uniform(0.03, 0.12)
    else:
        profile = rng.random()
        share = (rng.uniform(0.05, 0.2) if profile < 0.5
                 else rng.uniform(0.2, 0.5) if profile < 0.8 else rng.uniform(0.5, 0.9))
    # Each commune has its own mix of minorities around the province's.
    picker = names.Picker([(c, w * rng.uniform(0.3, 1.7))
                           for c, w in names.ETHNIC_MINORITY_WEIGHTS])
    return DemoUnit(unit_id, code, name, level, parent_id, names.place_name(name),
                    names.union_name(name), is_ward, share, picker,
                    village_names(rng, is_ward))
