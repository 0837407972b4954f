"""Opening another record's form from inside a form: a new person from an attendance list, a
cooperative from a picker's "add new", the existing record the duplicate bar names.

The forms are made by the form registry (`registry.py`), which imports every form; a form's own
fields cannot import it back without a circle. So the registry hands its `open_form` to this
module when it is imported, and the forms and their fields call `open_form` here. Every form is
made by the registry, so by the time a form is on screen its opener is installed.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtWidgets import QWidget

from htx_desktop.ui.context import AppContext


class OpenForm(Protocol):
    def __call__(self, ctx: AppContext, kind: str, record_id: str | None = None,
                 values: dict[str, Any] | None = None, draft_id: int | None = None,
                 parent: QWidget | None = None,
                 inherit: dict[str, Any] | None = None) -> str | None: ...


_installed: list[OpenForm] = []


def install(opener: OpenForm) -> None:
    """The registry's `open_form`, installed once when the registry is imported."""
    _installed[:] = [opener]


def open_form(ctx: AppContext, kind: str, record_id: str | None = None,
              values: dict[str, Any] | None = None, draft_id: int | None = None,
              parent: QWidget | None = None,
              inherit: dict[str, Any] | None = None) -> str | None:
    """Open `kind`'s form modally (`registry.open_form`); the saved record's id, or None."""
    if not _installed:
        raise RuntimeError("no form opener: import htx_desktop.ui.forms.registry first")
    return _installed[0](ctx, kind, record_id, values, draft_id, parent, inherit)
