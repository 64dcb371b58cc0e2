"""A paper to write into the list: what ``add`` looked up or ``import`` read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from readme_tools.identifiers import Identifier
from readme_tools.identity import normalize_title

__all__ = ["Paper", "Venue", "split_name"]


@dataclass(frozen=True)
class Venue:
    """Where the paper appeared: a canonical venue name and year (``arXiv`` for a preprint)."""

    name: str
    year: int | None = None
    qualifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Paper:
    title: str  # plain text, without the short name
    ids: tuple[Identifier, ...]  # the preferred first
    name: str | None = None
    venue: Venue | None = None
    #: The venue tag as a source wrote it (an exported list's ``venue``): written as is where
    #: the list has no venue style to follow.
    venue_text: str | None = None
    url: str | None = None  # the paper's page (canonical)
    code: str | None = None
    page: str | None = None  # a project page
    #: Links as a source listed them (label, url); None: built from url, code and page.
    links: tuple[tuple[str, str], ...] | None = None
    summary: str = ""  # markdown paragraphs separated by blank lines
    checked: bool | None = None
    month: tuple[int, int] | None = None  # (year, month) of the first arXiv version
    path: tuple[str, ...] = ()  # the section it belongs to (an exported list's ``path``)
    notes: tuple[str, ...] = field(default=(), compare=False)  # said to the user

    @property
    def full_title(self) -> str:
        return f"{self.name}: {self.title}" if self.name else self.title

    @property
    def year(self) -> int | None:
        if self.venue is not None and self.venue.year is not None:
            return self.venue.year
        return self.month[0] if self.month else None

    def with_name(self, name: str | None) -> Paper:
        return replace(self, name=name)

    @property
    def normalized_titles(self) -> set[str]:
        """Titles the duplicate check compares: the full title and the title alone."""
        return {t for t in (normalize_title(self.full_title), normalize_title(self.title)) if t}


# "Name: Title" where Name is short and looks like a name (no sentence, not a question).
_NAME_RE = re.compile(r"^\s*([^:：]{1,40}?)\s*[:：]\s+(\S.*)$")


def split_name(title: str) -> tuple[str | None, str]:
    """``"LLaVA-Critic: Learning to Evaluate"`` → ``("LLaVA-Critic", "Learning to Evaluate")``.

    Only a short lead (at most five words, at least one capital or digit, not itself a
    sentence) counts as a name; otherwise the whole title is returned.
    """
    title = " ".join(title.split())
    match = _NAME_RE.match(title)
    if match is None:
        return None, title
    name, rest = match.group(1), match.group(2)
    words = name.split()
    if len(words) > 5 or not any(c.isupper() or c.isdigit() for c in name):
        return None, title
    if name.endswith((".", "?", "!")) or name.lower().startswith(("a ", "an ", "the ")):
        return None, title
    return name, rest
