"""``readme-tools sync``: refresh the metadata lock file of paper lists."""

from __future__ import annotations

import datetime
import importlib.util
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

import click

from readme_tools.cli.common import COMMAND_SETTINGS, Configs, config_option, max_size_option
from readme_tools.config import ConfigError
from readme_tools.diagnostics import counted

EPILOG = """\
\b
Examples:
  readme-tools sync                       README.md -> .readme-tools/papers.lock.json
  readme-tools sync docs/papers.md        the lock next to docs/papers.md
  readme-tools sync --check               exit 1 if the lock would change (writes nothing)
  readme-tools sync --sources arxiv,github   ask only these sources

\b
The lock records, per paper and repository, what each source says and the day it was
fetched (kept when the facts do not change, so an unchanged list re-synced gives the same
file). readme-lint reads it offline; commit it. Lists sharing one lock must be synced
together (the lock keeps only the papers of the files given).

\b
Sources and their documented limits (requests are paced to stay within them):
  arXiv             one request every 3 s, 100 ids a request
  Semantic Scholar  100 requests / 5 min (1/s with SEMANTIC_SCHOLAR_API_KEY), 500 ids a request
  OpenReview        20 requests a minute
  GitHub            serial, 60 requests an hour without GITHUB_TOKEN, 5,000 with it
  Crossref          5 requests/s (10/s with README_TOOLS_CROSSREF_MAILTO)
  dblp              one request every 2 s (only for papers the others found nothing on)

\b
Endpoints: README_TOOLS_{ARXIV,S2,DBLP,OPENREVIEW,CROSSREF,GITHUB}_API or --endpoint.
GITHUB_TOKEN is sent only to https://api.github.com or a GitHub API you name there.

\b
Exit status: 0 lock written or up to date, 1 --check and the lock is out of date,
2 usage, I/O or config error.
"""


def _fail(message: str) -> NoReturn:
    click.echo(f"readme-tools sync: error: {message}", err=True)
    sys.exit(2)


def _endpoints(values: tuple[str, ...]) -> dict[str, str]:
    from readme_tools.metadata.settings import DEFAULT_ENDPOINTS

    out = {}
    for value in values:
        name, sep, url = value.partition("=")
        if not sep or name not in DEFAULT_ENDPOINTS:
            known = ", ".join(sorted(DEFAULT_ENDPOINTS))
            raise click.UsageError(f"--endpoint expects SOURCE=URL with SOURCE one of {known}")
        out[f"{name}_api"] = url
    return out


def _today(env: Mapping[str, str]) -> datetime.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` (reproducible runs)."""
    epoch = env.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            _fail("SOURCE_DATE_EPOCH must be a number of seconds")
    return datetime.date.today()


@click.command(
    context_settings=COMMAND_SETTINGS,
    epilog=EPILOG,
)
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False))
@click.option(
    "--lock",
    "lock_path",
    type=click.Path(dir_okay=False),
    metavar="PATH",
    help="Write the lock here (default: .readme-tools/papers.lock.json next to the "
    "list, or [tool.readme-tools.metadata] lock).",
)
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 if the lock is missing or would change."
)
@click.option(
    "--sources",
    metavar="NAMES",
    help="Ask only these sources (comma-separated: arxiv, s2, openreview, github, crossref, dblp).",
)
@click.option(
    "--endpoint",
    "endpoints",
    multiple=True,
    metavar="SOURCE=URL",
    help="Use another API endpoint (as README_TOOLS_<SOURCE>_API does).",
)
@config_option
@max_size_option
@click.option(
    "--cache",
    "cache_path",
    type=click.Path(dir_okay=False),
    metavar="PATH",
    help="Answer cache (default: metadata.json in $README_TOOLS_CACHE_DIR, else "
    "$XDG_CACHE_HOME/readme-tools).",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the answer cache.")
@click.option(
    "--allow-private",
    is_flag=True,
    help="Let the endpoints be private, loopback or link-local addresses.",
)
@click.option(
    "--budget",
    type=float,
    metavar="SECONDS",
    help="Overall time limit (default 3600); what is left unasked keeps its old facts.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
def sync(
    paths: tuple[str, ...],
    lock_path: str | None,
    check: bool,
    sources: str | None,
    endpoints: tuple[str, ...],
    config_path: str | None,
    max_size: int,
    cache_path: str | None,
    no_cache: bool,
    allow_private: bool,
    budget: float | None,
    quiet: bool,
) -> None:
    """Refresh the metadata lock of paper lists (default: ./README.md) from the network.

    Looks up every paper and code repository of the lists and records what the sources say
    in the lock file that readme-lint's metadata rules (venue-update, venue-claim,
    withdrawn-paper, code-repository) read.
    """
    if importlib.util.find_spec("aiohttp") is None:
        _fail("sync needs aiohttp: pip install 'readme-tools[online]'")
    from readme_tools.metadata.settings import SOURCES, metadata_settings

    targets = paths or ("README.md",)
    chosen = tuple(s.strip() for s in sources.split(",") if s.strip()) if sources else SOURCES
    unknown = set(chosen) - set(SOURCES)
    if unknown:
        raise click.UsageError(f"unknown source(s) in --sources: {', '.join(sorted(unknown))}")
    cli: dict[str, Any] = dict(_endpoints(endpoints))
    cli.update(
        allow_private=True if allow_private else None,
        budget=budget,
        cache_path=Path(cache_path) if cache_path else None,
        use_cache=False if no_cache else None,
    )
    groups = _group_by_lock(targets, lock_path, config_path, max_size)
    stale = False
    for lock_file, (docs, narrowed) in groups.items():
        wanted = tuple(s for s in chosen if narrowed is None or s in narrowed)
        try:
            settings = metadata_settings(os.environ, **cli, sources=wanted)
        except ValueError as exc:
            _fail(str(exc))
        stale |= _sync_one(lock_file, docs, settings, check, quiet)
    if check and stale:
        sys.exit(1)


def _group_by_lock(
    targets: tuple[str, ...], lock_path: str | None, config_path: str | None, max_size: int
) -> dict[Path, tuple[list[Any], tuple[str, ...] | None]]:
    """Parse every list; group the documents by the lock file they share."""
    from readme_tools.engine import lint_source
    from readme_tools.files import read_source
    from readme_tools.lockpath import LockError, resolve_lock_path
    from readme_tools.rules.metadata import MetadataOptions
    from readme_tools.source import InputError

    groups: dict[Path, tuple[list[Any], tuple[str, ...] | None]] = {}
    # A repository's [metadata] table may only narrow (lock, sources): nothing to trust.
    configs = Configs("readme-tools sync", config_path, trust_repo=False)
    for path in targets:
        if path == "-":
            raise click.UsageError("sync needs file paths (the lock lives next to the list)")
        try:
            config = configs.for_path(path)
            options = config.options(MetadataOptions)
            base = config.path.parent if config.path is not None else None
            lock = (
                Path(lock_path) if lock_path else resolve_lock_path(Path(path), options.lock, base)
            )
            source = read_source(path, max_size)
            doc, _ = lint_source(source, [], config)
        except (InputError, ConfigError, LockError) as exc:
            _fail(str(exc))
        groups.setdefault(lock.absolute(), ([], options.sources))[0].append(doc)
    return groups


def _sync_one(lock_file: Path, docs: list[Any], settings: Any, check: bool, quiet: bool) -> bool:
    """Sync one lock; True when it was out of date."""
    from readme_tools.files import atomic_write
    from readme_tools.metadata.lock import LockError, dumps, load
    from readme_tools.metadata.progress import progress_bar
    from readme_tools.metadata.sync import sync as run_sync
    from readme_tools.metadata.targets import collect

    try:
        old = load(lock_file)
    except LockError as exc:
        _fail(f"{exc} (delete it to start afresh)")
    papers, repos = collect(docs)
    bar, close = progress_bar("sync", enabled=None if not quiet else False)
    try:
        result = run_sync(papers, repos, settings, old, today=_today(os.environ), progress=bar)
    finally:
        close()
    text = dumps(result.lock)
    before = dumps(old) if old is not None else None
    changed = text != before
    if not check and changed:
        try:
            lock_file.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(str(lock_file), text.encode("utf-8"))
        except OSError as exc:
            _fail(f"{lock_file}: cannot write lock: {exc.strerror or exc}")
    if not quiet:
        _summary(lock_file, result, changed, check, len(papers), len(repos))
    return changed


def _summary(
    lock_file: Path, result: Any, changed: bool, check: bool, papers: int, repos: int
) -> None:
    gathered = result.gathered
    for source, failed in sorted(gathered.failed.items()):
        reason = next(iter(failed.values()))
        click.echo(
            f"readme-tools sync: {source}: {counted(len(failed), 'lookup')} failed ({reason}); "
            "their previous facts are kept",
            err=True,
        )
    sent = sum(gathered.sent.values())
    what = f"{counted(papers, 'paper')} and {counted(repos, 'repository')}".replace(
        "repositorys", "repositories"
    )
    state = ("is out of date" if check else "written") if changed else "is up to date"
    click.echo(
        f"readme-tools sync: {lock_file} {state} ({what}; {counted(sent, 'request')}, "
        f"{gathered.cached} cached answers)",
        err=True,
    )
