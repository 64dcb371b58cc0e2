"""A clean synthetic paper list of any size, for the server's incremental tests and bench.

Written for this project (no third-party text). The shape follows the seed list: a title, a
table of contents, one section per (topic, venue, year), entries ``- [x] **Name**: Title.
VENUEyear [Paper](arXiv abs link) [Code](…)`` each with an indented summary (about a third
in Chinese), arXiv ids unique. ``readme-lint`` reports nothing on it. Deterministic for a
given size and seed. ``python tests/lsp/biglist.py N -o FILE`` writes one.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

TOPICS = (
    "Vision Encoders",
    "Video Understanding",
    "Grounding",
    "Efficient Inference",
    "Evaluation",
)
VENUES = ("CVPR", "ICCV", "ECCV", "NeurIPS", "ICLR", "ICML", "AAAI", "ACL", "EMNLP")
YEARS = (2023, 2024, 2025)
_WORDS = (
    "sparse dense visual textual token patch frame clip region caption query answer scene "
    "object layout chart document table speech motion depth memory context window cache "
    "router expert adapter prompt reward policy judge critic planner agent tool search "
    "calibrated robust scalable unified lightweight streaming hierarchical contrastive"
)
VOCAB = _WORDS.split()
CHINESE = (
    "该方法在保持精度的同时显著降低了推理开销。",
    "作者提出了一种轻量的适配模块，可直接接入现有模型。",
    "实验覆盖图像、视频与文档三类任务，结果稳定领先。",
    "论文分析了注意力分布，并据此设计了新的剪枝策略。",
    "数据集由人工校对，包含多种语言与场景。",
)
HEADS = ("Nova", "Pixel", "Sight", "Kite", "Orbit", "Quill", "Echo", "Fern", "Atlas", "Lumen")
TAILS = ("Net", "Former", "Lens", "Scope", "Mind", "Bench", "Flow", "Tok", "Cue", "Sense")


def anchor(heading: str) -> str:
    return heading.lower().replace(" ", "-")


def make_list(entries: int, seed: int = 1) -> str:
    rnd = random.Random(seed)
    sections = [f"{t} {v}{y}" for t in TOPICS for v in VENUES for y in YEARS]
    bodies: dict[str, list[str]] = {s: [] for s in sections}
    for i in range(entries):
        section = sections[i % len(sections)]
        venue = section.rsplit(" ", 1)[1]
        year = int(venue[-4:]) - rnd.randint(0, 1)
        arxiv = f"{year % 100:02d}{rnd.randint(1, 12):02d}.{i + 1:05d}"
        name = f"{rnd.choice(HEADS)}{rnd.choice(TAILS)}-{i}"
        title = " ".join(rnd.choice(VOCAB) for _ in range(rnd.randint(5, 12))).capitalize()
        links = f"[Paper](https://arxiv.org/abs/{arxiv})"
        if rnd.random() < 0.6:
            links += f" [Code](https://github.com/lab{i % 503}/{name.lower()})"
        if rnd.random() < 0.33:
            summary = name + "：" + "".join(rnd.choice(CHINESE) for _ in range(rnd.randint(2, 4)))
        else:
            words = " ".join(rnd.choice(VOCAB) for _ in range(rnd.randint(50, 130)))
            summary = f"{name} is a {words}."
        bodies[section].append(f"- [x] **{name}**: {title}. {venue} {links}\n\n  {summary}\n")
    lines = [
        "# Generated-Paper-List",
        "A paper list generated for tests and benchmarks.",
        "",
        "## Table of Contents",
        "- [Generated-Paper-List](#generated-paper-list)",
        "  - [Table of Contents](#table-of-contents)",
        *(f"  - [{s}](#{anchor(s)})" for s in sections),
        "",
    ]
    for section in sections:
        lines.append(f"## {section}")
        lines.append("\n".join(bodies[section]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("entries", type=int)
    parser.add_argument("-o", "--output", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    text = make_list(args.entries, args.seed)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
