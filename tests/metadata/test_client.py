"""The clients against the fake servers: pacing, Retry-After, quotas, batching, secrets, safety."""

from __future__ import annotations

import asyncio
import itertools
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest

from readme_tools.identifiers import Identifier
from readme_tools.metadata.context import settings_from_online
from readme_tools.metadata.settings import MetadataSettings
from readme_tools.metadata.sync import Gathered, gather
from readme_tools.metadata.targets import PaperTarget
from readme_tools.online import OnlineSettings

from ..online.fakes import ServerThread, github_app
from .conftest import fast_settings
from .fakes import PEAK, FakeData, fixture_data, metadata_app, requests_of

IDS = ["2305.10001", "2310.20002", "2303.40004", "2306.60006", "2403.90009"]


def _papers(ids: list[str] = IDS) -> list[PaperTarget]:
    data = fixture_data()
    return [
        PaperTarget((Identifier("arxiv", i),), data.arxiv.get(i, {}).get("title", f"Paper {i}"))
        for i in ids
    ]


def _repos(*names: str) -> list[Identifier]:
    return [Identifier("github", n) for n in names]


def _gather(
    settings: MetadataSettings,
    papers: list[PaperTarget] | None = None,
    repos: list[Identifier] | None = None,
) -> Gathered:
    return asyncio.run(gather(papers if papers is not None else _papers(), repos or [], settings))


def test_every_source_is_paced_and_one_request_at_a_time(server: ServerThread) -> None:
    settings = fast_settings(server, rate_scale=0.025)  # dblp 2 s -> 50 ms, GitHub 67 -> 1.7 ms
    _gather(settings, repos=_repos("sparsevt/sparsevt", "quietlab/quietnet", "oldnet-lab/oldnet"))
    log = requests_of(server)
    starts = [t for t, _ in log["dblp"]]
    assert len(starts) == 3  # the papers stage 1 found nothing published for
    assert all(b - a >= 0.045 for a, b in itertools.pairwise(starts))
    assert all(n == 1 for n in server.app[PEAK].values())


def test_semantic_scholar_is_asked_in_batches_of_500() -> None:
    many = [f"2401.{i:05d}" for i in range(1, 1201)]
    with ServerThread(metadata_app(FakeData())) as srv:
        found = _gather(fast_settings(srv, sources=("s2",)), _papers(many))
        posts = requests_of(srv)["s2"]
    assert len(posts) == 3  # 500 + 500 + 200
    assert all(found.found[(f"arxiv:{i}", "s2")].found is False for i in many)


def test_a_batch_refused_for_one_bad_id_is_split_until_it_stands_alone() -> None:
    data = fixture_data()
    with ServerThread(metadata_app(data, s2_reject=frozenset({"ARXIV:2306.60006"}))) as srv:
        found = _gather(fast_settings(srv, sources=("s2",)))
        posts = len(requests_of(srv)["s2"])
    assert found.found[("arxiv:2306.60006", "s2")].found is False
    assert found.found[("arxiv:2305.10001", "s2")].external_ids["DBLP"] == "conf/nips/ChenLW23"
    # [5 ids] 400 -> [2] ok, [3] 400 -> [1] ok, [2] 400 -> [1] 400 (not found), [1] ok
    assert posts == 7


def test_retry_after_is_honoured() -> None:
    with ServerThread(metadata_app(fixture_data(), throttle={"s2": 1}, retry_after="1")) as srv:
        start = time.monotonic()
        found = _gather(fast_settings(srv, sources=("s2",)))
        elapsed = time.monotonic() - start
        posts = requests_of(srv)["s2"]
    assert not found.failed
    assert len(posts) == 2
    assert posts[1][0] - posts[0][0] >= 0.95 and elapsed >= 0.95


def test_a_retry_after_longer_than_the_cap_gives_up() -> None:
    with ServerThread(metadata_app(fixture_data(), throttle={"s2": 9}, retry_after="3600")) as srv:
        found = _gather(fast_settings(srv, sources=("s2",), retry_after_cap=5.0))
        assert len(requests_of(srv)["s2"]) == 1
    assert set(found.failed["s2"]) == {f"arxiv:{i}" for i in IDS}
    assert "asked to wait 3600 s" in next(iter(found.failed["s2"].values()))


def test_github_quota_used_up_stops_with_advice() -> None:
    names = ["sparsevt/sparsevt", "quietlab/quietnet", "oldnet-lab/oldnet", "someone/coming-soon"]
    with ServerThread(metadata_app(fixture_data(), github_quota=2)) as srv:
        found = _gather(fast_settings(srv, sources=("github",)), [], _repos(*names))
        asked = len(requests_of(srv)["github"])
    assert asked == 2  # the second answer says no request is left: the rest are never sent
    assert [k for k in found.failed["github"]] == [
        "github:oldnet-lab/oldnet",
        "github:someone/coming-soon",
    ]
    assert "set GITHUB_TOKEN" in found.failed["github"]["github:oldnet-lab/oldnet"]


# ------------------------------------------------------------------------------ secrets


def _authorized(srv: ServerThread) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for seen in srv.requests:
        source = seen.path_qs.split("/")[1]
        out[source] = (
            out.get(source, False) or "Authorization" in seen.headers or "x-api-key" in seen.headers
        )
    return out


def test_the_token_goes_to_the_github_api_the_user_named_and_nowhere_else(
    server: ServerThread,
) -> None:
    settings = fast_settings(server, github_token="ghp_secret", s2_api_key="s2-secret")
    _gather(settings, repos=_repos("sparsevt/sparsevt", "jdoe/moved-repo"))
    seen = _authorized(server)
    assert seen["github"] is True
    assert seen["arxiv"] is False and seen["dblp"] is False and seen["crossref"] is False
    # the S2 key goes to the S2 endpoint the user named (the same server here), as x-api-key
    s2 = [r for r in server.requests if r.path_qs.startswith("/s2/")]
    assert s2 and all(r.headers.get("x-api-key") == "s2-secret" for r in s2)
    assert all(
        "x-api-key" not in r.headers for r in server.requests if not r.path_qs.startswith("/s2/")
    )


def test_no_token_for_a_github_api_the_user_did_not_name(
    server: ServerThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``readme-lint --online``: the GitHub endpoint may come from a repository's config; the
    token's admissible hosts come from the environment only."""
    for var in ("README_TOOLS_GITHUB_API", "README_TOOLS_ARXIV_API"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secret")
    online = OnlineSettings(github_api=server.url("/github"), allow_addresses=(server.address,))
    settings = settings_from_online(online).replace(sources=("github",), rate_scale=0.001)
    _gather(settings, [], _repos("sparsevt/sparsevt"))
    assert _authorized(server) == {"github": False}
    monkeypatch.setenv("README_TOOLS_GITHUB_API", server.url("/github"))  # now the user names it
    settings = settings_from_online(online).replace(sources=("github",), rate_scale=0.001)
    _gather(settings, [], _repos("sparsevt/sparsevt"))
    assert _authorized(server) == {"github": True}


def test_the_token_does_not_follow_a_redirect_to_another_origin(server: ServerThread) -> None:
    target = server.url("/github/repos/sparsevt/sparsevt")
    with ServerThread(github_app([], moved={"a/b": target})) as api:
        settings = fast_settings(
            server, github_api=api.url(""), github_token="ghp_secret", sources=("github",),
            allow_addresses=(server.address, api.address),
        )  # fmt: skip
        found = _gather(settings, [], _repos("a/b"))
        assert "Authorization" in api.requests[0].headers
    assert found.found[("github:a/b", "github")].full_name == "sparsevt/sparsevt"
    assert _authorized(server) == {"github": False}


# ------------------------------------------------------------------------------- safety


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    seen: list[Any] = []
    original = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        seen.append(address)
        original(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    yield seen


def test_a_loopback_endpoint_is_refused_without_permission(
    server: ServerThread, connections: list[Any]
) -> None:
    settings = fast_settings(server, allow_addresses=())
    found = _gather(settings, repos=_repos("sparsevt/sparsevt"))
    assert requests_of(server) == {}
    assert connections == []
    assert set(found.failed) == {"arxiv", "s2", "github", "dblp"}
    assert all("loopback" in r for f in found.failed.values() for r in f.values())


def test_a_redirect_to_an_internal_address_is_refused(
    server: ServerThread, connections: list[Any]
) -> None:
    with ServerThread(
        github_app([], moved={"a/b": "http://169.254.169.254/latest/meta-data/"})
    ) as api:
        settings = fast_settings(
            server, github_api=api.url(""), sources=("github",), allow_addresses=(api.address,)
        )
        found = _gather(settings, [], _repos("a/b"))
    assert "169.254.169.254 is a link-local address" in found.failed["github"]["github:a/b"]
    assert all(addr[0] != "169.254.169.254" for addr in connections)


def test_answers_are_bounded(server: ServerThread) -> None:
    found = _gather(fast_settings(server, sources=("s2",), max_bytes=200))
    assert set(found.failed["s2"]) == {f"arxiv:{i}" for i in IDS}
    assert "larger than 200 bytes" in next(iter(found.failed["s2"].values()))


def test_the_time_budget_is_kept() -> None:
    with ServerThread(metadata_app(fixture_data(), latency=0.3)) as srv:
        start = time.monotonic()
        found = _gather(fast_settings(srv, sources=("dblp",), budget=0.5, rate_scale=1.0))
        elapsed = time.monotonic() - start
    assert elapsed < 2.0
    assert found.failed["dblp"] and "budget" in next(iter(found.failed["dblp"].values()))


def test_an_unknown_host_fails_the_source_at_once() -> None:
    async def nowhere(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    settings = MetadataSettings(resolver=nowhere, sources=("github",))
    found = _gather(settings, [], _repos("a/b", "c/d"))
    assert set(found.failed["github"]) == {"github:a/b", "github:c/d"}


def test_progress_reaches_the_total(server: ServerThread) -> None:
    calls: list[tuple[int, int]] = []
    asyncio.run(
        gather(
            _papers(),
            _repos("sparsevt/sparsevt"),
            fast_settings(server),
            progress=lambda d, t: calls.append((d, t)),
        )
    )
    assert calls and calls[-1][0] == calls[-1][1]
    assert all(d <= t for d, t in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_a_second_run_is_answered_from_the_cache(server: ServerThread, tmp_path: Any) -> None:
    from readme_tools.metadata.sync import open_metadata_cache

    settings = fast_settings(server, use_cache=True, cache_path=tmp_path / "metadata.json")
    repos = _repos("sparsevt/sparsevt", "jdoe/moved-repo")
    first = asyncio.run(gather(_papers(), repos, settings, open_metadata_cache(settings)))
    asked = sum(len(v) for v in requests_of(server).values())
    assert asked and first.cached == 0
    second = asyncio.run(gather(_papers(), repos, settings, open_metadata_cache(settings)))
    assert sum(len(v) for v in requests_of(server).values()) == asked  # nothing new was sent
    assert second.found == first.found
    assert second.sent == {} or sum(second.sent.values()) == 0
    assert second.cached == len(first.found)
