"""The shapes of people's names in English news: which capitalised words can be part of a name,
where a name starts inside a run of capitalised words, and the shorter forms it is written in."""

from __future__ import annotations

from functools import lru_cache

from briefs.extract.document import before
from briefs.extract.lexicon import (
    DEMONYMS,
    EVENT_WORDS,
    HONORIFICS,
    MONTHS,
    NOT_NAMES,
    ORG_WORDS,
    PLACE_NOUNS,
    PLACE_WORDS,
    PLURAL_NOUNS,
    ROLE_HEADS,
    ROLE_MODIFIERS,
    ROYAL,
    WEEKDAYS,
    words,
)
from briefs.extract.names import is_given_name
from briefs.extract.places import countries, is_place, place_in
from briefs.extract.spans import PARTICLES, Run

COMPOUND_TAILS = words("compound_tails")
COMPOUND_HEADS = words("compound_heads")
NOT_NAME_WORDS = (
    NOT_NAMES
    | MONTHS
    | WEEKDAYS
    | ROLE_HEADS
    | ROLE_MODIFIERS
    | HONORIFICS
    | ORG_WORDS
    | EVENT_WORDS
    | PLURAL_NOUNS
)
_PATRONYMIC = frozenset({"bin", "ibn", "bint"})
# Endings of English agent nouns and adjectives ("Administrator", "Nonpartisan", "Regional"):
# such a word before a given name is a title or a description, not part of the name.
_DESCRIPTIVE_ENDS = ("or", "er", "ist", "ant", "ent", "ian", "an", "al", "ive", "ic", "ous", "ary")


def syllabic_given(word: str) -> bool:
    """'Kin-wah', 'Mei-ling': a romanised given name of two syllables joined by a hyphen."""
    head, sep, tail = word.partition("-")
    return (
        bool(sep)
        and 2 <= len(head) <= 6
        and head[0].isupper()
        and head[1:].islower()
        and tail.isalpha()
        and tail.islower()
        and 1 <= len(tail) <= 5
        and tail not in COMPOUND_TAILS
        and head.lower() not in COMPOUND_HEADS
    )


def _particle_surname(word: str) -> bool:
    """'al-Amr', 'el-Hadi', 'bin-Rashid': a particle joined to a capitalised surname."""
    head, sep, tail = word.partition("-")
    return bool(sep) and head in PARTICLES and tail[:1].isupper()


@lru_cache(maxsize=8192)
def name_like(word: str) -> bool:
    """Whether a capitalised word may be part of a person's name."""
    if _particle_surname(word):
        return True
    if not word[:1].isupper() or any(c.isdigit() for c in word):
        return False
    if len(word) == 2 and word[1] == ".":
        return True  # a middle initial ("Peter K. Langat")
    if len(word) == 1:
        return False  # a letter with no full stop: "Texas A&M", "Plan B"
    if len(word) > 1 and word.replace(".", "").isupper():
        return False
    if "-" in word and any(part[:1].islower() for part in word.split("-")[1:]):
        return syllabic_given(word)  # "Kin-wah", not "Sixteen-year-old" or "Saudi-owned"
    low = word.lower()
    return low not in NOT_NAME_WORDS and low not in DEMONYMS and word not in countries()


def _descriptive(word: str) -> bool:
    """A capitalised word that titles or describes the person after it, not a name."""
    low = word.lower()
    if low in ROLE_HEADS or low in ROLE_MODIFIERS or low in HONORIFICS or is_place(word):
        return True
    return low.endswith(_DESCRIPTIVE_ENDS) and not is_given_name(word)


@lru_cache(maxsize=8192)
def split_name(words: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A run's words as (what comes before the name, the name)."""
    i = len(words)
    while i > 0 and (name_like(words[i - 1]) or (words[i - 1] in PARTICLES and i < len(words))):
        i -= 1
    while i < len(words) and words[i] in PARTICLES:
        i += 1
    # A surname that is also a short function word, after a given name: "Lina Or", "Omar To".
    if i == len(words) and len(words) >= 2 and _function_surname(words[-2], words[-1]):
        i = len(words) - 2
        while i > 0 and name_like(words[i - 1]):
            i -= 1
    # A title, description or place fused before a given name: "Administrator Grace Okafor",
    # "Oregon Dana Whitlock", "Independent Ravi Menon". The name starts at the given name.
    while len(words) - i >= 3 and _descriptive(words[i]) and is_given_name(words[i + 1]):
        i += 1
    # A title word that is also a given name, before one surname: "Dean Halvorsen".
    if len(words) - i == 1 and i >= 1 and _given_title(words[i - 1]):
        i -= 1
    return words[:i], words[i:]


def _function_surname(given: str, word: str) -> bool:
    return len(word) <= 3 and word.lower() in NOT_NAMES and is_given_name(given)


def _given_title(word: str) -> bool:
    low = word.lower()
    return low in ROLE_HEADS and low not in HONORIFICS and low not in ROYAL and is_given_name(word)


def aliases(words: tuple[str, ...]) -> list[str]:
    """Shorter written forms: the surname, a double surname, the given name before 'bin'."""
    for i, word in enumerate(words):
        if word in _PATRONYMIC and i:
            return [" ".join(words[:i])]
    if len(words) == 2 and syllabic_given(words[1]):
        return [words[0]]  # "Tam Kin-wah": the surname comes first
    out: list[str] = []
    if len(words) >= 2:
        out.append(words[-1])
    if len(words) >= 3:
        out += [" ".join(words[1:]), words[1]]
    return out


THING_WORDS = words("thing_words")
THING_NOUNS = words("thing_nouns")
_PLACE_NOUN_STARTS = tuple(sorted({" " + noun[:3] for noun in PLACE_NOUNS}))


def starts_with_given(core: tuple[str, ...]) -> bool:
    """Whether a name starts with a given name, or is written surname first with a two-syllable
    given name ("Tam Kin-wah")."""
    if is_given_name(core[0]) and len(core[0]) > 2:
        return True
    return len(core) == 2 and syllabic_given(core[1])


def names_a_thing(run: Run, prefix: tuple[str, ...], text: str) -> bool:
    """A run that names a thing: a word of its names one ("Space Shuttle Discovery", "Science
    Fair"), a noun before it says so ("her graphic novel X"), or a place starts it ("New York
    City", "South Korea")."""
    if any(w.lower() in THING_WORDS for w in run.words) and not any(
        w.lower() in ROLE_HEADS or w.lower().rstrip(".") in HONORIFICS for w in prefix
    ):
        return True  # unless a title opens it
    if run.words[-1].lower() in THING_NOUNS:
        return True  # "Atlas Browser", "Harbor App": the kind of thing ends its name
    noun = before(text, run.start, 20).rsplit(None, 1)[-1:]
    if noun and noun[0] in THING_NOUNS:
        return True
    start = len(prefix)  # where the name would start in the run
    return any(
        s < start < e or (s == 0 and e >= 2 and start < e) for s, e, _ in place_in(run.words)
    )


def place_noun_after(text: str, end: int) -> bool:
    """Whether a lower-case place noun follows ('… Ha Tinh provinces', '… Sindh region')."""
    if not text.startswith(_PLACE_NOUN_STARTS, end):
        return False
    stop = end + 1
    while stop < len(text) and text[stop].isalpha():
        stop += 1
    return text[end + 1 : stop] in PLACE_NOUNS


def role_follows(words: list[str]) -> bool:
    """Whether lower-cased words open a role ('spokesman', 'chief executive,')."""
    heads = [w.strip(",.;:") for w in words[:3]]
    for word in heads:
        if word in ROLE_HEADS:
            return True
        if word not in ROLE_MODIFIERS:
            return False
    return False


@lru_cache(maxsize=8192)
def place_worded(words: tuple[str, ...]) -> bool:
    """Whether a place word names the run ('Lake Volta', 'Port Halden')."""
    return any(w.lower() in PLACE_WORDS for w in words)
