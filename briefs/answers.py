"""Answers to the member commands, as cards: one place shared by the bot, the console and the CLI.

Each function takes the service and the command's options and returns an `Answer`; the bot turns it
into embeds, the console and command line into text. Errors are domain errors, worded for people by
`error_message`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from briefs import people_cards, render
from briefs.errors import (
    AlreadySubscribed,
    ArticleUnreadable,
    BriefingError,
    BriefNotFound,
    ChannelRefused,
    FetchRefused,
    InvalidSchedule,
    LibraryEmpty,
    LimitReached,
    NotFound,
    PersonNotFound,
    SchemaTooNew,
)
from briefs.markdown import escape
from briefs.model import BriefRef, IngestResult
from briefs.render import Card
from briefs.service import BriefService

MEMBER_HELP = (
    "**/who** `name` — who a person is, what they said, where they appear\n"
    "**/figures** `[brief] [topic]` — the key numbers and what each counts\n"
    "**/quotes** `[person] [brief]` — exact words and who said them\n"
    "**/brief** `[which]` — one brief (the latest by default)\n"
    "**/highlights** `[brief]` · **/analysis** `[brief]` — parts of a brief\n"
    "**/search** `text` — search every brief · **/latest** `[count]` — newest briefs\n"
)
HELP = MEMBER_HELP + (
    "\nModerators: **/briefs add** (a file, pasted text or a URL), **/briefs remove**, "
    "**/digest …** (scheduled digests), **/feed …** (RSS/Atom), **/settings …**\n"
    "Everyone: **/follow …** a person or topic to be told when it appears."
)
# Where an answer is shown: a server channel, a direct message with the bot, or a terminal.
Surface = Literal["server", "dm", "console"]
MEMBER_COMMANDS = "/who, /figures, /quotes, /brief, /highlights, /analysis, /search, /latest, /help"
DM_SCOPE = (
    f"In direct messages I answer {MEMBER_COMMANDS} about the briefs shared with every server "
    "(added by the bot's operator); a server's own briefs, digests, feeds and follows are "
    "asked for in that server."
)
EMPTY = {
    "server": "The library is empty: moderators can add articles with /briefs add.",
    "dm": "There are no shared briefs yet. " + DM_SCOPE,
    "console": "The library is empty: add articles with `briefbot ingest FILES`.",
}


def _nothing(text: str) -> Answer:
    """A "nothing found" answer: only the asker sees it (the command line exits 1)."""
    return Answer(text=text, ephemeral=True, found=False)


def _named(ref: BriefRef) -> str:
    return f"Brief #{ref.id} (“{escape(render.clip(ref.headline, 120))}”)"


@dataclass(frozen=True, slots=True)
class Answer:
    """What to show: cards (pages), or a line of text; ephemeral answers only the asker sees."""

    cards: tuple[Card, ...] = ()
    text: str | None = None
    ephemeral: bool = False
    found: bool = True  # False: nothing matched (the command line exits 1)


async def who(
    service: BriefService, name: str, *, guild_id: int | None, sources: bool = False
) -> Answer:
    """The /who card."""
    matches = await service.who(name, guild_id=guild_id)
    return Answer(tuple(people_cards.who_cards(matches, query=name, sources=sources)))


async def figures(
    service: BriefService,
    *,
    guild_id: int | None,
    brief: str | None = None,
    topic: str | None = None,
    sources: bool = False,
) -> Answer:
    """The /figures list."""
    hits = await service.figures(guild_id=guild_id, brief=brief, topic=topic)
    if not hits:
        if topic and not brief:
            if await service.is_empty(guild_id=guild_id):
                raise LibraryEmpty
            return _nothing(render.not_found("figure", topic))
        stored = await service.brief(brief, guild_id=guild_id)
        if topic:
            return _nothing(f"{_named(stored.ref)} has no figure about “{escape(topic)}”.")
        return _nothing(f"{_named(stored.ref)} has no key figures.")
    title = render.card_title(topic or hits[0].brief.headline, "Key figures: ")
    return Answer(tuple(render.figures_cards(hits, title=title, sources=sources)))


async def quotes(
    service: BriefService,
    *,
    guild_id: int | None,
    person: str | None = None,
    brief: str | None = None,
    sources: bool = False,
) -> Answer:
    """The /quotes list."""
    hits = await service.quotes(guild_id=guild_id, person=person, brief=brief)
    if not hits:
        if brief:
            named = _named((await service.brief(brief, guild_id=guild_id)).ref)
            whose = f" by “{escape(person)}”" if person else ""
            return _nothing(f"{named} has no quotes{whose}.")
        if person:
            return _nothing(f"No quotes by “{escape(person)}” in the library.")
        if await service.is_empty(guild_id=guild_id):
            raise LibraryEmpty
        return _nothing("No quotes in the library yet.")
    title = render.card_title(person, "Quotes: ") if person else "Quotes"
    return Answer(tuple(render.quotes_cards(hits, title=title, sources=sources)))


async def brief(service: BriefService, which: str | None, *, guild_id: int | None) -> Answer:
    """The /brief overview, ending with related briefs."""
    stored = await service.brief(which, guild_id=guild_id)
    related = await service.related(stored, guild_id=guild_id)
    return Answer((render.brief_card(stored, related),))


async def highlights(service: BriefService, which: str | None, *, guild_id: int | None) -> Answer:
    """The /highlights of a brief."""
    stored = await service.brief(which, guild_id=guild_id)
    return Answer((render.highlights_card(stored),))


async def analysis(service: BriefService, which: str | None, *, guild_id: int | None) -> Answer:
    """The /analysis of a brief."""
    stored = await service.brief(which, guild_id=guild_id)
    return Answer((render.analysis_card(stored),))


async def search(service: BriefService, text: str, *, guild_id: int | None) -> Answer:
    """The /search results."""
    hits = await service.search(text, guild_id=guild_id)
    if not hits:
        if await service.is_empty(guild_id=guild_id):
            raise LibraryEmpty
        return _nothing(render.not_found("result", text))
    return Answer(tuple(render.search_cards(text, hits)))


async def latest(service: BriefService, count: int, *, guild_id: int | None) -> Answer:
    """The /latest list."""
    refs = await service.latest(count, guild_id=guild_id)
    if not refs:
        raise LibraryEmpty
    return Answer(tuple(render.latest_cards(refs)))


def help_answer(surface: Surface = "server") -> Answer:
    """The /help card: what can be asked where it is asked."""
    if surface == "console":
        text = MEMBER_HELP + "\n/quit leaves. Options as in Discord: /quotes person:bondi brief:3"
        return Answer((Card(title="briefbot console", description=text),), ephemeral=True)
    text = HELP if surface == "server" else MEMBER_HELP + "\n" + DM_SCOPE
    return Answer(
        (Card(title="briefbot — news briefs for this server", description=text),), ephemeral=True
    )


def ingest_answer(result: IngestResult) -> Answer:
    """What /briefs add says after an article went in."""
    ref = result.brief
    verb = {"added": "Added", "replaced": "Updated", "duplicate": "Already in the library:"}[
        result.status
    ]
    return Answer(
        text=f"{verb} brief #{ref.id}: **{escape(render.clip(ref.headline, 200))}**",
        ephemeral=True,
    )


def error_message(error: BriefingError, surface: Surface = "server") -> str:
    """A domain error, worded for the person who asked (where they asked)."""
    match error:
        case LibraryEmpty():
            return EMPTY[surface]
        case PersonNotFound(name=name, suggestions=suggestions):
            return render.not_found("person", name, suggestions)
        case BriefNotFound(query=query):
            return render.not_found("brief", query)
        case ArticleUnreadable(reason=reason):
            return f"That article could not be read: {reason}. Nothing was stored."
        case FetchRefused(url=url, reason=reason):
            return f"Could not fetch {escape(render.clip(url, 200))}: {reason}. Nothing was stored."
        case InvalidSchedule(reason=reason):
            return f"That schedule cannot be used: {reason}."
        case LimitReached(what=what, limit=limit):
            return f"This server has reached its limit of {limit} {what}; remove one first."
        case NotFound(what=what, ident=ident):
            return f"There is no {what} {ident} in this server."
        case AlreadySubscribed(what=what, ident=ident):
            return f"That {what} exists already (#{ident})."
        case ChannelRefused(channel_id=channel_id, reason=reason):
            return f"I cannot post in <#{channel_id}>: {reason}. Nothing was changed."
        case SchemaTooNew():
            return "The library was written by a newer briefbot; the operator must upgrade."
    return "That did not work: " + render.clip(str(error), 300)
