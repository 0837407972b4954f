"""The one error the package writer and its checks raise."""

from __future__ import annotations


class PackageError(Exception):
    """A package could not be written or is not valid; the message is Vietnamese and says
    what is wrong and, where possible, what to do."""
