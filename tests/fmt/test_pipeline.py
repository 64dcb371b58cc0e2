"""Fix ordering and application, collected generically through the registry."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from readme_tools import registry
from readme_tools.context import Context
from readme_tools.diagnostics import Edit, Effect, Fix, Problem
from readme_tools.fmt import render
from readme_tools.fmt.pipeline import FormatError
from readme_tools.model import Document
from readme_tools.registry import Registry, Rule

from .helpers import fmt

MDFORMAT = {"format": {"markdown": "mdformat"}}

P = "https://arxiv.org/abs/2401.0000"
LIST = (
    "# L\n\n## S\n\n"
    f"- [x] **A**: Title a. CVPR2025 [Paper]({P}1)\n\n  Summary a.\n\n"
    f"- [x] **B**: Title b. CVPR2025 [Paper]({P}2)\n\n  Summary b.\n"
)


def with_rules(*rules: Rule) -> Registry:
    base = registry.load()
    return Registry(rules=(*base.rules, *rules), options=base.options)


def rule(name: str, code: str, check, family: str = "test") -> Rule:  # type: ignore[no-untyped-def]
    return Rule(name, code, "warning", True, "test", "test", check, family=family)


def test_a_new_rule_familys_fixes_are_applied_without_changes_here() -> None:
    def shout(doc: Document, ctx: Context) -> Iterator[Problem]:
        for entry in doc.entries:
            if entry.title_span and entry.title == "Title a.":
                s = entry.title_span
                yield Problem(
                    s.start,
                    s.end,
                    "quiet",
                    fix=Fix("shout", (Edit(s.start, s.end, "TITLE A."),), effect="text"),
                )

    result = fmt(LIST, registry=with_rules(rule("shout", "T901", shout)))
    assert "**A**: TITLE A. CVPR2025" in result.text
    assert [a.rule for a in result.applied] == ["shout"]
    assert not fmt(result.text, registry=with_rules(rule("shout", "T901", shout))).changed


def test_overlapping_fixes_keep_the_first_and_run_again() -> None:
    def double(doc: Document, ctx: Context) -> Iterator[Problem]:
        text = doc.source.text
        i = text.find("Summary a.")
        if i >= 0:
            yield Problem(i, i + 7, "one", fix=Fix("one", (Edit(i, i + 7, "Résumé"),), "text"))
            yield Problem(i, i + 10, "two", fix=Fix("two", (Edit(i, i + 10, "Other a."),), "text"))

    result = fmt(LIST, registry=with_rules(rule("double", "T902", double)))
    # The first fix wins; the second no longer applies once "Summary a." is gone.
    assert "Résumé a." in result.text
    assert len(result.applied) == 1


def test_toc_family_runs_last() -> None:
    order: list[str] = []

    def entry_fix(doc: Document, ctx: Context) -> Iterator[Problem]:
        if "Title a." in doc.source.text:
            order.append("entry")
            i = doc.source.text.index("Title a.")
            yield Problem(i, i + 8, "e", fix=Fix("e", (Edit(i, i + 8, "Title z."),), "text"))

    def toc_fix(doc: Document, ctx: Context) -> Iterator[Problem]:
        if "Title z." in doc.source.text and "<!-- regenerated -->" not in doc.source.text:
            order.append("toc")
            fix = Fix("t", (Edit(0, 0, "<!-- regenerated -->\n"),), "structure")
            yield Problem(0, 0, "t", fix=fix)

    reg = with_rules(
        rule("toc-test", "T903", toc_fix, family="toc"), rule("entry-test", "T904", entry_fix)
    )
    result = fmt(LIST, registry=reg)
    assert result.text.startswith("<!-- regenerated -->")
    assert order[:2] == ["entry", "toc"]


@pytest.mark.parametrize("effect", ["none", "text"])
def test_a_fix_that_drops_an_entry_is_left_unapplied(effect: Effect) -> None:
    def drop(doc: Document, ctx: Context) -> Iterator[Problem]:
        if len(doc.entries) == 2:
            span = doc.entries[1].span
            fix = Fix("d", (Edit(span.start, span.end, ""),), effect)
            yield Problem(span.start, span.end, "d", fix=fix)

    result = fmt(LIST, registry=with_rules(rule("drop", "T905", drop)))
    assert result.text == LIST and not result.changed
    assert len(result.notes) == 1
    assert result.notes[0].startswith("left drop at line 9 unfixed (d): formatting would change")


def test_a_structural_fix_that_loses_a_link_target_is_refused() -> None:
    def drop(doc: Document, ctx: Context) -> Iterator[Problem]:
        if len(doc.entries) == 2:
            span = doc.entries[1].span
            fix = Fix("d", (Edit(span.start, span.end, ""),), "structure")
            yield Problem(span.start, span.end, "d", fix=fix)

    # A structural change may rewrite the lines it touches, but never lose a link target.
    with pytest.raises(FormatError, match="link target"):
        fmt(LIST, registry=with_rules(rule("drop", "T905", drop)))


def test_only_the_unsafe_fix_is_left_out() -> None:
    def drop_b(doc: Document, ctx: Context) -> Iterator[Problem]:
        for entry in doc.entries[1:2]:
            s = entry.span
            yield Problem(s.start, s.end, "d", fix=Fix("d", (Edit(s.start, s.end, ""),), "text"))

    text = LIST.replace("Summary a.", "Summary a.   ")
    result = fmt(text, registry=with_rules(rule("drop", "T905", drop_b)))
    assert result.text == LIST  # the whitespace fix is applied, the dropping one is not
    assert [a.rule for a in result.applied] == ["whitespace"]


def test_a_layout_that_loses_words_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "# L\n\nIntro text with words.\n\n" + LIST.split("\n\n", 1)[1]
    monkeypatch.setattr(render, "_mdformat", lambda t: t.replace("with words", "with"))
    with pytest.raises(FormatError, match="Intro text with words"):
        fmt(text, config=MDFORMAT)


def test_a_fix_that_changes_more_than_it_declares_is_left_unapplied() -> None:
    def relabel(doc: Document, ctx: Context) -> Iterator[Problem]:
        for link in doc.links:
            if link.url_span is not None and link.url.endswith("1"):
                # Declared as a target change, but the label changes too.
                edit = Edit(link.span.start, link.span.end, f"[Code]({link.url}0)")
                yield Problem(link.span.start, link.span.end, "r", fix=Fix("r", (edit,), "href"))

    result = fmt(LIST, registry=with_rules(rule("relabel", "T906", relabel)))
    assert not result.changed
    assert "the rendering of line 5 changes" in result.notes[0]


def test_selection_limits_the_fixes() -> None:
    text = LIST.replace("Summary a.", "Summary a.   ")
    assert "Summary a.\n" in fmt(text).text
    kept = fmt(text, ignore=("whitespace",))
    assert [a.rule for a in kept.applied] == []
    assert not kept.changed and kept.text == text


def test_everything_but_the_fixes_stays_as_written() -> None:
    text = (
        "# L\n## S\n* [x] **A**: Title a. CVPR2025 [Paper](https://arxiv.org/pdf/2401.00001)\n"
        "    continuation\\\n    line\n* [x] **B**:  Title b.  Neurips2024   [Paper](https://x.org/b)\n"
        "* [x] **C**: Title c. CVPR2025 [Paper](https://x.org/c)\n\n\n\n[^n]: a footnote [**LCLM**]\n"
    )
    out = fmt(text).text
    # One arXiv link: no link form to learn, so the pdf link stays as written.
    assert out == text.replace("Neurips2024", "NeurIPS2024")


def test_crlf_and_bom_are_handled_when_encoding() -> None:
    raw = ("\ufeff" + LIST).replace("\n", "\r\n").encode()
    result = fmt(raw)
    assert result.data.startswith(b"# L\r\n")  # BOM dropped (encoding rule), CRLF kept
    assert b"\n" not in result.data.replace(b"\r\n", b"")
    lf = fmt(raw, newline="\n")
    assert b"\r" not in lf.data


def test_invalid_utf8_is_refused() -> None:
    with pytest.raises(FormatError, match="not valid UTF-8"):
        fmt(b"# T\n\xff\xfe bad\n")


def test_apply_uncertain_without_the_mojibake_rule_is_an_error() -> None:
    with pytest.raises(FormatError, match="mojibake rule is not selected"):
        fmt(LIST, apply_uncertain=True, ignore=("mojibake",))


def test_markdown_mdformat_normalises_the_layout() -> None:
    text = "# L\nIntro *a*  _b_\n" + LIST.split("\n\n", 1)[1]
    assert fmt(text).text == text
    out = fmt(text, config=MDFORMAT).text
    assert out.startswith("# L\n\nIntro *a* _b_\n\n## S\n\n- [x] **A**")


def test_mojibake_inside_code_blocks_is_left_alone() -> None:
    """Rules and fixes never touch fenced code: a README may show mojibake on purpose."""
    text = (
        "# List\n\nThe damage looks like this:\n\n```text\nğŸ“– æœ¬æ–‡\n```\n\n"
        "## ğŸ“– Notes\n\nText.\n"
    )
    out = fmt(text).text
    assert "```text\nğŸ“– æœ¬æ–‡\n```" in out
    assert "## 📖 Notes" in out


def test_an_insertion_and_a_rewrite_at_the_same_offset() -> None:
    """Found by the property test: the checkbox insertion and another fix both start at the
    entry head; they must be applied (and accounted for) in one order."""
    P0 = "[Paper](https://arxiv.org/abs/2401.00000)"
    text = f"# 0\n\n## 0\n\n- [x] **0**: 0. CVPR2025 {P0}\n- [x] **0**: 0. CVPR2025 {P0}\n- **0**: 0. CVPR 2024 {P0}\n"
    out = fmt(text).text
    assert out.endswith(f"- [ ] **0**: 0. CVPR 2024 {P0}\n")


def test_character_references_do_not_block_formatting() -> None:
    # Found by fuzzing: "a &amp; b" was refused ("1 word(s) lost: 'amp'").
    result = fmt("# T\n\nQ&amp;A &lt;b&gt;\n", config=MDFORMAT)
    assert result.text == "# T\n\nQ&A \\<b>\n"


def test_internationalised_host_names_do_not_block_formatting() -> None:
    # Found by fuzzing: any link to a non-ASCII host name was refused ("link target lost").
    result = fmt("# T\n\nSee [a](https://ß.org/x).\n", config=MDFORMAT)
    assert result.text == "# T\n\nSee [a](https://xn--zca.org/x).\n"


def test_unused_definition_is_never_dropped_silently() -> None:
    # Found by fuzzing: mdformat drops unused reference definitions; "[-]: url" renders
    # nothing, so its URL vanished and readme-fmt exited 1.
    text = "# T\n\nText.\n\n[-]: https://x.org/a\n"
    assert fmt(text).text == text
    with pytest.raises(FormatError, match="reference definition"):
        fmt(text, config=MDFORMAT)
    # Inside a paragraph "[a]: url" is text, and stays.
    assert "https://x.org/q" in fmt("# T\n\nSome text\n[a]: https://x.org/q\nmore\n").text


@pytest.mark.parametrize(
    "reference", ["&nbsp;", "&ensp;", "&emsp;", "&#160;", "&#xa0;", "&thinsp;", "&zwj;"]
)
def test_invisible_character_references_are_kept_as_written(reference: str) -> None:
    # Found by fuzzing: mdformat wrote the character itself, which the whitespace and
    # encoding rules then flagged, so formatting never converged.
    text = (
        f"# A{reference}B\n\nSee{reference}[a](https://x.org/a) ![x{reference}y](https://x.org/i.png)"
        f"\n\n| a{reference}b |\n| --- |\n\n> q{reference}r\n"
    )
    result = fmt(text)
    assert result.text == text
    assert not result.changed


@pytest.mark.parametrize("reference", ["&#0;", "&#x110000;", "&#xD800;", "&#xfffd;"])
def test_references_markdown_replaces_with_u_fffd_are_kept_as_written(reference: str) -> None:
    # Found by fuzzing: "&#0;" (CommonMark renders it as U+FFFD) was written as a raw U+FFFD,
    # which the encoding rule then reports as a damaged character.
    text = f"# T{reference}\n\nHello{reference}world\n"
    result = fmt(text)
    assert result.text == text
    assert "\ufffd" not in result.text


@pytest.mark.parametrize(
    "text",
    [
        "[x]\n\n[x]: #anchor\n",
        "# T\n\nSee\n[x] and\n[X].\n\n[x]: #anchor\n",
        "# T\n\n[x](https://x.org/a) and\n[ ](https://x.org/b)\n",
        "# T\n\n> [x]\n\n[x]: https://x.org/a\n",
    ],
)
def test_a_link_labelled_like_a_task_checkbox_stays_a_link(text: str) -> None:
    # Found by fuzzing: mdformat-gfm escapes "[x]" / "[ ]" at the start of every paragraph
    # line, so a link there became text and its definition unused: "not idempotent".
    result = fmt(text)
    assert result.text == text
    assert not result.changed


def test_literal_checkbox_text_at_the_start_of_a_list_item_stays_escaped() -> None:
    text = "# T\n\n- a\n  - \\[x\\] b\n\n    c\n"
    assert fmt(text).text == text


def test_a_task_checkbox_followed_by_a_tab() -> None:
    # Found by fuzzing: mdformat failed with a bare AssertionError: mdit-py-plugins reads
    # "[ ]" then any whitespace as a checkbox, but writes the checkbox only for a space.
    result = fmt("# T\n\n> - [x]\tdone\n> - [ ]\ttodo\n", config=MDFORMAT)
    assert result.text == "# T\n\n> - [x] done\n> - [ ] todo\n"


def test_reference_links_inside_an_entry_list() -> None:
    text = "# T\n\n- **A**: Title a. [Paper][a]\n- **B**: Title b. [Paper][b]\n\n[a]: https://x.org/a\n[b]: https://x.org/b\n"
    result = fmt(text)
    assert result.text == text


def test_a_character_reference_inside_a_link_destination() -> None:
    # Found by fuzzing: "&emsp;" in a destination counted as a space when words were
    # counted, so the rest of the URL counted as words, lost once mdformat percent-encoded
    # it ("2 word(s) lost: 'eading', 'name'").
    result = fmt(
        "# T\n\nSee [a](#H&emsp;eading-Name) and [b](https://x.org/?q=1&amp;r=2).\n",
        config=MDFORMAT,
    )
    assert (
        result.text == "# T\n\nSee [a](#H%E2%80%83eading-Name) and [b](https://x.org/?q=1&r=2).\n"
    )


def test_an_empty_heading_has_no_trailing_space() -> None:
    # Found by fuzzing: mdformat writes an empty heading as "## " and the whitespace rule
    # removes the space: "fixes did not converge" whenever anything else changed.
    result = fmt("# T\n\n&copy;\n\n## \n\n\nx\n\n###\n", config=MDFORMAT)
    assert result.text == "# T\n\n©\n\n##\n\nx\n\n###\n"
