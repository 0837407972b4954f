"""Which column of an office's own spreadsheet holds which field.

Found automatically from the header wordings (`columns.py` synonyms), editable in the wizard,
and remembered in the settings table under a fingerprint of the header row, so that next
year's copy of the same list maps itself.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy.orm import Session

from htx_desktop.sheets.columns import COLUMNS, column_for, header_key
from htx_desktop.store.settings import get_setting, set_setting

Mapping_ = dict[int, str]  # column index (0-based) → column key of `columns.py`


def auto_map(kind: str, headers: list[str]) -> Mapping_:
    """Each recognised header to its column; a column is taken by its first header only."""
    out: Mapping_ = {}
    for i, header in enumerate(headers):
        if not header:
            continue
        column = column_for(kind, header)
        if column is not None and column.key not in out.values():
            out[i] = column.key
    return out


def detect_kind(headers: list[str]) -> str | None:
    """The kind whose columns the headers name most (required columns weigh more)."""
    best: tuple[int, str] | None = None
    for kind, columns in COLUMNS.items():
        keys = set(auto_map(kind, headers).values())
        score = sum(2 if c.required else 1 for c in columns if c.key in keys)
        if keys and (best is None or score > best[0]):
            best = (score, kind)
    return best[1] if best else None


def fingerprint(headers: list[str]) -> str:
    """The same for the same header row, whatever the case, diacritics or spacing."""
    text = "|".join(header_key(h or "") for h in headers).rstrip("|")
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _key(kind: str, headers: list[str]) -> str:
    return f"sheet_mapping.{kind}.{fingerprint(headers)}"


def remembered(session: Session, kind: str, headers: list[str]) -> Mapping_ | None:
    text = get_setting(session, _key(kind, headers))
    if not text:
        return None
    try:
        data = json.loads(text)
        known = {c.key for c in COLUMNS[kind]}
        return {int(i): key for i, key in data.items()
                if key in known and 0 <= int(i) < len(headers)}
    except (ValueError, AttributeError):
        return None  # a damaged entry: fall back to the automatic mapping


def remember(session: Session, kind: str, headers: list[str], mapping: Mapping_) -> None:
    set_setting(session, _key(kind, headers),
                json.dumps({str(i): key for i, key in sorted(mapping.items())}))


def mapping_for(session: Session, kind: str, headers: list[str]) -> Mapping_:
    """The remembered mapping of this header row, else the automatic one."""
    found = remembered(session, kind, headers)
    return found if found is not None else auto_map(kind, headers)


def missing_required(kind: str, mapping: Mapping_) -> list[str]:
    """Headers of required columns no source column is mapped to."""
    keys = set(mapping.values())
    return [c.header for c in COLUMNS[kind] if c.required and c.key not in keys]
