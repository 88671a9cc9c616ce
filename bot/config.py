"""Settings: loaded once from TOML into frozen dataclasses, validated, every key defaulted."""

from __future__ import annotations

import dataclasses
import os
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ConfigError(Exception):
    """A config file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class StorageSettings:
    """Where the brief library lives: an SQLite file (`path`), or PostgreSQL when `url` is set."""

    path: str = "briefbot.db"
    url: str = ""  # postgresql://user@host/db; empty: the SQLite file at `path`
    pool_size: int = 10  # PostgreSQL connections per process


@dataclass(frozen=True, slots=True)
class DiscordSettings:
    """How the bot reaches Discord (or a Discord-compatible API)."""

    token_file: str = ""
    api_base: str = ""  # empty: Discord's own API
    dev_guild: int = 0  # non-zero: sync commands to this guild only
    guild_ready_timeout: float = 2.0


@dataclass(frozen=True, slots=True)
class LimitSettings:
    """Bounds on input and per-guild resources."""

    max_article_bytes: int = 2_000_000
    max_schedules_per_guild: int = 25
    max_feeds_per_guild: int = 25
    max_follows_per_guild: int = 50
    build_seconds: float = 10.0  # per article; 0: no limit
    build_memory_mb: int = 1024  # per build worker (address space); 0: no limit
    build_workers: int = 0  # processes building briefs; 0: one per core
    ingest_batch: int = 2048  # briefs `briefbot ingest` stores per transaction


@dataclass(frozen=True, slots=True)
class DigestSettings:
    """Digest delivery."""

    grace_minutes: int = 60
    lease_seconds: float = 45.0  # a claimed run of a process that died is taken over after this


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """Outbound fetching of articles and feeds."""

    allowed_hosts: tuple[str, ...] = ()
    timeout: float = 15.0
    max_bytes: int = 5_000_000
    user_agent: str = "briefbot/0.1 (news brief Discord bot; +https://github.com/briefbot/briefbot)"


@dataclass(frozen=True, slots=True)
class FollowSettings:
    """Alerts for followed people and topics."""

    max_alerts_per_hour: int = 10


@dataclass(frozen=True, slots=True)
class FeedSettings:
    """An operator feed: its briefs are global."""

    url: str
    interval: int = 15  # minutes


@dataclass(frozen=True, slots=True)
class LoggingSettings:
    """Log level for stderr."""

    level: str = "INFO"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the bot and the command line are configured with."""

    storage: StorageSettings = field(default_factory=StorageSettings)
    discord: DiscordSettings = field(default_factory=DiscordSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
    digests: DigestSettings = field(default_factory=DigestSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    follows: FollowSettings = field(default_factory=FollowSettings)
    feeds: tuple[FeedSettings, ...] = ()
    logging: LoggingSettings = field(default_factory=LoggingSettings)
    base_dir: Path = field(default_factory=Path.cwd)

    @property
    def db_path(self) -> Path:
        """The database file, relative paths taken from the config file's folder."""
        path = Path(self.storage.path).expanduser()
        return path if path.is_absolute() else self.base_dir / path

    @property
    def library_location(self) -> str:
        """Where the library is opened: the PostgreSQL URL when set, else the SQLite file."""
        return self.storage.url or str(self.db_path)

    def __repr__(self) -> str:  # never print secrets; the token is not held here at all
        db = without_password(self.storage.url) if self.storage.url else str(self.db_path)
        return f"Settings(db={db}, api_base={self.discord.api_base or 'discord'})"


POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def without_password(url: str) -> str:
    """A URL with any password replaced by ***."""
    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"


def check_storage_url(url: str, key: str = "storage.url") -> None:
    """ConfigError unless `url` is empty or a PostgreSQL URL."""
    if url and not url.startswith(POSTGRES_SCHEMES):
        raise ConfigError(f"'{key}' must be a postgresql:// URL, not {without_password(url)!r}")


def load_settings(path: Path | None) -> Settings:
    """Read and validate a TOML config; None gives the defaults (database in the working folder)."""
    if path is None:
        return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise ConfigError(f"{path}: no such config file") from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from e
    try:
        settings: Settings = _build(Settings, raw, "")
        check_storage_url(settings.storage.url)
    except ConfigError as e:
        raise ConfigError(f"{path}: {e}") from None
    return dataclasses.replace(settings, base_dir=path.resolve().parent)


def _build(cls: type[Any], raw: object, prefix: str) -> Any:  # Any: one builder for every section
    if not isinstance(raw, dict):
        raise ConfigError(f"{prefix.rstrip('.') or 'the file'} must be a table")
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls) if f.name != "base_dir"}
    for key in raw:
        if key not in known:
            raise ConfigError(f"unknown key '{prefix}{key}' (known: {', '.join(sorted(known))})")
    values = {key: _value(hints[key], value, f"{prefix}{key}") for key, value in raw.items()}
    try:
        return cls(**values)
    except TypeError as e:
        raise ConfigError(f"{prefix.rstrip('.')}: {e}") from None


def _value(hint: Any, value: object, key: str) -> object:  # Any: a typing hint
    if dataclasses.is_dataclass(hint):
        return _build(typing.cast(type, hint), value, f"{key}.")
    origin = typing.get_origin(hint)
    if origin is tuple:
        item = typing.get_args(hint)[0]
        if not isinstance(value, list):
            raise ConfigError(f"'{key}' must be a list")
        return tuple(_value(item, v, f"{key}[{i}]") for i, v in enumerate(value))
    if origin is types.UnionType:
        hint = typing.get_args(hint)[0]
    expected = {int: (int,), float: (int, float), str: (str,), bool: (bool,)}[hint]
    if (isinstance(value, bool) and hint is not bool) or not isinstance(value, expected):
        raise ConfigError(f"'{key}' must be {_type_name(hint)}, not {value!r}")
    if hint in (int, float) and value < 0:  # type: ignore[operator]  # checked numeric above
        raise ConfigError(f"'{key}' must not be negative")
    return float(value) if hint is float else value


def _type_name(hint: type) -> str:
    return {int: "a whole number", float: "a number", str: "text", bool: "true or false"}[hint]


def read_token(settings: Settings) -> str | None:
    """The bot token from DISCORD_TOKEN, else from `discord.token_file`; None when neither."""
    token = os.environ.get("DISCORD_TOKEN", "").strip()
    if token:
        return token
    if settings.discord.token_file:
        token_path = Path(settings.discord.token_file).expanduser()
        if not token_path.is_absolute():
            token_path = settings.base_dir / token_path
        try:
            return token_path.read_text(encoding="utf-8").strip() or None
        except OSError as e:
            raise ConfigError(f"discord.token_file: cannot read {token_path}: {e.strerror}") from e
    return None
