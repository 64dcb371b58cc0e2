"""Baselines: adopt readme-lint on a legacy list without fixing every old finding first.

``readme-lint --update-baseline --baseline FILE`` records the current findings; later runs with
``--baseline FILE`` drop findings recorded there and report only new ones.

A finding is identified by its *fingerprint*: the rule, the identity of what it is about, and
its message with positions removed, never its line number. The identity is the canonical key
of the entry that contains the finding (arXiv id, else normalised title, else first link); for
findings outside entries it is the heading text (on a heading line) or the line's normalised
content. Reordering entries or inserting new ones therefore does not resurrect baselined
findings. Matching is count-aware: two identical fingerprints need two records.

The file is JSON with a stable order (one record per path and fingerprint, with a count), so it
diffs well and can be reviewed; it is written atomically.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from readme_tools.diagnostics import Diagnostic, counted
from readme_tools.fingerprints import digest, normalise_message
from readme_tools.identity import entry_key
from readme_tools.model import Document, Entry

FORMAT_VERSION = 1

_SPACE_RE = re.compile(r"\s+")


class BaselineError(Exception):
    """An unreadable or malformed baseline file. One line, exit code 2."""


# --------------------------------------------------------------------------- identity


def normalise(text: str) -> str:
    """Case-folded, NFKC, whitespace collapsed, trailing punctuation dropped."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE_RE.sub(" ", text).strip().rstrip(".:!?。").strip()


def _entry_at(doc: Document, starts: Sequence[int], offset: int) -> Entry | None:
    index = bisect.bisect_right(starts, offset) - 1
    while index >= 0:
        entry = doc.entries[index]
        if entry.span.start <= offset <= entry.span.end:
            return entry
        if entry.depth == 0:
            break
        index -= 1
    return None


def _line_key(doc: Document, line: int) -> str:
    for heading in doc.headings:
        if heading.line == line:
            return f"heading:{normalise(heading.text)}"
    if line <= doc.source.line_count:
        return f"line:{normalise(doc.source.line(line))}"
    return "line:"


def identity(
    doc: Document,
    diagnostic: Diagnostic,
    starts: Sequence[int] | None = None,
    line_keys: dict[int, str] | None = None,
) -> str:
    """What a finding is about, independent of where in the file it is.

    ``line_keys`` caches the keys of lines outside entries (a long line can have thousands
    of findings; normalising it once per finding was quadratic).
    """
    if diagnostic.key:
        return diagnostic.key
    if starts is None:
        starts = [e.span.start for e in doc.entries]
    entry = _entry_at(doc, starts, diagnostic.start)
    if entry is not None:
        return entry_key(entry)  # canonical paper id, else title, else link
    if line_keys is None:
        return _line_key(doc, diagnostic.line)
    key = line_keys.get(diagnostic.line)
    if key is None:
        key = line_keys[diagnostic.line] = _line_key(doc, diagnostic.line)
    return key


def with_keys(doc: Document, diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics with ``key`` filled in from their entry, heading or line."""
    starts = [e.span.start for e in doc.entries]
    line_keys: dict[int, str] = {}
    return [
        d if d.key else replace(d, key=identity(doc, d, starts, line_keys)) for d in diagnostics
    ]


def fingerprint(diagnostic: Diagnostic) -> str:
    """Fingerprint of a diagnostic whose ``key`` is filled in (see :func:`with_keys`)."""
    return digest(diagnostic.rule, diagnostic.key, diagnostic.message)


# --------------------------------------------------------------------------- the file


@dataclass(frozen=True, slots=True)
class Record:
    path: str  # relative to the baseline file's directory, POSIX separators
    rule: str
    key: str
    message: str  # normalised (positions removed)
    fingerprint: str
    count: int = 1


@dataclass(frozen=True)
class Baseline:
    base: Path  # the directory paths are relative to
    records: tuple[Record, ...] = ()

    def rel(self, path: str) -> str:
        return relative_path(path, self.base)


def relative_path(path: str, base: Path) -> str:
    if path == "<stdin>":
        return path
    return Path(os.path.relpath(Path(path).absolute(), base.absolute())).as_posix()


def load(path: str | Path) -> Baseline:
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(
            f"{path}: baseline file not found (create it with --update-baseline)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: baseline is not valid JSON: {exc}") from None
    if not isinstance(data, Mapping) or data.get("version") != FORMAT_VERSION:
        raise BaselineError(
            f"{path}: not a readme-lint baseline (version {FORMAT_VERSION} expected); "
            "recreate it with --update-baseline"
        )
    records = []
    for item in data.get("findings", ()):
        try:
            records.append(_record(item))
        except (KeyError, TypeError, ValueError):
            raise BaselineError(f"{path}: malformed baseline record {item!r}") from None
    return Baseline(base=p.absolute().parent, records=tuple(records))


def _record(item: Any) -> Record:
    count = int(item.get("count", 1))
    if count < 1:
        raise ValueError(count)
    fields = {name: item[name] for name in ("path", "rule", "key", "message", "fingerprint")}
    if not all(isinstance(v, str) for v in fields.values()):
        raise TypeError(fields)
    return Record(count=count, **fields)


def dump(baseline: Baseline) -> bytes:
    records = sorted(
        baseline.records, key=lambda r: (r.path, r.rule, r.key, r.message, r.fingerprint)
    )
    data = {
        "version": FORMAT_VERSION,
        "tool": "readme-lint",
        "findings": [
            {
                "path": r.path,
                "rule": r.rule,
                "key": r.key,
                "message": r.message,
                "fingerprint": r.fingerprint,
                "count": r.count,
            }
            for r in records
        ],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def records_for(diagnostics: Iterable[Diagnostic], base: Path) -> list[Record]:
    """One record per (path, fingerprint), with the number of findings sharing it."""
    counts: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], Diagnostic] = {}
    for d in diagnostics:
        k = (relative_path(d.path, base), fingerprint(d))
        counts[k] += 1
        first.setdefault(k, d)
    return [
        Record(
            path=k[0],
            rule=first[k].rule,
            key=first[k].key,
            message=normalise_message(first[k].message),
            fingerprint=k[1],
            count=n,
        )
        for k, n in counts.items()
    ]


def updated(
    old: Baseline | None, base: Path, linted: Iterable[str], found: Iterable[Diagnostic]
) -> Baseline:
    """A baseline of ``found``, keeping ``old``'s records of files not linted this time."""
    linted_rel = {relative_path(p, base) for p in linted}
    kept = [r for r in (old.records if old else ()) if r.path not in linted_rel]
    return Baseline(base=base, records=tuple(kept + records_for(found, base)))


@dataclass(frozen=True)
class Outcome:
    kept: tuple[Diagnostic, ...]  # findings not in the baseline
    suppressed: int
    stale: tuple[Record, ...]  # records (of linted files) that matched nothing; count = unmatched


def apply(baseline: Baseline, diagnostics: Sequence[Diagnostic], linted: Iterable[str]) -> Outcome:
    """Drop findings recorded in ``baseline`` (count-aware); report unmatched records."""
    remaining: Counter[tuple[str, str]] = Counter()
    for r in baseline.records:
        remaining[(r.path, r.fingerprint)] += r.count
    kept: list[Diagnostic] = []
    suppressed = 0
    for d in diagnostics:
        k = (baseline.rel(d.path), fingerprint(d))
        if remaining[k] > 0:
            remaining[k] -= 1
            suppressed += 1
        else:
            kept.append(d)
    linted_rel = {baseline.rel(p) for p in linted}
    stale = tuple(
        replace(r, count=remaining[(r.path, r.fingerprint)])
        for r in baseline.records
        if r.path in linted_rel and remaining[(r.path, r.fingerprint)] > 0
    )
    return Outcome(kept=tuple(kept), suppressed=suppressed, stale=stale)


def stale_report(stale: Sequence[Record]) -> str:
    if not stale:
        return ""
    total = sum(r.count for r in stale)
    lines = [
        f"{counted(total, 'baseline record')} without a matching finding "
        "(fixed? refresh with --update-baseline):"
    ]
    for r in sorted(stale, key=lambda r: (r.path, r.rule, r.key)):
        times = f" (x{r.count})" if r.count > 1 else ""
        lines.append(f"  {r.path}: {r.rule} [{r.key}] {r.message}{times}")
    return "\n".join(lines) + "\n"
