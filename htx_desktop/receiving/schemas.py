"""JSON Schemas of `manifest.json` and `data.json` (format 1), checked on every write and read.

The schemas live in `resources/schemas/` so that other programs can use the same files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from htx_desktop.reports.errors import PackageError
from htx_desktop.resources import resource_path

MANIFEST_SCHEMA = "manifest.schema.json"
DATA_SCHEMA = "data.schema.json"


@cache
def _validator(name: str) -> Any:
    # Imported here: jsonschema is only needed when a package is written or read.
    from jsonschema import Draft202012Validator

    schema = json.loads(resource_path("schemas", name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@cache
def _fast_check(name: str) -> Callable[[Any], Any]:
    """The schema compiled to Python by fastjsonschema: about 9× faster than jsonschema on a
    province's data.json (seconds per package; see docs/performance.md). It implements draft 7,
    which means the same as 2020-12 for the keywords our data schema uses (no `$ref` with
    sibling keywords, no prefixItems/unevaluated*); formats are not checked, as in jsonschema's
    default. It only decides valid or not: on a refusal jsonschema says where and why."""
    import fastjsonschema

    schema = _forbidden_as_properties(
        json.loads(resource_path("schemas", name).read_text(encoding="utf-8")))
    # use_default=False: never fill in defaults, so checking a tree in place (data.json is
    # validated before it is written, see reports/data_json.py) can never change it.
    options: dict[str, Any] = {"use_formats": False, "use_default": False}
    code = fastjsonschema.compile_to_code(schema, **options)
    entry = re.search(r"^def (\w+)\(", code, re.MULTILINE)  # the schema's root comes first
    if entry is None:  # generated differently by another version: as it comes
        return fastjsonschema.compile(schema, **options)
    # The generated code builds each record's path for its error messages (".people[12]")
    # before every `$ref` call, as `"…{i}…".format(**locals())`: copying all the function's
    # locals into a dict was 60 % of the check of a province's data.json. The same text as an
    # f-string reads the one variable it names; templates with anything but plain `{name}`
    # placeholders are left as they are. Then it is run as fastjsonschema.compile runs it.
    # (fastjsonschema is pinned; tests/reports/test_data_json.py compares the verdicts.)
    namespace: dict[str, Any] = {}
    exec(compile(_FORMAT_LOCALS.sub(r'f"\1"', code), f"<{name}>", "exec"), namespace)
    check: Callable[[Any], Any] = namespace[entry.group(1)]
    return check


_FORMAT_LOCALS = re.compile(
    r'"((?:[^"\\{}]|\{[A-Za-z_][A-Za-z0-9_]*\})*)"\.format\(\*\*locals\(\)\)')


def _forbidden_as_properties(node: Any) -> Any:
    """The same schema, with `{"type": "object", "not": {"anyOf": [{"required": ["k1"]}, …]}}`
    (a person may carry no name, phone…) written as `"properties": {"k1": false, …}`.

    The same instances pass: for an object, "not any of the keys is present" is "each key is
    absent", which is what a `false` property schema says; a non-object fails `type` in both.
    Only rewritten when that holds exactly (one key per `required`, nothing else in `not`).
    Why: fastjsonschema runs the `not anyOf` form by raising and catching an exception per key
    and record (five per person), a fifth of the check of a province's data.json."""
    if isinstance(node, list):
        return [_forbidden_as_properties(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _forbidden_as_properties(v) for k, v in node.items()}
    forbidden = out.get("not")
    alternatives = forbidden.get("anyOf") if isinstance(forbidden, dict) else None
    if (out.get("type") == "object" and isinstance(forbidden, dict)
            and list(forbidden) == ["anyOf"] and isinstance(alternatives, list) and alternatives
            and all(isinstance(a, dict) and list(a) == ["required"]
                    and isinstance(a["required"], list) and len(a["required"]) == 1
                    and isinstance(a["required"][0], str) for a in alternatives)):
        del out["not"]
        out["properties"] = {**out.get("properties", {}),
                             **{a["required"][0]: False for a in alternatives}}
    return out


# Keywords of the top level of data.schema.json under which its lists are independent (below).
_TOP_KEYWORDS = frozenset({"$schema", "$id", "$defs", "title", "description", "type",
                           "required", "properties"})


@cache
def lists_checked_alone() -> frozenset[str]:
    """Top-level keys of data.json whose list may be checked in a document where the other
    such lists are empty: the whole document is valid exactly when each of those documents is.

    That holds because the schema's top level has only `type`, `required` and `properties`
    (each property is checked on its own value, nothing couples two of them), and each of these
    properties is just `{"type": "array", "items": …}`, which an empty list passes. When the
    schema grows anything else this is empty and data.json is checked whole."""
    schema = json.loads(resource_path("schemas", DATA_SCHEMA).read_text(encoding="utf-8"))
    if set(schema) - _TOP_KEYWORDS or schema.get("type") != "object":
        return frozenset()
    return frozenset(
        key for key, sub in (schema.get("properties") or {}).items()
        if isinstance(sub, dict) and sub.get("type") == "array"
        and set(sub) <= {"type", "items", "description"})


def _where(path: Any) -> str:
    parts = [str(p) for p in path]
    return "/".join(parts) if parts else "(gốc)"


def _reason(error: Any) -> str:
    """A Vietnamese reason that never quotes the offending value: it may be personal data, and
    refusals are written to the log."""
    keyword, expected = error.validator, error.validator_value
    if keyword == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        missing = [k for k in expected if k not in present]
        return f"thiếu khóa bắt buộc {', '.join(missing) or expected}"
    if keyword == "type":
        return f"sai kiểu dữ liệu (cần {expected})"
    if keyword in ("enum", "const"):
        return f"giá trị không được phép (cho phép: {expected})"
    if keyword == "pattern":
        return "giá trị không đúng mẫu quy định"
    if keyword == "not":
        return "chứa thông tin không được phép gửi đi (họ tên, số điện thoại, số giấy tờ…)"
    if keyword in ("minimum", "maximum", "minLength", "maxLength", "uniqueItems"):
        return f"giá trị vượt giới hạn ({keyword} {expected})"
    if keyword in ("contains", "allOf"):
        return "thiếu chỉ tiêu bắt buộc (cần đủ CT1–CT9)"
    return f"không hợp lệ ({keyword})"


def _validate(name: str, instance: Any, what: str) -> None:
    if name == DATA_SCHEMA:  # the big one; a manifest is a few hundred bytes
        from fastjsonschema import JsonSchemaException

        try:
            _fast_check(name)(instance)
            return
        except JsonSchemaException:
            pass  # jsonschema below finds the first error and words it
    errors = sorted(_validator(name).iter_errors(instance),
                    key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        first = errors[0]
        more = f" (và {len(errors) - 1} lỗi khác)" if len(errors) > 1 else ""
        raise PackageError(
            f"{what} không đúng định dạng gói báo cáo 1.x tại {_where(first.absolute_path)}: "
            f"{_reason(first)}{more}."
        )


def validate_manifest(manifest: Any) -> None:
    """Raise PackageError unless `manifest` follows manifest.schema.json."""
    _validate(MANIFEST_SCHEMA, manifest, "Tệp manifest.json")


def validate_data(data: Any) -> None:
    """Raise PackageError unless `data` follows data.schema.json."""
    _validate(DATA_SCHEMA, data, "Tệp data.json")
