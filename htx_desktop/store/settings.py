"""Settings of this copy, kept in the database so that a backup carries them.

Values are stored as text; lists as JSON. Unknown keys are allowed (the UI keeps column widths
here), the known ones below have defaults and are checked when set.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from htx_desktop.domain.catalogues import DEFAULT_MANAGEMENT_POSITIONS, Position
from htx_desktop.i18n import t
from htx_desktop.store.backup import DEFAULT_KEEP
from htx_desktop.store.errors import StoreError
from htx_desktop.store.models import Setting, Unit

DEFAULTS: dict[str, str] = {
    "officer_name": "",
    "officer_position": "",
    "officer_phone": "",
    "management_positions": json.dumps(list(DEFAULT_MANAGEMENT_POSITIONS)),
    "language": "vi",
    "report_deadline": "12-25",  # MM-DD: packages received after it are late
    "backup_keep": str(DEFAULT_KEEP),
}

SettingValue = str | int | Sequence[str]


@dataclass(frozen=True)
class Officer:
    name: str
    position: str
    phone: str


def get_setting(session: Session, key: str, default: str | None = None) -> str | None:
    """The stored text, else `default`, else the built-in default (None if there is none)."""
    row = session.get(Setting, key)
    if row is not None:
        return row.value
    return default if default is not None else DEFAULTS.get(key)


def set_setting(session: Session, key: str, value: SettingValue) -> None:
    """Store a value: text as it is, a number as text, a list of codes as JSON."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, int):
        text = str(value)
    else:
        text = json.dumps(list(value), ensure_ascii=False)
    _check(key, text)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=text))
    else:
        row.value = text
    session.flush()


def _check(key: str, text: str) -> None:
    """Refuse a value that would break the program later (a bad deadline, an unknown code)."""
    if key == "home_unit_id" and not text.isdigit():
        raise StoreError(t("Mã đơn vị sử dụng không hợp lệ: {value}.", value=text))
    if key == "language" and text not in ("vi", "en"):
        raise StoreError(t("Ngôn ngữ không hợp lệ: {value} (chỉ nhận vi hoặc en).", value=text))
    if key == "backup_keep" and not (text.isdigit() and int(text) >= 1):
        raise StoreError(t("Số bản sao lưu giữ lại phải là số nguyên dương."))
    if key == "report_deadline":
        m = re.fullmatch(r"(\d\d)-(\d\d)", text)
        if not m or not (1 <= int(m[1]) <= 12 and 1 <= int(m[2]) <= 31):
            raise StoreError(t("Hạn nộp báo cáo phải có dạng MM-DD, ví dụ 12-25."))
    if key == "management_positions":
        try:
            codes = json.loads(text)
        except ValueError:
            codes = None
        known = {p.value for p in Position}
        if not isinstance(codes, list) or not codes or not set(codes) <= known:
            raise StoreError(t("Danh sách chức danh quản lý không hợp lệ."))


def home_unit(session: Session) -> Unit | None:
    """The unit this copy works for (set by the first-run wizard or `init`)."""
    value = get_setting(session, "home_unit_id")
    return session.get(Unit, int(value)) if value and value.isdigit() else None


def officer(session: Session) -> Officer:
    return Officer(
        name=get_setting(session, "officer_name") or "",
        position=get_setting(session, "officer_position") or "",
        phone=get_setting(session, "officer_phone") or "",
    )


def management_positions(session: Session) -> tuple[str, ...]:
    """The position codes that count as "management" (province setting, national default)."""
    text = get_setting(session, "management_positions") or "[]"
    codes = json.loads(text)
    return tuple(codes) if codes else DEFAULT_MANAGEMENT_POSITIONS


def report_deadline(session: Session) -> tuple[int, int]:
    """(month, day) of the yearly report deadline."""
    month, day = (get_setting(session, "report_deadline") or "12-25").split("-")
    return int(month), int(day)


def backup_keep(session: Session) -> int:
    return int(get_setting(session, "backup_keep") or DEFAULT_KEEP)
