#!/usr/bin/env python3
"""Measure lost-byte recovery on synthetic ground truth.

Corrupts clean text exactly like the issue's accident -- UTF-8 bytes decoded
as cp1254 with the undefined bytes (0x81 0x8D 0x8E 0x8F 0x90 0x9D 0x9E) and
the soft hyphen 0xAD dropped, then saved again as UTF-8 -- runs
:func:`readme_tools.mojibake.repair` on the result and compares every
character with lost bytes against the original.

Reported, with and without document context (the rest of the *damaged*
document as evidence; the ground truth is only used for scoring):

* accuracy: exactly recovered characters / damaged characters;
* confident subset (applied by default): its share and its accuracy;
* the same for the first and second half of the file separately.  The
  hyper-parameters were tuned looking at the first half (dev) only; the second
  half (test) is held out;
* with each second-opinion model (``--word-lm``, default the installed one)
  re-ranking the uncertain repairs: a word trigram model (KenLM, see
  :mod:`readme_tools.mojibake.models.trigram`) or a GGUF causal model (see
  :mod:`readme_tools.mojibake.models.neural`), and the seed's repair time with each
  (a causal model's stored scores not used) plus the model's load time;
* the model's ceiling: each damaged Han character decided alone, with every
  other character of its line given its true value (no document context).
  Joint decoding cannot beat this; only a better language model can.

Also reports ftfy's own test cases, the zero-finding checks, the seed's
recovery time and detection time on a big generated list when available.

Usage::

    python bench/mojibake_eval.py [--corpus tests/fixtures/mojibake/zh-summaries.md]
        [--seed tests/fixtures/mllm-paper-reading.md] [--big LIST.md]
        [--errors N] [--word-lm MODEL ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from readme_tools.mojibake import find_mojibake, load_han_model, repair  # noqa: E402
from readme_tools.mojibake.codec import corrupt, corrupt_char  # noqa: E402
from readme_tools.mojibake.detect import line_report  # noqa: E402
from readme_tools.mojibake.models.context import ContextModel  # noqa: E402
from readme_tools.mojibake.models.find import load_word_lm  # noqa: E402
from readme_tools.mojibake.models.neural import CausalLM  # noqa: E402
from readme_tools.mojibake.models.words import is_han  # noqa: E402
from readme_tools.mojibake.recover import recover  # noqa: E402
from readme_tools.mojibake.types import CharRepair  # noqa: E402


@dataclass
class Score:
    total: int = 0
    correct: int = 0
    confident: int = 0
    confident_correct: int = 0

    def add(self, ok: bool, confident: bool) -> None:
        self.total += 1
        self.correct += ok
        if confident:
            self.confident += 1
            self.confident_correct += ok

    def row(self, label: str) -> str:
        acc = self.correct / self.total if self.total else float("nan")
        share = self.confident / self.total if self.total else float("nan")
        cacc = self.confident_correct / self.confident if self.confident else float("nan")
        return (
            f"{label:<34} {self.total:>6} {acc:>9.2%} {share:>10.2%} {cacc:>11.2%}"
            f"   ({self.total - self.correct} wrong, "
            f"{self.confident - self.confident_correct} wrong confident)"
        )


def evaluate(
    text: str, *, context: bool, show_errors: int, word_lm: ContextModel | None = None
) -> dict[str, Score]:
    bad, origin = corrupt(text)
    lines = text.split("\n")
    half = len(lines) // 2
    result = repair(bad, apply_uncertain=True, document_context=context, word_lm=word_lm)
    scores = {"all": Score(), "dev (1st half)": Score(), "test (2nd half)": Score()}
    scores.update({"han": Score(), "other": Score()})
    errors: list[tuple[CharRepair, str]] = []
    for rep in result.repairs:
        truth = origin[rep.offset]
        ok = rep.chosen == truth
        split = "dev (1st half)" if rep.line <= half else "test (2nd half)"
        kind = "han" if "\u3400" <= truth <= "\u9fff" else "other"
        for key in ("all", split, kind):
            scores[key].add(ok, rep.confident)
        if not ok:
            errors.append((rep, truth))
    damaged = sum(1 for c in origin.values() if len(corrupt_char(c)) < len(c.encode("utf-8")))
    if damaged != scores["all"].total:
        print(f"  note: {damaged} damaged characters, {scores['all'].total} repairs listed")
    for rep, truth in errors[:show_errors]:
        print(
            f"  line {rep.line}: {rep.original!r} -> {rep.chosen} (truth {truth}), "
            f"margin {rep.margin:.2f}, confident={rep.confident}"
        )
    return scores


def ceiling(text: str) -> None:
    """Accuracy when each damaged Han character is the only damaged one in its line."""
    model = load_han_model()
    total = correct = alone = 0
    for line in text.split("\n"):
        for i, char in enumerate(line):
            bad = corrupt_char(char)
            if not is_han(char) or len(bad.encode("cp1254", "ignore")) == len(char.encode()):
                continue
            report = line_report(line[:i] + bad + line[i + 1 :])
            if report is None or report.kind != "recoverable":
                alone += 1  # one lost byte alone is too weak to be detected
                continue
            choices = recover([report], han_model=model, document_context=False)
            total += 1
            correct += bool(choices) and choices[0].chosen == char
    print(
        f"ceiling (true context, no doc ctx)  {total:>6} {correct / total:>9.2%}"
        f"   ({total - correct} wrong; {alone} not detected when alone, left out)"
    )


def header() -> str:
    return f"{'':<34} {'damaged':>6} {'accuracy':>9} {'confident':>10} {'conf. acc.':>11}"


def ftfy_cases(folder: Path) -> None:
    print("\nftfy test cases (repair() result vs expected 'fixed-encoding'/'fixed'):")
    for name in ("negative", "synthetic", "in-the-wild", "language-names", "known-failures"):
        path = folder / f"{name}.json"
        if not path.exists():
            continue
        cases = json.loads(path.read_text(encoding="utf-8"))
        passed = flagged = 0
        for case in cases:
            expected = case.get("fixed-encoding", case["fixed"])
            got = repair(case["original"]).text
            passed += got == expected
            flagged += bool(find_mojibake(case["original"]))
        print(f"  {name:<15} {passed:>3}/{len(cases)} pass, {flagged} flagged")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    # Defaults are the copies bundled under tests/fixtures (with their provenance), so the
    # bench runs in a fresh clone; pass ../shared paths to measure on the originals.
    tests = ROOT / "tests" / "fixtures"
    fixtures = tests / "mojibake"
    parser.add_argument("--corpus", type=Path, default=fixtures / "zh-summaries.md")
    parser.add_argument("--seed", type=Path, default=tests / "mllm-paper-reading.md")
    parser.add_argument(
        "--big",
        type=Path,
        default=None,
        help="a big list to time detection on (default: "
        "a 20k-entry list from bench/gen_biglist.py)",
    )
    parser.add_argument("--ftfy", type=Path, default=tests / "ftfy")
    parser.add_argument("--corpora", type=Path, default=tests / "corpora")
    parser.add_argument(
        "--extra",
        type=Path,
        nargs="*",
        default=[fixtures / "genuine-ru.md", fixtures / "genuine-el.md"],
    )
    parser.add_argument("--errors", type=int, default=0, help="print this many errors")
    parser.add_argument(
        "--word-lm",
        type=Path,
        nargs="*",
        default=None,
        help="second-opinion models to measure too: KenLM word models or GGUF causal models "
        "(default: the installed one, if any)",
    )
    args = parser.parse_args()
    load_seconds: dict[int, float] = {}

    def timed_load(path: Path | None = None) -> ContextModel | None:
        start = time.perf_counter()
        model = load_word_lm(path)
        if model is not None:
            load_seconds[id(model)] = time.perf_counter() - start
        return model

    if args.word_lm is None:
        installed = timed_load()
        models = [installed] if installed else []
    else:
        models = [m for m in map(timed_load, args.word_lm) if m is not None]

    if args.seed.exists():
        seed = args.seed.read_text(encoding="utf-8")
        start = time.perf_counter()
        load_han_model()  # each row below: recovery + its model's load, this one apart
        print(f"seed: built-in Chinese model load {time.perf_counter() - start:.2f} s")
        for word_lm in [None, *models]:
            loading = load_seconds.get(id(word_lm), 0.0)
            if isinstance(word_lm, CausalLM):  # without the scores an earlier run stored
                word_lm = CausalLM(word_lm.path, word_lm.runner)
            start = time.perf_counter()
            result = repair(seed, word_lm=word_lm)
            elapsed = time.perf_counter() - start
            uncertain = sum(1 for r in result.repairs if not r.confident)
            print(
                f"seed: {len(find_mojibake(seed))} findings, {len(result.repairs)} lost-byte "
                f"characters, {len(result.repairs) - uncertain} confident, {uncertain} "
                f"uncertain; repair {elapsed:.2f} s"
                + (f" + model load {loading:.2f} s ({word_lm.path.name})" if word_lm else "")
            )
    load_han_model()

    if args.corpus.exists():
        text = args.corpus.read_text(encoding="utf-8")
        print(f"\nground truth: {args.corpus.name} (UTF-8 -> cp1254, lost bytes dropped)")
        print(header())
        for context in (True, False):
            scores = evaluate(text, context=context, show_errors=args.errors if context else 0)
            for key, score in scores.items():
                print(score.row(f"{key} [{'ctx' if context else 'no ctx'}]"))
        for word_lm in models:
            scores = evaluate(text, context=True, show_errors=args.errors, word_lm=word_lm)
            for key, score in scores.items():
                print(score.row(f"{key} [ctx + {word_lm.path.name}]"))
        ceiling(text)
        print()
    for path in args.extra:
        if path.exists():
            text = path.read_text(encoding="utf-8")
            scores = evaluate(text, context=True, show_errors=args.errors)
            print(scores["all"].row(f"{path.name} [ctx]"))

    if args.ftfy.exists():
        ftfy_cases(args.ftfy)

    corpora = sorted(args.corpora.glob("*.md"))
    if corpora:
        print("\nzero-finding checks:")
        for path in corpora:
            print(
                f"  {path.name:<48} {len(find_mojibake(path.read_text(encoding='utf-8')))} findings"
            )

    if args.big is None:
        from gen_biglist import generate

        big, where = generate(20000), "a generated 20k-entry list"
    else:
        big, where = args.big.read_text(encoding="utf-8"), str(args.big)
    if big:
        best = min(_timed(find_mojibake, big) for _ in range(5))
        print(f"\ndetection on {where} ({len(big.encode()) / 1e6:.1f} MB): {best * 1000:.1f} ms")


def _timed(func: object, text: str) -> float:
    start = time.perf_counter()
    func(text)  # type: ignore[operator]
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
