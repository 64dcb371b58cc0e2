"""The package's import graph: no circles, no upward imports, small modules.

The layers come from ARCHITECTURE.md (the table between ``<!-- layers -->`` markers), so the
document and the code cannot drift apart. Imports are read with ``ast``: module-level and
function-level ones count, those under ``if TYPE_CHECKING:`` do not.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "readme_tools"
ARCHITECTURE = ROOT / "ARCHITECTURE.md"
MAX_LINES = 500

#: Imports that go up a layer on purpose: (importer, imported) → why.
EXCEPTIONS: dict[tuple[str, str], str] = {
    # The registry discovers rule modules by listing the rules package (and loads them with
    # importlib); nothing else in the rules package is imported from below.
    ("readme_tools.registry", "readme_tools.rules"): "rule discovery",
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The package module ``name`` (or ``name``'s module, for an imported attribute)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported_names(module: str, path: Path) -> Iterator[str]:
    """Every name ``module`` imports, TYPE_CHECKING blocks left out."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]

    def visit(nodes: list[ast.stmt]) -> Iterator[str]:
        for node in nodes:
            if isinstance(node, ast.If) and _is_type_checking(node.test):
                yield from visit(node.orelse)
                continue
            if isinstance(node, ast.Import):
                yield from (alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    parts = parts[: len(parts) - (node.level - 1)]
                    base = ".".join([*parts, base] if base else parts)
                yield from (f"{base}.{alias.name}" for alias in node.names)
            for field in ("body", "orelse", "finalbody", "handlers"):
                children = getattr(node, field, None)
                if isinstance(children, list):
                    yield from visit([c for c in children if isinstance(c, ast.stmt)])
            for handler in getattr(node, "handlers", []) or []:
                yield from visit(handler.body)

    yield from visit(ast.parse(path.read_text(encoding="utf-8")).body)


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        targets = {_resolve(name) for name in _imported_names(module, path)}
        graph[module] = {t for t in targets if t is not None and t != module}
    return graph


GRAPH = _graph()


def _layers() -> list[tuple[str, list[str]]]:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    table = text.split("<!-- layers -->", 1)[1].split("<!-- /layers -->", 1)[0]
    layers = []
    for row in table.strip().splitlines()[2:]:  # after the header and the rule
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        layers.append((cells[0], re.findall(r"`([\w.]+)`", cells[1])))
    return layers


LAYERS = _layers()


def _layer_of(module: str) -> int | None:
    """Index of the layer whose most specific name covers ``module``."""
    best: tuple[int, int] | None = None  # (length of the matching name, layer index)
    for index, (_title, names) in enumerate(LAYERS):
        for name in names:
            covers = module == name or module.startswith(name + ".")
            if covers and (best is None or len(name) > best[0]):
                best = (len(name), index)
    return None if best is None else best[1]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_the_graph_is_read() -> None:
    # The walk sees module-level, relative and function-level imports, not TYPE_CHECKING ones.
    assert "readme_tools.parse" in GRAPH["readme_tools.engine"]
    assert "readme_tools.mojibake.models.words" in GRAPH["readme_tools.mojibake.detect"]
    assert "readme_tools.mojibake.rerank" in GRAPH["readme_tools.mojibake.repair"]  # in repair()
    assert "readme_tools.context" not in GRAPH["readme_tools.registry"]  # TYPE_CHECKING only
    assert len(LAYERS) >= 8 and all(names for _title, names in LAYERS)


def test_no_import_circles() -> None:
    assert _cycles(GRAPH) == []


def test_the_cycle_finder_finds_one() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_every_module_is_in_a_layer() -> None:
    assert [m for m in sorted(MODULES) if _layer_of(m) is None] == []


def test_no_import_goes_up_a_layer() -> None:
    upward = []
    for module, targets in sorted(GRAPH.items()):
        here = _layer_of(module)
        for target in sorted(targets):
            there = _layer_of(target)
            if here is None or there is None or there <= here:
                continue
            if (module, target) not in EXCEPTIONS:
                upward.append(f"{module} ({LAYERS[here][0]}) -> {target} ({LAYERS[there][0]})")
    assert upward == []


@pytest.mark.parametrize("edge", sorted(EXCEPTIONS))
def test_every_exception_is_still_needed(edge: tuple[str, str]) -> None:
    module, target = edge
    assert target in GRAPH.get(module, set()), f"{module} no longer imports {target}: drop it"


def test_no_module_over_the_size_limit() -> None:
    sizes = {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in MODULES.items()}
    assert {m: n for m, n in sizes.items() if n > MAX_LINES} == {}
