"""Imports point one way: model -> graph -> render / sim -> analysis -> report / cli.

Every `import` in the package — at the top of a module or inside a function —
is read from the source and held to the layer order below. The facade
(`blueprint.api`, the package root) is for users: no layer below imports it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "blueprint"

# group -> layer; a module may import its own group and any group of a lower layer
LAYERS = {
    "diagnostics": 0, "files": 0, "figures": 0, "interrupts": 0, "limits": 0, "version": 0,
    "sourcemap": 1, "results": 1,
    "yamlsafe": 2,
    "model": 3,
    "graph": 4, "trace": 4,
    "lint": 5, "loader": 5,   # lint reads the graph's facts (visits per customer)
    "survey": 5,
    "render": 6, "sim": 6,
    "analysis": 7,
    "report": 8, "console": 8, "schemas": 8,
    "api": 9,
    "cli": 10, "__init__": 10,
}


def _group(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "blueprint":  # `from blueprint import graph` names a module
                found += [(node.lineno, f"blueprint.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
    return [(line, name) for line, name in found if name == "blueprint" or name.startswith("blueprint.")]


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_the_layers(path):
    module = ".".join(("blueprint", *path.relative_to(PACKAGE).with_suffix("").parts))
    module = module.removesuffix(".__init__") if module != "blueprint.__init__" else "blueprint"
    own = _group(module)
    assert own in LAYERS, f"{module}: give its group a layer in this test"
    wrong = []
    for line, target in _imports(path):
        group = _group(target)
        if group == own:
            continue
        if group not in LAYERS or LAYERS[group] >= LAYERS[own]:
            wrong.append(f"{path.name}:{line}: {module} imports {target}")
    assert wrong == []
