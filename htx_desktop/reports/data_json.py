"""data.json of a package: built from the Dataset, checked against its schema, written in pieces.

The bytes are exactly `json.dumps(document, ensure_ascii=False, sort_keys=True,
allow_nan=False, separators=(",", ":")) + "\\n"` in UTF-8 — byte-identical from one export to
the next (docs/INTERFACES.md §2) — but the document is never held whole. At 20× a province it is
107 MB: as one str that was 200 MB (Vietnamese text takes two bytes a character in memory), plus
107 MB of bytes, plus a re-parsed copy for validation; and the tree of dicts the str came from
took 210 MB more than the Dataset itself (docs/performance.md). Now:
- the document is built one top-level list at a time (`Dataset.to_json` of a Dataset holding only
  that list: the same records in the same order), checked, encoded a thousand records at a time
  by the same C encoder, and dropped before the next list is built;
- a part is checked in place when it parses back to itself (`json_native`), with no copy.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import fields, replace
from typing import Any

from htx_desktop.domain.kinds import KINDS
from htx_desktop.domain.records import Dataset
from htx_desktop.receiving.schemas import lists_checked_alone, validate_data
from htx_desktop.reports.errors import PackageError

_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, allow_nan=False,
                            separators=(",", ":"))
_ITEMS_PER_CHUNK = 1000
# Values json.loads gives back as the same value of the same type (dicts: str keys only).
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _complete(data: dict[str, Any], indicators: Mapping[str, Any],
              narrative: Mapping[str, Any] | None,
              amendments: Sequence[Mapping[str, Any]] | None) -> dict[str, Any]:
    data["indicators"] = dict(indicators)
    data["narrative"] = {str(k): v for k, v in (narrative or {}).items()
                         if isinstance(v, str) and v.strip()}
    if amendments:
        data["amendments"] = [dict(a) for a in amendments]
    return data


def data_tree(dataset: Dataset, indicators: Mapping[str, Any],
              narrative: Mapping[str, Any] | None,
              amendments: Sequence[Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """The whole document (keys sorted when written, lists in the Dataset's stable order, no
    timestamp), checked against data.schema.json: PackageError when it cannot be written or
    does not follow the schema.

    `amendments`: changes made to records of an already exported period (issue 7), each
    {kind, id, action, reason, at}; the key is written only when there are some, so a package
    without them stays byte-identical to earlier ones."""
    data = _complete(dataset.to_json(), indicators, narrative, amendments)
    _check(data)
    return data


def checked_chunks(dataset: Dataset, indicators: Mapping[str, Any],
                   narrative: Mapping[str, Any] | None,
                   amendments: Sequence[Mapping[str, Any]] | None = None) -> Iterator[bytes]:
    """`data_chunks(data_tree(...))`, the same bytes and the same refusals, building and
    checking one list of records at a time (see the module's docstring)."""
    skeleton = _complete(Dataset().to_json(), indicators, narrative, amendments)
    # A kind added to format 1 has its key only when it has records (domain/kinds.py).
    skeleton.update({k.json_key: [] for k in KINDS
                     if k.optional and dataset.records(k.json_key)})
    alone = lists_checked_alone()
    parts = [f.name for f in fields(Dataset)
             if f.name in alone and skeleton.get(f.name) == [] and getattr(dataset, f.name)]
    if not parts or not _valid_alone(skeleton):
        # Nothing to split, or the rest is refused: the whole tree, for the exact refusal.
        yield from data_chunks(data_tree(dataset, indicators, narrative, amendments))
        return

    def value_of(key: str) -> Any:
        if key not in parts:
            return skeleton[key]
        value = replace(Dataset(), **{key: getattr(dataset, key)}).to_json()[key]
        # The document with only this list filled is valid exactly when the whole one is
        # valid in this list (`lists_checked_alone`), and it refuses with the same path.
        _check({**skeleton, key: value})
        return value

    yield from _document_chunks(sorted(skeleton), value_of)


def _valid_alone(skeleton: dict[str, Any]) -> bool:
    try:
        _check(skeleton)
    except PackageError:
        return False
    return True


def _check(data: dict[str, Any]) -> None:
    if json_native(data):
        validate_data(data)  # what a reader parses is this very tree
    else:  # a tuple, a non-str key, a subclass…: check what a reader will parse
        validate_data(json.loads(b"".join(data_chunks(data))))


def json_native(root: Any) -> bool:
    """True when `root` holds only dicts with str keys, lists, str, int, float, bool and None,
    each of exactly that type: then `json.loads(json.dumps(root)) == root`, type for type
    (NaN aside, which the encoder refuses), and validating `root` is validating the file."""
    if type(root) not in (dict, list):
        return type(root) in _SCALARS
    scalars = _SCALARS
    stack = [root]
    while stack:
        node = stack.pop()
        if type(node) is dict:
            if not all(type(k) is str for k in node):
                return False
            children: Any = node.values()
        else:
            children = node
        for child in children:
            kind = type(child)
            if kind is dict or kind is list:
                stack.append(child)
            elif kind not in scalars:
                return False
    return True


def data_chunks(data: Mapping[str, Any]) -> Iterator[bytes]:
    """data.json of the document `data` as UTF-8, in pieces of a thousand records at most.
    PackageError when a value cannot be written as JSON (NaN, infinity, an unknown type)."""
    if data and all(type(k) is str for k in data):
        yield from _document_chunks(sorted(data), data.__getitem__)
        return
    try:  # never so for a package
        yield (_ENCODER.encode(data) + "\n").encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise PackageError(f"Số liệu không ghi được thành JSON: {exc}.") from exc


def _document_chunks(keys: Sequence[str], value_of: Callable[[str], Any]) -> Iterator[bytes]:
    """An object with `keys` (sorted str) whose values `value_of` gives, encoded as
    `json.dumps(..., sort_keys=True, separators=(",", ":"))` would."""
    encode = _ENCODER.encode
    try:
        opening = "{"
        for key in keys:
            value = value_of(key)
            head = f"{opening}{encode(key)}:"
            opening = ","
            if type(value) is not list or not value:
                yield (head + encode(value)).encode("utf-8")
                continue
            yield (head + "[").encode("utf-8")
            for start in range(0, len(value), _ITEMS_PER_CHUNK):
                # A list's encoding without its brackets is its items' encodings joined by ",":
                # the same bytes as the whole list encoded at once.
                part = encode(value[start:start + _ITEMS_PER_CHUNK])[1:-1]
                yield (("," if start else "") + part).encode("utf-8")
            del value  # built for this key only (checked_chunks): gone before the next one
            yield b"]"
        yield b"}\n"
    except (TypeError, ValueError) as exc:
        raise PackageError(f"Số liệu không ghi được thành JSON: {exc}.") from exc
