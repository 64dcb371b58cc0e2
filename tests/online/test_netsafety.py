from __future__ import annotations

import asyncio
import ipaddress
import socket

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readme_tools.online.netsafety import (
    AddressPolicy,
    HostNotFound,
    Refused,
    ResolutionFailed,
    classify_address,
    parse_ip_host,
    parse_ipv4_like,
    vet_host,
)

from .fakes import fake_resolver

METADATA = ipaddress.IPv4Address("169.254.169.254")


@pytest.mark.parametrize(
    "host",
    [
        "169.254.169.254",
        "0xA9FEA9FE",
        "0xa9fea9fe",
        "2852039166",
        "0251.0376.0251.0376",
        "0xA9.0xFE.0xA9.0xFE",
        "169.254.43518",  # a.b.c: last part fills 16 bits
        "169.16689662",  # a.b: last part fills 24 bits
        "0251.254.169.254",
        "169.254.169.254.",  # trailing dot
    ],
)
def test_odd_ipv4_forms_parse_like_inet_aton(host: str) -> None:
    assert parse_ipv4_like(host) == METADATA
    # And agree with the C library where it accepts the form.
    if not host.endswith("."):
        assert socket.inet_aton(host) == METADATA.packed


@pytest.mark.parametrize(
    "host", ["example.com", "arxiv.org", "1.example", "a0x1", "xn--bcher-kva.de"]
)
def test_domain_names_are_not_ipv4(host: str) -> None:
    assert parse_ipv4_like(host) is None


@pytest.mark.parametrize(
    "host", ["256.1.1.1", "1.2.3.4.5", "08.1.1.1", "1..2.3", "4294967296", "1.2.65536", "0x1g.1"]
)
def test_invalid_numeric_hosts_are_refused_not_resolved(host: str) -> None:
    with pytest.raises(Refused):
        parse_ipv4_like(host)


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_every_32_bit_number_roundtrips(value: int) -> None:
    ip = ipaddress.IPv4Address(value)
    assert parse_ipv4_like(str(value)) == ip
    assert parse_ipv4_like(hex(value)) == ip
    assert parse_ipv4_like(".".join(oct(b).replace("0o", "0") for b in ip.packed)) == ip


@pytest.mark.parametrize(
    ("address", "category"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("100.64.0.1", "CGNAT"),
        ("100.127.255.254", "CGNAT"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("0.0.0.0", "unspecified"),
        ("192.0.2.10", "private"),  # documentation
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("fec0::1", "site-local"),
        ("ff02::1", "multicast"),
        ("::ffff:169.254.169.254", "link-local"),
        ("::ffff:127.0.0.1", "loopback"),
        ("64:ff9b::a9fe:a9fe", "link-local"),
        ("64:ff9b::7f00:1", "loopback"),
        ("64:ff9b:1::1", "local-use NAT64"),
        ("2002:a9fe:a9fe::1", "link-local"),  # 6to4 of 169.254.169.254
        ("2001:db8::1", "private"),  # documentation
    ],
)
def test_internal_addresses_are_classified(address: str, category: str) -> None:
    found = classify_address(ipaddress.ip_address(address))
    assert found is not None and found[0] == category


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "151.101.1.69", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]
)
def test_public_addresses_pass(address: str) -> None:
    assert classify_address(ipaddress.ip_address(address)) is None


def test_embedded_forms_name_the_inner_address() -> None:
    policy = AddressPolicy()
    reason = policy.refusal(ipaddress.ip_address("::ffff:a9fe:a9fe"), 80)
    assert reason is not None
    assert "IPv4-mapped" in reason and "169.254.169.254" in reason and "link-local" in reason
    reason = policy.refusal(ipaddress.ip_address("64:ff9b::a9fe:a9fe"), 80)
    assert reason is not None and "NAT64" in reason and "169.254.169.254" in reason


def test_ipv6_literals_with_brackets_and_zones() -> None:
    assert parse_ip_host("[::ffff:169.254.169.254]") == ipaddress.ip_address("::ffff:a9fe:a9fe")
    with pytest.raises(Refused, match="scoped"):
        parse_ip_host("fe80::1%eth0")
    with pytest.raises(Refused):
        parse_ip_host("[1:2:3]")


def test_allow_private_still_refuses_nonsense_targets() -> None:
    policy = AddressPolicy.build(allow_private=True)
    assert policy.refusal(ipaddress.ip_address("127.0.0.1"), 80) is None
    assert policy.refusal(ipaddress.ip_address("10.0.0.1"), 80) is None
    assert policy.refusal(ipaddress.ip_address("100.64.0.1"), 80) is None
    assert policy.refusal(ipaddress.ip_address("0.0.0.0"), 80) is not None
    assert policy.refusal(ipaddress.ip_address("224.0.0.1"), 80) is not None
    assert policy.refusal(ipaddress.ip_address("240.0.0.1"), 80) is not None


def test_allow_list_is_exact_about_address_and_port() -> None:
    policy = AddressPolicy.build(False, ["127.0.0.1:8080", "[::1]:9000", "10.0.0.7"])
    assert policy.refusal(ipaddress.ip_address("127.0.0.1"), 8080) is None
    assert policy.refusal(ipaddress.ip_address("127.0.0.1"), 8081) is not None
    assert policy.refusal(ipaddress.ip_address("127.0.0.2"), 8080) is not None
    assert policy.refusal(ipaddress.ip_address("::1"), 9000) is None
    assert policy.refusal(ipaddress.ip_address("10.0.0.7"), 1234) is None
    with pytest.raises(ValueError):
        AddressPolicy.build(False, ["not-an-address:80"])


def _vet(host: str, names: dict[str, list[str]] | None = None) -> list[object]:
    resolver = fake_resolver(names or {})
    return list(asyncio.run(vet_host(host, 80, AddressPolicy(), resolver)))


def test_vet_host_refuses_names_resolving_to_private_addresses() -> None:
    with pytest.raises(Refused, match=r"intranet\.example resolves to 10\.0\.0\.5 is a private"):
        _vet("intranet.example", {"intranet.example": ["10.0.0.5"]})
    # One bad address among good ones refuses the host.
    with pytest.raises(Refused, match=r"169\.254\.169\.254"):
        _vet("mixed.example", {"mixed.example": ["93.184.215.14", "169.254.169.254"]})
    assert _vet("public.example", {"public.example": ["93.184.215.14"]}) == [
        ipaddress.ip_address("93.184.215.14")
    ]


def test_vet_host_says_how_an_odd_literal_was_written() -> None:
    with pytest.raises(
        Refused, match=r"169\.254\.169\.254 is a link-local address \(written as 0xa9fea9fe\)"
    ):
        _vet("0xa9fea9fe")


def test_vet_host_distinguishes_nxdomain_from_temporary_failures() -> None:
    with pytest.raises(HostNotFound):
        _vet("nope.example")

    async def flaky(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    with pytest.raises(ResolutionFailed):
        asyncio.run(vet_host("x.example", 80, AddressPolicy(), flaky))
