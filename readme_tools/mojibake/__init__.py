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
text they all share; :mod:`.types` holds the plain data returned and the two errors
(:class:`ReviewError`, :class:`ModelError`).
"""

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
