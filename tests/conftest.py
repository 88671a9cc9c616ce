"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SHARED_ARTICLES = Path(__file__).resolve().parents[2] / "shared" / "articles"


@pytest.fixture
def data_dir() -> Path:
    """The committed test fixtures (articles we wrote ourselves)."""
    return DATA
