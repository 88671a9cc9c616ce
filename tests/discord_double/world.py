"""The world the double serves: users, roles, members, channels, guilds, attachments, ids."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

JSON = dict[str, Any]  # Any: Discord payloads are heterogeneous JSON objects.
DISCORD_EPOCH_MS = 1_420_070_400_000

# Permission bits (https://discord.com/developers/docs/topics/permissions).
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38
EVERYONE_PERMISSIONS = (
    VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY
) | USE_APPLICATION_COMMANDS
BOT_PERMISSIONS = (
    EVERYONE_PERMISSIONS | MANAGE_MESSAGES | CREATE_PUBLIC_THREADS | SEND_MESSAGES_IN_THREADS
)
ALL_PERMISSIONS = (1 << 50) - 1

_ids = itertools.count(1)


def snowflake() -> int:
    """A new, increasing Discord snowflake."""
    return ((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (next(_ids) & 0x3FFFFF)


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


@dataclass(eq=False)
class User:
    """A Discord user."""

    id: int
    name: str
    bot: bool = False

    def payload(self) -> JSON:
        """The user object as Discord sends it."""
        return {
            "id": str(self.id),
            "username": self.name,
            "global_name": None if self.bot else self.name.title(),
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }


@dataclass(eq=False)
class Role:
    """A guild role."""

    id: int
    name: str
    permissions: int
    position: int = 1
    mentionable: bool = False

    def payload(self) -> JSON:
        """The role object as Discord sends it."""
        return {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": self.mentionable,
            "flags": 0,
            "icon": None,
            "unicode_emoji": None,
        }


@dataclass(eq=False)
class Member:
    """A guild member: a user with roles in one guild."""

    user: User
    guild: Guild
    roles: list[Role] = field(default_factory=list)

    @property
    def id(self) -> int:
        """The member's user id."""
        return self.user.id

    @property
    def permissions(self) -> int:
        """Guild-level permissions: @everyone plus the member's roles (admin means all)."""
        perms = self.guild.everyone.permissions
        for role in self.roles:
            perms |= role.permissions
        return ALL_PERMISSIONS if perms & ADMINISTRATOR else perms

    def payload(self, *, with_permissions: bool = False) -> JSON:
        """The guild member object as Discord sends it."""
        data: JSON = {
            "user": self.user.payload(),
            "roles": [str(r.id) for r in self.roles],
            "nick": None,
            "avatar": None,
            "joined_at": _now_iso(),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_permissions:
            data["permissions"] = str(self.permissions)
        return data


@dataclass(eq=False)
class Channel:
    """A guild channel (type 0 text, 5 announcement, 15 forum, 11 public thread)."""

    id: int
    name: str
    type: int
    guild: Guild
    position: int = 0
    forbidden: bool = False
    bot_deny: int = 0  # bits an overwrite denies the bot here (`deny_bot`, `forbid_threads`)
    deleted: bool = False
    echoes_headers: bool = False
    tags: list[str] = field(default_factory=list)  # a forum's available tags
    parent_id: int | None = None  # a thread's channel
    applied_tags: list[str] = field(default_factory=list)  # a forum post's tag ids

    @property
    def denied(self) -> int:
        """The bits the bot's member overwrite denies (a forbidden channel: view and send)."""
        return self.bot_deny | ((VIEW_CHANNEL | SEND_MESSAGES) if self.forbidden else 0)

    def bot_lacks(self, *bits: int) -> bool:
        """Whether the bot lacks any of these permissions here."""
        return any(self.denied & bit for bit in bits)

    def tag_id(self, name: str) -> str:
        """The id of one of a forum's tags (stable per channel and name)."""
        return str(self.id + 1 + self.tags.index(name))

    def payload(self) -> JSON:
        """The channel object as Discord sends it."""
        deny = self.denied
        data: JSON = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild.id),
            "name": self.name,
            "position": self.position,
            # A forbidden channel (or `bot_deny`) denies the bot, as a member overwrite would.
            "permission_overwrites": [
                {"id": str(self.guild.bot_user.id), "type": 1, "allow": "0", "deny": str(deny)}
            ]
            if deny
            else [],
            "parent_id": str(self.parent_id) if self.parent_id else None,
            "topic": None,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }
        if self.type == 15:
            data["available_tags"] = [
                {"id": self.tag_id(t), "name": t, "moderated": False, "emoji_id": None,
                 "emoji_name": None}
                for t in self.tags
            ]  # fmt: skip
        if self.type == 11:
            data.update(
                owner_id=str(self.guild.bot_user.id),
                applied_tags=self.applied_tags,
                message_count=0,
                member_count=1,
                thread_metadata={
                    "archived": False,
                    "auto_archive_duration": 1440,
                    "archive_timestamp": _now_iso(),
                    "locked": False,
                },
            )
        return data


@dataclass(eq=False)
class Guild:
    """A guild with its roles, channels and members."""

    id: int
    name: str
    everyone: Role
    bot_user: User
    roles: list[Role] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)

    def add_channel(self, name: str, type: int = 0, *, tags: tuple[str, ...] = ()) -> Channel:
        """Add a channel: type 0 text, 5 announcement, 15 forum (with these tags)."""
        channel = Channel(snowflake(), name, type, self, position=len(self.channels))
        channel.tags = list(tags)
        self.channels.append(channel)
        return channel

    def add_role(self, name: str, permissions: int, *, mentionable: bool = False) -> Role:
        """Add a role with these permission bits."""
        role = Role(snowflake(), name, permissions, len(self.roles) + 1, mentionable)
        self.roles.append(role)
        return role

    def add_member(self, name: str, *, manage_guild: bool = False, admin: bool = False) -> Member:
        """Add a member, optionally with a role granting Manage Server or Administrator."""
        roles = []
        if admin:
            roles.append(self._role_with("Admin", ADMINISTRATOR))
        elif manage_guild:
            roles.append(self._role_with("Moderator", MANAGE_GUILD))
        member = Member(User(snowflake(), name), self, roles)
        self.members.append(member)
        return member

    def _role_with(self, name: str, permissions: int) -> Role:
        for role in self.roles:
            if role.name == name:
                return role
        return self.add_role(name, permissions)

    def payload(self) -> JSON:
        """The GUILD_CREATE payload."""
        bot_role = self._role_with("Briefbot", BOT_PERMISSIONS)
        me = Member(self.bot_user, self, [bot_role])
        members = [me, *self.members]
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "owner_id": str(self.members[0].id if self.members else self.bot_user.id),
            "roles": [self.everyone.payload()] + [r.payload() for r in self.roles],
            "channels": [c.payload() for c in self.channels if not c.deleted and c.type != 11],
            "members": [m.payload() for m in members],
            "member_count": len(members),
            "unavailable": False,
            "large": False,
            "features": [],
            "emojis": [],
            "stickers": [],
            "threads": [c.payload() for c in self.channels if not c.deleted and c.type == 11],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "voice_states": [],
            "presences": [],
            "preferred_locale": "en-US",
            "joined_at": _now_iso(),
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "system_channel_id": None,
        }

    def channel(self, channel_id: int) -> Channel | None:
        """The channel with this id, if it is in this guild."""
        return next((c for c in self.channels if c.id == channel_id), None)


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file a user attaches to a slash-command option."""

    filename: str
    content: bytes
    content_type: str = "text/plain; charset=utf-8"
