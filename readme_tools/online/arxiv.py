"""arXiv metadata: identifiers, the API client and Atom parsing.

:func:`fetch_arxiv` looks up identifiers through the arXiv API
(``<arxiv-api>?id_list=a,b,c&max_results=<batch size>``) in batches of
``arxiv_batch_size`` (default 100), one request at a time and at most one
request every ``arxiv_interval`` seconds (default 3 s, as arXiv's terms of use
ask).  Identifiers are validated locally first, so a malformed one never
reaches the API (one bad id makes arXiv answer the whole batch with a single
error entry).  If the API still answers with an error entry, the offending id
is dropped (or, if the message names none, the batch is split in halves) and
the rest is asked again.  Versions are stripped before the lookup: the record
describes the *latest* version, which is what withdrawal is about.

Traps of the API handled here: entries come back in any order and carry
versioned ``https://arxiv.org/abs/<id>vN`` ids; a well-formed id that does not
exist is simply absent from the feed (while ``totalResults`` may still count
it); errors are Atom entries titled ``Error`` by "arXiv api core", sent with
HTTP 200 or 400; throttling is a plain-text ``Rate exceeded.`` body (retried
with back-off, honouring ``Retry-After``); titles are hard-wrapped.

Results: :class:`ArxivRecord` (title, dates, latest version, ``withdrawn``),
``None`` for an id arXiv does not have (or a malformed id), and — only in
:func:`fetch_arxiv_detailed` — ``failed`` for ids that could not be looked up
(network, budget); those are never reported as missing.  Records and
"missing" answers are cached (30 days / 1 day).

Title comparison lives in :mod:`readme_tools.online.titles`;
:func:`venue_year_conflict` flags a venue year earlier than the id's year
(which needs no network: the id encodes its submission month).
"""

from __future__ import annotations

import asyncio
import re
import time
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from readme_tools.identifiers import ArxivId, examine_arxiv_id, parse_arxiv_url
from readme_tools.online.cache import ResultCache, open_cache
from readme_tools.online.netsafety import HostNotFound, Refused, ResolutionFailed
from readme_tools.online.settings import OnlineSettings, Progress

if TYPE_CHECKING:
    from readme_tools.online._http import SafeSession

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"


@dataclass
class Pacer:
    """When a run last sent a request to each arXiv API base URL (``time.monotonic``).

    Pass one pacer to every lookup of a run so the interval also holds across calls (one call
    per linted file); each lookup without one starts fresh.
    """

    last: dict[str, float] = field(default_factory=dict)


_ERROR_ID = re.compile(r"incorrect id format for (\S+)|\bfor (\S+)$", re.IGNORECASE)
_WITHDRAWN_COMMENT = re.compile(r"\bwithdrawn\b", re.IGNORECASE)
_WITHDRAWN_SUMMARY = re.compile(
    r"^\s*(?:this (?:paper|article|manuscript|submission|work|version) (?:has been|was|is) )?"
    r"withdrawn\b",
    re.IGNORECASE,
)


def parse_arxiv_id(text: str) -> ArxivId:
    """A valid arXiv identifier (``readme_tools.identifiers`` rules: month, digits, first id).

    Raises :class:`ValueError` for anything arXiv would reject as malformed.
    """
    parsed = examine_arxiv_id(text.strip())
    if parsed.id is None:
        raise ValueError(f"not a valid arXiv identifier: {text.strip()!r} ({parsed.error})")
    return parsed.id


def arxiv_id_from_url(url: str) -> str | None:
    """The identifier in an arXiv paper link (``/abs/``, ``/pdf/``, ``/html/``), as written.

    The id is not validated here (``https://arxiv.org/abs/2412.0055`` gives ``2412.0055``)
    so that a malformed one can be reported; see :func:`parse_arxiv_id`.
    """
    link = parse_arxiv_url(url.strip())
    return link.written if link is not None else None


def venue_year_conflict(venue_year: int, arxiv_id: str) -> str | None:
    """A message if the venue year is earlier than the year the id was submitted.

    ``CVPR2023`` with ``2405.01234`` cannot be right: the paper appeared on
    arXiv in 2024.  (A venue *later* than the preprint is normal.)
    """
    parsed = parse_arxiv_id(arxiv_id)
    if venue_year < parsed.year:
        return (
            f"venue year {venue_year} is earlier than the arXiv id {arxiv_id} "
            f"(submitted {parsed.year}-{parsed.month:02d})"
        )
    return None


@dataclass(frozen=True)
class ArxivRecord:
    """What arXiv says about a paper (latest version)."""

    id: str
    version: int
    #: As arXiv has it (TeX kept), with line folding collapsed.
    title: str
    #: First version's submission time (ISO 8601, as given by the API).
    published: str
    #: Latest version's time.
    updated: str
    withdrawn: bool = False
    comment: str = ""
    #: ``<arxiv:journal_ref>`` and ``<arxiv:doi>``: where the paper was published, if the
    #: authors said so (read by the metadata layer, :mod:`readme_tools.metadata`).
    journal_ref: str = ""
    doi: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ArxivRecord:
        return cls(
            id=str(data["id"]),
            version=int(data["version"]),
            title=str(data["title"]),
            published=str(data["published"]),
            updated=str(data["updated"]),
            withdrawn=bool(data.get("withdrawn", False)),
            comment=str(data.get("comment", "")),
            journal_ref=str(data.get("journal_ref", "")),
            doi=str(data.get("doi", "")),
        )


@dataclass
class ArxivLookup:
    """The full answer of :func:`fetch_arxiv_detailed`, keyed by the ids as given."""

    #: A record, or ``None`` when arXiv has no such paper (see ``missing``).
    records: dict[str, ArxivRecord | None] = field(default_factory=dict)
    #: Why a record is ``None`` ("no such paper on arXiv", "not a valid arXiv identifier").
    missing: dict[str, str] = field(default_factory=dict)
    #: Ids that could not be looked up at all, with the reason.  Not in ``records``.
    failed: dict[str, str] = field(default_factory=dict)


@dataclass
class Feed:
    records: list[ArxivRecord]
    #: The API's error message, if the feed is an error entry.
    error: str | None = None
    #: The id the error names, if any.
    error_id: str | None = None


class FeedError(ValueError):
    """The response is not an arXiv Atom feed (e.g. ``Rate exceeded.``)."""


def _text(element: ET.Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def parse_feed(body: bytes) -> Feed:
    """Parse an arXiv API Atom response."""
    if b"<!DOCTYPE" in body[:4096] or b"<!ENTITY" in body:
        raise FeedError("refusing XML with a document type declaration")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        snippet = body[:60].decode("utf-8", "replace").strip()
        raise FeedError(f"not an Atom feed ({exc}): {snippet!r}") from None
    if root.tag != f"{_ATOM}feed":
        raise FeedError(f"not an Atom feed: root element {root.tag}")
    records = []
    for entry in root.iter(f"{_ATOM}entry"):
        entry_id = _text(entry.find(f"{_ATOM}id"))
        title = _text(entry.find(f"{_ATOM}title"))
        if "/api/errors" in entry_id:
            message = _text(entry.find(f"{_ATOM}summary")) or title or entry_id
            m = _ERROR_ID.search(message)
            culprit = (m.group(1) or m.group(2)) if m else None
            return Feed([], message, culprit)
        _, sep, tail = entry_id.partition("/abs/")
        if not sep or not title:
            continue  # an empty placeholder entry
        try:
            parsed = parse_arxiv_id(tail)
        except ValueError:
            continue
        summary = _text(entry.find(f"{_ATOM}summary"))
        comment = _text(entry.find(f"{_ARXIV}comment"))
        withdrawn = bool(_WITHDRAWN_COMMENT.search(comment) or _WITHDRAWN_SUMMARY.search(summary))
        records.append(
            ArxivRecord(
                id=parsed.id,
                version=parsed.version or 1,
                title=title,
                published=_text(entry.find(f"{_ATOM}published")),
                updated=_text(entry.find(f"{_ATOM}updated")),
                withdrawn=withdrawn,
                comment=comment,
                journal_ref=_text(entry.find(f"{_ARXIV}journal_ref")),
                doi=_text(entry.find(f"{_ARXIV}doi")),
            )
        )
    return Feed(records)


def _cache_key(settings: OnlineSettings, base: str) -> str:
    return f"{settings.arxiv_api} {base}"


class _Transient(Exception):
    """Worth another try later (throttling, 5xx, timeouts, garbage instead of a feed)."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class _GiveUp(Exception):
    """This batch cannot be looked up."""


class _Unreachable(Exception):
    """The API cannot be reached at all (refused by policy, host does not exist)."""


async def _get_feed(session: SafeSession, settings: OnlineSettings, batch: list[str]) -> Feed:
    """One API request for ``batch``."""
    from readme_tools.online._http import FETCH_ERRORS, describe_error, parse_retry_after

    url = f"{settings.arxiv_api}?id_list={','.join(batch)}&max_results={settings.arxiv_batch_size}"
    try:
        resp = await session.fetch(
            "GET",
            url,
            headers={"Accept": "application/atom+xml"},
            body_limit=lambda status: settings.arxiv_max_bytes,
            strict_body=True,
        )
    except (Refused, HostNotFound) as exc:
        raise _Unreachable(f"arXiv API unreachable: {exc}") from None
    except ResolutionFailed as exc:
        raise _Transient(f"arXiv API: DNS error ({exc})") from None
    except FETCH_ERRORS as exc:
        reason, retryable = describe_error(exc)
        raise (_Transient if retryable else _GiveUp)(f"arXiv API: {reason}") from None
    if resp.status in (429, 500, 502, 503, 504):
        retry_after = parse_retry_after(resp.headers.get("Retry-After"), time.time())
        raise _Transient(f"arXiv API: HTTP {resp.status}", retry_after)
    if resp.status not in (200, 400):  # 400 comes with an error entry
        raise _GiveUp(f"arXiv API: HTTP {resp.status}")
    try:
        return parse_feed(resp.body)
    except FeedError as exc:
        raise _Transient(f"arXiv API: {exc}") from None


async def fetch_arxiv_async(
    ids: Iterable[str],
    settings: OnlineSettings | None = None,
    progress: Progress | None = None,
    cache: ResultCache | None = None,
    pacer: Pacer | None = None,
) -> ArxivLookup:
    """Async version of :func:`fetch_arxiv_detailed`."""
    from readme_tools.online._http import BudgetExhausted, SafeSession

    settings = settings or OnlineSettings()
    pacer = pacer if pacer is not None else Pacer()
    cache = cache if cache is not None else open_cache(settings)
    lookup = ArxivLookup()
    given = list(dict.fromkeys(i.strip() for i in ids))
    bases: dict[str, str] = {}
    found: dict[str, ArxivRecord | None] = {}
    why: dict[str, str] = {}
    failed: dict[str, str] = {}
    for raw in given:
        try:
            bases[raw] = parse_arxiv_id(raw).id
        except ValueError as exc:
            lookup.records[raw] = None
            lookup.missing[raw] = str(exc)
    unique = list(dict.fromkeys(bases.values()))
    total, done = len(unique), 0

    def report() -> None:
        if progress is not None:
            progress(done, total)

    def settle(base: str, record: ArxivRecord | None, reason: str = "") -> None:
        nonlocal done
        found[base] = record
        if record is None:
            why[base] = reason
            cache.put("arxiv", _cache_key(settings, base), "arxiv-missing", {"missing": reason})
        else:
            cache.put("arxiv", _cache_key(settings, base), "arxiv", record.to_json())
        done += 1

    report()
    todo = []
    for base in unique:
        hit = cache.get("arxiv", _cache_key(settings, base))
        if isinstance(hit, dict) and "missing" in hit:
            found[base], why[base] = None, str(hit["missing"])
            done += 1
        elif isinstance(hit, dict):
            try:
                found[base] = ArxivRecord.from_json(hit)
                done += 1
            except (KeyError, TypeError, ValueError):
                todo.append(base)
        else:
            todo.append(base)
    if done:
        report()

    loop = asyncio.get_running_loop()
    size = settings.arxiv_batch_size
    queue: deque[list[str]] = deque(todo[i : i + size] for i in range(0, len(todo), size))
    if queue:
        async with SafeSession(settings, loop.time() + settings.budget) as session:
            attempts = 0
            while queue:
                batch = queue[0]
                previous = pacer.last.get(settings.arxiv_api)
                if previous is not None:
                    wait = previous + settings.arxiv_interval - time.monotonic()
                    if wait >= session.remaining():
                        break
                    await asyncio.sleep(max(0.0, wait))
                pacer.last[settings.arxiv_api] = time.monotonic()
                try:
                    feed = await _get_feed(session, settings, batch)
                except (_Unreachable, _GiveUp) as exc:
                    lost = [b for pending in queue for b in pending]
                    if isinstance(exc, _GiveUp):
                        lost = queue.popleft()
                    else:
                        queue.clear()
                    failed.update(dict.fromkeys(lost, str(exc)))
                    attempts = 0
                    continue
                except _Transient as exc:
                    attempts += 1
                    if attempts > settings.retries:
                        failed.update(dict.fromkeys(queue.popleft(), exc.reason))
                        attempts = 0
                        continue
                    delay = settings.retry_delay(attempts - 1, exc.retry_after)
                    if delay >= session.remaining():
                        break
                    await asyncio.sleep(delay)
                    continue
                except BudgetExhausted:
                    break
                attempts = 0
                queue.popleft()
                if feed.error is not None:
                    culprit = _match_culprit(feed.error_id, batch)
                    if culprit is not None:
                        settle(culprit, None, f"arXiv: {feed.error}")
                        rest = [b for b in batch if b != culprit]
                        if rest:
                            queue.appendleft(rest)
                    elif len(batch) > 1:
                        half = len(batch) // 2
                        queue.appendleft(batch[half:])
                        queue.appendleft(batch[:half])
                    else:
                        settle(batch[0], None, f"arXiv: {feed.error}")
                else:
                    by_id = {r.id: r for r in feed.records}
                    for base in batch:
                        record = by_id.get(base)
                        settle(base, record, "" if record else "no such paper on arXiv")
                report()
            for pending in queue:
                for base in pending:
                    failed.setdefault(base, "overall time budget exhausted")
        cache.save()

    for raw, base in bases.items():
        if base in found:
            lookup.records[raw] = found[base]
            if found[base] is None:
                lookup.missing[raw] = why[base]
        else:
            lookup.failed[raw] = failed.get(base, "not looked up")
    return lookup


def _match_culprit(error_id: str | None, batch: list[str]) -> str | None:
    if not error_id:
        return None
    try:
        base = parse_arxiv_id(error_id).id
    except ValueError:
        base = error_id
    return base if base in batch else None


def fetch_arxiv_detailed(
    ids: Iterable[str],
    settings: OnlineSettings | None = None,
    progress: Progress | None = None,
    pacer: Pacer | None = None,
) -> ArxivLookup:
    """Look up ``ids``; see :class:`ArxivLookup`.  Runs its own event loop."""
    return asyncio.run(fetch_arxiv_async(ids, settings, progress, pacer=pacer))


def fetch_arxiv(
    ids: Iterable[str],
    settings: OnlineSettings | None = None,
    progress: Progress | None = None,
    pacer: Pacer | None = None,
) -> dict[str, ArxivRecord | None]:
    """``{id: record or None}``; ids that could not be looked up are left out."""
    return fetch_arxiv_detailed(ids, settings, progress, pacer).records
