#!/usr/bin/env python3
"""Precision of readme-lint on the development corpus, against the labels in bench/labels.

usage: python bench/precision.py [--list NAME]... [--json] [--check] [--patterns]
                                 [--unlabelled [--append]] [--sample N] [--dev-corpus DIR]

Lints every corpus list (tests/corpus, the seed, and ../shared/corpora-dev when present) in
process with the default configuration and every offline rule, matches each finding with its
label by (list, line, rule), and prints markdown tables: precision per rule (errors and
warnings apart) and per list, the unlabelled errors, and the labelled-true findings that no
longer appear (lost true findings: recall regressions).

- ``--check`` exits 1 when a target of issue #18 is missed (error precision >= 95% overall and
  >= 90% on every list, warning precision >= 85% per rule on labelled warnings) or when an
  error is unlabelled. Without it the exit code is 0.
- ``--unlabelled`` prints the findings that need a label (every error, and the warnings of
  the fixed sample) with their source line; ``--append`` adds them to the label files with
  verdict ``?`` for a person to fill in.
- ``--patterns`` ranks the categories of the false findings still reported, with examples.

A benchmark, not a test: see bench/README.md for how labels work and how warnings are sampled.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import (  # noqa: E402
    SAMPLE,
    CorpusList,
    Label,
    all_labels,
    append_labels,
    corpus_lists,
    sample_rank,
    select,
)

TARGET_ERRORS = 0.95
TARGET_ERRORS_PER_LIST = 0.90
TARGET_WARNINGS_PER_RULE = 0.85


@dataclass(frozen=True)
class Finding:
    list: str
    line: int
    column: int
    rule: str
    severity: str
    message: str
    fixable: bool


@dataclass
class Linted:
    corpus: CorpusList
    lines: list[str]
    findings: list[Finding]
    seconds: float
    error: str = ""  # the linter refused the file (one line)


def lint_lists(lists: Sequence[CorpusList]) -> list[Linted]:
    """Lint each list in process: default config, every offline rule."""
    from readme_tools import registry
    from readme_tools.config import Config
    from readme_tools.engine import Selection, active_rules, lint_source, no_cyclic_gc
    from readme_tools.files import read_source

    reg = registry.load()
    config = Config()
    rules = active_rules(reg, config, Selection())
    out = []
    for corpus in lists:
        start = time.perf_counter()
        # The linter's lines are "\n"-separated (str.splitlines would also split at U+2028...).
        text = corpus.path.read_bytes().decode("utf-8", "replace")
        lines = [line.removesuffix("\r") for line in text.split("\n")]
        try:
            with no_cyclic_gc():
                source = read_source(str(corpus.path))
                _, diagnostics = lint_source(source, rules, config, fixes=False)
        except Exception as exc:  # a crash is a result to report, not a traceback
            out.append(Linted(corpus, lines, [], 0.0, f"{type(exc).__name__}: {exc}"))
            continue
        findings = [
            Finding(corpus.name, d.line, d.column, d.rule, d.severity, d.message.strip(), d.fixable)
            for d in diagnostics
        ]
        out.append(Linted(corpus, lines, findings, time.perf_counter() - start))
    return out


# --------------------------------------------------------------------------- matching


def index_labels(labels: Iterable[Label]) -> dict[tuple[int, str], list[Label]]:
    index: dict[tuple[int, str], list[Label]] = defaultdict(list)
    for label in labels:
        index[(label.line, label.rule)].append(label)
    return index


def label_for(finding: Finding, index: dict[tuple[int, str], list[Label]]) -> Label | None:
    """The label of ``finding``: one whose ``match`` is in the message, else a plain one."""
    candidates = index.get((finding.line, finding.rule), [])
    for label in candidates:
        if label.match and label.match in finding.message:
            return label
    for label in candidates:
        if not label.match:
            return label
    return None


def sampled_keys(name: str, findings: Iterable[Finding], size: int) -> set[tuple[str, int]]:
    """The (rule, line) keys of the warnings sample: per rule, the first ``size`` lines in
    :func:`bench.corpus.sample_rank` order."""
    lines: dict[str, set[int]] = defaultdict(set)
    for f in findings:
        if f.severity == "warning":
            lines[f.rule].add(f.line)
    keys: set[tuple[str, int]] = set()
    for rule, found in lines.items():
        ranked = sorted(found, key=lambda n: sample_rank(name, rule, n))
        keys.update((rule, n) for n in ranked[:size])
    return keys


@dataclass
class Counts:
    found: int = 0
    labelled: int = 0
    true: int = 0

    @property
    def precision(self) -> float | None:
        return self.true / self.labelled if self.labelled else None


@dataclass
class ListResult:
    name: str
    origin: str
    lines: int
    seconds: float
    error: str
    errors: Counts = field(default_factory=Counts)
    warnings: Counts = field(default_factory=Counts)


@dataclass
class Report:
    lists: list[ListResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    rules: dict[str, dict[str, Counts]] = field(default_factory=dict)  # rule -> severity ->
    unlabelled_errors: list[Finding] = field(default_factory=list)
    unlabelled_sample: list[Finding] = field(default_factory=list)
    unlabelled_warnings: int = 0
    lost: list[Label] = field(default_factory=list)
    gone_false: list[Label] = field(default_factory=list)
    false_found: list[tuple[Finding, Label]] = field(default_factory=list)
    seconds: float = 0.0

    def total(self, severity: str) -> Counts:
        out = Counts()
        for by_severity in self.rules.values():
            c = by_severity.get(severity)
            if c is not None:
                out.found += c.found
                out.labelled += c.labelled
                out.true += c.true
        return out


def evaluate(linted: Sequence[Linted], labels: dict[str, list[Label]], sample: int) -> Report:
    report = Report()
    for item in linted:
        name = item.corpus.name
        own = labels.get(name, [])
        index = index_labels(own)
        count = len(item.lines) - (1 if item.lines and not item.lines[-1] else 0)
        result = ListResult(name, item.corpus.origin, count, item.seconds, item.error)
        sample_keys = sampled_keys(name, item.findings, sample)
        for f in item.findings:
            counts = result.errors if f.severity == "error" else result.warnings
            per_rule = report.rules.setdefault(f.rule, {}).setdefault(f.severity, Counts())
            label = label_for(f, index)
            counts.found += 1
            per_rule.found += 1
            if label is None or label.verdict == "?":
                if f.severity == "error":
                    report.unlabelled_errors.append(f)
                else:
                    report.unlabelled_warnings += 1
                    if (f.rule, f.line) in sample_keys:
                        report.unlabelled_sample.append(f)
                continue
            counts.labelled += 1
            per_rule.labelled += 1
            if label.verdict == "true":
                counts.true += 1
                per_rule.true += 1
            else:
                report.false_found.append((f, label))
        for label in own:
            if label.verdict == "?":
                continue
            still = any(
                f.line == label.line
                and f.rule == label.rule
                and (not label.match or label.match in f.message)
                for f in item.findings
            )
            if not still:
                (report.lost if label.verdict == "true" else report.gone_false).append(label)
        report.lists.append(result)
    return report


# --------------------------------------------------------------------------- output


def pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(str(c) for c in row) + " |" for row in rows)
    return "\n".join(lines)


def cells(c: Counts) -> list[object]:
    return [c.found, c.labelled, c.true, pct(c.precision)]


def rule_table(report: Report) -> str:
    rows = []
    for rule in sorted(report.rules):
        e = report.rules[rule].get("error", Counts())
        w = report.rules[rule].get("warning", Counts())
        rows.append([rule, *cells(e), *cells(w)])
    e, w = report.total("error"), report.total("warning")
    rows.append(["**all**", *cells(e), *cells(w)])
    header = ["rule", "errors", "labelled", "true", "precision"]
    header += ["warnings", "labelled", "true", "precision"]
    return table(header, rows)


def list_table(report: Report) -> str:
    rows = []
    for r in report.lists:
        share = r.warnings.labelled / r.warnings.found if r.warnings.found else None
        unlabelled = r.errors.found - r.errors.labelled
        note = r.error or ""
        rows.append(
            [
                r.name,
                r.origin,
                r.lines,
                r.errors.found,
                pct(r.errors.precision),
                unlabelled or "",
                r.warnings.found,
                pct(r.warnings.precision),
                pct(share),
                note,
            ]
        )
    header = ["list", "origin", "lines", "errors", "error precision", "unlabelled errors"]
    header += ["warnings", "warning precision", "labelled share", "note"]
    return table(header, rows)


def failures(report: Report) -> list[str]:
    """The missed targets of issue #18 (and unlabelled errors), one line each."""
    out = []
    overall = report.total("error").precision
    if overall is not None and overall < TARGET_ERRORS:
        out.append(f"error precision {pct(overall)} overall < {pct(TARGET_ERRORS)}")
    for r in report.lists:
        p = r.errors.precision
        if p is not None and p < TARGET_ERRORS_PER_LIST:
            out.append(f"error precision {pct(p)} on {r.name} < {pct(TARGET_ERRORS_PER_LIST)}")
        if r.error:
            out.append(f"{r.name}: the linter failed: {r.error}")
    for rule, by_severity in sorted(report.rules.items()):
        w = by_severity.get("warning")
        if w is not None and w.precision is not None and w.precision < TARGET_WARNINGS_PER_RULE:
            out.append(
                f"warning precision {pct(w.precision)} for {rule} < {pct(TARGET_WARNINGS_PER_RULE)}"
            )
    if report.unlabelled_errors:
        out.append(f"{len(report.unlabelled_errors)} unlabelled error(s)")
    return out


def patterns(report: Report, examples: int = 3) -> str:
    """False findings still reported, grouped by label category, most frequent first."""
    groups: dict[str, list[tuple[Finding, Label]]] = defaultdict(list)
    for finding, label in report.false_found:
        groups[label.category or "(none)"].append((finding, label))
    rows = []
    for category, items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        rules = Counter(f"{f.rule}/{f.severity[0]}" for f, _ in items)
        where = ", ".join(f"{f.list}:{f.line}" for f, _ in items[:examples])
        rows.append([category, len(items), " ".join(f"{k}×{v}" for k, v in rules.items()), where])
    return table(["category", "false findings", "rules (e=error, w=warning)", "examples"], rows)


def show(f: Finding, lines: dict[str, list[str]] | None = None) -> str:
    out = f"{f.list}:{f.line}:{f.column} {f.rule} ({f.severity}) {f.message}"
    if lines is not None:
        text = lines.get(f.list, [])
        source = text[f.line - 1] if 0 < f.line <= len(text) else ""
        out += "\n    | " + (source if len(source) <= 220 else source[:217] + "...")
    return out


def render(report: Report, with_patterns: bool) -> str:
    e, w = report.total("error"), report.total("warning")
    parts = [
        f"# readme-lint precision on the development corpus ({len(report.lists)} lists, "
        f"{report.seconds:.1f} s)",
        "",
        f"- error precision: **{pct(e.precision)}** ({e.true}/{e.labelled} labelled true; "
        f"{e.found} errors found, {len(report.unlabelled_errors)} unlabelled)",
        f"- warning precision on labelled warnings: **{pct(w.precision)}** ({w.true}/"
        f"{w.labelled}; {w.found} warnings found, {report.unlabelled_warnings} unlabelled, "
        f"{len(report.unlabelled_sample)} of them in the sample)",
        f"- lost true findings (labelled true, no longer reported): {len(report.lost)}",
        f"- false findings gone (labelled false, no longer reported): {len(report.gone_false)}",
    ]
    if report.skipped:
        parts.append(
            f"- skipped (dev corpus absent): {len(report.skipped)}: {', '.join(report.skipped)}"
        )
    parts += ["", "## Per rule", "", rule_table(report), "", "## Per list", "", list_table(report)]
    if with_patterns:
        parts += ["", "## False findings by pattern", "", patterns(report)]
    if report.unlabelled_errors:
        parts += ["", "## Unlabelled errors", ""]
        parts += [f"- {show(f)}" for f in report.unlabelled_errors]
    if report.lost:
        parts += ["", "## Lost true findings", ""]
        parts += [f"- {x.list}:{x.line} {x.rule}: {x.category}: {x.note}" for x in report.lost]
    missed = failures(report)
    parts += ["", "## Targets (issue #18)", ""]
    parts += [f"- MISSED: {m}" for m in missed] or ["- all met"]
    return "\n".join(parts)


def as_json(report: Report) -> dict[str, Any]:
    def counts(c: Counts) -> dict[str, Any]:
        return {**asdict(c), "precision": c.precision}

    return {
        "lists": [
            {
                "name": r.name,
                "origin": r.origin,
                "lines": r.lines,
                "seconds": round(r.seconds, 3),
                "error": r.error,
                "errors": counts(r.errors),
                "warnings": counts(r.warnings),
            }
            for r in report.lists
        ],
        "skipped": report.skipped,
        "rules": {
            rule: {sev: counts(c) for sev, c in by.items()}
            for rule, by in sorted(report.rules.items())
        },
        "errors": counts(report.total("error")),
        "warnings": counts(report.total("warning")),
        "unlabelled_errors": [asdict(f) for f in report.unlabelled_errors],
        "unlabelled_sample": [asdict(f) for f in report.unlabelled_sample],
        "unlabelled_warnings": report.unlabelled_warnings,
        "lost_true": [asdict(x) for x in report.lost],
        "gone_false": len(report.gone_false),
        "false_by_category": dict(
            Counter(label.category or "(none)" for _, label in report.false_found).most_common()
        ),
        "missed_targets": failures(report),
    }


def unlabelled(report: Report, linted: Sequence[Linted], append: bool) -> str:
    lines = {item.corpus.name: item.lines for item in linted}
    todo = report.unlabelled_errors + report.unlabelled_sample
    out = [show(f, lines) for f in sorted(todo, key=lambda f: (f.list, f.line, f.rule))]
    if append:
        by_list: dict[str, dict[tuple[int, str], Finding]] = defaultdict(dict)
        for f in todo:
            by_list[f.list].setdefault((f.line, f.rule), f)
        for name, keyed in sorted(by_list.items()):
            new = [
                Label(name, line, rule, "?", "", f"{f.severity}: {f.message[:160]}")
                for (line, rule), f in sorted(keyed.items())
            ]
            path = append_labels(name, new)
            out.append(f"appended {len(new)} '?' label(s) to {path.relative_to(ROOT)}")
    return "\n".join(out) if out else "nothing to label"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument(
        "--list",
        action="append",
        default=[],
        metavar="NAME",
        help="only lists whose name contains NAME (repeatable)",
    )
    ap.add_argument("--json", action="store_true", help="print JSON instead of markdown")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--patterns", action="store_true", help="rank false findings by category")
    ap.add_argument("--unlabelled", action="store_true", help="print findings needing a label")
    ap.add_argument(
        "--append",
        action="store_true",
        help="with --unlabelled: append them to bench/labels as '?' verdicts",
    )
    ap.add_argument(
        "--sample",
        type=int,
        default=SAMPLE,
        help=f"warnings labelled per rule and list (default {SAMPLE})",
    )
    ap.add_argument(
        "--dev-corpus",
        default=None,
        metavar="DIR",
        help="the uncommitted lists (default $README_TOOLS_DEV_CORPUS or ../shared/corpora-dev)",
    )
    args = ap.parse_args(argv)
    if args.append and not args.unlabelled:
        ap.error("--append needs --unlabelled")

    lists, skipped = corpus_lists(Path(args.dev_corpus) if args.dev_corpus else None)
    lists = select(lists, args.list)
    if not lists:
        print("no corpus list matches", file=sys.stderr)
        return 2
    start = time.perf_counter()
    linted = lint_lists(lists)
    report = evaluate(linted, all_labels(), args.sample)
    report.skipped = [s for s in skipped if not args.list or select_name(s, args.list)]
    report.seconds = time.perf_counter() - start
    if args.unlabelled:
        print(unlabelled(report, linted, args.append))
    elif args.json:
        print(json.dumps(as_json(report), indent=2, ensure_ascii=False))
    else:
        print(render(report, args.patterns))
    if args.check and failures(report):
        return 1
    return 0


def select_name(name: str, wanted: Sequence[str]) -> bool:
    return any(w.lower() in name.lower() for w in wanted)


if __name__ == "__main__":
    sys.exit(main())
