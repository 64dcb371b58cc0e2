"""Real paper lists: formatting is idempotent and passes the safety check."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import FIXTURES, SHARED
from .helpers import fmt

# Three small lists of tests/corpus (the whole development corpus is bench/bench_churn.py's job).
SHIPPED = [
    FIXTURES.parent / "corpus" / f"{name}.md"
    for name in (
        "October2001__Awesome-KV-Cache-Compression",
        "ZLKong__Awesome-Collection-Token-Reduction",
        "atfortes__Awesome-LLM-Reasoning",
    )
]
SHARED_CORPORA = sorted((SHARED / "corpora").glob("*.md")) if (SHARED / "corpora").is_dir() else []


def check_corpus(path: Path) -> None:
    raw = path.read_bytes()
    result = fmt(raw)  # raises FormatError when a link, word or entry would be lost
    again = fmt(result.data)
    assert not again.changed, f"{path.name}: not idempotent"


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_corpora(path: Path) -> None:
    check_corpus(path)


def test_shipped_corpora_are_there() -> None:
    assert all(p.is_file() for p in SHIPPED)


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_CORPORA, reason="../shared/corpora is not available")
@pytest.mark.parametrize("path", SHARED_CORPORA, ids=[p.stem for p in SHARED_CORPORA])
def test_shared_corpora(path: Path) -> None:
    check_corpus(path)
