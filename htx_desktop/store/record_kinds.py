"""How each record kind maps onto the models: plain snapshots, nested sets, defaults, JSON.

The record service (`store/service.py`) is generic over kinds; what differs between them lives
here, driven by the declaration of `domain/kinds.py` and the field table of `domain/fields.py`
(whose keys are the model attributes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from htx_desktop.domain.fields import FIELDS, FieldSpec
from htx_desktop.domain.kinds import EDITED
from htx_desktop.domain.text import fold
from htx_desktop.store.models import (
    Attendance,
    Base,
    CooperativeSector,
    CooperativeYear,
    EventFunding,
    EventTopic,
    ManagementPosition,
    OcopProduct,
    model_of,
)

# The edited kinds' models, by record service kind (declared in domain/kinds.py).
MODELS: dict[str, type[Base]] = {k.name: model_of(k.table) for k in EDITED.values()}

# The folded search/duplicate key kept beside a name: (source attribute, key attribute).
SEARCH_KEYS: dict[str, tuple[str, str]] = {
    "cooperative": ("name", "name_key"),
    "person": ("full_name", "name_key"),
    "event": ("title", "title_key"),
}

# Nested item kinds: model, the fields that identify an existing row (so an update keeps its id
# and never re-inserts a row a unique constraint still holds), and the order of snapshots.
CHILD_MODELS: dict[str, type[Base]] = {
    "yearly_figures": CooperativeYear,
    "ocop_product": OcopProduct,
    "management_position": ManagementPosition,
    "event_funding": EventFunding,
    "attendance": Attendance,
}
CHILD_IDENTITY: dict[str, tuple[str, ...]] = {
    "yearly_figures": ("year",),
    "ocop_product": ("product", "year"),
    "management_position": ("person_id", "position", "start"),
    "event_funding": ("source",),
    "attendance": ("person_id",),
}
CHILD_ORDER: dict[str, tuple[str, ...]] = {
    "yearly_figures": ("year",),
    "ocop_product": ("year", "product", "stars"),
    "management_position": ("start", "position", "person_id", "end"),
    "event_funding": ("source", "amount_vnd"),
    "attendance": ("person_id", "role"),
}
# Code sets stored as one row per code: (relationship, row model, code attribute).
CODE_SETS: dict[tuple[str, str], tuple[type[Base], str]] = {
    ("cooperative", "sectors"): (CooperativeSector, "sector"),
    ("event", "topics"): (EventTopic, "topic"),
}


def accepted_keys(kind: str) -> frozenset[str]:
    extra = {"counts"} if kind == "event" else set()
    if EDITED[kind].unit_from:  # accepted like any kind's, then taken from the record
        extra.add("unit_id")
    return frozenset(FIELDS[kind]) | extra


def scalar_fields(kind: str) -> dict[str, FieldSpec]:
    return {k: s for k, s in FIELDS[kind].items() if s.kind not in ("codes", "items")}


def nested_fields(kind: str) -> dict[str, FieldSpec]:
    return {k: s for k, s in FIELDS[kind].items() if s.kind in ("codes", "items")}


def column_default(model: type[Base], name: str) -> Any:
    """The model's scalar default for a column (False, 0, "active", …), or None."""
    column = model.__table__.c[name]
    default = column.default
    if default is not None and default.is_scalar:
        return default.arg
    return None


def with_default(model: type[Base], name: str, value: Any) -> Any:
    """None stands for "not given": store the column's default instead (NOT NULL flags)."""
    return column_default(model, name) if value is None else value


def _sort_value(value: Any) -> tuple[int, int, str]:
    """Sort None first, numbers by value, dates and text by their text (ISO dates sort)."""
    if value is None:
        return (0, 0, "")
    if isinstance(value, int):
        return (1, value, "")
    return (1, 0, str(value))


def normalise_items(child: str, items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Nested items with every field present (defaults filled) in a stable order."""
    model = CHILD_MODELS[child]
    rows = [{k: with_default(model, k, item.get(k)) for k in FIELDS[child]} for item in items]
    return sorted(rows, key=lambda row: tuple(_sort_value(row[k]) for k in CHILD_ORDER[child]))


def snapshot(kind: str, obj: Any) -> dict[str, Any]:
    """The record as plain values, keyed like `values`: what forms show and diffs compare."""
    out: dict[str, Any] = {name: getattr(obj, name) for name in scalar_fields(kind)}
    for name, spec in nested_fields(kind).items():
        collection = getattr(obj, name)
        if spec.kind == "codes":
            _, attr = CODE_SETS[(kind, name)]
            out[name] = sorted(getattr(row, attr) for row in collection)
        else:
            out[name] = normalise_items(
                spec.child, ({k: getattr(row, k) for k in FIELDS[spec.child]}
                             for row in collection))
    return out


def sync_codes(kind: str, name: str, obj: Any, codes: list[str]) -> None:
    """Replace a code set, keeping the rows of codes that stay (their key is their identity)."""
    model, attr = CODE_SETS[(kind, name)]
    existing = {getattr(row, attr): row for row in getattr(obj, name)}
    setattr(obj, name, [existing.get(code) or model(**{attr: code}) for code in sorted(codes)])


def sync_items(child: str, name: str, obj: Any, items: list[dict[str, Any]]) -> None:
    """Replace a nested list, updating matching rows in place and adding or dropping the rest."""
    model = CHILD_MODELS[child]
    identity = CHILD_IDENTITY[child]
    pool: dict[tuple[Any, ...], list[Any]] = {}
    for row in getattr(obj, name):
        pool.setdefault(tuple(getattr(row, k) for k in identity), []).append(row)
    rows = []
    for item in normalise_items(child, items):
        matches = pool.get(tuple(item[k] for k in identity))
        row = matches.pop(0) if matches else model()
        for key, value in item.items():
            if getattr(row, key, None) != value:
                setattr(row, key, value)
        rows.append(row)
    setattr(obj, name, rows)


def set_search_key(kind: str, obj: Any) -> None:
    if kind in SEARCH_KEYS:
        source, key = SEARCH_KEYS[kind]
        setattr(obj, key, fold(getattr(obj, source) or ""))


def to_json(value: Any) -> Any:
    """An audit-log value: dates as ISO text, nested lists and mappings converted likewise."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


def describe(kind: str, obj: Any) -> str:
    """A short name for a record in messages (duplicates, conflicts). A kind without a
    phrase of its own here goes by its title and the date that places it in time."""
    names: dict[str, Callable[[Any], str]] = {
        "cooperative": lambda o: o.name,
        "person": lambda o: o.full_name + (f" ({o.birth_year})" if o.birth_year else ""),
        "cadre": lambda o: o.person.full_name if o.person else o.position,
        "event": lambda o: f"{o.title} ({o.start:%d/%m/%Y})",
        "job_placement": lambda o: f"{o.person.full_name} – {o.cooperative.name}",
        "support": lambda o: f"{o.cooperative.name} ({o.on:%d/%m/%Y})",
        "communication": lambda o: f"{o.topic} ({o.on:%d/%m/%Y})",
        "award": lambda o: f"{o.recipient} – {o.title}",
        "plan_status": lambda o: f"{o.line_code} ({o.year})",
    }
    if kind in names:
        return names[kind](obj)
    spec = EDITED[kind]
    day = getattr(obj, spec.lock_dates[0], None) if spec.lock_dates else None
    return f"{spec.title} ({day:%d/%m/%Y})" if isinstance(day, date) else spec.title

