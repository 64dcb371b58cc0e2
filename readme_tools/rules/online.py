"""Online rules: dead links (N701) and arXiv metadata (N702).

Both are ``online=True`` rules: the engine only runs them when online checks are enabled
(``readme-lint --online`` or ``enabled = true`` in ``[tool.readme-tools.online]``, and not
``--offline``). They read :class:`OnlineRun` (or bare
:class:`~readme_tools.online.OnlineSettings`) from ``Context.online`` and call the library in
:mod:`readme_tools.online`; nothing here imports aiohttp.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from readme_tools.config import privileged
from readme_tools.context import Context
from readme_tools.diagnostics import Problem, counted
from readme_tools.files import within_cache_dir
from readme_tools.model import Document, Entry, Link
from readme_tools.registry import OptionSection, Rule

if TYPE_CHECKING:  # the online package (asyncio, sockets) loads only when checks run
    from readme_tools.online import LinkResult, OnlineSettings, Progress
    from readme_tools.online.arxiv import Pacer

_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


@dataclass(frozen=True)
class OnlineOptions:
    """``[tool.readme-tools.online]``: switch the online checks on and tune them.

    Every key except ``enabled`` is a key of :data:`readme_tools.online.settings.CONFIG_KEYS`
    (unset keys keep the library defaults).
    """

    enabled: bool = False
    # Privileged (readme_tools.config.privileged): a repository's config may not set these.
    arxiv_api: str | None = privileged(None, why="an API host (could be an internal address)")
    github_api: str | None = privileged(None, why="the host that receives $GITHUB_TOKEN")
    allow_private: bool | None = privileged(None, why="fetches private and loopback addresses")
    per_host_limit: int | None = None
    per_host_spacing: float | None = None
    total_limit: int | None = None
    connect_timeout: float | None = None
    timeout: float | None = None
    budget: float | None = None
    retries: int | None = None
    retry_after_cap: float | None = None
    arxiv_interval: float | None = None
    arxiv_batch_size: int | None = None
    cache: str | None = privileged(None, why="a file written by the tool", allows=within_cache_dir)

    def table(self) -> dict[str, Any]:
        """The set keys, spelled as in the config file."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name != "enabled" and value is not None:
                out[f.name.replace("_", "-")] = value
        return out

    def settings(self, env: Any = None, **overrides: Any) -> OnlineSettings:
        """Settings from this table, the environment and CLI overrides (``ValueError``)."""
        from readme_tools.online.settings import settings_from_config

        return settings_from_config(self.table(), env, **overrides)


@dataclass(frozen=True)
class OnlineRun:
    """What the CLI puts in ``Context.online``: settings and an optional progress sink."""

    settings: OnlineSettings
    #: ``progress(label, done, total)``; the CLI draws a progress bar on a terminal.
    progress: Callable[[str, int, int], None] | None = None
    #: Shared by the files of one run so the arXiv request interval holds across them.
    pacer: Pacer | None = None

    def progress_for(self, label: str) -> Progress | None:
        sink = self.progress
        if sink is None:
            return None
        return lambda done, total: sink(label, done, total)


def _run(ctx: Context) -> OnlineRun | None:
    online = ctx.online
    if online is None:
        return None
    if isinstance(online, OnlineRun):
        return online
    from readme_tools.online import OnlineSettings

    if isinstance(online, OnlineSettings):
        return OnlineRun(online)
    return None


def _is_web(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def _span(link: Link) -> tuple[int, int]:
    span = link.url_span or link.span
    return span.start, span.end


# ------------------------------------------------------------------------------- dead-link


def _link_problem(link: Link, result: LinkResult) -> Problem | None:
    start, end = _span(link)
    if result.status == "ok":
        return None
    if result.status == "dead":
        where = f" (redirected to {result.final_url})" if result.final_url else ""
        return Problem(start, end, f"dead link: {result.reason}{where}", severity="error")
    if result.status == "refused":
        return Problem(start, end, f"link not checked: {result.reason}", severity="warning")
    return Problem(start, end, f"link could not be verified: {result.reason}", severity="warning")


def check_dead_links(doc: Document, ctx: Context) -> Iterator[Problem]:
    run = _run(ctx)
    if run is None:
        return
    from readme_tools.online import arxiv_id_from_url, check_links

    targets = [
        link
        for link in doc.links
        if _is_web(link.url) and arxiv_id_from_url(link.url) is None and ctx.wants(link.line)
    ]
    if not targets:
        return
    results = check_links([t.url for t in targets], run.settings, run.progress_for("links"))
    for link in targets:
        problem = _link_problem(link, results[link.url])
        if problem is not None:
            yield problem


# --------------------------------------------------------------------------- arxiv-metadata


def _our_title(entry: Entry) -> str | None:
    if not entry.title:
        return None
    title = html.unescape(entry.title).strip().rstrip(".?!").strip()
    if not title:
        return None
    return f"{entry.name}: {title}" if entry.name else title


def check_arxiv_metadata(doc: Document, ctx: Context) -> Iterator[Problem]:
    run = _run(ctx)
    if run is None:
        return
    from readme_tools.online import (
        arxiv_id_from_url,
        compare_titles,
        fetch_arxiv_detailed,
        venue_year_conflict,
    )

    owner = {link: entry for entry in doc.entries for link in entry.links}
    targets: list[tuple[Link, str]] = []
    for link in doc.links:
        ident = arxiv_id_from_url(link.url) if _is_web(link.url) else None
        if ident is not None and ctx.wants(link.line):
            targets.append((link, ident))
    if not targets:
        return
    lookup = fetch_arxiv_detailed(
        [ident for _, ident in targets], run.settings, run.progress_for("arXiv"), run.pacer
    )
    unreachable: list[tuple[Link, str]] = []
    for link, ident in targets:
        start, end = _span(link)
        if ident in lookup.failed:
            unreachable.append((link, lookup.failed[ident]))
            continue
        record = lookup.records.get(ident)
        if record is None:
            reason = lookup.missing.get(ident, "no such paper on arXiv")
            yield Problem(start, end, f"arXiv {ident}: {reason}", severity="error")
            continue
        if record.withdrawn and "withdrawn-paper" not in ctx.rules:  # else P803 says it
            note = f": {record.comment}" if record.comment else ""
            yield Problem(
                start,
                end,
                f"arXiv {ident} has been withdrawn (v{record.version}){note}",
                severity="warning",
            )
        entry = owner.get(link)
        if entry is None:
            continue
        ours = _our_title(entry)
        if ours is not None:
            match = compare_titles(ours, record.title)
            t_start, t_end = (
                (entry.title_span.start, entry.title_span.end) if entry.title_span else (start, end)
            )
            if match.kind == "near":
                yield Problem(
                    t_start,
                    t_end,
                    f"title differs from arXiv {record.id}: {match.diff}",
                    severity="warning",
                )
            elif match.kind == "far":
                yield Problem(
                    t_start,
                    t_end,
                    f'title does not match arXiv {record.id} ("{record.title}"): '
                    "link probably points to another paper",
                    severity="error",
                )
        year = _YEAR_RE.search(entry.venue or "")
        if year and entry.venue_span is not None:
            conflict = venue_year_conflict(int(year.group(1)), ident)
            if conflict is not None:
                span = entry.venue_span
                yield Problem(span.start, span.end, conflict, severity="warning")
    if unreachable:
        link, reason = unreachable[0]
        start, end = _span(link)
        count = len({ident for _, ident in targets if ident in lookup.failed})
        yield Problem(
            start,
            end,
            f"could not look up {counted(count, 'arXiv id')}: {reason}",
            severity="warning",
        )


# ----------------------------------------------------------------------------------- rules

_GOOD = (
    "- [x] **VisionZip**: Longer is Better but Not Necessary in Vision Language Models. "
    "CVPR2025 [Paper](https://arxiv.org/abs/2412.04467)"
)

OPTIONS = (OptionSection("online", OnlineOptions),)

RULES = (
    Rule(
        name="dead-link",
        code="N701",
        severity="error",
        fixable=False,
        online=True,
        summary="External link is dead (404/410, no such host); unverifiable links warn.",
        doc="""\
**What** — every external http(s) link is fetched (HEAD, then GET to confirm anything but
2xx; at most 5 redirects; retries with back-off for timeouts, 5xx and 429). An **error** for
a dead link: 404, 410 or a host name that does not exist. A **warning** when the link cannot
be verified — 401/403/429, bot walls (Cloudflare, AWS WAF, …), 5xx or timeouts after the
retries, too many redirects — or was not checked because it points to a private, loopback or
otherwise internal address (allow those with `--allow-private`). arXiv paper links are left to
`arxiv-metadata`, which checks them through the arXiv API as arXiv asks. With `GITHUB_TOKEN`
set, GitHub repository links are checked through the GitHub API (the token is sent to the
API host only). Results are cached (`--cache PATH`; ok for 7 days, dead for 1 day).

**Why** — dead links are the most common decay of a curated list, and a reader cannot tell a
moved page from a deleted one.

Only runs with `--online`. Settings: `[tool.readme-tools.online]`.

Bad:

    - [x] **X**: A title. CVPR2025 [Paper](https://example.org/paper-that-was-deleted) [Code](https://github.com/owner/deleted-repo)

Good:

    - [x] **X**: A title. CVPR2025 [Paper](https://example.org/paper) [Code](https://github.com/owner/repo)
""",
        check=check_dead_links,
    ),
    Rule(
        name="arxiv-metadata",
        code="N702",
        severity="error",
        fixable=False,
        online=True,
        summary="arXiv link disagrees with arXiv: missing id, withdrawn, other title, venue year.",
        doc=f"""\
**What** — every arXiv id linked from the document is looked up through the arXiv API (in
batches, one request at least every 3 seconds) and compared with the entry:

- **error**: the id does not exist on arXiv (or is malformed);
- **error**: the entry's title is far from arXiv's title — the link probably points to
  another paper;
- **warning**: the title is close but differs (a near miss, shown as a word diff such as
  `"Multimodel" → "Multimodal"`); case, punctuation, hyphenation, accents and TeX markup
  never count as differences, and the bold name may be missing on either side;
- **warning**: the paper has been withdrawn (unless `withdrawn-paper`, P803, runs too: it
  reports the withdrawal, with the successor when the record names one);
- **warning**: the venue year is earlier than the id's year (a `CVPR2023` paper cannot have
  been first posted in 2024 as `2405.xxxxx` — usually a wrong link or a wrong venue).

**Why** — a mistyped title or a link pasted from the neighbouring entry is invisible in the
rendered list, and it sends readers to the wrong paper.

Only runs with `--online`. Settings: `[tool.readme-tools.online]` (`arxiv-api`,
`arxiv-interval`, `arxiv-batch-size`), env `README_TOOLS_ARXIV_API`.

Bad:

    - [x] Accelerating Multimodel Large Language Models by Searching Optimal Vision Token Reduction. CVPR2025 [Paper](https://arxiv.org/abs/2412.00556)
    - [x] **VisionZip**: Longer is Better but Not Necessary in Vision Language Models. CVPR2023 [Paper](https://arxiv.org/abs/2412.04467)

Good:

    - [x] Accelerating Multimodal Large Language Models by Searching Optimal Vision Token Reduction. CVPR2025 [Paper](https://arxiv.org/abs/2412.00556)
    {_GOOD}
""",
        check=check_arxiv_metadata,
    ),
)
