"""Which hosts and addresses the fetcher may reach, judged on the client's own reading of a URL."""

from __future__ import annotations

import ipaddress
import re
import socket

from yarl import URL

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

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
METADATA_NAMES = frozenset({"metadata.google.internal", "metadata", "instance-data"})
_SHARED = ipaddress.ip_network("100.64.0.0/10")
# NAT64 prefixes: the last 32 bits are an IPv4 address a translator would connect to.
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
# What the system resolver reads as an IPv4 literal: decimal, octal, hex and short forms.
_LEGACY_IPV4 = re.compile(r"[0-9a-fx.]+")


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, NAT64, Teredo), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in net for net in _NAT64):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.teredo is not None:
        return address.teredo[1]
    return None


def address_refusal(address: Address) -> str | None:
    """Why an address must not be fetched from ("refused: private address"), or None if public."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return address_refusal(embedded)
    if address in _METADATA:
        return "refused: cloud metadata address"
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("shared", address in _SHARED),
        ("private", address.is_private),
        ("non-public", not address.is_global),
    )
    for name, hit in checks:
        if hit:
            return f"refused: {name} address"
    return None


def literal_address(host: str) -> Address | None:
    """The address a host names by itself, in any spelling the system resolver accepts."""
    bare = host.split("%", 1)[0]
    try:
        return ipaddress.ip_address(bare)
    except ValueError:
        pass
    if _LEGACY_IPV4.fullmatch(bare) and bare[0].isdigit():
        try:
            return ipaddress.IPv4Address(socket.inet_aton(bare))
        except OSError:
            return None
    return None


def client_host(url: URL) -> str:
    """The host as the HTTP client connects to it: IDNA/NFKC, lower case, no trailing dot."""
    return (url.host or "").rstrip(".").lower()


def config_host(host: str) -> str:
    """A host named in the configuration, read the same way as a host in a URL."""
    spelled = host.strip()
    if ":" in spelled and not spelled.startswith("["):
        spelled = f"[{spelled}]"
    try:
        return client_host(URL(f"http://{spelled}/"))
    except ValueError:
        return spelled.strip("[]").rstrip(".").lower()


def host_refusal(host: str) -> str | None:
    """Why a host (already read by client_host) must not be fetched from, before any DNS."""
    if host in METADATA_NAMES or host == "localhost" or host.endswith(".localhost"):
        return "refused: internal host"
    address = literal_address(host)
    if address is not None:
        return address_refusal(address)
    return None
