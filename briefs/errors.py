"""The domain's errors: one base class and a small tree, each carrying data, not Discord text."""

from __future__ import annotations


class BriefingError(Exception):
    """Base class of every error the domain raises on purpose."""


class ArticleUnreadable(BriefingError):
    """The input is not an article we can read (empty, binary, not UTF-8, too large, no text)."""

    def __init__(self, source: str | None, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source or 'input'}: {reason}")


class ArticleOverLimit(ArticleUnreadable):
    """An article whose build went over a limit (time or memory) and was stopped."""


class NotAnArticle(ArticleUnreadable):
    """Readable text that is not a news article (a README, data, a table, no prose)."""


class BriefNotFound(BriefingError):
    """No brief matches the given id or text in this scope."""

    def __init__(self, query: str) -> None:
        self.query = query
        super().__init__(f"no brief matches {query!r}")


class LibraryEmpty(BriefingError):
    """The scope has no briefs at all: every question has the same answer."""

    def __init__(self) -> None:
        super().__init__("the library is empty")


class PersonNotFound(BriefingError):
    """No person matches the name; carries the closest names for a 'Did you mean'."""

    def __init__(self, name: str, suggestions: tuple[str, ...] = ()) -> None:
        self.name = name
        self.suggestions = suggestions
        super().__init__(f"no person matches {name!r}")


class SchemaTooNew(BriefingError):
    """The database was written by a newer briefbot than this one."""

    def __init__(self, found: int, known: int) -> None:
        self.found = found
        self.known = known
        super().__init__(
            f"the database has schema version {found}, but this briefbot knows only up to {known}: "
            "upgrade briefbot"
        )


class StorageError(BriefingError):
    """The library could not complete an operation."""


class InvalidSchedule(BriefingError):
    """A digest schedule, time zone or filter that cannot be understood."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"{text!r}: {reason}")


class LimitReached(BriefingError):
    """A per-guild limit (schedules, feeds, follows) is reached."""

    def __init__(self, what: str, limit: int) -> None:
        self.what = what
        self.limit = limit
        super().__init__(f"at most {limit} {what} per server")


class NotFound(BriefingError):
    """A schedule, feed or follow id that does not exist in this guild."""

    def __init__(self, what: str, ident: int | str) -> None:
        self.what = what
        self.ident = ident
        super().__init__(f"no {what} {ident}")


class FetchRefused(BriefingError):
    """A URL that will not be fetched, or a fetch that failed, with the reason."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")


class AlreadySubscribed(BriefingError):
    """The same feed or follow exists already."""

    def __init__(self, what: str, ident: int) -> None:
        self.what = what
        self.ident = ident
        super().__init__(f"this {what} exists already as {ident}")


class ChannelRefused(BriefingError):
    """The bot cannot post in that channel (its kind, or a missing permission)."""

    def __init__(self, channel_id: int, reason: str) -> None:
        self.channel_id = channel_id
        self.reason = reason
        super().__init__(f"channel {channel_id}: {reason}")
