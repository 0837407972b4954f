"""`htx-desktop`: with no sub-command it opens the window; otherwise the command line."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from htx_desktop.console import use_utf8_streams

    use_utf8_streams()  # before anything is printed: a redirected Windows console is cp125x
    from htx_desktop.cli import run

    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    raise SystemExit(main())
