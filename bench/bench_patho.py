#!/usr/bin/env python3
"""Benchmark readme-lint and readme-fmt on pathological input (issue #26).

usage: python bench/bench_patho.py [--sizes 200K,10M] [--timeout 120] [--patterns ...]

Each pattern is repeated to fill one line of the given size: ``*a`` (emphasis openers),
``[`` and ``]`` (brackets), ``[a](`` (link openers that never close), ``**a`` (strong
openers), and ``- > `` (a list item opening a block quote, nested deeper at every repeat).
Each file is linted (``readme-lint FILE``) and formatted (``readme-fmt --fix - < FILE``) in a
fresh process; the table gives the wall time (or ``timeout``), the exit code and, for lint, the
``parse-limit`` findings (the budget that bounded the work). A benchmark, not a test: numbers
depend on the machine.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PATTERNS = {
    "star": "*a",
    "strong": "**a",
    "open": "[",
    "close": "]",
    "link": "[a](",
    "deep": "- > ",
}


def size(text: str) -> int:
    units = {"K": 1024, "M": 1024 * 1024}
    return int(float(text[:-1]) * units[text[-1].upper()]) if text[-1].isalpha() else int(text)


def tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).parent / name)
    return found if Path(found).exists() else sys.exit(f"{name} is not installed")


def timed(cmd: list[str], stdin: Path | None, timeout: float) -> tuple[str, int, str]:
    start = time.perf_counter()
    try:
        with open(stdin, "rb") if stdin else open("/dev/null", "rb") as handle:
            result = subprocess.run(
                cmd, stdin=handle, capture_output=True, text=True, timeout=timeout, check=False
            )
    except subprocess.TimeoutExpired:
        return "timeout", -1, ""
    return f"{time.perf_counter() - start:.2f}", result.returncode, result.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="200K,10M")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--patterns", default=",".join(PATTERNS))
    args = ap.parse_args()
    lint, fmt = tool("readme-lint"), tool("readme-fmt")
    header = ("pattern", "size", "lint s", "exit", "limits", "fmt s", "exit")
    print("{:>8} {:>6} {:>8} {:>4} {:>6} {:>8} {:>4}".format(*header))
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.patterns.split(","):
            unit = PATTERNS[name]
            for label in args.sizes.split(","):
                path = Path(tmp) / f"{name}-{label}.md"
                path.write_text(unit * (size(label) // len(unit)) + "x\n", encoding="utf-8")
                seconds, code, out = timed([lint, str(path)], None, args.timeout)
                limits = sum(" parse-limit " in line for line in out.splitlines())
                fmt_seconds, fmt_code, _ = timed([fmt, "--fix", "-"], path, args.timeout)
                print(
                    f"{name:>8} {label:>6} {seconds:>8} {code:>4} {limits:>6} "
                    f"{fmt_seconds:>8} {fmt_code:>4}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
