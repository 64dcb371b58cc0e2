"""Incremental runs report exactly the full run's findings on the changed lines, and the
parser's fast link path agrees with markdown-it on pieces that could trip it up."""

from __future__ import annotations

import json
import os
import pickle
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readme_tools import mojibake, registry
from readme_tools.config import Config, TocOptions
from readme_tools.engine import check
from readme_tools.facts import PaperFacts, decode_facts, elided_chunks, encode_facts
from readme_tools.identifiers import Identifier
from readme_tools.incremental import parse_changed
from readme_tools.model import StyleCounts
from readme_tools.mojibake import RepairResult
from readme_tools.parse import markdown, parse
from readme_tools.parse.inline import fast_links, inline_tokens, links_of
from readme_tools.parse.offsets import map_lines
from readme_tools.source import Source, decode

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = Path(__file__).parent / "corpus"


def test_incremental_findings_are_the_full_findings_on_those_lines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = FIXTURES / "mllm-paper-reading.md"
    source = decode(path.read_bytes(), str(path))
    rules = registry.load().rules
    # The mojibake rule repairs the whole text in every run that keeps a damaged line; the
    # repair is a pure function of the text, so the runs below share one.
    repair = mojibake.repair
    repaired: dict[str, RepairResult] = {}

    def shared_repair(text: str, **options: Any) -> RepairResult:
        if options:
            return repair(text, **options)
        if text not in repaired:
            repaired[text] = repair(text)
        return repaired[text]

    monkeypatch.setattr(mojibake, "repair", shared_repair, raising=False)
    doc = parse(source)  # rules read the document, never change it
    full = check(doc, rules, Config())
    assert full
    # One incremental run per line that has a finding (several findings may share a line).
    runs = {
        line: check(doc, rules, Config(), lines=frozenset({line}))
        for line in {d.line for d in full}
    }
    for diag in full:
        incremental = runs[diag.line]
        assert diag in incremental
        assert all(d.line <= diag.line <= d.end_line for d in incremental)


# Heads built from pieces markdown-it may read differently from a regular expression.
PIECES = st.sampled_from(
    [
        "[x] ",
        "[ ] ",
        "**Name**: ",
        "Title words. ",
        "CVPR2025 ",
        "[Paper](https://arxiv.org/abs/2401.00001)",
        " [Code](https://github.com/a/b)",
        "[](http://e.org/)",
        "[a*b*](https://x.org/)",
        "[Paper](https://x.org/a(b))",
        "[Paper](<https://x.org/>)",
        "[Paper](https://x.org/ 'title')",
        "<https://auto.link/>",
        "![img](https://i.org/i.png)",
        "`[code](https://c.org/)`",
        "\\[esc](https://e.org/)",
        "&amp;",
        "[ref]",
        "]",
        "(",
        " ",
        "*",
        "_",
        "\n",
        "中文",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=8))
def test_fast_links_agree_with_markdown_it(pieces: list[str]) -> None:
    content = "".join(pieces).strip(" \n")
    if not content:
        return
    text = f"- {content}\n".replace("\n", "\n  ").rstrip(" ") + "\n"
    source = decode(text.encode(), "t.md")
    inline = map_lines(source, content, 0)
    fast = fast_links(content, inline, source)
    if fast is None:
        return  # the parser will run
    slow = links_of(inline_tokens(markdown(), content, {}), inline, source)
    assert fast == slow


# --------------------------------------------------------------------------- parse_changed

BASES = {
    "seed": FIXTURES / "mllm-paper-reading.md",
    "clean": FIXTURES / "clean-list" / "synthetic-40.md",
    "kv": CORPUS / "October2001__Awesome-KV-Cache-Compression.md",
    "token": CORPUS / "ZLKong__Awesome-Collection-Token-Reduction.md",
    "reasoning": CORPUS / "atfortes__Awesome-LLM-Reasoning.md",
}
NEW_ENTRY = (
    "- [x] **Fresh**: A New Paper on Tokens. CVPR2025 "
    "[Paper](https://arxiv.org/abs/2501.00042) [Code](https://github.com/a/fresh)"
)
MUTATIONS = st.sampled_from(
    ["copy", "box", "heading", "toc", "fence", "comment", "delete", "entry", "html", "setext"]
)


def _mutate(lines: list[str], kind: str, at: int, other: int) -> tuple[list[str], set[int]]:
    """Apply one edit at 0-based line ``at``; returns the new lines and the changed lines."""
    out = list(lines)
    insert = {
        "heading": "## A New Section",
        "toc": "- [A New Section](#a-new-section)",
        "fence": "```",
        "comment": "<!-- readme-lint disable -->",
        "entry": NEW_ENTRY,
        "html": "<div>",
        "setext": "---",
    }
    if kind == "copy":  # a duplicate of another line (often another section's entry)
        out[at] = lines[other]
    elif kind == "box":
        out[at] = lines[at].replace("[x]", "[X]").replace("[ ]", "[x]")
    elif kind == "delete":
        del out[at]
        return out, {min(at + 1, len(out))}
    else:
        out.insert(at, insert[kind])
    return out, {at + 1}


@pytest.mark.slow
@settings(max_examples=int(os.environ.get("INCREMENTAL_EXAMPLES", "150")), deadline=None)
@given(
    st.sampled_from(sorted(BASES)),
    MUTATIONS,
    st.floats(0, 1),
    st.floats(0, 1),
    st.booleans(),
)
def test_parse_changed_finds_what_a_full_parse_finds_on_the_changed_lines(
    base: str, kind: str, where: float, which: float, warm: bool
) -> None:
    text = BASES[base].read_text(encoding="utf-8")
    lines = text.split("\n")
    at = min(int(where * len(lines)), len(lines) - 1)
    edited, changed = _mutate(lines, kind, at, min(int(which * len(lines)), len(lines) - 1))
    source = decode("\n".join(edited).encode("utf-8"), "t.md")
    rules = [rule for rule in registry.load().rules if not rule.online]
    config = Config()
    wanted = frozenset(changed)
    full = check(parse(source), rules, config, lines=wanted, fixes=False)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "chunks.json"
        if warm:  # an earlier run on the unedited text filled the cache
            parse_changed(decode(text.encode("utf-8"), "t.md"), TocOptions(), {1}, cache)
            assert cache.exists()
        doc = parse_changed(source, TocOptions(), wanted, cache)
        assert check(doc, rules, config, lines=wanted, fixes=False) == full
        if warm and base == "clean" and kind in ("box", "entry"):
            assert elided_chunks(doc), "unchanged chunks came from the cache"


def test_parse_changed_leaves_unchanged_chunks_unparsed_and_caches_them(tmp_path: Path) -> None:
    text = BASES["clean"].read_text(encoding="utf-8")
    source = decode(text.encode("utf-8"), "t.md")
    cache = tmp_path / "c.json"
    cold = parse_changed(source, TocOptions(), {len(source.line_starts)}, cache)
    assert not elided_chunks(cold) and cold.entries == parse(source).entries
    warm = parse_changed(source, TocOptions(), {len(source.line_starts)}, cache)
    warm_elided = elided_chunks(warm)
    assert warm_elided and len(warm.entries) < len(cold.entries)
    assert warm.headings == cold.headings and warm.toc == cold.toc
    assert sum(c.style.entries for c in warm_elided) + len(warm.entries) == len(cold.entries)
    assert json.loads(cache.read_text(encoding="utf-8"))["format"].startswith("chunks-4;")
    cache.write_bytes(b"not json")  # a broken cache is an empty one
    assert not elided_chunks(parse_changed(source, TocOptions(), {1}, cache))


def _warm_cache(tmp_path: Path) -> tuple[Source, Path, dict[str, Any]]:
    text = BASES["clean"].read_text(encoding="utf-8")
    source = decode(text.encode("utf-8"), "t.md")
    cache = tmp_path / "c.json"
    parse_changed(source, TocOptions(), {len(source.line_starts)}, cache)
    return source, cache, json.loads(cache.read_text(encoding="utf-8"))


def _damaged(data: dict[str, Any]) -> Iterator[tuple[str, object]]:
    """Caches that are not exactly what a run writes, each with what is wrong."""
    key, (style, papers) = next(iter(data["chunks"].items()))
    yield "other format version", {**data, "format": data["format"].replace("chunks-4", "chunks-3")}
    yield "no chunks", {"format": data["format"]}
    yield "a list", [data]
    yield "a key that is not hex", {**data, "chunks": {"zz": [style, papers]}}
    yield "a count that is a string", {**data, "chunks": {key: [["1", *style[1:]], papers]}}
    yield "a count that is a boolean", {**data, "chunks": {key: [[True, *style[1:]], papers]}}
    bad_papers = [[1, "t", "evil", "x"]]
    yield "an unknown identifier kind", {**data, "chunks": {key: [style, bad_papers]}}
    yield "a short style", {**data, "chunks": {key: [style[:5], papers]}}
    yield "an identifier without a value", {**data, "chunks": {key: [style, [[1, "t", "doi"]]]}}
    yield "a line that is a float", {**data, "chunks": {key: [style, [[1.5, "t"]]]}}
    yield "deep nesting", {**data, "chunks": {key: [[[[[[[[[]]]]]]]], papers]}}


def test_a_foreign_or_damaged_cache_counts_as_empty(tmp_path: Path) -> None:
    source, cache, data = _warm_cache(tmp_path)
    lines = {len(source.line_starts)}
    assert elided_chunks(parse_changed(source, TocOptions(), lines, cache))  # the sound one works
    for what, damaged in _damaged(data):
        cache.write_text(json.dumps(damaged), encoding="utf-8")
        doc = parse_changed(source, TocOptions(), lines, cache)
        assert not elided_chunks(doc), what
        assert doc.entries == parse(source).entries, what
    cache.write_text("[" * 100_000, encoding="utf-8")  # deeper than json can read
    assert not elided_chunks(parse_changed(source, TocOptions(), lines, cache))


def test_a_pickle_in_the_cache_is_never_run(tmp_path: Path) -> None:
    # The parse cache used to be a pickle; one restored from a shared cache must not run code.
    source, cache, _data = _warm_cache(tmp_path)
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[Any, ...]:
            return (Path.touch, (marker,))

    cache.write_bytes(pickle.dumps(Payload()))
    assert not elided_chunks(parse_changed(source, TocOptions(), {1}, cache))
    assert not marker.exists()


STYLE_WORDS = st.text(alphabet=st.characters(codec="utf-8"), max_size=6)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(0, 10**6),
    st.dictionaries(STYLE_WORDS, st.integers(0, 99), max_size=3),
    st.dictionaries(STYLE_WORDS, st.dictionaries(STYLE_WORDS, st.integers(1, 9)), max_size=3),
    st.lists(
        st.tuples(
            st.integers(0, 10**5),
            st.text(max_size=30),
            st.lists(st.tuples(st.sampled_from(["arxiv", "doi", "github"]), STYLE_WORDS)),
        ),
        max_size=5,
    ),
)
def test_cached_facts_read_back_as_written(
    number: int,
    ticked: dict[str, int],
    labels: dict[str, dict[str, int]],
    papers: list[tuple[int, str, list[tuple[str, str]]]],
) -> None:
    counts = StyleCounts(
        number, number // 2, Counter(ticked), number % 7, number % 5,
        {key: Counter(spellings) for key, spellings in labels.items()},
        number % 11, number % 3, number % 2,
    )  # fmt: skip
    facts = (
        counts,
        tuple(
            PaperFacts(
                n,
                t,
                tuple(Identifier(k, v) for k, v in ids),  # type: ignore[arg-type]
                raw_title=t.upper(),
                name=t[:3],
                years=(2020 + n % 5,),
                copy=t[::-1],
                group=n % 4,
                kind=("paper", "label", "mentions")[n % 3],
            )
            for n, t, ids in papers
        ),
    )
    back = decode_facts(json.loads(json.dumps(encode_facts(facts), ensure_ascii=False)))
    assert back == facts
    # Counter order (which spelling wins a tie) survives too.
    assert list(back[0].ticked) == list(counts.ticked)
    assert [list(c) for c in back[0].labels.values()] == [list(c) for c in counts.labels.values()]
