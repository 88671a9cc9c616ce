"""Who may speak: the words of an attribution read as a noun phrase, and what kind of speaker a
phrase names (a person, a body or outlet, a document, an unnamed person), kept in the text's words.
Shared by the quote finder; pure functions of the text and of the people and bodies it names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from briefs.extract.lexicon import KNOWN_ORGS, ORG_WORDS, ROLE_HEADS, SPEECH_VERBS
from briefs.model import Person, SpeakerKind


@cache
def _groups(name: str) -> tuple[frozenset[str], ...]:
    """The word groups of a data file: each `#` comment opens a group."""
    text = resources.files("briefs.extract").joinpath("data", name).read_text("utf-8")
    groups: list[set[str]] = []
    for line in text.splitlines():
        if line.startswith("#"):
            groups.append(set())
        elif groups:
            groups[-1].update(line.split())
    return tuple(frozenset(g) for g in groups)


EXTRA_VERBS, INVERTING = _groups("quotes_verbs.txt")
PREPOSITIONS, INTRO, NP_STOP, DETERMINERS = _groups("quotes_words.txt")
DOCUMENTS, OUTLETS, BODY_NOUNS, UNNAMED, MALE, FEMALE = _groups("quotes_kinds.txt")
VERB_WORDS = SPEECH_VERBS | EXTRA_VERBS
VERB = re.compile(r"\b(?:" + "|".join(sorted(VERB_WORDS, key=len, reverse=True)) + r")\b")
WORD = re.compile(r"[\w’'.&-]+")
PRONOUN_GENDER = {"he": "m", "she": "f", "they": "p", "it": "n"}

# Prepositions that also open a clause ("minutes after X said"): a subject may follow them.
CONJUNCTIONS = frozenset(str.split("after before since as until"))


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str | None
    kind: SpeakerKind
    gender: str = "?"  # m, f, p (a group), n (a thing), ? (not known)


UNKNOWN = Speaker(None, "unknown")


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    start: int  # offset in the paragraph
    end: int

    @property
    def low(self) -> str:
        return self.text.lower().rstrip(".")


def words_in(para: str, lo: int, hi: int) -> list[Word]:
    return [Word(m.group(), m.start(), m.end()) for m in WORD.finditer(para, lo, hi)]


def capital(word: str) -> bool:
    return word[:1].isupper()


def gender_of(words: list[str]) -> str:
    for word in reversed(words):
        low = word.lower().rstrip(".").removesuffix("'s").removesuffix("’s")
        if low in MALE:
            return "m"
        if low in FEMALE:
            return "f"
    return "?"


@dataclass(slots=True)
class SpeakerKinds:
    """What the text says about its speakers: the gender of each person, the unnamed people
    it describes ("One poster"), its bodies by first word, and people by their role words."""

    gender: dict[str, str] = field(default_factory=dict)
    unnamed: dict[str, Speaker] = field(default_factory=dict)  # head noun → "One poster"
    org_first: dict[str, list[str]] = field(default_factory=dict)
    role_people: dict[str, set[str]] = field(default_factory=dict)

    def learn(self, people: list[Person], orgs: list[str]) -> None:
        """Index the people and bodies the article names."""
        for person in people:
            words = [a.split()[0] for a in person.aliases if " " in a]
            words += (person.role or "").split()
            if (g := gender_of(words)) != "?":
                self.gender.setdefault(person.name, g)
            for word in [*(person.role or "").lower().split(), *(w.lower() for w in words)]:
                self.role_people.setdefault(word, set()).add(person.name)
        for org in orgs:
            if org.split():
                self.org_first.setdefault(org.split()[0], []).append(org)
        for names in self.org_first.values():
            names.sort(key=len, reverse=True)

    def learn_genders(self, text: str, row: list[tuple[int, int, str]]) -> None:
        """Honorifics and kin nouns before a name ("Mrs", "his wife X": X a woman, the man
        named just before her a man)."""
        for i, (start, _, name) in enumerate(row):
            before = text[max(0, start - 24) : start].split()[-2:]
            g = gender_of(before[-1:])
            if g == "?":
                continue
            self.gender.setdefault(name, g)
            owner = before[0].lower() if len(before) == 2 else ""
            if owner in ("his", "her") and i and start - row[i - 1][1] < 80:
                self.gender.setdefault(row[i - 1][2], "m" if owner == "his" else "f")

    def person(self, name: str, gender: str = "?") -> Speaker:
        """A named person as speaker, with the gender the text gives them."""
        return Speaker(name, "person", self.gender.get(name, gender))

    def describe(self, words: list[str], subject: bool = False) -> Speaker | None:
        found = self.classify(words)
        if found is not None or not subject or not words:
            return found
        # The subject of an explicit reporting verb that no rule names: the text's words.
        lows = [w.lower() for w in words]
        if lows[-1] in PRONOUN_GENDER or all(w in DETERMINERS for w in lows):
            return None
        content = words[1:] if lows[0] in ("a", "an") else words
        if all(capital(w) for w in content):
            return Speaker(" ".join(content), "person")  # a name the people list missed
        return Speaker(" ".join(content), "unknown")

    def classify(self, words: list[str]) -> Speaker | None:
        """A speaker that is not a named person: a body, an outlet, a document, a group or an
        unnamed person, kept in the text's words."""
        if not words:
            return None
        lows = [w.lower().removesuffix("'s").removesuffix("’s") for w in words]
        head = lows[-1]
        if head in PRONOUN_GENDER:
            return None
        content = [w for w, low in zip(words, lows, strict=True) if low not in DETERMINERS]
        if not content:
            return None
        org = self.org_in(words)
        # "the report's authors", "One poster", "officials": people the text does not name.
        if head in UNNAMED and not (head == "group" and org):
            if lows[0] in ("the", "this", "that") and len(words) == 2 and head in self.unnamed:
                return self.unnamed[head]  # "The poster" after "One poster"
            if head in self.role_people and len(self.role_people[head]) == 1 and lows[0] == "the":
                return self.person(next(iter(self.role_people[head])))
            name = " ".join(words[1:] if lows[0] in ("a", "an") else words)
            found = Speaker(name, "person", "p" if head.endswith("s") else "?")
            self.unnamed.setdefault(head, found)
            return found
        if head in DOCUMENTS:
            owner = [w for w in words if w.endswith(("'s", "’s"))]
            capitals = [w for w in content[:-1] if capital(w)]
            if org or owner or capitals:
                # "PC World's analysis", "the Home Office letter": the body behind the document.
                body = org or (owner[0][:-2] if owner else " ".join(capitals))
                if owner and not org:
                    body = " ".join(words[: words.index(owner[0]) + 1])[:-2]
                    body = body.removeprefix("the ").removeprefix("The ")
                return Speaker(body, "organization", "n")
            return Speaker(" ".join(words[1:] if lows[0] in ("a", "an") else words), "unknown", "n")
        if org and (fold_eq(org, content) or head in ORG_WORDS or head in BODY_NOUNS):
            return Speaker(org if fold_eq(org, content) else " ".join(content), "organization", "n")
        if org:
            return Speaker(org, "organization", "n")
        if all(capital(w) for w in content):
            acronym = len(content) == 1 and content[0].isupper()
            joined = " ".join(words if lows[0] == "the" and not acronym else content)
            if (
                head in ORG_WORDS
                or head in OUTLETS
                or lows[0] == "the"
                or any(w in KNOWN_ORGS or (w.isupper() and len(w) >= 2) for w in content)
            ):
                return Speaker(joined, "organization", "n")
            return None
        if head in BODY_NOUNS or head in ORG_WORDS:
            names = [w for w in content if capital(w)]
            if names and len(names) < len(content) and capital(content[0]) and head in OUTLETS:
                return Speaker(" ".join(names), "organization", "n")  # "Norpress news agency"
            return Speaker(" ".join(content if names else words), "organization", "n")
        if head in ROLE_HEADS and lows[0] == "the" and len(self.role_people.get(head, ())) == 1:
            return self.person(next(iter(self.role_people[head])))
        return None

    def org_in(self, words: list[str]) -> str | None:
        """The longest known organisation named among the words."""
        for i, word in enumerate(words):
            for org in self.org_first.get(word, ()):
                if " ".join(words[i : i + len(org.split())]).removesuffix("'s") == org:
                    return org
        return None


def np_word(word: Word, words: list[Word], i: int, text: str, end: int) -> bool:
    """Whether a word (read backwards) still belongs to the noun phrase that follows it."""
    low = word.low
    if low in ("and", "&") and 0 < i < len(words) - 1:
        return capital(words[i - 1].text) and capital(words[i + 1].text)
    if low in PREPOSITIONS or low in NP_STOP or low in VERB_WORDS or low in CONJUNCTIONS:
        return False
    if i + 1 < end and text[word.end : words[i + 1].start].strip():
        return False  # punctuation between the words
    if low in DETERMINERS or capital(word.text):
        return True
    if low.endswith("ed") and not (i and words[i - 1].low in DETERMINERS):
        return False
    return low.isalpha() or "'" in low or "’" in low


def noun_phrase(words: list[Word]) -> list[str]:
    """A noun phrase read forwards from the first word, cut at a verb or preposition."""
    out: list[str] = []
    for i, word in enumerate(words[:8]):
        low = word.low
        acronym = len(word.text) > 1 and word.text.isupper()  # "WHO", "IT": a name's letters
        stop = not acronym and (low in PREPOSITIONS or low in NP_STOP or low in VERB_WORDS)
        # "Council of Europe", "Procter & Gamble": a joint inside a name.
        joint = low in ("of", "&") and bool(out) and capital(out[-1])
        if stop and not (joint and i + 1 < len(words) and capital(words[i + 1].text)):
            break
        if out and low.endswith("ed") and out[-1].lower() not in DETERMINERS:
            break
        out.append(word.text.rstrip(".,"))
    return out


def np_word_forward(words: list[Word], i: int, para: str) -> bool:
    word, low = words[i], words[i].low
    if i and para[words[i - 1].end : word.start].strip() not in ("", "&"):
        return False  # punctuation ends the phrase
    if low in VERB_WORDS or low in NP_STOP:
        return False
    if low in PREPOSITIONS:
        # "Governor of Washington X", "CEO of the Refugee Council X": titles of bodies.
        return (
            low == "of"
            and i + 1 < len(words)
            and (capital(words[i + 1].text) or words[i + 1].low == "the")
            and (i == 0 or capital(words[i - 1].text) or words[i - 1].low in ROLE_HEADS)
        )
    if capital(word.text) or low in DETERMINERS:
        return True
    if low.endswith("ed") and i and words[i - 1].low not in DETERMINERS:
        return False
    return i < 6 and (low.isalpha() or low.endswith(("'s", "’s")))


def fold_eq(org: str, words: list[str]) -> bool:
    """Whether the words are the organisation's name (give or take a possessive)."""
    return " ".join(words).removesuffix("'s").removesuffix("’s") == org
