"""Validation is total: whatever a form, a spreadsheet or a bug hands it, it answers with
FieldErrors and never raises."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from htx_desktop.domain import validation as v
from htx_desktop.domain.fields import FIELDS
from htx_desktop.domain.validation import FieldError, clean

TODAY = date(2025, 6, 15)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(),
    st.dates(), st.datetimes(), st.binary(max_size=4),
    st.sampled_from(["htx", "tht", "active", "converted", "agriculture", "0100233488",
                     "0912 345 678", "25/12/2024", "2024-01-01", "1.500.000", "05"]),
)
values_strategy = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=8), children, max_size=4)),
    max_leaves=12,
)


def record(kind: str) -> st.SearchStrategy[dict[Any, Any]]:
    """Dicts mixing the kind's own keys (with any values) and stray keys."""
    known = st.dictionaries(st.sampled_from(sorted(FIELDS[kind])), values_strategy)
    stray = st.dictionaries(st.one_of(st.text(max_size=6), st.integers()), values_strategy,
                            max_size=3)
    return st.builds(lambda a, b: {**b, **a}, known, stray)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(FIELDS)), st.data())
def test_validate_never_raises_and_returns_field_errors(kind: str, data: st.DataObject) -> None:
    values = data.draw(record(kind))
    errors = v.validate(kind, values, today=TODAY)
    assert all(isinstance(e, FieldError) and e.message for e in errors)
    # Cleaning is idempotent: validating the cleaned values finds the same problems.
    assert v.validate(kind, clean(kind, values), today=TODAY) == errors


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.text(), st.integers(), st.none(), st.lists(st.integers())))
def test_validate_accepts_non_mappings(value: Any) -> None:
    for kind in ("cooperative", "person", "event"):
        errors = getattr(v, f"validate_{kind}")(value, today=TODAY)
        assert all(isinstance(e, FieldError) for e in errors)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=10_000))
def test_female_never_above_total_is_accepted(total: int, female: int) -> None:
    errors = v.validate_yearly_figures({"year": 2024, "workers": total,
                                        "workers_female": female}, today=TODAY)
    assert (errors == []) == (female <= total)
