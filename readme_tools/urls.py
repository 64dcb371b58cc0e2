"""URLs, offline: split an absolute URL, match hosts, find tracking and UI-state parameters.

Pure functions over strings, no I/O. :func:`strip_tracking` drops the query parameters that
only track a click or hold UI state (``utm_*``, ``fbclid``, GitHub's ``?tab=readme-ov-file``,
…) and keeps everything else exactly as written.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import unquote

__all__ = [
    "UrlParts",
    "host_matches",
    "split_url",
    "strip_tracking",
    "tracking_params",
]

_URL_RE = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*):(?://(?P<host>[^/?#\s]*))?(?P<path>[^?#]*)"
    r"(?:\?(?P<query>[^#]*))?(?:#(?P<fragment>.*))?",
    re.DOTALL,
)


class UrlParts(NamedTuple):
    scheme: str  # lowercased
    host: str  # lowercased, without port, credentials and "www."
    path: str
    query: str | None
    fragment: str | None


_SPECIAL_URL_RE = re.compile(r"[?#@:\s\\]")


@lru_cache(maxsize=65536)
def split_url(url: str) -> UrlParts | None:
    """Scheme, host, path, query and fragment of an absolute URL (None for other links)."""
    if url.startswith("https://") and not _SPECIAL_URL_RE.search(url, 8):
        # Fast path for the common "https://host/path": same result as the regex below.
        host, slash, path = url[8:].partition("/")
        host = host.lower().rstrip(".")
        return UrlParts(
            "https", host[4:] if host.startswith("www.") else host, slash + path, None, None
        )
    match = _URL_RE.fullmatch(url.strip())
    if match is None or match.group("host") is None:
        return None
    host = match.group("host").rsplit("@", 1)[-1].lower()
    host = host.split(":", 1)[0].rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return UrlParts(
        match.group("scheme").lower(),
        host,
        match.group("path"),
        match.group("query"),
        match.group("fragment"),
    )


def host_matches(host: str, pattern: str) -> bool:
    """``host`` is ``pattern`` or one of its subdomains (``www.`` already dropped)."""
    return host == pattern or host.endswith("." + pattern)


# --------------------------------------------------------------------------- tracking params

_ALWAYS_TRACKING = frozenset(
    [
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "twclid",
        "ttclid",
        "li_fat_id",
    ]
)
# Host → parameters that only track or hold UI state there.
_HOST_TRACKING: tuple[tuple[str, frozenset[str]], ...] = (
    ("github.com", frozenset({"ref", "source"})),
    ("medium.com", frozenset({"source", "ref"})),
    ("towardsdatascience.com", frozenset({"source", "ref"})),
    ("huggingface.co", frozenset({"ref", "source"})),
    ("paperswithcode.com", frozenset({"ref", "source"})),
    ("twitter.com", frozenset({"ref_src", "ref_url", "s", "t"})),
    ("x.com", frozenset({"ref_src", "ref_url", "s", "t"})),
    ("youtube.com", frozenset({"si", "feature"})),
    ("youtu.be", frozenset({"si", "feature"})),
    ("linkedin.com", frozenset({"trk", "trackingid", "lipi"})),
    ("zhuanlan.zhihu.com", frozenset({"utm_id", "share_code"})),
    ("reddit.com", frozenset({"share_id", "ref", "ref_source"})),
)
# GitHub's README/licence tabs: ?tab=readme-ov-file, ?tab=MIT-1-ov-file, ...
_GITHUB_TAB_RE = re.compile(r"[A-Za-z0-9._-]*-ov-file", re.IGNORECASE)


@lru_cache(maxsize=1024)
def _host_params(host: str) -> frozenset[str]:
    out: set[str] = set()
    for pattern, params in _HOST_TRACKING:
        if host_matches(host, pattern):
            out |= params
    return frozenset(out)


def _is_tracking(key: str, value: str, host: str) -> bool:
    k = unquote(key).lower()
    if k.startswith("utm_") or k in _ALWAYS_TRACKING:
        return True
    if k in _host_params(host):
        return True
    return k == "tab" and host == "github.com" and bool(_GITHUB_TAB_RE.fullmatch(unquote(value)))


def tracking_params(url: str) -> tuple[str, ...]:
    """The query parameters of ``url`` that can be dropped without changing its target."""
    parts = split_url(url)
    if not parts or not parts.query or parts.scheme not in ("http", "https"):
        return ()
    out = []
    for piece in parts.query.split("&"):
        key, _, value = piece.partition("=")
        if _is_tracking(key, value, parts.host):
            out.append(piece)
    return tuple(out)


def strip_tracking(url: str) -> str:
    """``url`` without tracking / UI-state query parameters; everything else kept as written."""
    dropped = tracking_params(url)
    if not dropped:
        return url
    base, _, tail = url.partition("?")
    query, hash_mark, fragment = tail.partition("#")
    kept = [piece for piece in query.split("&") if piece not in dropped]
    new_query = "&".join(kept)
    return base + (f"?{new_query}" if new_query else "") + hash_mark + fragment
