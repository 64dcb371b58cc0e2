"""The development corpus and its labels, shared by bench/precision.py and bench/bench_churn.py.

Lists come from three places:

- ``tests/corpus/`` (committed, described by ``tests/corpus/SOURCES.tsv``);
- the seed, ``tests/fixtures/mllm-paper-reading.md``;
- the optional uncommitted part, ``../shared/corpora-dev`` from the project root (or
  ``$README_TOOLS_DEV_CORPUS`` / ``--dev-corpus``), described by
  ``bench/corpus/SOURCES-dev.tsv``; when it is absent its lists are reported as skipped.

Labels live in ``bench/labels/<list>.tsv`` (see bench/README.md): one judgement per
(list, line, rule), optionally narrowed by ``match`` (a substring of the message) when one line
has findings of one rule that deserve different verdicts.

This module only reads files; it imports nothing from readme_tools, so the labels can be
checked without running the linter.
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "tests" / "corpus"
SEED = ROOT / "tests" / "fixtures" / "mllm-paper-reading.md"
LABELS = ROOT / "bench" / "labels"
DEV_SOURCES = ROOT / "bench" / "corpus" / "SOURCES-dev.tsv"
DEV_ENV = "README_TOOLS_DEV_CORPUS"
DEFAULT_DEV = ROOT.parent / "shared" / "corpora-dev"

VERDICTS = ("true", "false", "?")
LABEL_COLUMNS = ("line", "rule", "verdict", "category", "note", "match")
#: Warnings labelled per (list, rule): the sample size of bench/README.md.
SAMPLE = 10


@dataclass(frozen=True)
class CorpusList:
    name: str  # the file's stem: the key of its label file
    path: Path
    origin: str  # "committed" | "seed" | "dev"


@dataclass(frozen=True)
class Source:
    """One row of a SOURCES table."""

    file: str
    repo: str
    path: str
    commit: str
    license: str
    license_file: str
    bytes: int
    lines: int
    layout: str


def read_sources(path: Path) -> list[Source]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        Source(
            file=r["file"],
            repo=r["repo"],
            path=r["path"],
            commit=r["commit"],
            license=r["license"],
            license_file=r["license_file"],
            bytes=int(r["bytes"]),
            lines=int(r["lines"]),
            layout=r["layout"],
        )
        for r in rows
    ]


def dev_dir(option: str | Path | None = None) -> Path:
    """Where the uncommitted lists are looked for: option, then environment, then default."""
    if option:
        return Path(option)
    env = os.environ.get(DEV_ENV)
    return Path(env) if env else DEFAULT_DEV


def corpus_lists(dev: Path | None = None) -> tuple[list[CorpusList], list[str]]:
    """(lists found, names of dev lists skipped because the dev corpus is absent)."""
    found = [CorpusList(s.file[:-3], COMMITTED / s.file, "committed") for s in committed()]
    found.append(CorpusList(SEED.stem, SEED, "seed"))
    skipped: list[str] = []
    folder = dev_dir(dev)
    for source in read_sources(DEV_SOURCES):
        path = folder / source.file
        if path.is_file():
            found.append(CorpusList(source.file[:-3], path, "dev"))
        else:
            skipped.append(source.file[:-3])
    return found, skipped


def committed() -> list[Source]:
    return read_sources(COMMITTED / "SOURCES.tsv")


def select(lists: Sequence[CorpusList], wanted: Iterable[str]) -> list[CorpusList]:
    """Lists whose name contains one of ``wanted`` (case-insensitive); all when empty."""
    keys = [w.lower() for w in wanted]
    if not keys:
        return list(lists)
    return [c for c in lists if any(k in c.name.lower() for k in keys)]


# --------------------------------------------------------------------------- labels


@dataclass(frozen=True)
class Label:
    list: str
    line: int
    rule: str
    verdict: str  # true | false | ?
    category: str
    note: str
    match: str = ""  # substring of the message; "" = every finding of the rule on the line
    row: int = 0  # line in the label file, for messages


class LabelError(Exception):
    """A label file that does not parse: one line naming the file and row."""


def label_path(name: str) -> Path:
    return LABELS / f"{name}.tsv"


def read_labels(path: Path) -> list[Label]:
    """Parse one label file (``#`` lines and blank lines are comments)."""
    name = path.stem
    out: list[Label] = []
    header: list[str] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if header is None:
            header = cells
            if tuple(header[:5]) != LABEL_COLUMNS[:5] or len(header) > len(LABEL_COLUMNS):
                raise LabelError(f"{path}:{number}: header must be {' '.join(LABEL_COLUMNS)}")
            continue
        if len(cells) > len(header):
            raise LabelError(f"{path}:{number}: {len(cells)} cells, header has {len(header)}")
        row = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True))
        try:
            line = int(row["line"])
        except ValueError:
            raise LabelError(f"{path}:{number}: line {row['line']!r} is not a number") from None
        if row["verdict"] not in VERDICTS:
            raise LabelError(f"{path}:{number}: verdict {row['verdict']!r} not in {VERDICTS}")
        out.append(
            Label(
                list=name,
                line=line,
                rule=row["rule"],
                verdict=row["verdict"],
                category=row["category"],
                note=row["note"],
                match=row.get("match", "") or "",
                row=number,
            )
        )
    return out


def all_labels() -> dict[str, list[Label]]:
    return {p.stem: read_labels(p) for p in sorted(LABELS.glob("*.tsv"))}


def format_label(label: Label) -> str:
    cells = [str(label.line), label.rule, label.verdict, label.category, label.note]
    if label.match:
        cells.append(label.match)
    return "\t".join(c.replace("\t", " ").replace("\n", " ") for c in cells)


def append_labels(name: str, labels: Sequence[Label]) -> Path:
    """Append ``labels`` to the list's label file, creating it with its header."""
    path = label_path(name)
    new = not path.exists()
    with path.open("a", encoding="utf-8") as handle:
        if new:
            handle.write("\t".join(LABEL_COLUMNS) + "\n")
        for label in labels:
            handle.write(format_label(label) + "\n")
    return path


def sample_rank(name: str, rule: str, line: int) -> str:
    """The fixed order warnings are sampled in: a hash of (list, rule, line).

    Taking the first :data:`SAMPLE` lines of a rule in this order gives the same sample on
    every run, and removing other findings (a fixed false positive) never reshuffles it.
    """
    return hashlib.sha1(f"{name}\t{rule}\t{line}".encode()).hexdigest()
