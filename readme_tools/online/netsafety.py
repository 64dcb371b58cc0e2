"""Address policy for the online checks: which hosts we are willing to connect to.

A paper list is untrusted input: anyone can open a pull request that adds
``[Paper](http://169.254.169.254/latest/meta-data/)`` and let a CI job with
``--online`` fetch it.  Every host the checker is about to contact — the link
itself, every redirect hop, the arXiv and GitHub API endpoints — goes through
:func:`vet_host` first:

* IP literals are parsed the way browsers and ``inet_aton`` do, so the odd
  IPv4 spellings ``0xA9FEA9FE``, ``2852039166``, ``0251.0376.0251.0376`` and
  ``169.254.43518`` all mean 169.254.169.254 (:func:`parse_ip_host`).
* Host names are resolved, and *every* returned address must pass; one bad
  address refuses the host.
* An address is refused when it is loopback, private (RFC 1918, ULA, ...),
  link-local, CGNAT (100.64/10), multicast, reserved, unspecified, scoped, or
  not globally routable — including those addresses wrapped in IPv4-mapped
  (``::ffff:a.b.c.d``), NAT64 (``64:ff9b::/96``, ``64:ff9b:1::/48``) and 6to4
  (``2002::/16``) IPv6 forms (:func:`classify_address`).

The vetted addresses are what the HTTP layer connects to (its resolver returns
them and nothing else), so a second DNS answer cannot rebind the name to an
internal address between the check and the connection.

:class:`AddressPolicy` carries the two escape hatches: ``allow_private`` (for
intranet lists; it still refuses unspecified, multicast, reserved and scoped
addresses, which are never a sensible link target) and an exact allow-list of
``address[:port]`` entries (tests admit only their own ``127.0.0.1:PORT``).

This module is pure standard library; it never imports the HTTP client.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: ``(host, port) -> addresses``; the default asks the system resolver.
#: Tests inject their own to map made-up names to 127.0.0.1 or to private addresses.
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]

_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")

#: Categories that ``allow_private`` admits.  Everything else that
#: :func:`classify_address` reports stays refused.
PRIVATE_CATEGORIES = frozenset(
    {
        "loopback",
        "private",
        "link-local",
        "CGNAT",
        "site-local",
        "local-use NAT64",
        "not globally routable",
    }
)

_HEX_PART = re.compile(r"0[xX][0-9a-fA-F]*")
_OCT_PART = re.compile(r"0[0-7]*")
_DEC_PART = re.compile(r"[0-9]+")


class Refused(Exception):
    """The host or address is not one we connect to; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class HostNotFound(Exception):
    """The name does not exist (NXDOMAIN / no address): a dead link."""


class ResolutionFailed(Exception):
    """Resolution failed in a way that may be temporary (SERVFAIL, timeout)."""


def _ends_in_number(parts: list[str]) -> bool:
    last = parts[-1]
    return bool(_DEC_PART.fullmatch(last) or _HEX_PART.fullmatch(last))


def _parse_ipv4_part(part: str) -> int:
    if _HEX_PART.fullmatch(part):
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        if _OCT_PART.fullmatch(part):
            return int(part, 8)
    elif _DEC_PART.fullmatch(part):
        return int(part, 10)
    raise Refused(f"invalid IPv4 address form {part!r}")


def parse_ipv4_like(host: str) -> ipaddress.IPv4Address | None:
    """Parse ``host`` with the WHATWG URL IPv4 parser (``inet_aton`` semantics).

    Returns ``None`` when ``host`` is a domain name; raises :class:`Refused`
    when it ends in a number but is not a valid address (browsers fail such
    URLs instead of resolving them).  Accepts 1–4 parts, each decimal, octal
    (leading ``0``) or hex (``0x``); the last part fills the remaining bytes.
    """
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    if not parts or not _ends_in_number(parts):
        return None
    if len(parts) > 4 or "" in parts:
        raise Refused(f"invalid IPv4 address form {host!r}")
    numbers = [_parse_ipv4_part(p) for p in parts]
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise Refused(f"IPv4 address out of range: {host!r}")
    value = numbers[-1]
    for i, n in enumerate(numbers[:-1]):
        value += n << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


def parse_ip_host(host: str) -> IPAddress | None:
    """The address ``host`` denotes if it is an IP literal, else ``None``.

    ``host`` is the URL's host as the HTTP client sees it (IPv6 with or without
    brackets).  Zone identifiers (``fe80::1%eth0``) are refused outright.
    """
    h = host.strip()
    if h.startswith("[") and h.endswith("]"):
        h = h[1:-1]
    if ":" in h:
        if "%" in h:
            raise Refused(f"scoped IPv6 address {host!r}")
        try:
            return ipaddress.IPv6Address(h)
        except ValueError:
            raise Refused(f"invalid IPv6 address {host!r}") from None
    return parse_ipv4_like(h)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> tuple[str, ipaddress.IPv4Address] | None:
    if ip.ipv4_mapped is not None:
        return "IPv4-mapped", ip.ipv4_mapped
    if ip in _NAT64:
        return "NAT64", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return "6to4", ip.sixtofour
    return None


def classify_address(ip: IPAddress) -> tuple[str, str] | None:
    """``(category, what it is)`` for an address we refuse, ``None`` if public.

    ``category`` is one of the names in :data:`PRIVATE_CATEGORIES` or
    ``unspecified``/``multicast``/``reserved``/``scoped``; the second item is a
    phrase such as ``"a link-local address"`` for messages.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return "scoped", "a scoped IPv6 address"
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            form, inner = embedded
            found = classify_address(inner)
            if found is None:
                return None
            return found[0], f"the {form} form of {inner}, {found[1]}"
        if ip in _NAT64_LOCAL:
            return "local-use NAT64", "a local-use NAT64 address"
    if ip.is_unspecified:
        return "unspecified", "the unspecified address"
    if ip.is_loopback:
        return "loopback", "a loopback address"
    if ip.is_link_local:
        return "link-local", "a link-local address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "CGNAT", "a CGNAT (100.64.0.0/10 shared) address"
    if ip.is_multicast:
        return "multicast", "a multicast address"
    if ip.is_reserved:
        return "reserved", "a reserved address"
    if ip.is_private:
        return "private", "a private address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "site-local", "a site-local address"
    if not ip.is_global:
        return "not globally routable", "not a globally routable address"
    return None


def _parse_allow_entry(entry: str) -> tuple[IPAddress, int | None]:
    text = entry.strip()
    m = re.fullmatch(r"\[([^\]]+)\](?::(\d+))?", text)
    if m:
        return ipaddress.IPv6Address(m.group(1)), int(m.group(2)) if m.group(2) else None
    if text.count(":") == 1:
        addr, port = text.split(":")
        return ipaddress.IPv4Address(addr), int(port)
    return ipaddress.ip_address(text), None


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses we connect to.  See the module docstring."""

    allow_private: bool = False
    allowed: frozenset[tuple[IPAddress, int | None]] = frozenset()

    @classmethod
    def build(cls, allow_private: bool, allow: Iterable[str] = ()) -> AddressPolicy:
        """``allow`` entries look like ``127.0.0.1:8080``, ``[::1]:8080`` or ``10.0.0.7``."""
        try:
            allowed = frozenset(_parse_allow_entry(e) for e in allow)
        except ValueError as exc:
            raise ValueError(f"invalid allow-list entry: {exc}") from None
        return cls(allow_private=allow_private, allowed=allowed)

    def refusal(self, ip: IPAddress, port: int) -> str | None:
        """Why connecting to ``ip:port`` is refused, or ``None`` if it is fine."""
        if (ip, port) in self.allowed or (ip, None) in self.allowed:
            return None
        found = classify_address(ip)
        if found is None:
            return None
        category, what = found
        if self.allow_private and category in PRIVATE_CATEGORIES:
            return None
        return f"{ip} is {what}"


async def system_resolver(host: str, port: int) -> list[str]:
    """Resolve with the event loop's ``getaddrinfo`` (TCP only)."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


_NOT_FOUND_CODES = {
    code
    for name in ("EAI_NONAME", "EAI_NODATA", "EAI_ADDRFAMILY")
    if (code := getattr(socket, name, None)) is not None
}


def normalise_host(host: str) -> str:
    """The key we vet and look up a host under: lower case, no trailing dots."""
    return host.rstrip(".").lower()


async def vet_host(
    host: str, port: int, policy: AddressPolicy, resolver: Resolver | None = None
) -> list[IPAddress]:
    """Return the addresses we may connect to for ``host:port``.

    Raises :class:`Refused` (unsafe address, with the reason),
    :class:`HostNotFound` (the name does not exist) or
    :class:`ResolutionFailed` (possibly temporary resolver error).
    """
    literal = parse_ip_host(host)
    if literal is not None:
        addresses: list[IPAddress] = [literal]
    else:
        name = normalise_host(host)
        if not name:
            raise Refused("empty host name")
        try:
            raw = await (resolver or system_resolver)(name, port)
        except socket.gaierror as exc:
            if exc.errno in _NOT_FOUND_CODES:
                raise HostNotFound(f"{name}: {exc.strerror or exc}") from None
            raise ResolutionFailed(f"{name}: {exc.strerror or exc}") from None
        except OSError as exc:
            raise ResolutionFailed(f"{name}: {exc}") from None
        if not raw:
            raise HostNotFound(f"{name}: no addresses")
        addresses = []
        for text in raw:
            try:
                addresses.append(ipaddress.ip_address(text))
            except ValueError:
                raise Refused(f"{name} resolves to unusable address {text!r}") from None
    for ip in addresses:
        reason = policy.refusal(ip, port)
        if reason is not None:
            if literal is not None and host.strip("[]").lower() != str(ip):
                reason = f"{reason} (written as {host})"
            elif literal is None:
                reason = f"{normalise_host(host)} resolves to {reason}"
            raise Refused(reason)
    return addresses
