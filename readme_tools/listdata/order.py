"""A section's order: which one (configured, marked, or inferred), and the entries out of it.

Orders (``[tool.readme-tools.order]``, or ``<!-- readme-tools:order NAME -->`` in a section):

* ``date`` — by the month of the arXiv id, newest first (``date-asc``: oldest first);
* ``year`` — by the venue tag's year, newest first (``year-asc``);
* ``name`` — alphabetical by short name, else title (``name-desc``: Z to A);
* ``none`` — no order; ``auto`` (the default) — inferred from the section's entries.

Entries are compared in *runs*: consecutive entries of a section with nothing but blank
lines between them (one list, or one table). An entry without the key (no arXiv id, no venue
year) and a pinned entry (``<!-- readme-tools:pin -->`` on its line) keep their places; the
others are sorted stably into the remaining places. An order is inferred for a run when
at least ``min-entries`` entries have the key, they take at least three distinct values, and
at least ``agreement`` of them already follow it (the longest subsequence in order), or when
five or more follow it exactly (nothing to report then, but ``add`` inserts by it); a run
too short to tell follows the order every inferring run of the document agrees on, unless
more than one of its entries contradicts it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from readme_tools.facts import elided_chunks
from readme_tools.identity import entry_paper_ids, normalize_title
from readme_tools.listdata.markers import markers, pinned
from readme_tools.listdata.records import arxiv_month, entry_venue, written_date
from readme_tools.listdata.text import plain
from readme_tools.model import Document, Entry
from readme_tools.sequences import longest_increasing
from readme_tools.venues import Vocabulary

__all__ = [
    "ORDERS",
    "OrderOptions",
    "Run",
    "describe",
    "entry_key_for",
    "plan_runs",
    "runs",
    "sorted_positions",
]

OrderName = Literal["date", "date-asc", "year", "year-asc", "name", "name-desc"]
OrderSetting = Literal["auto", "none", "date", "date-asc", "year", "year-asc", "name", "name-desc"]
ORDERS: tuple[OrderName, ...] = ("date", "date-asc", "year", "year-asc", "name", "name-desc")

_DESCRIPTIONS = {
    "date": "arXiv date, newest first",
    "date-asc": "arXiv date, oldest first",
    "year": "venue year, newest first",
    "year-asc": "venue year, oldest first",
    "name": "name, A to Z",
    "name-desc": "name, Z to A",
}


def describe(order: str) -> str:
    return _DESCRIPTIONS.get(order, order)


@dataclass(frozen=True)
class OrderOptions:
    """``[tool.readme-tools.order]``: how the entries of each section are ordered.

    ``default`` applies to every section; ``sections`` maps a heading's text to its order
    (``{"Surveys" = "name", "Papers" = "date"}``). ``auto`` infers it from the entries.
    """

    default: OrderSetting = "auto"
    sections: dict[str, OrderSetting] = field(default_factory=dict)
    min_entries: int = 8  # keyed entries a run needs before its order is inferred
    agreement: float = 0.8  # share of those already in order
    # Report entries out of an *inferred* order too. Off by default: judged on the development
    # corpus, most such findings were lists that are only roughly in date order (by hand,
    # or by a written date the parser does not read as the entry's), not a misplaced entry.
    # An inferred order still places what `readme-tools add` inserts.
    report_inferred: bool = False
    # A shorter run (at least MIN_SORTED keyed entries) that follows an order exactly has it.


Key = tuple[int, ...] | str
MIN_SORTED = 5


def entry_key_for(
    order: str, doc: Document, entry: Entry, vocab: Vocabulary
) -> tuple[int, ...] | str | None:
    """The entry's sort key under ``order`` (None: the entry has none and keeps its place)."""
    if order.startswith("date"):
        return written_date(doc, entry) or arxiv_month(entry_paper_ids(entry))
    if order.startswith("year"):
        found = entry_venue(doc, entry, vocab)
        if found is None or found[1].year is None:
            return None
        return (found[1].year,)
    return name_key(doc, entry)


_LEAD_RE = re.compile(r"\s[-–—]\s|:\s|\s\(")


def name_key(doc: Document, entry: Entry) -> str | None:
    """What alphabetical order compares: the short name, else a name written before the
    title (``WGAN - [Wasserstein GAN](…)``), else the title's leading part (before " - ",
    ": " or " ("); casefolded, surrounding punctuation dropped."""
    if entry.name:
        return _key_text(plain(entry.name))
    start = _title_start(entry)
    if start is not None and start > entry.head_span.start:
        before = doc.source.text[entry.head_span.start : start]
        if entry.checkbox_span is not None:
            before = before.replace(doc.source.text[slice(*entry.checkbox_span)], " ", 1)
        lead = _key_text(plain(before.rstrip(" [*_")))
        if lead and any(c.isalnum() for c in lead):
            return lead
    if entry.title:
        return _key_text(_LEAD_RE.split(plain(entry.title), maxsplit=1)[0])
    return None


def _title_start(entry: Entry) -> int | None:
    """Where the title starts: its span, else the link whose text it is."""
    if entry.title_span is not None:
        return entry.title_span.start
    if entry.title:
        wanted = plain(entry.title)
        for link in entry.links:
            if not link.image and plain(link.label) == wanted:
                return link.span.start
    return None


def _key_text(text: str) -> str | None:
    key = text.strip(" \t*_[]()\"'`.,;:-–—").casefold()
    return key or None


def _descending(order: str) -> bool:
    return order in ("date", "year", "name-desc")


@dataclass
class Run:
    """Consecutive entries of one section with only blank lines between them."""

    section: int
    entries: list[int]  # indices into Document.entries


def runs(doc: Document) -> Iterator[Run]:
    text = doc.source.text
    current: Run | None = None
    previous: Entry | None = None
    for index, entry in enumerate(doc.entries):
        same = (
            current is not None
            and previous is not None
            and previous.section == entry.section
            and previous.kind == entry.kind
            and previous.depth == entry.depth
            and _marker_kind(previous) == _marker_kind(entry)
            and text[previous.span.end : entry.span.start].strip() == ""
        )
        if not same:
            if current is not None:
                yield current
            current = Run(entry.section, [])
        assert current is not None
        current.entries.append(index)
        previous = entry
    if current is not None:
        yield current


def _marker_kind(entry: Entry) -> str:
    marker = entry.marker or ""
    return marker[-1] if marker[:1].isdigit() else marker


# ------------------------------------------------------------------------- sorting


def _ranks(keys: Sequence[Key], descending: bool) -> list[int]:
    distinct = sorted(set(keys), reverse=descending)
    position = {k: i for i, k in enumerate(distinct)}
    return [position[k] for k in keys]


def longest_in_order(ranks: Sequence[int]) -> set[int]:
    """Positions of one longest non-decreasing subsequence of ``ranks``."""
    return set(longest_increasing(ranks, strict=False))


def sorted_positions(keys: Sequence[Key | None], order: str, fixed: Sequence[bool]) -> list[int]:
    """The permutation that sorts a run: ``result[slot]`` is the position whose entry goes
    into ``slot``. Fixed positions and positions without a key keep their place."""
    movable = [i for i, k in enumerate(keys) if k is not None and not fixed[i]]
    ordered = sorted(movable, key=lambda i: keys[i], reverse=_descending(order))  # type: ignore[arg-type,return-value]
    result = list(range(len(keys)))
    for slot, pos in zip(movable, ordered, strict=True):
        result[slot] = pos
    return result


# ------------------------------------------------------------------------- the plan


@dataclass
class RunPlan:
    run: Run
    order: str  # an OrderName
    why: str  # "configured", "marked", "inferred: 9 of 10 entries follow it", "document"

    @property
    def inferred(self) -> bool:
        """The order was inferred from the entries (not configured or marked)."""
        return self.why not in ("configured", "marked in the section")

    keys: list[Key | None]
    fixed: list[bool]

    def out_of_place(self) -> list[int]:
        """Positions (in the run) of the entries not in the longest run already in order."""
        pos = [i for i, k in enumerate(self.keys) if k is not None and not self.fixed[i]]
        ranks = _ranks([self.keys[i] for i in pos], _descending(self.order))  # type: ignore[misc]
        keep = longest_in_order(ranks)
        return [pos[i] for i in range(len(pos)) if i not in keep]


class _Keys:
    """The sort keys of a run's entries, computed once per kind of key."""

    def __init__(self, doc: Document, entries: list[Entry], vocab: Vocabulary) -> None:
        self.doc = doc
        self.entries = entries
        self.vocab = vocab
        self.cache: dict[str, list[Key | None]] = {}

    def __call__(self, order: str) -> list[Key | None]:
        family = order.split("-")[0]
        found = self.cache.get(family)
        if found is None:
            found = self.cache[family] = [
                entry_key_for(order, self.doc, e, self.vocab) for e in self.entries
            ]
        return found


def _configured(
    doc: Document, section: int, options: OrderOptions
) -> tuple[str | None, str | None]:
    """(order, why) set by a marker in the section or by the configuration, else (None, None)."""
    span = doc.sections[section].span
    for marker in markers(doc):
        if marker.name == "order" and span.start <= marker.start < span.end and marker.args:
            return marker.args[0], "marked in the section"
    heading = doc.sections[section].heading
    if heading is not None and options.sections:
        wanted = normalize_title(heading.text)
        for name, order in options.sections.items():
            if normalize_title(name) == wanted:
                return order, "configured"
    if options.default != "auto":
        return options.default, "configured"
    return None, None


def _infer(
    keys_of: Callable[[str], list[Key | None]], fixed: Sequence[bool], options: OrderOptions
) -> tuple[str | None, str, list[Key | None]]:
    """The inferred order of one run, its evidence, and its keys; (None, "", []) if none."""
    best: tuple[float, int, str, list[Key | None], str] | None = None
    for priority, order in enumerate(ORDERS):
        keys = keys_of(order)
        keyed = [k for i, k in enumerate(keys) if k is not None and not fixed[i]]
        if len(keyed) < MIN_SORTED or len(set(keyed)) < 3 or len(keyed) * 2 < len(keys):
            continue
        kept = len(longest_in_order(_ranks(keyed, _descending(order))))
        share = kept / len(keyed)
        if share < 1.0 and (len(keyed) < options.min_entries or share < options.agreement):
            continue
        why = f"inferred: {kept} of {len(keyed)} entries follow it"
        candidate = (share, -priority, order, keys, why)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    if best is None:
        return None, "", []
    return best[2], best[4], best[3]


def plan_runs(
    doc: Document, vocab: Vocabulary, options: OrderOptions, infer: bool = True
) -> list[RunPlan]:
    """The order of every run that has one (configured, marked or, with ``infer``,
    inferred)."""
    plans: list[RunPlan] = []
    undecided: list[tuple[Run, list[bool]]] = []
    inferred: set[str] = set()
    for run in runs(doc):
        entries = [doc.entries[i] for i in run.entries]
        fixed = [pinned(e) for e in entries]
        keys_of = _Keys(doc, entries, vocab)

        order, why = _configured(doc, run.section, options)
        if order == "none":
            continue
        if order is not None:
            plans.append(RunPlan(run, order, why or "", keys_of(order), fixed))
            continue
        if len(entries) < 2 or not infer:
            continue
        found, why, keys = _infer(keys_of, fixed, options)
        if found is not None:
            inferred.add(found)
            plans.append(RunPlan(run, found, why, keys, fixed))
        else:
            undecided.append((run, fixed))
    whole = not elided_chunks(doc)  # an incremental run does not see the other sections
    if (
        whole
        and len(inferred) == 1
        and len([p for p in plans if p.why.startswith("inferred")]) >= 2
    ):
        (order,) = inferred
        for run, fixed in undecided:
            keys = [entry_key_for(order, doc, doc.entries[i], vocab) for i in run.entries]
            plan = RunPlan(run, order, "the order of the document's other sections", keys, fixed)
            if len(plan.out_of_place()) <= 1 and sum(k is not None for k in keys) >= 2:
                plans.append(plan)
    plans.sort(key=lambda p: p.run.entries[0])
    return plans


# ------------------------------------------------------------------------- moving entries


def _reindent(text: str, delta: int) -> str:
    """Shift the continuation lines of an entry by ``delta`` columns (blank lines kept)."""
    if delta == 0 or "\n" not in text:
        return text
    first, _, rest = text.partition("\n")
    lines = []
    for line in rest.split("\n"):
        if not line.strip():
            lines.append(line)
        elif delta > 0:
            lines.append(" " * delta + line)
        else:
            cut = min(-delta, len(line) - len(line.lstrip(" ")))
            lines.append(line[cut:])
    return first + "\n" + "\n".join(lines)


def moved_text(doc: Document, entry: Entry, slot: Entry) -> str:
    """``entry``'s text as it reads in ``slot``'s place: an ordered list keeps its numbers."""
    text = doc.source.text[entry.span.start : entry.span.end]
    if (
        entry.marker
        and slot.marker
        and entry.marker != slot.marker
        and text.startswith(entry.marker)
    ):
        text = slot.marker + text[len(entry.marker) :]
        text = _reindent(text, len(slot.marker) - len(entry.marker))
    return text


def run_text(doc: Document, entries: Sequence[Entry], permutation: Sequence[int]) -> str:
    """The run's text with ``entries[permutation[slot]]`` in each slot; the text between
    entries (blank lines) stays where it is."""
    text = doc.source.text
    out: list[str] = []
    for slot, pos in enumerate(permutation):
        if slot:
            out.append(text[entries[slot - 1].span.end : entries[slot].span.start])
        out.append(moved_text(doc, entries[pos], entries[slot]))
    return "".join(out)
