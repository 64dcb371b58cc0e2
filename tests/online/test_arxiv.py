from __future__ import annotations

import itertools
import socket
import time
from pathlib import Path

import pytest

from readme_tools.online import (
    arxiv_id_from_url,
    compare_titles,
    fetch_arxiv,
    fetch_arxiv_detailed,
    parse_arxiv_id,
    venue_year_conflict,
)
from readme_tools.online.arxiv import FeedError, Pacer, parse_feed

from .conftest import fast_settings
from .fakes import FIXTURES, ServerThread, arxiv_app, seed_records

SEED_IDS = [
    "2410.02712", "2408.04594", "2412.04317", "2411.10640v1", "2411.14432", "2411.18203",
    "2410.08202", "2503.02175", "2409.09318", "2411.16863", "2406.12718", "2411.15268v1",
    "2409.17146", "2412.13817", "2407.08706", "2411.16724", "2412.16158", "2406.12275v2",
    "2412.03548", "2412.04424", "2412.00447", "2412.00556", "2412.04467",
]  # fmt: skip


def _api(server: ServerThread) -> str:
    return server.url("/api/query")


# ----------------------------------------------------------------------------- ids


@pytest.mark.parametrize(
    ("text", "base", "version", "year"),
    [
        ("2412.00556", "2412.00556", None, 2024),
        ("2411.10640v1", "2411.10640", 1, 2024),
        ("0704.0001", "0704.0001", None, 2007),
        ("1412.9999v3", "1412.9999", 3, 2014),
        ("hep-th/9901001", "hep-th/9901001", None, 1999),
        ("math.GT/0309136v2", "math/0309136", 2, 2003),  # subject class dropped (canonical)
    ],
)
def test_parse_arxiv_id(text: str, base: str, version: int | None, year: int) -> None:
    parsed = parse_arxiv_id(text)
    assert (parsed.id, parsed.version, parsed.year) == (base, version, year)


@pytest.mark.parametrize(
    "text",
    ["2412.0055", "1501.1234", "1412.12345", "2413.00001", "0703.0001", "hep-th/0801001", "x"],
)
def test_malformed_ids_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        parse_arxiv_id(text)


@pytest.mark.parametrize(
    ("url", "ident"),
    [
        ("https://arxiv.org/abs/2410.02712", "2410.02712"),
        ("https://arxiv.org/abs/2411.10640v1", "2411.10640v1"),
        ("http://www.arxiv.org/pdf/2412.00556.pdf", "2412.00556"),
        ("https://arxiv.org/pdf/2412.00556v2", "2412.00556v2"),
        ("https://export.arxiv.org/abs/hep-th/9901001", "hep-th/9901001"),
        ("https://arxiv.org/html/2412.04467v1#S3", "2412.04467v1"),
        ("https://arxiv.org/abs/2412.0055", "2412.0055"),  # malformed, reported later
        ("https://arxiv.org/list/cs.CV/recent", None),
        ("https://openreview.net/pdf?id=fO1xnmW8T6", None),
        ("https://example.org/arxiv.org/abs/2410.02712", None),
    ],
)
def test_arxiv_id_from_url(url: str, ident: str | None) -> None:
    assert arxiv_id_from_url(url) == ident


def test_venue_year_conflict() -> None:
    message = venue_year_conflict(2023, "2405.01234")
    assert message is not None and "2023" in message and "2024-05" in message
    assert venue_year_conflict(2024, "2405.01234") is None
    assert venue_year_conflict(2025, "2412.00556") is None
    for record in seed_records():  # the seed's entries are all CVPR2025
        assert venue_year_conflict(2025, record["id"]) is None


# ----------------------------------------------------------------------------- parsing


def test_parse_constructed_sample_feed() -> None:
    feed = parse_feed((FIXTURES / "arxiv_sample_feed.xml").read_bytes())
    assert feed.error is None
    titles = {r.id: r.title for r in feed.records}
    assert titles == {
        "2410.02712": "LLaVA-Critic: Learning to Evaluate Multimodal Models",
        "2412.00556": "Accelerating Multimodal Large Language Models by Searching Optimal "
        "Vision Token Reduction",
    }
    record = next(r for r in feed.records if r.id == "2412.00556")
    assert (record.version, record.published, record.withdrawn) == (
        1,
        "2024-12-15T12:00:00Z",
        False,
    )
    assert record.comment == "Constructed comment, 12 pages"


def test_parse_error_entry_names_the_bad_id() -> None:
    feed = parse_feed((FIXTURES / "arxiv_error_bad_id.xml").read_bytes())
    assert feed.records == []
    assert feed.error == "incorrect id format for 2412.0055"
    assert feed.error_id == "2412.0055"


@pytest.mark.parametrize(
    "body",
    [
        b"Rate exceeded.",
        b"<html><body>Service unavailable</body></html>",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><feed/>',
    ],
)
def test_non_feeds_are_rejected(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(body)


# ----------------------------------------------------------------------------- the API


def test_seed_ids_are_fetched_in_one_batch() -> None:
    with ServerThread(arxiv_app()) as api:
        records = fetch_arxiv(SEED_IDS, fast_settings(api, arxiv_api=_api(api)))
        assert len(api.requests) == 1
        query = api.requests[0].path_qs
        assert "id_list=2410.02712,2408.04594," in query and query.endswith("&max_results=100")
    assert set(records) == set(SEED_IDS)
    by_line = {r["seed_line"]: r for r in seed_records()}
    assert records["2412.00556"] is not None
    assert records["2412.00556"].title == by_line[99]["title"]
    assert records["2406.12275v2"] is not None and records["2406.12275v2"].version == 2


def test_only_the_seed_typo_differs_from_arxiv() -> None:
    """The seed's titles against the (constructed) arXiv titles: one near miss, at line 99."""
    with ServerThread(arxiv_app()) as api:
        records = fetch_arxiv(SEED_IDS, fast_settings(api, arxiv_api=_api(api)))
    lines = {r["id"]: r["seed_line"] for r in seed_records()}
    ours = {
        "2412.00556": "Accelerating Multimodel Large Language Models by Searching Optimal "
        "Vision Token Reduction"
    }
    misses = {}
    for _ident, record in records.items():
        assert record is not None
        mine = ours.get(record.id, record.title)
        match = compare_titles(mine, record.title)
        if match.kind != "exact":
            misses[lines[record.id]] = match
    assert list(misses) == [99]
    assert misses[99].kind == "near"
    assert misses[99].diff == '"Multimodel" → "Multimodal"'


def test_batches_are_sequential_and_spaced() -> None:
    records = [
        {
            "id": f"2401.{i:05d}",
            "version": 1,
            "title": f"Paper {i}",
            "published": "p",
            "updated": "u",
        }
        for i in range(1, 26)
    ]
    ids = [str(r["id"]) for r in records]
    with ServerThread(arxiv_app(records)) as api:
        settings = fast_settings(api, arxiv_api=_api(api), arxiv_batch_size=10, arxiv_interval=0.2)
        start = time.monotonic()
        found = fetch_arxiv(ids, settings)
        elapsed = time.monotonic() - start
        starts = [r.at for r in api.requests]
        queries = [r.path_qs for r in api.requests]
    assert all(found[i] is not None for i in ids)
    assert len(starts) == 3
    assert all(b - a >= 0.19 for a, b in itertools.pairwise(starts))
    assert elapsed >= 0.4
    assert all(q.endswith("&max_results=10") for q in queries)
    assert [q.count(",") + 1 for q in queries] == [10, 10, 5]


def test_interval_holds_across_calls() -> None:
    with ServerThread(arxiv_app()) as api:
        settings = fast_settings(api, arxiv_api=_api(api), arxiv_interval=0.3)
        pacer = Pacer()  # one per run: the CLI shares it between the files it lints
        fetch_arxiv(SEED_IDS[:1], settings, pacer=pacer)
        fetch_arxiv(SEED_IDS[1:2], settings, pacer=pacer)
        first, second = (r.at for r in api.requests)
    assert second - first >= 0.29


def test_missing_withdrawn_and_malformed_ids() -> None:
    records = [
        {"id": "2401.00001", "version": 1, "title": "Kept", "published": "p", "updated": "u"},
        {
            "id": "2401.00002",
            "version": 3,
            "title": "Gone",
            "published": "p",
            "updated": "u",
            "comment": "This paper has been withdrawn by the authors",
        },
        {
            "id": "2401.00003",
            "version": 2,
            "title": "Also gone",
            "published": "p",
            "updated": "u",
            "summary": "This paper has been withdrawn due to an error in Lemma 2.",
        },
    ]
    with ServerThread(arxiv_app(records)) as api:
        lookup = fetch_arxiv_detailed(
            ["2401.00001", "2401.00002", "2401.00003", "2401.99999", "2401.0001"],
            fast_settings(api, arxiv_api=_api(api)),
        )
        # The malformed id never reached the API.
        assert all("2401.0001," not in r.path_qs for r in api.requests)
    kept, gone, also_gone = (lookup.records[i] for i in ("2401.00001", "2401.00002", "2401.00003"))
    assert kept is not None and not kept.withdrawn
    assert gone is not None and gone.withdrawn and gone.version == 3
    assert also_gone is not None and also_gone.withdrawn
    assert lookup.records["2401.99999"] is None
    assert lookup.missing["2401.99999"] == "no such paper on arXiv"
    assert lookup.records["2401.0001"] is None
    assert "not a valid arXiv identifier" in lookup.missing["2401.0001"]
    assert lookup.failed == {}


def test_error_entry_drops_the_offending_id_and_retries_the_rest() -> None:
    with ServerThread(arxiv_app(reject=["2412.04467"])) as api:
        lookup = fetch_arxiv_detailed(SEED_IDS, fast_settings(api, arxiv_api=_api(api)))
        assert len(api.requests) == 2
    assert lookup.records["2412.04467"] is None
    assert "incorrect id format" in lookup.missing["2412.04467"]
    assert sum(r is not None for r in lookup.records.values()) == 22


def test_rate_exceeded_is_retried() -> None:
    with ServerThread(arxiv_app(throttle_first=2)) as api:
        records = fetch_arxiv(SEED_IDS[:3], fast_settings(api, arxiv_api=_api(api), retries=2))
        assert len(api.requests) == 3
    assert all(r is not None for r in records.values())


def test_unreachable_api_fails_without_claiming_ids_are_missing() -> None:
    with ServerThread(arxiv_app(throttle_first=100)) as api:
        lookup = fetch_arxiv_detailed(
            SEED_IDS[:2], fast_settings(api, arxiv_api=_api(api), retries=1)
        )
        assert len(api.requests) == 2
    assert lookup.records == {}
    assert set(lookup.failed) == set(SEED_IDS[:2])
    assert "Rate exceeded" in lookup.failed[SEED_IDS[0]] or "503" in lookup.failed[SEED_IDS[0]]
    # Refused endpoint (not on the allow-list): no request at all.
    lookup = fetch_arxiv_detailed(
        SEED_IDS[:2], fast_settings(arxiv_api="http://127.0.0.1:9/api/query")
    )
    assert lookup.records == {} and set(lookup.failed) == set(SEED_IDS[:2])
    assert "loopback" in lookup.failed[SEED_IDS[0]]


def test_arxiv_results_are_cached(tmp_path: Path) -> None:
    with ServerThread(arxiv_app()) as api:
        settings = fast_settings(
            api, arxiv_api=_api(api), use_cache=True, cache_path=tmp_path / "cache.json"
        )
        first = fetch_arxiv([*SEED_IDS[:3], "2401.99999"], settings)
        second = fetch_arxiv([*SEED_IDS[:3], "2401.99999"], settings)
        assert len(api.requests) == 1
    assert first == second
    assert second["2401.99999"] is None


def test_progress_counts_ids() -> None:
    calls: list[tuple[int, int]] = []
    with ServerThread(arxiv_app()) as api:
        fetch_arxiv(
            SEED_IDS,
            fast_settings(api, arxiv_api=_api(api), arxiv_batch_size=10),
            progress=lambda d, t: calls.append((d, t)),
        )
    assert calls[0] == (0, 23) and calls[-1] == (23, 23)
    assert [d for d, _ in calls] == [0, 10, 20, 23]


def test_temporary_dns_failure_of_the_api_is_retried_and_reported_as_failed() -> None:
    calls: list[str] = []

    async def flaky_dns(host: str, port: int) -> list[str]:
        calls.append(host)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    settings = fast_settings(
        arxiv_api="http://arxiv.example/api/query", resolver=flaky_dns, retries=1
    )
    lookup = fetch_arxiv_detailed(SEED_IDS[:2], settings)
    assert lookup.records == {}
    assert "DNS error" in lookup.failed[SEED_IDS[0]]
    assert calls == ["arxiv.example", "arxiv.example"]
