"""readme-tools: lint and format curated markdown paper lists.

The public API (imported on first use, so ``import readme_tools`` stays cheap):

* :func:`lint_text` -- the findings ``readme-lint`` reports for a text, as
  :class:`Diagnostic` objects (path, line, column, rule, code, severity, message, fix);
* :func:`format_text` -- the text ``readme-fmt --fix`` writes; raises :class:`FormatRefused`
  where ``readme-fmt`` refuses (it would lose content, or does not converge);
* :func:`parse_text` -- the :class:`Document` model: :class:`Heading`, :class:`Section`,
  :class:`Entry` (checkbox, bold name, title, venue, :class:`Link` objects, summary) and the
  :class:`Toc`, with :class:`Span` offsets into the text.

Each takes ``text`` (str or bytes) and keyword arguments: ``path`` (what findings name),
``config`` (a :class:`Config`, or the ``[tool.readme-tools]`` table as a mapping; a wrong
table raises :class:`ConfigError`), and for linting and formatting ``select`` / ``ignore``
(rule names or codes). Example::

    import readme_tools

    for d in readme_tools.lint_text(text, path="README.md", ignore=["bold-name"]):
        print(d.line, d.column, d.rule, d.message)
    fixed = readme_tools.format_text(text)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from readme_tools.version import __version__

if TYPE_CHECKING:
    from readme_tools.api import FormatRefused, format_text, lint_text, parse_text
    from readme_tools.config import Config, ConfigError
    from readme_tools.diagnostics import Diagnostic
    from readme_tools.model import Document, Entry, Heading, Link, Section, Span, Toc

__all__ = [
    "Config",
    "ConfigError",
    "Diagnostic",
    "Document",
    "Entry",
    "FormatRefused",
    "Heading",
    "Link",
    "Section",
    "Span",
    "Toc",
    "__version__",
    "format_text",
    "lint_text",
    "parse_text",
]

_HOMES = {
    "FormatRefused": "readme_tools.api",
    "format_text": "readme_tools.api",
    "lint_text": "readme_tools.api",
    "parse_text": "readme_tools.api",
    "Config": "readme_tools.config",
    "ConfigError": "readme_tools.config",
    "Diagnostic": "readme_tools.diagnostics",
    **dict.fromkeys(
        ("Document", "Entry", "Heading", "Link", "Section", "Span", "Toc"), "readme_tools.model"
    ),
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
