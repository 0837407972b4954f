"""Render every page, form and dialog of the window offscreen on demo data, as PNG files.

    python tools/screenshots.py OUT_DIR [--lang en] [--unit CODE] [--size 1366x728 …]
                                        [--font-pt 12]

Uses an in-memory database: the national unit list, the home unit (default: a commune of
Thái Nguyên, so that it runs in seconds) and demo data from `demo/generate.py`.

The pictures are taken on the screens offices have: by default twice, in OUT_DIR/1366x728
and OUT_DIR/1024x728 (the area above the taskbar of 1366×768 and 1024×768 screens), each in
its own process whose offscreen screen has that size. The window and every dialog are fitted
to it as on such a PC. `--font-pt` draws with a larger font than the program's 10 pt, to see
how the pages take wider font metrics (Windows' are wider than the ones here).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication, QWidget

from htx_desktop.app import install_translator, make_app
from htx_desktop.store.engine import Database, memory_database


def build_database(unit_code: str | None) -> Database:
    from sqlalchemy import select

    from htx_desktop.store import models as m
    from htx_desktop.store.reference import find_unit, load_reference, load_targets
    from htx_desktop.store.settings import set_setting

    db = memory_database()
    with db.session() as session:
        load_reference(session)
        province = find_unit(session, "19")
        assert province is not None
        load_targets(session, province.id)
        if unit_code:
            unit = find_unit(session, unit_code)
        else:
            unit = session.scalars(select(m.Unit).where(
                m.Unit.parent_id == province.id, m.Unit.name_key.like("%dai tu%"))).first()
        assert unit is not None
        set_setting(session, "home_unit_id", str(unit.id))
        set_setting(session, "officer_name", "Hoàng Thị Mai")
        set_setting(session, "officer_position", "Chủ tịch Hội LHPN xã")
        unit_id = unit.id
    from htx_desktop.demo.generate import generate_demo
    with db.session() as session:
        generate_demo(session, unit_id, seed=1, scale=1.0, today=date.today())
    return db


def save(widget: QWidget, out: Path, name: str) -> Path:
    QApplication.processEvents()
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    return path


SIZES = ("1366x728", "1024x728")


def use_screen(size: str) -> None:
    """Before the application starts: an offscreen screen of this size (WxH)."""
    width, height = (int(v) for v in size.lower().split("x"))
    config = {"synchronousWindowSystemEvents": False, "windowFrameMargins": False,
              "screens": [{"name": size, "x": 0, "y": 0, "width": width, "height": height,
                           "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}
    path = Path(tempfile.mkdtemp(prefix="htx-screen-")) / "screen.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={path}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--lang", default="vi", choices=("vi", "en"))
    parser.add_argument("--unit", default=None, help="home unit code (default: a commune)")
    parser.add_argument("--size", action="append", default=None,
                        help="screen area WxH (repeatable; default: 1366x728 and 1024x728)")
    parser.add_argument("--font-pt", type=float, default=None,
                        help="the application font's size (the program's: 10)")
    args = parser.parse_args(argv)
    sizes = args.size or list(SIZES)
    if len(sizes) > 1:  # one process per screen size (one Qt application per process)
        for size in sizes:
            command = [sys.executable, __file__, str(args.out / size), "--size", size,
                       "--lang", args.lang] + (["--unit", args.unit] if args.unit else []) + (
                ["--font-pt", str(args.font_pt)] if args.font_pt else [])
            subprocess.run(command, check=True)
        return 0
    use_screen(sizes[0])
    # window sizes and column widths of this run only, not of whoever runs it
    os.environ["HTX_UI_STATE"] = str(Path(tempfile.mkdtemp(prefix="htx-ui-")) / "ui.ini")
    args.out.mkdir(parents=True, exist_ok=True)
    app = make_app()
    install_translator(app, args.lang)
    if args.font_pt:
        font = app.font()
        font.setPointSizeF(args.font_pt)
        app.setFont(font)

    from htx_desktop.ui.context import AppContext
    from htx_desktop.ui.error_dialog import ErrorDialog
    from htx_desktop.ui.first_run import FirstRunDialog
    from htx_desktop.ui.forms.registry import FORMS, make_form
    from htx_desktop.ui.list_page import ListPage
    from htx_desktop.ui.main_window import SECTIONS, MainWindow
    from htx_desktop.ui.record_dialogs import HistoryDialog, TrashDialog

    db = build_database(args.unit)
    ctx = AppContext.load(db)
    assert ctx is not None
    window = MainWindow(ctx)
    window.show()
    QApplication.processEvents()
    area = window.screen().availableGeometry()
    print(f"screen {area.width()}x{area.height()}: window {window.width()}x{window.height()}")
    shots = []
    lists: dict[str, ListPage] = {}
    for row, (key, _title, _module) in enumerate(SECTIONS):
        window.nav.setCurrentRow(row)
        shots.append(save(window, args.out, f"page-{row:02d}-{key}"))
        page = window.pages[key]
        for lp in ([page] if isinstance(page, ListPage) else
                   list(getattr(page, "lists", {}).values())):
            lists[lp.spec.kind] = lp
        tabs = getattr(page, "tabs", None)
        if tabs is not None and tabs.count() > 1:
            tabs.setCurrentIndex(1)
            shots.append(save(window, args.out, f"page-{row:02d}-{key}-tab2"))
            tabs.setCurrentIndex(0)
    # search without diacritics on the cooperative list
    coop = lists["cooperative"]
    window.go("cooperatives")
    coop.search.setText("che")
    coop.apply_search()
    shots.append(save(window, args.out, "page-01-cooperatives-search"))
    coop.search.setText("")
    coop.apply_search()

    for kind in FORMS:
        lp = lists.get(kind)
        record_id = lp.model.record_id(0) if lp is not None else None
        if kind == "plan_status":
            plan = window.pages["plan"]
            record_id = plan.status_id(plan.model.record_id(0))  # type: ignore[attr-defined]
        form = make_form(ctx, kind, None, parent=window)
        form.show()
        shots.append(save(form, args.out, f"form-{kind}-new"))
        if form.tabs is not None:
            for i in range(1, form.tabs.count()):
                form.tabs.setCurrentIndex(i)
                shots.append(save(form, args.out, f"form-{kind}-new-tab{i}"))
        form._dirty = False
        form.close()
        if record_id is not None:
            form = make_form(ctx, kind, record_id, parent=window)
            form.show()
            shots.append(save(form, args.out, f"form-{kind}-edit"))
            if form.tabs is not None:
                for i in range(1, form.tabs.count()):
                    form.tabs.setCurrentIndex(i)
                    shots.append(save(form, args.out, f"form-{kind}-edit-tab{i}"))
            form.close()
    # a refused value, with its message beside the field
    form = make_form(ctx, "person", None, parent=window)
    form.show()
    form.widgets["birth_year"].set_value(1800)  # type: ignore[attr-defined]
    form.save()
    shots.append(save(form, args.out, "form-person-invalid"))
    form._dirty = False
    form.close()

    coop.table.selectRow(0)
    history = HistoryDialog(ctx, "cooperative", coop.current_id(), window)
    history.show()
    shots.append(save(history, args.out, "dialog-history"))
    history.close()
    trash = TrashDialog(ctx, coop.spec, window)
    trash.show()
    shots.append(save(trash, args.out, "dialog-trash"))
    trash.close()
    err = ErrorDialog("Traceback (most recent call last):\n  ...\nValueError: ví dụ",
                      Path("/tmp/htx/logs/htx-desktop.log"), window)
    err.show()
    shots.append(save(err, args.out, "dialog-error"))
    err.close()
    wizard = FirstRunDialog(db)
    wizard.show()
    wizard.search.setText("dai tu")
    wizard.refresh_units()
    wizard.units.setCurrentRow(0)
    shots.append(save(wizard, args.out, "dialog-first-run"))
    wizard.close()
    window.close()
    for path in shots:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
