"""SafeFetcher against a loopback aiohttp server: limits, types, redirects and address checks."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from bot.runtime.addresses import address_refusal
from bot.runtime.fetch import SafeFetcher
from briefs.errors import FetchRefused

HTML = "<html><head><title>Hi</title></head><body><p>Hello, world.</p></body></html>"


class StaticResolver(AbstractResolver):
    """A DNS stand-in: fixed names to fixed addresses, like a rebinding attacker's server."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        self.asked: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.asked.append(host)
        address = self.table[host]
        return [
            {
                "hostname": host,
                "host": address,
                "port": port,
                "family": socket.AF_INET,
                "proto": 0,
                "flags": 0,
            }
        ]

    async def close(self) -> None:
        return None


@pytest.fixture
async def site() -> AsyncIterator[tuple[str, list[web.Request]]]:
    """A loopback web server with pages that exercise every refusal; yields (base URL, requests)."""
    seen: list[web.Request] = []

    async def page(request: web.Request) -> web.StreamResponse:
        seen.append(request)
        if request.headers.get("If-None-Match") == '"v1"':
            return web.Response(status=304)
        return web.Response(
            text=HTML, content_type="text/html", headers={"ETag": '"v1"', "Last-Modified": "x"}
        )

    async def huge(request: web.Request) -> web.StreamResponse:
        seen.append(request)
        resp = web.StreamResponse(headers={"Content-Type": "text/html"})
        await resp.prepare(request)
        for _ in range(64):  # streamed, no Content-Length: the fetcher must stop reading itself
            await resp.write(b"<p>" + b"x" * 16_384 + b"</p>")
        return resp

    async def binary(request: web.Request) -> web.StreamResponse:
        seen.append(request)
        return web.Response(body=b"\x89PNG\r\n\x1a\n" + b"\0" * 100, content_type="image/png")

    async def redirect(request: web.Request) -> web.StreamResponse:
        seen.append(request)
        raise web.HTTPFound(request.query["to"])

    async def loop_(request: web.Request) -> web.StreamResponse:
        seen.append(request)
        raise web.HTTPFound(f"/loop?n={int(request.query.get('n', '0')) + 1}")

    async def missing(request: web.Request) -> web.StreamResponse:
        seen.append(request)
        raise web.HTTPNotFound

    app = web.Application()
    app.router.add_get("/page", page)
    app.router.add_get("/huge", huge)
    app.router.add_get("/binary", binary)
    app.router.add_get("/redirect", redirect)
    app.router.add_get("/loop", loop_)
    app.router.add_get("/missing", missing)
    runner = web.AppRunner(app)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}", seen
    await runner.cleanup()


@pytest.fixture
async def fetcher() -> AsyncIterator[SafeFetcher]:
    """A fetcher that may reach the loopback test server only."""
    f = SafeFetcher(allowed_hosts=["127.0.0.1"], timeout=10, max_bytes=200_000)
    yield f
    await f.close()


async def refusal(fetcher: SafeFetcher, url: str) -> str:
    with pytest.raises(FetchRefused) as info:
        await fetcher.fetch(url)
    return info.value.reason


async def test_fetches_html_with_user_agent_and_cache_headers(site, fetcher) -> None:
    base, seen = site
    page = await fetcher.fetch(f"{base}/page")
    assert page is not None
    assert page.text == HTML
    assert page.content_type == "text/html"
    assert page.etag == '"v1"'
    assert page.url == f"{base}/page"
    assert seen[0].headers["User-Agent"].startswith("briefbot/")


async def test_not_modified_gives_none(site, fetcher) -> None:
    base, _ = site
    assert await fetcher.fetch(f"{base}/page", etag='"v1"', last_modified="x") is None


async def test_huge_page_is_refused_while_streaming(site, fetcher) -> None:
    base, _ = site
    assert await refusal(fetcher, f"{base}/huge") == "too large"


async def test_binary_page_is_refused(site, fetcher) -> None:
    base, _ = site
    assert await refusal(fetcher, f"{base}/binary") == "not text: image/png"


async def test_http_error_is_named(site, fetcher) -> None:
    base, _ = site
    assert await refusal(fetcher, f"{base}/missing") == "HTTP 404"


async def test_redirect_within_allowed_host_is_followed(site, fetcher) -> None:
    base, _ = site
    page = await fetcher.fetch(f"{base}/redirect?to=/page")
    assert page is not None
    assert page.url == f"{base}/page"


async def test_redirect_loop_stops(site, fetcher) -> None:
    base, seen = site
    assert await refusal(fetcher, f"{base}/loop") == "too many redirects"
    assert len(seen) == 6  # the first request and five redirects, no more


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://10.0.0.1/", "refused: private address"),
        ("http://169.254.169.254/latest/meta-data/", "refused: cloud metadata address"),
        ("http://[fd00:ec2::254]/", "refused: cloud metadata address"),
        ("http://[::1]:8080/", "refused: loopback address"),
        ("http://[::ffff:192.168.1.1]/", "refused: private address"),
        ("http://0.0.0.0/", "refused: unspecified address"),
        ("http://localhost/", "refused: internal host"),
        ("file:///etc/passwd", "refused: only http and https"),
        ("gopher://example.org/", "refused: only http and https"),
    ],
)
async def test_redirect_to_internal_address_is_refused_before_connecting(
    site, fetcher, target, reason
) -> None:
    base, seen = site
    assert await refusal(fetcher, f"{base}/redirect?to={target}") == reason
    assert len(seen) == 1  # only the allowed loopback server was ever asked


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.2/", "http://10.1.2.3/", "http://192.168.0.10/", "http://[fe80::1]/"],
)
async def test_direct_internal_address_is_refused(fetcher, url) -> None:
    assert (await refusal(fetcher, url)).startswith("refused: ")


async def test_name_resolving_to_internal_address_is_refused_after_dns(site) -> None:
    base, seen = site
    port = base.rsplit(":", 1)[1]
    resolver = StaticResolver({"rebind.test": "127.0.0.1", "meta.test": "169.254.169.254"})
    fetcher = SafeFetcher(allowed_hosts=["127.0.0.1"], resolver=resolver, timeout=10)
    try:
        assert await refusal(fetcher, f"http://rebind.test:{port}/page") == (
            "refused: loopback address"
        )
        assert await refusal(fetcher, f"{base}/redirect?to=http://meta.test/") == (
            "refused: cloud metadata address"
        )
    finally:
        await fetcher.close()
    assert resolver.asked == ["rebind.test", "meta.test"]
    assert [r.path for r in seen] == ["/redirect"]


async def test_allowed_name_connects_to_the_address_it_resolved(site) -> None:
    base, _ = site
    port = base.rsplit(":", 1)[1]
    resolver = StaticResolver({"news.test": "127.0.0.1"})
    fetcher = SafeFetcher(allowed_hosts=["news.test"], resolver=resolver, timeout=10)
    try:
        page = await fetcher.fetch(f"http://news.test:{port}/page")
    finally:
        await fetcher.close()
    assert page is not None
    assert page.text == HTML


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
        ("168.63.129.16", "refused: cloud metadata address"),
        ("100.64.0.1", "refused: shared address"),
        ("64:ff9b::a00:1", "refused: private address"),
        ("64:ff9b::808:808", None),
        ("::ffff:127.0.0.1", "refused: loopback address"),
        ("192.0.2.1", "refused: private address"),
        ("224.0.0.1", "refused: multicast address"),
        ("240.0.0.1", "refused: reserved address"),
        ("2002:7f00:0001::", "refused: loopback address"),
    ],
)
def test_address_refusal(address, expected) -> None:
    assert address_refusal(ipaddress.ip_address(address)) == expected
