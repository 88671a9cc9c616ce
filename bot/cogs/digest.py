"""/digest schedule, edit, list, preview, now, pause, resume, remove: scheduled digests."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands
from discord.utils import MISSING

from bot.runtime.channels import Postable
from bot.services import services_of
from bot.ui.checks import ModeratorCog, require_guild
from bot.ui.choices import zone_choices
from bot.ui.embeds import NO_MENTIONS, digest_parts
from bot.ui.views import send_answer
from briefs.answers import Answer
from briefs.digests.compose import EmptyPolicy, NextRun, Schedule, Style, run_outcome, upcoming
from briefs.digests.drafts import edited_draft, make_draft
from briefs.digests.schedule import describe
from briefs.digests.service import DigestService
from briefs.ports import Clock
from briefs.render import Card, clip

if TYPE_CHECKING:
    from bot.runtime.digests import DigestScheduler

log = logging.getLogger(__name__)

Interaction = discord.Interaction[discord.Client]
PER_PAGE = 6


def stamp(moment: dt.datetime, style: str = "F") -> str:
    """A Discord timestamp: each reader sees it in their own time zone."""
    return f"<t:{int(moment.timestamp())}:{style}>"


def schedule_words(schedule: Schedule, *, now: dt.datetime) -> str:
    """Where, when and what a schedule posts, in words, with its next runs."""
    o = schedule.options
    what = [f"at most {o.max_items} briefs", o.style]
    if o.include:
        what.append("only about " + ", ".join(o.include))
    if o.exclude:
        what.append("never about " + ", ".join(o.exclude))
    what.append(
        "a note when nothing is new" if o.empty == "post" else "skipped when nothing is new"
    )
    if o.thread:
        what.append("a thread under each digest")
    if schedule.paused:
        what.append("⏸ paused")
    runs = ", ".join(stamp(r) for r in upcoming(schedule, now=now)) or "none"
    return clip(
        f"in <#{schedule.channel_id}>: {describe(schedule.spec, schedule.timezone)}; "
        f"{' · '.join(what)}.\nNext runs ({schedule.timezone} schedule, shown in your time): "
        f"{runs}",
        1900,
    )


def _where(nxt: NextRun, *, forum: bool) -> str:
    """What a run's messages go out as, and where: its forum post or thread named as the run
    names it."""
    count = len(nxt.messages)
    what = "this message" if count == 1 else f"these {count} messages"
    name = f"“{discord.utils.escape_markdown(nxt.name)}”"
    if forum:
        return f"{what} as the forum post {name} in <#{nxt.channel_id}>"
    if nxt.thread:
        return f"{what} in <#{nxt.channel_id}> and open the thread {name} under it"
    return f"{what} in <#{nxt.channel_id}>"


def schedule_line(schedule: Schedule, *, now: dt.datetime) -> str:
    """One schedule for /digest list: where, when, next and last run, and why it is failing."""
    words = describe(schedule.spec, schedule.timezone)
    parts = [f"**#{schedule.id}** in <#{schedule.channel_id}>: {words}"]
    if schedule.options.thread:
        parts.append("🧵 thread")
    if schedule.paused:
        parts.append("⏸ paused")
    else:
        nxt = upcoming(schedule, now=now, n=1)
        parts.append(f"next {stamp(nxt[0], 'f')}" if nxt else "no next run")
    run = schedule.last_run
    if run is not None:
        parts.append(f"last {stamp(run.scheduled_for, 'R')}: {run_outcome(run)}")
    if schedule.failing_reason:
        parts.append(f"⚠️ failing ({schedule.failures}×): {clip(schedule.failing_reason, 200)}")
    return " · ".join(parts)


class DigestCog(ModeratorCog, group_name="digest", group_description="Scheduled digests"):
    """Moderators schedule digests of new briefs into channels."""

    def __init__(self, service: DigestService, scheduler: DigestScheduler, clock: Clock) -> None:
        self.service = service
        self.scheduler = scheduler
        self.clock = clock
        super().__init__()

    async def schedule_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        """This server's schedules, by id or words."""
        if interaction.guild_id is None:
            return []
        wanted = current.strip().lstrip("#").lower()
        choices = []
        for s in await self.service.schedules.in_guild(interaction.guild_id):
            label = f"#{s.id} {describe(s.spec, s.timezone)}"
            if wanted in label.lower():
                choices.append(app_commands.Choice(name=clip(label, 100), value=s.id))
        return choices[:25]

    @app_commands.command(name="schedule")
    @app_commands.describe(
        channel="Where to post (announcement channels are published too)",
        when="daily 08:00, weekdays 18:30, weekly mon 09:00, every 6h, or a cron line",
        timezone="IANA time zone (default: the server's, else UTC)",
        include="Comma-separated people, places or words a brief must match",
        exclude="Comma-separated people, places or words a brief must not match",
        max_items="At most this many briefs per digest (1-25, default 10)",
        style="full (default) or compact (one line per brief)",
        empty="When nothing is new: skip (default) or post a short note",
        thread="Open a discussion thread under each digest (forum posts are threads already)",
    )
    @app_commands.autocomplete(timezone=zone_choices)
    async def schedule(
        self,
        interaction: Interaction,
        channel: Postable,
        when: app_commands.Range[str, 1, 100],
        timezone: app_commands.Range[str, 1, 64] | None = None,
        include: app_commands.Range[str, 1, 600] | None = None,
        exclude: app_commands.Range[str, 1, 600] | None = None,
        max_items: app_commands.Range[int, 1, 25] = 10,
        style: Literal["full", "compact"] = "full",
        empty: Literal["skip", "post"] = "skip",
        thread: bool = False,
    ) -> None:
        """Post a digest of new briefs to a channel on a schedule."""
        guild_id = require_guild(interaction)
        now = self.clock.now()
        tz = timezone or (await self.service.schedules.settings(guild_id)).timezone
        draft = make_draft(
            guild_id, channel.id, when, tz, include=include, exclude=exclude,
            max_items=max_items, style=style, empty=empty, thread=thread,
            created_by=interaction.user.id,
        )  # fmt: skip
        schedule = await self.service.create(draft, now=now)
        await self.scheduler.refresh(schedule.id)
        log.info("Guild %s: digest %s scheduled by %s", guild_id, schedule.id, interaction.user.id)
        text = f"Digest **#{schedule.id}** scheduled {schedule_words(schedule, now=now)}"
        await send_answer(interaction, Answer(text=text, ephemeral=True))

    @app_commands.command(name="edit")
    @app_commands.describe(
        schedule="The digest to change",
        channel="Post here instead",
        when="daily 08:00, weekdays 18:30, weekly mon 09:00, every 6h, or a cron line",
        timezone="IANA time zone",
        include="Comma-separated people, places or words a brief must match ('-' clears)",
        exclude="Comma-separated people, places or words a brief must not match ('-' clears)",
        max_items="At most this many briefs per digest (1-25)",
        style="full or compact (one line per brief)",
        empty="When nothing is new: skip or post a short note",
        thread="Open a discussion thread under each digest",
    )
    @app_commands.autocomplete(schedule=schedule_choices)
    @app_commands.autocomplete(timezone=zone_choices)
    async def edit(
        self,
        interaction: Interaction,
        schedule: int,
        channel: Postable | None = None,
        when: app_commands.Range[str, 1, 100] | None = None,
        timezone: app_commands.Range[str, 1, 64] | None = None,
        include: app_commands.Range[str, 1, 600] | None = None,
        exclude: app_commands.Range[str, 1, 600] | None = None,
        max_items: app_commands.Range[int, 1, 25] | None = None,
        style: Style | None = None,
        empty: EmptyPolicy | None = None,
        thread: bool | None = None,
    ) -> None:
        """Change a digest's settings without re-creating it (what is not given stays)."""
        guild_id = require_guild(interaction)
        now = self.clock.now()
        current = await self.service.schedules.get(guild_id, schedule)
        draft = edited_draft(
            current, channel_id=channel.id if channel else None, when=when, tz=timezone,
            include=include, exclude=exclude, max_items=max_items, style=style, empty=empty,
            thread=thread,
        )  # fmt: skip
        updated = await self.service.edit(guild_id, schedule, draft, now=now)
        await self.scheduler.refresh(schedule)
        log.info("Guild %s: digest %s edited by %s", guild_id, schedule, interaction.user.id)
        text = f"Digest **#{schedule}** now posts {schedule_words(updated, now=now)}"
        await send_answer(interaction, Answer(text=text, ephemeral=True))

    @app_commands.command(name="list")
    async def list_(self, interaction: Interaction) -> None:
        """Show this server's digests: schedule, next and last run, failures."""
        guild_id = require_guild(interaction)
        schedules = await self.service.schedules.in_guild(guild_id)
        if not schedules:
            text = "No digests yet. Create one with `/digest schedule`."
            await send_answer(interaction, Answer(text=text, ephemeral=True))
            return
        now = self.clock.now()
        lines = [schedule_line(s, now=now) for s in schedules]
        cards = tuple(
            Card(
                title=f"Digests ({len(schedules)})",
                description="\n\n".join(lines[i : i + PER_PAGE]),
            )
            for i in range(0, len(lines), PER_PAGE)
        )
        await send_answer(interaction, Answer(cards=cards, ephemeral=True))

    @app_commands.command(name="preview")
    @app_commands.describe(schedule="The digest to preview")
    @app_commands.autocomplete(schedule=schedule_choices)
    async def preview(self, interaction: Interaction, schedule: int) -> None:
        """Show (only to you) exactly the messages the digest's next run would post."""
        guild_id = require_guild(interaction)
        nxt = await self.service.preview_next(guild_id, schedule, now=self.clock.now())
        if nxt.scheduled_for is None:
            text = f"Digest #{schedule} has no next run."
        elif not nxt.messages:
            text = (
                f"Digest #{schedule} has nothing new: its next run ({stamp(nxt.scheduled_for)}) "
                "would post nothing, as things are now."
            )
        else:
            forum = isinstance(interaction.client.get_channel(nxt.channel_id), discord.ForumChannel)
            text = (
                f"Digest #{schedule}: its next run ({stamp(nxt.scheduled_for)}) would post "
                f"{_where(nxt, forum=forum)}, as things are now (only you see this):"
            )
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        for message in nxt.messages:
            content, embeds = digest_parts(message)
            await interaction.followup.send(
                content or MISSING,
                embeds=embeds,
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )

    @app_commands.command(name="now")
    @app_commands.describe(schedule="The digest to post now")
    @app_commands.autocomplete(schedule=schedule_choices)
    async def now(self, interaction: Interaction, schedule: int) -> None:
        """Post the digest now, as a scheduled run would."""
        guild_id = require_guild(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self.service.post_now(guild_id, schedule, now=self.clock.now())
        if outcome.status == "posted":
            text = f"Digest #{schedule} posted ({len(outcome.message_ids)} message(s))."
        elif outcome.status == "skipped":
            text = f"Digest #{schedule}: {outcome.error or 'nothing to post'}; nothing posted."
        else:
            text = f"Digest #{schedule} could not be posted: {outcome.error}."
        if outcome.paused:
            await self.scheduler.refresh(schedule)
        await send_answer(interaction, Answer(text=text, ephemeral=True))

    @app_commands.command(name="pause")
    @app_commands.describe(schedule="The digest to pause")
    @app_commands.autocomplete(schedule=schedule_choices)
    async def pause(self, interaction: Interaction, schedule: int) -> None:
        """Stop a digest from posting until resumed."""
        await self._set_paused(interaction, schedule, paused=True)

    @app_commands.command(name="resume")
    @app_commands.describe(schedule="The digest to resume")
    @app_commands.autocomplete(schedule=schedule_choices)
    async def resume(self, interaction: Interaction, schedule: int) -> None:
        """Resume a paused digest (also clears its failures)."""
        await self._set_paused(interaction, schedule, paused=False)

    async def _set_paused(
        self, interaction: Interaction, schedule_id: int, *, paused: bool
    ) -> None:
        guild_id = require_guild(interaction)
        schedule = await self.service.schedules.set_paused(guild_id, schedule_id, paused)
        await self.scheduler.refresh(schedule_id)
        log.info("Guild %s: digest %s paused=%s", guild_id, schedule_id, paused)
        if paused:
            text = f"Digest #{schedule_id} is paused."
        else:
            nxt = upcoming(schedule, now=self.clock.now(), n=1)
            text = f"Digest #{schedule_id} resumed; next run {stamp(nxt[0]) if nxt else 'never'}."
        await send_answer(interaction, Answer(text=text, ephemeral=True))

    @app_commands.command(name="remove")
    @app_commands.describe(schedule="The digest to remove")
    @app_commands.autocomplete(schedule=schedule_choices)
    async def remove(self, interaction: Interaction, schedule: int) -> None:
        """Delete a digest schedule (messages already posted stay)."""
        guild_id = require_guild(interaction)
        await self.service.schedules.remove(guild_id, schedule)
        await self.scheduler.refresh(schedule)
        log.info("Guild %s: digest %s removed by %s", guild_id, schedule, interaction.user.id)
        await send_answer(interaction, Answer(text=f"Digest #{schedule} removed.", ephemeral=True))


async def setup(bot: commands.Bot) -> None:
    """Loaded by the composition root as an extension."""
    services = services_of(bot)
    await bot.add_cog(DigestCog(services.digests, services.digest_scheduler, services.clock))
