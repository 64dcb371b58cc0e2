"""``[tool.readme-tools.format]``: the canonical shape ``readme-fmt`` writes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FormatOptions:
    """How ``readme-fmt`` writes entries. Empty / ``auto`` values follow the document."""

    # Order of the links that end an entry line, by label (case-insensitive), e.g.
    # ["Paper", "Code", "Page"]. Empty: the order the document's entries mostly use.
    link_order: tuple[str, ...] = ()
    # Venue tags: "compact" (CVPR2025), "spaced" (CVPR 2025), "keep" (as written) or "auto"
    # (the document's majority).
    venue_style: str = "auto"
    # Leave the markdown as written apart from the fixes ("none"), or normalise the whole
    # document's layout with mdformat ("mdformat").
    markdown: str = "none"
    # Rewrite entry lines into the canonical shape (spacing, link order, labels, venue).
    canonical_entries: bool = True


CHOICES = {"venue_style": ("auto", "compact", "spaced", "keep"), "markdown": ("mdformat", "none")}


def problems(options: FormatOptions) -> list[str]:
    """Values outside the allowed choices, as one-line messages."""
    out = []
    for name, allowed in CHOICES.items():
        value = getattr(options, name)
        if value not in allowed:
            choices = ", ".join(repr(a) for a in allowed)
            out.append(
                f"[tool.readme-tools.format] {name.replace('_', '-')} is {value!r}; "
                f"expected one of {choices}"
            )
    return out
