"""English is complete: every Vietnamese text the program shows has an English entry in
`resources/translations/en*.json`, with the same `{placeholders}`, and no Vietnamese left in it.

Found statically with `ast` (no module is imported): the literal passed to `t("…")` (adjacent
literals are one Constant), the string constants a `t(NAME)`, `t(NAME[key])` or
`t(NAME.get(key, …))` call refers to (module-level constants of the same module, or imported
from another `htx_desktop` module), and every Vietnamese literal in the window's code
(`htx_desktop/ui/`), where all text is shown to the officer. A further check finds literals that
reach a widget without `t()` at all.
"""

from __future__ import annotations

import ast
import csv
import json
import re
import string
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "htx_desktop"
TRANSLATIONS = ROOT / "resources" / "translations"

# Letters that occur in Vietnamese but never in English text (tone marks, ă â đ ê ô ơ ư).
VIETNAMESE = re.compile(
    "[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE)

# Vietnamese kept inside English text on purpose, each with its reason; removed before the check.
VIETNAMESE_IN_ENGLISH: dict[str, str] = {
    "Thái Nguyên": "a province's proper name",
    "(ẩn danh)": "the literal name stored for people whose names were not opened",
    "Tên HTX/THT": "a column heading of the Vietnamese spreadsheets the officer fills in",
    "Họ và tên": "a column heading of the Vietnamese spreadsheets the officer fills in",
    "Có (yes)": "a cell value the Vietnamese spreadsheets accept, glossed",
    "Không (no)": "a cell value the Vietnamese spreadsheets accept, glossed",
}

# Vietnamese literals in htx_desktop/ui/ that are never looked up in the catalogue, with why.
NOT_LOOKED_UP_UI: dict[str, str] = {
    r"\s*\((?:giai đoạn|phase) [^)]*\)$": "indicator_card: a regex over an indicator name",
    "Tiếng Việt": "settings_page: a language's own name, shown as is in both languages",
}
# ui/translator.py holds Qt's own strings in Vietnamese (the other direction): not looked up.
NOT_SCANNED_UI = {"translator.py"}

# Calls that put their string arguments on screen.
WIDGET_SINKS = {
    "setText", "setWindowTitle", "QLabel", "QPushButton", "QToolButton", "QCheckBox",
    "QRadioButton", "QGroupBox", "QAction", "addTab", "insertTab", "setTabText",
    "setPlaceholderText", "setToolTip", "setStatusTip", "setWhatsThis", "setTitle",
    "setSubTitle", "addRow", "addItem", "addItems", "addButton", "addAction",
    "setHorizontalHeaderLabels", "setHeaderLabels", "setLabelText", "setSpecialValueText",
    "setSuffix", "setPrefix", "setInformativeText", "setDetailedText", "showMessage",
    "QMessageBox", "information", "warning", "critical", "question", "show_message",
    "ask_yes_no", "Column", "getOpenFileName", "getSaveFileName", "getExistingDirectory",
    "setNameFilter",
}
# (file under htx_desktop/ui, literal) shown without t() on purpose.
UNTRANSLATED_ON_PURPOSE: dict[tuple[str, str], str] = {
    ("pages/settings_page.py", "Tiếng Việt"): "a language's own name",
    ("pages/settings_page.py", "English"): "a language's own name",
    ("pages/settings_page.py", "vi"): "item data, not text",
    ("pages/settings_page.py", "en"): "item data, not text",
}


@cache
def english() -> dict[str, str]:
    data: dict[str, str] = {}
    for path in sorted(TRANSLATIONS.glob("en*.json")):
        data.update(json.loads(path.read_text(encoding="utf-8")))
    return data


def modules() -> Iterator[Path]:
    yield from sorted(PACKAGE.rglob("*.py"))


@cache
def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def module_path(dotted: str) -> Path | None:
    base = ROOT.joinpath(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def strings_in(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)]


@cache
def module_constants(path: Path) -> dict[str, ast.AST]:
    """Module-level `NAME = value` (value kept as a tree), and `from htx_desktop.x import NAME`
    followed to the defining module."""
    found: dict[str, ast.AST] = {}
    for node in parse(path).body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            found[node.target.id] = node.value
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("htx_desktop"):
            source = module_path(node.module or "")
            if source is None:
                continue
            for alias in node.names:
                value = module_constants(source).get(alias.name)
                if value is not None:
                    found[alias.asname or alias.name] = value
    return found


def referenced_name(arg: ast.expr) -> str | None:
    """NAME in `t(NAME)`, `t(NAME[key])`, `t(NAME.get(key, default))`."""
    if isinstance(arg, ast.Subscript):
        arg = arg.value
    elif (isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute)
          and arg.func.attr == "get"):
        arg = arg.func.value
    return arg.id if isinstance(arg, ast.Name) else None


def t_calls(tree: ast.AST) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "t" and node.args):
            yield node


def docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


@cache
def translated_texts() -> dict[str, str]:
    """Every Vietnamese source text that must have English → where it was found."""
    found: dict[str, str] = {}
    for path in modules():
        tree = parse(path)
        where = str(path.relative_to(ROOT))
        for call in t_calls(tree):
            arg = call.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.setdefault(arg.value, f"{where}:{call.lineno}")
                continue
            # A default inside the argument, as in t(NAME.get(key, "…")).
            for text in strings_in(arg):
                if VIETNAMESE.search(text):
                    found.setdefault(text, f"{where}:{call.lineno}")
            name = referenced_name(arg)
            value = module_constants(path).get(name) if name else None
            if value is not None:
                for text in strings_in(value):
                    if VIETNAMESE.search(text):
                        found.setdefault(text, f"{where}:{call.lineno} ({name})")
        if path.parent.name == "ui" and path.name in NOT_SCANNED_UI:
            continue
        if "ui" in path.relative_to(PACKAGE).parts:
            skip = docstrings(tree)
            for node in ast.walk(tree):
                if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                        and id(node) not in skip and VIETNAMESE.search(node.value)
                        and node.value not in NOT_LOOKED_UP_UI):
                    found.setdefault(node.value, f"{where}:{node.lineno}")
    return found


def fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text)
            if name is not None}


def test_the_scan_finds_the_window_texts() -> None:
    """Guards the scanner itself: texts reached each way are in the set."""
    texts = translated_texts()
    assert "Tìm kiếm (gõ không dấu cũng được)…" in texts  # a t("…") literal
    assert "Tổng quan" in texts  # main_window.SECTIONS, through t(title)
    assert "Tự động hằng ngày" in texts  # backup_page.REASONS, through t(REASONS.get(…))
    assert len(texts) > 500


def test_every_text_has_english() -> None:
    missing = {text: where for text, where in translated_texts().items()
               if text not in english()}
    assert not missing, "no English for:\n" + "\n".join(
        f"  {where}: {text!r}" for text, where in sorted(missing.items(), key=lambda i: i[1]))


def test_indicator_names_have_english() -> None:
    """The official indicator names (reference/targets.csv) head the dashboard's cards."""
    with (ROOT / "resources" / "reference" / "targets.csv").open(encoding="utf-8") as fh:
        names = {row["text"] for row in csv.DictReader(fh)}
    assert sorted(names - english().keys()) == []


def test_english_keeps_the_placeholders() -> None:
    wrong = {vi: en for vi, en in english().items() if fields(vi) != fields(en)}
    assert not wrong, "placeholders differ:\n" + "\n".join(
        f"  {vi!r} -> {en!r}" for vi, en in wrong.items())


def test_english_has_no_vietnamese_letters() -> None:
    def stripped(text: str) -> str:
        for kept in VIETNAMESE_IN_ENGLISH:
            text = text.replace(kept, "")
        return text

    left = {vi: en for vi, en in english().items() if VIETNAMESE.search(stripped(en))}
    assert not left, "Vietnamese in English text:\n" + "\n".join(
        f"  {vi!r} -> {en!r}" for vi, en in left.items())


def test_translation_files_are_flat_string_maps() -> None:
    for path in sorted(TRANSLATIONS.glob("en*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict), path
        bad = [k for k, v in data.items() if not isinstance(v, str) or not v.strip()]
        assert not bad, f"{path.name}: empty or non-string values for {bad}"


@pytest.mark.parametrize("path", sorted((PACKAGE / "ui").rglob("*.py")),
                         ids=lambda p: str(p.relative_to(PACKAGE / "ui")))
def test_widget_texts_go_through_t(path: Path) -> None:
    """A literal (or f-string) handed straight to a widget would stay Vietnamese in English."""
    rel = str(path.relative_to(PACKAGE / "ui"))
    bypass: list[str] = []
    for node in ast.walk(parse(path)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = (func.id if isinstance(func, ast.Name)
                else func.attr if isinstance(func, ast.Attribute) else None)
        if name not in WIDGET_SINKS:
            continue
        for arg in [*node.args, *(k.value for k in node.keywords)]:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                if (re.search(r"[^\W\d_]{2}", arg.value)
                        and (rel, arg.value) not in UNTRANSLATED_ON_PURPOSE):
                    bypass.append(f"{rel}:{node.lineno} {name}({arg.value!r})")
            elif isinstance(arg, ast.JoinedStr) and VIETNAMESE.search(
                    "".join(strings_in(arg))):
                bypass.append(f"{rel}:{node.lineno} {name}(f-string {ast.unparse(arg)[:60]})")
    assert not bypass, "shown without t():\n" + "\n".join(bypass)
