"""Every call the language server makes into the linter and the formatter.

The rest of :mod:`readme_tools.lsp` sees only this module, so changes inside the linter
(parser, formatter, configuration) meet the server in one file. It uses the engine
(``Selection``, ``active_rules``, ``lint_source``), the registry, the configuration loader,
the formatter's ``format_source``, the diagnostics types, ``decode`` and ``readme-lint
--explain``'s text builder; nothing here imports pygls.

Rules run *guarded*: a rule that raises loses its findings for that run and is reported as a
:class:`Crash`, the other rules' findings still arrive (the CLI stops with exit 2 instead).
"""

from __future__ import annotations

import dataclasses
import re
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from readme_tools.config import Config, ConfigError, find_config, load_config
from readme_tools.diagnostics import Diagnostic, Fix, Replacement
from readme_tools.engine import Selection, active_rules, lint_source, no_cyclic_gc
from readme_tools.fmt.pipeline import FormatError, format_source
from readme_tools.registry import Registry, Rule, load
from readme_tools.rules.toc import REGENERATE_TOC
from readme_tools.source import InputError, Source, decode

if TYPE_CHECKING:
    from readme_tools.context import Context
    from readme_tools.model import Document

__all__ = [
    "MAX_CHARS",
    "Cancelled",
    "Choice",
    "Config",
    "ConfigError",
    "Crash",
    "Diagnostic",
    "Fix",
    "Formatted",
    "LintError",
    "LintRun",
    "Linter",
    "Replacement",
]

#: Documents larger than this are not linted (``readme-lint --max-size``'s default, 32 MiB).
MAX_CHARS: Final = 32 * 1024 * 1024
#: The fix description of the ``toc`` family's regeneration (rules/toc.py ``_regeneration``).

# duplicate-entry's message names the earlier entry's line (rules/links.py ``_where``).
_EARLIER_ENTRY: Final = re.compile(r"\bthe entry at line (\d+)\b")


class Cancelled(BaseException):
    """Raised between two rules when the caller no longer wants the result.

    A ``BaseException`` so that the engine's ``except Exception`` around each rule (which turns
    a rule's error into ``RuleCrash``) lets it through.
    """


class LintError(Exception):
    """The document cannot be linted at all (bad input, or a crash outside the rules)."""


@dataclass(frozen=True)
class Crash:
    rule: str
    error: str  # "ValueError: message"
    trace: str


@dataclass(frozen=True)
class LintRun:
    diagnostics: list[Diagnostic]
    crashes: tuple[Crash, ...]
    seconds: float


@dataclass(frozen=True)
class Formatted:
    text: str  # the formatted document, in the document's own line endings
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Choice:
    """One character of a mojibake repair the model is not sure about, and its candidates.

    ``line``/``column`` are 1-based (code points) and point at ``original``, the mis-decoded
    sequence that one character became; ``alternatives`` are (character, score in nats
    relative to the best), the model's choice first.
    """

    line: int
    column: int
    original: str
    alternatives: tuple[tuple[str, float], ...]


def source_of(text: str, path: str, starts: tuple[int, ...] | None = None) -> Source:
    """``text`` (an editor buffer) as the linter's :class:`Source`.

    ``starts`` (the offsets of the lines) promises that ``text`` is what ``decode`` would
    return for its UTF-8 bytes: ``\n`` line ends only, no NUL, BOM or lone surrogate. The
    :class:`Source` is then built directly, which skips encoding and decoding the whole text
    (80 ms on a 16 MB list). Otherwise lone surrogates, which only a JSON escape can put into
    a buffer, become ``?`` so that offsets stay those of the buffer. Raises
    :class:`LintError` for input the CLI refuses.
    """
    if len(text) > MAX_CHARS:
        raise LintError(f"{path}: document too large ({len(text) / 2**20:.1f} M characters)")
    if starts is not None:
        endings = ("\n",) * (len(starts) - 1) + ("",)
        return Source(path=path, text=text, line_endings=endings, line_starts=starts)
    try:
        return decode(text.encode("utf-8", "replace"), path)
    except InputError as exc:
        raise LintError(str(exc)) from None


def _guarded(rule: Rule, crashes: list[Crash], cancel: Callable[[], bool] | None) -> Rule:
    inner = rule.check

    def check(doc: Document, ctx: Context) -> list[Any]:
        if cancel is not None and cancel():
            raise Cancelled
        try:
            return list(inner(doc, ctx))
        except Exception as exc:
            crashes.append(Crash(rule.name, f"{type(exc).__name__}: {exc}", traceback.format_exc()))
            return []

    return dataclasses.replace(rule, check=check)


class Linter:
    """The linter and formatter as the server uses them, for one rule registry."""

    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry if registry is not None else load()

    # ------------------------------------------------------------------ configuration

    def find_config(self, start: Path) -> Path | None:
        """The config file the CLI would use for a file in directory ``start``."""
        return find_config(start)

    def load_config(self, path: Path | None) -> Config:
        """Raises :class:`ConfigError` with the CLI's one-line message."""
        return load_config(path, self.registry)

    # ------------------------------------------------------------------ linting

    def rules(self, config: Config) -> list[Rule]:
        """The rules ``readme-lint`` runs with this config (never the online ones)."""
        return active_rules(self.registry, config, Selection(online=False))

    def lint(
        self,
        text: str,
        path: str,
        config: Config,
        *,
        lines: Iterable[int] | None = None,
        cache: Path | None = None,
        fixes: bool = False,
        cancel: Callable[[], bool] | None = None,
        starts: tuple[int, ...] | None = None,
    ) -> LintRun:
        """``readme-lint``'s findings on ``text``; with ``lines`` (1-based), those on them.

        ``cache`` is the incremental parse cache (a file this run reads and rewrites);
        ``starts`` see :func:`source_of`.
        Raises :class:`Cancelled` when ``cancel()`` turns true between two rules, and
        :class:`LintError` when the text cannot be linted.
        """
        started = time.perf_counter()
        source = source_of(text, path, starts)
        crashes: list[Crash] = []
        rules = [_guarded(rule, crashes, cancel) for rule in self.rules(config)]
        wanted = None if lines is None else frozenset(lines)
        try:
            with no_cyclic_gc():
                _, found = lint_source(
                    source, rules, config, lines=wanted, fixes=fixes, cache=cache
                )
        except Exception as exc:  # the parser or the engine, not a rule: keep serving
            raise LintError(f"internal error: {type(exc).__name__}: {exc}") from exc
        return LintRun(found, tuple(crashes), time.perf_counter() - started)

    # ------------------------------------------------------------------ formatting

    def format(self, text: str, path: str, config: Config) -> Formatted:
        """``readme-fmt --fix``'s output for ``text``; :class:`LintError` when it refuses."""
        source = source_of(text, path)
        try:
            with no_cyclic_gc():
                result = format_source(source, config, registry=self.registry)
        except (FormatError, ConfigError) as exc:
            raise LintError(str(exc)) from None
        except Exception as exc:  # a crash in a rule or the layout: report, keep serving
            raise LintError(f"internal error: {type(exc).__name__}: {exc}") from exc
        return Formatted(result.data.decode("utf-8"), tuple(result.notes))

    def mojibake_choices(self, text: str, path: str, config: Config) -> list[Choice]:
        """The uncertain characters of the mojibake repair, each with its alternatives.

        ``readme-fmt --review``'s data: the formatter's first repair round, positions in
        ``text``. Empty when the repair refuses or the mojibake rule is off.
        """
        try:
            source = source_of(text, path)
            with no_cyclic_gc():
                result = format_source(
                    source,
                    config,
                    selection=Selection(select=("mojibake",)),
                    registry=self.registry,
                )
        except Exception:
            return []
        out = []
        for repair in result.uncertain:
            alternatives = tuple(
                (str(getattr(a, "char", a)), float(getattr(a, "score", 0.0) or 0.0))
                for a in repair.alternatives
            )
            out.append(Choice(repair.line, repair.column, repair.original, alternatives))
        return out

    # ------------------------------------------------------------------ rules

    def rule(self, name_or_code: str) -> Rule | None:
        return self.registry.get(name_or_code)

    def explain(self, name_or_code: str) -> str | None:
        """``readme-lint --explain``'s text for a rule name or code, or None."""
        rule = self.registry.get(name_or_code)
        if rule is None:
            return None
        from readme_tools.cli.lint import explain_text  # click and the CLI: only for a hover

        if self.registry.get(rule.name) is load().get(rule.name):
            return explain_text(rule.name)
        return _explanation(rule)  # a rule outside the installed registry (tests, plugins)

    def is_toc_regeneration(self, diagnostic: Diagnostic) -> bool:
        rule = self.registry.get(diagnostic.rule)
        fix = diagnostic.fix
        return (
            rule is not None
            and rule.family == "toc"
            and fix is not None
            and fix.description == REGENERATE_TOC
        )


def _explanation(rule: Rule) -> str:
    head = f"{rule.name} ({rule.code})"
    fixable = "yes (readme-fmt --fix)" if rule.fixable else "no"
    return (
        f"{head}\n{'=' * len(head)}\n{rule.summary}\nseverity: {rule.severity}; "
        f"fixable: {fixable}\n\n{rule.doc.rstrip()}\n"
    )


def earlier_entry_line(diagnostic: Diagnostic) -> int | None:
    """For a duplicate, the 1-based line of the entry it repeats (read from the message).

    The line is only in the message text today; see the report for the proposed
    ``Diagnostic.related`` field that would carry it as data.
    """
    if diagnostic.rule != "duplicate-entry":
        return None
    match = _EARLIER_ENTRY.search(diagnostic.message)
    return int(match.group(1)) if match else None


def applicable_replacements(diagnostic: Diagnostic) -> Sequence[Replacement]:
    """The edits of a finding's fix in file positions (empty: nothing an editor can apply).

    Fixes without edits (dropping a BOM, unifying line endings) take effect only when
    ``readme-fmt`` encodes the file; an editor buffer has neither, so they are left out.
    """
    return diagnostic.replacements if diagnostic.fix is not None else ()
