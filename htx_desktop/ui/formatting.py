"""How values look in lists and forms: dates dd/MM/yyyy, money in VND with dot separators."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from htx_desktop.i18n import t


def fmt_date(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return ""


def fmt_int(value: Any) -> str:
    if value is None or value == "":
        return ""
    return f"{int(value):,}".replace(",", ".")


def fmt_money(value: Any) -> str:
    """1500000 -> "1.500.000" (the Vietnamese thousands separator is a dot)."""
    return fmt_int(value)


def parse_money(text: str) -> int | None:
    digits = "".join(ch for ch in text if ch.isdigit())
    return int(digits) if digits else None


def fmt_bool(value: Any) -> str:
    if value is None:
        return ""
    return t("Có") if value else t("Không")


def fmt_text(value: Any) -> str:
    return "" if value is None else str(value)
