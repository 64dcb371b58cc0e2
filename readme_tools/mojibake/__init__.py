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
"""

from typing import TYPE_CHECKING, Any

from .detect import find_mojibake
from .lm import CJK_EXTRA_HINT, cjk_model_available, load_han_model
from .types import (
    Alternative,
    CharRepair,
    Decision,
    Edit,
    Kind,
    MojibakeSpan,
    RepairResult,
    ReviewError,
)

if TYPE_CHECKING:
    from .fixer import repair
    from .recover import CONFIDENCE_MARGIN


def __getattr__(name: str) -> Any:
    # Repair (ftfy, the decoders) is imported only when used: a lint of a clean file needs
    # detection alone.
    if name == "repair":
        from .fixer import repair

        return repair
    if name == "CONFIDENCE_MARGIN":
        from .recover import CONFIDENCE_MARGIN

        return CONFIDENCE_MARGIN
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CJK_EXTRA_HINT",
    "CONFIDENCE_MARGIN",
    "Alternative",
    "CharRepair",
    "Decision",
    "Edit",
    "Kind",
    "MojibakeSpan",
    "RepairResult",
    "ReviewError",
    "cjk_model_available",
    "find_mojibake",
    "load_han_model",
    "repair",
]
