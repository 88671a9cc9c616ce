"""Given names, and the gender they usually carry, from Faker's person data (MIT licence).

Faker ships first names for some 80 locales in its wheel. Reading them all takes about half a
second, so the Latin-script names are written once to a small file in the user's cache folder
(per Faker version) and read from there afterwards; nothing is downloaded."""

from __future__ import annotations

import importlib
import importlib.metadata
import logging
import os
import pkgutil
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

_KINDS = (("first_names_male", "m"), ("first_names_female", "f"), ("first_names", "?"))


def _cache_file() -> Path:
    version = importlib.metadata.version("faker")  # without importing Faker itself (~1 s)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "briefbot" / f"given-names-v2-faker-{version}.tsv"


def _latin(name: str) -> bool:
    return (
        len(name) >= 2
        and name[0].isupper()
        and all(c.isalpha() or c in "-'" for c in name)
        and (all(ord(c) < 0x250 for c in name))
    )


def _from_faker() -> dict[str, str]:
    import faker.providers.person as person

    found: dict[str, set[str]] = {}
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        kinds = [
            *_KINDS,
            *((a, "?") for a in provider.__dict__ if "first" in a and "romanized" in a),
        ]
        for attr, gender in kinds:
            names = provider.__dict__.get(attr)
            if isinstance(names, dict | list | tuple):
                for name in names:
                    if isinstance(name, str) and _latin(name):
                        found.setdefault(name, set()).add(gender)
    return {n: "".join(sorted(g - {"?"})) or "?" for n, g in found.items()}


@cache
def _table() -> dict[str, str]:
    path = _cache_file()
    try:
        rows = path.read_text(encoding="utf-8").splitlines()
        return dict(line.split("\t", 1) for line in rows if "\t" in line)
    except OSError:
        pass
    table = _from_faker()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text("".join(f"{n}\t{g}\n" for n, g in sorted(table.items())), "utf-8")
        tmp.replace(path)
    except OSError as e:  # a read-only home: keep the table in memory only
        log.info("Could not cache given names at %s: %s", path, e)
    return table


def is_given_name(word: str) -> bool:
    """Whether a capitalised word is a given name in some language (Latin script)."""
    return word in _table()


def gender_of(given: str) -> str | None:
    """'m' or 'f' when the given name is usually one or the other; None when unknown or both."""
    gender = _table().get(given)
    return gender if gender in ("m", "f") else None
