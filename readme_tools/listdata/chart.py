"""A bar chart of papers per year, as a standalone SVG a README can embed (no browser needed).

The year of a paper is its venue tag's year, else its arXiv id's; papers with neither are
left out (and counted in the caption). The output is deterministic: same list, same bytes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from xml.sax.saxutils import escape

from readme_tools.listdata.records import EntryRecord

__all__ = ["papers_per_year"]

BAR = 36  # bar width
GAP = 12
HEIGHT = 160  # tallest bar
TOP = 40  # room for the title
BOTTOM = 44  # room for the year labels and the caption
SIDE = 16


def papers_per_year(papers: Sequence[EntryRecord], title: str) -> str:
    counts = Counter(p.year for p in papers if p.year is not None)
    undated = sum(1 for p in papers if p.year is None)
    years = list(range(min(counts), max(counts) + 1)) if counts else []
    peak = max(counts.values(), default=1)
    width = max(SIDE * 2 + len(years) * (BAR + GAP) - GAP, 320)
    height = TOP + HEIGHT + BOTTOM
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="-apple-system, Segoe UI, Helvetica, '
        'Arial, sans-serif" font-size="12">',
        f"<title>{escape(title)}: papers per year</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{SIDE}" y="22" font-size="14" font-weight="600" fill="#24292f">'
        f"{escape(title)}: papers per year ({sum(counts.values())})</text>",
    ]
    base = TOP + HEIGHT
    for i, year in enumerate(years):
        count = counts.get(year, 0)
        bar = round(HEIGHT * count / peak) if count else 0
        x = SIDE + i * (BAR + GAP)
        out.append(
            f'<rect x="{x}" y="{base - bar}" width="{BAR}" height="{bar}" fill="#0969da">'
            f"<title>{year}: {count}</title></rect>"
        )
        if count:
            out.append(
                f'<text x="{x + BAR // 2}" y="{base - bar - 4}" text-anchor="middle" '
                f'fill="#24292f">{count}</text>'
            )
        out.append(
            f'<text x="{x + BAR // 2}" y="{base + 16}" text-anchor="middle" '
            f'fill="#57606a">{year}</text>'
        )
    if undated:
        out.append(
            f'<text x="{SIDE}" y="{height - 8}" fill="#57606a">'
            f"{undated} without a year not shown</text>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"
