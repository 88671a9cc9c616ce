"""The discord.py side of feed items: check a channel, post (text, announcement, forum),
reply with what changed, and find a post a crash left unrecorded."""

from __future__ import annotations

from collections.abc import Sequence

import aiohttp
import discord

from bot.runtime.channels import POST_PERMISSIONS, Postable, postable_channel
from bot.runtime.digests import DiscordDigestPoster, _delivery_error
from bot.ui.embeds import NO_MENTIONS
from bot.ui.items import (
    changes_text,
    item_embed,
    item_mentions,
    item_view,
    thread_name,
)
from briefs.digests.ports import DeliveryFailed
from briefs.errors import ChannelRefused
from briefs.sources.changes import Change
from briefs.sources.delivery import (
    ChannelKind,
    DeliveryOptions,
    ItemPost,
    PostedItem,
    QueuedItem,
)
from briefs.sources.filters import fold

POSTED_LOOKBACK = 50


class DiscordItemPoster:
    """ItemPoster on discord.py: nothing pings except the delivery's one role."""

    def __init__(self, bot: discord.Client) -> None:
        self._bot = bot
        self._reports = DiscordDigestPoster(bot)

    def _channel(self, channel_id: int) -> Postable:
        channel = self._bot.get_channel(channel_id)
        if not isinstance(channel, Postable):
            raise ChannelRefused(channel_id, "it is not a text, announcement or forum channel")
        return channel

    async def check(self, channel_id: int, options: DeliveryOptions) -> ChannelKind:
        """The channel's kind, if the bot has what it needs there; ChannelRefused otherwise."""
        channel = postable_channel(self._bot, channel_id, thread=options.thread)
        perms = channel.permissions_for(channel.guild.me)
        if options.mention_role_id is not None:
            role = channel.guild.get_role(options.mention_role_id)
            if role is None or role.is_default():
                raise ChannelRefused(channel_id, "that role cannot be mentioned")
            if not (role.mentionable or perms.mention_everyone):
                raise ChannelRefused(channel_id, f"the role {role.name} is not mentionable by me")
        if isinstance(channel, discord.ForumChannel):
            return "forum"
        return "announcement" if channel.is_news() else "text"

    async def post(self, channel_id: int, item: ItemPost) -> PostedItem:
        """Post one item: a message (and its thread), or a forum post titled with the headline."""
        channel = self._bot.get_channel(channel_id)
        if not isinstance(channel, Postable):
            raise DeliveryFailed(channel_id, "the channel was deleted or cannot hold posts")
        content, allowed = item_mentions(item)
        view = item_view(item)
        try:
            if isinstance(channel, discord.ForumChannel):
                return await self._forum_post(channel, item, content, allowed, view)
            message = await channel.send(
                content=content,
                embed=item_embed(item),
                allowed_mentions=allowed,
                nonce=item.nonce,
                view=view,
            )
            if item.options.thread:
                await message.create_thread(name=thread_name(item))
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as e:
            raise _delivery_error(channel_id, e, f"post ({', '.join(POST_PERMISSIONS)})") from e
        return PostedItem(message.id, channel_id, announcement=channel.is_news())

    async def _forum_post(
        self,
        forum: discord.ForumChannel,
        item: ItemPost,
        content: str | None,
        allowed: discord.AllowedMentions,
        view: discord.ui.View,
    ) -> PostedItem:
        tags = [t for t in forum.available_tags if fold(t.name) == fold(item.feed_name)]
        created = await forum.create_thread(
            name=thread_name(item),
            content=content,
            embed=item_embed(item),
            allowed_mentions=allowed,
            applied_tags=tags[:1],
            view=view,
        )
        return PostedItem(created.message.id, created.thread.id)

    async def reply(
        self, channel_id: int, message_id: int, headline: str, changes: Sequence[Change]
    ) -> None:
        """Reply to the post (in its forum thread, or its channel) saying what changed."""
        channel = self._bot.get_channel(channel_id)
        if channel is None:
            try:
                channel = await self._bot.fetch_channel(channel_id)
            except discord.HTTPException as e:
                raise _delivery_error(channel_id, e, "see the channel") from e
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            raise ChannelRefused(channel_id, "replies need a text channel or thread")
        reference = discord.MessageReference(
            message_id=message_id, channel_id=channel_id, fail_if_not_exists=False
        )
        try:
            await channel.send(
                content=changes_text(headline, changes),
                reference=reference,
                allowed_mentions=NO_MENTIONS,
            )
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as e:
            raise _delivery_error(channel_id, e, "reply") from e

    async def find_posted(self, channel_id: int, item: QueuedItem) -> PostedItem | None:
        """The bot's recent post of this item (its embed links the article), if any."""
        if item.link is None:
            return None
        channel = self._channel(channel_id)
        me = self._bot.user
        if me is None:
            return None
        if isinstance(channel, discord.ForumChannel):
            for thread in channel.threads:
                if thread.owner_id == me.id:
                    try:
                        starter = await thread.fetch_message(thread.id)
                    except discord.HTTPException:
                        continue
                    if any(e.url == item.link for e in starter.embeds):
                        return PostedItem(starter.id, thread.id)
            return None
        try:
            async for message in channel.history(limit=POSTED_LOOKBACK):
                if message.author.id == me.id and any(e.url == item.link for e in message.embeds):
                    return PostedItem(message.id, channel_id, announcement=channel.is_news())
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as e:
            raise _delivery_error(channel_id, e, "read message history") from e
        return None

    async def report(self, channel_id: int, text: str) -> None:
        """A notice in the log channel."""
        await self._reports.report(channel_id, text)
