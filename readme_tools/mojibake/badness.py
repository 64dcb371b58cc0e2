"""ftfy's badness heuristic (``ftfy.badness.is_bad``), which detection consults for suspicious
lines, loaded without ftfy's package when ftfy is not loaded yet.

Importing ftfy builds its codecs, character tables and terminal-width tables first (~25 ms
of a lint); ``ftfy/badness.py`` uses none of them (it imports ``re`` and ``warnings`` only),
so that one file is loaded on its own. Any surprise (another layout, another import) falls
back to importing ftfy. A test compares the two on the seed's lines.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Callable
from functools import cache
from types import ModuleType
from typing import cast

__all__ = ["is_bad"]


def is_bad(text: str) -> bool:
    """ftfy's badness heuristic, loaded on first use (only suspicious lines need it)."""
    return _ftfy_is_bad()(text)


@cache
def _ftfy_is_bad() -> Callable[[str], bool]:
    """``ftfy.badness.is_bad``: ftfy's own once ftfy is loaded, else its file loaded alone."""
    module = sys.modules.get("ftfy.badness") or _badness_alone()
    if module is None:
        from ftfy.badness import is_bad as imported

        return imported
    return cast("Callable[[str], bool]", module.is_bad)


def _badness_alone() -> ModuleType | None:
    try:
        spec = importlib.util.find_spec("ftfy")  # finds the package without importing it
        if spec is None or spec.origin is None:
            return None
        path = os.path.join(os.path.dirname(spec.origin), "badness.py")
        loader = importlib.machinery.SourceFileLoader("readme_tools._ftfy_badness", path)
        alone = importlib.util.spec_from_loader(loader.name, loader)
        if alone is None:
            return None
        module = importlib.util.module_from_spec(alone)
        loader.exec_module(module)
    except Exception:  # not the layout expected: import ftfy as usual
        return None
    return module if callable(getattr(module, "is_bad", None)) else None
