"""The list as data on the committed corpus: section-order cost and findings, and the
export json -> import into an empty list -> export json round trip.

    python bench/bench_listdata.py            # every list of tests/corpus
    python bench/bench_listdata.py NAME...    # lists whose file name contains NAME

Per list: entries, the section-order rule's time (the rule alone, document parsed once) and
its findings, the round trip's time (import) and how many exported entries come back
identical (and identical but for the ``key`` of entries without a paper id). Exit 0.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from readme_tools import registry  # noqa: E402
from readme_tools.config import Config  # noqa: E402
from readme_tools.engine import check, lint_source  # noqa: E402
from readme_tools.fmt.additions import add_papers  # noqa: E402
from readme_tools.listdata.export import export  # noqa: E402
from readme_tools.listdata.importer import papers_from_json  # noqa: E402
from readme_tools.source import decode  # noqa: E402
from readme_tools.venues import vocabulary  # noqa: E402


def _doc(text: str, name: str):  # type: ignore[no-untyped-def]
    return lint_source(decode(text.encode("utf-8"), name), [], Config())[0]


def main(argv: list[str]) -> int:
    vocab = vocabulary()
    rule = registry.load().get("section-order")
    assert rule is not None
    files = sorted((ROOT / "tests" / "corpus").glob("*__*.md"))
    if argv:
        files = [f for f in files if any(a in f.name for a in argv)]
    print(f"{'list':44} {'entries':>7} {'order s':>8} {'S901':>5} {'import s':>9} {'same':>11}")
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        doc = _doc(text, path.name)
        start = time.perf_counter()
        found = check(doc, [rule], Config())
        order_s = time.perf_counter() - start
        first = export(doc, "json", vocab)
        entries = json.loads(first)["entries"]
        start = time.perf_counter()
        empty = decode(b"", "empty.md")
        papers = papers_from_json(first, vocab)
        rebuilt = add_papers(empty, Config(), papers, importing=True).text if papers else ""
        import_s = time.perf_counter() - start
        again = json.loads(export(_doc(rebuilt, "empty.md"), "json", vocab))["entries"]
        same = sum(a == b for a, b in zip(entries, again, strict=False))
        keyless = sum(
            {k: v for k, v in a.items() if k != "key"} == {k: v for k, v in b.items() if k != "key"}
            for a, b in zip(entries, again, strict=False)
        )
        print(
            f"{path.stem[:44]:44} {len(entries):7d} {order_s:8.3f} {len(found):5d} "
            f"{import_s:9.2f} {same:5d}/{keyless:<5d}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
