"""Vietnamese alphabetical order (a ă â b c d đ e ê …, tones after the base letter) through
Qt's collator, which the PySide6 wheels ship with the ICU data for Vietnamese."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import TypeVar

from PySide6.QtCore import QCollator, QLocale

T = TypeVar("T")

# Words naming the kind of unit: "Xã Bạch Thông" is sorted under B, next to "Phường Bắc Kạn".
UNIT_KINDS = ("thành phố ", "thị trấn ", "thị xã ", "phường ", "huyện ", "tỉnh ", "quận ",
              "đặc khu ", "xã ")


@cache
def _collator() -> QCollator:
    collator = QCollator(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    collator.setNumericMode(True)
    return collator


def vi_key(text: str) -> object:
    return _collator().sortKey(text)


def unit_name_key(name: str) -> object:
    """A unit sorted by its proper name, not by the word for its kind."""
    lowered = name.lower()
    for word in UNIT_KINDS:
        if lowered.startswith(word):
            return _collator().sortKey(name[len(word):])
    return _collator().sortKey(name)


def vi_sorted(items: Iterable[T], key: Callable[[T], str] = str) -> list[T]:
    return sorted(items, key=lambda item: _collator().sortKey(key(item)))
