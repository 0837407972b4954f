"""The one type of a refusal: something the officer asked for, or a file she gave, that the
program will not do or take, with the Vietnamese sentence she reads (what is wrong and, where it
can, what to do). Nothing was changed when one is raised.

Every front door decides by this type, never by an exception's name: the command line prints
`user_message` and exits 1 (`cli/failures.py`); the window's exception hook shows it in a plain
message box rather than as a crash (`ui/error_dialog.py`). Anything that is not a Refusal (nor a
failure of the PC, `store/os_errors.py`) is a defect: logged, and told as "an unexpected error".

Qt-free and importing nothing, so that every layer can derive its errors from it.
"""

from __future__ import annotations


class Refusal(Exception):
    """A refusal with the sentence the officer reads; `str(exc)` is that sentence too."""

    def __init__(self, user_message: str, *args: object) -> None:
        super().__init__(user_message, *args)
        self.user_message = user_message

    def __str__(self) -> str:
        return self.user_message
