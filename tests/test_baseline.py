"""Baselines: fingerprints without line numbers, count-aware matching, the CLI round trip."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st

from readme_tools import baseline, registry
from readme_tools.config import Config
from readme_tools.engine import lint_source
from readme_tools.fingerprints import digest, normalise_message
from readme_tools.identity import entry_key
from readme_tools.model import Entry, Link, Span
from readme_tools.source import decode

from .conftest import git_env
from .conftest import invoke_lint as lint
from .data import SEED

FINDING_RE = re.compile(r"^[^:]+:(\d+):\d+: (\S+) (\S+) (.*)$")
BAD_ENTRY = (
    "- [X] **NewThing** A new paper without a terminator CVPR2025 "
    "[Paper](https://arxiv.org/abs/2501.00001)\n\n"
    "  NewThing does new things.\n\n"
)
ANCHOR = "## Image LLMs CVPR2025\n"


def findings(result: Result) -> list[tuple[int, str, str]]:
    out = []
    for line in result.stdout.splitlines():
        m = FINDING_RE.match(line)
        if m:
            out.append((int(m.group(1)), m.group(3), m.group(4)))
    return out


def insert_after_anchor(text: str, block: str) -> tuple[str, int, int]:
    at = text.index(ANCHOR) + len(ANCHOR)
    first = text[:at].count("\n") + 1
    return text[:at] + block + text[at:], first, first + block.count("\n") - 1


def swap_first_two_entries(text: str) -> str:
    """Move the first entry of the first CVPR2025 section after the second one."""
    at = text.index(ANCHOR) + len(ANCHOR)
    starts = [m.start() for m in re.finditer(r"^- \[", text[at:], re.MULTILINE)]
    a, b, c = (at + s for s in starts[:3])
    return text[:a] + text[b:c] + text[a:b] + text[c:]


# --------------------------------------------------------------------------- identity


def _entry(links: tuple[str, ...], title: str | None = None) -> Entry:
    return Entry(
        kind="list",
        line=1,
        span=Span(0, 1),
        head="",
        head_span=Span(0, 1),
        links=tuple(Link("Paper", url, Span(0, 1), None, 1) for url in links),
        section=0,
        title=title,
    )


def test_entry_key_is_the_paper_identity() -> None:
    key = entry_key
    assert key(_entry(("https://arxiv.org/pdf/2411.10640v1",), "T")) == "arxiv:2411.10640"
    assert key(_entry(("https://github.com/a/b", "http://arxiv.org/abs/2401.00001"))) == (
        "arxiv:2401.00001"
    )
    assert key(_entry(("https://example.org/p",), "  A  Title.")) == "title:a title"
    assert key(_entry(("https://example.org/p",))) == "url:https://example.org/p"


def test_normalise_message_drops_positions() -> None:
    norm = normalise_message
    assert norm("entry tagged 'CVPR2025' is under the section 'X' (line 12), which is for") == (
        "entry tagged 'CVPR2025' is under the section 'X' (line N), which is for"
    )
    assert norm("invalid UTF-8: 2 byte(s) at byte offset 1234") == (
        "invalid UTF-8: 2 byte(s) at byte offset N"
    )
    assert norm("the first at byte 7 (line 3)") == "the first at byte N (line N)"
    assert norm("no numbers here") == "no numbers here"


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=10**9))
def test_fingerprint_ignores_line_numbers(a: int, b: int) -> None:
    message = "duplicate of the entry at line {}"
    assert digest("r", "k", message.format(a)) == digest("r", "k", message.format(b))
    assert digest("r", "k", "x") != digest("r", "k2", "x")


@pytest.mark.slow
def test_fingerprints_survive_reordering_and_insertion() -> None:
    reg = registry.load()
    text = SEED.read_text(encoding="utf-8")

    def prints(t: str) -> list[str]:
        doc, diags = lint_source(decode(t.encode(), "README.md"), reg.rules, Config())
        return sorted(baseline.fingerprint(d) for d in baseline.with_keys(doc, diags))

    before = prints(text)
    assert before
    moved = swap_first_two_entries(text)
    assert moved != text
    assert prints(moved) == before
    inserted, _, _ = insert_after_anchor(text, BAD_ENTRY)
    after = prints(inserted)
    assert len(after) > len(before)
    for fp in before:
        assert fp in after


def test_with_keys_normalises_each_line_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Found by fuzzing: one 2.7 MB line with ~2700 findings took 55 s in with_keys, which
    # normalised the whole line again for every finding.
    reg = registry.load()
    # (300 findings on one line: link-tracking, one per link; NBSPs outside a title no longer
    # count, one finding per line at most.)
    text = "# T\n\n" + "see [it](https://example.com/?utm_source=x) " * 300 + "\n"
    doc, diags = lint_source(decode(text.encode(), "README.md"), reg.rules, Config())
    assert len([d for d in diags if d.line == 3]) > 100
    expected = [baseline.identity(doc, d) for d in diags]
    calls = []
    real = baseline.normalise
    monkeypatch.setattr(baseline, "normalise", lambda t: calls.append(t) or real(t))
    keyed = baseline.with_keys(doc, diags)
    assert [d.key for d in keyed] == expected
    assert len(calls) <= len({d.line for d in diags})


# --------------------------------------------------------------------------- apply / update


def test_count_aware_matching(tmp_path: Path) -> None:
    reg = registry.load()
    # One entry whose summary area holds two whitespace-only lines: two identical fingerprints.
    text = (
        "# L\n\n## S\n"
        "- [x] **A**: Title one. CVPR2025 [Paper](https://arxiv.org/abs/2401.00001)\n"
        "  \n  Summary.\n  \n  More.\n"
    )
    doc, diags = lint_source(decode(text.encode(), "x.md"), reg.rules, Config())
    keyed = baseline.with_keys(doc, diags)
    ws = [d for d in keyed if d.message == "whitespace-only line"]
    assert len(ws) == 2 and len({baseline.fingerprint(d) for d in ws}) == 1
    one = baseline.Baseline(tmp_path, tuple(baseline.records_for(ws[:1], tmp_path)))
    assert one.records[0].count == 1
    outcome = baseline.apply(one, ws, ["x.md"])
    assert len(outcome.kept) == 1 and outcome.suppressed == 1
    two = baseline.Baseline(tmp_path, tuple(baseline.records_for(ws, tmp_path)))
    assert two.records[0].count == 2
    assert baseline.apply(two, ws, ["x.md"]).kept == ()


def test_dump_is_stable_and_round_trips(tmp_path: Path) -> None:
    records = (
        baseline.Record("b.md", "r2", "k", "m", "f2", 2),
        baseline.Record("a.md", "r1", "k", "m", "f1", 1),
    )
    data = baseline.dump(baseline.Baseline(tmp_path, records))
    assert data == baseline.dump(baseline.Baseline(tmp_path, records[::-1]))
    path = tmp_path / "b.json"
    path.write_bytes(data)
    loaded = baseline.load(path)
    assert [r.path for r in loaded.records] == ["a.md", "b.md"]
    assert set(loaded.records) == set(records)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "baseline file not found"),
        ("{not json", "not valid JSON"),
        ('{"version": 99}', "not a readme-lint baseline"),
        ('{"version": 1, "findings": [{"path": 1}]}', "malformed baseline record"),
    ],
)
def test_bad_baseline_files_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | None, message: str
) -> None:
    shutil.copy(SEED, tmp_path / "README.md")
    if content is not None:
        (tmp_path / "bl.json").write_text(content, encoding="utf-8")
    result = lint(tmp_path, "--baseline", "bl.json", monkeypatch=monkeypatch)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr


def test_update_baseline_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(SEED, tmp_path / "README.md")
    assert lint(tmp_path, "--update-baseline", monkeypatch=monkeypatch).exit_code == 2
    both = lint(
        tmp_path,
        *("--update-baseline", "--baseline", "b.json", "--changed-since", "HEAD"),
        monkeypatch=monkeypatch,
    )
    assert both.exit_code == 2
    assert not (tmp_path / "b.json").exists()


# --------------------------------------------------------------------------- CLI round trip


def test_baseline_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = tmp_path / "README.md"
    shutil.copy(SEED, readme)
    legacy = findings(lint(tmp_path, "README.md", monkeypatch=monkeypatch))
    assert len(legacy) >= 5

    made = lint(tmp_path, "--baseline", "bl.json", "--update-baseline", monkeypatch=monkeypatch)
    assert made.exit_code == 0, made.stderr
    assert f"wrote {len(legacy)} findings" in made.stderr
    data = json.loads((tmp_path / "bl.json").read_text(encoding="utf-8"))
    assert sum(r["count"] for r in data["findings"]) == len(legacy)
    assert all(r["path"] == "README.md" for r in data["findings"])
    # Findings in entries are keyed by the entry; only the TOC link line (outside any entry
    # or heading) falls back to its line content.
    line_keyed = [r["rule"] for r in data["findings"] if r["key"].startswith("line:")]
    assert sorted(line_keyed) == ["mojibake", "toc-anchor"]
    first_bytes = (tmp_path / "bl.json").read_bytes()

    clean = lint(tmp_path, "--baseline", "bl.json", monkeypatch=monkeypatch)
    assert clean.exit_code == 0 and findings(clean) == []
    again = lint(tmp_path, "--baseline", "bl.json", "--update-baseline", monkeypatch=monkeypatch)
    assert again.exit_code == 0
    assert (tmp_path / "bl.json").read_bytes() == first_bytes  # stable
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []

    # Reorder legacy entries and add a bad one: only the new entry is reported.
    text = swap_first_two_entries(readme.read_text(encoding="utf-8"))
    text, first, last = insert_after_anchor(text, BAD_ENTRY)
    readme.write_text(text, encoding="utf-8")
    new = lint(
        tmp_path,
        "--baseline",
        "bl.json",
        "--statistics",
        "--fail-on",
        "warning",
        monkeypatch=monkeypatch,
    )
    assert new.exit_code == 1
    reported = findings(new)
    assert reported and all(first <= n <= last for n, _, _ in reported)
    assert {rule for _, rule, _ in reported} >= {"entry-format", "checkbox"}
    assert "without a matching finding" not in new.stdout

    # Fix a legacy finding: its record becomes stale and --statistics says so.
    fixed = text.replace("Llama-VID, a video", "Insight-V, a video", 1)
    assert fixed != text
    readme.write_text(fixed, encoding="utf-8")
    stale = lint(tmp_path, "--baseline", "bl.json", "--statistics", monkeypatch=monkeypatch)
    assert "1 baseline record without a matching finding" in stale.stdout
    assert "summary-subject" in stale.stdout


def test_update_keeps_records_of_other_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SEED, tmp_path / "a.md")
    shutil.copy(SEED, tmp_path / "b.md")
    lint(
        tmp_path,
        "--baseline",
        "bl.json",
        "--update-baseline",
        "a.md",
        "b.md",
        monkeypatch=monkeypatch,
    )
    (tmp_path / "a.md").write_text("# Clean\n", encoding="utf-8")
    lint(tmp_path, "--baseline", "bl.json", "--update-baseline", "a.md", monkeypatch=monkeypatch)
    data = json.loads((tmp_path / "bl.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in data["findings"]} == {"b.md"}


def test_baseline_paths_are_relative_to_the_baseline_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "docs").mkdir()
    shutil.copy(SEED, tmp_path / "docs" / "list.md")
    lint(
        tmp_path,
        *("--baseline", "bl.json", "--update-baseline", "docs/list.md"),
        monkeypatch=monkeypatch,
    )
    data = json.loads((tmp_path / "bl.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in data["findings"]} == {"docs/list.md"}
    # Run from another directory: the records still match.
    inner = lint(tmp_path / "docs", "--baseline", "../bl.json", "list.md", monkeypatch=monkeypatch)
    assert inner.exit_code == 0 and findings(inner) == []


# --------------------------------------------------------------------------- with git


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_baseline_before_a_commit_leaves_only_its_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = git_env()

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)

    git("init", "-q")
    shutil.copy(SEED, tmp_path / "README.md")
    lint(
        tmp_path,
        "--baseline",
        ".readme-lint-baseline.json",
        "--update-baseline",
        monkeypatch=monkeypatch,
    )
    git("add", ".")
    git("commit", "-q", "-m", "seed and baseline")
    text, first, last = insert_after_anchor(
        (tmp_path / "README.md").read_text(encoding="utf-8"), BAD_ENTRY
    )
    (tmp_path / "README.md").write_text(text, encoding="utf-8")
    git("commit", "-q", "-am", "one bad entry")

    with_baseline = findings(
        lint(tmp_path, "--baseline", ".readme-lint-baseline.json", monkeypatch=monkeypatch)
    )
    incremental = findings(lint(tmp_path, "--changed-since", "HEAD~1", monkeypatch=monkeypatch))
    assert with_baseline == incremental
    assert with_baseline and all(first <= n <= last for n, _, _ in with_baseline)


SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
CORPORA = sorted((SHARED / "corpora").glob("*.md")) if SHARED.exists() else []


@pytest.mark.skipif(not CORPORA, reason="../shared/corpora is not available")
@pytest.mark.parametrize("corpus", CORPORA, ids=lambda p: p.name)
def test_corpus_baseline_suppresses_everything_and_survives_reversal(corpus: Path) -> None:
    """Record a real list's findings, then reverse its entry order: nothing comes back."""
    reg = registry.load()
    raw = corpus.read_bytes()
    doc, diags = lint_source(decode(raw, "list.md"), reg.rules, Config())
    keyed = baseline.with_keys(doc, diags)
    recorded = baseline.Baseline(Path.cwd(), tuple(baseline.records_for(keyed, Path.cwd())))
    assert baseline.apply(recorded, keyed, ["list.md"]).kept == ()
    # Reverse the entries of every section (keeping each entry's own text).
    text = doc.source.text
    pieces: list[str] = []
    pos = 0
    for section in doc.sections:
        spans = [doc.entries[i].span for i in section.entries if doc.entries[i].depth == 0]
        spans = [s for s in spans if s.start >= pos]
        if len(spans) < 2:
            continue
        block_start, block_end = spans[0].start, spans[-1].end
        if any(b.start < a.end for a, b in itertools.pairwise(spans)):
            continue
        seps = [text[a.end : b.start] for a, b in itertools.pairwise(spans)]
        bodies = [text[s.start : s.end] for s in spans][::-1]
        pieces.append(text[pos:block_start])
        pieces.append("".join(b + (seps[i] if i < len(seps) else "") for i, b in enumerate(bodies)))
        pos = block_end
    pieces.append(text[pos:])
    moved = "".join(pieces)
    doc2, diags2 = lint_source(decode(moved.encode(), "list.md"), reg.rules, Config())
    after = baseline.apply(recorded, baseline.with_keys(doc2, diags2), ["list.md"])
    # Findings may legitimately change when order changes (e.g. section-relative rules), but
    # moving entries must not resurrect findings whose entry and message are unchanged.
    before_prints = {baseline.fingerprint(d) for d in keyed}
    resurrected = [d for d in after.kept if baseline.fingerprint(d) in before_prints]
    assert resurrected == []
