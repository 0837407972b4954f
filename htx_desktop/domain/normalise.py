"""Bring typed-in values to one stored form before they are checked and saved.

Officers type dates as 25/12/2024, numbers with thousand dots (1.500.000), phones with spaces
(0912 345 678), and text that may arrive decomposed (NFD) from some keyboards. Every function
here is total: a value it cannot understand is returned unchanged, so that validation (which
runs on the result) can say what is wrong with it instead of this module raising.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from stdnum.vn import mst

from htx_desktop.domain.text import nfc

_THOUSANDS = re.compile(r"-?[0-9]{1,3}(?:[.,\u00a0 ][0-9]{3}){1,5}")
_DATE_DMY = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")


def clean_text(value: Any) -> Any:
    """NFC, trimmed; an empty text becomes None (nothing typed)."""
    if isinstance(value, str):
        text = nfc(value).strip()
        return text or None
    return value


def clean_code(value: Any) -> Any:
    """Catalogue codes are lower-case ASCII; tolerate stray spaces and capitals."""
    if isinstance(value, str):
        return value.strip().lower() or None
    return value


def clean_int(value: Any) -> Any:
    """A whole number from int, integral float, or text such as "1.500.000" or " 12 "."""
    if isinstance(value, bool):
        return value  # True is an int to Python, not to an officer: let validation refuse it
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        # [0-9], not \d: other scripts' digits are not what an officer means; and at most 18
        # digits, beyond which Python refuses to convert text to int.
        if re.fullmatch(r"-?[0-9]{1,18}", text):
            return int(text)
        if _THOUSANDS.fullmatch(text):
            return int(re.sub(r"[.,\u00a0 ]", "", text))
    return value


def clean_date(value: Any) -> Any:
    """A date from a date, a datetime, ISO text (2024-12-25) or Vietnamese text (25/12/2024)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
        match = _DATE_DMY.fullmatch(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                return value
    return value


def normalise_phone(value: str) -> str | None:
    """A Vietnamese phone number as ten digits starting with 0, or None if it is not one.

    Spaces, dots, dashes and brackets are allowed in what is typed; +84 / 84 becomes 0.
    """
    digits = _PHONE_SEPARATORS.sub("", nfc(value))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if re.fullmatch(r"0[0-9]{9}", digits) else None


def normalise_tax_code(value: str) -> str | None:
    """A valid tax code in its standard form (0100233488 or 0100233488-001), else None."""
    if not mst.is_valid(value):
        return None
    return str(mst.format(value))


def clean_phone(value: Any) -> Any:
    text = clean_text(value)
    if isinstance(text, str):
        return normalise_phone(text) or text
    return text


def clean_tax_code(value: Any) -> Any:
    text = clean_text(value)
    if isinstance(text, str):
        return normalise_tax_code(text) or text
    return text


def clean_digits(value: Any) -> Any:
    """ID numbers: digits only, separators typed for readability removed."""
    text = clean_text(value)
    if isinstance(text, str):
        compact = re.sub(r"[\s.\-]", "", text)
        return compact if re.fullmatch(r"[0-9]+", compact) else text
    return text


def format_date(value: date) -> str:
    """The Vietnamese way of writing a date in a message: 25/12/2024."""
    return value.strftime("%d/%m/%Y")
