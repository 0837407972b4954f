"""The one refusal of the spreadsheet code."""

from __future__ import annotations

from htx_desktop.errors import Refusal


class SheetError(Refusal):
    """A workbook that cannot be written or read; `user_message` says what to do."""
