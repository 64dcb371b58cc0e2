"""The rule registry.

A rule family is a module under :mod:`readme_tools.rules` (or a third-party module named by an
entry point in the ``readme_tools.rules`` group) that defines a module-level ``RULES`` tuple of
:class:`Rule` objects and, optionally, an ``OPTIONS`` tuple of
:class:`~readme_tools.config.OptionSection` (typed settings under
``[tool.readme-tools.<name>]``, re-exported here for rule modules). Adding a module adds its
rules: nothing central is edited.

Plugins are found through ``importlib.metadata`` only when some distribution on ``sys.path``
declares an entry point in the group (:func:`declares_plugins` reads the ``entry_points.txt``
files, ~0.5 ms): importing ``importlib.metadata`` costs ~15 ms of every run otherwise.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

from readme_tools.config import OptionSection as OptionSection  # re-exported for rules
from readme_tools.diagnostics import Problem, Severity

if TYPE_CHECKING:
    from readme_tools.context import Context
    from readme_tools.model import Document

CheckFn = Callable[["Document", "Context"], Iterable[Problem]]


@dataclass(frozen=True)
class Rule:
    name: str  # stable kebab-case name (public contract)
    code: str  # short code, e.g. "E101"
    severity: Severity
    fixable: bool
    summary: str  # one line
    doc: str  # what it checks, why, a bad and a good example (markdown)
    check: CheckFn
    family: str = ""
    online: bool = False  # needs the network; only runs with --online


@dataclass(frozen=True)
class Registry:
    rules: tuple[Rule, ...]
    options: tuple[OptionSection, ...]

    def get(self, name_or_code: str) -> Rule | None:
        key = name_or_code.strip()
        for rule in self.rules:
            if key in (rule.name, rule.code) or key.upper() == rule.code:
                return rule
        return None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.rules)


#: The entry-point group of third-party rule families.
GROUP = "readme_tools.rules"


def entry_points(group: str) -> Sequence[Any]:
    """The installed entry points of ``group`` (``importlib.metadata``, imported here only)."""
    from importlib.metadata import entry_points as installed

    return tuple(installed(group=group))


def declares_plugins(paths: Sequence[str] | None = None) -> bool:
    """Whether a distribution on ``paths`` (default ``sys.path``) may declare an entry point
    in :data:`GROUP`: an ``entry_points.txt`` of a ``*.dist-info`` or ``*.egg-info`` folder
    that names the group, or an archive on the path (looked into by ``importlib.metadata``).

    These are the files ``importlib.metadata`` reads for path-based distributions, so a
    False here means :func:`entry_points` would find nothing.
    """
    needle = GROUP.encode()
    for entry in sys.path if paths is None else paths:
        folder = entry or "."
        try:
            listing = os.scandir(folder)
        except NotADirectoryError:
            return True  # a zip archive on the path
        except OSError:
            continue
        with listing:
            for item in listing:
                if not item.name.endswith((".dist-info", ".egg-info")):
                    continue
                try:
                    with open(os.path.join(item.path, "entry_points.txt"), "rb") as handle:
                        if needle in handle.read():
                            return True
                except OSError:
                    continue
    return False


def _rule_modules() -> Iterator[ModuleType]:
    from readme_tools import rules as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            yield importlib.import_module(f"{pkg.__name__}.{info.name}")
    if declares_plugins():
        for ep in entry_points(GROUP):
            yield ep.load()


@cache
def load() -> Registry:
    """Collect every rule family. Cached: modules are imported once per process."""
    rules: list[Rule] = []
    options: list[OptionSection] = []
    for module in _rule_modules():
        family = module.__name__.rsplit(".", 1)[-1]
        for rule in getattr(module, "RULES", ()):
            rules.append(rule if rule.family else _with_family(rule, family))
        options.extend(getattr(module, "OPTIONS", ()))
    seen: dict[str, str] = {}
    for rule in rules:
        for key in (rule.name, rule.code):
            if key in seen:
                raise RuntimeError(f"duplicate rule name or code {key!r}")
            seen[key] = rule.name
    return Registry(rules=tuple(sorted(rules, key=lambda r: r.code)), options=tuple(options))


def _with_family(rule: Rule, family: str) -> Rule:
    from dataclasses import replace

    return replace(rule, family=family)
