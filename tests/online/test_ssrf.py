"""Links must never make the checker connect to internal addresses."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from readme_tools.online import check_links

from .conftest import fast_settings
from .fakes import ServerThread, fake_resolver

NAMES = {
    "public.example": ["127.0.0.1"],  # stands in for a public host; admitted by the allow-list
    "metadata.example": ["169.254.169.254"],
    "intranet.example": ["10.0.0.5"],
    "cgnat.example": ["100.64.1.1"],
    "localhost": ["127.0.0.1"],
    "v6.example": ["::ffff:169.254.169.254"],
}


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every address a socket of this process tries to connect to."""
    seen: list[Any] = []
    original = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        seen.append(address)
        original(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    yield seen


def _settings(server: ServerThread, **kw: Any) -> Any:
    return fast_settings(server, resolver=fake_resolver(NAMES), **kw)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://0xA9FEA9FE/latest/meta-data/", "169.254.169.254 is a link-local"),
        ("http://2852039166/", "169.254.169.254 is a link-local"),
        ("http://0251.0376.0251.0376/", "169.254.169.254 is a link-local"),
        ("http://169.254.43518/", "169.254.169.254 is a link-local"),
        ("http://[::ffff:169.254.169.254]/", "IPv4-mapped form of 169.254.169.254"),
        ("http://[64:ff9b::a9fe:a9fe]/", "NAT64 form of 169.254.169.254"),
        ("http://[::1]/", "loopback"),
        ("http://[fe80::1%25eth0]/", "scoped"),
        ("https://metadata.example/latest", "metadata.example resolves to 169.254.169.254"),
        ("http://intranet.example/wiki", "intranet.example resolves to 10.0.0.5 is a private"),
        ("http://cgnat.example/", "CGNAT"),
        ("http://v6.example/", "IPv4-mapped form of 169.254.169.254"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
    ],
)
def test_internal_targets_are_refused_without_connecting(
    link_server: ServerThread, connections: list[Any], url: str, reason: str
) -> None:
    result = check_links([url], _settings(link_server))[url]
    assert result.status == "refused"
    assert reason in result.reason
    assert connections == []


def test_loopback_on_another_port_is_refused(
    link_server: ServerThread, other_server: ServerThread, connections: list[Any]
) -> None:
    urls = [other_server.url("/ok"), other_server.url("/ok", host="localhost")]
    results = check_links(urls, _settings(link_server))
    assert [r.status for r in results.values()] == ["refused", "refused"]
    assert all("127.0.0.1 is a loopback address" in r.reason for r in results.values())
    assert other_server.requests == []
    assert connections == []


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/iam/",
        "http://0x7f000001:{other}/ok",
        "http://[::ffff:127.0.0.1]:{other}/ok",
        "http://intranet.example/",
        "http://localhost:{other}/ok",
    ],
)
def test_redirects_to_internal_targets_are_refused(
    link_server: ServerThread, other_server: ServerThread, connections: list[Any], target: str
) -> None:
    target = target.format(other=other_server.port)
    url = link_server.url(f"/to?url={target}", host="public.example")
    result = check_links([url], _settings(link_server))[url]
    assert result.status == "refused"
    assert result.reason.startswith("redirected to ")
    assert "which is refused" in result.reason
    assert link_server.seen("/to")  # the public hop was checked ...
    assert other_server.requests == []  # ... the internal one never contacted
    assert {addr[1] for addr in connections} == {link_server.port}


def test_redirect_to_other_port_server_sees_nothing(
    link_server: ServerThread, other_server: ServerThread
) -> None:
    url = link_server.url("/redirect-other-port", host="public.example")
    result = check_links([url], _settings(link_server))[url]
    assert result.status == "refused"
    assert other_server.requests == []


def test_allowed_public_host_works(link_server: ServerThread) -> None:
    url = link_server.url("/redirect", host="public.example")
    result = check_links([url], _settings(link_server))[url]
    assert result.status == "ok"


def test_allow_private_admits_intranet_targets(other_server: ServerThread) -> None:
    url = other_server.url("/ok")
    settings = fast_settings(resolver=fake_resolver({}), allow_private=True)
    assert check_links([url], settings)[url].status == "ok"
    assert len(other_server.requests) == 1


def test_each_host_is_resolved_once_and_connections_use_the_vetted_address(
    link_server: ServerThread, connections: list[Any]
) -> None:
    answers = iter([["127.0.0.1"], ["169.254.169.254"], ["169.254.169.254"]])
    calls: list[str] = []

    async def rebinding(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers)

    urls = [link_server.url(f"/status/200?{i}", host="rebind.example") for i in range(4)]
    urls.append(link_server.url("/redirect", host="rebind.example"))
    results = check_links(urls, fast_settings(link_server, resolver=rebinding))
    assert all(r.status == "ok" for r in results.values())
    assert calls == ["rebind.example"]
    assert {addr[0] for addr in connections} == {"127.0.0.1"}


def test_http_layer_never_resolves_unvetted_names() -> None:
    from readme_tools.online._http import VettedResolver

    with pytest.raises(OSError, match="not vetted"):
        asyncio.run(VettedResolver().resolve("example.org", 443))
