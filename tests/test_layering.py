"""The dependency rules: briefs/ is pure, SQL lives in storage/ only, no import circles, and
extraction stands alone (no digests or sources; `briefbot parse` loads no Discord)."""

from __future__ import annotations

import ast
import subprocess
import sys
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
    if path.relative_to(ROOT / "bot").as_posix() not in {"app.py", "library.py"}:  # the root
        assert "storage" not in imports, f"{path.name} reaches storage outside the composition root"


PACKAGES = ("bot", "briefs", "storage")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _project_graph() -> dict[str, set[str]]:
    """Each project module → the project modules it imports (a name imported from a package
    counts as that submodule when one exists). Imports under TYPE_CHECKING count too."""
    modules = {_module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges.update(a.name for a in node.names if a.name in modules)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    if sub in modules:
                        edges.add(sub)
                    elif node.module in modules:
                        edges.add(node.module)
        graph[name] = edges - {name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle, as the list of modules around it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_circles() -> None:
    circle = _cycle(_project_graph())
    assert circle is None, "import circle: " + " → ".join(circle or [])


def test_the_circle_finder_finds_a_circle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_extraction_needs_no_digests_or_sources() -> None:
    graph = _project_graph()
    seen, todo = set(), [m for m in graph if m.startswith("briefs.extract")]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(graph[module])
    assert not {m for m in seen if m.startswith(("briefs.digests", "briefs.sources"))}


def test_briefbot_parse_loads_no_discord_http_or_scheduler(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "Council approves budget\n\nThe city council approved a budget of $4 million on Monday, "
        '"It is a fair plan," said Mayor Ana Ruiz.\n',
        encoding="utf-8",
    )
    probe = (
        "import sys\n"
        "from bot.cli.main import main\n"
        f"status = main(['parse', {str(article)!r}])\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'discord', 'aiohttp', 'apscheduler'})\n"
        "print('LOADED', loaded, status)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert "Council approves budget" in out
    assert "LOADED [] 0" in out
