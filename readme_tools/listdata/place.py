"""Where a new paper goes: its section (named, created, or the only one), its neighbour to
copy, and its place in the run (by the run's order, else at the end)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from readme_tools.config import Config
from readme_tools.diagnostics import Edit
from readme_tools.identity import entry_paper_ids, normalize_title
from readme_tools.listdata.house import House, Template, template_of
from readme_tools.listdata.order import _LEAD_RE, OrderOptions, Run, plan_runs, runs
from readme_tools.listdata.paper import Paper
from readme_tools.listdata.records import _DATE_RE
from readme_tools.listdata.text import escape_inline, plain
from readme_tools.listdata.writer import default_template, render_variant
from readme_tools.metadata.targets import entry_title
from readme_tools.model import Document, Entry
from readme_tools.venues import Vocabulary, venue_in_heading

__all__ = ["Catalog", "PlaceError", "duplicate_of", "insertion", "summary_block"]


class PlaceError(Exception):
    """No section to put the paper in (one line, for the user; exit 2)."""


class Catalog:
    """The papers a list has, by paper id and normalised title (built once, asked often)."""

    def __init__(self, doc: Document) -> None:
        self.ids: dict[object, Entry] = {}
        self.titles: dict[str, Entry] = {}
        for entry in doc.entries:
            for ident in entry_paper_ids(entry):
                self.ids.setdefault(ident, entry)
            if entry.title:
                for title in (entry.title, entry_title(entry), plain(entry.title)):
                    key = normalize_title(title)
                    if key:
                        self.titles.setdefault(key, entry)

    def find(self, paper: Paper) -> Entry | None:
        for ident in paper.ids:
            if ident in self.ids:
                return self.ids[ident]
        for title in paper.normalized_titles:
            if len(title) >= 12 and title in self.titles:
                return self.titles[title]
        return None


def duplicate_of(doc: Document, paper: Paper) -> Entry | None:
    """The entry that already lists ``paper``: a shared paper id, or the same title
    (normalised as the duplicate-entry rule does; titles of at least 12 characters)."""
    return Catalog(doc).find(paper)


# ----------------------------------------------------------------------------- sections


def _sections_with_entries(doc: Document) -> list[int]:
    return sorted({e.section for e in doc.entries})


def _name(doc: Document, index: int) -> str:
    heading = doc.sections[index].heading
    return heading.text.strip() if heading is not None else "(top)"


def _match(doc: Document, wanted: str) -> list[int]:
    key = normalize_title(wanted)
    exact = [
        i
        for i, s in enumerate(doc.sections)
        if s.heading and normalize_title(s.heading.text) == key
    ]
    if exact:
        return exact
    return [
        i
        for i, s in enumerate(doc.sections)
        if s.heading and key and key in normalize_title(s.heading.text)
    ]


@dataclass(frozen=True)
class NewSection:
    """Headings to create (each one level below the one before), inserted at ``offset``."""

    texts: tuple[str, ...]
    level: int  # of the first
    offset: int

    @property
    def text(self) -> str:
        return self.texts[-1]

    def markdown(self) -> str:
        return "\n\n".join(
            "#" * min(self.level + depth, 6) + " " + escape_inline(text)
            for depth, text in enumerate(self.texts)
        )


def choose_section(
    doc: Document,
    paper: Paper,
    wanted: str | None,
    create: bool,
    vocab: Vocabulary,
    title: str | None = None,
) -> int | NewSection:
    """The section index for ``paper``, or the heading to create for it. ``title``: the
    list's own title (its only level-1 heading before an import), which stands for the first
    heading of an imported entry's path."""
    if wanted is not None:
        found = _match(doc, wanted)
        with_entries = [i for i in found if doc.sections[i].entries]
        if len(found) == 1 or len(with_entries) == 1:
            return found[0] if len(found) == 1 else with_entries[0]
        if len(found) > 1:
            names = ", ".join(repr(_name(doc, i)) for i in found)
            raise PlaceError(f"section {wanted!r} is ambiguous: {names}")
        if create:
            return _new_section(doc, wanted)
        raise PlaceError(f"no section {wanted!r} ({_known(doc)}; --new-section creates one)")
    if paper.path:
        return _by_path(doc, paper.path, title)
    candidates = _sections_with_entries(doc)
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        headed = [i for i, s in enumerate(doc.sections) if s.heading is not None]
        return headed[-1] if headed else 0
    if paper.venue is not None:
        named = [
            i
            for i in candidates
            if doc.sections[i].heading is not None
            and venue_in_heading(doc.sections[i].heading.text, vocab)  # type: ignore[union-attr]
            == (paper.venue.name, paper.venue.year)
        ]
        if len(named) == 1:
            return named[0]
    raise PlaceError(f"the list has several sections: choose one with --section ({_known(doc)})")


def _known(doc: Document) -> str:
    names = [_name(doc, i) for i in _sections_with_entries(doc)]
    if not names:
        return "the list has no entries yet"
    shown = ", ".join(repr(n) for n in names[:8])
    return f"sections: {shown}" + (", …" if len(names) > 8 else "")


def _subtree_end(doc: Document, index: int) -> int:
    """The offset where a section and its subsections end."""
    heading = doc.sections[index].heading
    level = heading.level if heading is not None else 0
    for later in doc.sections[index + 1 :]:
        if later.heading is not None and later.heading.level <= level:
            return later.span.start
    return len(doc.source.text)


def _new_section(doc: Document, text: str) -> NewSection:
    """A new heading after the last section with entries, at that section's level."""
    candidates = _sections_with_entries(doc)
    if not candidates:
        return NewSection(
            (text,), 2 if any(h.level == 1 for h in doc.headings) else 1, len(doc.source.text)
        )
    last = candidates[-1]
    heading = doc.sections[last].heading
    level = heading.level if heading is not None else 2
    return NewSection((text,), level, doc.sections[last].span.end)


def _by_path(doc: Document, path: Sequence[str], title: str | None) -> int | NewSection:
    """The section an exported entry's heading path names, or the first missing heading of
    it to create (its parent's subtree end). A single level-1 heading stands for the path's
    first element (the exported list's title)."""
    level1 = [
        i
        for i, s in enumerate(doc.sections)
        if s.heading and s.heading.level == 1 and normalize_title(s.heading.text) == title
    ]
    parent: int | None = None
    for depth, text in enumerate(path):
        key = normalize_title(text)
        start = parent + 1 if parent is not None else 0
        end = len(doc.sections)
        if parent is not None:
            limit = _subtree_end(doc, parent)
            end = next(
                (i for i in range(start, len(doc.sections)) if doc.sections[i].span.start >= limit),
                end,
            )
        headed = [
            (i, h.text.strip())
            for i in range(start, end)
            if (h := doc.sections[i].heading) is not None
        ]
        found = next((i for i, shown in headed if shown == text.strip()), None)
        if found is None:  # the same words, other emoji or punctuation
            found = next((i for i, shown in headed if normalize_title(shown) == key), None)
        if found is None and depth == 0 and level1 and len(path) > 1:
            found = level1[0]
        if found is None:
            rest = tuple(path[depth:])
            if parent is None:
                level = 1 if not doc.headings else min(h.level for h in doc.headings)
                return NewSection(rest, level, len(doc.source.text))
            heading = doc.sections[parent].heading
            level = (heading.level if heading is not None else 0) + 1
            return NewSection(rest, min(level, 6), _subtree_end(doc, parent))
        parent = found
    assert parent is not None
    return parent


# ----------------------------------------------------------------------------- templates


def _score(tpl: Template, paper: Paper, distance: int) -> tuple[int, ...]:
    wanted = {r for r in ("paper", "code", "page") if getattr(paper, "url" if r == "paper" else r)}
    covered = len(wanted & tpl.roles) + (("code" in wanted) and "badge-stars" in tpl.roles)
    named = int(bool(paper.name) == tpl.has("name"))
    venued = int((paper.venue is not None) == (tpl.has("venue") or "badge-venue" in tpl.roles))
    return (int(tpl.usable), covered, named, venued, -tpl.unknowns, -distance)


def choose_template(
    doc: Document, candidates: Sequence[int], paper: Paper, anchor: int, vocab: Vocabulary
) -> Template | None:
    """The neighbour to copy: usable, covering the paper's links, named like it, closest."""
    best: tuple[tuple[int, ...], Template] | None = None
    for index in candidates:
        tpl = template_of(doc, doc.entries[index], vocab)
        score = _score(tpl, paper, abs(index - anchor))
        if best is None or score > best[0]:
            best = (score, tpl)
    if best is None or not best[1].usable:
        return None
    return best[1]


# ----------------------------------------------------------------------------- insertion


@dataclass(frozen=True)
class Insertion:
    edit: Edit
    line_offset: int  # where the new entry's first line starts in the new text
    section: str
    block: str = ""  # the new entry's text (its line and summary)
    left_out: int = 0  # parts of the neighbour no source fills (authors…), left out


def _separator(doc: Document, entries: Sequence[Entry]) -> str:
    text = doc.source.text
    seps = Counter(text[a.span.end : b.span.start] for a, b in pairwise(entries))
    if seps:
        return seps.most_common(1)[0][0]
    only = entries[0]
    return "\n\n" if only.summary and only.kind == "list" else "\n"


def _indent(doc: Document, entry: Entry) -> str:
    text = doc.source.text
    start = text.rfind("\n", 0, entry.span.start) + 1
    return text[start : entry.span.start]


def _numbered(prefix: str, marker: str | None, number: int) -> str:
    """``prefix`` (a template's marker and spacing) numbered for a place in an ordered list
    whose neighbour there has ``marker``; a bullet becomes the number."""
    if not marker or not marker[:-1].isdigit():
        return prefix
    if prefix[:1] in "-*+":
        rest = prefix[1:]
    else:
        rest = prefix.lstrip("0123456789")[1:] if prefix[:1].isdigit() else prefix
    return f"{number}{marker[-1]}{rest}"


def summary_block(paper: Paper, doc: Document, entries: Sequence[Entry], prefix: str) -> str:
    if not paper.summary:
        return ""
    indent = " " * len(prefix)
    for entry in entries:
        if entry.summary:
            line = doc.source.line(entry.summary[0].line)
            indent = line[: len(line) - len(line.lstrip(" "))] or indent
            break
    paragraphs = [p for p in paper.summary.split("\n\n") if p.strip()]
    lines = ["\n".join(indent + line for line in p.split("\n")) for p in paragraphs]
    return "\n\n" + "\n\n".join(lines)


def paper_key(order: str, paper: Paper, line: str) -> tuple[int, ...] | str | None:
    """The new entry's sort key, as :func:`~.order.entry_key_for` would read it from
    ``line``: a date written on it (else the arXiv month), the venue year, or the name."""
    if order.startswith("date"):
        match = _DATE_RE.search(line)
        if match:
            return (int(match.group(1)), int(match.group(2)))
        return paper.month
    if order.startswith("year"):
        return (paper.venue.year,) if paper.venue and paper.venue.year else None
    text = paper.name or _LEAD_RE.split(paper.full_title, maxsplit=1)[0]
    key = text.strip(" \t*_[]()\"'`.,;:-").casefold()
    return key or None


def _position(
    doc: Document,
    run: Run,
    paper: Paper,
    paper_line: str,
    vocab: Vocabulary,
    options: OrderOptions,
) -> int | None:
    """The index in ``run.entries`` the new entry goes before (None: after the last)."""
    plan = next((p for p in plan_runs(doc, vocab, options) if p.run.entries == run.entries), None)
    if plan is None:
        return None
    key = paper_key(plan.order, paper, paper_line)
    if key is None:
        return None
    descending = plan.order in ("date", "year", "name-desc")
    for pos, other in enumerate(plan.keys):
        if other is None or plan.fixed[pos]:
            continue
        if (key > other) if descending else (key < other):  # type: ignore[operator]
            return pos
    return None


def _first_block(
    doc: Document,
    tpl: Template | None,
    paper: Paper,
    tpl_variant: int,
    house: House,
    vocab: Vocabulary,
    today: datetime.date,
) -> tuple[str, Template] | None:
    """The block (line and summary) of ``paper`` opening a new list, numbered 1 in a numbered
    one, and the template used: ``tpl``, or the default one when there is none or it is a
    table row (a new table would need its header row). None: no such variant."""
    if tpl is None or tpl.kind == "table":
        tpl = default_template(paper)
    line = render_variant(tpl, tpl_variant, paper, house, vocab, today)
    if line is None:
        return None
    marker = _numbered(tpl.prefix, tpl.source.marker, 1)
    line = marker + line[len(tpl.prefix) :]
    return line + summary_block(paper, doc, [], marker), tpl


def insertion(
    doc: Document,
    paper: Paper,
    target: int | NewSection,
    tpl_variant: int,
    house: House,
    vocab: Vocabulary,
    config: Config,
    today: datetime.date,
    ordered: bool = True,
) -> Insertion | None:
    """The edit that adds ``paper`` (None when variant ``tpl_variant`` does not exist).
    ``ordered=False`` appends it to its section whatever the section's order."""
    text = doc.source.text
    options = config.options(OrderOptions)
    if isinstance(target, NewSection):
        anchor = len(doc.entries)
        tpl = None
        if ordered:
            tpl = choose_template(doc, range(len(doc.entries)), paper, anchor, vocab)
        opening = _first_block(doc, tpl, paper, tpl_variant, house, vocab, today)
        if opening is None:
            return None
        block, _ = opening
        heading = target.markdown()
        prior = text[: target.offset]
        lead = (
            ""
            if prior.endswith("\n\n") or not prior
            else ("\n" if prior.endswith("\n") else "\n\n")
        )
        new = f"{lead}{heading}\n\n{block}\n"
        if target.offset < len(text):
            new += "\n"
        start = target.offset + len(lead) + len(heading) + 2
        return Insertion(Edit(target.offset, target.offset, new), start, target.text, block)
    section_runs = [r for r in runs(doc) if r.section == target]
    name = _name(doc, target)
    if not section_runs:
        candidates = range(len(doc.entries)) if ordered else range(0)
        anchor = next(
            (i for i, e in enumerate(doc.entries) if e.section > target), len(doc.entries)
        )
        tpl = choose_template(doc, candidates, paper, anchor, vocab)
        opening = _first_block(doc, tpl, paper, tpl_variant, house, vocab, today)
        if opening is None:
            return None
        block, tpl = opening
        end = doc.sections[target].span.end
        body = text[doc.sections[target].span.start : end].rstrip("\n")
        at = doc.sections[target].span.start + len(body)
        new = "\n\n" + block + ("\n" if at >= len(text.rstrip("\n")) else "")
        return Insertion(Edit(at, at, new), at + 2, name, block, tpl.unknowns)
    run = section_runs[-1]
    entries = [doc.entries[i] for i in run.entries]
    anchor = run.entries[-1]
    tpl = None
    if ordered:  # a section this import made keeps the source's own fields
        tpl = choose_template(
            doc, [i for r in section_runs for i in r.entries], paper, anchor, vocab
        )
    if tpl is None:
        tpl = default_template(paper)
    line = render_variant(tpl, tpl_variant, paper, house, vocab, today)
    if line is None:
        return None
    pos = _position(doc, run, paper, line, vocab, options) if ordered else None
    if pos is not None and ordered:  # copy the neighbours where it goes, not those at the end
        near = choose_template(
            doc, [i for r in section_runs for i in r.entries], paper, run.entries[pos], vocab
        )
        if near is not None:
            tpl = near
            line = render_variant(tpl, tpl_variant, paper, house, vocab, today)
            if line is None:
                return None
    sep = _separator(doc, entries)
    if pos is None:
        last = entries[-1]
        indent = _indent(doc, last)
        marker = _numbered(tpl.prefix, last.marker, _number(last.marker) + 1)
        line = marker + line[len(tpl.prefix) :] if tpl.kind == "list" else line
        block = line + summary_block(paper, doc, entries, marker)
        new = sep + indent + block
        return Insertion(
            Edit(last.span.end, last.span.end, new),
            last.span.end + len(sep) + len(indent),
            name,
            block,
            tpl.unknowns,
        )
    before = entries[pos]
    indent = _indent(doc, before)
    marker = _numbered(tpl.prefix, before.marker, _number(before.marker))
    line = marker + line[len(tpl.prefix) :] if tpl.kind == "list" else line
    block = line + summary_block(paper, doc, entries, marker)
    new = block + sep + indent
    return Insertion(
        Edit(before.span.start, before.span.start, new),
        before.span.start,
        name,
        block,
        tpl.unknowns,
    )


def _number(marker: str | None) -> int:
    if marker and marker[:-1].isdigit():
        return int(marker[:-1])
    return 1
