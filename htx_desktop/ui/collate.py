"""Vietnamese alphabetical order (a ă â b c d đ e ê …, tones after the base letter) through
Qt's collator, which the PySide6 wheels ship with the ICU data for Vietnamese."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QCollator, QCollatorSortKey, QLocale

from htx_desktop.domain.unit_sort import proper_name


@cache
def _collator() -> QCollator:
    collator = QCollator(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    collator.setNumericMode(True)
    return collator


def vi_key(text: str) -> QCollatorSortKey:
    return _collator().sortKey(text)


def unit_name_key(name: str) -> QCollatorSortKey:
    """A unit sorted by its proper name, not by the word for its kind."""
    return vi_key(proper_name(name))
