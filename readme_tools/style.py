"""Style inference: what the document's entries usually look like.

Entry-level rules compare each entry with the dominant style unless the configuration pins
it down, so a list that never uses bold names gets no ``bold-name`` findings while a list where
19 of 24 entries have one gets findings on the other 5.
"""

from __future__ import annotations

from dataclasses import dataclass

from readme_tools.config import Config, EntryOptions
from readme_tools.facts import elided_chunks
from readme_tools.model import Document, StyleCounts

DOMINANT = 0.5  # share of list entries above which a feature is the document's style
MIN_ENTRIES = 3  # below this many list entries nothing is inferred


@dataclass(frozen=True)
class Style:
    list_entries: int = 0
    grammar: bool = False  # entries follow the default entry grammar (and look like it)
    checkbox: bool = False  # entries carry a task-list checkbox
    checked_char: str = "x"  # spelling of a ticked box
    bold_name: bool = False  # entries start with a bold short name
    labels: tuple[tuple[str, str], ...] = ()  # (casefolded label, dominant spelling)

    def label_spelling(self, label: str) -> str | None:
        key = label.casefold()
        return next((spelling for k, spelling in self.labels if k == key), None)


def style_counts(doc: Document) -> StyleCounts:
    """Counts over the list entries of body sections, parsed or elided, in document order."""
    counts = StyleCounts()
    for section_counts in counts_by_section(doc).values():
        counts.update(section_counts)
    return counts


def counts_by_section(doc: Document) -> dict[int, StyleCounts]:
    """Counts per body section (news sections and front/back matter are left out), parsed
    and elided entries together, sections in document order."""
    body = [section.kind == "body" for section in doc.sections]
    out: dict[int, StyleCounts] = {}
    elided = iter(elided_chunks(doc))
    pending = next(elided, None)
    for entry in doc.entries:
        while pending is not None and pending.line < entry.line:
            if body[pending.section]:
                out.setdefault(pending.section, StyleCounts()).update(pending.style)
            pending = next(elided, None)
        if body[entry.section]:
            out.setdefault(entry.section, StyleCounts()).add(entry)
    while pending is not None:
        if body[pending.section]:
            out.setdefault(pending.section, StyleCounts()).update(pending.style)
        pending = next(elided, None)
    return out


def infer_style(doc: Document, config: Config | None = None) -> Style:
    options = (config or Config()).options(EntryOptions)
    counts = style_counts(doc)
    total = counts.entries
    if total == 0:
        return Style()

    def dominant(count: int) -> bool:
        return total >= MIN_ENTRIES and count / total > DOMINANT

    # The default grammar is the list's style when most entries follow it and most carry
    # what sets it apart from any "Title [link]" line: a checkbox, a bold name or a venue tag.
    grammar = dominant(counts.grammar) and dominant(counts.distinct)

    checkbox = dominant(counts.boxes)
    if options.checkbox != "auto":
        checkbox = options.checkbox == "required"
    bold = dominant(counts.named)
    if options.bold_name != "auto":
        bold = options.bold_name == "required"
    ticked = counts.ticked
    return Style(
        list_entries=total,
        grammar=grammar,
        checkbox=checkbox,
        checked_char=ticked.most_common(1)[0][0] if ticked else "x",
        bold_name=bold,
        labels=tuple((k, c.most_common(1)[0][0]) for k, c in sorted(counts.labels.items())),
    )
