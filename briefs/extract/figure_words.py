"""The figure reader's word lists, read once from data/figures_*.txt."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def groups() -> dict[str, frozenset[str]]:
    """Every `[group]` of data/figures_words.txt as a set of words."""
    text = resources.files("briefs.extract").joinpath("data/figures_words.txt").read_text("utf-8")
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            current = found.setdefault(line[1:-1], [])
        elif line and not line.startswith("#") and current is not None:
            current.extend(line.split())
    return {name: frozenset(words) for name, words in found.items()}


def words(name: str) -> frozenset[str]:
    """One group of data/figures_words.txt."""
    return groups()[name]


@cache
def pairs(name: str) -> dict[str, str]:
    """A group of `key:value` entries of data/figures_words.txt as a mapping."""
    return dict(str.partition(w, ":")[::2] for w in words(name))


@cache
def currency_letters() -> dict[str, str]:
    """Currency letters written before an amount ("P" → "PHP"), from data/figures_currency.txt."""
    path = resources.files("briefs.extract").joinpath("data/figures_currency.txt")
    found: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2 and not line.startswith("#"):
            found[parts[0]] = parts[1]
    return found
