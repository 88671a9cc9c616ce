"""Quotes: the exact quoted words and who said them, resolved only from what the text says.

Each quote is read against its attribution clause: the words after it (", X said", ", said X",
"added Norpress", ", according to X") or the words before it in its sentence ("X said:", "X, who …,
told reporters", "The letter reads"). The speaker is the subject of the reporting verb, never a
name inside a modifier ("a letter seen by X"), an object ("described X as") or the quote itself.
Pronouns go to the subject of the nearest earlier sentence whose gender agrees. Quotes with no
attribution take the subject of the sentence before, or continue the previous speaker.

All work per quote is bounded: windows of a few hundred characters, mention lookups by bisect,
sentence subjects computed once each. So the cost grows linearly with the article.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from briefs.extract.document import Document, QuoteSpan, Sentence
from briefs.extract.lexicon import words
from briefs.extract.people import Mention
from briefs.extract.speakers import (
    CONJUNCTIONS,
    DETERMINERS,
    INTRO,
    INVERTING,
    NP_STOP,
    PREPOSITIONS,
    PRONOUN_GENDER,
    UNKNOWN,
    VERB,
    Speaker,
    SpeakerKinds,
    capital,
    gender_of,
    noun_phrase,
    np_word,
    np_word_forward,
    words_in,
)
from briefs.model import Person, Quote

_SENTENCE_END = re.compile(r"[.!?…][\"”’)]*$")
# "according to X", "in the words of X": X may hold an abbreviation ("Dr. X").
_ACCORDING = re.compile(
    r"\b(?:[Aa]ccording to|[Ii]n the words of)\s+"
    r"(?P<who>(?:[A-Z][a-z]{0,3}\.\s?|[^.,;:“”\"]){2,80})"
)
ADVERBS = words("quotes_adverbs")  # between a subject and its verb: "X has also said"
_EDGE = " \t,;"
_WINDOW = 400  # characters of attribution read before a quote
_AFTER = 200  # characters read after a quote
_BACK = 8  # sentences searched back for a pronoun's antecedent
_FULL_STOP = re.compile(r"(?:[a-z\d]{2}|[A-Z][a-z]{3,})[.!?]\s")


def _ended(text: str, after: str) -> bool:
    """Whether the quote closes its sentence, so what follows may be a new sentence."""
    return bool(_SENTENCE_END.search(text)) or after.lstrip()[:1] in (".", "!", "?")


def _short_attribution(after: str) -> bool:
    """'… ,” he said.' rather than a new sentence that happens to hold a speech verb."""
    first = re.split(r"(?<=[.!?])\s", after.lstrip(" .!?"), maxsplit=1)[0]
    return (len(first.split()) <= 8 and bool(VERB.search(first)) and not first[:1].isupper()) or (
        len(first.split()) <= 5 and bool(VERB.search(first))
    )


@dataclass(slots=True)
class QuoteFinder:
    """Reads the quotes of a document, given its people and where they are named."""

    doc: Document
    people: list[Person]
    mentions: list[Mention]
    orgs: list[str]
    # Per paragraph: mention starts (sorted), ends and names; quote starts and ends.
    m_start: dict[int, list[int]] = field(default_factory=dict)
    m_end: dict[int, list[int]] = field(default_factory=dict)
    m_name: dict[int, list[str]] = field(default_factory=dict)
    q_start: dict[int, list[int]] = field(default_factory=dict)
    q_end: dict[int, list[int]] = field(default_factory=dict)
    kinds: SpeakerKinds = field(default_factory=SpeakerKinds)
    said: dict[int, Speaker] = field(default_factory=dict)  # sentence → its attributed speaker
    subjects: dict[int, Speaker | None] = field(default_factory=dict)
    possessors: dict[int, Speaker] = field(default_factory=dict)  # "X's sister said": X

    def run(self) -> list[Quote]:
        """Every quote, one per quoted span, in article order."""
        self._prepare()
        quotes: list[Quote] = []
        previous: tuple[QuoteSpan, Speaker] | None = None
        for span in self.doc.quotes:
            text = self.doc.paragraphs[span.para][span.start : span.end].strip(_EDGE)
            if not text.strip(" .!?…"):
                continue
            sent = self.doc.sentence_at(span.para, span.start)
            speaker = self._attribute(span, sent, previous)
            if speaker.name is not None:
                self.said.setdefault(sent.index, speaker)
            quotes.append(
                Quote(
                    text=text,
                    speaker=speaker.name,
                    speaker_kind=speaker.kind,
                    partial=self.doc.partial_quote(span, text),
                    sentence=self.doc.quote_sentence(span, sent),
                )
            )
            previous = (span, speaker)
        return quotes

    # --- indexes, built once ---------------------------------------------------------------

    def _prepare(self) -> None:
        for q in self.doc.quotes:
            self.q_start.setdefault(q.para, []).append(q.start)
            self.q_end.setdefault(q.para, []).append(q.end)
        rows: dict[int, list[tuple[int, int, str]]] = {}
        for mention in self.mentions:
            sent = self.doc.sentences[mention.sentence]
            row = rows.setdefault(sent.para, [])
            row.append((sent.start + mention.start, sent.start + mention.end, mention.name))
        for para, row in rows.items():
            row.sort()
            self.m_start[para] = [r[0] for r in row]
            self.m_end[para] = [r[1] for r in row]
            self.m_name[para] = [r[2] for r in row]
            self.kinds.learn_genders(self.doc.paragraphs[para], row)
        self.kinds.learn(self.people, self.orgs)

    def _mention_in(self, para: int, lo: int, hi: int) -> list[tuple[int, int, str]]:
        """Mentions starting in [lo, hi) of a paragraph, outside quotation marks."""
        starts = self.m_start.get(para)
        if not starts:
            return []
        i, j = bisect_left(starts, lo), bisect_left(starts, hi)
        ends, names = self.m_end[para], self.m_name[para]
        return [
            (starts[k], ends[k], names[k])
            for k in range(i, min(j, i + 20))
            if not self._in_quote(para, starts[k])
        ]

    def _in_quote(self, para: int, offset: int) -> bool:
        starts = self.q_start.get(para)
        if not starts:
            return False
        i = bisect_right(starts, offset) - 1
        return i >= 0 and offset < self.q_end[para][i]

    # --- attribution ----------------------------------------------------------------------

    def _attribute(
        self, span: QuoteSpan, sent: Sentence, previous: tuple[QuoteSpan, Speaker] | None
    ) -> Speaker:
        para = self.doc.paragraphs[span.para]
        text = para[span.start : span.end].rstrip()
        if span.closed:
            after = para[span.end + 1 : span.end + 1 + _AFTER]
            attributed = not _ended(text, after) or _short_attribution(after)
            if attributed and (found := self._after(span, after)):
                return found
        lo = max(sent.start, span.start - _WINDOW)
        if previous is not None and previous[0].para == span.para:
            lo = max(lo, previous[0].end + 1)
        hi = max(lo, span.start - 1)
        if para[lo:hi].strip(" ,;:—–-("):
            if found := self._clause(span.para, lo, hi, sent):
                return found
            return UNKNOWN
        # A quote opening its sentence with no attribution.
        prev_sent = self._sentence_before(sent)
        found = self._subject(prev_sent) if prev_sent and prev_sent.para == span.para else None
        if found is not None:
            return found
        if previous is not None and span.para - previous[0].para <= 1:
            return previous[1]
        return UNKNOWN

    def _sentence_before(self, sent: Sentence) -> Sentence | None:
        return self.doc.sentences[sent.index - 1] if sent.index else None

    def _after(self, span: QuoteSpan, after: str) -> Speaker | None:
        """', X said', ', said X', 'added Norpress', ', according to X'."""
        para = self.doc.paragraphs[span.para]
        base = span.end + 1
        head = re.match(r"^[\s,.!?…]*", after)
        skip = head.end() if head else 0
        if match := _ACCORDING.match(after, skip):
            return self._who(span.para, base + match.start("who"), base + match.end("who"))
        verb = VERB.search(after, skip, skip + 100)
        if verb is None or re.search(r"[“”\"]", after[skip : verb.start()]):
            return None
        lead = after[skip : verb.start()]
        if _FULL_STOP.search(lead + " ") or len(lead.split()) > 12:
            return None
        if lead.strip(" ,"):
            return self._before_verb(span.para, base + skip, base + verb.start(), verb.group())
        tail_end = len(after)
        for mark in '.;:“”"':
            if (k := after.find(mark, verb.end())) >= 0:
                tail_end = min(tail_end, k)
        return self._np_after(para, span.para, base + verb.end(), base + tail_end)

    def _who(self, para: int, lo: int, hi: int) -> Speaker | None:
        """The speaker named by a run of words: a person named there, a pronoun or a description."""
        words = words_in(self.doc.paragraphs[para], lo, hi)
        if not words:
            return None
        if found := self._mention_in(para, lo, hi):
            return self.kinds.person(found[0][2])
        if words[0].low in PRONOUN_GENDER:
            return self._pronoun(words[0].low, para, lo)
        return self.kinds.describe(noun_phrase(words))

    def _np_after(self, para_text: str, para: int, lo: int, hi: int) -> Speaker | None:
        """The speaker after an inverted verb: 'said Halden to the crowd', 'added Norpress'."""
        words = words_in(para_text, lo, hi)[:10]
        if not words:
            return None
        phrase = noun_phrase(words)
        if not phrase:
            return None
        rest = words[len(phrase) :]
        closed = para_text[words[len(phrase) - 1].end : words[len(phrase) - 1].end + 1]
        if rest and rest[0].low not in PREPOSITIONS and closed not in (",", ";", ":", "."):
            return None  # "said her party has …": a clause, not an inverted speaker
        if words[0].low in ("he", "she", "they", "it"):
            return self._pronoun(words[0].low, para, lo) if len(phrase) == 1 else None
        if not any(capital(w) for w in phrase) and phrase[0].lower() not in DETERMINERS:
            return None  # "noted what began …"
        if found := self._mention_in(para, lo, words[len(phrase) - 1].end):
            return self.kinds.person(found[0][2])
        return self.kinds.describe(phrase, subject=True)

    def _clause(self, para: int, lo: int, hi: int, sent: Sentence) -> Speaker | None:
        """The speaker of the words before a quote in its sentence."""
        text = self.doc.paragraphs[para]
        if match := _ACCORDING.search(text, lo, hi):
            return self._who(para, match.start("who"), match.end("who"))
        verbs = list(VERB.finditer(text, lo, hi))
        if verbs:
            verb = verbs[-1]
            found = self._before_verb(para, lo, verb.start(), verb.group())
            if found is not None:
                return found
            if verb.group() in INVERTING:
                tail_end = hi
                for mark in ",.;:":
                    if (k := text.find(mark, verb.end(), hi)) >= 0:
                        tail_end = min(tail_end, k)
                tail = words_in(text, verb.end(), tail_end)
                inverted = tail and tail[0].low not in NP_STOP
                if inverted and (found := self._np_after(text, para, verb.end(), tail_end)):
                    return found
        relative = max(text.rfind(", which ", lo, hi), text.rfind(", who ", lo, hi))
        antecedent = relative >= 0 and not (verbs and verbs[-1].start() > relative)
        # "the ministry, which has long called it "…"": the words of the antecedent.
        if antecedent and (found := self._before_verb(para, lo, relative, "")):
            return found
        return self._subject(sent)

    def _before_verb(self, para: int, lo: int, hi: int, verb: str) -> Speaker | None:
        """The subject of a reporting verb: the noun phrase before it, past appositives
        (', a spokesman for X,') and modifiers ('seen by X', 'of X')."""
        text = self.doc.paragraphs[para]
        words = words_in(text, lo, hi)
        end = len(words)
        while (end and words[end - 1].low in ADVERBS) or (
            end and words[end - 1].low.endswith("ly")
        ):
            end -= 1
        skipped = False
        for _ in range(4):
            if not end:
                return None
            stop = words[end - 1].end
            gap = text[stop : words[end].start if end < len(words) else hi]
            if gap.strip().startswith(",") and not skipped:
                # An appositive or a relative clause closes just before the verb.
                comma = text.rfind(", ", lo, words[end - 1].start)
                if comma < 0:
                    return None
                inside = self._mention_in(para, comma, words[end - 1].end)
                end = bisect_left([w.start for w in words], comma)
                head = self._mention_in(para, words[0].start, comma) if end else []
                if inside and not head:
                    # "The agency's chief, Ana Ruiz, said": the name is the appositive.
                    return self.kinds.person(inside[0][2])
                skipped = True
                continue
            start = end
            while start and np_word(words[start - 1], words, start - 1, text, end):
                start -= 1
            phrase = words[start:end]
            if not phrase:
                return None
            before = words[start - 1].low if start else ""
            people = self._mention_in(para, phrase[0].start, phrase[-1].end)
            # The name must head the phrase: not "the X administration", "X's chief agent".
            people = [p for p in people if p[1] >= phrase[-1].start]
            modifier = before in PREPOSITIONS and not (before == "with" and verb.endswith("ing"))
            modifier = modifier and before not in CONJUNCTIONS and bool(verb)
            if people and (not modifier or before == "of"):
                return self.kinds.person(people[-1][2])
            if phrase[-1].low in PRONOUN_GENDER and len(phrase) == 1:
                return self._pronoun(phrase[-1].low, para, phrase[-1].start)
            if modifier:
                end = start - 1
                while end and (words[end - 1].low in NP_STOP or words[end - 1].low.endswith("ed")):
                    end -= 1
                continue
            return self.kinds.describe(noun_phrase(phrase), subject=True)
        return None

    # --- subjects and pronouns ------------------------------------------------------------

    def _subject(self, sent: Sentence) -> Speaker | None:
        """The subject of a sentence (cached): the attributed speaker of a quote in it, or the
        noun phrase that opens it, past an introductory phrase."""
        if sent.index in self.said:
            return self.said[sent.index]
        if sent.index in self.subjects:
            return self.subjects[sent.index]
        self.subjects[sent.index] = None  # no loops through pronouns
        found = self._read_subject(sent)
        self.subjects[sent.index] = found
        return found

    def _read_subject(self, sent: Sentence) -> Speaker | None:
        para = self.doc.paragraphs[sent.para]
        lo, hi = sent.start, sent.start + min(len(sent.text), 250)
        words = words_in(para, lo, hi)
        if not words or para[lo : words[0].start].strip(" (—–-") or self._in_quote(sent.para, lo):
            return None
        if match := _ACCORDING.match(para, words[0].start, hi):
            return self._who(sent.para, match.start("who"), match.end("who"))
        if words[0].low in INTRO or (words[0].low.endswith("ly") and words[0].low != "only"):
            comma = para.find(",", lo, min(hi, lo + 100))
            if comma >= 0:
                words = [w for w in words if w.start > comma]
        if not words:
            return None
        first = words[0]
        if first.low in PRONOUN_GENDER:
            return self._pronoun(first.low, sent.para, first.start, sent)
        end = 0
        while end < len(words) and end < 10 and np_word_forward(words, end, para):
            end += 1
        phrase = words[:end]
        if not phrase:
            return None
        people = self._mention_in(sent.para, phrase[0].start, phrase[-1].end)
        if people:
            name_end = people[0][1]
            rest = [w for w in phrase if w.start >= name_end]
            possessor = (
                para[name_end : name_end + 2] in ("'s", "’s")
                or para[name_end : name_end + 1] in "'’"
            )
            if not (possessor and rest):
                return self.kinds.person(people[0][2])
            self.possessors[sent.index] = self.kinds.person(people[0][2])
            return Speaker(None, "unknown", gender_of([w.text for w in rest]))
        return self.kinds.describe([w.text for w in phrase])

    def _pronoun(
        self, pro: str, para: int, offset: int, sent: Sentence | None = None
    ) -> Speaker | None:
        """The subject of the nearest earlier sentence whose gender agrees with the pronoun."""
        want = PRONOUN_GENDER.get(pro, "?")
        sent = sent or self.doc.sentence_at(para, offset)
        candidates: list[Speaker | None] = []
        if sent.index in self.said and sent.start + 0 < offset:
            candidates.append(self.said[sent.index])
        # Subject of the same sentence, when it comes before the pronoun ("X …, but he replied").
        own = self.subjects.get(sent.index)
        if own is None and sent.index not in self.subjects and sent.start < offset:
            first = words_in(self.doc.paragraphs[sent.para], sent.start, offset)[:1]
            if first and first[0].low not in PRONOUN_GENDER:
                own = self._subject(sent)
        candidates.append(own)
        candidates.append(self.possessors.get(sent.index))
        for k in range(sent.index - 1, max(-1, sent.index - _BACK), -1):
            candidates.append(self._subject(self.doc.sentences[k]))
        for cand in candidates:
            if cand is None:
                continue
            if want in ("p", "n"):
                if (cand.name and cand.kind != "person") or cand.gender == "p":
                    return cand
                continue
            if cand.kind != "person" or cand.name is None:
                continue
            got = self.kinds.gender.get(cand.name, cand.gender)
            if got == want:
                return cand
            if got == "?":
                self.kinds.gender.setdefault(cand.name, want)
                return cand
        return None

    # --- the rest of a quote --------------------------------------------------------------
