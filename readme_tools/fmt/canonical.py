"""The canonical entry line: ``[x] **Name**: Title. VENUE [Paper](…) [Code](…) [Page](…)``.

Only entries written in the default entry grammar (``Entry.grammar``) are rewritten: their
parts are known exactly, so the line can be rebuilt from them with one space between parts,
the links in the configured order with the document's label spelling and the venue tag in
canonical spelling. Anything between the parts other than whitespace and the name separator
makes the entry ineligible: it is left as written rather than guessed at.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from readme_tools.config import Config, EntryOptions
from readme_tools.diagnostics import Edit
from readme_tools.fmt.options import FormatOptions
from readme_tools.model import Document, Entry, Link
from readme_tools.style import Style, infer_style
from readme_tools.venues import (
    VenueOptions,
    VenueTag,
    Vocabulary,
    configured_vocabulary,
    parse_venue,
)

_GAP_RE = re.compile(r"[\s\u00a0]*[:：]?[\s\u00a0]*")


@dataclass(frozen=True)
class EntryPlan:
    """Everything the canonical line depends on, decided once per document."""

    link_order: tuple[str, ...]  # casefolded labels, earliest first
    label_spelling: tuple[tuple[str, str], ...]  # casefolded label → spelling
    venue_compact: bool | None  # None: keep each tag's spacing
    separator: str
    vocab: Vocabulary
    # canonical_venue's results: a list repeats a few dozen tags thousands of times.
    venues: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def spelling(self, label: str) -> str | None:
        key = label.casefold()
        return next((s for k, s in self.label_spelling if k == key), None)

    def rank(self, label: str) -> int:
        key = label.strip().casefold()
        try:
            return self.link_order.index(key)
        except ValueError:
            return len(self.link_order)


def trailing_links(entry: Entry) -> list[Link]:
    """The links that end a grammar entry's line (after its title and venue)."""
    after = entry.venue_span or entry.title_span
    start = after.end if after is not None else entry.head_span.start
    return [lk for lk in entry.links if not lk.image and lk.span.start >= start]


def _grammar_entries(doc: Document) -> Iterator[Entry]:
    for entry in doc.entries:
        if entry.kind == "list" and entry.grammar:
            yield entry


def infer_link_order(doc: Document) -> tuple[str, ...]:
    """The order of link labels the document's entries mostly use.

    Each entry votes, for every pair of its labels, for the order it writes them in; the
    result is a topological order of the majority pairs (ties and cycles broken by first
    appearance). Once every entry follows it, every vote agrees with it, so inferring it
    again from the formatted document gives the same order for every pair of labels that
    share an entry: formatting is idempotent.
    """
    votes: dict[tuple[str, str], int] = defaultdict(int)
    first_seen: dict[str, int] = {}
    for entry in _grammar_entries(doc):
        labels: list[str] = []
        for link in trailing_links(entry):
            label = link.label.strip().casefold()
            if label and label not in labels:
                labels.append(label)
                first_seen.setdefault(label, len(first_seen))
        for i, a in enumerate(labels):
            for b in labels[i + 1 :]:
                votes[(a, b)] += 1
    before: dict[str, set[str]] = {label: set() for label in first_seen}  # label → must follow
    for (a, b), n in votes.items():
        if n > votes.get((b, a), 0):
            before[b].add(a)
    order: list[str] = []
    remaining = sorted(first_seen, key=first_seen.__getitem__)
    while remaining:
        ready = [lb for lb in remaining if not (before[lb] & set(remaining))]
        pick = ready[0] if ready else min(remaining, key=lambda lb: len(before[lb]))
        order.append(pick)
        remaining.remove(pick)
    return tuple(order)


def infer_venue_compact(doc: Document, vocab: Vocabulary) -> bool:
    compact = spaced = 0
    tags: dict[str, VenueTag | None] = {}
    for entry in _grammar_entries(doc):
        if entry.venue is None:
            continue
        if entry.venue in tags:
            tag = tags[entry.venue]
        else:
            tag = tags[entry.venue] = parse_venue(entry.venue, vocab)
        if tag is None or tag.year is None:
            continue
        if tag.compact:
            compact += 1
        else:
            spaced += 1
    return compact >= spaced


def make_plan(doc: Document, config: Config, style: Style | None = None) -> EntryPlan:
    options = config.options(FormatOptions)
    vocab = configured_vocabulary(config.options(VenueOptions))
    style = style or infer_style(doc, config)
    if options.link_order:
        order = tuple(label.strip().casefold() for label in options.link_order)
    else:
        order = infer_link_order(doc)
    if options.venue_style == "compact":
        compact: bool | None = True
    elif options.venue_style == "spaced":
        compact = False
    elif options.venue_style == "keep":
        compact = None
    else:
        compact = infer_venue_compact(doc, vocab)
    return EntryPlan(
        link_order=order,
        label_spelling=style.labels,
        venue_compact=compact,
        separator=config.options(EntryOptions).separator,
        vocab=vocab,
    )


def canonical_venue(venue: str, plan: EntryPlan) -> str:
    known = plan.venues.get(venue)
    if known is None:
        known = plan.venues[venue] = _canonical_venue(venue, plan)
    return known


def _canonical_venue(venue: str, plan: EntryPlan) -> str:
    tag = parse_venue(venue, plan.vocab)
    if tag is None or tag.canonical is None or tag.year is None or tag.unknown_qualifiers:
        return venue
    if not plan.vocab.first_year <= tag.year <= plan.vocab.last_year:
        return venue
    if plan.venue_compact is None:
        return tag.respelled()
    return tag.canonical_text(compact=plan.venue_compact)


def _link_text(text: str, link: Link, plan: EntryPlan) -> str:
    raw = text[link.span.start : link.span.end]
    label = link.label.strip()
    spelling = plan.spelling(label)
    if spelling and spelling != label and raw.startswith(f"[{link.label}]("):
        return f"[{spelling}]" + raw[len(link.label) + 2 :]
    return raw


_SPACE_RE = re.compile(r"[\s\u00a0]*")


def _gaps_ok(text: str, pieces: Sequence[tuple[int, int]], end: int, after_name: int) -> bool:
    """Everything between ``pieces`` (sorted, up to ``end``) is whitespace; the gap that starts
    at ``after_name`` (the end of the bold name) may also hold the name separator."""
    pos = pieces[0][1]
    for a, b in [*pieces[1:], (end, end)]:
        if a < pos:
            return False
        pattern = _GAP_RE if pos == after_name else _SPACE_RE
        if not pattern.fullmatch(text[pos:a]):
            return False
        pos = max(pos, b)
    return True


def canonical_head(entry: Entry, text: str, plan: EntryPlan) -> str | None:
    """The canonical inline content of a grammar entry's line, or None when not applicable."""
    if entry.kind != "list" or not entry.grammar or entry.title_span is None:
        return None
    links = trailing_links(entry)
    if not links:
        return None
    pieces: list[tuple[int, int]] = []
    parts: list[str] = []
    if entry.checkbox_span is not None:
        pieces.append((entry.checkbox_span.start, entry.checkbox_span.end))
        parts.append(text[entry.checkbox_span.start : entry.checkbox_span.end])
    if entry.name_span is not None:
        pieces.append((entry.name_span.start, entry.name_span.end))
        parts.append(text[entry.name_span.start : entry.name_span.end] + plan.separator)
    title = text[entry.title_span.start : entry.title_span.end]
    pieces.append((entry.title_span.start, entry.title_span.end))
    parts.append(title)
    if entry.venue_span is not None and entry.venue is not None:
        pieces.append((entry.venue_span.start, entry.venue_span.end))
        parts.append(canonical_venue(entry.venue, plan))
    for link in links:
        pieces.append((link.span.start, link.span.end))
    pieces.sort()
    if pieces[0][0] != entry.head_span.start:
        return None
    after_name = entry.name_span.end if entry.name_span is not None else -1
    if not _gaps_ok(text, pieces, entry.head_span.end, after_name):
        return None
    ordered = sorted(enumerate(links), key=lambda il: (plan.rank(il[1].label), il[0]))
    parts.extend(_link_text(text, link, plan) for _, link in ordered)
    if any("\n" in part for part in parts):
        return None
    return " ".join(part.strip() for part in parts)


def head_edits(doc: Document, plan: EntryPlan) -> list[Edit]:
    """Edits that put every grammar entry's line into the canonical shape."""
    text = doc.source.text
    edits: list[Edit] = []
    for entry in _grammar_entries(doc):
        new = canonical_head(entry, text, plan)
        span = entry.head_span
        if new is not None and new != text[span.start : span.end]:
            edits.append(Edit(span.start, span.end, new))
    return edits
