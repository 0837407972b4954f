"""The one refusal of the spreadsheet code (named in cli/failures.py's refusals)."""

from __future__ import annotations


class SheetError(Exception):
    """A workbook that cannot be written or read; the message says what to do."""
