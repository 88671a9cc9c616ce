"""The fetch guard against every spelling of an internal address, on the pinned aiohttp.

A loopback server records every request that reaches it; each test asserts that none did and
that the refusal names its reason. The fetcher under test exempts no host, or only a name that a
stand-in resolver maps to a second loopback server (the redirector).
"""

from __future__ import annotations

import asyncio
import gzip
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace

import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from bot.config import FetchSettings
from bot.runtime.fetch import SafeFetcher, guarded_socket
from briefs.errors import FetchRefused
from tests.bot.conftest import bot_settings, start_bot
from tests.discord_double import DiscordDouble

LOOPBACK = "refused: loopback address"
UNSPECIFIED = "refused: unspecified address"
# (host as typed in a URL, the refusal expected)
SPELLINGS = [
    ("127.0.0.1", LOOPBACK),
    ("127。0。0。1", LOOPBACK),  # ideographic full stops
    ("127．0．0．1", LOOPBACK),  # full-width full stops
    ("127｡0｡0｡1", LOOPBACK),  # half-width ideographic full stops
    ("１２７.０.０.１", LOOPBACK),  # full-width digits
    ("①②⑦.⓪.⓪.①", LOOPBACK),  # enclosed digits
    ("𝟏𝟐𝟕.𝟎.𝟎.𝟏", LOOPBACK),  # mathematical bold digits
    ("127.0.0.1.", LOOPBACK),  # trailing dot
    ("127.1", LOOPBACK),  # short form
    ("2130706433", LOOPBACK),  # one decimal number
    ("0177.0.0.1", LOOPBACK),  # octal
    ("0x7f.0.0.1", LOOPBACK),  # hex
    ("0x7f000001", LOOPBACK),
    ("127.000.000.001", LOOPBACK),
    ("[::1]", LOOPBACK),
    ("[::ffff:127.0.0.1]", LOOPBACK),  # IPv4-mapped
    ("[0:0:0:0:0:ffff:7f00:1]", LOOPBACK),
    ("[64:ff9b::7f00:1]", LOOPBACK),  # NAT64
    ("[2002:7f00:1::]", LOOPBACK),  # 6to4
    ("0.0.0.0", UNSPECIFIED),  # noqa: S104 (Linux connects 0.0.0.0 to the local host)
    ("０.０.０.０", UNSPECIFIED),
    ("0", UNSPECIFIED),
    ("[::]", UNSPECIFIED),
    ("localhost", "refused: internal host"),
    ("LocalHost.", "refused: internal host"),
    ("ｌｏｃａｌｈｏｓｔ", "refused: internal host"),
    ("news.example@127.0.0.1", "refused: credentials in URL"),  # userinfo
    ("a:b@127。0。0。1", "refused: credentials in URL"),
]


class StaticResolver(AbstractResolver):
    """A DNS stand-in: fixed names to loopback; any other name does not resolve."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        if host.rstrip(".") not in self.names:  # as DNS, a trailing dot names the same host
            raise OSError(f"{host}: no such name")
        return [
            {
                "hostname": host,
                "host": "127.0.0.1",
                "port": port,
                "family": socket.AF_INET,
                "proto": 0,
                "flags": 0,
            }
        ]

    async def close(self) -> None:
        return None


@dataclass
class Server:
    """A loopback server and the paths of every request that reached it."""

    port: int
    seen: list[str] = field(default_factory=list)


async def _serve(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, runner.addresses[0][1]


@pytest.fixture
async def recorder() -> AsyncIterator[Server]:
    """The internal page an attacker wants: answers everything, records everything."""
    server = Server(0)

    async def anything(request: web.Request) -> web.StreamResponse:
        server.seen.append(request.path_qs)
        return web.Response(
            text="<html><title>Internal admin</title><p>secret token 42.</p></html>",
            content_type="text/html",
        )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", anything)
    runner, server.port = await _serve(app)
    yield server
    await runner.cleanup()


@pytest.fixture
async def redirector() -> AsyncIterator[Server]:
    """A public-looking site (reached as redirector.test) that redirects wherever asked."""
    server = Server(0)

    async def redirect(request: web.Request) -> web.StreamResponse:
        server.seen.append(request.path_qs)
        return web.Response(status=302, headers={"Location": request.query["to"]})

    app = web.Application()
    app.router.add_get("/redirect", redirect)
    runner, server.port = await _serve(app)
    yield server
    await runner.cleanup()


@pytest.fixture
async def guarded() -> AsyncIterator[SafeFetcher]:
    """A fetcher that exempts only redirector.test, which resolves to loopback."""
    f = SafeFetcher(
        allowed_hosts=["redirector.test"],
        resolver=StaticResolver({"redirector.test", "rebind.test"}),
        timeout=10,
    )
    yield f
    await f.close()


async def refusal(fetcher: SafeFetcher, url: str) -> str:
    with pytest.raises(FetchRefused) as info:
        await fetcher.fetch(url)
    return info.value.reason


@pytest.mark.parametrize(("host", "reason"), SPELLINGS)
async def test_every_spelling_of_an_internal_address_is_refused(
    recorder, guarded, host, reason
) -> None:
    assert await refusal(guarded, f"http://{host}:{recorder.port}/admin") == reason
    assert recorder.seen == []


@pytest.mark.parametrize(("host", "reason"), SPELLINGS)
async def test_every_spelling_is_refused_after_a_redirect(
    recorder, redirector, guarded, host, reason
) -> None:
    target = f"http://{host}:{recorder.port}/admin"
    url = f"http://redirector.test:{redirector.port}/redirect?to={target}"
    assert await refusal(guarded, url) == reason
    assert len(redirector.seen) == 1  # the first hop was fetched, the second never made
    assert recorder.seen == []


async def test_name_resolving_to_loopback_is_refused_at_the_connection(recorder, guarded) -> None:
    assert await refusal(guarded, f"http://rebind.test:{recorder.port}/admin") == LOOPBACK
    assert recorder.seen == []


@pytest.mark.parametrize(
    "host",
    [
        "redirector.test@127.0.0.1",  # the exempt name as userinfo
        "redirector.test.rebind.test",  # the exempt name as a prefix
        "rebind.test",
        "127.0.0.1#@redirector.test",  # the exempt name after a fragment
    ],
)
async def test_the_exemption_is_not_granted_to_another_host(recorder, guarded, host) -> None:
    assert (await refusal(guarded, f"http://{host}:{recorder.port}/admin")).startswith(
        ("refused: ", "connection failed", "not a valid URL")
    )
    assert recorder.seen == []


async def test_an_exempt_host_is_read_like_a_url_host(recorder) -> None:
    # Configured in full-width letters and upper case, the name still means redirector.test.
    fetcher = SafeFetcher(
        allowed_hosts=["ＲＥＤＩＲＥＣＴＯＲ．test."], resolver=StaticResolver({"redirector.test"})
    )
    try:
        page = await fetcher.fetch(f"http://Redirector.Test.:{recorder.port}/ok")
    finally:
        await fetcher.close()
    assert page is not None
    assert recorder.seen == ["/ok"]


def test_the_socket_factory_refuses_internal_addresses() -> None:
    for address in ("127.0.0.1", "0.0.0.0", "169.254.169.254"):  # noqa: S104 (refused, not bound)
        info = (socket.AF_INET, socket.SOCK_STREAM, 0, "", (address, 80))
        with pytest.raises(OSError, match="refused: "):
            guarded_socket(info)
    with pytest.raises(OSError, match="refused: loopback"):
        guarded_socket((socket.AF_INET6, socket.SOCK_STREAM, 0, "", ("::1", 80, 0, 0)))
    sock = guarded_socket((socket.AF_INET, socket.SOCK_STREAM, 0, "", ("93.184.216.34", 80)))
    sock.close()


async def test_briefs_add_url_refuses_a_spelling_end_to_end(
    tmp_path, double: DiscordDouble, recorder
) -> None:
    # The default fetch settings: no exempt host.
    settings = replace(bot_settings(tmp_path / "library.db", double), fetch=FetchSettings())
    bot = await start_bot(settings, double)
    try:
        record = await double.slash(
            "briefs add",
            options={"url": f"http://127。0。0。1:{recorder.port}/admin"},
            user=double.moderator,
            override=True,
        )
        first = await record.response()
        answer = await record.followup() if first["type"] == 5 else first["data"]
    finally:
        await bot.stop()
    assert LOOPBACK in answer["content"]
    assert recorder.seen == []


@pytest.fixture
async def hostile() -> AsyncIterator[Server]:
    """A server with a gzip bomb and a page that never finishes."""
    server = Server(0)
    bomb = gzip.compress(b"<p>" + b"a" * 50_000_000 + b"</p>", compresslevel=9)

    async def zipped(request: web.Request) -> web.StreamResponse:
        server.seen.append(request.path)
        return web.Response(
            body=bomb, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}
        )

    async def drip(request: web.Request) -> web.StreamResponse:
        server.seen.append(request.path)
        resp = web.StreamResponse(headers={"Content-Type": "text/html"})
        await resp.prepare(request)
        while True:  # a byte at a time, each well within the read timeout
            await resp.write(b"x")
            await asyncio.sleep(0.05)

    app = web.Application()
    app.router.add_get("/bomb", zipped)
    app.router.add_get("/drip", drip)
    runner, server.port = await _serve(app)
    yield server
    await runner.cleanup()


async def test_compressed_page_is_limited_by_its_decompressed_size(hostile) -> None:
    fetcher = SafeFetcher(allowed_hosts=["127.0.0.1"], max_bytes=1_000_000)
    try:
        assert await refusal(fetcher, f"http://127.0.0.1:{hostile.port}/bomb") == "too large"
    finally:
        await fetcher.close()


async def test_slow_page_is_cut_by_the_total_deadline(hostile) -> None:
    fetcher = SafeFetcher(allowed_hosts=["127.0.0.1"], timeout=1)
    try:
        assert await refusal(fetcher, f"http://127.0.0.1:{hostile.port}/drip") == "timed out"
    finally:
        await fetcher.close()
