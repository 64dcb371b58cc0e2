#!/usr/bin/env python3
"""Benchmark readme-fmt against mdformat on a generated paper list, side by side.

usage: python bench/bench_fmt.py [--entries 20000] [--runs 3] [--generator PATH]

Generates a list with bench/gen_biglist.py (or --generator) and formats a fresh copy
of it in a child process with each of:

  readme-fmt --fix FILE                      (clean list: blank-line normalisation only)
  readme-fmt --fix FILE  on a "noisy" copy   (whitespace-only lines, NBSP after checkboxes,
                                              entry lines spaced out: every fix path + the full
                                              re-parse verification)
  mdformat --extensions gfm FILE
  mdformat --extensions gfm --extensions paperlist FILE

and reports the best wall time, CPU time and peak RSS, and the speed-up of readme-fmt over
``mdformat --extensions gfm`` (the requirement is at least 3x). A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GENERATOR = ROOT / "bench" / "gen_biglist.py"  # bundled: no ../shared needed


def run(cmd: list[str]) -> tuple[float, float, int, int]:
    """(wall s, cpu s, peak RSS MiB, exit code) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.stderr.write(err.decode("utf-8", "replace"))
    return wall, usage.ru_utime + usage.ru_stime, int(usage.ru_maxrss / 1024), code


def noisy(text: str, seed: int = 1) -> str:
    """The list with the seed's kinds of noise on one entry in ten."""
    rng = random.Random(seed)
    out = []
    for line in text.split("\n"):
        if line.startswith("- [x] ") and rng.random() < 0.1:
            line = "- [x]\u00a0" + line[6:].replace(": ", ":  ", 1) + "  "
        elif line == "" and rng.random() < 0.1:
            line = "  "
        out.append(line)
    return "\n".join(out)


def tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).parent / name)
    return found if Path(found).exists() else sys.exit(f"{name} is not installed")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--generator", type=Path, default=DEFAULT_GENERATOR)
    args = ap.parse_args()
    if not args.generator.is_file():
        sys.exit(f"generator not found: {args.generator} (pass --generator)")
    fmt, mdformat = tool("readme-fmt"), tool("mdformat")
    with tempfile.TemporaryDirectory() as tmp:
        clean = Path(tmp) / "clean.md"
        subprocess.run(
            [sys.executable, str(args.generator), str(args.entries), "-o", str(clean)], check=True
        )
        dirty = Path(tmp) / "noisy.md"
        dirty.write_text(noisy(clean.read_text(encoding="utf-8")), encoding="utf-8")
        work = Path(tmp) / "work.md"
        cases = [
            ("readme-fmt --fix", clean, [fmt, "--fix", "-q"]),
            ("readme-fmt --fix (noisy)", dirty, [fmt, "--fix", "-q"]),
            ("mdformat gfm", clean, [mdformat, "--extensions", "gfm"]),
            (
                "mdformat gfm+paperlist",
                clean,
                [mdformat, "--extensions", "gfm", "--extensions", "paperlist"],
            ),
        ]
        print(f"{args.entries} entries, {clean.stat().st_size / 1e6:.1f} MB")
        print(f"{'command':>26} {'wall s':>7} {'cpu s':>7} {'RSS MiB':>8} exit")
        best: dict[str, float] = {}
        for label, source, cmd in cases:
            results = []
            for _ in range(args.runs):
                shutil.copy(source, work)
                results.append(run([*cmd, str(work)]))
            wall, cpu, rss, code = min(results, key=lambda r: r[0])
            best[label] = wall
            print(f"{label:>26} {wall:7.2f} {cpu:7.2f} {rss:8d} {code:4d}")
        base = best["mdformat gfm"]
        for label in ("readme-fmt --fix", "readme-fmt --fix (noisy)"):
            print(f"speed-up of {label} over mdformat gfm: {base / best[label]:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
