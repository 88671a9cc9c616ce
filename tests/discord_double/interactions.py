"""Sending interactions: slash commands, autocomplete, clicks and modal submits, as users."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterable

from tests.discord_double.records import CommandHidden, InteractionRecord
from tests.discord_double.rest import _RestDouble
from tests.discord_double.world import (
    ADMINISTRATOR,
    ATTACH_FILES,
    BOT_PERMISSIONS,
    EMBED_LINKS,
    JSON,
    SEND_MESSAGES,
    Attachment,
    Channel,
    Guild,
    Member,
    Role,
    User,
    snowflake,
)


class _InteractionSender(_RestDouble):
    """What users do: run commands, type into autocomplete, click components, submit modals."""

    def command(self, name: str, guild: Guild | None = None) -> JSON:
        """The synced command `name` as offered in `guild` (guild commands first) or in DMs."""
        scopes = ([guild.id] if guild is not None else []) + [None]
        for scope in scopes:
            for cmd in self._commands.get(scope, []):
                if cmd["name"] == name and cmd["type"] == 1:
                    return cmd
        elsewhere = [
            s for s, cmds in self._commands.items() if any(c["name"] == name for c in cmds)
        ]
        if elsewhere:
            where = "in direct messages" if guild is None else f"in {guild.name!r}"
            raise CommandHidden(f"/{name} is not synced for use {where} (only guilds {elsewhere})")
        synced = sorted({c["name"] for cmds in self._commands.values() for c in cmds})
        raise AssertionError(
            f"/{name} was not synced (synced: {synced}); await wait_synced() first"
        )

    def visible(self, path: str, member: Member | User, *, dm: bool = False) -> bool:
        """Whether Discord would offer /path to this member (permissions, contexts, scope)."""
        guild = member.guild if isinstance(member, Member) else None
        try:
            cmd = self.command(path.split()[0], None if dm else guild)
        except CommandHidden:
            return False
        contexts = cmd.get("contexts")
        if dm:
            allowed = 1 in contexts if contexts is not None else cmd.get("dm_permission", True)
            return bool(allowed) and "guild_id" not in cmd
        if contexts is not None and 0 not in contexts:
            return False
        needed = cmd.get("default_member_permissions")
        if needed is None or not isinstance(member, Member):
            return True
        perms = member.permissions
        return perms & ADMINISTRATOR != 0 or (
            int(needed) != 0 and perms & int(needed) == int(needed)
        )

    async def slash(
        self,
        path: str,
        options: dict[str, object] | None = None,
        *,
        user: Member | User | None = None,
        channel: Channel | None = None,
        guild: Guild | None = None,
        dm: bool = False,
        override: bool = False,
        locale: str = "en-US",
    ) -> InteractionRecord:
        """Run /path ("who", "briefs add") as `user` (default: double.member)."""
        user = self._invoker(user, guild, channel)
        if not override and not self.visible(path, user, dm=dm):
            raise CommandHidden(f"Discord would not offer /{path} to {self._name(user)}")
        data = self._command_data(path, options or {}, user, dm=dm, focused=None)
        payload = self._base_payload(2, user, channel, dm=dm, locale=locale)
        payload["data"] = data
        return await self._send_interaction(payload)

    async def autocomplete(
        self,
        path: str,
        focused: str,
        value: str,
        options: dict[str, object] | None = None,
        *,
        user: Member | User | None = None,
        channel: Channel | None = None,
        guild: Guild | None = None,
        dm: bool = False,
    ) -> InteractionRecord:
        """Type `value` into option `focused` of /path; the answer is a type 8 callback."""
        user = self._invoker(user, guild, channel)
        data = self._command_data(
            path, {**(options or {}), focused: value}, user, dm=dm, focused=focused
        )
        payload = self._base_payload(4, user, channel, dm=dm, locale="en-US")
        payload["data"] = data
        return await self._send_interaction(payload)

    async def click(
        self,
        message: JSON,
        custom_id: str,
        *,
        user: Member | User | None = None,
        values: list[str] | None = None,
    ) -> InteractionRecord:
        """Click a button (or pick `values` in a select) on a message the bot sent."""
        stored = self._messages.get(int(message["id"]))
        if stored is None:
            raise AssertionError(f"message {message['id']} does not exist (deleted?)")
        component = _find_component(stored.get("components") or [], custom_id)
        if component is None:
            ids = _custom_ids(stored.get("components") or [])
            raise AssertionError(
                f"no component {custom_id!r} on message {stored['id']}; it has {ids}"
            )
        if component.get("disabled"):
            raise AssertionError(f"component {custom_id!r} is disabled; a user cannot click it")
        channel = self.find_channel(int(stored["channel_id"]))
        payload = self._base_payload(
            3, user or self.member, channel, dm=channel is None, locale="en-US"
        )
        payload["data"] = {"custom_id": custom_id, "component_type": component["type"]}
        if values is not None:
            payload["data"]["values"] = values
        payload["message"] = stored
        return await self._send_interaction(payload, message=stored)

    async def submit_modal(
        self, shown: InteractionRecord, values: dict[str, str], *, user: Member | User | None = None
    ) -> InteractionRecord:
        """Fill in and submit the modal the bot showed in answer to `shown` (type 9 callback)."""
        callback = await shown.response()
        if callback["type"] != 9:
            raise AssertionError(f"{shown.name!r} answered type {callback['type']}, not a modal")
        modal = callback["data"]
        rows = [_submitted_row(row, values) for row in modal["components"]]
        user = user or _interaction_user(shown.payload, self)
        channel = self.find_channel(int(shown.payload["channel_id"]))
        payload = self._base_payload(5, user, channel, dm=channel is None, locale="en-US")
        payload["data"] = {"custom_id": modal["custom_id"], "components": rows}
        return await self._send_interaction(payload, message=shown.payload.get("message"))

    async def _send_interaction(
        self, payload: JSON, message: JSON | None = None
    ) -> InteractionRecord:
        loop = asyncio.get_running_loop()
        rec = InteractionRecord(payload, loop.time(), message)
        self._interactions[rec.token] = rec
        await self.dispatch("INTERACTION_CREATE", payload)
        self._timers.append(loop.call_later(self.ack_window, self._deadline, rec))
        return rec

    def _deadline(self, rec: InteractionRecord) -> None:
        if rec.callback is None:
            rec.late = True
            detail = f"{rec.name!r} not acknowledged within {self.ack_window}s"
            self._violate(
                "unanswered", detail + ": users see 'The application did not respond'", rec.id
            )
            rec.changes.touch()

    def _invoker(
        self, user: Member | User | None, guild: Guild | None, channel: Channel | None
    ) -> Member | User:
        guild = guild or (channel.guild if channel is not None else None)
        if user is None:
            candidates = (guild or self.guild).members
            if guild is None or guild is self.guild:
                return self.member
            if not candidates:
                raise AssertionError(f"guild {guild.name!r} has no members; add_member() first")
            return candidates[0]
        if isinstance(user, Member) and guild is not None and user.guild is not guild:
            raise AssertionError(f"{user.user.name!r} is not a member of {guild.name!r}")
        if isinstance(user, Member) and channel is not None and channel.guild is not user.guild:
            raise AssertionError(f"channel {channel.name!r} is not in {user.user.name!r}'s guild")
        return user

    @staticmethod
    def _name(user: Member | User) -> str:
        return user.user.name if isinstance(user, Member) else user.name

    def _base_payload(
        self, kind: int, user: Member | User, channel: Channel | None, *, dm: bool, locale: str
    ) -> JSON:
        payload: JSON = {
            "id": str(snowflake()),
            "application_id": str(self.application_id),
            "type": kind,
            "token": "aW50ZXJhY3Rpb24." + secrets.token_urlsafe(32),
            "version": 1,
            "locale": locale,
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if dm or not isinstance(user, Member):
            plain = user.user if isinstance(user, Member) else user
            dm_channel = {
                "id": str(plain.id + 1),
                "type": 1,
                "recipients": [plain.payload()],
                "flags": 0,
            }
            payload.update(
                channel_id=dm_channel["id"],
                channel=dm_channel,
                user=plain.payload(),
                context=1,
                authorizing_integration_owners={"0": str(self.guild.id)},
                app_permissions=str(BOT_PERMISSIONS),
            )
            return payload
        guild = user.guild
        channel = channel or next(
            (c for c in guild.channels if c.type == 0 and not c.deleted), None
        )
        if channel is None:
            raise AssertionError(f"guild {guild.name!r} has no text channel to run commands in")
        app_permissions = BOT_PERMISSIONS
        if channel.forbidden:
            app_permissions &= ~(SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES)
        app_permissions &= ~channel.bot_deny
        payload.update(
            guild_id=str(guild.id),
            guild={"id": str(guild.id), "locale": "en-US", "features": []},
            guild_locale="en-US",
            channel_id=str(channel.id),
            channel={**channel.payload(), "permissions": str(user.permissions)},
            member=user.payload(with_permissions=True),
            app_permissions=str(app_permissions),
            authorizing_integration_owners={"0": str(guild.id)},
            context=0,
        )
        return payload

    def _command_data(
        self,
        path: str,
        values: dict[str, object],
        user: Member | User,
        *,
        dm: bool,
        focused: str | None,
    ) -> JSON:
        names = path.split()
        guild = user.guild if isinstance(user, Member) and not dm else None
        cmd = self.command(names[0], guild)
        schema: list[JSON] = cmd.get("options") or []
        chain: list[JSON] = []
        for name in names[1:]:
            sub = next((o for o in schema if o["name"] == name and o["type"] in (1, 2)), None)
            if sub is None:
                raise AssertionError(f"/{names[0]} has no subcommand {name!r}")
            chain.append(sub)
            schema = sub.get("options") or []
        options, resolved = self._options(schema, values, focused, path)
        for sub in reversed(chain):
            options = [{"name": sub["name"], "type": sub["type"], "options": options}]
        data: JSON = {"id": cmd["id"], "name": cmd["name"], "type": 1, "options": options}
        if resolved:
            data["resolved"] = resolved
        if "guild_id" in cmd:
            data["guild_id"] = cmd["guild_id"]
        return data

    def _options(
        self, schema: list[JSON], values: dict[str, object], focused: str | None, path: str
    ) -> tuple[list[JSON], JSON]:
        options: list[JSON] = []
        resolved: JSON = {}
        by_name = {o["name"]: o for o in schema}
        for name, value in values.items():
            spec = by_name.get(name)
            if spec is None:
                raise AssertionError(f"/{path} has no option {name!r} (it has {sorted(by_name)})")
            if name == focused:
                options.append(
                    {"name": name, "type": spec["type"], "value": str(value), "focused": True}
                )
                continue
            options.append(
                {"name": name, "type": spec["type"], "value": self._value(spec, value, resolved)}
            )
        missing = [o["name"] for o in schema if o.get("required") and o["name"] not in values]
        if missing and focused is None:
            raise AssertionError(f"/{path}: Discord requires options {missing}")
        return options, resolved

    def _value(self, spec: JSON, value: object, resolved: JSON) -> object:
        kind = spec["type"]
        choices = [c["value"] for c in spec.get("choices") or []]
        if choices and value not in choices:
            raise AssertionError(f"option {spec['name']!r} only offers {choices}, not {value!r}")
        if kind in (6, 9) and isinstance(value, Member | User):
            user = value.user if isinstance(value, Member) else value
            resolved.setdefault("users", {})[str(user.id)] = user.payload()
            if isinstance(value, Member):
                member = value.payload(with_permissions=True)
                del member["user"]
                resolved.setdefault("members", {})[str(user.id)] = member
            return str(user.id)
        if kind in (8, 9) and isinstance(value, Role):
            resolved.setdefault("roles", {})[str(value.id)] = value.payload()
            return str(value.id)
        if kind == 7 and isinstance(value, Channel):
            types = spec.get("channel_types")
            if types and value.type not in types:
                raise AssertionError(f"option {spec['name']!r} takes channel types {types}")
            entry = {**value.payload(), "permissions": str(BOT_PERMISSIONS)}
            resolved.setdefault("channels", {})[str(value.id)] = entry
            return str(value.id)
        if kind == 11 and isinstance(value, Attachment):
            aid = snowflake()
            self._attachments[aid] = value
            entry = {**self._attachment_payload(aid, value), "ephemeral": True}
            resolved.setdefault("attachments", {})[str(aid)] = entry
            return str(aid)
        if kind == 3 and isinstance(value, str):
            if not spec.get("min_length", 0) <= len(value) <= spec.get("max_length", 6000):
                raise AssertionError(
                    f"Discord's client refuses {len(value)} chars for {spec['name']!r}"
                )
            return value
        if kind in (4, 10) and isinstance(value, int | float) and not isinstance(value, bool):
            low, high = spec.get("min_value"), spec.get("max_value")
            if (low is not None and value < low) or (high is not None and value > high):
                raise AssertionError(f"Discord's client refuses {value} for {spec['name']!r}")
            return value
        if kind == 5 and isinstance(value, bool):
            return value
        raise AssertionError(f"cannot pass {value!r} to option {spec['name']!r} of type {kind}")


def _walk_components(components: list[JSON]) -> Iterable[JSON]:
    for component in components:
        yield component
        yield from _walk_components(component.get("components") or [])
        if isinstance(component.get("component"), dict):
            yield component["component"]
        if isinstance(component.get("accessory"), dict):
            yield component["accessory"]


def _find_component(components: list[JSON], custom_id: str) -> JSON | None:
    return next((c for c in _walk_components(components) if c.get("custom_id") == custom_id), None)


def _custom_ids(components: list[JSON]) -> list[str]:
    return [c["custom_id"] for c in _walk_components(components) if "custom_id" in c]


def _submitted_row(row: JSON, values: dict[str, str]) -> JSON:
    if row.get("type") == 18:  # a Label wrapping one input
        inner = row["component"]
        return {"type": 18, "component": _submitted_input(inner, values)}
    return {
        "type": row.get("type", 1),
        "components": [_submitted_input(c, values) for c in row["components"]],
    }


def _submitted_input(component: JSON, values: dict[str, str]) -> JSON:
    custom_id = component["custom_id"]
    return {"type": component["type"], "custom_id": custom_id, "value": values.get(custom_id, "")}


def _interaction_user(payload: JSON, double: _InteractionSender) -> Member | User:
    user: JSON = (payload.get("member") or {}).get("user") or payload.get("user") or {}
    user_id = int(user["id"])
    for guild in double.guilds:
        for member in guild.members:
            if member.id == user_id:
                return member
    raise AssertionError(f"unknown user {user_id}")
