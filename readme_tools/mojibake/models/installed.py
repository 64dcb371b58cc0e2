"""Whether the Chinese word model can be built: cheap to import (detection asks it for every
damaged list; :mod:`.words`, which builds the model, is imported only to build it)."""

from __future__ import annotations

import importlib.util

__all__ = ["cjk_model_available"]


def cjk_model_available() -> bool:
    """True if the core of the optional ``cjk`` extra (wordfreq and jieba) is importable.

    snownlp (the ``cjk-full`` extra) only adds :class:`~.words.LexContext`.
    This only looks the packages up; it imports nothing.
    """
    return all(importlib.util.find_spec(name) is not None for name in ("wordfreq", "jieba"))
