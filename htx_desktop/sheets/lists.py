"""The closed lists behind the drop-downs, and reading a cell back into a code.

Templates offer labels ("Liên hiệp HTX", "Có", "Nữ"); offices' own lists use other spellings
("LH HTX", "x", "nu"). Matching is on the folded text, and codes are accepted too.
"""

from __future__ import annotations

from typing import Any

from htx_desktop.domain.catalogues import (
    AttendanceRole,
    Catalogue,
    CoopKind,
    EventType,
    Gender,
    JobRole,
    Position,
    Sector,
)
from htx_desktop.domain.text import fold

YES = "Có"
NO = "Không"

CATALOGUES: dict[str, type[Catalogue]] = {
    "coop_kind": CoopKind,
    "sector": Sector,
    "gender": Gender,
    "position": Position,
    "event_type": EventType,
    "attendance_role": AttendanceRole,
    "job_role": JobRole,
}

# Other wordings seen in offices' lists, folded, by list and code.
_EXTRA: dict[str, dict[str, str]] = {
    "coop_kind": {"hop tac xa": "htx", "to hop tac": "tht", "lien hiep hop tac xa": "lhhtx",
                  "lh htx": "lhhtx", "lhhtx": "lhhtx", "lien hiep": "lhhtx"},
    "gender": {"f": "female", "m": "male", "nu gioi": "female", "nam gioi": "male"},
    "position": {"chu tich hoi dong quan tri": "chair", "chu tich": "chair",
                 "pho giam doc": "director", "truong ban kiem soat": "supervisory_head",
                 "to truong": "group_leader", "thanh vien hoi dong quan tri": "board_member"},
    "attendance_role": {"can bo quan ly htx": "htx_manager", "hoc vien": "participant",
                        "dai bieu": "participant", "hoi vien": "union_member"},
    "job_role": {"lao dong": "worker", "nguoi lao dong": "worker", "thanh vien": "member"},
}
_TRUE = {"co", "x", "yes", "y", "1", "true", "dung", "v"}
_FALSE = {"khong", "no", "n", "0", "false", "sai"}


def labels(list_name: str) -> list[str]:
    """The Vietnamese labels of a closed list, in its order (for the drop-down)."""
    if list_name == "bool":
        return [YES, NO]
    return [vi for vi, _en in CATALOGUES[list_name].labels().values()]


def code_of(list_name: str, value: Any) -> str | None:
    """The code a cell means in a closed list, or None if it means none."""
    if not isinstance(value, str):
        return None
    key = fold(value)
    catalogue = CATALOGUES[list_name]
    for code, (vi, en) in catalogue.labels().items():
        if key in (fold(code), fold(vi), fold(en)):
            return code
    return _EXTRA.get(list_name, {}).get(key)


def bool_of(value: Any) -> bool | None:
    """True/False for Có/Không (and x, 1, yes …), None if the cell says neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        key = fold(value)
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
    return None
