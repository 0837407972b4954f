"""Errors of the store that a person can act on: `user_message` is shown as it is."""

from __future__ import annotations

from pathlib import Path

from htx_desktop.errors import Refusal


class StoreError(Refusal):
    """A known failure with a plain-language (Vietnamese) message, `user_message`."""


class DatabaseDamagedError(StoreError):
    """The database file cannot be read; `backup` is the newest good backup, if any."""

    def __init__(self, message: str, backup: Path | None = None) -> None:
        super().__init__(message)
        self.backup = backup
