"""Folding Vietnamese text for search and duplicate keys."""

from __future__ import annotations

import unicodedata

from htx_desktop.domain.text import fold, nfc


def test_fold_strips_diacritics_and_d_stroke() -> None:
    assert fold("Đại Từ") == "dai tu"
    assert fold("  HTX   Chè\tTân Cương ") == "htx che tan cuong"
    assert fold("Phường Phan Đình Phùng") == "phuong phan dinh phung"


def test_nfc_and_nfd_inputs_compare_equal() -> None:
    composed = "Nguyễn Thị Hoà"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert nfc(decomposed) == composed
    assert fold(decomposed) == fold(composed) == "nguyen thi hoa"


def test_fold_keeps_different_names_apart() -> None:
    assert fold("Võ Nhai") != fold("Vô Tranh")
