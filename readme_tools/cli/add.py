"""``readme-tools add``: add papers by id, written in the house style of their section."""

from __future__ import annotations

import difflib
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from readme_tools.cli.common import COMMAND_SETTINGS, Command, config_option, max_size_option

EPILOG = """\
\b
Examples:
  readme-tools add 2410.02712                        the list has one section: into it
  readme-tools add https://arxiv.org/abs/2410.02712 --section "Image LLMs"
  readme-tools add 10.18653/v1/2023.emnlp-main.101 --section NLP docs/papers.md
  readme-tools add https://openreview.net/forum?id=AbCdEf --dry-run
                                                     print the diff, write nothing
  readme-tools add 2501.01234 --section Surveys --new-section
                                                     create the section (and its TOC line)
  readme-tools add 2501.01234 --title "X: Y" --venue CVPR2025 --offline
                                                     no lookup: say what the paper is

\b
The entry is written like its neighbours in the section: list item or table row, checkbox,
bold short name (from a "Name: Title" title), venue tag spelling, link labels and order,
badges. The section's order (see readme-lint --explain section-order) decides where it
goes, else it goes last. A paper already in the list (same arXiv id, DOI, OpenReview id or
title) is refused, naming the entry that has it. The TOC gains a line for a new section
and stats blocks are refreshed, through their rules' fixes. The result is linted again:
findings the new entries bring are printed.

\b
Metadata: the lock file (.readme-tools/papers.lock.json, see readme-tools sync) when it
knows the paper, else arXiv, Semantic Scholar, OpenReview, Crossref and dblp (endpoints:
README_TOOLS_<SOURCE>_API or --endpoint; --offline never asks).

\b
Exit status: 0 added (or, with --dry-run, would add), 1 a paper was refused as a duplicate
or the new entries have lint findings, 2 usage, I/O, lookup or config error.
"""

_LIST_SUFFIXES = (".md", ".markdown", ".mdown", ".txt")


def _fail(message: str) -> NoReturn:
    click.echo(f"readme-tools add: error: {message}", err=True)
    sys.exit(2)


def _split(args: tuple[str, ...], file: str | None) -> tuple[list[str], str]:
    """IDs and the list file: the last argument is the file when it names a markdown file."""
    ids = list(args)
    if file is None and len(ids) > 1:
        last = ids[-1]
        if last == "-" or last.lower().endswith(_LIST_SUFFIXES) or os.path.isfile(last):
            file = ids.pop()
    if not ids:
        raise click.UsageError("give at least one paper id (arXiv id or URL, DOI, OpenReview URL)")
    return ids, file or "README.md"


def _settings(endpoints: tuple[str, ...], options: dict[str, Any], sources: str | None) -> Any:
    from readme_tools.cli.sync import _endpoints
    from readme_tools.metadata.settings import SOURCES, metadata_settings

    chosen = tuple(s.strip() for s in sources.split(",") if s.strip()) if sources else SOURCES
    unknown = set(chosen) - set(SOURCES)
    if unknown:
        raise click.UsageError(f"unknown source(s) in --sources: {', '.join(sorted(unknown))}")
    try:
        return metadata_settings(os.environ, **_endpoints(endpoints), **options, sources=chosen)
    except ValueError as exc:
        _fail(str(exc))


def _today() -> Any:
    from readme_tools.cli.sync import _today as today

    return today(os.environ)


@click.command("add", cls=Command, context_settings=COMMAND_SETTINGS, epilog=EPILOG)
@click.argument("args", nargs=-1, required=True, metavar="ID... [FILE]")
@click.option("--file", "file", metavar="FILE", help="The list (default: README.md).")
@click.option("--section", metavar="NAME", help="The section to add to (its heading's text).")
@click.option(
    "--new-section", is_flag=True, help="Create --section if the list has none of that name."
)
@click.option("--dry-run", is_flag=True, help="Print the diff; write nothing.")
@click.option("--name", metavar="NAME", help="The short name (one paper only).")
@click.option(
    "--title", metavar="TITLE", help="The title, 'Name: Title' (one paper only; no lookup)."
)
@click.option("--venue", metavar="TAG", help="The venue tag, e.g. CVPR2025 (one paper only).")
@click.option("--code", metavar="URL", help="The code repository (one paper only).")
@click.option("--offline", is_flag=True, help="Use the lock file only; never the network.")
@click.option(
    "--lock",
    "lock_path",
    type=click.Path(dir_okay=False),
    metavar="PATH",
    help="The lock file to read (default: next to the list).",
)
@click.option(
    "--sources",
    metavar="NAMES",
    help="Ask only these sources (arxiv, s2, openreview, crossref, dblp).",
)
@click.option(
    "--endpoint", "endpoints", multiple=True, metavar="SOURCE=URL", help="Use another API endpoint."
)
@click.option(
    "--allow-private", is_flag=True, help="Let the endpoints be private or loopback addresses."
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the answer cache.")
@config_option
@max_size_option
@click.option("-q", "--quiet", is_flag=True, help="Print only errors, findings and the diff.")
def add(
    args: tuple[str, ...],
    file: str | None,
    section: str | None,
    new_section: bool,
    dry_run: bool,
    name: str | None,
    title: str | None,
    venue: str | None,
    code: str | None,
    offline: bool,
    lock_path: str | None,
    sources: str | None,
    endpoints: tuple[str, ...],
    allow_private: bool,
    no_cache: bool,
    config_path: str | None,
    max_size: int,
    quiet: bool,
) -> None:
    """Add papers (arXiv id or URL, DOI, OpenReview URL) to a list (default: ./README.md)."""
    from readme_tools.listdata.lookup import LookupError_, parse_ids

    ids, path = _split(args, file)
    if path == "-":
        raise click.UsageError("add needs a file path (it writes the list in place)")
    overrides = {"name": name, "title": title, "venue": venue, "code": code}
    if any(v is not None for v in overrides.values()) and len(ids) > 1:
        raise click.UsageError(
            "--name, --title, --venue and --code describe one paper: give one id"
        )
    try:
        idents = parse_ids(ids)
    except LookupError_ as exc:
        raise click.UsageError(str(exc)) from None
    source, config, vocab, lock = _read(path, config_path, max_size, lock_path)
    idents, refused = _known(source, config, idents)
    for message in refused:
        click.echo(f"readme-tools add: {message}", err=True)
    papers = (
        _papers(
            idents, overrides, lock, vocab, offline, sources, endpoints, allow_private, no_cache
        )
        if idents
        else []
    )
    _write(source, config, papers, section, new_section, dry_run, quiet, "readme-tools add")
    if refused:
        sys.exit(1)


def _known(source: Any, config: Any, idents: list[Any]) -> tuple[list[Any], list[str]]:
    """The ids the list does not have yet, and a message for each it has (no lookup needed)."""
    from readme_tools.config import TocOptions
    from readme_tools.fmt.additions import refusal
    from readme_tools.listdata.paper import Paper
    from readme_tools.listdata.place import Catalog
    from readme_tools.parse import parse

    doc = parse(source, config.options(TocOptions))
    catalog = Catalog(doc)
    todo, refused = [], []
    for ident in idents:
        message = refusal(doc, Paper(title="", ids=(ident,)), catalog)
        if message is None:
            todo.append(ident)
        else:
            refused.append(message)
    return todo, refused


def _read(path: str, config_path: str | None, max_size: int, lock_path: str | None) -> Any:
    from readme_tools.cli.common import Configs
    from readme_tools.config import ConfigError
    from readme_tools.files import read_source
    from readme_tools.lockpath import resolve_lock_path
    from readme_tools.metadata.lock import LockError, load
    from readme_tools.rules.metadata import MetadataOptions
    from readme_tools.source import InputError
    from readme_tools.venues import VenueOptions, configured_vocabulary

    try:
        config = Configs("readme-tools add", config_path, trust_repo=False).for_path(path)
        source = read_source(path, max_size)
        options = config.options(MetadataOptions)
        base = config.path.parent if config.path is not None else None
        where = Path(lock_path) if lock_path else resolve_lock_path(Path(path), options.lock, base)
        lock = load(where)
    except (InputError, ConfigError, LockError) as exc:
        _fail(str(exc))
    if source.invalid:
        _fail(f"{path}: not valid UTF-8; convert the file to UTF-8 first (readme-fmt --fix)")
    return source, config, configured_vocabulary(config.options(VenueOptions)), lock


def _papers(
    idents: list[Any], overrides: dict[str, str | None], lock: Any, vocab: Any, offline: bool,
    sources: str | None, endpoints: tuple[str, ...], allow_private: bool, no_cache: bool,
) -> list[Any]:  # fmt: skip
    from readme_tools.listdata.lookup import resolve

    if overrides["title"] is not None:
        return [_override(_bare(idents[0], overrides["title"]), overrides, vocab)]
    settings = None
    if not offline:
        import importlib.util

        if importlib.util.find_spec("aiohttp") is None:
            _fail(
                "looking papers up needs aiohttp: pip install 'readme-tools[online]' (or --offline)"
            )
        options = {
            "allow_private": True if allow_private else None,
            "use_cache": False if no_cache else None,
        }
        settings = _settings(endpoints, options, sources)
    found = resolve(idents, lock.facts if lock is not None else None, vocab, settings)
    for ident, reason in found.missing.items():
        _fail(f"{ident.key}: {reason}; give --title (and --venue) to add it anyway")
    papers = [found.papers[i] for i in idents]
    return [_override(papers[0], overrides, vocab)] if len(papers) == 1 else papers


def _bare(ident: Any, title: str) -> Any:
    from readme_tools.identifiers import parse_arxiv_id
    from readme_tools.listdata.paper import Paper, Venue, split_name

    name, short = split_name(title)
    parsed = parse_arxiv_id(ident.value) if ident.kind == "arxiv" else None
    venue = Venue("arXiv", parsed.year) if parsed else None
    month = (parsed.year, parsed.month) if parsed else None
    return Paper(title=short, name=name, ids=(ident,), venue=venue, url=ident.url, month=month)


def _override(paper: Any, overrides: dict[str, str | None], vocab: Any) -> Any:
    from dataclasses import replace

    from readme_tools.listdata.paper import Venue
    from readme_tools.venues import parse_venue

    if overrides["name"] is not None:
        paper = replace(paper, name=overrides["name"] or None)
    if overrides["venue"] is not None:
        tag = parse_venue(overrides["venue"], vocab)
        if tag is None or tag.canonical is None:
            raise click.UsageError(
                f"--venue {overrides['venue']!r} is not a known venue tag (e.g. CVPR2025)"
            )
        paper = replace(paper, venue=Venue(tag.canonical, tag.year, tag.qualifiers))
    if overrides["code"] is not None:
        paper = replace(paper, code=overrides["code"])
    return paper


def _write(
    source: Any, config: Any, papers: list[Any], section: str | None, create: bool,
    dry_run: bool, quiet: bool, prog: str, importing: bool = False,
) -> None:  # fmt: skip
    from readme_tools.files import WriteError, atomic_write
    from readme_tools.fmt.additions import PlaceError, add_papers
    from readme_tools.source import encode

    try:
        outcome = add_papers(
            source,
            config,
            papers,
            section=section,
            create=create,
            today=_today(),
            importing=importing,
        )
    except PlaceError as exc:
        _fail(str(exc))
    path = source.path
    for message in outcome.refused:
        click.echo(f"{prog}: {message}", err=True)
    if not quiet:
        for added in outcome.added:
            verb = "would add" if dry_run else "added"
            click.echo(
                f"{prog}: {verb} {added.paper.full_title!r} to {added.section!r} "
                f"({path}:{added.line})",
                err=True,
            )
        for note in outcome.notes:
            click.echo(f"{prog}: {note}", err=True)
    for d in outcome.new_findings:
        click.echo(f"{path}:{d.line}:{d.column}: {d.code} {d.rule} {d.message} (new)", err=True)
    if outcome.text != source.text:
        if dry_run:
            diff = difflib.unified_diff(
                source.text.splitlines(keepends=True),
                outcome.text.splitlines(keepends=True),
                fromfile=path,
                tofile=f"{path} (with the new entries)",
            )
            click.echo("".join(diff), nl=False)
        else:
            try:
                atomic_write(path, encode(outcome.text, source))
            except WriteError as exc:
                _fail(str(exc))
    if outcome.refused or outcome.new_findings:
        sys.exit(1)
