"""Feed items as Discord messages: the brief card, its link button, the 'what changed' reply.

Every piece of article text goes through `article_text` (Discord Markdown escaped): a headline
such as `Bank](https://phish.example)` is shown, never rendered as a link."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import discord

from bot.ui.embeds import card_embed
from briefs.markdown import escape
from briefs.render import Card, Field, clip
from briefs.sources.changes import Change
from briefs.sources.delivery import ItemPost

HIGHLIGHTS = 3
PEOPLE = 5
FIGURES = 4
THREAD_NAME_MAX = 100


def article_text(text: str) -> str:
    """Article text on one line, made safe for Discord Markdown by the project's one escape."""
    return escape(" ".join(text.split()))


def item_card(post: ItemPost) -> Card:
    """The brief card: headline linked, date, source, highlights, key people, key figures."""
    brief = post.stored.brief
    highlights = "\n".join(f"• {article_text(h)}" for h in brief.highlights[:HIGHLIGHTS])
    fields = []
    people = [
        f"**{article_text(p.name)}**" + (f" — {article_text(p.role)}" if p.role else "")
        for p in brief.people[:PEOPLE]
    ]
    if people:
        fields.append(Field("Key people", clip("\n".join(people), 1024)))
    figures = [
        f"**{article_text(f.value)}** {article_text(f.about)}".strip()
        for f in brief.figures[:FIGURES]
    ]
    if figures:
        fields.append(Field("Key figures", clip("\n".join(figures), 1024)))
    return Card(
        title=clip(article_text(brief.headline), 256),
        description=clip(highlights, 4096),
        url=post.link,
        fields=tuple(fields),
        footer=clip(post.feed_name, 200),
        timestamp=_when(post),
        image=post.image,
    )


def _when(post: ItemPost) -> dt.datetime | None:
    if post.published is not None:
        return post.published
    day = post.stored.brief.published
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) if day else None


def item_embed(post: ItemPost) -> discord.Embed:
    """The card as an embed."""
    return card_embed(item_card(post))


def item_view(post: ItemPost) -> discord.ui.View:
    """The "Read the article" link button (none without a link)."""
    view = discord.ui.View(timeout=None)
    if post.link:
        view.add_item(discord.ui.Button(label="Read the article", url=post.link))
    return view


def item_mentions(post: ItemPost) -> tuple[str | None, discord.AllowedMentions]:
    """The content and allowed mentions: exactly the delivery's role, or nobody."""
    role = post.options.mention_role_id
    if role is None:
        return None, discord.AllowedMentions.none()
    allowed = discord.AllowedMentions(
        everyone=False, users=False, roles=[discord.Object(id=role)], replied_user=False
    )
    return f"<@&{role}>", allowed


def thread_name(post: ItemPost) -> str:
    """A forum post's or thread's title: the headline, plain (thread names are not Markdown)."""
    return clip(" ".join(post.stored.brief.headline.split()), THREAD_NAME_MAX) or "News"


def changes_text(headline: str, changes: Sequence[Change]) -> str:
    """One short reply: what a member would notice changed in the article."""
    lines = [f"**Updated:** {article_text(clip(headline, 200))}"]
    for change in changes[:6]:
        match change.kind:
            case "headline":
                lines.append(
                    f"• Headline: “{article_text(clip(change.before, 150))}” → "
                    f"“{article_text(clip(change.after, 150))}”"
                )
            case "figure":
                lines.append(
                    f"• {article_text(clip(change.label, 80))}: {article_text(change.before)}"
                    f" → {article_text(change.after)}"
                )
            case "quote added":
                lines.append(f"• New quote: “{article_text(clip(change.after, 160))}”")
            case _:
                lines.append(f"• Quote removed: “{article_text(clip(change.before, 160))}”")
    if len(changes) > 6:
        lines.append(f"• and {len(changes) - 6} more")
    return clip("\n".join(lines), 2000)
