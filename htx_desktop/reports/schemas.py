"""JSON Schemas of `manifest.json` and `data.json` (format 1), checked on every write and read.

The schemas live in `resources/schemas/` so that other programs can use the same files.
"""

from __future__ import annotations

import json
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

    schema = json.loads(resource_path("schemas", name).read_text(encoding="utf-8"))
    return fastjsonschema.compile(schema, use_formats=False)


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
