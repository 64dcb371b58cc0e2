"""Adding papers to a list: the writer, then the same fixes and checks as readme-fmt/-lint.

For each paper: refuse it when the list already has it (the duplicate check's identity),
find its section and place, write it like its neighbours
(:mod:`readme_tools.listdata.place`, :mod:`readme_tools.listdata.writer`) and keep the
variant whose lines the rules find nothing new on. Then the derived parts follow
through their rules' fixes: the table of contents (``toc-missing``, only for the headings the
additions created; entries the TOC had wrong before stay as they were) and stale stats blocks
(``stats-block``). Finally the whole list is linted before and after: findings the additions
brought are returned, so the caller can say so.

It lives beside the formatter because, like it, it runs the rules (the engine) over the
result; the writing itself (:mod:`readme_tools.listdata`) reads only the document model.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from readme_tools import registry
from readme_tools.baseline import identity
from readme_tools.config import Config, TocOptions
from readme_tools.diagnostics import Diagnostic, Edit, apply_edits
from readme_tools.engine import Selection, active_rules, check
from readme_tools.fingerprints import digest
from readme_tools.identity import normalize_title
from readme_tools.listdata.house import House, learn_house
from readme_tools.listdata.paper import Paper
from readme_tools.listdata.place import (
    Catalog,
    NewSection,
    PlaceError,
    choose_section,
    insertion,
    summary_block,
)
from readme_tools.listdata.text import plain
from readme_tools.listdata.writer import default_template, render_entry
from readme_tools.model import Document
from readme_tools.parse import parse
from readme_tools.source import Source, decode
from readme_tools.venues import VenueOptions, Vocabulary, configured_vocabulary

__all__ = ["Added", "NewSection", "Outcome", "PlaceError", "add_papers", "refusal"]


@dataclass(frozen=True)
class Added:
    paper: Paper
    line: int  # 1-based line of the new entry in the final text
    section: str


@dataclass
class Outcome:
    text: str
    added: list[Added] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    new_findings: list[Diagnostic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _parse(text: str, path: str, config: Config) -> Document:
    return parse(decode(text.encode("utf-8"), path), config.options(TocOptions))


def _label(doc: Document, index: int) -> str:
    entry = doc.entries[index]
    shown = plain(entry.name or entry.title or entry.head)
    return shown if len(shown) <= 60 else shown[:57] + "…"


def _fingerprints(doc: Document, diagnostics: Sequence[Diagnostic]) -> Counter[str]:
    return Counter(digest(d.rule, identity(doc, d), "") for d in diagnostics)


def _new(
    before: tuple[Document, Sequence[Diagnostic]], after: tuple[Document, Sequence[Diagnostic]]
) -> list[Diagnostic]:
    """Findings of ``after`` beyond those ``before`` had: by rule and what they are about
    (an entry's paper id, a heading…), as baselines match them; a message that only counts
    differently ("a run of 11 entries") is the same finding."""
    seen = _fingerprints(*before)
    out = []
    for d in after[1]:
        key = digest(d.rule, identity(after[0], d), "")
        if seen[key] > 0:
            seen[key] -= 1
        else:
            out.append(d)
    return out


def _lines(text: str, start: int, end: int) -> frozenset[int]:
    first = text.count("\n", 0, start) + 1
    last = text.count("\n", 0, max(end - 1, start)) + 1
    return frozenset(range(first, last + 1))


@dataclass(frozen=True)
class _Run:
    """One add or import: the list as it was, and how it treats what it adds."""

    path: str
    config: Config
    original: Document
    section: str | None
    create: bool
    today: datetime.date
    importing: bool  # duplicates only against the list as it was; new sections not sorted

    def ordered(self, doc: Document, target: int | NewSection) -> bool:
        """Whether the section follows the list's style and order (for an import: only
        the sections the list had entries in before; the others keep the file's)."""
        if not self.importing:
            return True
        if isinstance(target, NewSection):
            return False
        heading = doc.sections[target].heading
        key = normalize_title(heading.text) if heading is not None else ""
        return key in self.had_entries

    @property
    def title(self) -> str | None:
        """The list's title: its only level-1 heading (before this run), else None."""
        level1 = [h for h in self.original.headings if h.level == 1]
        return normalize_title(level1[0].text) if len(level1) == 1 else None

    @property
    def had_entries(self) -> set[str]:
        doc = self.original
        return {
            normalize_title(h.text)
            for h in (doc.sections[e.section].heading for e in doc.entries)
            if h is not None
        }


def _add_one(text: str, paper: Paper, run: _Run, outcome: Outcome, *, checked: bool = False) -> str:
    config, path = run.config, run.path
    vocab = configured_vocabulary(config.options(VenueOptions))
    doc = _parse(text, path, config)
    refused = None if checked else refusal(doc, paper)
    if refused is not None:
        outcome.refused.append(refused)
        return text
    target = choose_section(doc, paper, run.section, run.create, vocab, run.title)
    ordered = run.ordered(doc, target)
    house = learn_house(doc, vocab)
    rules = [r for r in active_rules(registry.load(), config, Selection()) if not r.online]
    best: tuple[int, str, int, str, int] | None = None
    variant = 0
    while True:
        plan = insertion(doc, paper, target, variant, house, vocab, config, run.today, ordered)
        if plan is None:
            break
        new_text = apply_edits(text, [plan.edit])
        end = plan.line_offset + len(paper.full_title) + 1
        lines = _lines(
            new_text,
            plan.line_offset,
            new_text.find("\n", end) if "\n" in new_text[end:] else len(new_text),
        )
        new_doc = _parse(new_text, path, config)
        found = [d for d in check(new_doc, rules, config, lines=lines) if d.line in lines]
        if best is None or len(found) < best[0]:
            best = (len(found), new_text, plan.line_offset, plan.section, plan.left_out)
        if not found:
            break
        variant += 1
    assert best is not None
    _, new_text, offset, name, left_out = best
    if left_out:
        outcome.notes.append(
            f"{paper.full_title!r}: left out what its neighbour has and no source gives "
            "(its authors, say); add it by hand"
        )
    outcome.added.append(Added(paper, new_text.count("\n", 0, offset) + 1, name))
    return new_text


def refusal(doc: Document, paper: Paper, catalog: Catalog | None = None) -> str | None:
    """Why ``paper`` cannot be added (the entry that already lists it), or None."""
    twin = (catalog or Catalog(doc)).find(paper)
    if twin is None:
        return None
    index = doc.entries.index(twin)
    where = doc.sections[twin.section].heading
    return f"{_paper_id(paper)} is already listed: line {twin.line}, {_label(doc, index)!r}" + (
        f" in {where.text.strip()!r}" if where else ""
    )


def _import(text: str, papers: Sequence[Paper], run: _Run, outcome: Outcome) -> str:
    """An import: papers bound for a section the list had entries in go one by one (in its
    style and order); a run of papers bound for one new section is written in one go, in
    the file's order and fields (the default grammar), with one parse for the whole run."""
    vocab = configured_vocabulary(run.config.options(VenueOptions))
    catalog = Catalog(run.original)
    pending = [p for p in papers if not _refused(p, run, outcome, catalog)]
    k = 0
    while k < len(pending):
        paper = pending[k]
        doc = _parse(text, run.path, run.config)
        target = choose_section(doc, paper, run.section, run.create, vocab, run.title)
        if run.ordered(doc, target):
            text = _add_one(text, paper, run, outcome, checked=True)
            k += 1
            continue
        group = [paper]
        while k + len(group) < len(pending) and pending[k + len(group)].path == paper.path:
            group.append(pending[k + len(group)])
        text = _append_group(text, doc, group, target, run, vocab, outcome)
        k += len(group)
    return text


def _refused(paper: Paper, run: _Run, outcome: Outcome, catalog: Catalog) -> bool:
    message = refusal(run.original, paper, catalog)
    if message is not None:
        outcome.refused.append(message)
    return message is not None


def _append_group(
    text: str,
    doc: Document,
    group: Sequence[Paper],
    target: int | NewSection,
    run: _Run,
    vocab: Vocabulary,
    outcome: Outcome,
) -> str:
    house = House()  # the default grammar: nothing of the list's own spelling is used
    plan = insertion(doc, group[0], target, 0, house, vocab, run.config, run.today, False)
    assert plan is not None
    text = apply_edits(text, [plan.edit])
    outcome.added.append(Added(group[0], 0, plan.section))
    blocks = []
    for paper in group[1:]:
        line = render_entry(default_template(paper), paper, house, vocab, run.today)
        blocks.append(line + summary_block(paper, doc, [], "- "))
        outcome.added.append(Added(paper, 0, plan.section))
    if not blocks:
        return text
    sep = "\n\n" if any(p.summary for p in group) else "\n"
    at = plan.line_offset + len(plan.block)
    return text[:at] + "".join(sep + block for block in blocks) + text[at:]


def _paper_id(paper: Paper) -> str:
    if paper.ids:
        ident = paper.ids[0]
        return {"arxiv": "arXiv ", "doi": "DOI ", "openreview": "OpenReview "}.get(
            ident.kind, f"{ident.kind}:"
        ) + ident.value
    return repr(paper.full_title)


_TARGET_RE = re.compile(r"\]\((#[^)\s]*)\)")


def _line_of(lines: list[str], wanted: str) -> int:
    """The index of ``wanted`` in ``lines``, else of the line linking to the same anchor."""
    if wanted in lines:
        return lines.index(wanted)
    target = _TARGET_RE.search(wanted)
    if target is not None:
        for index, line in enumerate(lines):
            found = _TARGET_RE.search(line)
            if found is not None and found.group(1) == target.group(1):
                return index
    return -1


def _toc_merge(old_toc: str, fixed_before: str, fixed_after: str) -> str | None:
    """``old_toc`` with the lines the additions brought to the regenerated TOC, each after
    the line that precedes it there; None when the difference is not only insertions or an
    anchor line is missing from ``old_toc``."""
    a = fixed_before.splitlines()
    b = fixed_after.splitlines()
    lines = old_toc.splitlines()
    for tag, i1, _, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag != "insert":
            return None
        if i1 == 0:
            at = 0
        else:
            at = _line_of(lines, a[i1 - 1])
            if at < 0:
                return None
            at += 1
        lines[at:at] = b[j1:j2]
    return "\n".join(lines) + ("\n" if old_toc.endswith("\n") else "")


def _follow_up(text: str, path: str, original: Document, config: Config, outcome: Outcome) -> str:
    """The TOC and the stats blocks, through their rules' fixes."""
    reg = registry.load()
    chosen = {r.name for r in active_rules(reg, config, Selection())}
    doc = _parse(text, path, config)
    toc = reg.get("toc-missing")
    if toc is not None and toc.name in chosen:
        before = check(original, [toc], config)
        after = check(doc, [toc], config)
        fresh = _new((original, before), (doc, after))
        fix = next((d.fix for d in fresh if d.fix is not None and d.fix.edits), None)
        if fix is not None:
            edit = fix.edits[0]
            old_fix = next((d.fix for d in before if d.fix is not None and d.fix.edits), None)
            if old_fix is None:
                text = apply_edits(text, fix.edits)
            else:
                merged = _toc_merge(
                    text[edit.start : edit.end], old_fix.edits[0].replacement, edit.replacement
                )
                if merged is None:
                    text = apply_edits(text, fix.edits)
                    outcome.notes.append(
                        "the table of contents was regenerated (it had other problems too)"
                    )
                else:
                    text = apply_edits(text, [Edit(edit.start, edit.end, merged)])
            doc = _parse(text, path, config)
    stats = reg.get("stats-block")
    if stats is not None and stats.name in chosen:
        edits = [e for d in check(doc, [stats], config) if d.fix for e in d.fix.edits]
        if edits:
            text = apply_edits(text, edits)
            outcome.notes.append("refreshed the stats block")
    return text


def add_papers(
    source: Source,
    config: Config,
    papers: Sequence[Paper],
    *,
    section: str | None = None,
    create: bool = False,
    today: datetime.date | None = None,
    importing: bool = False,
) -> Outcome:
    """Add ``papers`` to ``source``'s list, in order; raises :class:`PlaceError` when one has
    no section to go to. Nothing is written: the outcome has the new text.

    ``importing``: a paper is refused only when the list had it before (a file may list a
    paper in two sections), and sections the list did not have keep the file's order."""
    path = source.path
    text = source.text
    outcome = Outcome(text)
    original = _parse(text, path, config)
    run = _Run(path, config, original, section, create, today or datetime.date.today(), importing)
    if importing:
        text = _import(text, papers, run, outcome)
    else:
        for paper in papers:
            text = _add_one(text, paper, run, outcome)
    if outcome.added:
        text = _follow_up(text, path, original, config, outcome)
        rules = [r for r in active_rules(registry.load(), config, Selection()) if not r.online]
        final = _parse(text, path, config)
        outcome.new_findings = _new(
            (original, check(original, rules, config)), (final, check(final, rules, config))
        )
        catalog = Catalog(final)
        for k, added in enumerate(outcome.added):  # lines move when the TOC grows
            entry = catalog.find(added.paper)
            if entry is not None:
                outcome.added[k] = Added(added.paper, entry.line, added.section)
    outcome.text = text
    return outcome
