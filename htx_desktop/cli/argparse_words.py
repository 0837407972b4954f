"""argparse's own words (the usage line, the help headings, its error messages) in the
officer's language.

argparse marks its texts for translation with `gettext` and looks the module-level `_` and
`ngettext` up each time it uses them; `speaking()` replaces both while the command line's parser
is built and used, then puts them back. Vietnamese is the default; with `--lang en` argparse
speaks its own English. A message argparse gains in a later Python stays English (never
garbled): `tests/cli/test_cli_words.py` lists the ones an officer can meet.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

# argparse's message (Python 3.11–3.13) → how an officer reads it. `%(value)r` becomes
# “%(value)s”: Vietnamese quotes, no Python quoting.
VIETNAMESE: dict[str, str] = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "tham số",
    "options": "tuỳ chọn",
    "optional arguments": "tuỳ chọn",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "“%(value)s” không phải là một lựa chọn; hãy chọn một trong: %(choices)s",
    "the following arguments are required: %s": "còn thiếu phần bắt buộc: %s",
    "unrecognized arguments: %s": "không hiểu phần này của lệnh: %s",
    "expected one argument": "cần ghi một giá trị ngay sau tuỳ chọn này",
    "expected at most one argument": "chỉ được ghi nhiều nhất một giá trị",
    "expected at least one argument": "cần ghi ít nhất một giá trị",
    "expected %s argument": "cần ghi %s giá trị",
    "expected %s arguments": "cần ghi %s giá trị",
    "ambiguous option: %(option)s could match %(matches)s":
        "tuỳ chọn %(option)s chưa rõ: có thể là %(matches)s",
    "invalid %(type)s value: %(value)r": "giá trị “%(value)s” không hợp lệ",
    "not allowed with argument %s": "không dùng cùng %s",
    "one of the arguments %s is required": "cần một trong các tuỳ chọn %s",
    "ignored explicit argument %r": "tuỳ chọn này không nhận giá trị (“%s”)",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "không có lệnh “%(parser_name)s” (các lệnh: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "không mở được “%(filename)s”: %(error)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
}


def _vietnamese(message: str) -> str:
    return VIETNAMESE.get(message, message)


def _vietnamese_n(singular: str, plural: str, n: int) -> str:
    return _vietnamese(singular if n == 1 else plural)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """argparse speaks `language` ("vi" or "en") inside the block."""
    if language == "en":
        yield
        return
    saved = argparse.__dict__["_"], argparse.__dict__["ngettext"]
    argparse.__dict__["_"], argparse.__dict__["ngettext"] = _vietnamese, _vietnamese_n
    try:
        yield
    finally:
        argparse.__dict__["_"], argparse.__dict__["ngettext"] = saved
