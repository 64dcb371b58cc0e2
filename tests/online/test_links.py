from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from readme_tools.online import check_links

from .conftest import fast_settings
from .fakes import STATS, ServerThread, fake_resolver, github_app, link_app


def test_ok_uses_head_only(link_server: ServerThread) -> None:
    url = link_server.url("/ok")
    result = check_links([url], fast_settings(link_server))[url]
    assert (result.status, result.code, result.final_url) == ("ok", 200, None)
    assert [r.method for r in link_server.seen("/ok")] == ["HEAD"]


def test_redirect_is_followed_and_reported(link_server: ServerThread) -> None:
    url = link_server.url("/redirect")
    result = check_links([url], fast_settings(link_server))[url]
    assert result.status == "ok"
    assert result.final_url == link_server.url("/ok")


@pytest.mark.parametrize("code", [404, 410])
def test_404_and_410_are_dead_after_a_get(link_server: ServerThread, code: int) -> None:
    url = link_server.url(f"/status/{code}")
    result = check_links([url], fast_settings(link_server))[url]
    assert (result.status, result.code) == ("dead", code)
    # HEAD is not trusted alone: GET confirms.
    assert [r.method for r in link_server.seen(f"/status/{code}")] == ["HEAD", "GET"]


def test_unknown_host_is_dead() -> None:
    url = "http://no-such-host.example/paper"
    result = check_links([url], fast_settings())[url]
    assert result.status == "dead"
    assert "host not found" in result.reason


def test_429_honours_retry_after(link_server: ServerThread) -> None:
    url = link_server.url("/rate-limited?ra=1")
    start = time.monotonic()
    result = check_links([url], fast_settings(link_server))[url]
    elapsed = time.monotonic() - start
    assert result.status == "ok"
    assert elapsed >= 0.95
    # 429 is retried, not "confirmed" with an immediate GET.
    assert [r.method for r in link_server.seen("/rate-limited")] == ["HEAD", "HEAD"]


def test_retry_after_is_capped(link_server: ServerThread) -> None:
    url = link_server.url("/rate-limited?ra=3600")
    start = time.monotonic()
    result = check_links([url], fast_settings(link_server, retry_after_cap=0.3))[url]
    assert result.status == "ok"
    assert time.monotonic() - start < 3


def test_500_then_200_is_retried_to_ok(link_server: ServerThread) -> None:
    url = link_server.url("/flaky?fail=2")
    result = check_links([url], fast_settings(link_server))[url]
    assert result.status == "ok"
    # HEAD 500, GET 500 -> back off -> HEAD 200.
    assert [r.method for r in link_server.seen("/flaky")] == ["HEAD", "GET", "HEAD"]


def test_persistent_500_is_unknown_after_bounded_retries(link_server: ServerThread) -> None:
    url = link_server.url("/status/503")
    result = check_links([url], fast_settings(link_server, retries=2))[url]
    assert (result.status, result.code) == ("unknown", 503)
    assert len(link_server.seen("/status/503")) == 3 * 2


def test_slow_server_times_out_as_unknown(link_server: ServerThread) -> None:
    url = link_server.url("/slow?s=5")
    start = time.monotonic()
    result = check_links([url], fast_settings(link_server, request_timeout=0.3, retries=1))[url]
    assert result.status == "unknown"
    assert "timed out" in result.reason
    assert time.monotonic() - start < 2.5


def test_overall_budget_bounds_the_run(link_server: ServerThread) -> None:
    urls = [link_server.url(f"/slow?s=5&n={i}") for i in range(3)]
    start = time.monotonic()
    results = check_links(urls, fast_settings(link_server, budget=0.5))
    assert time.monotonic() - start < 2.5
    assert all(r.status == "unknown" for r in results.values())


def test_huge_body_is_not_downloaded(link_server: ServerThread) -> None:
    ok_url = link_server.url("/huge")
    wall_url = link_server.url("/huge?status=403")
    start = time.monotonic()
    results = check_links([ok_url, wall_url], fast_settings(link_server))
    assert time.monotonic() - start < 5
    assert results[ok_url].status == "ok"
    assert results[wall_url].status == "unknown"
    sent = link_server.app[STATS]["huge_sent"]
    assert sent < 64 * 1024 * 1024, sent  # of 1 GiB on offer; the rest is socket buffers


def test_head_405_falls_back_to_get_and_is_remembered(link_server: ServerThread) -> None:
    urls = [link_server.url("/head-405"), link_server.url("/head-405?second")]
    results = check_links(urls, fast_settings(link_server, per_host_limit=1))
    assert all(r.status == "ok" for r in results.values())
    methods = [r.method for r in link_server.seen("/head-405")]
    assert methods == ["HEAD", "GET", "GET"]


def test_head_lying_404_is_overruled_by_get(link_server: ServerThread) -> None:
    url = link_server.url("/head-404")
    assert check_links([url], fast_settings(link_server))[url].status == "ok"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/cloudflare", "Cloudflare challenge"),
        ("/captcha", "bot wall"),
        ("/status/403", "HTTP 403"),
        ("/status/401", "HTTP 401"),
        ("/status/999", "HTTP 999"),
    ],
)
def test_bot_walls_and_access_denied_are_unknown(
    link_server: ServerThread, path: str, reason: str
) -> None:
    url = link_server.url(path)
    result = check_links([url], fast_settings(link_server))[url]
    assert result.status == "unknown"
    assert reason in result.reason


def test_redirect_limit(link_server: ServerThread) -> None:
    five, six, loop = (link_server.url(p) for p in ("/chain/5", "/chain/6", "/loop"))
    results = check_links([five, six, loop], fast_settings(link_server))
    assert results[five].status == "ok"
    assert results[six].status == "unknown" and "more than 5 redirects" in results[six].reason
    assert results[loop].status == "unknown"
    assert len(link_server.seen("/loop")) <= 2 * 6  # HEAD and GET chains, 6 requests each


def test_redirect_to_other_scheme_is_refused(link_server: ServerThread) -> None:
    url = link_server.url("/bad-scheme")
    result = check_links([url], fast_settings(link_server))[url]
    assert result.status == "refused"
    assert "non-http" in result.reason


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/x", "mailto:someone@example.org", "/relative/path", "file:///etc/passwd"],
)
def test_non_http_urls_are_refused(url: str) -> None:
    assert check_links([url], fast_settings())[url].status == "refused"


def test_credentials_in_url_are_refused(link_server: ServerThread) -> None:
    url = link_server.url("/ok").replace("http://", "http://user:secret@")
    result = check_links([url], fast_settings(link_server))[url]
    assert result.status == "refused"
    assert link_server.seen("/ok") == []


def test_duplicates_and_fragments_are_checked_once(link_server: ServerThread) -> None:
    base = link_server.url("/ok")
    urls = [base, base + "#intro", base + "#method", base]
    results = check_links(urls, fast_settings(link_server))
    assert set(results) == {base, base + "#intro", base + "#method"}
    assert results[base + "#intro"].url == base + "#intro"
    assert all(r.status == "ok" for r in results.values())
    assert len(link_server.seen("/ok")) == 1


def test_progress_reports_every_url(link_server: ServerThread) -> None:
    urls = [link_server.url(f"/status/200?{i}") for i in range(5)]
    calls: list[tuple[int, int]] = []
    check_links(urls, fast_settings(link_server), progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (0, 5)
    assert calls[-1] == (5, 5)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_per_host_limit_and_spacing_are_respected() -> None:
    with ServerThread(link_app(latency=0.2)) as srv:
        names = {"a.test": ["127.0.0.1"], "b.test": ["127.0.0.1"]}
        urls = [srv.url(f"/lat/{i}", host=h) for h in names for i in range(8)]
        settings = fast_settings(
            srv, resolver=fake_resolver(names), per_host_limit=2, per_host_spacing=0.05
        )
        results = check_links(urls, settings)
        assert all(r.status == "ok" for r in results.values())
        assert srv.app[STATS]["max_inflight_per_host"] == 2
        for host in names:
            starts = sorted(r.at for r in srv.requests if r.headers["Host"].startswith(host))
            gaps = [b - a for a, b in itertools.pairwise(starts)]
            assert min(gaps) >= 0.045, gaps


def test_cache_skips_final_results_but_rechecks_unknown(
    link_server: ServerThread, tmp_path: Path
) -> None:
    ok, dead, unknown = (link_server.url(p) for p in ("/ok", "/status/404", "/status/403"))
    settings = fast_settings(link_server, use_cache=True, cache_path=tmp_path / "c.json")
    first = check_links([ok, dead, unknown], settings)
    assert not any(r.cached for r in first.values())
    before = len(link_server.requests)
    second = check_links([ok, dead, unknown], settings)
    assert second[ok].cached and second[ok].status == "ok"
    assert second[dead].cached and second[dead].status == "dead"
    assert not second[unknown].cached
    assert {r.path_qs for r in link_server.requests[before:]} == {"/status/403"}


# ----------------------------------------------------------------------------- GitHub API


@pytest.fixture
def github_api(other_server: ServerThread) -> Iterator[ServerThread]:
    app = github_app(
        ["vbdi/divprune", "codefanw/FlashSloth"],
        moved={"old/name": other_server.url("/ok")},
    )
    with ServerThread(app) as srv:
        yield srv


def test_github_repos_checked_through_the_api_with_token(
    github_api: ServerThread, other_server: ServerThread
) -> None:
    resolver = fake_resolver({})
    settings = fast_settings(
        github_api,
        other_server,
        resolver=resolver,
        github_api=github_api.url(""),
        github_token="t0ken",
    )
    good = "https://github.com/vbdi/divprune"
    good2 = "https://github.com/codefanw/FlashSloth/"
    gone = "https://github.com/nobody/missing"
    moved = "https://github.com/old/name"
    results = check_links([good, good2, gone, moved], settings)
    assert (results[good].status, results[good].via) == ("ok", "github-api")
    assert results[good2].status == "ok"
    assert (results[gone].status, results[gone].code) == ("dead", 404)
    assert "nobody/missing" in results[gone].reason
    # The token went to the API host only ...
    auths = {r.headers.get("Authorization") for r in github_api.requests}
    assert auths == {"Bearer t0ken"}
    # ... not to the redirect target on another origin, and github.com was never contacted.
    assert results[moved].status == "ok"
    assert [r.headers.get("Authorization") for r in other_server.requests] == [None]
    assert "github.com" not in resolver.calls  # type: ignore[attr-defined]


def test_github_deep_links_and_no_token_use_plain_http(github_api: ServerThread) -> None:
    resolver = fake_resolver({})
    deep = "https://github.com/modelscope/data-juicer/tree/ImgDiff"
    topic = "https://github.com/topics/llm"
    repo = "https://github.com/vbdi/divprune"
    with_token = fast_settings(
        github_api, resolver=resolver, github_api=github_api.url(""), github_token="t"
    )
    results = check_links([deep, topic], with_token)
    assert all(r.via == "http" for r in results.values())
    without_token = fast_settings(github_api, resolver=resolver, github_api=github_api.url(""))
    assert check_links([repo], without_token)[repo].via == "http"
    assert github_api.requests == []
