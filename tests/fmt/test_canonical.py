"""The canonical entry line."""

from __future__ import annotations

from readme_tools import registry
from readme_tools.config import Config, parse_config
from readme_tools.fmt.canonical import canonical_head, head_edits, infer_link_order, make_plan
from readme_tools.parse import parse
from readme_tools.source import decode

P = "https://arxiv.org/abs/2401.0000"


def doc_of(text: str):  # type: ignore[no-untyped-def]
    return parse(decode(text.encode(), "t.md"))


def entries(*heads: str) -> str:
    return "# L\n\n" + "\n\n".join(f"- {h}" for h in heads) + "\n"


def canonical(text: str, config: dict[str, object] | None = None) -> list[str | None]:
    doc = doc_of(text)
    cfg = parse_config(config, registry.load()) if config else Config()
    plan = make_plan(doc, cfg)
    return [canonical_head(e, doc.source.text, plan) for e in doc.entries]


def test_one_space_between_parts_and_links_in_the_document_order() -> None:
    text = entries(
        f"[x] **A**: Title a. CVPR2025 [Paper]({P}1) [Code](https://github.com/a/a)",
        f"[x] **B**: Title b. CVPR2025 [Paper]({P}2) [Code](https://github.com/b/b)",
        f"[x]  **C**:   Title c.   CVPR2025  [Code](https://github.com/c/c)   [Paper]({P}3)",
    )
    assert canonical(text)[2] == (
        f"[x] **C**: Title c. CVPR2025 [Paper]({P}3) [Code](https://github.com/c/c)"
    )


def test_configured_link_order_and_label_spelling() -> None:
    text = entries(
        f"[x] **A**: Title a. CVPR2025 [Paper]({P}1) [Page](https://a.io)",
        f"[x] **B**: Title b. CVPR2025 [Paper]({P}2) [Page](https://b.io)",
        f"[x] **C**: Title c. CVPR2025 [page](https://c.io) [Paper]({P}3)",
    )
    got = canonical(text, {"format": {"link-order": ["Page", "Paper"]}})
    assert got[2] == f"[x] **C**: Title c. CVPR2025 [Page](https://c.io) [Paper]({P}3)"


def test_venue_spelling_follows_the_document() -> None:
    text = entries(
        f"[x] **A**: Title a. CVPR2025 [Paper]({P}1)",
        f"[x] **B**: Title b. CVPR2024 [Paper]({P}2)",
        f"[x] **C**: Title c. Neurips 2024 [Paper]({P}3)",
        f"[x] **D**: Title d. ACL'24 [Paper]({P}4)",
    )
    got = canonical(text)
    assert got[2] == f"[x] **C**: Title c. NeurIPS2024 [Paper]({P}3)"
    assert got[3] == f"[x] **D**: Title d. ACL2024 [Paper]({P}4)"
    spaced = canonical(text, {"format": {"venue-style": "spaced"}})
    assert spaced[0] == f"[x] **A**: Title a. CVPR 2025 [Paper]({P}1)"


def test_unknown_venue_is_kept_as_written() -> None:
    got = canonical(entries(f"[ ] **A**: Title a. FooConf2025 [Paper]({P}1)"))
    assert got == [f"[ ] **A**: Title a. FooConf2025 [Paper]({P}1)"]


def test_text_between_parts_makes_the_entry_ineligible() -> None:
    # The parser takes "(great!)" as part of nothing: the line is left alone.
    text = entries(f"[x] **A**: Title a. CVPR2025 [Paper]({P}1) (great!)")
    assert canonical(text) == [None]


def test_inferred_link_order() -> None:
    text = entries(
        f"[x] **A**: T. CVPR2025 [Paper]({P}1) [Code](https://github.com/a/a)",
        f"[x] **B**: T. CVPR2025 [Paper]({P}2) [Page](https://b.io)",
        f"[x] **C**: T. CVPR2025 [Paper]({P}3) [Code](https://github.com/c/c) [Page](https://c.io)",
    )
    assert infer_link_order(doc_of(text))[0] == "paper"


def test_head_edits_are_empty_on_a_canonical_list() -> None:
    text = entries(
        f"[x] **A**: Title a. CVPR2025 [Paper]({P}1) [Code](https://github.com/a/a)",
        f"[x] **B**: Title b. CVPR2025 [Paper]({P}2)",
    )
    doc = doc_of(text)
    assert head_edits(doc, make_plan(doc, Config())) == []
