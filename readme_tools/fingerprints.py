"""Finding fingerprints, shared by baselines and SARIF output.

A fingerprint is the rule, the identity of what a finding is about (its entry's key, a
heading, a line's content: :func:`readme_tools.baseline.identity`) and its message with
positions removed, hashed. It stays the same when edits move the finding.
"""

from __future__ import annotations

import hashlib
import re

__all__ = ["digest", "normalise_message"]

# "line 12", "lines 3-5", "byte offset 1234", "(column 7)": positions that move with edits.
_POSITION_RE = re.compile(
    r"\b(lines?|byte offset|byte|offset|columns?|col)\s+\d+(?:\s*[-–]\s*\d+)?", re.IGNORECASE
)


def normalise_message(message: str) -> str:
    """The message without positions (``line 12`` → ``line N``)."""
    return _POSITION_RE.sub(lambda m: f"{m.group(1).lower()} N", message)


def digest(rule: str, key: str, message: str) -> str:
    """The fingerprint of a finding of ``rule`` about ``key`` (20 hex digits)."""
    data = f"{rule}\0{key}\0{normalise_message(message)}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:20]
