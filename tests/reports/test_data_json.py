"""data.json written in pieces and checked in place (reports/data_json.py): the same bytes as
one `json.dumps`, the same verdicts as checking a re-parsed copy, and the same package entry."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import io
import json
import math
import zipfile
from pathlib import Path
from typing import Any

import pytest

from htx_desktop.receiving.schemas import (
    DATA_SCHEMA,
    _fast_check,
    _forbidden_as_properties,
    validate_data,
)
from htx_desktop.reports import data_json
from htx_desktop.reports.data_json import checked_chunks, data_chunks, data_tree, json_native
from htx_desktop.reports.errors import PackageError
from htx_desktop.reports.package import write_package
from htx_desktop.reports.zip_stream import write_chunks
from htx_desktop.resources import resource_path


def _dumps(value: Any) -> bytes:
    """data.json as it was written before issue 10: one string."""
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False,
                       separators=(",", ":")) + "\n").encode("utf-8")


def _tree(make_inputs: Any, tmp_path: Path) -> dict[str, Any]:
    inputs = make_inputs(tmp_path)
    return data_tree(inputs["dataset"], inputs["indicators"], inputs["narrative"])


def test_pieces_are_the_bytes_of_one_dumps(make_inputs: Any, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    tree = _tree(make_inputs, tmp_path)
    monkeypatch.setattr(data_json, "_ITEMS_PER_CHUNK", 3)  # lists cut into many pieces
    chunks = list(data_chunks(tree))
    assert len(chunks) > 20
    assert b"".join(chunks) == _dumps(tree)
    odd = {"b": [], "a": [{"z": 1, "é": "Đ\"\n"}] * 7, "c": {"y": [1.5, None, True]}, "d": ()}
    assert b"".join(data_chunks(odd)) == _dumps(odd)
    assert b"".join(data_chunks({})) == _dumps({})


def test_list_by_list_gives_the_same_bytes_and_the_same_refusals(
        make_inputs: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = make_inputs(tmp_path)
    args = (inputs["dataset"], inputs["indicators"], inputs["narrative"])
    amendments = [{"kind": "cooperative", "id": "x", "action": "update", "reason": "Sửa số liệu",
                   "at": "2026-01-05T09:30:00+07:00"}]
    wholes = [b"".join(data_chunks(data_tree(*args, *extra))) for extra in ((), (amendments,))]

    def whole_tree(*_args: Any) -> None:
        raise AssertionError("the whole tree was built")

    with monkeypatch.context() as patch:
        patch.setattr(data_json, "data_tree", whole_tree)
        for whole, extra in zip(wholes, ((), (amendments,)), strict=True):
            assert b"".join(checked_chunks(*args, *extra)) == whole == _dumps(json.loads(whole))
    dataset = copy.deepcopy(inputs["dataset"])
    dataset.people[3] = dataclasses.replace(dataset.people[3], gender="không rõ")
    refusals = []
    for build in (lambda: data_tree(dataset, *args[1:]),
                  lambda: b"".join(checked_chunks(dataset, *args[1:]))):
        with pytest.raises(PackageError) as err:
            build()
        refusals.append(str(err.value))
    assert refusals[0] == refusals[1] and "people/" in refusals[0]
    # A schema whose lists cannot be checked apart: the whole tree, the same bytes.
    monkeypatch.setattr(data_json, "lists_checked_alone", frozenset)
    assert b"".join(checked_chunks(*args)) == b"".join(data_chunks(data_tree(*args)))


def test_a_value_json_cannot_hold_is_refused_in_vietnamese(make_inputs: Any,
                                                           tmp_path: Path) -> None:
    tree = _tree(make_inputs, tmp_path)
    for bad in (math.nan, object()):
        broken = {**tree, "people": [*tree["people"], {"x": bad}]}
        with pytest.raises(PackageError, match="không ghi được thành JSON"):
            b"".join(data_chunks(broken))


def test_only_exact_json_types_are_checked_in_place() -> None:
    class Text(str):
        pass

    assert json_native({"a": [1, 2.5, "x", None, True, {"b": []}]})
    for impure in ({"a": (1, 2)}, {1: "a"}, {"a": [{"b": Text("x")}]}, {"a": {"b": b"x"}},
                   [object()]):
        assert not json_native(impure), impure


def test_checked_in_place_or_reparsed_the_verdict_is_the_same(make_inputs: Any,
                                                              tmp_path: Path) -> None:
    """A tuple where a list belongs passes either way; a phone in a person fails either way."""
    inputs = make_inputs(tmp_path)
    with_tuple = {**inputs["indicators"], "indicators": tuple(inputs["indicators"]["indicators"])}
    assert not json_native(with_tuple)
    tree = data_tree(inputs["dataset"], with_tuple, inputs["narrative"])  # re-parsed: accepted
    assert b"".join(data_chunks(tree)) == _dumps(json.loads(_dumps(tree)))
    tree = data_tree(inputs["dataset"], inputs["indicators"], inputs["narrative"])
    assert json_native(tree)
    with pytest.raises(PackageError, match="không được phép gửi đi"):
        validate_data({**tree, "people": [{**tree["people"][0], "phone": "0912345678"}]})


def _damaged(tree: dict[str, Any]) -> list[dict[str, Any]]:
    """Documents each wrong in one place, at every depth the schema checks (and a few right)."""
    person, coop, event = tree["people"][0], tree["cooperatives"][0], tree["events"][0]

    def with_(key: str, record: dict[str, Any]) -> dict[str, Any]:
        return {**tree, key: [record, *tree[key][1:]]}

    yearly = {**coop["yearly"][0], "members": -1} if coop["yearly"] else {"year": "x"}
    return [
        tree, with_("people", {**person, "nickname": "x"}),
        with_("people", {**person, "phone": None}),
        *(with_("people", {**person, key: "x"}) for key in (
            "name", "full_name", "phone", "id_number", "national_id")),
        with_("people", {k: v for k, v in person.items() if k != "gender"}),
        with_("people", {**person, "birth_year": "1980"}),
        {**tree, "people": [["not", "an", "object"]]},
        with_("cooperatives", {**coop, "founded_on": "12/03/2020"}),
        with_("cooperatives", {**coop, "yearly": [yearly]}),
        with_("cooperatives", {**coop, "sectors": ["Nông nghiệp"]}),
        with_("events", {**event, "attendance": [{"person": "", "role": "participant"}]}),
        with_("events", {**event, "counts": {"total": -3}}),
        {**tree, "indicators": {**tree["indicators"], "indicators": []}},
        {**tree, "narrative": {"task1": 5}},
        {k: v for k, v in tree.items() if k != "units"},
    ]


def test_the_fast_check_decides_as_the_schema_does(make_inputs: Any, tmp_path: Path) -> None:
    """The fast check (schema rewritten, generated code retouched) against fastjsonschema on the
    schema as published; jsonschema words a refusal, so only the verdicts matter."""
    import fastjsonschema

    schema = json.loads(resource_path("schemas", DATA_SCHEMA).read_text(encoding="utf-8"))
    cheaper = _forbidden_as_properties(schema)
    assert "not" in schema["$defs"]["person"] and "not" not in cheaper["$defs"]["person"]
    original = fastjsonschema.compile(schema, use_formats=False)
    checks = (fastjsonschema.compile(cheaper, use_formats=False), _fast_check(DATA_SCHEMA))
    assert checks[1].__code__.co_filename == f"<{DATA_SCHEMA}>"  # the retouched code runs
    cases = _damaged(_tree(make_inputs, tmp_path))
    verdicts = [_accepts(original, case) for case in cases]
    assert verdicts[:3] == [True, True, False] and verdicts.count(True) == 2
    for check in checks:
        assert [_accepts(check, case) for case in cases] == verdicts


def _accepts(check: Any, value: Any) -> bool:
    import fastjsonschema

    try:
        check(value)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def test_checking_in_place_leaves_the_tree_as_it_was(make_inputs: Any, tmp_path: Path) -> None:
    tree = _tree(make_inputs, tmp_path)
    before = copy.deepcopy(tree)
    validate_data(tree)
    assert tree == before


def test_an_entry_from_pieces_is_the_entry_writestr_makes() -> None:
    raw = "".join(f'{{"id":"{i}","tên":"Hợp tác xã số {i}"}},' for i in range(20000)).encode()
    books = []
    for pieces in ([raw], [raw[i:i + 777] for i in range(0, len(raw), 777)]):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            info = zipfile.ZipInfo("data.json", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            if len(pieces) == 1:
                zf.writestr(info, raw)
            else:
                assert write_chunks(zf, info, pieces) == (len(raw),
                                                          hashlib.sha256(raw).hexdigest())
        books.append(out.getvalue())
    assert books[0] == books[1]


def test_a_data_json_beyond_zip_limits_is_written_with_zip64(
        make_inputs: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Written from pieces, data.json's size is still known before its entry starts: past the
    limit of a plain ZIP entry (2 GiB, made tiny here) it gets ZIP64, as writestr gave it."""
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 4096)
    path = write_package(**make_inputs(tmp_path))
    with zipfile.ZipFile(path) as zf:
        assert zf.namelist()[0] == "data.json" and zf.namelist()[-1] == "manifest.json"
        raw = zf.read("data.json")
        manifest = json.loads(zf.read("manifest.json"))
    assert len(raw) > 4096
    assert manifest["files"]["data.json"] == {"sha256": hashlib.sha256(raw).hexdigest(),
                                              "bytes": len(raw)}
    assert raw == _dumps(json.loads(raw))
