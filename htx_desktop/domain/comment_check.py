"""What a reviewer's comment must not carry: comments travel by email and Zalo in a receipt, so
a woman's phone number or ID number must not be written in them (issue 21).

The program cannot recognise a name, so the comment box only reminds the officer; it does
recognise what looks like a phone number (10 digits starting with 0, or +84 …, spaces, dots
and dashes allowed between digits) or an ID number (9 or 12 digits in a row), and warns.
Figures ("18 lao động nữ, không phải 81", "150.000.000 đồng") are not mistaken for them.
"""

from __future__ import annotations

import re

from htx_desktop.i18n import t

# 0 or +84/84, then 8–10 more digits, separators allowed between them.
_PHONE = re.compile(r"(?<![\d.,])(?:\+?84|0)(?:[ .\-]?\d){8,10}(?![\d])")
# CMND (9 digits) or CCCD (12 digits) written in one piece.
_ID_NUMBER = re.compile(r"(?<![\d.,])(?:\d{12}|\d{9})(?![\d.,]\d|\d)")

REMINDER = ("Ý kiến được gửi về đơn vị qua thư điện tử hoặc Zalo: không ghi họ tên, số điện "
            "thoại hay số giấy tờ của chị em; hãy gọi bản ghi theo tên HTX, hoạt động, hoặc "
            "chỉ tiêu.")


def personal_data_warnings(text: str) -> list[str]:
    """Vietnamese warnings about what looks like personal data in `text` ([] when none)."""
    out: list[str] = []
    if _PHONE.search(text or ""):
        out.append(t("Ý kiến có vẻ chứa một số điện thoại: hãy bỏ số điện thoại của chị em "
                     "ra khỏi ý kiến."))
    if _ID_NUMBER.search(_PHONE.sub(" ", text or "")):
        out.append(t("Ý kiến có vẻ chứa một số CMND/CCCD: hãy bỏ số giấy tờ ra khỏi ý kiến."))
    return out
