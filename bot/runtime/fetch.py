"""Safe outbound fetching of pages and feeds: bounded, text only, never to internal addresses."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

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
# Cloud metadata endpoints. Most are link-local or private already; Azure's wire server and
# Alibaba's metadata address are not, so every one is named here.
_METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",
        "169.254.170.2",
        "169.254.169.253",
        "168.63.129.16",
        "100.100.100.200",
        "192.0.0.192",
        "fd00:ec2::254",
        "fd00:ec2::23",
    )
)
_METADATA_NAMES = frozenset({"metadata.google.internal", "metadata", "instance-data"})

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


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


def address_refusal(address: Address) -> str | None:
    """Why an address must not be fetched from ("refused: private address"), or None if public."""
    mapped = getattr(address, "ipv4_mapped", None) or getattr(address, "sixtofour", None)
    if mapped is not None:
        return address_refusal(mapped)
    if address in _METADATA:
        return "refused: cloud metadata address"
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        ("non-public", not address.is_global),
    )
    for name, hit in checks:
        if hit:
            return f"refused: {name} address"
    return None


class _AddressRefused(OSError):
    """Raised inside the resolver so aiohttp never opens a socket to a refused address."""

    def __init__(self, host: str, reason: str) -> None:
        self.reason = reason
        super().__init__(f"{host}: {reason}")


class GuardedResolver(AbstractResolver):
    """Drops every refused address, so the address connected to is the address checked."""

    def __init__(self, inner: AbstractResolver, allowed_hosts: frozenset[str]) -> None:
        self._inner = inner
        self._allowed = allowed_hosts

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """Resolve with the inner resolver, then keep only addresses that may be fetched."""
        results = await self._inner.resolve(host, port, family)
        if _normal_host(host) in self._allowed:
            return results
        kept: list[ResolveResult] = []
        reason = "refused: no address"
        for result in results:
            why = address_refusal(ipaddress.ip_address(result["host"].split("%", 1)[0]))
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


def _normal_host(host: str) -> str:
    return host.rstrip(".").lower().strip("[]")


def _is_text(content_type: str) -> bool:
    return content_type.startswith("text/") or content_type in _TEXT_TYPES


class SafeFetcher:
    """The ArticleFetcher port on aiohttp: refuses anything unsafe, binary or oversized."""

    def __init__(
        self,
        *,
        allowed_hosts: Iterable[str] = (),
        timeout: float = 15.0,
        max_bytes: int = 5_000_000,
        user_agent: str = DEFAULT_USER_AGENT,
        resolver: AbstractResolver | None = None,
    ) -> None:
        self._allowed = frozenset(_normal_host(h) for h in allowed_hosts)
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._user_agent = user_agent
        self._inner_resolver = resolver
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            inner = self._inner_resolver or aiohttp.ThreadedResolver()
            connector = aiohttp.TCPConnector(
                resolver=GuardedResolver(inner, self._allowed), use_dns_cache=False, limit=20
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                trust_env=False,  # a proxy would connect on our behalf, past the address check
                timeout=aiohttp.ClientTimeout(
                    total=None, connect=min(5.0, self._timeout), sock_read=self._timeout
                ),
                headers={"User-Agent": self._user_agent},
                cookie_jar=aiohttp.DummyCookieJar(),
            )
        return self._session

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Page | None:
        """The page, or None for 304 Not Modified. Raises FetchRefused with the reason."""
        try:
            async with asyncio.timeout(self._timeout):
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
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            self.check_url(current)
            try:
                page = await self._hop(url, current, headers)
            except aiohttp.ClientConnectorError as e:
                refused = e.__cause__ if isinstance(e.__cause__, _AddressRefused) else e.os_error
                if isinstance(refused, _AddressRefused):
                    raise FetchRefused(url, refused.reason) from e
                raise FetchRefused(url, "connection failed") from e
            except aiohttp.ClientError as e:
                raise FetchRefused(url, "connection failed") from e
            if isinstance(page, str):
                current = page
                continue
            return page
        raise FetchRefused(url, "too many redirects")

    async def _hop(self, url: str, current: str, headers: dict[str, str]) -> Page | str | None:
        """One request: the page, None for 304, or the next URL to follow."""
        async with self._client().get(current, headers=headers, allow_redirects=False) as resp:
            if resp.status in _REDIRECTS:
                location = resp.headers.get("Location")
                if not location:
                    raise FetchRefused(url, f"HTTP {resp.status} without a location")
                log.debug("redirect %s -> %s", current, location)
                return urljoin(current, location)
            if resp.status == 304:
                return None
            if resp.status != 200:
                raise FetchRefused(url, f"HTTP {resp.status}")
            return await self._read(url, current, resp)

    def check_url(self, url: str) -> None:
        """Refuse a URL before any connection: scheme, host, and literal or well-known addresses."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as e:
            raise FetchRefused(url, "not a valid URL") from e
        if parts.scheme not in ("http", "https"):
            raise FetchRefused(url, "refused: only http and https")
        host = _normal_host(parts.hostname or "")
        if not host:
            raise FetchRefused(url, "not a valid URL")
        if parts.username or parts.password:
            raise FetchRefused(url, "refused: credentials in URL")
        if host in self._allowed:
            return
        if host in _METADATA_NAMES or host == "localhost" or host.endswith(".localhost"):
            raise FetchRefused(url, "refused: internal host")
        if port is not None and not 0 < port < 65536:
            raise FetchRefused(url, "not a valid URL")
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return  # a name: the guarded resolver checks what it resolves to
        reason = address_refusal(address)
        if reason:
            raise FetchRefused(url, reason)

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
