"""How the command line speaks: Vietnamese text by default, English with --lang en, JSON with
--json. Exit codes are a contract (docs/INTERFACES.md §1): 0 success, 1 refused input, 2 usage."""

from __future__ import annotations

import json
import sys
from typing import Any

from htx_desktop.errors import Refusal

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2


class CommandRefused(Refusal):
    """The input was refused: `user_message` says what is wrong and what to do (exit 1)."""


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def say(text: str) -> None:
    sys.stdout.write(text + "\n")


def complain(text: str) -> None:
    sys.stderr.write(text + "\n")
