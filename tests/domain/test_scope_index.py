"""The per-Dataset index behind `scoped`: the same records, in the same order, as a scan of
every list would give; rebuilt when the dataset's lists change; shared people maps."""

from __future__ import annotations

from htx_desktop.domain.records import Dataset
from htx_desktop.domain.scope import DatasetIndex, index_for, scope_codes, scoped
from tests.domain.indicator_builders import coop, dataset, woman


def _scan(data: Dataset, unit: str) -> list[str]:
    codes = scope_codes(data, unit)
    return [c.id for c in data.cooperatives if c.unit_code in codes]


def test_scope_keeps_the_lists_order_across_units() -> None:
    coops = [coop("a", unit="X2"), coop("b", unit="X1"), coop("c", unit="P"),
             coop("d", unit="X2"), coop("e", unit="ELSEWHERE"), coop("f", unit="X1")]
    data = dataset(cooperatives=coops, people=[woman("w1"), woman("w2", unit="X2")])
    assert [c.id for c in scoped(data, "P").cooperatives] == ["a", "b", "c", "d", "f"]
    assert [c.id for c in scoped(data, "X2").cooperatives] == ["a", "d"]
    assert [c.id for c in scoped(data, "ELSEWHERE").cooperatives] == ["e"]  # not in the tree
    assert scoped(data, "NOWHERE").cooperatives == []
    for unit in ("P", "X1", "X2"):
        assert [c.id for c in scoped(data, unit).cooperatives] == _scan(data, unit)


def test_people_maps_are_shared_and_the_index_reused() -> None:
    data = dataset(cooperatives=[coop("a")], people=[woman("w1"), woman("w2", unit="X2")])
    first, second = scoped(data, "X1"), scoped(data, "X2")
    assert first.gender is second.gender and first.gender == {"w1": "female", "w2": "female"}
    assert index_for(data) is index_for(data)


def test_a_changed_dataset_is_indexed_again() -> None:
    data = dataset(cooperatives=[coop("a")], people=[woman("w1")])
    assert [c.id for c in scoped(data, "X1").cooperatives] == ["a"]
    data.cooperatives.append(coop("b"))
    assert [c.id for c in scoped(data, "X1").cooperatives] == ["a", "b"]
    data.cooperatives = [coop("z", unit="X2")]
    assert scoped(data, "X1").cooperatives == []
    assert [c.id for c in scoped(data, "P").cooperatives] == ["z"]
    # An index handed in explicitly is used as it is (the caller vouches it is current).
    explicit = DatasetIndex.build(data)
    assert [c.id for c in scoped(data, "X2", explicit).cooperatives] == ["z"]
