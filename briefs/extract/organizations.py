"""Organisations: named bodies found in capitalised runs, acronyms the text defines, and names
the text itself calls a body ("X, the industry association")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from briefs.extract.document import Document
from briefs.extract.lexicon import (
    EVENT_WORDS,
    HONORIFICS,
    KNOWN_ORGS,
    MONTHS,
    NOT_NAMES,
    ORG_NOUNS,
    ORG_WORDS,
    PLACE_WORDS,
    ROLE_HEADS,
    ROLE_MODIFIERS,
    WEEKDAYS,
)
from briefs.extract.name_shapes import name_like
from briefs.extract.names import is_given_name
from briefs.extract.places import is_place
from briefs.extract.spans import Run

_ORG_JOINERS = re.compile(r"^\s+(?:of|and|for|on|into|of the|for the|on the)\s+$")
_ACRONYM_DEF = re.compile(
    r"(?P<full>(?:[A-Z][\w-]*\s+(?:(?:of|and|for|the|on)\s+)?){1,7})\((?P<acr>[A-Z][A-Za-z&]{1,9})\)"
)
_ORG_NOUN = "|".join(sorted(ORG_NOUNS))
# A name with no organisation word, told a body by a noun beside it.
_ORG_APPOSITIVE = re.compile(
    rf"^,\s+(?:the|an?)\s+(?:(?!(?:of|for|at|in|with|to|by)\s)[\w-]+\s+){{0,3}}?(?:{_ORG_NOUN})\s*(?:,|\.|$|\s+(?:of|for|that|which)\b)"
)
_BODY_BEFORE = re.compile(
    rf"(?:The|Its|Their)\s+(?:[a-z][\w-]*\s+){{0,2}}(?:{_ORG_NOUN}|authority|ministry|agency),\s+$"
)
_BODY_OPENERS = ("The ", "Its ", "Their ")
_APPOSITION_OPENERS = (", the ", ", a ", ", an ")
_NOT_LETTER = frozenset(',.;:!?"”“()')


def acronyms_in(paragraphs: tuple[str, ...]) -> dict[str, str]:
    """Acronyms the text defines ('Reserve Bank of India (RBI)'), mapped to the full name."""
    found: dict[str, str] = {}
    for para in paragraphs:
        if "(" not in para:  # the pattern needs one; skipping saves its backtracking
            continue
        for match in _ACRONYM_DEF.finditer(para):
            words = match["full"].split()
            initials = "".join(w[0] for w in words if w[0].isupper())
            acr = match["acr"]
            # Keep only as many words as the acronym needs ("Reserve Bank of India (RBI)").
            while words and len(initials) > len(acr) and words[0][0].isupper():
                words, initials = words[1:], initials[1:]
            found.setdefault(acr, " ".join(words).removeprefix("The "))
    return found


def find_organizations(
    doc: Document, acronyms: dict[str, str]
) -> tuple[list[str], set[tuple[int, int]], dict[int, list[tuple[int, str]]]]:
    """Named organisations, the runs read as them, and where each sentence names one."""
    orgs: dict[str, None] = dict.fromkeys(v for v in acronyms.values() if org_name(v.split()))
    org_runs: set[tuple[int, int]] = set()
    orgs_at: dict[int, list[tuple[int, str]]] = {}
    for sent in doc.sentences:
        skip_until = -1
        text = sent.text
        for i, run in enumerate(sent.runs):
            if run.start < skip_until:
                org_runs.add((sent.index, run.start))
                continue
            org = org_from_run(run, text, sent.runs, i)
            # Only a comma after the run or a body noun before it can make it a body.
            if org is None and (
                text.startswith(", ", run.end)
                or text[text.rfind(" ", 0, run.start - 1) + 1 : run.start - 1] in ORG_NOUNS
            ):
                org = _named_as_body(run, text)
            if org:
                orgs.setdefault(acronyms.get(org, org))
                orgs_at.setdefault(sent.index, []).append((run.start, org))
                last = org.split()[-1]
                if run.words[-1] == last or last not in run.words:
                    skip_until = sent.text.find(last, run.start) + 1
                    org_runs.add((sent.index, run.start))
    return list(orgs), org_runs, orgs_at


def _named_as_body(run: Run, text: str) -> str | None:
    """A run the text calls a body ("X, the industry association,", "developer X")."""
    end, start = run.end, run.start
    if run.possessive or end - start < 3:
        return None
    if text.startswith(", ", end):
        if text.startswith(_BODY_OPENERS) and _BODY_BEFORE.match(text, 0, start):
            return run.text  # "The port authority, X, said": the sentence's subject is a body
        if text.startswith(_APPOSITION_OPENERS, end):
            if _ORG_APPOSITIVE.match(text[end : end + 60]):
                return run.text.removeprefix("The ")
            return None
    gap = start - 1
    if gap < 1 or text[gap] != " " or text[gap - 1] in _NOT_LETTER:
        return None
    if text[text.rfind(" ", 0, gap) + 1 : gap] not in ORG_NOUNS:
        return None
    first = run.words[0].lower().rstrip(".")
    if first in ROLE_HEADS or first in HONORIFICS or first in ROLE_MODIFIERS:
        return None  # "the club President X": a title opens a person's name
    return run.text


def org_from_run(run: Run, sentence: str, runs: Sequence[Run], index: int) -> str | None:
    """The organisation a run starts, joined with runs after it by 'of', 'and', 'for'."""
    words = list(_before_title(run.words))
    if len(run.words) == 1 and not _org_like(run.words[0]):
        if not sentence.startswith(" and ", run.end):
            return None
        return _place_and_body(run, sentence, runs, index)
    if not words:
        return None
    end = run.end
    if len(words) == len(run.words) and not run.possessive:
        for nxt in runs[index + 1 :]:
            if not _ORG_JOINERS.match(sentence[end : nxt.start]):
                break
            joiner = sentence[end : nxt.start].strip()
            if end == run.end and joiner.startswith("of") and _person_like(_untitled(run.words)):
                # "Prof. Hannah Lindqvist of the University of Arizona": a person, then a body.
                return None
            if _stops_chain(words, joiner, nxt):
                break
            words += [joiner, *_before_title(nxt.words)]
            end = nxt.end
            if nxt.possessive or len(_before_title(nxt.words)) < len(nxt.words):
                break
    return org_name(_without_person(words))


def _without_person(words: list[str]) -> list[str]:
    """An organisation's words without a person's name run on after its last word: "Refugee
    Council Mira Halden" names the council, then its chief."""
    if (
        len(words) >= 3
        and words[-3].lower() in ORG_WORDS
        and is_given_name(words[-2])
        and name_like(words[-1])
    ):
        return words[:-2]
    return words


def _place_and_body(run: Run, sentence: str, runs: Sequence[Run], index: int) -> str | None:
    """'Brighton and Hove City Council', 'Punjab and Sind Bank': a place joined to a body."""
    if index + 1 >= len(runs):
        return None
    nxt = runs[index + 1]
    if nxt.start != run.end + 5 or len(nxt.words) < 2 or not is_place(run.words[0]):
        return None
    if nxt.words[-1].lower() not in ORG_WORDS or nxt.words[0].lower() in ORG_WORDS:
        return None
    return org_name([run.words[0], "and", *nxt.words])


def _person_like(words: tuple[str, ...]) -> bool:
    """Two or three capitalised words with no organisation, place or title word: a name's shape."""
    if not 2 <= len(words) <= 3:
        return False
    lowered = [w.lower() for w in words]
    plain = all(
        w not in ORG_WORDS and w not in PLACE_WORDS and w not in NOT_NAMES and w not in ROLE_HEADS
        for w in lowered
    )
    return plain and not any(is_place(w) or w in KNOWN_ORGS for w in words)


def _untitled(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words after a leading title or honorific ('Professor Alan Whitcombe' → the name)."""
    i = 0
    while i < len(words) - 2 and (
        (low := words[i].lower().rstrip(".")) in HONORIFICS or low in ROLE_HEADS
    ):
        i += 1
    return words[i:]


def _org_like(word: str) -> bool:
    return word.lower() in ORG_WORDS or word in KNOWN_ORGS


def _stops_chain(words: list[str], joiner: str, nxt: Run) -> bool:
    ends_org = words[-1].lower() in ORG_WORDS
    if joiner != "of" and is_place(nxt.text):
        return True
    if nxt.words[0].lower() in MONTHS or nxt.words[0].lower() in WEEKDAYS:
        return True
    return ends_org and joiner == "and"


@lru_cache(maxsize=8192)
def _before_title(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words before a title that a name follows ('UN' in 'UN Secretary-General António …')."""
    for i, word in enumerate(words):
        if i and word.lower() in ROLE_HEADS and word.lower() not in ORG_WORDS:
            rest = [w.lower() for w in words[i + 1 :]]
            if rest and not any(w in ORG_WORDS for w in rest):
                return words[:i]
    return words


def org_name(words: list[str]) -> str | None:
    """The organisation these words name, or None (generic words, laws, events)."""
    while words and words[0] in ("The", "A", "An"):
        words = words[1:]
    while words and words[-1].lower() in ("of", "and", "for", "on", "into", "the"):
        words = words[:-1]
    if not words:
        return None
    lowered = [w.lower() for w in words]
    if any(w in EVENT_WORDS for w in lowered[-1:]):
        return None
    if len(words) == 1:
        return words[0] if words[0] in KNOWN_ORGS else None
    if not any(w in ORG_WORDS for w in lowered):
        return None
    distinctive = [w for w in lowered if w not in ROLE_MODIFIERS and w not in ORG_WORDS]
    if not distinctive and len(words) < 3:
        return None
    return " ".join(words)
