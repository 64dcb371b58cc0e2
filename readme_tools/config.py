"""Configuration: ``[tool.readme-tools]`` in ``pyproject.toml`` or a ``.readme-tools.toml``.

The file is found by walking up from the linted file's directory; ``--config PATH`` overrides.
Top-level keys are the core settings below; every other key must be a table declared by a rule
family (:class:`readme_tools.registry.OptionSection`) or one of the core tables here. Unknown
keys are an error that names the key.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, get_type_hints

from readme_tools.diagnostics import SEVERITIES, Severity
from readme_tools.fmt.options import FormatOptions
from readme_tools.registry import OptionSection, Registry

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

T = TypeVar("T")


class ConfigError(Exception):
    """A configuration problem; reported as one line with exit code 2."""


@dataclass(frozen=True)
class TocOptions:
    """``[tool.readme-tools.toc]``: how the table of contents is found and checked."""

    headings: tuple[str, ...] = (
        "table of contents",
        "table of content",
        "contents",
        "toc",
        "目录",
        "目錄",
    )
    min_level: int | None = None  # None: inferred from the existing TOC
    max_level: int | None = None
    # Headings never required in the TOC (compared like anchors: case, emoji, punctuation
    # ignored). The default is the usual back matter of awesome lists.
    exclude: tuple[str, ...] = (
        "contributing",
        "contribute",
        "license",
        "footnotes",
        "related lists",
    )


@dataclass(frozen=True)
class EntryOptions:
    """``[tool.readme-tools.entry]``: the entry grammar. ``auto`` follows the document."""

    checkbox: str = "auto"  # auto | required | forbidden
    bold_name: str = "auto"  # auto | required | optional
    separator: str = ":"  # between the bold name and the title


CORE_SECTIONS: tuple[OptionSection, ...] = (
    OptionSection("toc", TocOptions),
    OptionSection("entry", EntryOptions),
    OptionSection("format", FormatOptions),
)
TOP_LEVEL_KEYS = ("select", "ignore", "severity", "summary-language")


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    select: tuple[str, ...] | None = None  # None: every rule
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    summary_language: str | None = None
    sections: Mapping[type[Any], Any] = field(default_factory=dict)

    def options(self, cls: type[T]) -> T:
        value = self.sections.get(cls)
        return value if value is not None else cls()


def find_config(start: Path) -> Path | None:
    """The nearest ``.readme-tools.toml`` or ``pyproject.toml`` with our table."""
    directory = start if start.is_dir() else start.parent
    for candidate in (directory, *directory.parents):
        dotfile = candidate / ".readme-tools.toml"
        if dotfile.is_file():
            return dotfile
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if "readme-tools" in data.get("tool", {}):
                return pyproject
    return None


def load_config(path: Path | None, registry: Registry) -> Config:
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: config is not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    where = f"{path}"
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("readme-tools", {})
        where = f"[tool.readme-tools] in {path}"
    return parse_config(data, registry, path=path, where=where)


def parse_config(
    data: Mapping[str, Any], registry: Registry, path: Path | None = None, where: str = "config"
) -> Config:
    sections = {s.name: s for s in (*CORE_SECTIONS, *registry.options)}
    rule_names = set(registry.names) | {r.code for r in registry.rules}

    def rules_list(key: str) -> tuple[str, ...]:
        value = data[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: '{key}' must be a list of rule names")
        for name in value:
            if name not in rule_names and name.upper() not in rule_names:
                raise ConfigError(f"{where}: unknown rule {name!r} in '{key}'")
        return tuple(value)

    select = rules_list("select") if "select" in data else None
    ignore = rules_list("ignore") if "ignore" in data else ()
    severity: dict[str, Severity] = {}
    for name, level in dict(data.get("severity", {})).items():
        rule = registry.get(name)
        if rule is None:
            raise ConfigError(f"{where}: unknown rule {name!r} in 'severity'")
        if level not in SEVERITIES:
            raise ConfigError(f"{where}: severity of {name!r} must be 'error' or 'warning'")
        severity[rule.name] = level
    language = data.get("summary-language")
    if language is not None and not isinstance(language, str):
        raise ConfigError(f"{where}: 'summary-language' must be a language code like 'en'")
    parsed: dict[type[Any], Any] = {}
    for key, value in data.items():
        if key in TOP_LEVEL_KEYS:
            continue
        section = sections.get(key)
        if section is None:
            raise ConfigError(f"{where}: unknown key {key!r}")
        if not isinstance(value, Mapping):
            raise ConfigError(f"{where}: {key!r} must be a table")
        parsed[section.cls] = build_options(section.cls, value, f"{where}: [{key}]")
    return Config(
        path=path,
        select=select,
        ignore=ignore,
        severity=severity,
        summary_language=language,
        sections=parsed,
    )


def build_options(cls: type[T], values: Mapping[str, Any], where: str) -> T:
    """Instantiate an options dataclass from a TOML table (kebab-case keys)."""
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    hints = get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        name = key.replace("-", "_")
        if name not in fields:
            raise ConfigError(f"{where}: unknown key {key!r}")
        kwargs[name] = _coerce(value, hints[name], f"{where} {key!r}")
    return cls(**kwargs)


def _coerce(value: Any, hint: Any, where: str) -> Any:
    text = str(hint)
    if isinstance(value, list):
        if "tuple" not in text and "list" not in text:
            raise ConfigError(f"{where} must not be a list")
        return tuple(value)
    if isinstance(value, bool):
        if hint is not bool and "bool" not in text:
            raise ConfigError(f"{where} must not be a boolean")
        return value
    if isinstance(value, int) and ("int" in text or "float" in text):
        return value
    if isinstance(value, float) and "float" in text:
        return value
    if isinstance(value, str) and ("str" in text or "Literal" in text):
        return value
    if isinstance(value, Mapping) and ("dict" in text or "Mapping" in text):
        return dict(value)
    raise ConfigError(f"{where} has the wrong type ({type(value).__name__})")
