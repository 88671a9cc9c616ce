"""Safe outbound fetching of pages and feeds: bounded, text only, never to internal addresses."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass

import aiohttp
from aiohappyeyeballs import AddrInfoType
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from bot.runtime.addresses import address_refusal, client_host, config_host, host_refusal
from briefs.errors import FetchRefused

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "briefbot/0.1 (news brief Discord bot; +https://github.com/briefbot/briefbot)"
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_TEXT_TYPES = frozenset(
    {
        "application/xhtml+xml",
        "application/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
        "application/json",
    }
)


# Not frozen: FetchedPage declares plain attributes, which mypy takes as settable.
@dataclass(slots=True)
class Page:
    """A fetched page: final URL after redirects, content type, decoded text and cache headers."""

    url: str
    content_type: str
    text: str
    etag: str | None
    last_modified: str | None
    data: bytes = b""


class _AddressRefused(OSError):
    """Raised before a socket exists, so aiohttp never connects to a refused address."""

    def __init__(self, host: str, reason: str) -> None:
        self.reason = reason
        super().__init__(f"{host}: {reason}")


_REASON = re.compile(r"refused: [a-z-]+ address")


def _sockaddr_host(address: object) -> str:
    host = address[0] if isinstance(address, tuple) else address
    return str(host).split("%", 1)[0]


def guarded_socket(addr_info: AddrInfoType) -> socket.socket:
    """The connector's socket factory: the last check, on the very address about to be connected."""
    family, type_, proto, _, sockaddr = addr_info
    host = _sockaddr_host(sockaddr)
    reason = address_refusal(ipaddress.ip_address(host))
    if reason is not None:
        raise _AddressRefused(host, reason)
    return socket.socket(family=family, type=type_, proto=proto)


class GuardedResolver(AbstractResolver):
    """Drops every refused address a name resolves to, naming the reason when none is left."""

    def __init__(self, inner: AbstractResolver) -> None:
        self._inner = inner

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """Resolve with the inner resolver, then keep only addresses that may be fetched."""
        results = await self._inner.resolve(host, port, family)
        kept: list[ResolveResult] = []
        reason = "refused: no address"
        for result in results:
            why = address_refusal(ipaddress.ip_address(_sockaddr_host(result["host"])))
            if why is None:
                kept.append(result)
            else:
                reason = why
        if not kept:
            raise _AddressRefused(host, reason)
        return kept

    async def close(self) -> None:
        """Close the inner resolver."""
        await self._inner.close()


def _refusal(error: BaseException) -> str | None:
    """The guard's reason inside a connection error, however aiohttp wrapped it."""
    pending: list[BaseException] = [error]
    seen: set[int] = set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, _AddressRefused):
            return current.reason
        found = _REASON.search(str(current))
        if found:
            return found.group(0)
        for inner in (getattr(current, "os_error", None), current.__cause__):
            if isinstance(inner, BaseException):
                pending.append(inner)
    return None


def _is_text(content_type: str) -> bool:
    return content_type.startswith("text/") or content_type in _TEXT_TYPES


class SafeFetcher:
    """The ArticleFetcher port on aiohttp: refuses anything unsafe, binary or oversized.

    The guard judges the host as aiohttp itself reads it (yarl's IDNA/NFKC reading), refuses
    internal literals early with a clear reason, and checks every resolved address in the
    resolver and every address connected in the socket factory. Hosts in `allowed_hosts`
    (read the same way) go through a second session without the guard.
    """

    def __init__(
        self,
        *,
        allowed_hosts: Iterable[str] = (),
        timeout: float = 15.0,
        max_bytes: int = 5_000_000,
        user_agent: str = DEFAULT_USER_AGENT,
        resolver: AbstractResolver | None = None,
    ) -> None:
        self._allowed = frozenset(config_host(h) for h in allowed_hosts)
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._user_agent = user_agent
        self._inner_resolver = resolver
        self._sessions: dict[bool, aiohttp.ClientSession] = {}

    def _client(self, *, exempt: bool) -> aiohttp.ClientSession:
        session = self._sessions.get(exempt)
        if session is None or session.closed:
            inner = self._inner_resolver or aiohttp.ThreadedResolver()
            if exempt:
                connector = aiohttp.TCPConnector(resolver=inner, use_dns_cache=False, limit=20)
            else:
                connector = aiohttp.TCPConnector(
                    resolver=GuardedResolver(inner),
                    socket_factory=guarded_socket,
                    use_dns_cache=False,
                    limit=20,
                )
            session = aiohttp.ClientSession(
                connector=connector,
                trust_env=False,  # a proxy would connect on our behalf, past the address check
                timeout=aiohttp.ClientTimeout(
                    total=self._timeout, connect=min(5.0, self._timeout), sock_read=self._timeout
                ),
                headers={"User-Agent": self._user_agent},
                cookie_jar=aiohttp.DummyCookieJar(),
            )
            self._sessions[exempt] = session
        return session

    async def close(self) -> None:
        """Close the HTTP sessions."""
        sessions, self._sessions = list(self._sessions.values()), {}
        for session in sessions:
            await session.close()

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Page | None:
        """The page, or None for 304 Not Modified. Raises FetchRefused with the reason."""
        try:
            async with asyncio.timeout(self._timeout):  # one deadline for every hop and byte
                return await self._follow(url, etag=etag, last_modified=last_modified)
        except TimeoutError as e:
            raise FetchRefused(url, "timed out") from e

    async def _follow(
        self, url: str, *, etag: str | None, last_modified: str | None
    ) -> Page | None:
        headers = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.1"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = self.check_url(url)
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                page = await self._hop(url, current, headers)
            except aiohttp.ClientConnectorError as e:
                raise FetchRefused(url, _refusal(e) or "connection failed") from e
            except aiohttp.InvalidURL as e:
                raise FetchRefused(url, "not a valid URL") from e
            except aiohttp.ClientError as e:
                raise FetchRefused(url, _refusal(e) or "connection failed") from e
            if isinstance(page, URL):
                current = self.check_url(url, page)
                continue
            return page
        raise FetchRefused(url, "too many redirects")

    async def _hop(self, url: str, current: URL, headers: dict[str, str]) -> Page | URL | None:
        """One request: the page, None for 304, or the next URL to follow."""
        session = self._client(exempt=client_host(current) in self._allowed)
        async with session.get(current, headers=headers, allow_redirects=False) as resp:
            if resp.status in _REDIRECTS:
                location = resp.headers.get("Location")
                if not location:
                    raise FetchRefused(url, f"HTTP {resp.status} without a location")
                log.debug("redirect %s -> %s", current, location)
                try:
                    return current.join(URL(location))
                except ValueError as e:
                    raise FetchRefused(url, "not a valid URL") from e
            if resp.status == 304:
                return None
            if resp.status != 200:
                raise FetchRefused(url, f"HTTP {resp.status}")
            return await self._read(url, str(current), resp)

    def check_url(self, url: str, target: URL | str | None = None) -> URL:
        """The URL as the client will read it, or FetchRefused: scheme, userinfo, internal host.

        `target` is a redirect hop of `url` (refusals name `url`); by default `url` itself.
        """
        try:
            parsed = target if isinstance(target, URL) else URL(target or url)
            host = client_host(parsed)
            port = parsed.port
        except ValueError as e:  # UnicodeError (a bad IDNA label) is one
            raise FetchRefused(url, "not a valid URL") from e
        if parsed.scheme not in ("http", "https"):
            raise FetchRefused(url, "refused: only http and https")
        if not host or port is None or not 0 < port < 65536:
            raise FetchRefused(url, "not a valid URL")
        if parsed.raw_user is not None or parsed.raw_password is not None:
            raise FetchRefused(url, "refused: credentials in URL")
        if host not in self._allowed:
            reason = host_refusal(host)
            if reason is not None:
                raise FetchRefused(url, reason)
        return parsed

    async def _read(self, url: str, final: str, resp: aiohttp.ClientResponse) -> Page:
        content_type = resp.content_type.lower()
        if not _is_text(content_type):
            raise FetchRefused(url, f"not text: {content_type}")
        if resp.content_length is not None and resp.content_length > self._max_bytes:
            raise FetchRefused(url, "too large")
        chunks: list[bytes] = []
        size = 0
        async for chunk in resp.content.iter_chunked(65536):
            size += len(chunk)
            if size > self._max_bytes:
                raise FetchRefused(url, "too large")
            chunks.append(chunk)
        data = b"".join(chunks)
        charset = resp.charset or "utf-8"
        try:
            text = data.decode(charset, errors="replace")
        except LookupError:
            text = data.decode("utf-8", errors="replace")
        return Page(
            url=final,
            content_type=content_type,
            text=text,
            etag=resp.headers.get("ETag"),
            last_modified=resp.headers.get("Last-Modified"),
            data=data,
        )
