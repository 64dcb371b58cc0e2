#!/usr/bin/env python3
"""Churn of readme-fmt on the development corpus: is the diff the fix and nothing else?

usage: python bench/bench_churn.py [--list NAME]... [--json] [--dev-corpus DIR]

For every corpus list (tests/corpus, the seed, and ../shared/corpora-dev when present) the
formatter runs in process with the default configuration, and the table reports:

- changed: changed lines of the output against the input (bench/README.md defines it: per
  hunk of a line diff, max(removed, added));
- +/-: removed and added lines of that diff (what ``git diff --numstat`` counts);
- fixable: input lines that carry at least one fixable finding of readme-lint, or a mojibake
  finding (readme-fmt repairs what it is confident about even where the repair is partial and
  the linter does not call the finding fixable);
- target: issue #19's bound, changed <= 1.5 x fixable + 5, and whether it holds;
- refused: FormatError (nothing would be written), with its reason;
- idempotent: formatting the output again changes nothing;
- html: GitHub's rendering (cmark-gfm) of input and output compared block by block:
  ``same``, or how many rendered blocks differ (each one is a fix's declared change: the
  formatter refuses any other, see readme_tools/fmt/equivalence.py);
- time: seconds for the format (the idempotency run not included).

A benchmark, not a test: exit 0 always.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import CorpusList, corpus_lists, select  # noqa: E402

RATIO = 1.5
SLACK = 5


@dataclass
class Churn:
    name: str
    origin: str
    lines: int
    changed: int = 0
    removed: int = 0
    added: int = 0
    fixable: int = 0
    refused: str = ""
    idempotent: bool | None = None
    html: str = "-"  # rendered blocks that differ between input and output
    seconds: float = 0.0

    @property
    def bound(self) -> float:
        return RATIO * self.fixable + SLACK

    @property
    def within(self) -> bool:
        return not self.refused and self.changed <= self.bound


def changed_lines(before: list[str], after: list[str]) -> tuple[int, int, int]:
    """(changed, removed, added): a replaced line counts once in ``changed``."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    changed = removed = added = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        removed += i2 - i1
        added += j2 - j1
        changed += max(i2 - i1, j2 - j1)
    return changed, removed, added


def fixable_lines(source: object) -> int:
    from readme_tools import registry
    from readme_tools.config import Config
    from readme_tools.engine import Selection, active_rules, lint_source

    config = Config()
    rules = active_rules(registry.load(), config, Selection())
    _, diagnostics = lint_source(source, rules, config, fixes=False)  # type: ignore[arg-type]
    lines: set[int] = set()
    for d in diagnostics:
        # A damaged line is repaired by readme-fmt as far as it is confident, though the
        # linter calls only lossless repairs fixable (a partial repair leaves the finding).
        if d.fixable or d.rule == "mojibake":
            lines.update(range(d.line, max(d.line, d.end_line) + 1))
    return len(lines)


def rendered_difference(before: str, after: str) -> str:
    """``same``, or the number of GitHub-rendered blocks of ``before`` that changed."""
    from readme_tools.fmt.align import align
    from readme_tools.fmt.equivalence import blocks

    old = [b.html for b in blocks(before)]
    hunks = align(old, [b.html for b in blocks(after)])
    changed = sum(max(h.a_end - h.a_start, h.b_end - h.b_start) for h in hunks)
    return "same" if not changed else f"{changed} of {len(old)} blocks"


def churn(corpus: CorpusList) -> Churn:
    from readme_tools.config import Config
    from readme_tools.engine import no_cyclic_gc
    from readme_tools.files import read_source
    from readme_tools.fmt.pipeline import FormatError, format_source
    from readme_tools.source import decode

    config = Config()
    with no_cyclic_gc():
        source = read_source(str(corpus.path))
        before = source.text.split("\n")
        result = Churn(corpus.name, corpus.origin, source.text.count("\n"))
        result.fixable = fixable_lines(source)
        start = time.perf_counter()
        try:
            formatted = format_source(source, config)
        except FormatError as exc:
            result.seconds = time.perf_counter() - start
            result.refused = str(exc).splitlines()[0][:300]
            return result
        except Exception as exc:  # a crash is a result to report, not a traceback
            result.seconds = time.perf_counter() - start
            result.refused = f"crash: {type(exc).__name__}: {exc}"[:300]
            return result
        result.seconds = time.perf_counter() - start
        result.changed, result.removed, result.added = changed_lines(
            before, formatted.text.split("\n")
        )
        result.html = rendered_difference(source.text, formatted.text)
        try:
            again = format_source(decode(formatted.data, str(corpus.path)), config)
            result.idempotent = not again.changed
        except FormatError:
            result.idempotent = False
    return result


def render(results: Sequence[Churn], skipped: Sequence[str]) -> str:
    header = ["list", "origin", "lines", "changed", "+/-", "fixable", "target", "refused"]
    header += ["idempotent", "html", "time s"]
    rows = []
    for r in results:
        target = f"{'ok' if r.within else 'MISSED'} (<= {r.bound:.0f})" if not r.refused else "-"
        idem = "-" if r.idempotent is None else ("yes" if r.idempotent else "NO")
        refused = r.refused.replace("|", "\\|")
        diff = f"+{r.added}/-{r.removed}"
        row = [r.name, r.origin, r.lines, r.changed, diff, r.fixable, target, refused, idem]
        rows.append([*row, r.html, f"{r.seconds:.2f}"])
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    ok = sum(r.within for r in results)
    refused = sum(bool(r.refused) for r in results)
    not_idem = sum(r.idempotent is False for r in results)
    summary = [
        f"# readme-fmt churn on the development corpus ({len(results)} lists)",
        "",
        f"- within the #19 target (changed <= {RATIO} x fixable + {SLACK}): {ok}/{len(results)}",
        f"- refused: {refused}; not idempotent: {not_idem}; rendered unchanged: "
        f"{sum(r.html == 'same' for r in results)}/{len(results)} (the other lists' rendered "
        "differences are the fixes' declared changes: the formatter refuses any other)",
        f"- changed lines in total: {sum(r.changed for r in results)}; fixable lines: "
        f"{sum(r.fixable for r in results)}",
    ]
    if skipped:
        summary.append(f"- skipped (dev corpus absent): {len(skipped)}: {', '.join(skipped)}")
    return "\n".join([*summary, "", *lines])


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument(
        "--list", action="append", default=[], metavar="NAME", help="lists containing NAME"
    )
    ap.add_argument("--json", action="store_true", help="print JSON instead of markdown")
    ap.add_argument("--dev-corpus", default=None, metavar="DIR", help="the uncommitted lists")
    args = ap.parse_args(argv)
    lists, skipped = corpus_lists(Path(args.dev_corpus) if args.dev_corpus else None)
    lists = select(lists, args.list)
    skipped = [
        s for s in skipped if not args.list or any(w.lower() in s.lower() for w in args.list)
    ]
    if not lists:
        print("no corpus list matches", file=sys.stderr)
        return 2
    results = [churn(c) for c in lists]
    if args.json:
        rows = [{**asdict(r), "bound": r.bound, "within": r.within} for r in results]
        print(json.dumps({"lists": rows, "skipped": skipped}, indent=2, ensure_ascii=False))
    else:
        print(render(results, skipped))
    return 0


if __name__ == "__main__":
    sys.exit(main())
