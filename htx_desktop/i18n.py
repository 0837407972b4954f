"""The program's one translation layer.

Vietnamese is the source language: every user-visible string is written in Vietnamese in the
code and looked up in `resources/translations/en*.json` when English is chosen. The Qt UI routes
Qt's own strings through the same catalogue (see `ui/translator.py`), so there is one place to
translate.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from htx_desktop.resources import resource_path

_language = "vi"


def set_language(lang: str) -> None:
    global _language
    _language = "en" if lang == "en" else "vi"


def language() -> str:
    return _language


@cache
def _english() -> dict[str, str]:
    # One file per part of the program (en.json, en-cli.json, en-ui.json, …), merged.
    data: dict[str, str] = {}
    for path in sorted(resource_path("translations").glob("en*.json")):
        data.update(json.loads(path.read_text(encoding="utf-8")))
    return data


def t(message: str, /, **values: Any) -> str:
    """Translate a Vietnamese message to the current language, then fill `{name}` fields."""
    text = _english().get(message, message) if _language == "en" else message
    return text.format(**values) if values else text
