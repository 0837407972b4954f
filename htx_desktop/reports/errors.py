"""The one error the package writer and its checks raise."""

from __future__ import annotations

from htx_desktop.errors import Refusal


class PackageError(Refusal):
    """A package could not be written or is not valid; `user_message` is Vietnamese and says
    what is wrong and, where possible, what to do."""
