"""The role and organisation the text gives a named person, read from the words around the name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefs.extract.lexicon import (
    DEMONYMS,
    HONORIFICS,
    KIN,
    KNOWN_ORGS,
    NOT_NAMES,
    ORG_WORDS,
    ROLE_HEADS,
    ROLE_MODIFIERS,
    ROLE_PLURALS,
    ROYAL,
    words,
)
from briefs.extract.places import is_place

_COMPOUND_ROLE = re.compile(r"^[\w]+-(?:time|term|year-old)$")
# "X, a trade analyst," / "X, chief economist at Zenith Bank," / "X, the city's chief planner,"
_APPOS_AFTER = re.compile(
    r"^\s*,\s+(?:(?:a|an|the|its|his|her|their)\s+)?(?:[\w-]+['’]s\s+)?"
    r"(?:[A-Z][a-z]+\s+)?"  # a nationality or party before the role: "the Brazilian architect"
    r"(?P<phrase>[a-z][^,.;:()“”\"]{1,80}?)\s*(?:,|\.|;|$|(?=\s(?:who|which|that|whose)\s))"
)
_RELATIVE = re.compile(r"\s+(?:who|which|that|whose)\s+")
_APPOS_BEFORE = re.compile(
    r"(?:(?P<org>[A-Z][\w.&+-]*(?:\s+(?:of\s+)?[A-Z][\w.&+-]*){0,4})['’]s\s+)?"
    r"(?<![\w'’])(?P<role>(?:[A-Za-z][\w-]*\s+){0,3}[A-Za-z][\w-]*"
    r"(?:\s+(?:of|for)\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)?)"
    r",\s*$"
)
# The second of two names after a plural role: "two executives of the bank, X and Y".
_PAIR_BEFORE = re.compile(
    r"(?P<role>[a-z][\w-]*(?:\s+(?:of|at|for)\s+(?:the\s+)?[\w-]+)?)"
    r",\s+(?:[A-Z][\w.'’-]*\s+){1,4}and\s+$"
)
_EXAMPLE_ENDS = ("like", "as", "including", "them")
_EXAMPLES = re.compile(
    r"(?:\b(?P<mod>[A-Za-z-]+)\s+)?(?P<plural>" + "|".join(ROLE_PLURALS) + r"),?\s+"
    r"(?:like|such as|including|among them)\s+$",
    re.IGNORECASE,
)
_POSSESSOR = re.compile(r"(?P<org>[A-Z][\w.&+-]*(?:\s+[A-Z][\w.&+-]*){0,3})['’]s?\s+$")
_ACRONYM_BEFORE = re.compile(r"\((?P<acr>[A-Z][A-Za-z&]{1,9})\)\s+$")
_TRAILING_CAPS = re.compile(
    r"(?P<org>[A-Z][\w.&+-]*(?:\s+(?:of\s+|and\s+)?[A-Z][\w.&+-]*){0,5})['’]?s?\s+$"
)
_ROLE_TAIL = 120
_ADJECTIVE_END = re.compile(r"(?:al|ing|ic|ive|ous|ary)$")
_ROLE_OF = re.compile(r"\s+(?:of|at|for|with)\s+")
_TITLES = {"gov": "Governor", "sen": "Senator", "rep": "Representative", "cllr": "Councillor"}
_ABBREVIATED = re.compile(r"\b(?P<abbr>Gov|Sen|Rep|Cllr)\.?\s+$", re.IGNORECASE)
# Academic titles, the role when the text gives no other ("Prof. X of the University of Y").
_ACADEMIC = frozenset(str.split("dr dr. prof prof. professor"))
_ACADEMIC_BEFORE = re.compile(r"\b(?P<title>Dr|Prof|Professor)\.?\s+$")
_DETERMINERS = frozenset(str.split("its his her their the a an"))
_VAGUE = frozenset(str.split("some many other several the most top leading"))
NOT_AGENTS = words("not_agents")
NOT_ROLES = words("not_roles")
RANKS = words("ranks")
POST_NOMINALS = words("post_nominals")
_AGENT_ENDS = ("er", "or", "ist", "ian")
# "councillors A of X, B and C", "veteran politicians A and B": a plural role noun before a list
# of names gives each of them the role.
# The last lower-case plural noun followed by a capitalised word, with up to two words before it.
_LIST_OPENER = re.compile(
    r"(?P<mods>(?:[a-z][\w-]*\s+){0,2})(?P<plural>[a-z][\w-]*s)\s+(?=[A-Z]|$)"
)
# What may stand between a list's opener and one of its names: names, "of/from (the) Body",
# commas and "and" (read word by word, so no pattern backtracks over a long list).
_LIST_WORD = re.compile(r"[A-Z][\w.&'’-]*,?|of|from|for|and|the")
# "Governor of Washington X", "CEO of the Refugee Council X": a title, then the body, then the name.
_TITLE_OF = re.compile(
    r"(?:^|[,;:(]\s+|\b(?:and|by|with|to|from|as)\s+)(?P<role>(?:[A-Za-z][\w-]*\s+){0,2}[A-Za-z][\w-]*)"
    r"\s+(?:of|at|for)\s+(?:the\s+)?(?P<org>[A-Z][\w.&'’-]*(?:\s+(?:(?:of|on|and|for)\s+)?[A-Z][\w.&'’-]*)*)?\s*$"
)
# "X, the Secretary of State,": a capitalised title in an apposition after the name.
_TITLE_AFTER = re.compile(
    r"^\s*,\s+(?:the|a|an)\s+(?P<role>[A-Z][\w-]*(?:\s+(?:of|for)?\s*[A-Z][\w-]*){0,4})\s*(?:,|\.|$)"
)
# "X, a practising homeopath,": an indefinite description after the name.
_DESCRIPTION_AFTER = re.compile(
    r"^\s*,\s+(?:a|an)\s+(?P<role>(?:[a-z][\w-]*\s+){0,2}(?P<noun>[a-z][\w-]*))\s*,"
)
_POST_NOMINAL = re.compile(r"^\s*,\s+(?P<letters>[A-Z]{2,3})\s*,")


@dataclass(frozen=True, slots=True)
class RoleInfo:
    """A role, the body it belongs to, and an honorific written before the name."""

    role: str | None
    org: str | None
    honorific: str | None


def _is_roleish(word: str) -> bool:
    low = word.lower()
    return (
        low in ROLE_HEADS
        or low in ROLE_MODIFIERS
        or bool(_COMPOUND_ROLE.match(low))
        or agent_noun(low)
    )


def agent_noun(low: str) -> bool:
    """A lower-case noun of the kind that names what someone does ('illustrator', 'musician')."""
    return len(low) >= 5 and low.isalpha() and low.endswith(_AGENT_ENDS) and low not in NOT_AGENTS


def _org_word(word: str, acronyms: dict[str, str]) -> str | None:
    low = word.lower()
    if low in DEMONYMS:
        return DEMONYMS[low]
    if word in acronyms:
        return acronyms[word]
    if word in KNOWN_ORGS or (len(word) > 1 and word.isupper()) or is_place(word):
        return word
    return None


def _title_word(word: str) -> bool:
    low = word.lower()
    compound = "-" in word and any(p[:1].islower() for p in word.split("-")[1:])
    return low in ROLE_HEADS or not compound


def split_prefix(
    prefix: tuple[str, ...], acronyms: dict[str, str]
) -> tuple[str | None, list[str], str | None]:
    """A run's words before the name: (organisation, role words, honorific)."""
    if not prefix:
        return None, [], None  # the common case: the run is the name
    org_parts: list[str] = []
    i = 0
    while i < len(prefix) and (found := _org_word(prefix[i], acronyms)) and not org_parts:
        org_parts.append(found)
        i += 1
    words = prefix[i:]
    # A body named before the title: "Refugee Council CEO", "Labour Party leader".
    last_org = next((n for n in range(len(words) - 1, -1, -1) if words[n].lower() in ORG_WORDS), -1)
    if last_org >= 1 and not org_parts:
        org_parts.append(" ".join(words[: last_org + 1]).removeprefix("The "))
        words = words[last_org + 1 :]
    rest = [
        w
        for w in words
        if w not in ("The", "A", "An") and _title_word(w) and w.lower() not in NOT_NAMES
    ]
    honorific = None
    if rest and rest[-1].lower().rstrip(".") in HONORIFICS:
        honorific = rest.pop()
    if not any(_heads_role(w) for w in rest):
        rest = []  # descriptions ("Nonpartisan", "Yesterday"), not a role
    return (org_parts[0] if org_parts else None), rest, honorific


def _heads_role(word: str) -> bool:
    low = word.lower().rstrip(".")
    return low in ROLE_HEADS or agent_noun(low) or bool(_COMPOUND_ROLE.match(low))


def role_before(before: str, acronyms: dict[str, str]) -> tuple[list[str], str | None]:
    """Lower-case role words right before a name ('vice chair') and the body named before them."""
    last = before.rsplit(None, 1)[-1:]
    if not last or not last[0][:1].islower() or not _is_roleish(last[0]):
        return [], None  # the common case: no role word right before the name
    # Only the end of a long sentence can hold them: split that, not the whole sentence.
    cut = len(before) > _ROLE_TAIL
    words = before[-_ROLE_TAIL:].split()[1:] if cut else before.split()
    role: list[str] = []
    while words and _is_roleish(words[-1]) and words[-1][0].islower():
        role.insert(0, words.pop())
    if role and not any(
        w.lower() in ROLE_HEADS or _COMPOUND_ROLE.match(w) or agent_noun(w.lower()) for w in role
    ):
        return [], None
    if not role:
        return [], None
    if not cut and len(words) == 1 and opens_role(words[0]):
        return [words[0], *role], None  # "Managing director X", "Political scientist X"
    rest = " ".join(words) + " "
    return role, org_before(rest, acronyms)


def opens_role(word: str) -> bool:
    """A sentence's first word that is a capitalised role word or an adjective, not a body."""
    low = word.lower()
    if low in ROLE_HEADS or low in ROLE_MODIFIERS or _COMPOUND_ROLE.match(low):
        return True  # not an agent-like ending: capitalised, "Ukrainian" is a nationality
    return bool(_ADJECTIVE_END.search(low)) and low not in DEMONYMS and not is_place(word)


def modifiers_before(before: str) -> list[str]:
    """Lower-case words such as 'former' or 'outgoing' right before a capitalised title."""
    words = before.split()
    found: list[str] = []
    while words and words[-1] in ("former", "outgoing", "incoming", "acting", "interim", "late"):
        found.insert(0, words.pop())
    return found


def org_before(text: str, acronyms: dict[str, str]) -> str | None:
    """The body named at the very end of `text` ('(RBI) ', "Meta's ", 'World Athletics ')."""
    if match := _ACRONYM_BEFORE.search(text):
        return acronyms.get(match.group("acr"), match.group("acr"))
    if match := _TRAILING_CAPS.search(text):
        org = match.group("org")
        if org.split()[0] in ("The", "A", "An", "Her", "His", "Their", "Its", "Our", "My"):
            org = " ".join(org.split()[1:])  # "Her former partner X": no body
        if org:
            return DEMONYMS.get(org.lower(), acronyms.get(org, org))
    return None


def appositive(after: str, before: str) -> tuple[str | None, str | None]:
    """A role given beside the name: 'X, a trade analyst,' or "Mexico's Secretary of Y, X"."""
    tail = before.rstrip()
    if not (
        after.lstrip()[:1] == ","
        or tail.endswith((",", " and"))
        or (tail[-10:].lower().endswith(_EXAMPLE_ENDS) and before[-1:].isspace())
    ):
        return None, None  # none of the patterns below can match
    if match := _APPOS_AFTER.match(after):
        phrase = _RELATIVE.split(match.group("phrase"), maxsplit=1)[0]
        parts = _ROLE_OF.split(phrase, maxsplit=1)
        role = parts[0]
        org = parts[1] if len(parts) > 1 and parts[1][:1].isupper() else None
        if role.split() and role.split()[-1].lower() in ROLE_HEADS:
            return role, org
    if match := _APPOS_BEFORE.search(before):
        role = match.group("role")
        words = role.lower().split()
        while words[:1] and words[0] in _DETERMINERS:
            words, role = words[1:], role.split(None, 1)[-1]
        if words and (words[0] in ROLE_HEADS or words[-1] in ROLE_HEADS):
            return role, match.group("org")
        if words and (head := _singular(words[0])):
            return head + role[len(words[0]) :], match.group("org")
    pair = before.endswith(" and ") and _PAIR_BEFORE.search(before, max(0, len(before) - 120))
    if pair and (head := _singular(pair["role"].split()[0])):
        # "two former executives of the bank, X and Y": Y shares the role.
        plural = pair["role"].split()[0]
        return head + pair["role"][len(plural) :], None
    if match := _EXAMPLES.search(before):
        mod = (match.group("mod") or "").lower()
        noun = ROLE_PLURALS[match.group("plural").lower()]
        return (f"{mod} {noun}" if mod and mod not in _VAGUE else noun), None
    return None, None


def _singular(word: str) -> str | None:
    """The role head a plural names ('executives' → executive), or None."""
    low = word.lower()
    if low in ROLE_PLURALS:
        return ROLE_PLURALS[low]
    if low.endswith("s") and low[:-1] in ROLE_HEADS:
        return low[:-1]
    return None


def possessor(before: str) -> str | None:
    """The body owning a person: "Meta's Joel Kaplan" → Meta."""
    match = _POSSESSOR.search(before)
    if match is None or not re.search(r"['’]s?\s+$", before):
        return None
    return match.group("org")


def abbreviated_title(before: str) -> str | None:
    """A title shortened right before the name ('Gov. X' → Governor, 'Sen. X' → Senator)."""
    match = _ABBREVIATED.search(before)
    return _TITLES[match["abbr"].lower()] if match else None


def academic_title(honorific: str | None, before: str) -> str | None:
    """'Dr' or 'Prof.' as written before the name, inside its run or just before it."""
    if honorific and honorific.lower() in _ACADEMIC:
        return honorific
    tail = before[-12:]
    match = _ACADEMIC_BEFORE.search(tail)
    return match.group(0).strip() if match else None


def royal_role(honorific: str | None) -> str | None:
    """A royal title that doubles as the role ('King Aldric' → King)."""
    if honorific and honorific.lower() in ROYAL:
        return honorific
    return None


def list_role(before: str) -> str | None:
    """The role a plural noun gives each name of the list it opens ('councillors A, B and C')."""
    openers = list(_LIST_OPENER.finditer(before))
    if not openers:
        return None
    match = openers[-1]
    if not all(_LIST_WORD.fullmatch(w) for w in before[match.end() :].split()):
        return None  # a clause between the plural and the name: not a list it opens
    head = _singular(match["plural"])
    if head is None:
        return None
    mods = [m for m in match["mods"].split() if m in ROLE_MODIFIERS]
    return " ".join([*mods, head])


def title_of(before: str) -> tuple[str | None, str | None]:
    """A title and its body written before the name: 'Governor of Washington ' → Governor."""
    match = _TITLE_OF.search(before)
    if match is None:
        return None, None
    role = match["role"]
    last = role.split()[-1].lower()
    if last not in ROLE_HEADS and not agent_noun(last):
        return None, None
    return role, match["org"]


def appositive_title(after: str) -> str | None:
    """A role given after the name: ', the Secretary of State,', ', a practising homeopath,',
    ', SC,'."""
    if match := _TITLE_AFTER.match(after):
        role = match["role"]
        if role.split()[0].lower() in ROLE_HEADS:
            return role
    if match := _DESCRIPTION_AFTER.match(after):
        noun = match["noun"]
        if noun not in NOT_ROLES and noun not in DEMONYMS and noun not in KIN:
            return match["role"]
    if (match := _POST_NOMINAL.match(after)) and match["letters"].lower() in POST_NOMINALS:
        return match["letters"]
    return None


def is_rank(role: str) -> bool:
    """Whether a role is only a rank ('Major general', 'Emeritus Professor' is not)."""
    return all(w.lower() in RANKS for w in role.split())
