"""The apps form a one-way chain: audit, notices ← accountability ← rectification ← reports ←
supervision, oversight, assessment ← deadlines, api, search, sso.

An app never imports from an app to its right (read from the source, every import, also the
ones inside functions).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Levels, from the bottom: an app imports nothing from a level above its own.
LEVELS = [
    ("audit", "notices"),
    ("accountability",),
    ("rectification",),
    ("reports",),
    ("supervision", "oversight", "assessment"),
    ("deadlines", "api", "search", "sso"),
]
CHAIN = [app for level in LEVELS for app in level]


def _above(app):
    index = next(i for i, level in enumerate(LEVELS) if app in level)
    return {above for level in LEVELS[index + 1 :] for above in level}


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


@pytest.mark.parametrize("app", CHAIN)
def test_an_app_imports_nothing_to_its_right(app):
    above = _above(app)
    wrong = sorted(
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        for name in _imports(path)
        if name.split(".")[0] in above
    )
    assert wrong == []
