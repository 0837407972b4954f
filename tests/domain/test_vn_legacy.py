"""Legacy Vietnamese encodings (TCVN3/ABC and VNI) recognised and converted; tone placement."""

from __future__ import annotations

import unicodedata

import pytest

from htx_desktop.domain.text import fold, has_diacritics, match_key, one_tone_placement
from htx_desktop.domain.vn_legacy import convert, detect

# (as pasted, its encoding, the Unicode text)
SAMPLES = [
    ("NguyÔn ThÞ Hoa", "tcvn3", "Nguyễn Thị Hoa"),
    ("Hå ThÞ Thóy, 1985, x· Phó L\u00ad¬ng", "tcvn3", "Hồ Thị Thúy, 1985, xã Phú Lương"),
    ("NGUYÔN V¡N MINH", "tcvn3", "NGUYỄN VĂN MINH"),
    ("Tr\u00ad¬ng ThÞ YÕn", "tcvn3", "Trương Thị Yến"),
    ("§µo ThÞ Kh¸nh Hßa", "tcvn3", "Đào Thị Khánh Hòa"),
    ("Nguyeãn Thò Hoa", "vni", "Nguyễn Thị Hoa"),
    ("Leâ Thò Thuùy", "vni", "Lê Thị Thúy"),
    ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "vni", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("tröôøng ñoàng", "vni", "trường đồng"),
]


@pytest.mark.parametrize(("pasted", "encoding", "unicode"), SAMPLES)
def test_legacy_text_is_recognised_and_converted(pasted: str, encoding: str,
                                                 unicode: str) -> None:
    assert detect(pasted) == encoding
    assert convert(pasted, encoding) == unicode  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [
    "Nguyễn Thị Hòa", "Hoàng Thị Mỹ", "Bàn Thị Hải\t1987\tXã Tân Cương", "Thuý Khoẻ",
    "Đỗ Thị Ánh", "Nguyen Thi Hoa", "Giáp Thị Quế, quân, tiên, giúp", "Café Ngọc Khuê",
    "Thò", "0912 345 678", ""])
def test_unicode_vietnamese_is_left_alone(text: str) -> None:
    assert detect(text) is None
    assert detect(unicodedata.normalize("NFD", text)) is None


def test_no_demo_name_reads_as_legacy() -> None:
    from htx_desktop.demo import names as dn
    words = {w for picker in (*dn.SURNAMES.values(), dn.FEMALE_MIDDLE, dn.MALE_MIDDLE,
                              dn.FEMALE_GIVEN, dn.MALE_GIVEN) for w in picker.items}
    names = [f"{a} Thị {b}" for a in words for b in words]
    assert len(names) > 1000 and not [n for n in names if detect(n)]


@pytest.mark.parametrize(("old", "new"), [
    ("Hòa", "Hoà"), ("Thúy", "Thuý"), ("Khỏe", "Khoẻ"), ("HÒA", "hoà"), ("Qúy", "Quý"),
    ("ngòai", "ngoài"), ("Nguyễn Thị Thủy", "NGUYỄN  THỊ THUỶ")])
def test_tone_placement_variants_share_one_key(old: str, new: str) -> None:
    assert match_key(old) == match_key(new)
    assert match_key(unicodedata.normalize("NFD", old)) == match_key(new)
    assert fold(old) == fold(new)


def test_tone_placement_keeps_other_words_and_different_names() -> None:
    for word in ("Hoàng", "của", "Thuyết", "Quế", "mùa", "Huệ"):
        assert one_tone_placement(word) == word
    assert match_key("Hoa") != match_key("Hòa") != match_key("Hóa")
    assert has_diacritics("Hòa") and not has_diacritics("Nguyen Thi Hoa")
