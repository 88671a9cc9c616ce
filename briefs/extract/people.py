"""Named people: full names, roles, organisations, aliases and the sentences naming them."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from briefs.extract import roles
from briefs.extract.document import Document, Sentence, after, before
from briefs.extract.lexicon import (
    DEMONYMS,
    FACILITY_WORDS,
    HONORIFICS,
    KIN,
    KNOWN_ORGS,
    NOT_NAMES,
    ORG_WORDS,
    ROLE_HEADS,
    SPEECH_VERBS,
    STORM_WORDS,
    words,
)
from briefs.extract.name_shapes import aliases as short_forms
from briefs.extract.name_shapes import (
    names_a_thing,
    place_noun_after,
    place_worded,
    role_follows,
    split_name,
    starts_with_given,
)
from briefs.extract.places import countries, is_place
from briefs.extract.spans import Run
from briefs.model import Person
from briefs.normalize import ascii_form, fold

_SPEECH_AFTER = re.compile(
    r"^\s*(?:,\s*)?(?:has\s+|had\s+|also\s+|later\s+|then\s+)?(?:" + "|".join(SPEECH_VERBS) + r")\b"
)
_SPEECH_BEFORE = re.compile(r"\b(?:said|says|according to|wrote|added)\s+$")  # not "told X"
# What may stand right before a sentence's subject: its start, a clause break, a quote mark.
_CLAUSE_START = re.compile(r"(?:^|[,;:(\"“”]\s*|\b(?:and|but|while|when|as)\s+)$")
_ADMINISTRATION = re.compile(r"^\s+(?:administration|government|campaign|presidency)\b")
_LEADERS = words("leaders")
_SUBJECT = r"\s+(?:has|have|had|is|was|will|would|\w+ed)\b"
_DESCRIBED = re.compile(r"^\s*,\s+(?:a|an)\s+(?:[a-z][\w-]*\s+){0,2}?(?P<noun>[a-z][\w-]*)\b")
# "X, who farms …": a relative "who" tells a person (bodies take "which").
_WHO_AFTER = re.compile(r"^\s*,\s+who(?:se)?\b")
# A lone word after a place preposition ("a museum in Greenwich, said") or named as a government
# ("the Karnataka government") is a place, whatever verb follows.
_PLACE_BEFORE = re.compile(r"\b(?:in|at|near|outside|across)\s+$")
# "the US Geological Survey", "the Pan-American Highway": a bare "the" (no title between it and
# the words, as in "the Mumbai businessman X") opens the name of a body, place or thing.
_THE_BEFORE = re.compile(r"(?:^|\s)the\s+$")
_ORG_SEARCH_MENTIONS = 2
_STORMS = frozenset(w.capitalize() for w in STORM_WORDS) | {w.upper() for w in STORM_WORDS}
_OF_BODY = frozenset([" of ", " at ", " of the ", " at the "])
_GOVERNMENT_OF = re.compile(r"\b[Tt]he\s+$")
_GOVERNMENT_AFTER = re.compile(r"^\s+government\b")
_KIN_BEFORE = re.compile(
    r"\b(?:his|her|their|whose)\s+(?:[a-z-]+\s+)?(?:" + "|".join(sorted(KIN)) + r")\s+$"
)
_AGE_AFTER = re.compile(r"^,\s+\d{1,3},")
_PLURAL_VERB = re.compile(r"\s+(?:have|are|were)\b")
_JOINED_BEFORE = re.compile(r"(?:\band|,)\s+$")  # "X and Y were": Y is one of two subjects
_ITS_AFTER = re.compile(r"^\s*,\s+its\b")
_OF_BEFORE = re.compile(r"\b(?:of|from)\s+(?:the\s+)?$")


@dataclass(frozen=True, slots=True)
class Mention:
    """Where a person is named: sentence index and offsets in that sentence."""

    sentence: int
    start: int
    end: int
    name: str


@dataclass(slots=True)
class _Entry:
    words: tuple[str, ...]
    role: str | None = None
    org: str | None = None
    honorific: str | None = None
    sentences: list[int] = field(default_factory=list)
    searched: int = 0  # mentions read for a body after the role was found

    @property
    def name(self) -> str:
        lordly = self.honorific and self.honorific.lower() in ("lord", "lady", "sir", "dame")
        if lordly and len(self.words) == 1:
            return f"{self.honorific} {self.words[0]}"
        return " ".join(self.words)


@dataclass(frozen=True, slots=True)
class _Candidate:
    sent: Sentence
    run: Run
    core: tuple[str, ...]
    prefix: tuple[str, ...]


# Names recur in every article: fold each spelling once.
_fold = lru_cache(maxsize=16384)(fold)


@dataclass(slots=True)
class PeopleFinder:
    """Finds people in a document; `org_runs` are runs already read as organisations."""

    doc: Document
    acronyms: dict[str, str]
    org_runs: set[tuple[int, int]]
    orgs_at: dict[int, list[tuple[int, str]]]
    entries: dict[str, _Entry] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    org_like: set[str] = field(default_factory=set)
    place_like: set[str] = field(default_factory=set)
    lone: set[str] = field(default_factory=set)
    org_words: set[str] | None = None  # every word of every organisation named
    leaders: dict[int, str | None] = field(default_factory=dict)  # a paragraph's leading country

    def run(self) -> tuple[list[Person], list[Mention]]:
        """All people and where they are named."""
        singles: list[_Candidate] = []
        for cand in sorted(self._candidates(), key=lambda c: -len(c.core)):
            if len(cand.core) >= 2 and not self._known(cand) and self._is_person(cand):
                self._add(cand)
            else:
                singles.append(cand)
        for cand in sorted(singles, key=lambda c: c.sent.index):
            if not self._known(cand) and self._single_is_person(cand):
                self._add(cand)
                self._known(cand)
        names = {key: entry.name for key, entry in self.entries.items()}
        mentions = [
            Mention(m.sentence, m.start, m.end, names[m.name])
            for m in sorted(self.mentions, key=lambda m: (m.sentence, m.start))
        ]
        return [self._person(e) for e in self._ordered()], mentions

    def _candidates(self) -> list[_Candidate]:
        found: list[_Candidate] = []
        for sent in self.doc.sentences:
            text = sent.text
            for run in sent.runs:
                if (sent.index, run.start) in self.org_runs:
                    continue
                prefix, core = split_name(run.words)
                end = run.end
                follow = text[end : end + 1]
                after = (run.possessive or follow == " ") and text[end : end + 24].lower().split()
                if core and after and role_follows(after):
                    self.org_like.add(" ".join(core))
                if core and follow == "," and text.startswith(", which ", end):
                    # "X, which won 22 seats": a relative "which" tells a body, not a person.
                    self.org_like.add(" ".join(core))
                if place_worded(core) or run.words[0] in _STORMS:
                    continue  # "Lake Volta", "Typhoon Kajiki"
                if core and follow == " " and not run.possessive and place_noun_after(text, end):
                    self.org_like.add(" ".join(core))  # "Ha Tinh provinces": a place
                    self.place_like.add(" ".join(core))
                if core and not is_place(" ".join(core)) and not names_a_thing(run, prefix, text):
                    found.append(_Candidate(sent, run, core, prefix))
        return found

    def bodies(self) -> list[str]:
        """Names the text uses as bodies ("Chelsea physiotherapist", "X, which …"), after run()."""
        people = set(self.aliases)
        return [
            name
            for name in self.org_like
            if name not in self.place_like
            and _fold(name) not in people
            and not is_place(name)
            and name.lower() not in DEMONYMS
            and name.split()[0].lower() not in NOT_NAMES
            and len(name) >= 3
            and not (" " not in name and roles.opens_role(name))  # "Political scientist X"
        ]

    def _known(self, cand: _Candidate) -> bool:
        key = self.aliases.get(_fold(" ".join(cand.core)))
        if key is None and len(cand.core) == 2 and cand.core[0].lower() in ROLE_HEADS:
            key = self.aliases.get(_fold(cand.core[1]))  # "Judge Rao": a title, if Rao is known
            if key is not None:
                cand = _Candidate(cand.sent, cand.run, cand.core[1:], (*cand.prefix, cand.core[0]))
        if key is None:
            return False
        entry = self.entries[key]
        self._fill_role(entry, cand)
        self._mention(entry, cand)
        return True

    def _is_person(self, cand: _Candidate) -> bool:
        """A run of two or more name words is a person only with evidence: a title or
        honorific before it, a given name, or what the sentence says of it."""
        if " ".join(cand.core) in self.org_like and not cand.prefix:
            return False  # "Historic England's chief executive, X": the body X works for
        if self._after_the(cand):
            return False
        if cand.core[-1].lower() in FACILITY_WORDS and not cand.prefix:
            return self._evidence(cand)  # "City Hall", unless the text says it speaks
        in_quote = self.doc.in_quote(cand.sent.para, cand.sent.start + cand.run.start)
        if cand.prefix:
            return not in_quote
        alone = not _JOINED_BEFORE.search(before(cand.sent.text, cand.run.start, 8))
        plural = alone and _PLURAL_VERB.match(after(cand.sent.text, cand.run.end, 12))
        its = _ITS_AFTER.match(after(cand.sent.text, cand.run.end, 12))  # "X, its rival,"
        if cand.core[-1] in self.org_like or plural or its:
            return False  # "Villa manager X", "Aston Villa have signed": a body, not a person
        if starts_with_given(cand.core):
            return True  # named in a quote or not: "Ho Mei-ling issued an order"
        if _OF_BEFORE.search(before(cand.sent.text, cand.run.start, 8)):
            return False  # "X of Civic Renewal": the body or place a person is of
        return not in_quote and self._evidence(cand)

    def _single_is_person(self, cand: _Candidate) -> bool:
        word = " ".join(cand.core)
        if word in KNOWN_ORGS or word in self.org_like or is_place(word) or len(word) < 3:
            return False
        if word in self.acronyms or word in self._all_orgs():
            return False
        text, run = cand.sent.text, cand.run
        if _PLACE_BEFORE.search(text, max(0, run.start - 8), run.start):
            return False
        if self._after_the(cand):
            return False
        the = cand.prefix[-1:] == ("The",) or _GOVERNMENT_OF.search(before(text, run.start, 12))
        if the and _GOVERNMENT_AFTER.match(after(text, run.end, 20)):
            return False
        _, role_words, honorific = roles.split_prefix(cand.prefix, self.acronyms)
        if honorific or any(w.lower() in ROLE_HEADS for w in role_words):
            return True
        return self._evidence(cand)

    def _after_the(self, cand: _Candidate) -> bool:
        """'the' right before the name, with no title or honorific between them ("the Marlow
        administration" names a person)."""
        run, text = cand.run, cand.sent.text
        if cand.prefix[:1] != ("The",) and not _THE_BEFORE.search(
            text, max(0, run.start - 5), run.start
        ):
            return False
        if _ADMINISTRATION.match(after(text, run.end, 20)):
            return False
        org, role_words, honorific = roles.split_prefix(cand.prefix, self.acronyms)
        bodied = any(w.lower() in ORG_WORDS for w in cand.prefix)
        if role_words or honorific or (org and bodied and len(cand.core) >= 2):
            return False  # "the Housing Council Mira Halden": "the" opens the body's name
        words = [w for w in cand.prefix if w not in ("The", "A", "An")]
        return not any(
            w.lower() in ROLE_HEADS or w.lower().rstrip(".") in HONORIFICS for w in words
        )

    def _evidence(self, cand: _Candidate) -> bool:
        text, run = cand.sent.text, cand.run
        tail, head = after(text, run.end), before(text, run.start)
        if _SPEECH_BEFORE.search(head):
            return True
        if _SPEECH_AFTER.match(tail) and (len(cand.core) >= 2 or _CLAUSE_START.search(head)):
            return True  # the subject of a speech verb, not a word inside its subject's phrase
        if _WHO_AFTER.match(tail):
            return True
        if not run.possessive and _ADMINISTRATION.match(tail):
            return True
        role, _ = roles.appositive(tail, head)
        if role is not None or roles.role_before(head, self.acronyms)[0]:
            return True
        if _KIN_BEFORE.search(head) or _AGE_AFTER.match(tail) or roles.list_role(head):
            return True  # "his wife X", "X, 42,": only people have kin and ages
        described = _DESCRIBED.match(tail)
        if described and described["noun"] not in KIN and len(cand.core) >= 2:
            return True
        # A surname used alone elsewhere; not a word the text uses as a body ("Villa manager X").
        last = cand.core[-1]
        return len(cand.core) >= 2 and last in self._lone_speakers() and last not in self.org_like

    def _lone_speakers(self) -> set[str]:
        """Words the text uses alone as the subject of a speech verb ("Halvorsen said")."""
        if not self.lone:
            self.lone = {
                r.words[0]
                for s in self.doc.sentences
                for r in s.runs
                if len(r.words) == 1
                and (
                    _SPEECH_AFTER.match(after(s.text, r.end, 40))
                    or _SPEECH_BEFORE.search(before(s.text, r.start, 20))
                )
            }
        return self.lone

    def _all_orgs(self) -> set[str]:
        if self.org_words is None:
            self.org_words = {w for row in self.orgs_at.values() for _, n in row for w in n.split()}
        return self.org_words

    def _add(self, cand: _Candidate) -> None:
        words = cand.core
        entry = _Entry(words)
        key = " ".join(words)
        self.entries[key] = entry
        for alias in (key, *short_forms(words)):
            self.aliases.setdefault(_fold(alias), key)
        self._fill_role(entry, cand)
        self._mention(entry, cand)

    def _mention(self, entry: _Entry, cand: _Candidate) -> None:
        if cand.sent.index not in entry.sentences:
            entry.sentences.append(cand.sent.index)
        name = " ".join(entry.words)
        self.mentions.append(Mention(cand.sent.index, cand.run.start, cand.run.end, name))

    def _fill_role(self, entry: _Entry, cand: _Candidate) -> None:
        if entry.role and entry.org and (entry.honorific or not cand.prefix):
            return  # nothing left to fill
        org, role_words, honorific = roles.split_prefix(cand.prefix, self.acronyms)
        entry.honorific = entry.honorific or honorific
        if entry.role and entry.org:  # the rest only fills what is still missing
            return
        text, run = cand.sent.text, cand.run
        if entry.role:
            # Only the body is missing: a bare later mention ("Ruto said") cannot give it.
            bare = not cand.prefix and not text.startswith(",", run.end)
            if bare and not text.endswith(("'s ", "’s "), 0, run.start):
                return
            # A body is given with the role or soon after it, not many mentions later.
            entry.searched += 1
            if entry.searched > _ORG_SEARCH_MENTIONS:
                return
        head, tail = before(text, run.start), after(text, run.end)
        lower_role, lower_org = roles.role_before(head, self.acronyms)
        if not lower_role and role_words:
            lower_role = roles.modifiers_before(head)
        role = " ".join(lower_role + role_words) or None
        org = org or (lower_org if lower_role else None)
        if role is None or roles.is_rank(role):
            found, org2 = roles.appositive(tail, head)
            found = found or roles.appositive_title(tail)
            role, org = (found, org or org2) if found else (role, org)
        if role is None and (role := roles.list_role(head)) is None:
            role, org2 = roles.title_of(head)
            org = org or org2
        role = role or roles.royal_role(honorific) or roles.abbreviated_title(head)
        role = role or roles.academic_title(honorific, head)
        org = org or roles.possessor(head) if not role_words else org
        if role and not org:
            org = self._org_in_sentence(cand) or self._leader_country(role, cand)
        if role and not entry.role:
            entry.role = role
        if org and not entry.org and org != " ".join(entry.words):
            entry.org = org

    def _org_in_sentence(self, cand: _Candidate) -> str | None:
        row = self.orgs_at.get(cand.sent.index, [])
        text, end = cand.sent.text, cand.run.end
        for pos, name in row:  # "Professor X of University College London"
            if end < pos <= end + 8 and text[end:pos] in _OF_BODY:
                return name
        i = bisect_left(row, (cand.run.start, ""))  # the rows are in sentence order
        return row[i - 1][1] if i else None

    def _leader_country(self, role: str, cand: _Candidate) -> str | None:
        if not set(role.lower().split()) & _LEADERS:
            return None
        para = cand.sent.para
        if para not in self.leaders:  # the paragraph's first country that is a subject
            self.leaders[para] = next(
                (
                    run.text
                    for sent in self.doc.by_para[para]
                    for run in sent.runs
                    if run.text in countries() and re.match(_SUBJECT, after(sent.text, run.end, 40))
                ),
                None,
            )
        return self.leaders[para]

    def _ordered(self) -> list[_Entry]:
        return sorted(self.entries.values(), key=lambda e: min(e.sentences))

    def _person(self, entry: _Entry) -> Person:
        sentences = self.doc.sentences
        name = entry.name
        aliases = [a for a in short_forms(entry.words) if a != name]
        if entry.honorific:
            short = short_forms(entry.words)
            aliases.append(f"{entry.honorific} {short[0] if short else entry.words[-1]}")
        if name != " ".join(entry.words):
            aliases.insert(0, " ".join(entry.words))
        aliases += [ascii_form(a) for a in (name, *aliases)]
        unique = tuple(dict.fromkeys(a for a in aliases if a != name))
        return Person(
            name=name,
            role=entry.role,
            organization=entry.org,
            aliases=unique,
            mentions=tuple(sentences[i].text for i in sorted(entry.sentences)),
        )
