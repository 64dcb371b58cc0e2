"""What the model reads from raw HTML and comments: explicit anchors and control comments."""

from __future__ import annotations

import re
from collections.abc import Collection

from readme_tools.model import Control
from readme_tools.source import Source

__all__ = ["CONTROL_RE", "controls", "html_anchor_positions"]

CONTROL_RE = re.compile(
    r"<!--\s*readme-lint\s+(disable-next-line|disable|enable)\b\s*([^>]*?)\s*-->"
)
# An HTML start tag, and its id / name attributes (name counts on <a> only, as in HTML).
_TAG_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*)?/?>")
_ATTR_RE = re.compile(r"""(?:^|\s)(id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`/]+))""", re.I)


def html_anchor_positions(text: str) -> list[tuple[str, int]]:
    """(target, offset of the tag) of every ``id="…"`` attribute and ``<a name="…">``."""
    if "<" not in text:
        return []
    out: list[tuple[str, int]] = []
    for tag in _TAG_RE.finditer(text):
        attrs = tag.group(2)
        if not attrs or ("id" not in attrs.lower() and "name" not in attrs.lower()):
            continue
        is_a = tag.group(1).lower() == "a"
        for attr in _ATTR_RE.finditer(attrs):
            value = next(v for v in attr.group(2, 3, 4) if v is not None)
            if value and (attr.group(1).lower() == "id" or is_a):
                out.append((value, tag.start()))
    return out


def controls(source: Source, fence_lines: Collection[int]) -> tuple[Control, ...]:
    """The ``<!-- readme-lint disable|enable|disable-next-line … -->`` comments outside code."""
    if "readme-lint" not in source.text:
        return ()
    found: list[Control] = []
    for match in CONTROL_RE.finditer(source.text):
        line = source.position(match.start())[0]
        if line in fence_lines:
            continue
        action = match.group(1)
        rules = tuple(r.strip() for r in re.split(r"[,\s]+", match.group(2)) if r.strip())
        end_line = source.position(match.end())[0]
        found.append(Control(action=action, rules=rules, line=line, end_line=end_line))  # type: ignore[arg-type]
    return tuple(found)
