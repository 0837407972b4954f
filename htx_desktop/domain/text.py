"""Text normalisation for Vietnamese: one form for storage, one folded key for search.

Vietnamese can arrive precomposed (NFC) or decomposed (NFD, e.g. from macOS file names or some
keyboards); the same name must compare equal either way.
"""

from __future__ import annotations

import unicodedata


def nfc(s: str) -> str:
    """The canonical composed form we store."""
    return unicodedata.normalize("NFC", s)


def fold(s: str) -> str:
    """A search and duplicate key: lower case, no diacritics, đ→d, single spaces.

    "Đại  Từ" and "dai tu" give the same key, so officers can type without diacritics.
    """
    decomposed = unicodedata.normalize("NFD", s.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # đ is a letter of its own (not d + a mark), so NFD leaves it alone.
    stripped = stripped.replace("đ", "d")
    return " ".join(stripped.split())
