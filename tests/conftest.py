"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
# A real news article (Wikinews, CC BY 2.5; see data/articles/real/README.md).
SAMPLE = DATA / "articles" / "real" / "08_flag.txt"


@pytest.fixture
def data_dir() -> Path:
    """The committed test fixtures (articles we wrote ourselves)."""
    return DATA
