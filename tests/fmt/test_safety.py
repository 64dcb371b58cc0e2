"""The invariants and the ledger of deliberate rewrites."""

from __future__ import annotations

from collections import Counter

from readme_tools.diagnostics import Edit
from readme_tools.fmt.safety import Invariants, Ledger, compare, words
from readme_tools.parse import parse
from readme_tools.source import decode


def inv(text: str) -> Invariants:
    return Invariants.of(parse(decode(text.encode(), "t.md")))


def test_words_ignore_markup_urls_and_list_markers() -> None:
    a = "1. **Foo** bar_baz [Paper](https://x.io/a_b) \\* https://y.io/z\n"
    b = "7) __Foo__ bar\\_baz [paper](https://other.io) *\n"
    assert words(a) == words(b) == Counter({"foo": 1, "bar": 1, "baz": 1, "paper": 1})


def test_character_references_count_as_their_characters() -> None:
    # Found by fuzzing: mdformat writes "&amp;" as "&", and "amp" counted as a lost word.
    assert words("Q&amp;A &copy; &#169; &lt;b&gt; AT&T") == words("Q&A © © <b> AT&T")
    assert words("&ampx &amp") == Counter({"ampx": 1, "amp": 1})  # not references


def test_angle_bracketed_definition_destinations_are_not_words() -> None:
    # Found by fuzzing: mdformat writes "[a]: <https://x.org/b c>" as
    # "[a]: https://x.org/b%20c", and "c" counted as a lost word.
    assert words("[a]: <https://x.org/b c>\n") == words("[a]: https://x.org/b%20c\n")
    assert words("   [a]: <./b c> 'T t'\n") == Counter({"a": 1, "t": 2})
    # As paragraph text (a definition cannot interrupt a paragraph), escaped by mdformat:
    assert words("x\n[a]: <https://x.org/b c>\n") == words("x\n\\[a\\]: \\<https://x.org/b c>\n")
    assert words("x\n[a]: <b c>-d\n") == Counter({"x": 1, "a": 1, "b": 1, "c": 1, "d": 1})


def test_punycode_hosts_are_the_same_target() -> None:
    # Found by fuzzing: mdformat writes https://é.org as https://xn--9ca.org, which was
    # reported as one target lost and one appeared from nowhere.
    def targets(text: str) -> frozenset[str]:
        return Invariants.of(parse(decode(text.encode(), "t.md"))).targets

    assert targets("[a](https://é.org/x)\n") == targets("[a](https://xn--9CA.org/x)\n")
    assert targets("[a](https://x.org/xn--9ca)\n") == {"https://x.org/xn--9ca"}  # path kept
    assert targets("[a](https://xn--zz.org)\n") == {"https://xn--zz.org"}  # invalid: kept


def test_unchanged_document_holds() -> None:
    text = "- [x] **A**: T. CVPR2025 [Paper](https://arxiv.org/abs/2401.00001)\n"
    assert compare(inv(text), inv(text), Ledger()) == []


def test_lost_word_link_and_entry_are_reported() -> None:
    before = inv(
        "- **A**: T one. CVPR2025 [Paper](https://a.io)\n- **B**: T two. CVPR2025 [Paper](https://b.io)\n"
    )
    after = inv("- **A**: T. CVPR2025 [Paper](https://a.io)\n")
    problems = " | ".join(compare(before, after, Ledger()))
    assert "entry count changed from 2 to 1" in problems
    assert "link target lost: https://b.io" in problems
    assert "'one'" in problems and "word(s) lost" in problems


def test_ledger_accounts_for_deliberate_rewrites() -> None:
    text = "- **A**: T. Neurips 2024 [Paper](http://a.io)\n"
    doc = parse(decode(text.encode(), "t.md"))
    venue = text.index("Neurips 2024")
    url = text.index("http://a.io")
    edits = [
        Edit(venue, venue + len("Neurips 2024"), "NeurIPS2024"),
        Edit(url, url + len("http://a.io"), "https://a.io"),
    ]
    ledger = Ledger()
    ledger.record(text, edits, doc)
    new = text.replace("Neurips 2024", "NeurIPS2024").replace("http://a.io", "https://a.io")
    assert compare(inv(text), inv(new), ledger) == []
    # Without the ledger the same change is a loss.
    assert compare(inv(text), inv(new), Ledger()) != []


def test_words_balance_by_changed_lines_or_whole_texts() -> None:
    # Lines both texts have count on both sides; a word moved to another line still balances.
    before = "# Title\n\nalpha beta\n\n- [x] **A**: gamma. [Paper](https://a.io)\n"
    after = "# Title\n\nalpha\n\nbeta\n- [x] **A**: gamma. [Paper](https://a.io)\n"
    assert compare(inv(before), inv(after), Ledger()) == []
    # "](" before a line break hides the next line's words from `words`: whole texts compared.
    crossing = "text [x](\nhidden\n"
    assert words(crossing) == Counter({"text": 1, "x": 1})
    assert compare(inv(crossing), inv("text [x](\n"), Ledger()) == []
    # Line by line the two would balance (only the first line differs, with the same words).
    shown = " | ".join(compare(inv(crossing), inv("text [x]\nhidden\n"), Ledger()))
    assert "word(s) appeared: 'hidden'×1" in shown
