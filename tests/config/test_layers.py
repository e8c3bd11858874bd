"""The apps form a one-way chain: notices ← accountability ← rectification ← reports ← deadlines.

An app never imports from an app to its right (read from the source, every import, also the
ones inside functions).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAIN = ["notices", "accountability", "rectification", "reports", "deadlines"]


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


@pytest.mark.parametrize("app", CHAIN)
def test_an_app_imports_nothing_to_its_right(app):
    above = set(CHAIN[CHAIN.index(app) + 1 :])
    wrong = sorted(
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        for name in _imports(path)
        if name.split(".")[0] in above
    )
    assert wrong == []
