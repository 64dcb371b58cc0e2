"""Detection and repair of mojibake in markdown paper lists.

Mojibake here is UTF-8 text that was decoded with a Windows code page
(cp1252/cp1254) or latin-1 and saved again -- possibly with the bytes the code
page does not define, and the soft hyphen, silently dropped.

Public API (pure functions over text, "\\n" line endings):

* :func:`find_mojibake` -- one :class:`MojibakeSpan` per damaged line, classified
  as ``"lossless"``, ``"recoverable"`` or ``"unrecoverable"``.  Cheap; never
  loads a language model.
* :func:`repair` -- a :class:`RepairResult` with the repaired text, the
  :class:`Edit` list (original offsets) and a :class:`CharRepair` per character
  whose bytes were lost (chosen character, scored alternatives, margin,
  confident/applied).
* :func:`cjk_model_available` -- whether the optional ``cjk`` extra (wordfreq
  and jieba) is installed; Chinese lost-byte recovery needs it.

The modules follow the pipeline: :mod:`.detect` → :mod:`.lossless` → :mod:`.recover`
(:mod:`.han`, :mod:`.alphabetic`, over the word lattice of :mod:`.lattice`; a decision is a
:class:`~.choice.Choice`) → :mod:`.rerank` → :mod:`.repair`, which runs them. The language
models they consult are in :mod:`.models`; :mod:`.codec` is the byte-level view of damaged
text they all share, :mod:`.badness` the ftfy heuristic detection consults; :mod:`.types`
holds the plain data returned and the two errors (:class:`ReviewError`, :class:`ModelError`).

The names above are imported on first use: a lint of a clean file imports :mod:`.detect`
alone, never the repair stages or the models.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType as _ModuleType  # "types" is a submodule's name here
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .choice import CONFIDENCE_MARGIN
    from .detect import find_mojibake
    from .models.words import CJK_EXTRA_HINT, cjk_model_available, load_han_model
    from .repair import repair
    from .types import (
        Alternative,
        CharRepair,
        Decision,
        Edit,
        Kind,
        ModelError,
        MojibakeSpan,
        RepairResult,
        ReviewError,
    )

__all__ = [
    "CJK_EXTRA_HINT",
    "CONFIDENCE_MARGIN",
    "Alternative",
    "CharRepair",
    "Decision",
    "Edit",
    "Kind",
    "ModelError",
    "MojibakeSpan",
    "RepairResult",
    "ReviewError",
    "cjk_model_available",
    "find_mojibake",
    "load_han_model",
    "repair",
]

_HOMES = {
    "CONFIDENCE_MARGIN": ".choice",
    "find_mojibake": ".detect",
    "CJK_EXTRA_HINT": ".models.words",
    "cjk_model_available": ".models.words",
    "load_han_model": ".models.words",
    "repair": ".repair",
    **dict.fromkeys(
        (
            "Alternative",
            "CharRepair",
            "Decision",
            "Edit",
            "Kind",
            "ModelError",
            "MojibakeSpan",
            "RepairResult",
            "ReviewError",
        ),
        ".types",
    ),
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


class _Package(_ModuleType):
    """This package's module type: ``repair`` stays the function. (Importing the submodule of
    the same name sets the package attribute to the module; the eager import this package
    used to make rebound it to the function.)"""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "repair" and isinstance(value, _ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
