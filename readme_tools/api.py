"""The public API: parse, lint and format a paper list held in memory.

Everything here behaves as the command lines do on a file with the same content: the text is
decoded as ``readme-lint`` decodes a file (BOM, line endings, invalid UTF-8 reported), the
configuration is a ``[tool.readme-tools]`` table, rules are selected by name or code.

``config`` is a :class:`~readme_tools.config.Config`, or the ``[tool.readme-tools]`` table as
a mapping (``{"ignore": ["bold-name"], "entry": {"checkbox": "required"}}``), or None for
the defaults. A table that is not valid raises :class:`~readme_tools.config.ConfigError`; an
unknown rule in ``select`` / ``ignore`` raises ``ValueError``; binary input (NUL bytes) raises
:class:`~readme_tools.source.InputError`, as the command lines refuse it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from readme_tools import registry
from readme_tools.config import Config, TocOptions, parse_config
from readme_tools.diagnostics import Diagnostic
from readme_tools.engine import Selection, active_rules, lint_source, no_cyclic_gc
from readme_tools.model import Document
from readme_tools.parse import parse
from readme_tools.source import Source, decode

__all__ = ["FormatRefused", "format_text", "lint_text", "parse_text"]

Settings = Config | Mapping[str, Any] | None


class FormatRefused(ValueError):
    """``readme-fmt`` refuses this text (exit 2 on the command line), nothing is returned.

    The result would lose an entry, a link target or a word, would change again when
    formatted again, or the fixes do not converge; or the text is not valid UTF-8, or a format
    option has a value outside its choices. The message says which.
    """


def parse_text(text: str | bytes, *, path: str = "<text>", config: Settings = None) -> Document:
    """The document model of ``text``: headings, sections, entries, links, the TOC."""
    return parse(_source(text, path), _config(config).options(TocOptions))


def lint_text(
    text: str | bytes,
    *,
    path: str = "<text>",
    config: Settings = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    fixes: bool = False,
) -> list[Diagnostic]:
    """The findings ``readme-lint`` reports for ``text``, sorted by position.

    ``select`` keeps only these rules (names or codes; None: the configured or all rules),
    ``ignore`` drops these. ``path`` is what the findings name. Online checks never run.
    ``fixes=True`` also computes every fixable finding's :attr:`~Diagnostic.fix` (the edits
    ``readme-fmt`` would make for it alone); that costs more where a fix needs a model (the
    mojibake rule then runs the repair, and its messages say what the repair restores).
    """
    settings = _config(config)
    rules = active_rules(registry.load(), settings, _selection(select, ignore))
    with no_cyclic_gc():
        return lint_source(_source(text, path), rules, settings, fixes=fixes)[1]


def format_text(
    text: str | bytes,
    *,
    path: str = "<text>",
    config: Settings = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    apply_uncertain: bool = False,
) -> str:
    """The text ``readme-fmt --fix`` writes for ``text`` (line endings as in ``text``).

    ``select`` / ``ignore`` choose whose fixes are applied; ``apply_uncertain`` also applies
    the mojibake repairs the model is not confident about. Raises :class:`FormatRefused`
    where ``readme-fmt`` refuses.
    """
    from readme_tools.fmt.pipeline import FormatError, format_source
    from readme_tools.fmt.render import LayoutError

    raw = _bytes(text)
    settings = _config(config)
    source = decode(raw, path)
    try:
        with no_cyclic_gc():
            result = format_source(
                source,
                settings,
                selection=_selection(select, ignore),
                registry=registry.load(),
                apply_uncertain=apply_uncertain,
                original=raw,
            )
    except (FormatError, LayoutError) as exc:
        raise FormatRefused(str(exc)) from exc
    return result.data.decode("utf-8", "surrogatepass")


def _bytes(text: str | bytes) -> bytes:
    # Lone surrogates (text that was decoded with errors="surrogateescape") stay invalid
    # UTF-8 and are reported as such, as in a file.
    return text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")


def _source(text: str | bytes, path: str) -> Source:
    return decode(_bytes(text), path)


def _config(config: Settings) -> Config:
    if config is None:
        return Config()
    if isinstance(config, Config):
        return config
    return parse_config(config, registry.load(), where="config")


def _selection(select: Iterable[str] | None, ignore: Iterable[str]) -> Selection:
    reg = registry.load()
    chosen = None if select is None else tuple(select)
    dropped = tuple(ignore)
    for name in (*(chosen or ()), *dropped):
        if reg.get(name) is None:
            raise ValueError(f"unknown rule {name!r} (see readme-lint --list-rules)")
    return Selection(select=chosen, ignore=dropped)
