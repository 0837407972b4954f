"""The record kinds' declaration (`domain/kinds.py`) is complete, and what loops over it sees
every kind: the models, the field tables, the forms, data.json."""

from __future__ import annotations

import json
from datetime import date

from htx_desktop.demo.generate import generate_demo
from htx_desktop.domain.fields import FIELDS
from htx_desktop.domain.kinds import EDITED, KINDS
from htx_desktop.domain.records import Dataset
from htx_desktop.store import record_kinds as rk
from htx_desktop.store.engine import Database
from htx_desktop.store.models import PACKAGE_RECORDS, Base, Record
from htx_desktop.store.reference import find_unit
from htx_desktop.store.snapshot import build_dataset

# Nested rows of a kind (they travel inside their parent's record), not kinds of their own.
CHILD_TABLES = {"yearly_figures", "ocop_product", "management_position", "event_funding",
                "attendance"}


def test_every_record_model_is_declared() -> None:
    record_models = {m.class_ for m in Base.registry.mappers if issubclass(m.class_, Record)}
    assert record_models == set(PACKAGE_RECORDS.values())
    assert set(rk.MODELS.values()) == record_models
    # one model per declared table, one declared kind per table
    tables = [k.table for k in KINDS if k.table]
    assert len(tables) == len(set(tables)) == len(record_models)


def test_every_field_table_is_a_kind_or_a_nested_row() -> None:
    assert set(FIELDS) == set(EDITED) | CHILD_TABLES
    for k in EDITED.values():
        model = rk.MODELS[k.name]
        for name in k.fields:  # the keys of a field table are the model's attributes
            assert hasattr(model, name), (k.name, name)
        for name in k.lock_dates + k.duplicate_fields:
            assert name in k.fields, (k.name, name)
        for _attr, column in k.columns:
            assert column in k.fields, (k.name, column)
        assert k.title and k.plural


def test_dataset_lists_are_the_declared_kinds() -> None:
    data = Dataset()
    for k in KINDS:
        assert data.records(k.json_key) == []
    keys = set(Dataset.__dataclass_fields__) - {"narrative"}
    assert keys == {k.json_key for k in KINDS}


def test_every_form_registered() -> None:
    from htx_desktop.ui.forms.registry import FORMS

    assert set(FORMS) == set(EDITED)


def test_every_kind_round_trips_through_data_json(reference_template: Database) -> None:
    db = reference_template.clone_in_memory()
    with db.session() as session:
        commune = find_unit(session, "05503")
        assert commune is not None
        generate_demo(session, commune.id, seed=4, scale=1.0, today=date(2026, 11, 26))
        data = build_dataset(session, commune.id)
    for k in KINDS:  # the demo makes records of every kind
        assert data.records(k.json_key), k.json_key
    text = json.dumps(data.to_json(), ensure_ascii=False, sort_keys=True)
    again = Dataset.from_json(json.loads(text))
    assert json.dumps(again.to_json(), ensure_ascii=False, sort_keys=True) == text
    for k in KINDS:
        assert len(again.records(k.json_key)) == len(data.records(k.json_key))
    # merging a dataset with itself keeps every record once
    merged = again.merge(data)
    for k in KINDS:
        assert len(merged.records(k.json_key)) == len(data.records(k.json_key))


def test_every_title_has_english() -> None:
    from htx_desktop.i18n import _english

    english = _english()
    for k in EDITED.values():
        title = k.title[:1].lower() + k.title[1:]  # as the forms' titles use it
        for text in (k.title, k.plural, k.count_label, k.overview):
            assert not text or text in english, (k.name, text)
        assert title in english or k.name in _OWN_FORM_TITLES, (k.name, title)
    for table, specs in FIELDS.items():  # the forms' labels (ui/forms/auto.py: t(label))
        for name, spec in specs.items():
            assert spec.label in english, (table, name, spec.label)


# Kinds whose forms have titles of their own (ui/forms), not made from the kind's title.
_OWN_FORM_TITLES = {"cooperative", "person", "cadre", "event", "job_placement", "support",
                    "communication", "award", "plan_status"}
