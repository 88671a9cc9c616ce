"""The code stays lint-clean, formatted and type-checked (mypy --strict), as STYLE.md asks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy", "--strict", "bot", "briefs", "storage"],
    ],
    ids=["ruff-check", "ruff-format", "mypy-strict"],
)
def test_tool_is_clean(command: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def _requirements() -> list[str]:
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as f:
        project = tomllib.load(f)["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["test"]]


@pytest.mark.parametrize("tool", ["ruff", "mypy"])
def test_the_checking_tools_are_pinned_exactly(tool: str) -> None:
    """A new ruff or mypy release brings new rules; only a deliberate bump may change the verdict."""
    pins = [r.split("#")[0].strip() for r in _requirements() if r.startswith(tool)]
    assert len(pins) == 1
    assert pins[0].startswith(f"{tool}=="), pins


def test_no_test_reads_outside_the_repository() -> None:
    """A clean clone has only the repository: tests take their articles from tests/data/."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").rglob("*.py")
        if path.name != "test_tooling.py"
        and any(
            marker in path.read_text(encoding="utf-8")
            for marker in ('"shared" / "articles"', '"../shared', "'../shared")
        )
    ]
    assert offenders == []
