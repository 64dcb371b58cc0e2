"""Which second-opinion model to use, and loading it.

The environment variable :data:`ENV_VAR` names a model file (a ``.gguf`` file is a neural
model, anything else a KenLM word model), or says ``off``. Without it: the packaged neural
model when the ``cjk-neural`` extra is installed (:mod:`.packaged`), else fcitx5's word
trigram at one of :data:`STANDARD_PATHS` (:mod:`.trigram`).
"""

from __future__ import annotations

import glob
import importlib.util
import os
from pathlib import Path
from typing import Final

from ..types import ModelError
from .context import ContextModel

__all__ = ["ENV_VAR", "STANDARD_PATHS", "find_word_lm", "load_word_lm"]

#: Environment variable naming the model file, or ``off`` to never use one.
ENV_VAR: Final = "README_TOOLS_ZH_LM"
#: Where fcitx5's libime installs its Simplified Chinese model (Debian multiarch, Arch,
#: Fedora, other prefixes).
STANDARD_PATHS: Final = (
    "/usr/lib/*/libime/zh_CN.lm",
    "/usr/lib/libime/zh_CN.lm",
    "/usr/lib64/libime/zh_CN.lm",
    "/usr/local/lib/*/libime/zh_CN.lm",
    "/usr/local/lib/libime/zh_CN.lm",
)


def find_word_lm() -> Path | None:
    """The model file to use: :data:`ENV_VAR`, else the neural model of the ``cjk-neural``
    extra (:mod:`.neural`) when it is installed, else the first of :data:`STANDARD_PATHS`.

    Returns None when the variable says ``off`` or nothing is installed; raises
    :class:`~readme_tools.mojibake.types.ModelError` when the variable names a file that
    does not exist or the packaged neural model cannot be assembled.
    """
    configured = os.environ.get(ENV_VAR, "").strip()
    if configured.lower() == "off":
        return None
    if configured:
        path = Path(configured).expanduser()
        if not path.is_file():
            raise ModelError(f"{ENV_VAR}={configured}: no such file")
        return path
    if importlib.util.find_spec("llama_cpp") is not None:
        from .packaged import packaged_model

        packaged = packaged_model()
        if packaged is not None:
            return packaged
    for pattern in STANDARD_PATHS:
        for found in sorted(glob.glob(pattern)):
            if os.path.isfile(found):
                return Path(found)
    return None


def load_word_lm(path: Path | None = None) -> ContextModel | None:
    """Load the model at ``path`` (default: :func:`find_word_lm`), or None if there is none.

    A ``.gguf`` file is a causal language model (:func:`.neural.load_causal_lm`),
    anything else a KenLM model (:func:`.trigram.load_trigram`).  Without the ``kenlm``
    module a discovered KenLM model is silently skipped, but an explicitly configured one
    (``path`` given or :data:`ENV_VAR` set) raises
    :class:`~readme_tools.mojibake.types.ModelError`, as does a file that cannot be
    read.  A loaded model is reused.
    """
    explicit = path is not None or bool(os.environ.get(ENV_VAR, "").strip())
    if path is None:
        path = find_word_lm()
        if path is None:
            return None
    if path.suffix.lower() == ".gguf":
        from .neural import load_causal_lm

        return load_causal_lm(path)
    from .trigram import load_trigram

    return load_trigram(path, explicit)
