"""Work off the UI thread for the export page: a QRunnable whose result comes back through
signals, and the imports to do on the UI thread before starting one.

PySide6's import hook is not thread-safe: a module imported for the first time inside a worker
thread crashed the program (seen with jsonschema). So every module an export or a preview
imports lazily is imported on the UI thread first (`preload_export`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal, Slot

# What an export or a preview imports lazily, measured on a commune's export; imported on the
# UI thread before a worker starts (see the module docstring). Missing ones are skipped.
_LAZY_MODULES = (
    "htx_desktop.reports.export", "htx_desktop.reports.figures", "htx_desktop.reports.package",
    "htx_desktop.reports.pdf", "htx_desktop.reports.workbook", "htx_desktop.receiving.crypto",
    "htx_desktop.store.submissions", "htx_desktop.store.locks", "htx_desktop.store.targets",
    "PIL.Image", "babel.dates", "babel.numbers", "cryptography.hazmat.backends.openssl.backend",
    "encodings.unicode_escape", "encodings.utf_16_be", "fractions", "getpass", "glob",
    "html.parser", "mimetypes", "openpyxl", "openpyxl.packaging.extended", "pprint",
    "reportlab.lib.PyFontify", "reportlab.lib.enums", "reportlab.lib.pagesizes",
    "reportlab.lib.rl_safe_eval", "reportlab.lib.styles", "reportlab.lib.units",
    "reportlab.pdfbase.ttfonts", "reportlab.platypus", "reportlab.platypus.tables",
    "reportlab.platypus.xpreformatted", "zipfile", "zoneinfo",
    # issue 22: print set-up, the QR code and the Word copy
    "htx_desktop.reports.sheet_print", "htx_desktop.reports.print_code",
    "htx_desktop.reports.docx_report", "openpyxl.worksheet.pagebreak",
    "openpyxl.utils.indexed_list", "segno", "segno.writers", "docx", "docx.enum.table",
    "docx.enum.text", "docx.oxml.ns", "docx.shared", "lxml.etree",
)


def preload_export() -> None:
    import contextlib
    import importlib

    from htx_desktop.receiving.reader import preload
    from htx_desktop.reports.pdf import register_fonts

    for name in _LAZY_MODULES:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    preload()  # jsonschema and both validators
    register_fonts()



class JobSignals(QObject):
    done = Signal(object)  # (job, result)
    failed = Signal(object)  # (job, Vietnamese message)


class Job(QRunnable):
    """A function in a worker thread. Its result or failure come back through signals
    connected to the page's own methods, so they run on the UI thread (a plain lambda as the
    receiver could run in the worker and touch widgets from there)."""

    def __init__(self, work: Callable[[], Any], on_done: Callable[[Any], None],
                 on_failed: Callable[[str], None]) -> None:
        super().__init__()
        self.work, self.on_done, self.on_failed = work, on_done, on_failed
        self.signals = JobSignals()

    @Slot()
    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:  # shown to the officer as it is; the writer left nothing
            self.signals.failed.emit((self, getattr(exc, "user_message", None) or str(exc)))
            return
        self.signals.done.emit((self, result))
