"""Discord's validation: message, embed, component, autocomplete and command limits (50035)."""

from __future__ import annotations

import re

from tests.discord_double.world import JSON

_NAME_RE = re.compile(r"^[-_\w]{1,32}$")


def _too_long(limit: int) -> JSON:
    return {
        "_errors": [
            {"code": "BASE_TYPE_MAX_LENGTH", "message": f"Must be {limit} or fewer in length."}
        ]
    }


def _bad(code: str, message: str) -> JSON:
    return {"_errors": [{"code": code, "message": message}]}


def _embed_errors(embed: JSON) -> tuple[JSON, int]:
    """Errors for one embed, and its character count toward the 6000 total."""
    errors: JSON = {}
    size = 0
    for key, limit in (("title", 256), ("description", 4096)):
        text = embed.get(key) or ""
        size += len(text)
        if len(text) > limit:
            errors[key] = _too_long(limit)
    for key, sub, limit in (("footer", "text", 2048), ("author", "name", 256)):
        text = (embed.get(key) or {}).get(sub) or ""
        size += len(text)
        if len(text) > limit:
            errors[key] = {sub: _too_long(limit)}
    fields = embed.get("fields") or []
    if len(fields) > 25:
        errors["fields"] = _too_long(25)
    field_errors: JSON = {}
    for i, fld in enumerate(fields):
        one: JSON = {}
        for key, limit in (("name", 256), ("value", 1024)):
            text = fld.get(key) or ""
            size += len(text)
            if not text:
                one[key] = _bad("BASE_TYPE_REQUIRED", "This field is required")
            elif len(text) > limit:
                one[key] = _too_long(limit)
        if one:
            field_errors[str(i)] = one
    if field_errors and "fields" not in errors:
        errors["fields"] = field_errors
    return errors, size


def _component_errors(rows: list[JSON]) -> JSON:
    errors: JSON = {}
    if len(rows) > 5:
        return _too_long(5)
    for r, row in enumerate(rows):
        children = row.get("components") or []
        if row.get("type") == 1 and len(children) > 5:
            errors[str(r)] = {"components": _too_long(5)}
            continue
        for c, comp in enumerate(children):
            one: JSON = {}
            if len(comp.get("custom_id") or "") > 100:
                one["custom_id"] = _too_long(100)
            if len(comp.get("label") or "") > 80:
                one["label"] = _too_long(80)
            if len(comp.get("options") or []) > 25:
                one["options"] = _too_long(25)
            if one:
                errors.setdefault(str(r), {"components": {}})["components"][str(c)] = one
    return errors


def message_errors(body: JSON, *, has_files: bool = False, partial: bool = False) -> JSON:
    """Discord's 50035 `errors` object for a message body; empty when it is valid."""
    errors: JSON = {}
    content = body.get("content") or ""
    if len(content) > 2000:
        errors["content"] = _too_long(2000)
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        errors["embeds"] = _too_long(10)
    else:
        total = 0
        embed_errors: JSON = {}
        for i, embed in enumerate(embeds):
            one, size = _embed_errors(embed)
            total += size
            if one:
                embed_errors[str(i)] = one
        if embed_errors:
            errors["embeds"] = embed_errors
        elif total > 6000:
            errors["embeds"] = _bad(
                "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000"
            )
    comp_errors = _component_errors(body.get("components") or [])
    if comp_errors:
        errors["components"] = comp_errors
    empty = not (content or embeds or has_files or body.get("components") or body.get("poll"))
    if not partial and empty and not errors:
        errors["content"] = _bad("BASE_TYPE_REQUIRED", "Cannot send an empty message")
    return errors


def command_errors(commands: list[JSON]) -> JSON:
    """Discord's 50035 `errors` for a bulk command sync; empty when every definition is valid."""
    errors: JSON = {}
    if len(commands) > 100:
        return {"_errors": _too_long(100)["_errors"]}
    seen: set[tuple[str, int]] = set()
    for i, cmd in enumerate(commands):
        one = _definition_errors(cmd, top=True)
        key = (cmd.get("name", ""), cmd.get("type", 1))
        if key in seen:
            one["name"] = _bad(
                "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique"
            )
        seen.add(key)
        if one:
            errors[str(i)] = one
    return errors


def _definition_errors(item: JSON, *, top: bool) -> JSON:
    errors: JSON = {}
    name = item.get("name", "")
    chat_input = item.get("type", 1) == 1 or not top
    if chat_input and (not _NAME_RE.match(name) or name != name.lower()):
        errors["name"] = _bad(
            "APPLICATION_COMMAND_INVALID_NAME", f"Command name is invalid: {name!r}"
        )
    description = item.get("description", "")
    if chat_input and not 1 <= len(description) <= 100:
        errors["description"] = _bad("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
    options = item.get("options") or []
    if len(options) > 25:
        errors["options"] = _too_long(25)
    opt_errors: JSON = {}
    optional_seen = False
    for j, opt in enumerate(options):
        one = _definition_errors(opt, top=False)
        if len(opt.get("choices") or []) > 25:
            one["choices"] = _too_long(25)
        if opt.get("type", 3) > 2:
            if opt.get("required") and optional_seen:
                one["required"] = _bad(
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
            optional_seen = optional_seen or not opt.get("required")
        if one:
            opt_errors[str(j)] = one
    if opt_errors and "options" not in errors:
        errors["options"] = opt_errors
    return errors


def choices_errors(choices: list[JSON]) -> JSON:
    """Discord's 50035 `errors` for autocomplete choices."""
    if len(choices) > 25:
        return {"choices": _too_long(25)}
    errors: JSON = {}
    for i, choice in enumerate(choices):
        one: JSON = {}
        if not 1 <= len(choice.get("name") or "") <= 100:
            one["name"] = _bad("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
        value = choice.get("value")
        if isinstance(value, str) and len(value) > 100:
            one["value"] = _too_long(100)
        if one:
            errors[str(i)] = one
    return {"choices": errors} if errors else {}


def pings_nobody(message: JSON) -> bool:
    """True when the message's allowed_mentions cannot ping anyone (parse [], no ids)."""
    allowed = message.get("allowed_mentions")
    if allowed is None:
        return False  # Discord's default parses every mention in the content.
    return not allowed.get("parse") and not allowed.get("users") and not allowed.get("roles")
