"""Where the tests' data lives: one definition for every test module."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
#: The first user's list (MLLM-Paper-Reading), with the mojibake it had: see fixtures/README.md.
SEED = FIXTURES / "mllm-paper-reading.md"
#: ../shared beside the checkout: real lists and tools used when present, never required.
SHARED = TESTS.parent.parent / "shared"
