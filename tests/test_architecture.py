"""The shape of the package, checked from its source (docs/ARCHITECTURE.md).

Every module of `htx_desktop` is parsed with `ast`, and every import counts — at the top of a
module, inside a function and under `if TYPE_CHECKING:` — because a circle that closes only at run
time, or only for the type checker, still means that neither module can be read, tested or moved
without the other. An import names the module it loads: `import a.b` names `a.b`; `from a.b import
c` names `a.b.c` when that is a module, else `a.b`. The implicit run of a parent package's
`__init__` is not counted.
"""

from __future__ import annotations

import ast
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "htx_desktop"


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module or top-level package ("PySide6", "sqlalchemy", …)
    line: int


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted((ROOT / PACKAGE).rglob("*.py"))}


def _from_source(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The module an `ImportFrom` reads from, a relative import resolved."""
    if node.level == 0:
        return node.module or ""
    package = module.split(".")
    if not is_package:
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_in(module: str, source: str, *, is_package: bool = False,
               known: Collection[str] = ()) -> list[Import]:
    """Every import in one module's source, wherever it stands (`known`: the package's
    modules, to tell `from package import module` from `from module import name`)."""
    found: list[Import] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend(Import(module, alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            origin = _from_source(module, is_package, node)
            for alias in node.names:
                sub = f"{origin}.{alias.name}"
                found.append(Import(module, sub if sub in known else origin, node.lineno))
    return found


@cache
def imports() -> tuple[Import, ...]:
    """Every import of every module of the package."""
    known = modules()
    return tuple(imp for name, path in known.items()
                 for imp in imports_in(name, path.read_text(encoding="utf-8"),
                                       is_package=path.name == "__init__.py", known=known))


def import_graph() -> dict[str, set[str]]:
    """Module → the modules of the package it imports."""
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    for imp in imports():
        if imp.target in known and imp.target != imp.source:
            graph[imp.source].add(imp.target)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, list[str]]] = [(start, sorted(graph[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, pending = work[-1]
            if pending:
                nxt = pending.pop(0)
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph[nxt])))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _describe(component: list[str], graph: dict[str, set[str]]) -> str:
    members = set(component)
    arrows = [f"    {a} -> {b}" for a in component for b in sorted(graph[a] & members)]
    return "circle of " + ", ".join(component) + ":\n" + "\n".join(arrows)


def _in(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def _where(imp: Import) -> str:
    return f"{modules()[imp.source].relative_to(ROOT)}:{imp.line} imports {imp.target}"


# ---------------------------------------------------------------------------------------------


def test_the_reader_sees_every_kind_of_import() -> None:
    """Top-level, function-level, TYPE_CHECKING and relative imports are all seen (a reader
    that missed some would find no circle and prove nothing)."""
    source = """
from typing import TYPE_CHECKING
import p.top
from p import sub
from p.sub import name
if TYPE_CHECKING:
    from p.typing_only import T
def f():
    from p.late import g
    from . import sibling
    from ..up import x
"""
    found = {(imp.target, imp.line) for imp in imports_in(
        "p.pkg.mod", source, known={"p.sub", "p.pkg.sibling"})}
    assert found == {("typing", 2), ("p.top", 3), ("p.sub", 4), ("p.sub", 5),
                     ("p.typing_only", 7), ("p.late", 9), ("p.pkg.sibling", 10), ("p.up", 11)}
    # and on the package itself: the command line opens the window only when asked
    seen = {(imp.source, imp.target) for imp in imports()}
    assert ("htx_desktop.cli", "htx_desktop.app") in seen
    assert ("htx_desktop.cli", "htx_desktop.cli.commands_setup") in seen


def test_circles_are_found_when_there_are_some() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert circles(graph) == [["a", "b", "c"]]


def test_no_import_circles() -> None:
    graph = import_graph()
    found = circles(graph)
    assert not found, "modules that import each other:\n" + "\n".join(
        _describe(component, graph) for component in found)


QT_ALLOWED = ("htx_desktop.ui", "htx_desktop.app")


def test_qt_only_in_the_window() -> None:
    """Below the window nothing imports Qt: the command line, the store and the reports run
    without a display and without loading PySide6."""
    wrong = [_where(imp) for imp in imports()
             if _in(imp.target, "PySide6", "shiboken6") and not _in(imp.source, *QT_ALLOWED)]
    assert not wrong, "\n".join(wrong)


LOWER = tuple(f"{PACKAGE}.{name}" for name in (
    "store", "domain", "reports", "receiving", "sheets", "demo"))


@pytest.mark.parametrize("upper", ["htx_desktop.ui", "htx_desktop.cli", "htx_desktop.app"])
def test_the_lower_layers_never_import_the_front_doors(upper: str) -> None:
    wrong = [_where(imp) for imp in imports() if _in(imp.source, *LOWER) and _in(imp.target, upper)]
    assert not wrong, "\n".join(wrong)


def test_the_domain_knows_nothing_of_the_store() -> None:
    wrong = [_where(imp) for imp in imports()
             if _in(imp.source, "htx_desktop.domain")
             and _in(imp.target, "htx_desktop.store", "htx_desktop.reports",
                     "htx_desktop.receiving", "htx_desktop.sheets", "htx_desktop.demo")]
    assert not wrong, "\n".join(wrong)
