"""A unit's proper name, for sorting: "Xã Bạch Thông" is sorted under B, next to "Phường Bắc
Kạn", not among every "Xã …" after every "Phường …"."""

from __future__ import annotations

# Words naming the kind of unit (longest first: "thị xã" before "xã").
UNIT_KINDS = ("thành phố ", "thị trấn ", "thị xã ", "đặc khu ", "phường ", "huyện ",
              "tỉnh ", "quận ", "xã ")


def proper_name(name: str) -> str:
    lowered = name.lower()
    for word in UNIT_KINDS:
        if lowered.startswith(word):
            return name[len(word):]
    return name
