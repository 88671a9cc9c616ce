"""The one check of a channel the bot is asked to post in: digests, follows and feed items all
run it when set up (and when a digest is edited), and the run needs exactly these permissions,
plus those of threads and forum posts when it opens them."""

from __future__ import annotations

import discord

from briefs.errors import ChannelRefused

# What every post needs: see the channel, send, show embeds, and read its history (a run looks
# for its own messages after a crash). Publishing its own messages in an announcement channel
# needs nothing more.
POST_PERMISSIONS: dict[str, str] = {
    "View Channel": "view_channel",
    "Send Messages": "send_messages",
    "Embed Links": "embed_links",
    "Read Message History": "read_message_history",
}
Postable = discord.TextChannel | discord.ForumChannel


def missing_permissions(
    channel: discord.abc.GuildChannel, *, thread: bool = False, posts_in_post: bool = False
) -> list[str]:
    """The names of the permissions the bot lacks in `channel` to post there.

    `thread`: a discussion thread is opened under each post in a text channel (Create Public
    Threads; a forum post is a thread already). `posts_in_post`: in a forum, later messages go
    into the forum post (Send Messages in Threads), as a digest's do."""
    perms = channel.permissions_for(channel.guild.me)
    missing = [name for name, flag in POST_PERMISSIONS.items() if not getattr(perms, flag)]
    if isinstance(channel, discord.ForumChannel):
        if posts_in_post and not perms.send_messages_in_threads:
            missing.append("Send Messages in Threads")
    elif thread and not perms.create_public_threads:
        missing.append("Create Public Threads")
    return missing


def postable_channel(
    client: discord.Client,
    channel_id: int,
    *,
    forum: bool = True,
    thread: bool = False,
    posts_in_post: bool = False,
) -> Postable:
    """The channel, if the bot can post there; ChannelRefused naming what is missing otherwise.

    `forum`: a forum channel is accepted; `thread`, `posts_in_post`: see `missing_permissions`."""
    channel = client.get_channel(channel_id)
    if not isinstance(channel, discord.TextChannel) and not (
        forum and isinstance(channel, discord.ForumChannel)
    ):
        kinds = "text, announcement or forum" if forum else "text or announcement"
        raise ChannelRefused(channel_id, f"it is not a {kinds} channel")
    missing = missing_permissions(channel, thread=thread, posts_in_post=posts_in_post)
    if missing:
        raise ChannelRefused(channel_id, "I am missing " + ", ".join(missing))
    return channel
