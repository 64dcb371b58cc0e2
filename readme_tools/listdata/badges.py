"""Links and badges by role: what a link in an entry is for, and static shields.io badges.

A link is the paper's (its target is a paper identifier), the code's (a repository), or
another page; an image is a star badge (``/github/stars/``), an arXiv badge
(``badge/arXiv-2401.00001``), a venue badge (a static badge whose text is a venue tag,
``badge/NeurIPS2024-orange`` or ``badge/arXiv-2024-orange``) or another badge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from readme_tools.identifiers import identify
from readme_tools.model import Link
from readme_tools.venues import Vocabulary, parse_venue

__all__ = ["Role", "Shield", "encode_shield", "link_role", "shield"]

Role = str  # "paper", "code", "page", "badge-stars", "badge-arxiv", "badge-venue", "badge"


def link_role(link: Link, vocab: Vocabulary) -> Role:
    """What a link is for: the paper, its code, another page; a badge's kind by its image."""
    url = link.url
    if link.image:
        low = url.lower()
        if "/github/stars/" in low or "/github/forks/" in low:
            return "badge-stars"
        if re.search(r"badge/arxiv-\d{4}\.\d{4,5}", low):
            return "badge-arxiv"
        content = _shields_content(url)
        if content is not None:
            tag = parse_venue(content, vocab)
            if tag is not None and tag.canonical is not None:
                return "badge-venue"
        return "badge"
    ident = identify(url)
    if ident is not None and ident.kind == "github":
        return "code"
    if ident is not None and ident.is_paper:
        return "paper"
    host = url.split("://", 1)[-1].split("/", 1)[0].lower()
    if host.endswith(("gitlab.com", "bitbucket.org", "codeberg.org")):
        return "code"
    return "page"


_SHIELDS_RE = re.compile(r"img\.shields\.io/badge/([^?#)\s]+?)(?:\.svg|\.png)?(?=$|[?#)\s])")
_DASH_RE = re.compile(r"(?<!-)-(?!-)")


@dataclass(frozen=True)
class Shield:
    """A static shields.io badge ``badge/[LABEL-]MESSAGE-COLOR`` in some text."""

    start: int  # offsets of LABEL-MESSAGE (or MESSAGE) in the text
    end: int
    label: str | None  # decoded ("--" → "-", "_" → " ")
    message: str

    @property
    def text(self) -> str:
        return f"{self.label} {self.message}" if self.label else self.message


def _decode(part: str) -> str:
    return (
        part.replace("--", "\0")
        .replace("__", "\1")
        .replace("_", " ")
        .replace("%20", " ")
        .replace("\0", "-")
        .replace("\1", "_")
    )


def encode_shield(text: str) -> str:
    return text.replace("-", "--").replace("_", "__").replace(" ", "_")


def shield(text: str) -> Shield | None:
    match = _SHIELDS_RE.search(text)
    if match is None:
        return None
    parts = _DASH_RE.split(match.group(1))
    if len(parts) < 2 or len(parts) > 3:
        return None
    body = match.group(1)[: len(match.group(1)) - len(parts[-1]) - 1]
    start = match.start(1)
    if len(parts) == 3:
        return Shield(start, start + len(body), _decode(parts[0]), _decode(parts[1]))
    return Shield(start, start + len(body), None, _decode(parts[0]))


def _shields_content(url: str) -> str | None:
    """What a static shields.io badge says (``ACL2024--findings`` → ``ACL2024-findings``)."""
    found = shield(url)
    return found.text if found is not None else None
