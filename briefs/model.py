"""The domain values: a brief and its parts, and what the library answers about them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

SpeakerKind = Literal["person", "organization", "unknown"]
FigureKind = Literal["count", "percent", "money", "ordinal", "multiplier", "measure"]


@dataclass(frozen=True, slots=True)
class Section:
    """A heading (None for the lead) and the paragraphs under it."""

    heading: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Person:
    """A named person, with the role the article gives them and every sentence naming them."""

    name: str
    role: str | None = None
    organization: str | None = None
    aliases: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()  # the sentences that name the person, in article order


@dataclass(frozen=True, slots=True)
class Quote:
    """Quoted words exactly as written, and who said them (never invented)."""

    text: str
    speaker: str | None  # a Person.name, an organisation, or None when unknown
    speaker_kind: SpeakerKind
    partial: bool  # a short fragment rather than a full quoted sentence
    sentence: str  # the sentence the quote stands in


@dataclass(frozen=True, slots=True)
class Figure:
    """A number from the article: as written, normalised, and what it counts."""

    value: str  # as written: "37", "seven", "50%", "€500 million", "third"
    number: float | None  # normalised: 37, 7, 50, 500000000, 3
    kind: FigureKind
    about: str  # what it counts, in a few words from the sentence
    sentence: str
    unit: str | None = None  # "percent", "per cent", "votes", "basis points", …
    currency: str | None = None  # ISO code for money: "USD", "EUR", "GBP", …


@dataclass(frozen=True, slots=True)
class Brief:
    """Everything the bot knows about one article."""

    headline: str
    published: dt.date | None
    source: str | None
    highlights: tuple[str, ...]
    highlights_derived: bool
    sections: tuple[Section, ...]
    analysis: str
    body: str  # the article text once, paragraphs separated by blank lines
    people: tuple[Person, ...] = ()
    quotes: tuple[Quote, ...] = ()
    figures: tuple[Figure, ...] = ()
    places: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    failed_parts: tuple[str, ...] = ()  # extractors that failed on this article ("figures")

    @property
    def source_url(self) -> str | None:
        """The source when it is a web address."""
        if self.source and self.source.startswith(("http://", "https://")):
            return self.source
        return None


# --- What the library answers -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BriefRef:
    """A short handle on a stored brief, for lists and footers."""

    id: int
    headline: str
    published: dt.date | None
    source: str | None
    ingested_at: dt.datetime  # timezone-aware, UTC
    guild_id: int | None = None  # None: global (added by the operator)

    @property
    def source_url(self) -> str | None:
        """The source when it is a web address."""
        if self.source and self.source.startswith(("http://", "https://")):
            return self.source
        return None


@dataclass(frozen=True, slots=True)
class StoredBrief:
    """A brief as the library holds it."""

    ref: BriefRef
    brief: Brief


@dataclass(frozen=True, slots=True)
class QuoteHit:
    """A quote with the brief it came from."""

    quote: Quote
    brief: BriefRef


@dataclass(frozen=True, slots=True)
class FigureHit:
    """A figure with the brief it came from."""

    figure: Figure
    brief: BriefRef


MatchKind = Literal["exact", "surname", "prefix", "fuzzy"]


@dataclass(frozen=True, slots=True)
class RoleSpan:
    """One role (and organisation) a person held, with the dates of the briefs saying so."""

    role: str | None
    organization: str | None
    days: tuple[dt.date, ...]  # newest first


@dataclass(frozen=True, slots=True)
class NameChoice:
    """One person offered by name autocomplete: what the member sees, what /who receives."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class PersonCard:
    """What the library knows of one person across all briefs in a scope."""

    id: int
    name: str
    role: str | None  # from the newest brief giving one
    organization: str | None  # with that role
    aliases: tuple[str, ...]  # other real spellings
    quotes: tuple[QuoteHit, ...]  # newest first
    figures: tuple[FigureHit, ...]  # figures from sentences naming the person
    briefs: tuple[BriefRef, ...]  # briefs that mention the person, newest first
    mentions: int = 0  # how many mentions in all
    match: MatchKind = "exact"
    score: float = 100.0
    roles: tuple[RoleSpan, ...] = ()  # role history, the newest role first
    companions: tuple[str, ...] = ()  # people most often named in the same briefs


@dataclass(frozen=True, slots=True)
class RelatedBrief:
    """A brief sharing people, organisations or places with another, and what they share."""

    brief: BriefRef
    shared: tuple[str, ...]
    score: int


SNIPPET_MARK = "**"  # the store puts the matched words of a snippet between these


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A brief that matches a search, with a snippet of where (matches between SNIPPET_MARK)."""

    brief: BriefRef
    snippet: str
    rank: float


IngestStatus = Literal["added", "duplicate", "replaced"]


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What happened to one article handed to the library."""

    status: IngestStatus
    brief: BriefRef
