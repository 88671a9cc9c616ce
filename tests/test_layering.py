"""The dependency rule: briefs/ is pure; SQL lives in storage/ only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN_IN_BRIEFS = {
    "discord",
    "aiosqlite",
    "sqlite3",
    "apscheduler",
    "aiohttp",
    "httpx",
    "storage",
    "bot",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "briefs").rglob("*.py")), ids=lambda p: p.name)
def test_briefs_is_pure(path: Path) -> None:
    bad = _imports(path) & FORBIDDEN_IN_BRIEFS
    assert not bad, f"{path.name} imports {sorted(bad)}"


@pytest.mark.parametrize("path", sorted((ROOT / "bot").rglob("*.py")), ids=lambda p: p.name)
def test_bot_speaks_no_sql(path: Path) -> None:
    imports = _imports(path)
    assert not imports & {"sqlite3", "aiosqlite"}, f"{path.name} talks to the database directly"
    if path.name not in {"app.py", "features.py"}:  # the composition root
        assert "storage" not in imports, f"{path.name} reaches storage outside the composition root"
