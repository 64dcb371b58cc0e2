"""The lock file: text form, reading, merging (properties)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readme_tools.metadata.facts import (
    AnyFacts,
    ArxivFacts,
    DblpFacts,
    DblpHit,
    GithubFacts,
    OpenReviewFacts,
    S2Facts,
)
from readme_tools.metadata.lock import Lock, LockError, Record, dumps, load, loads, merge

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
ident = st.from_regex(r"[a-z0-9./-]{1,10}", fullmatch=True)
facts: st.SearchStrategy[AnyFacts] = st.one_of(
    st.builds(ArxivFacts, found=st.booleans(), title=text, version=st.integers(0, 9), comment=text, withdrawn=st.booleans(), superseded_by=text),
    st.builds(S2Facts, venue=text, year=st.integers(0, 2030), external_ids=st.dictionaries(st.sampled_from(["DBLP", "DOI"]), text, max_size=2)),
    st.builds(OpenReviewFacts, id=text, venue=text, venueid=text, decision=st.sampled_from(["accepted", "rejected"])),
    st.builds(GithubFacts, found=st.booleans(), full_name=text, archived=st.booleans(), empty=st.booleans(), fork_of=text),
    st.builds(DblpFacts, query=text, hits=st.lists(st.builds(DblpHit, key=text, title=text, year=st.integers(0, 2030), ee=st.lists(text, max_size=2).map(tuple)), max_size=2).map(tuple)),
)  # fmt: skip
SOURCE = {
    ArxivFacts: "arxiv",
    S2Facts: "s2",
    OpenReviewFacts: "openreview",
    GithubFacts: "github",
    DblpFacts: "dblp",
}
DAY = datetime.date(2025, 3, 1)
LATER = datetime.date(2025, 9, 1)


def _key(kind: str, value: str, f: AnyFacts) -> tuple[str, str]:
    source = SOURCE[type(f)]
    return (f"github:{value}" if source == "github" else f"{kind}:{value}", source)


found_maps = st.dictionaries(
    st.tuples(st.sampled_from(["arxiv", "doi", "openreview"]), ident), facts, max_size=6
).map(lambda m: {_key(k, v, f): f for (k, v), f in m.items()})


def _planned(found: dict[tuple[str, str], AnyFacts]) -> dict[str, set[str]]:
    planned: dict[str, set[str]] = {}
    for key, source in found:
        planned.setdefault(key, set()).add(source)
    return planned


@given(found_maps)
def test_dumps_loads_round_trip(found: dict[tuple[str, str], AnyFacts]) -> None:
    lock = merge(None, _planned(found), found, DAY)
    text = dumps(lock)
    assert dumps(loads(text)) == text
    assert text.endswith("\n") and json.loads(text)["version"] == 1


@given(found_maps)
def test_same_facts_later_keep_their_dates(found: dict[tuple[str, str], AnyFacts]) -> None:
    first = merge(None, _planned(found), found, DAY)
    again = merge(loads(dumps(first)), _planned(found), found, LATER)
    assert dumps(again) == dumps(first)


@given(found_maps)
def test_failed_lookups_keep_the_old_record(found: dict[tuple[str, str], AnyFacts]) -> None:
    first = merge(None, _planned(found), found, DAY)
    nothing_answered = merge(first, _planned(found), {}, LATER)
    assert dumps(nothing_answered) == dumps(first)


def test_a_changed_fact_is_dated_the_day_it_changed() -> None:
    key = ("github:a/b", "github")
    first = merge(None, {"github:a/b": {"github"}}, {key: GithubFacts(full_name="a/b")}, DAY)
    second = merge(
        first, {"github:a/b": {"github"}}, {key: GithubFacts(full_name="a/b", archived=True)}, LATER
    )
    assert second.records["github:a/b"]["github"] == Record(
        GithubFacts(full_name="a/b", archived=True), "2025-09-01"
    )


def test_keys_no_longer_planned_are_dropped() -> None:
    key = ("arxiv:1", "arxiv")
    first = merge(None, {"arxiv:1": {"arxiv"}}, {key: ArxivFacts(title="t")}, DAY)
    assert merge(first, {}, {}, LATER).records == {}


def test_a_not_found_answer_is_recorded() -> None:
    lock = merge(
        None, {"github:a/b": {"github"}}, {("github:a/b", "github"): GithubFacts(found=False)}, DAY
    )
    assert json.loads(dumps(lock))["repos"] == {
        "github:a/b": {"github": {"fetched": "2025-03-01", "found": False}}
    }


def test_unknown_sources_and_fields_are_ignored() -> None:
    text = json.dumps(
        {
            "version": 1,
            "papers": {
                "arxiv:1": {
                    "arxiv": {"fetched": "2025-01-01", "title": "t", "new": 1},
                    "future": {},
                }
            },
        }
    )
    assert loads(text).records == {
        "arxiv:1": {"arxiv": Record(ArxivFacts(title="t"), "2025-01-01")}
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not valid JSON"),
        ("[]", "not a lock file"),
        ('{"version": 2}', "lock version 2 is not 1"),
        ('{"version": 1, "papers": []}', "papers must be a table"),
        ('{"version": 1, "papers": {"k": {"arxiv": {"title": "t"}}}}', "needs a 'fetched' date"),
        (
            '{"version": 1, "papers": {"k": {"arxiv": {"fetched": "d", "version": "2"}}}}',
            "must be an integer",
        ),
        (
            '{"version": 1, "repos": {"k": {"github": {"fetched": "d", "archived": "yes"}}}}',
            "must be true or false",
        ),
        ('{"version": 1, "papers": {"k": {"dblp": {"fetched": "d", "hits": {}}}}}', "list of hits"),
    ],
)
def test_malformed_locks_are_one_line_errors(text: str, message: str) -> None:
    with pytest.raises(LockError, match=message) as info:
        loads(text, "x.json")
    assert "\n" not in str(info.value)


def test_load(tmp_path: Path) -> None:
    assert load(tmp_path / "none.json") is None
    path = tmp_path / "lock.json"
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(LockError, match="not UTF-8"):
        load(path)
    path.write_text(dumps(Lock()), encoding="utf-8")
    assert load(path) == Lock()
