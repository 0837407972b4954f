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


# The five tone marks (the vowel-quality marks circumflex, breve and horn are left alone).
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
# A tone on the first vowel of these pairs may also be written on the second ("old" and "new"
# placement: hòa/hoà, thúy/thuý, khỏe/khoẻ); the key puts it on the second.
_MOVABLE = {"o": "ae", "u": "y"}


def _clusters(s: str) -> list[list[str]]:
    """NFD text as [base, marks…] clusters."""
    out: list[list[str]] = []
    for ch in unicodedata.normalize("NFD", s):
        if unicodedata.combining(ch) and out:
            out[-1].append(ch)
        else:
            out.append([ch])
    return out


def one_tone_placement(s: str) -> str:
    """`s` (NFC) with the tone of oa, oe, uy written on the second vowel: "Hòa", "Thúy" and
    "Khỏe" become "Hoà", "Thuý" and "Khoẻ"; every other letter is kept as it is. Both
    placements are in daily use (keyboards offer both), so two spellings of one name differ
    only here; comparing `one_tone_placement` of both tells them alike."""
    parts = _clusters(s)
    for i in range(len(parts) - 1):
        first, second = parts[i], parts[i + 1]
        follow = _MOVABLE.get(first[0].lower())
        if follow is None or second[0].lower() not in follow:
            continue
        tones = [m for m in first[1:] if m in _TONES]
        if len(tones) != 1 or len(first) != 2 or any(m in _TONES for m in second[1:]):
            continue  # ơ/ư/ô carry their tone themselves; a tone on both is left alone
        first.remove(tones[0])
        second.append(tones[0])
    return unicodedata.normalize("NFC", "".join("".join(p) for p in parts))


def match_key(s: str) -> str:
    """A key that keeps the diacritics but not the ways of writing them: NFC or NFD, old or
    new tone placement, upper or lower case and spacing give the same key ("NGUYỄN THỊ HÒA"
    and "Nguyễn Thị Hoà" are one name; "Hoa" and "Hòa" are two)."""
    return " ".join(one_tone_placement(nfc(s).lower()).split())


def has_diacritics(s: str) -> bool:
    """Whether `s` carries any Vietnamese mark (or đ): "Hoa" no, "Hòa" yes."""
    return fold(s) != " ".join(s.lower().split())
