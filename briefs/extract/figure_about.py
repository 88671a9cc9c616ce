"""What a figure counts: the noun phrase the number quantifies, in at most eight words.

Rules of English news writing, tried in order:
- ages: "Name, 42,", "aged 14", "when she was six", "a 77-year-old leader" → "age of …";
- casualties: "killing 107", "12 dead" → "people killed", "people dead";
- the noun phrase after the number ("1709 schoolchildren", "two Syrian teams"), past hedges and
  the second number of a range ("ten to 32 pages"); a bare unit ("48 hours") keeps its context;
- else the subject of the clause before the number ("The seats … increased from 9 to 10").
Each rule reads a bounded window around the number, so a long sentence costs no more per figure.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from briefs.extract.figure_words import pairs, words

MAX_WORDS = 8
_W_AGE_VERBS = words("age_verbs")
_W_CASUALTY_WORDS = words("casualty_words")
_W_HEDGES = words("hedges")
_W_NP_STOP = words("np_stop")
_W_TIME_UNITS = words("time_units")
_W_VERBS = words("verbs")
_BEFORE = 160  # characters read before a number (its clause)
_AFTER = 100  # characters read after it (its noun phrase)
_NEAR = 48  # characters read before it first: enough when they hold the clause's start
_TOKEN = re.compile(r"[$€£¥₹]?\d[\d,.:/]*\d%?|[$€£¥₹]?\d%?|\w(?:[\w'’-]*\w)?|[^\w\s]")
_NUMBER_TOKEN = re.compile(r"[$€£¥₹]?\d[\d,.:/]*%?$")
_CLAUSE_BREAK = frozenset(',;:()"“”?!.[]—–-')
_CLAUSE_WORDS = words("clause_words")
_LEAD_SKIP = words("clause_openers")
_DETERMINERS = words("determiners")
_CAPITAL = re.compile(r"[A-Z]")
_SPELLED_WORDS = frozenset(
    str.split(
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
        "eighty ninety hundred thousand million billion trillion"
    )
)


class About(NamedTuple):
    """A description and how much a reader can trust it (higher is better)."""

    text: str
    quality: int


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _is_number(token: str) -> bool:
    return bool(_NUMBER_TOKEN.match(token)) or token.lower() in _SPELLED_WORDS


def describe(text: str, start: int, end: int, kind: str, unit: str | None) -> About:
    """What the number written at text[start:end] counts."""
    near_start = max(0, start - _NEAR)
    before = _tokens(text[near_start:start])  # the last few words; the clause only if needed
    after = _tokens(text[end : end + _AFTER])
    written = text[start:end].lower()
    if unit in ("year-old", "month-old", "week-old", "day-old") or _OLD.search(written):
        return _aged(before, after)
    clause = near_start > 0 and not any(t in _CLAUSE_BREAK for t in before)
    if clause:
        before = _tokens(text[max(0, start - _BEFORE) : start])
    if kind == "count" and (age := _age(before, after)):
        return About(age, 5)
    low_after = [t.lower() for t in after[:1]]
    if kind == "count" and low_after and low_after[0] in _W_CASUALTY_WORDS:
        return About(f"people {low_after[0]}", 5)
    if kind == "count" and before and before[-1].lower() in _W_CASUALTY_WORDS:
        return About(f"people {_participle(before[-1].lower())}", 5)
    head = _noun_after(after, kind)
    if head and head[0].lower() not in _W_TIME_UNITS:
        if unit and unit.isalpha() and unit in _TIME_COMPOUNDS:
            return About(f"{_clip(head)} ({unit}s)", 4)  # "a 15-month jail sentence"
        verb = [before[-1]] if before and before[-1].lower().endswith("ed") else []
        return About(_clip([*head, *verb, *_complement(after, head)]), 4)
    if head:
        return About(_clip([*head, *_complement(after, head)]), 3)
    if kind == "multiplier" and (verb := _verb_before(before)):
        return About(_clip(["times", *verb]), 3)
    near = _object_before(before) or _subject(before)
    if unit and unit.isalpha() and kind in ("count", "measure") and unit != "fraction":
        near = near or _subject(_first_clause(_tokens(text[max(0, start - _BEFORE) : start])))
        return About(f"{unit} ({_clip(near)})" if near else unit, 3)
    if near:
        return About(_clip(near), 2)
    if window := _window(after):
        return About(_clip(window), 1)
    opening = _first_clause(_tokens(text[max(0, start - _BEFORE) : start]))
    near = _subject(opening) or _object_before(opening)
    return About(_clip(near), 1 if near else 0)


def _clip(tokens: list[str]) -> str:
    kept = tokens[:MAX_WORDS]
    while kept and (kept[-1].lower() in _LOOSE_END or kept[-1] in _CLAUSE_BREAK):
        kept = kept[:-1]
    text = " ".join(kept)
    return _SPACE_BEFORE_MARK.sub("", text).replace(" 's", "'s")


def _participle(word: str) -> str:
    if word.endswith("ing"):
        stem = word[:-3]
        return {"kill": "killed", "wound": "wounded", "injur": "injured", "hurt": "hurt"}.get(
            stem, stem + "ed"
        )
    return word


def _aged(before: list[str], after: list[str]) -> About:
    """'a 77-year-old leader' → 'age of leader'; 'Ms Sam, a 36-year-old,' → 'age of Ms Sam'."""
    head = _noun_after(after, "count") if after[:1] and after[0].lower() not in _LEAD_SKIP else []
    if head:
        return About(_clip(["age", "of", *head]), 5)
    name = _name_before(before)
    return About(f"age of {name}" if name else "age", 5 if name else 4)


def _age(before: list[str], after: list[str]) -> str | None:
    """'Thomas Sam, 42,', 'aged 14', 'at the age of 9', 'when she was six.' → an age."""
    nxt = after[0].lower() if after else "."
    ends_clause = nxt in _CLAUSE_BREAK or nxt in ("and", "when", "so", "until", "before", "after")
    if before[-1:] == [","] and nxt in (",", ")", "and"):
        name = _name_before(before[:-1])
        if name and before[-2][:1].isupper():
            return f"age of {name}"
    last = before[-1].lower() if before else ""
    if last in ("aged", "age") or (last == "of" and len(before) >= 2 and before[-2] == "age"):
        owner = _owner(before)
        return f"{owner} age" if owner else "age"
    if last in _W_AGE_VERBS and ends_clause and len(before) >= 2:
        subject = before[-2]
        possessive = pairs("subject_pronouns").get(subject.lower())
        if possessive:
            return f"{possessive} age"
        if subject[:1].isupper() and subject.lower() not in _DETERMINERS:
            return f"age of {_name_before(before[:-1]) or subject}"
    return None


def _owner(before: list[str]) -> str:
    """Whose age: the pronoun or name that is the subject of the clause before 'aged'."""
    clause = _clause(before)
    for token in clause:
        if owner := pairs("subject_pronouns").get(token.lower()):
            return owner
    skip = _LEAD_SKIP | _DETERMINERS
    name = next((t for t in clause if _CAPITAL.match(t) and t.lower() not in skip), "")
    return f"{name}'s" if name else ""


def _name_before(before: list[str]) -> str:
    """The capitalised name that ends the tokens: 'Thomas Sam' in '…, Thomas Sam'."""
    name: list[str] = []
    for token in reversed(before[-4:]):
        if (token[:1].isupper() and token.isalpha()) or (name and token in ("-",)):
            name.insert(0, token)
        else:
            break
    while name and name[0].lower() in _LEAD_SKIP | _DETERMINERS:
        name = name[1:]
    return " ".join(name)


def _noun_after(after: list[str], kind: str) -> list[str]:
    """The noun phrase right after the number, past hedges and a range's second number."""
    i = 0
    stop = _W_NP_STOP
    while i < len(after):
        low = after[i].lower()
        if low in _W_HEDGES or (low in ("-", "–") and i == 0):
            i += 1  # "200 more", "the 11th-hour deal"
        elif (
            low in ("to", "or", "and", "in", "of", "-", "–", "—")
            and i + 1 < len(after)
            and _is_number(after[i + 1])
        ):
            i += 2
        elif low in ("of", "a", "an") and kind in ("percent", "money", "measure") and i == 0:
            i += 1  # "50 percent of the vote", "$31 a barrel"
        elif low == "in" and kind == "money" and i == 0:
            i += 1  # "$5 million in grants"
        elif low == "of" and i == 0 and kind == "count":
            i += 1  # "seven of the court's judges"
        elif low in _DETERMINERS and i and after[i - 1].lower() == "of":
            i += 1
        elif low == "out" and after[i + 1 : i + 2] == ["of"] and len(after) > i + 2:
            i += 3 if _is_number(after[i + 2]) else 2  # "four out of seven commissioners"
        else:
            break
    phrase: list[str] = []
    for k, token in enumerate(after[i : i + 4], start=i):
        low = token.lower()
        if token in ("'", "’"):
            continue  # "15 months' imprisonment"
        if token in _CLAUSE_BREAK or low in stop or _is_number(token) or low in ("'s", "’s"):
            break
        if phrase and (
            (low.endswith("ly") and len(low) > 4)
            or (low.endswith("ed") and len(low) > 4 and _verb_here(after, k))
            or (low.endswith("ing") and len(low) > 4 and _plural(phrase[-1]))
            or low in _W_VERBS
            or (token[:1].isupper() and _plural(phrase[-1]))
        ):
            break  # "people killed", "robots collectively", "politicians Tam Kin-wah"
        phrase.append(token)
    return phrase


def _verb_here(tokens: list[str], k: int) -> bool:
    """A word in -ed or -ing is a verb when a function word or a stop follows ('coincided
    with', 'killed.'), an adjective when a content word does ('manned space flight')."""
    nxt = tokens[k + 1] if k + 1 < len(tokens) else "."
    return nxt in _CLAUSE_BREAK or nxt.lower() in _W_NP_STOP


def _plural(token: str) -> bool:
    return token.islower() and len(token) > 3 and token.endswith("s") and not token.endswith("ss")


def _complement(after: list[str], head: list[str]) -> list[str]:
    """An 'of'/'for'/'in' phrase that completes a head noun ('decades of military conflict')."""
    at = _index_after(after, head)
    preps = _TIME_PREPS if head[0].lower() in _W_TIME_UNITS else _PREPS
    if at is None or at >= len(after) or after[at].lower() not in preps:
        return []
    tail: list[str] = [after[at]]
    for k, token in enumerate(after[at + 1 : at + 6], start=at + 1):
        low = token.lower()
        if token in _CLAUSE_BREAK or (low in _W_NP_STOP and low not in _DETERMINERS):
            break
        if len(tail) > 1 and (
            low in _W_VERBS
            or (low.endswith("ly") and len(low) > 4)
            or (low.endswith(("ed", "ing")) and len(low) > 4 and _verb_here(after, k))
        ):
            break  # "the first mission coincided": the clause's verb ends the phrase
        tail.append(token)
    return tail if len(tail) > 1 else []


def _index_after(after: list[str], head: list[str]) -> int | None:
    for i in range(min(len(after), 12)):
        if after[i : i + len(head)] == head:
            return i + len(head)
    return None


def _clause(before: list[str]) -> list[str]:
    """The tokens of the clause that ends right before the number."""
    cut = len(before)
    while cut > 0:
        token = before[cut - 1]
        if token in _CLAUSE_BREAK or token.lower() in _CLAUSE_WORDS:
            break
        cut -= 1
    return before[cut:]


def _subject(before: list[str]) -> list[str]:
    """The noun phrase opening the number's clause, up to its verb: 'The seats in the council'."""
    clause = _clause(before)
    i = 0
    while i < len(clause) and clause[i].lower() in _LEAD_SKIP:
        i += 1
    phrase: list[str] = []
    stop = _W_NP_STOP - {"of", "in", "the", "a", "an", "its", "his", "her", "their"}
    for token in clause[i:]:
        low = token.lower()
        if low in stop or _is_number(token):
            break
        if phrase and (low.endswith("ed") or low in _W_AGE_VERBS) and len(low) > 3:
            break
        phrase.append(token)
    while phrase and phrase[-1].lower() in _W_NP_STOP:
        phrase = phrase[:-1]
    if not phrase or all(t.lower() in _W_NP_STOP for t in phrase):
        return []
    return phrase[:6]


def _object_before(before: list[str]) -> list[str]:
    """The nearest noun phrase before the number, past hedges, prepositions and verbs:
    'raised its growth forecast to 7 per cent' → 'growth forecast'."""
    clause = _clause(before)
    i = len(clause)
    while i > 0:
        low = clause[i - 1].lower()
        if low in _PRONOUNS:
            return []
        if i > 1 and clause[i - 2].lower() == "to" and clause[i - 1].islower():
            i -= 2  # "to expand", "to receive": an infinitive, not what is counted
        elif (
            low in _W_NP_STOP
            or low in _QUANTIFIERS
            or _verb(clause[i - 1])
            or (low.endswith("ly") and len(low) > 4)
        ):
            i -= 1
        else:
            break
    phrase: list[str] = []
    while i > 0 and len(phrase) < 4:
        token = clause[i - 1]
        low = token.lower()
        if low in _W_NP_STOP or _verb(token) or _is_number(token):
            break
        phrase.insert(0, token)
        i -= 1
    j = i
    while j > 0 and clause[j - 1].lower() in _DETERMINERS:
        j -= 1
    if (
        phrase
        and len(phrase) <= 3
        and j > 0
        and _verb(clause[j - 1])
        and clause[j - 1].lower() not in _W_NP_STOP
    ):
        return clause[j - 1 : i] + phrase  # the verb and its object: "cost the lender"
    return phrase


_SPACE_BEFORE_MARK = re.compile(r" (?=[,.;:)'’])|(?<=[(]) ")
_OLD = re.compile(r"[-\s]old$")
_TIME_WORDS = words("time_adverbs")
_LOOSE_END = _W_NP_STOP - _TIME_WORDS
_PREPS = frozenset(str.split("of for in on"))
_TIME_PREPS = _PREPS | frozenset(str.split("to after before since ago earlier later"))
_TIME_COMPOUNDS = frozenset(str.split("second minute hour day week month year decade"))
_QUANTIFIERS = words("quantifiers")
_PRONOUNS = words("pronouns")


def _verb(token: str) -> bool:
    low = token.lower()
    return low in _W_VERBS or (len(low) > 4 and low.endswith(("ed", "ing")))


def _first_clause(before: list[str]) -> list[str]:
    """The tokens of the sentence's first clause (of the window read before the number)."""
    for i, token in enumerate(before):
        if token in _CLAUSE_BREAK:
            return before[:i]
    return []


def _verb_before(before: list[str]) -> list[str]:
    """The nearest verb before the number and the words after it: 'turned around'."""
    clause = _clause(before)
    for i in range(len(clause) - 1, max(-1, len(clause) - 5), -1):
        if _verb(clause[i]):
            return clause[i:]
    return []


def _window(after: list[str]) -> list[str]:
    """The words after the number up to the clause's end, without loose function words."""
    kept: list[str] = []
    for token in after[:MAX_WORDS]:
        if token in _CLAUSE_BREAK:
            break
        kept.append(token)
    loose = _LEAD_SKIP | _DETERMINERS | _PRONOUNS
    while kept and kept[0].lower() in loose:
        kept = kept[1:]
    return kept if any(t.lower() not in loose for t in kept) else []
