"""Quotes: the exact quoted words and who said them, resolved only from what the text says."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefs.extract.document import Document, QuoteSpan
from briefs.extract.lexicon import KNOWN_ORGS, ORG_WORDS, PRONOUNS, ROLE_HEADS, SPEECH_VERBS
from briefs.extract.people import Mention
from briefs.model import Person, Quote, SpeakerKind

_VERBS = "|".join(sorted(SPEECH_VERBS | {"stating", "saying", "adding", "writing", "noting"}))
_VERB = re.compile(rf"\b(?:{_VERBS})\b")
_AFTER = re.compile(
    rf"^[\s,.!?…]*(?P<lead>[^“”\"]{{0,90}}?)\b(?:{_VERBS})\b(?P<tail>[^“”\".;]{{0,80}})"
)
_INTRO = re.compile(rf"(?:\b(?:{_VERBS})\b[^“”\"]{{0,40}}?)?[,:]\s*$")
_ACCORDING = re.compile(r"^[\s,]*according to\s+(?P<who>[^.,;“”\"]{2,80})")
_RELATIVE = re.compile(r",\s+(?:which|who)\s+(?:has\s+|have\s+|had\s+)?(?:\w+ly\s+)?\w+")
_DESCRIPTION = re.compile(r"\b(?:the|its|their|his|her)\s+(?P<desc>[\w’'-]+(?:\s+[\w’'-]+){0,4})")
_ADMIN = re.compile(r"\b(?:the\s+)?(?P<who>[A-Z][\w-]+)\s+(?P<what>administration|government)\b")
_ADMIN_END = re.compile(r"(?P<who>[A-Z][\w-]+)\s+(?P<what>administration|government)\s*$")
_ACRONYM = re.compile(r"\b(?P<acr>[A-Z]{2,8}\+?)\b")
_SENTENCE_END = re.compile(r"[.!?…][\"”’)]*$")
_DOCUMENTS = frozenset(str.split("judgment judgement ruling verdict court decision"))
_EDGE = " \t,;"
# "He said …" / "She told …" opening the words before a quote.
_PRONOUN_SUBJECT = re.compile(
    rf"^\s*(?P<pro>[Hh]e|[Ss]he)\s+(?:(?:\w+ly|once|also|later|then|earlier|previously)\s+)?"
    rf"(?:{_VERBS})\b"
)
# A full stop that ends a sentence, not one after an initial or a title ("S. R. Venkatesh").
_FULL_STOP = re.compile(r"(?:[a-z\d]{2}|[A-Z][a-z]{3,})[.!?]\s")


def _ended(text: str, after: str) -> bool:
    """Whether the quote closes its sentence, so what follows may be a new sentence."""
    return bool(_SENTENCE_END.search(text)) or after.lstrip()[:1] in (".", "!", "?")


def _short_attribution(after: str) -> bool:
    """'… ,” he said.' rather than a new sentence that happens to hold a speech verb."""
    first = re.split(r"(?<=[.!?])\s", after.lstrip(" .!?"), maxsplit=1)[0]
    return (len(first.split()) <= 8 and bool(_VERB.search(first)) and not first[:1].isupper()) or (
        len(first.split()) <= 5 and bool(_VERB.search(first))
    )


@dataclass(frozen=True, slots=True)
class _Speaker:
    name: str | None
    kind: SpeakerKind


_UNKNOWN = _Speaker(None, "unknown")


@dataclass(slots=True)
class QuoteFinder:
    """Reads the quotes of a document, given its people and where they are named."""

    doc: Document
    people: list[Person]
    mentions: list[Mention]
    orgs: list[str]
    by_para: dict[int, list[tuple[int, str]]] = field(default_factory=dict)

    def run(self) -> list[Quote]:
        """Every quote, one per quoted span, in article order."""
        quotes: list[Quote] = []
        previous: tuple[QuoteSpan, _Speaker] | None = None
        self._index_mentions()
        for span in self.doc.quotes:
            text = self.doc.paragraphs[span.para][span.start : span.end].strip(_EDGE)
            if not text.strip(" .!?…"):
                continue
            speaker = self._attribute(span)
            if speaker.name is None and previous is not None and self._continues(previous[0], span):
                speaker = previous[1]
            quotes.append(
                Quote(
                    text=text,
                    speaker=speaker.name,
                    speaker_kind=speaker.kind,
                    partial=self._partial(span, text),
                    sentence=self._sentence(span),
                )
            )
            previous = (span, speaker)
        return quotes

    def _continues(self, prev: QuoteSpan, span: QuoteSpan) -> bool:
        if prev.para == span.para:
            return True
        if prev.para == span.para - 1 and not prev.closed:
            return True
        gap = self.doc.paragraphs[prev.para][prev.end :]
        return prev.para == span.para - 1 and span.start <= 1 and not _VERB.search(gap)

    def _attribute(self, span: QuoteSpan) -> _Speaker:
        para = self.doc.paragraphs[span.para]
        sent = self.doc.sentence_at(span.para, span.start)
        after = para[span.end + 1 : span.end + 200] if span.closed else ""
        before = para[sent.start : max(sent.start, span.start - 1)]
        text = para[span.start : span.end].rstrip()
        if span.closed and _ended(text, after):
            after = after if _short_attribution(after) else ""
        if span.closed and (found := self._after(span, after)):
            return found
        intro = _INTRO.search(before) or not before.strip()
        if intro and (found := self._nearest_before(span, sent.start)):
            return found
        if match := _RELATIVE.search(before):
            head = before[: match.start()]
            if admin := _ADMIN_END.search(head):
                return _Speaker(f"{admin['who']} {admin['what']}", "organization")
            if found := self._named_before(head, span.para, sent.start):
                return found
        if before.strip():
            return self._subject(span, before, sent.start)
        return _UNKNOWN

    def _after(self, span: QuoteSpan, after: str) -> _Speaker | None:
        if match := _ACCORDING.match(after):
            return self._resolve(match.group("who"), span.para, span.end + 1 + match.start("who"))
        match = _AFTER.match(after)
        if match is None or _FULL_STOP.search(match.group("lead").strip(" ,") + " "):
            return None
        lead = match.group("lead").strip(" ,")
        base = span.end + 1
        if lead:
            return self._resolve(lead, span.para, base + match.start("lead"))
        tail = re.split(r"\s+(?:as|in|on|at|while|after|before|who|which|during)\s+", match["tail"])
        return self._resolve(tail[0].strip(" ,"), span.para, base + match.start("tail"))

    def _resolve(self, who: str, para: int, offset: int) -> _Speaker | None:
        """A speaker from attribution words: a named person, a pronoun, a description, a body."""
        if not who:
            return None
        end = offset + len(who)
        for mention in self._para_mentions(para):
            if offset <= mention[0] < end:
                return _Speaker(mention[1], "person")
        low = who.lower().split()
        if low and low[0] in PRONOUNS:
            return self._last_person(para, offset) if PRONOUNS[low[0]] != "p" else None
        return self._describe(who)

    def _describe(self, who: str) -> _Speaker | None:
        words = {w.strip("’'s").lower() for w in re.findall(r"[\w’'-]+", who)} - {"the", "a"}
        if words & _DOCUMENTS:
            court = next((o for o in self.orgs if "court" in o.lower()), None)
            return _Speaker(court or who.strip(), "organization")
        best, score = None, 0
        for person in self.people:
            keys = f"{person.role or ''} {person.organization or ''} {' '.join(person.aliases)}"
            overlap = len(words & set(keys.lower().replace("-", " ").split()))
            if overlap > score:
                best, score = person, overlap
        if best is not None and words & (ROLE_HEADS | {"chief", "prince", "king"}):
            return _Speaker(best.name, "person")
        for org in self.orgs:
            if org.lower() in who.lower():
                return _Speaker(org, "organization")
        if match := _ADMIN.search(who):
            return _Speaker(f"{match['who']} {match['what']}", "organization")
        last = who.split()[-1].lower() if who.split() else ""
        if last in ORG_WORDS or any(w in KNOWN_ORGS for w in who.split()):
            return _Speaker(who.strip().removeprefix("the "), "organization")
        return None

    def _index_mentions(self) -> None:
        """Mentions by paragraph (offset in the paragraph, name), so no quote rescans them all."""
        for mention in self.mentions:
            sent = self.doc.sentences[mention.sentence]
            row = self.by_para.setdefault(sent.para, [])
            row.append((sent.start + mention.start, mention.name))

    def _para_mentions(self, para: int) -> list[tuple[int, str]]:
        return self.by_para.get(para, [])

    def _last_person(self, para: int, offset: int) -> _Speaker | None:
        for p in range(para, max(-1, para - 3), -1):
            found = [n for pos, n in self._para_mentions(p) if p < para or pos < offset]
            if found:
                return _Speaker(found[-1], "person")
        return None

    def _nearest_before(self, span: QuoteSpan, sent_start: int) -> _Speaker | None:
        return self._named_before(
            self.doc.paragraphs[span.para][sent_start : span.start], span.para, sent_start
        )

    def _named_before(self, text: str, para: int, base: int) -> _Speaker | None:
        limit = base + len(text)
        found = [n for pos, n in self._para_mentions(para) if base <= pos < limit]
        if found:
            return _Speaker(found[-1], "person")
        if match := list(_ADMIN.finditer(text)):
            last = match[-1]
            return _Speaker(f"{last['who']} {last['what']}", "organization")
        return None

    def _subject(self, span: QuoteSpan, before: str, base: int) -> _Speaker:
        limit = base + len(before)
        found = [n for pos, n in self._para_mentions(span.para) if base <= pos < limit]
        if found:
            return _Speaker(found[0], "person")
        if _PRONOUN_SUBJECT.match(before):
            # "He said replanting would take "a decade"": the person last named as speaker.
            return self._last_person(span.para, base) or _UNKNOWN
        low = before.lower()
        for person in self.people:
            if person.role and person.role.lower() in low:
                return _Speaker(person.name, "person")
        for org in self.orgs:
            if org in before:
                return _Speaker(org, "organization")
        if match := _ACRONYM.search(before):
            return _Speaker(match["acr"], "organization")
        return _UNKNOWN

    def _partial(self, span: QuoteSpan, text: str) -> bool:
        para = self.doc.paragraphs[span.para]
        lead = para[: max(0, span.start - 1)].rstrip()
        starts_clause = not lead or lead[-1] in ",:.!?—–-(" or span.start <= 1
        return not starts_clause or len(text.split()) < 3

    def _sentence(self, span: QuoteSpan) -> str:
        first = self.doc.sentence_at(span.para, span.start)
        last = self.doc.sentence_at(span.para, max(span.start, span.end - 1))
        if first.index == last.index and span.end + 1 < len(self.doc.paragraphs[span.para]):
            last = self.doc.sentence_at(span.para, span.end + 1)
        return " ".join(s.text for s in self.doc.sentences[first.index : last.index + 1])
