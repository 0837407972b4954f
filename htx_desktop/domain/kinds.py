"""The record kinds, declared once: one `Kind` per list of `data.json`.

Everything that loops over the kinds reads `KINDS`: `Dataset` to and from JSON and its merge
(`domain/records.py`), the record tables and the record service (`store/record_kinds.py`,
`store/service.py`), the models that travel (`store/models.py::PACKAGE_RECORDS`), the snapshot
(`store/snapshot.py`), the counts (`store/queries.py`, the `summary` command, the overview page),
the locks (`store/locks.py`), the demo (`demo/generate.py`), the import at the level above
(`receiving/importer_rows.py`), the workbook (`reports/workbook.py`) and the forms' registry.
`docs/CONTRIBUTING.md` says how to add a kind.

Decision: this module is Qt-free and store-free. It names the SQL *table* of a kind (a string),
never its ORM class; the store maps tables to models itself (`store/models.py::model_of`), so
the domain stays importable without SQLAlchemy's models, and `tests/domain/test_kinds.py` checks
that every record model is declared here and every declared table has a model.

Two tiers in one tuple: every entry is a list of data.json (units and priority counts too);
an entry with a `name` is also a record kind the officer edits one by one through the record
service, with its field table `domain/fields.py::FIELDS[name]`.

Kinds whose `columns` are declared are *plain*: their rows are read from the tables, written to
the tables of the level above, and listed in the workbook by one generic path each (snapshot,
importer_rows, workbook), with no code of their own there. The older kinds have hand-written
paths (nested sets, flags, derived figures) and leave `columns` empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from htx_desktop.domain.fields import FIELDS, FieldSpec
from htx_desktop.domain.record_types import (
    AwardRec,
    CadreRec,
    CommunicationRec,
    CooperativeRec,
    EventRec,
    JobPlacementRec,
    PersonRec,
    PlanStatusRec,
    PriorityCountRec,
    SupervisionVisitRec,
    SupportRec,
    UnitRec,
)


def by_id(record: Any) -> Any:
    """The identity of a record that travels with an id (the default)."""
    return record.id


@dataclass(frozen=True)
class Kind:
    """One list of data.json and, when `name` is set, one kind of record the officer edits."""

    json_key: str  # the data.json key; also the `Dataset` attribute
    record: type[Any]  # the record class (domain/record_types.py), with from_json / to_json
    order: Callable[[Any], Any] = by_id  # the order of the list in data.json
    identity: Callable[[Any], Any] = by_id  # two records with one identity are one (merge)
    name: str = ""  # the record service's kind ("" : not edited one by one)
    table: str = ""  # the SQL table of its rows (the store maps it to a model)
    title: str = ""  # one record, Vietnamese, as it opens a sentence ("Chuyến giám sát")
    plural: str = ""  # the list's title: its tab, its workbook sheet
    lock_dates: tuple[str, ...] = ()  # the fields that place a record in a period (locks)
    count_label: str = ""  # its line in `summary` ("" : not counted there)
    overview: str = ""  # its column on the overview page ("" : none)
    duplicate_fields: tuple[str, ...] = ()  # a change to these checks duplicates again
    # Plain kinds: (record attribute, model column) of every field but id and unit_code.
    columns: tuple[tuple[str, str], ...] = ()
    cooperative: str = ""  # the record attribute naming a cooperative: left out with it
    unit_from: str = ""  # the field whose record gives this one its unit (a cooperative's)
    optional: bool = False  # an addition to format 1: written only when the list has records
    shared: bool = False  # rows several packages may refer to (people): never deleted by id

    @property
    def fields(self) -> dict[str, FieldSpec]:
        """The field table of an edited kind (`domain/fields.py`)."""
        return FIELDS[self.name]

    @property
    def by_id(self) -> bool:
        """Its records travel with an id of their own (not a key of unit, line, year…)."""
        return self.identity is by_id

    @property
    def received_by_id(self) -> bool:
        """A package's rows of this kind are replaced and trashed by their ids."""
        return bool(self.name) and self.by_id and not self.shared

    @property
    def plain(self) -> bool:
        return bool(self.columns)


def _by_code(u: Any) -> Any:
    return u.code


def _plan_key(p: Any) -> Any:
    return (p.unit_code, p.line, p.year)


def _count_key(p: Any) -> Any:
    return (p.unit_code, p.year, p.group)


# In the order of data.json's lists (its writer sorts keys anyway). A kind comes after the kinds
# its records point to, so a package's rows are inserted in this order and deleted in reverse
# (people, shared, go last of all: receiving/importer_rows.py).
KINDS: tuple[Kind, ...] = (
    Kind("units", UnitRec, order=_by_code, identity=_by_code),
    Kind("cooperatives", CooperativeRec, name="cooperative", table="cooperatives",
         title="HTX/THT", plural="Hợp tác xã & Tổ hợp tác",
         duplicate_fields=("name", "tax_code", "unit_id")),
    Kind("people", PersonRec, name="person", table="people", title="Người",
         plural="Nhân sự", count_label="Người (phụ nữ, quản lý, lao động)", overview="Người",
         duplicate_fields=("full_name", "birth_year", "unit_id"), shared=True),
    Kind("cadres", CadreRec, name="cadre", table="cadres", title="Cán bộ Hội",
         plural="Cán bộ Hội", count_label="Cán bộ Hội", overview="Cán bộ Hội",
         duplicate_fields=("person_id", "unit_id")),
    Kind("events", EventRec, name="event", table="events", title="Sự kiện",
         plural="Tập huấn & sự kiện", lock_dates=("start", "end"),
         count_label="Tập huấn, sự kiện", overview="Sự kiện",
         duplicate_fields=("title", "start", "unit_id")),
    Kind("job_placements", JobPlacementRec, name="job_placement", table="job_placements",
         title="Việc làm", plural="Việc làm", lock_dates=("start",), count_label="Việc làm",
         overview="Việc làm", duplicate_fields=("person_id", "cooperative_id", "start"),
         cooperative="cooperative"),
    Kind("support", SupportRec, name="support", table="support", title="Hỗ trợ HTX",
         plural="Hỗ trợ HTX", lock_dates=("on",), count_label="Hỗ trợ HTX",
         overview="Hỗ trợ HTX", duplicate_fields=("cooperative_id", "kind", "on"),
         cooperative="cooperative"),
    Kind("communications", CommunicationRec, name="communication", table="communications",
         title="Truyền thông", plural="Truyền thông", lock_dates=("on",),
         count_label="Truyền thông", overview="Truyền thông",
         duplicate_fields=("unit_id", "on", "form", "topic")),
    Kind("awards", AwardRec, name="award", table="awards", title="Khen thưởng",
         plural="Khen thưởng", lock_dates=("on",), count_label="Khen thưởng",
         overview="Khen thưởng", duplicate_fields=("unit_id", "recipient", "title", "on")),
    Kind("plan_status", PlanStatusRec, order=_plan_key, identity=_plan_key,
         name="plan_status", table="plan_line_status", title="Tình hình thực hiện kế hoạch",
         plural="Kế hoạch", duplicate_fields=("unit_id", "line_code", "year")),
    Kind("priority_counts", PriorityCountRec, order=_count_key, identity=_count_key),
    Kind("supervision_visits", SupervisionVisitRec, name="supervision_visit",
         table="supervision_visits", title="Chuyến giám sát", plural="Kiểm tra, giám sát",
         lock_dates=("on",), count_label="Kiểm tra, giám sát HTX", overview="Giám sát",
         duplicate_fields=("cooperative_id", "on"),
         columns=(("cooperative", "cooperative_id"), ("on", "on"), ("visitors", "visitors"),
                  ("findings", "findings"), ("follow_up", "follow_up"),
                  ("follow_up_due", "follow_up_due"), ("follow_up_done", "follow_up_done")),
         cooperative="cooperative", unit_from="cooperative_id", optional=True),
)

# The edited kinds, by their record service name.
EDITED: dict[str, Kind] = {k.name: k for k in KINDS if k.name}
BY_JSON_KEY: dict[str, Kind] = {k.json_key: k for k in KINDS}


def kind(name: str) -> Kind:
    """The declaration of an edited kind, by its record service name."""
    return EDITED[name]
