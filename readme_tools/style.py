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
    grammar: bool = False  # entries follow the default entry grammar
    checkbox: bool = False  # entries carry a task-list checkbox
    checked_char: str = "x"  # spelling of a ticked box
    bold_name: bool = False  # entries start with a bold short name
    labels: tuple[tuple[str, str], ...] = ()  # (casefolded label, dominant spelling)

    def label_spelling(self, label: str) -> str | None:
        key = label.casefold()
        return next((spelling for k, spelling in self.labels if k == key), None)


def style_counts(doc: Document) -> StyleCounts:
    """Counts over all list entries, parsed or elided, in document order."""
    counts = StyleCounts()
    elided = iter(elided_chunks(doc))
    pending = next(elided, None)
    for entry in doc.entries:
        while pending is not None and pending.line < entry.line:
            counts.update(pending.style)
            pending = next(elided, None)
        counts.add(entry)
    while pending is not None:
        counts.update(pending.style)
        pending = next(elided, None)
    return counts


def infer_style(doc: Document, config: Config | None = None) -> Style:
    options = (config or Config()).options(EntryOptions)
    counts = style_counts(doc)
    total = counts.entries
    if total == 0:
        return Style()

    def dominant(count: int) -> bool:
        return total >= MIN_ENTRIES and count / total > DOMINANT

    checkbox = dominant(counts.boxes)
    if options.checkbox != "auto":
        checkbox = options.checkbox == "required"
    bold = dominant(counts.named)
    if options.bold_name != "auto":
        bold = options.bold_name == "required"
    ticked = counts.ticked
    return Style(
        list_entries=total,
        grammar=dominant(counts.grammar),
        checkbox=checkbox,
        checked_char=ticked.most_common(1)[0][0] if ticked else "x",
        bold_name=bold,
        labels=tuple((k, c.most_common(1)[0][0]) for k, c in sorted(counts.labels.items())),
    )
