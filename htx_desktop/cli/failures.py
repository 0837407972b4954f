"""Turn an exception into one or two lines a person can act on, and an exit code.

A refusal (`htx_desktop/errors.py`: bad values, bad files, a damaged database) says what is
wrong and what to do; a failure of the PC (`store/os_errors.py`: a full disk, no permission) says
so in one sentence, and is logged. Anything else is a defect: its details go to the log in the
data folder, never to the screen.
"""

from __future__ import annotations

import argparse
import logging
import traceback
from datetime import datetime
from pathlib import Path

from htx_desktop.cli.output import EXIT_REFUSED
from htx_desktop.errors import Refusal
from htx_desktop.i18n import t

log = logging.getLogger(__name__)


def explain(exc: BaseException, args: argparse.Namespace) -> tuple[str, int]:
    if isinstance(exc, Refusal):
        return exc.user_message, EXIT_REFUSED
    from htx_desktop.store.os_errors import os_failure

    failure = os_failure(exc, _folder(args))
    if failure is not None:  # the PC's fault (disk full, no permission, …): one sentence
        _log_unexpected(exc, args)
        return failure.user_message, EXIT_REFUSED
    log_path = _log_unexpected(exc, args)
    where = t(" Chi tiết đã được ghi vào {path}.", path=log_path) if log_path else ""
    return t("Đã xảy ra lỗi không mong đợi; dữ liệu không bị thay đổi.") + where, EXIT_REFUSED


def _folder(args: argparse.Namespace) -> Path | None:
    try:
        from htx_desktop.store.paths import resolve_data_dir

        return resolve_data_dir(getattr(args, "data_dir", None), create=False).root
    except Exception:
        return None


def _log_unexpected(exc: BaseException, args: argparse.Namespace) -> Path | None:
    try:
        from htx_desktop.store.paths import log_folder, resolve_data_dir

        data_dir = resolve_data_dir(getattr(args, "data_dir", None), create=False)
        if not data_dir.root.is_dir():
            return None  # a mistyped folder is not created for a log (cli/context.py)
        logs = log_folder(data_dir)
        path = logs / f"cli-{datetime.now():%Y%m%d}.log"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now().isoformat()} {getattr(args, 'command', '')}\n")
            fh.write("".join(traceback.format_exception(exc)))
        return path
    except Exception:  # the log is best effort; the message still reaches the officer
        log.debug("could not write the error log", exc_info=True)
        return None
