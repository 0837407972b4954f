"""Vietnamese typed in the legacy TCVN3 (ABC) and VNI encodings, recognised and converted.

Old Word and Excel files typed with the .VnTime (TCVN3) or VNI-Times (VNI) fonts still
circulate; copied out of them, the text arrives as Latin-1 look-alikes: "NguyÔn ThÞ Hoa"
(TCVN3) or "Nguyeãn Thò Hoa" (VNI) for "Nguyễn Thị Hoa". `detect` tells which encoding a text
is in (or None: already Unicode, or not Vietnamese at all); `convert` turns it into Unicode
(NFC). Nothing is converted without the officer's consent: the caller offers it.

TCVN3 is one byte per letter; the byte is read as the Windows-1252 character of the same value.
It has no upper-case letters with tone marks (the .VnTimeH fonts drew the lower-case bytes in
capitals), so a word in capitals comes back in capitals. VNI writes a base letter followed by
one character that adds its marks ("e" + "ã" = ễ).
"""

from __future__ import annotations

import itertools
import unicodedata
from typing import Literal

from htx_desktop.domain.text import nfc

Encoding = Literal["tcvn3", "vni"]

NAMES: dict[str, str] = {"tcvn3": "TCVN3 (ABC, phông .VnTime)", "vni": "VNI (phông VNI-Times)"}

# TCVN3: byte value → letter.
_TCVN3_BYTES: dict[int, str] = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}
TCVN3: dict[str, str] = {bytes([b]).decode("cp1252"): ch for b, ch in _TCVN3_BYTES.items()}

# VNI: the character after a vowel → the marks it adds (NFD combining marks).
_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_VNI_MARKS_LOWER: dict[str, str] = {
    "ø": _GRAVE, "ù": _ACUTE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "â": _CIRC, "à": _CIRC + _GRAVE, "á": _CIRC + _ACUTE, "å": _CIRC + _HOOK,
    "ã": _CIRC + _TILDE, "ä": _CIRC + _DOT,
    "ê": _BREVE, "è": _BREVE + _GRAVE, "é": _BREVE + _ACUTE, "ú": _BREVE + _HOOK,
    "ü": _BREVE + _TILDE, "ë": _BREVE + _DOT,
}
VNI_MARKS: dict[str, str] = {**_VNI_MARKS_LOWER,
                             **{k.upper(): v for k, v in _VNI_MARKS_LOWER.items()}}
_VNI_LETTERS_LOWER: dict[str, str] = {
    "ô": "ơ", "ö": "ư", "ñ": "đ", "ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ",
}
VNI_LETTERS: dict[str, str] = {**_VNI_LETTERS_LOWER,
                               **{k.upper(): v.upper() for k, v in _VNI_LETTERS_LOWER.items()}}
_VOWELS = frozenset("aeiouyơưAEIOUYƠƯ")

# Every letter of Vietnamese written in Unicode (NFC), both cases.
_VIET_LOWER = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữự"
    "vxyỳýỷỹỵfjwz")
VIET_LETTERS = frozenset(_VIET_LOWER + _VIET_LOWER.upper())


def _plain(text: str) -> bool:
    """Every letter is a Vietnamese letter (digits, spaces and punctuation are not letters)."""
    return all(ch in VIET_LETTERS for ch in text if ch.isalpha())


def _tcvn3_to_unicode(text: str) -> str:
    words = []
    for word in text.split(" "):
        out = "".join(TCVN3.get(ch, ch) for ch in word)
        ascii_letters = [ch for ch in word if ch.isascii() and ch.isalpha()]
        # TCVN3 has no capitals with tone marks: "NGUYÔN" comes back "NGUYễN" → "NGUYỄN"
        if len(ascii_letters) >= 2 and all(ch.isupper() for ch in ascii_letters):
            out = out.upper()
        words.append(out)
    return nfc(" ".join(words))


def _vni_to_unicode(text: str) -> str:
    parts: list[str] = []
    for ch in text:
        if ch in VNI_MARKS and parts and parts[-1][:1] in _VOWELS:
            parts[-1] += VNI_MARKS[ch]
        elif ch in VNI_LETTERS:
            parts.append(unicodedata.normalize("NFD", VNI_LETTERS[ch]))
        else:
            parts.append(ch)
    return nfc("".join(parts))


def convert(text: str, encoding: Encoding) -> str:
    """`text` read as `encoding`, in Unicode (NFC)."""
    return _tcvn3_to_unicode(text) if encoding == "tcvn3" else _vni_to_unicode(text)


def _odd_capitals(text: str) -> int:
    """Words with a capital letter after a small one ("NguyÔn", "HoÀng"): Unicode Vietnamese
    never writes them; TCVN3 and VNI text does (Ô is ễ in TCVN3, À a mark in VNI)."""
    count = 0
    for word in text.split():
        letters = [ch for ch in word if ch.isalpha()]
        for a, b in itertools.pairwise(letters):
            if a.islower() and b.isupper():
                count += 1
                break
    return count


# Vowel pairs Unicode Vietnamese writes with the second vowel marked (hoà, quân, tiên, …);
# any other plain vowel followed by a VNI mark character ("eã" in "Nguyeãn") is VNI.
_UNICODE_PAIRS = frozenset({"oà", "oá", "oã", "oè", "oé", "uâ", "uà", "uá", "uã", "uê", "uô",
                            "yê", "iê"})


def _vni_pairs(text: str) -> int:
    low = text.lower()
    count = 0
    for i in range(len(low) - 1):
        a, b = low[i], low[i + 1]
        if a not in "aeiouy" or b not in _VNI_MARKS_LOWER or a + b in _UNICODE_PAIRS:
            continue
        before = low[i - 1] if i else ""
        if (a == "i" and before == "g") or (a == "u" and before == "q"):
            continue  # gi and qu are consonants: giá, quá
        count += 1
    return count


def detect(text: str) -> Encoding | None:
    """The legacy encoding `text` is written in, or None when it reads as Unicode Vietnamese
    (or as neither). A guess from letters that Unicode Vietnamese does not use, confirmed by
    the conversion giving only Vietnamese letters; the one that changes more wins."""
    text = nfc(text)
    foreign = sum(1 for ch in text if ch.isalpha() and ch not in VIET_LETTERS)
    foreign += text.count("\u00ad") + sum(text.count(ch) for ch in "§¨©ª«¬®¡¢£¤¥¦¸¶·¹µ»¼½¾×÷")
    if foreign == 0 and _odd_capitals(text) == 0 and _vni_pairs(text) == 0:
        return None
    best: tuple[int, Encoding] | None = None
    encodings: tuple[Encoding, ...] = ("tcvn3", "vni")
    for encoding in encodings:
        converted = convert(text, encoding)
        if converted == text or not _plain(converted):
            continue
        if _odd_capitals(converted) > _odd_capitals(text):
            continue
        changed = sum(1 for a, b in zip(text, converted, strict=False) if a != b) + abs(
            len(text) - len(converted))
        if best is None or changed > best[0]:
            best = (changed, encoding)
    return best[1] if best else None
