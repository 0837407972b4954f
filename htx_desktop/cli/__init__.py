"""The command line (docs/INTERFACES.md §1): a thin front door over the store and the reports.

Every sub-command works without a display, never prompts, prints Vietnamese by default (English
with `--lang en`), JSON with `--json`, and exits 0 / 1 (refused) / 2 (wrong usage).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from htx_desktop.cli.output import EXIT_USAGE, complain
from htx_desktop.i18n import set_language, t

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """argparse that reports wrong usage in the chosen language and exits 2 (its own words:
    `argparse_words.py`)."""

    def error(self, message: str) -> NoReturn:
        complain(t("Lỗi cách dùng: {message}", message=message))
        # self.prog is the program and the command ("htx-desktop indicators"): named once.
        complain(t("Xem hướng dẫn: {prog} --help", prog=self.prog))
        raise SystemExit(EXIT_USAGE)

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        """A value outside the choices: the choices named plainly, a mistyped command with
        the list of commands."""
        if action.choices is None or value in action.choices:
            return
        choices = ", ".join(str(choice) for choice in action.choices)
        if isinstance(action, argparse._SubParsersAction):
            raise argparse.ArgumentError(None, t(
                "không có lệnh “{value}”. Các lệnh: {choices}.", value=value, choices=choices))
        raise argparse.ArgumentError(action, t(
            "“{value}” không phải là một lựa chọn; hãy chọn một trong: {choices}.",
            value=value, choices=choices))


def _language_from(argv: list[str]) -> str:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return "vi"


def build_parser() -> argparse.ArgumentParser:
    from htx_desktop.cli import (
        commands_data,
        commands_deadlines,
        commands_exchange,
        commands_keys,
        commands_report,
        commands_review,
        commands_setup,
        commands_sheets,
    )

    parser = _Parser(prog="htx-desktop", description=t(
        "HTX Desktop — theo dõi Đề án hỗ trợ HTX do phụ nữ tham gia quản lý. "
        "Không có lệnh con: mở cửa sổ chương trình."))
    parser.add_argument("--data-dir", metavar=t("THƯ_MỤC"), help=t(
        "thư mục dữ liệu (cơ sở dữ liệu, bản sao lưu, nhật ký); mặc định: thư mục dữ liệu "
        "của người dùng, hoặc biến môi trường HTX_DATA_DIR"))
    parser.add_argument("--database-url", metavar="URL", help=t(
        "máy chủ cơ sở dữ liệu dùng chung của văn phòng, ví dụ "
        "postgresql://can_bo@may-chu/htx; mặc định: biến môi trường HTX_DATABASE_URL, tệp "
        "server.json trong thư mục dữ liệu, hoặc tệp SQLite trong thư mục dữ liệu"))
    parser.add_argument("--lang", choices=["vi", "en"], default="vi",
                        help=t("ngôn ngữ thông báo (vi hoặc en)"))
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar=t("LỆNH"),
                                title=t("các lệnh"))
    for module in (commands_setup, commands_data, commands_report, commands_keys,
                   commands_sheets, commands_exchange, commands_review, commands_deadlines):
        module.register(sub)
    for action in sub._get_subactions():  # each command's --help opens with what it does
        sub.choices[action.dest].description = action.help
    return parser


_GLOBAL_OPTIONS = ("--data-dir", "--database-url", "--lang")


def window_options(argv: list[str]) -> dict[str, str] | None:
    """The global options when `argv` asks for the window (no command, no help), else None.

    The window's start skips building the full parser: its command modules import SQLAlchemy
    and the store (≈ 0.2 s), which the window defers until it is on screen. Anything else
    (a command, --help, an unknown or incomplete option) goes through the full parser."""
    options: dict[str, str] = {}
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        name, equals, value = arg.partition("=")
        if name not in _GLOBAL_OPTIONS:
            return None
        if not equals:
            if not rest or rest[0].startswith("-"):
                return None
            value = rest.pop(0)
        if name == "--lang" and value not in ("vi", "en"):
            return None
        options[name] = value
    return options


def run(argv: list[str]) -> int:
    set_language(_language_from(argv))
    gui = window_options(argv)
    if gui is not None:
        return _open_window(gui.get("--data-dir"), gui.get("--database-url"))
    from htx_desktop.cli.argparse_words import speaking
    from htx_desktop.i18n import language

    try:
        with speaking(language()):
            args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help exits 0, wrong usage 2
        return int(exc.code or 0)
    if args.command is None:  # only reached with options window_options does not read
        return _open_window(args.data_dir, args.database_url)
    handler: Handler = args.handler
    from htx_desktop.cli.context import close_databases, require_database

    try:
        require_database(args)  # a mistyped --data-dir: refused before anything is read
        return handler(args)
    except Exception as exc:  # a refusal, a failure of the PC, or a bug: never a traceback
        from htx_desktop.cli.failures import explain

        message, code = explain(exc, args)
        complain(message)
        return code
    finally:
        close_databases()


def _open_window(data_dir: str | None, database_url: str | None) -> int:
    from htx_desktop.app import run_gui
    from htx_desktop.store.paths import URL_ENV, resolve_data_dir

    if database_url:  # the window opens its database itself (Database.open reads it)
        os.environ[URL_ENV] = database_url
    return run_gui(resolve_data_dir(data_dir))


def main() -> None:  # pragma: no cover - console entry point
    logging.basicConfig(level=logging.WARNING)
    sys.exit(run(sys.argv[1:]))
