"""Configuration: ``[tool.readme-tools]`` in ``pyproject.toml`` or a ``.readme-tools.toml``.

The file is found by walking up from the linted file's directory; ``--config PATH`` overrides.
Top-level keys are :class:`CoreOptions`; every other key must be a table declared by a rule
family (:class:`OptionSection` in a module's ``OPTIONS``) or one of the core tables here. Every
value is checked against its field's type (:mod:`readme_tools.config_types`): an unknown key,
a wrong type or a value outside a field's ``Literal`` choices is a :class:`ConfigError` that
names the file, the key and what is allowed.

Trust: a repository's config file is untrusted input (a pull request can change it). A field
declared with :func:`privileged` (a setting that widens what the tool may reach or where
secrets go) is honoured only from the user's own config (:func:`user_config_path`), or from a
repository file when the user passes ``--trust-repo-config``; otherwise it is dropped and the
config carries one warning line naming it (:attr:`Config.warnings`). The command line and the
environment are the user's too: they are read by the callers, not here.

This module imports neither the formatter nor the registry at run time.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, get_type_hints

from readme_tools.config_types import TypeProblem, coerce, found
from readme_tools.diagnostics import Severity

if TYPE_CHECKING:
    from readme_tools.registry import Registry

T = TypeVar("T")

#: ``dataclasses.field`` metadata key of a privileged setting (value: :class:`Privilege`).
PRIVILEGED = "readme_tools.privileged"
TRUST_FLAG = "--trust-repo-config"


class ConfigError(Exception):
    """A configuration problem; reported as one line with exit code 2."""


@dataclass(frozen=True)
class OptionSection:
    """A typed config table: ``name`` is the TOML key, ``cls`` a dataclass with defaults.

    TOML keys are kebab-case; they map to the dataclass's snake_case fields.
    """

    name: str
    cls: type[Any]


@dataclass(frozen=True)
class Privilege:
    """Why a setting is privileged, and which values a repository file may still set."""

    why: str
    #: A raw TOML value a repository file may set all the same (e.g. a path inside the cache
    #: directory); None: no value.
    allows: Callable[[Any], bool] | None = None


def privileged(default: Any, *, why: str, allows: Callable[[Any], bool] | None = None) -> Any:
    """A dataclass field a repository's config file may not set (see the module doc).

    ``why`` says what the setting widens; ``allows(value)`` admits harmless values from a
    repository file. Use it for every setting naming a host that receives a token or could be
    an internal address, a switch that widens which addresses are fetched, or a path written
    outside the cache directory.
    """
    return field(default=default, metadata={PRIVILEGED: Privilege(why, allows)})


def privilege(f: dataclasses.Field[Any]) -> Privilege | None:
    value = f.metadata.get(PRIVILEGED)
    return value if isinstance(value, Privilege) else None


@dataclass(frozen=True)
class CoreOptions:
    """The top-level keys of ``[tool.readme-tools]``."""

    select: tuple[str, ...] | None = None  # rule names or codes; None: every rule
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)  # rule -> error | warning
    summary_language: str | None = None  # e.g. "en"; None: any language


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

    checkbox: Literal["auto", "required", "forbidden"] = "auto"
    bold_name: Literal["auto", "required", "optional"] = "auto"
    separator: str = ":"  # between the bold name and the title


@dataclass(frozen=True)
class FormatOptions:
    """``[tool.readme-tools.format]``: what ``readme-fmt`` does besides the rules' fixes."""

    # Leave the markdown as written apart from the fixes ("none"), or normalise the whole
    # document's layout with mdformat ("mdformat": bullets, blank lines, indentation).
    markdown: Literal["mdformat", "none"] = "none"


CORE_SECTIONS: tuple[OptionSection, ...] = (
    OptionSection("toc", TocOptions),
    OptionSection("entry", EntryOptions),
    OptionSection("format", FormatOptions),
)
TOP_LEVEL_KEYS = tuple(f.name.replace("_", "-") for f in dataclasses.fields(CoreOptions))


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    select: tuple[str, ...] | None = None  # None: every rule
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    summary_language: str | None = None
    sections: Mapping[type[Any], Any] = field(default_factory=dict)
    #: One line per config file that set privileged keys which were ignored.
    warnings: tuple[str, ...] = ()

    def options(self, cls: type[T]) -> T:
        value = self.sections.get(cls)
        return value if value is not None else cls()


# ------------------------------------------------------------------------------ finding files


def user_config_path(env: Mapping[str, str] | None = None) -> Path:
    """The user's own config: ``$XDG_CONFIG_HOME/readme-tools/config.toml``, else
    ``~/.config/readme-tools/config.toml``. Trusted (privileged keys are honoured)."""
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return root / "readme-tools" / "config.toml"


def _read_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):  # imported here: a run without a config file needs neither
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
        return data
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: config is not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def find_config(start: Path) -> Path | None:
    """The nearest ``.readme-tools.toml`` or ``pyproject.toml`` with our table.

    A ``pyproject.toml`` on the way that is not valid TOML is an error (it might hold our
    table): it is never skipped in favour of a parent directory's config.
    """
    directory = start if start.is_dir() else start.parent
    for candidate in (directory, *directory.parents):
        dotfile = candidate / ".readme-tools.toml"
        if dotfile.is_file():
            return dotfile
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and "readme-tools" in _read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def _table(path: Path) -> tuple[dict[str, Any], str]:
    """The readme-tools table of a config file and how messages name it."""
    data = _read_toml(path)
    if path.name != "pyproject.toml":
        return data, str(path)
    table = data.get("tool", {}).get("readme-tools", {})
    where = f"[tool.readme-tools] in {path}"
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table")
    return table, where


# ----------------------------------------------------------------------------------- loading


def load_config(
    path: Path | None,
    registry: Registry,
    *,
    trust_repo: bool = False,
    user_config: Path | None = None,
) -> Config:
    """The config for one file: the user's config (``user_config``, trusted), overlaid by the
    repository's (``path``), whose privileged keys are dropped unless ``trust_repo``.

    Each file is validated on its own, so an error names the file it is in.
    """
    user: dict[str, Any] = {}
    if user_config is not None:
        user, where = _table(user_config)
        parse_config(user, registry, user_config, where)
    if path is None:
        return parse_config(user, registry, user_config) if user else Config()
    repo, where = _table(path)
    parse_config(repo, registry, path, where)
    warnings: tuple[str, ...] = ()
    if not trust_repo:
        repo, dropped = strip_privileged(repo, _sections(registry))
        if dropped:
            warnings = (_trust_warning(where, dropped),)
    config = parse_config(_merge(user, repo), registry, path, where)
    return dataclasses.replace(config, warnings=warnings)


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``over`` on top of ``base``; tables merge key by key, other values are replaced."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def strip_privileged(
    data: Mapping[str, Any], sections: Mapping[str, OptionSection]
) -> tuple[dict[str, Any], list[str]]:
    """``data`` without the privileged keys an untrusted file may not set, and their names.

    The one place where the trust rule is applied.
    """
    out = dict(data)
    dropped: list[str] = []
    for name, table in data.items():
        section = sections.get(name)
        if section is None or not isinstance(table, Mapping):
            continue
        fields = {f.name.replace("_", "-"): f for f in dataclasses.fields(section.cls)}
        kept = {}
        for key, value in table.items():
            rule = privilege(fields[key]) if key in fields else None
            if rule is not None and not (rule.allows is not None and rule.allows(value)):
                dropped.append(f"[{name}] {key} ({rule.why})")
                continue
            kept[key] = value
        out[name] = kept
    return out, dropped


def _trust_warning(where: str, dropped: list[str]) -> str:
    keys = ", ".join(dropped)
    return (
        f"{where}: ignored {keys}: a repository's config may not widen what readme-tools "
        f"reaches or where tokens go; set {'it' if len(dropped) == 1 else 'them'} on the "
        f"command line, in the environment or in {user_config_path()}, or pass {TRUST_FLAG}"
    )


def _sections(registry: Registry) -> dict[str, OptionSection]:
    return {s.name: s for s in (*CORE_SECTIONS, *registry.options)}


def parse_config(
    data: Mapping[str, Any], registry: Registry, path: Path | None = None, where: str = "config"
) -> Config:
    """A :class:`Config` from a readme-tools table (trusted: the caller decides)."""
    sections = _sections(registry)
    top = {k: v for k, v in data.items() if k not in sections}
    core = build_options(CoreOptions, top, where, known=(*TOP_LEVEL_KEYS, *sections))
    names = _rule_names(registry)
    for key, values in (("select", core.select or ()), ("ignore", core.ignore)):
        for name in values:
            _check_rule(name, names, f"{where}: unknown rule {name!r} in '{key}'")
    severity: dict[str, Severity] = {}
    for name, level in core.severity.items():
        _check_rule(name, names, f"{where}: unknown rule {name!r} in 'severity'")
        rule = registry.get(name)
        assert rule is not None
        severity[rule.name] = level
    parsed: dict[type[Any], Any] = {}
    for key, value in data.items():
        section = sections.get(key)
        if section is None:
            continue
        if not isinstance(value, Mapping):
            raise ConfigError(f"{where}: '{key}' must be a table ([{key}]), got {found(value)}")
        parsed[section.cls] = build_options(section.cls, value, f"{where}: [{key}]")
    return Config(
        path=path,
        select=core.select,
        ignore=core.ignore,
        severity=severity,
        summary_language=core.summary_language,
        sections=parsed,
    )


def _rule_names(registry: Registry) -> dict[str, str]:
    """Every accepted spelling (name, code, upper-case code) -> the rule's name."""
    out = {}
    for rule in registry.rules:
        out[rule.name] = out[rule.code] = out[rule.code.upper()] = rule.name
    return out


def _check_rule(name: str, names: Mapping[str, str], message: str) -> None:
    if name in names or name.upper() in names:
        return
    raise ConfigError(message + _suggestion(name, names))


def _suggestion(key: str, known: Iterable[str]) -> str:
    from difflib import get_close_matches

    close = get_close_matches(key, list(known), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


_HINTS: dict[type[Any], dict[str, Any]] = {}


def field_types(cls: type[Any]) -> dict[str, Any]:
    """The resolved type hints of an options dataclass (cached)."""
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = get_type_hints(cls)
    return hints


def build_options(
    cls: type[T], values: Mapping[str, Any], where: str, known: Iterable[str] = ()
) -> T:
    """Instantiate an options dataclass from a TOML table (kebab-case keys), checking every
    value against its field's type. ``known``: other keys the table may hold (ignored)."""
    fields = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    hints = field_types(cls)
    others = set(known)
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        name = key.replace("-", "_")
        if name not in fields:
            if key in others:
                continue
            spellings = [f.replace("_", "-") for f in fields] + sorted(others)
            raise ConfigError(f"{where}: unknown key {key!r}{_suggestion(key, spellings)}")
        try:
            kwargs[name] = coerce(value, hints[name])
        except TypeProblem as exc:
            raise ConfigError(f"{where}: {key!r} {exc}") from None
    return cls(**kwargs)
