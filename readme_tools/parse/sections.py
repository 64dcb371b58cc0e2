"""What kind of section a heading opens: the list's body, news, or front and back matter.

A news, updates or highlights section repeats body papers on purpose; the title section,
acknowledgements, citation, contributors and the like mention papers without listing them.
Rules that judge the list's papers (style inference, duplicates, the entry and venue rules)
look at body sections only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from readme_tools.model import Heading, SectionKind

__all__ = ["section_kinds"]

_WORD_RE = re.compile(r"[^\W_]+")


def section_kinds(headings: Sequence[Heading | None]) -> tuple[SectionKind, ...]:
    """The kind of each section, from its heading and the headings above it.

    ``headings[k]`` opens section ``k`` (``None``: the part before the first heading). A
    heading naming news, updates or highlights opens a news section; one naming
    acknowledgements, citation, contributors, license, star history, contact or related
    lists opens front/back matter, and so does the title section (the part before the first
    heading and a level-1 heading that the document's other sections follow). Subsections
    inherit their parent's kind.
    """
    kinds: list[SectionKind] = []
    stack: list[tuple[int, SectionKind]] = []  # (level, kind) of the open headings
    real = [h for h in headings if h is not None]
    for index, heading in enumerate(headings):
        if heading is None:
            kinds.append("matter" if len(real) > 1 else "body")
            continue
        while stack and stack[-1][0] >= heading.level:
            stack.pop()
        inherited = stack[-1][1] if stack else "body"
        own = _heading_kind(heading.text)
        if own == "body" and index == 1 and heading.level == 1 and len(real) > 1:
            own = "matter" if real[1].level > 1 else "body"
            kind: SectionKind = own
            stack.append((heading.level, "body"))  # its subsections are the list's body
            kinds.append(kind)
            continue
        kind = own if own != "body" else inherited
        stack.append((heading.level, kind))
        kinds.append(kind)
    return tuple(kinds)


_NEWS_WORDS = frozenset(
    [
        "news",
        "update",
        "updates",
        "latest",
        "recent",
        "highlight",
        "highlights",
        "historical",
        "announcement",
        "announcements",
        "changelog",
        "change",
        "log",
        "what",
        "whats",
        "s",
        "new",
        "week",
        "weekly",
        "month",
        "monthly",
        "papers",
        "最新",
        "新闻",
        "动态",
        "更新",
        "进展",
    ]
)
_NEWS_CORE = frozenset(
    [
        "news",
        "update",
        "updates",
        "highlight",
        "highlights",
        "announcement",
        "announcements",
        "changelog",
        "新闻",
        "动态",
        "更新",
    ]
)
_NEWS_PHRASES = frozenset(["recent", "what s new", "whats new", "latest", "latest news"])
_MATTER_RE = re.compile(
    r"^(?:acknowledge?ments?|acknowledge?ment|citations?|cite|cite us|citing|how to cite"
    r"|bibtex|contributors?|contributing|contribution|contributions|contribute|license|licence"
    r"|star history|stargazers|contact|contact us|about|authors?|maintainers?|sponsors?"
    r"|related (?:awesome )?(?:lists?|repos?|repositories|projects?|surveys?|works?)"
    r"|other (?:awesome )?(?:lists?|repos?|repositories|resources)|todo|to do|致谢|引用|贡献者)$"
)


def _heading_kind(text: str) -> SectionKind:
    words = [w.casefold() for w in _WORD_RE.findall(text)]
    if not words:
        return "body"
    joined = " ".join(words)
    if (set(words) <= _NEWS_WORDS and not _NEWS_CORE.isdisjoint(words)) or joined in _NEWS_PHRASES:
        return "news"
    if _MATTER_RE.match(joined):
        return "matter"
    return "body"
