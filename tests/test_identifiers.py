"""Paper identifiers: arXiv ids (peer test cases), URL forms, canonical URLs, entry keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readme_tools.identifiers import (
    Identifier,
    canonical_arxiv_id,
    canonical_url,
    examine_arxiv_id,
    identify,
    identify_text,
    parse_arxiv_id,
    parse_arxiv_url,
)
from readme_tools.identity import entry_key, normalize_title, paper_ids
from readme_tools.parse import parse
from readme_tools.source import decode
from readme_tools.urls import strip_tracking, tracking_params

CASES: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "arxiv-ids" / "arxiv_id_cases.json").read_text("utf-8")
)

# --------------------------------------------------------------------------- peer cases


@pytest.mark.parametrize("text", CASES["arxiv_base_parse_ok"])
def test_arxiv_base_shapes_are_recognised(text: str) -> None:
    # arxiv-base's parse_arxiv_id recognises the shape of an id; we do too.
    assert examine_arxiv_id(text).shaped


@pytest.mark.parametrize("text", CASES["arxiv_base_parse_ok"])
def test_arxiv_base_shapes_valid_unless_five_digits_before_1501(text: str) -> None:
    # Strict validity follows arxiv-browse: 5-digit numbers only from 1501 on, so
    # "1203.12345" has the shape of an id but names no paper.
    result = examine_arxiv_id(text)
    if "1203.12345" in text:
        assert result.id is None and "5" in (result.error or "")
    else:
        assert result.id is not None


@pytest.mark.parametrize("text", CASES["arxiv_base_urlize_id_found"])
def test_arxiv_base_urlize_finds_shape(text: str) -> None:
    assert examine_arxiv_id(text).shaped


@pytest.mark.parametrize("text", CASES["arxiv_base_urlize_none"])
def test_arxiv_base_urlize_none(text: str) -> None:
    assert parse_arxiv_id(text) is None
    assert not examine_arxiv_id(text).shaped


@pytest.mark.parametrize("case", CASES["arxiv_base_identifier_extra"])
def test_arxiv_base_extra_path(case: dict[str, Any]) -> None:
    result = examine_arxiv_id(case["input"])
    assert result.id is not None
    assert result.id.id == case["id"]
    assert result.extra == case["extra"]
    if "year" in case:
        assert (result.id.archive, result.id.year, result.id.month, result.id.number) == (
            case["archive"],
            case["year"],
            case["month"],
            case["num"],
        )


@pytest.mark.parametrize("text", CASES["arxiv_browse_invalid"])
def test_arxiv_browse_invalid(text: str) -> None:
    assert parse_arxiv_id(text) is None
    assert examine_arxiv_id(text).error


@pytest.mark.parametrize("text,expected", sorted(CASES["arxiv_browse_valid_normalized"].items()))
def test_arxiv_browse_valid_normalized(text: str, expected: str) -> None:
    parsed = parse_arxiv_id(text)
    assert parsed is not None
    assert parsed.id == expected


@pytest.mark.parametrize("case", CASES["arxiv_browse_fields"])
def test_arxiv_browse_fields(case: dict[str, Any]) -> None:
    parsed = parse_arxiv_id(case["input"])
    assert parsed is not None
    assert parsed.id == case["id"]
    assert parsed.yymm == case["yymm"]
    assert (parsed.year, parsed.month, parsed.number) == (case["year"], case["month"], case["num"])
    if "is_old_id" in case:
        assert parsed.old == case["is_old_id"]
    if "archive" in case:
        assert parsed.archive == case["archive"]
    if "ids" in case:
        assert parsed.versioned == case["ids"]


@pytest.mark.parametrize("case", CASES["idutils_arxiv"])
def test_idutils_arxiv(case: dict[str, Any]) -> None:
    parsed = parse_arxiv_id(case["input"])
    assert parsed is not None
    assert f"arXiv:{parsed.versioned}" == case["normalized"]
    assert identify_text(case["input"]) == Identifier("arxiv", parsed.id)


@pytest.mark.parametrize("case", CASES["idutils_non_arxiv_that_mention_arxiv"])
def test_ads_bibcode_is_not_arxiv(case: dict[str, Any]) -> None:
    assert parse_arxiv_id(case["input"]) is None
    assert identify_text(case["input"]) is None


# --------------------------------------------------------------------------- arXiv rules


@pytest.mark.parametrize(
    "text,error",
    [
        ("203.05527", "not an arXiv identifier"),
        ("2413.01234", "month 13"),
        ("0612.1234", "0704"),
        ("1501.1234", "5-digit"),
        ("1412.12345", "4-digit"),
        ("2412.00000", "zero"),
        ("2412.04467v0", "v1"),
        ("foo-bar/9901001", "not an arXiv archive"),
        ("hep-th/0801001", "0703"),
    ],
)
def test_impossible_ids(text: str, error: str) -> None:
    result = examine_arxiv_id(text)
    assert result.id is None
    assert error in (result.error or "")


def test_version_and_canonical_url() -> None:
    parsed = parse_arxiv_id("arXiv:2412.04467v2")
    assert parsed is not None
    assert (parsed.id, parsed.version, parsed.versioned) == ("2412.04467", 2, "2412.04467v2")
    assert parsed.url() == "https://arxiv.org/abs/2412.04467"
    assert parsed.url(keep_version=True) == "https://arxiv.org/abs/2412.04467v2"


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/2412.04467",
        "http://arxiv.org/abs/2412.04467",
        "https://www.arxiv.org/abs/2412.04467v3",
        "https://export.arxiv.org/abs/2412.04467",
        "https://browse.arxiv.org/pdf/2412.04467.pdf",
        "https://web3.arxiv.org/pdf/2412.04467v1",
        "https://arxiv.org/pdf/2412.04467",
        "https://arxiv.org/html/2412.04467v2",
        "https://arxiv.org/html/2412.04467v2/#S3",
        "https://arxiv.org/format/2412.04467",
        "https://arxiv.org/abs/2412.04467.pdf",
        "https://arxiv.org/abs/2412.04467/",
        "https://arxiv.org/abs/2412.04467?context=cs",
        "https://arxiv.org/abs/arXiv:2412.04467",
        "https://doi.org/10.48550/arXiv.2412.04467",
        "https://huggingface.co/papers/2412.04467",
    ],
)
def test_arxiv_url_forms_identify_one_paper(url: str) -> None:
    assert identify(url) == Identifier("arxiv", "2412.04467")


def test_arxiv_url_details() -> None:
    link = parse_arxiv_url("https://arxiv.org/abs/2412.04467.pdf")
    assert link is not None and link.kind == "abs" and link.pdf_suffix
    old = parse_arxiv_url("http://arxiv.org/pdf/math.GT/0309136v2.pdf")
    assert old is not None and old.id is not None
    assert (old.kind, old.id.id, old.id.version) == ("pdf", "math/0309136", 2)
    bad = parse_arxiv_url("https://arxiv.org/abs/203.05527")
    assert bad is not None and bad.id is None and bad.written == "203.05527"
    assert parse_arxiv_url("https://arxiv.org/list/cs.CV/recent") is None
    assert parse_arxiv_url("https://arxiv.org/a/smith_j_1") is None
    assert parse_arxiv_url("https://example.org/abs/2412.04467") is None
    assert parse_arxiv_url("ftp://arxiv.org/abs/2412.04467") is None


@pytest.mark.parametrize(
    "url,expected",
    [
        ("http://www.arxiv.org/pdf/2411.10640v1.pdf", "https://arxiv.org/abs/2411.10640"),
        ("https://arxiv.org/abs/2411.10640v1", "https://arxiv.org/abs/2411.10640"),
        ("https://arxiv.org/abs/2411.10640", "https://arxiv.org/abs/2411.10640"),
        (
            "https://github.com/Yxxxb/VoCo-LLaMA?tab=readme-ov-file",
            "https://github.com/Yxxxb/VoCo-LLaMA",
        ),
        ("https://github.com/a/b?tab=MIT-1-ov-file#readme", "https://github.com/a/b#readme"),
        ("https://github.com/a/b?tab=repositories", "https://github.com/a/b?tab=repositories"),
        ("https://example.org/x?utm_source=t&id=3&fbclid=Z", "https://example.org/x?id=3"),
        ("https://example.org/x?ref=home", "https://example.org/x?ref=home"),
        ("https://medium.com/@a/post-1?source=rss&sk=42", "https://medium.com/@a/post-1?sk=42"),
        ("https://youtu.be/abc?si=XYZ", "https://youtu.be/abc"),
        ("https://arxiv.org/abs/203.05527", "https://arxiv.org/abs/203.05527"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_keep_version() -> None:
    assert (
        canonical_url("https://arxiv.org/pdf/2411.10640v1", keep_version=True)
        == "https://arxiv.org/abs/2411.10640v1"
    )


def test_tracking_params() -> None:
    assert tracking_params("https://x.org/?utm_source=a&q=1&UTM_medium=b") == (
        "utm_source=a",
        "UTM_medium=b",
    )
    assert tracking_params("https://github.com/a/b?ref=blog") == ("ref=blog",)
    assert tracking_params("https://openai.com/b?ref=blog") == ()
    assert strip_tracking("https://x.org/p?gclid=1") == "https://x.org/p"
    assert strip_tracking("relative/path?utm_source=x") == "relative/path?utm_source=x"


# --------------------------------------------------------------------------- other identifiers


def test_openreview_forum_and_pdf_are_one_paper() -> None:
    forum = identify("https://openreview.net/forum?id=VYWBMq1L7H")
    pdf = identify("https://openreview.net/pdf?id=VYWBMq1L7H")
    noted = identify("https://openreview.net/forum?id=VYWBMq1L7H&noteId=abc")
    assert forum == pdf == noted == Identifier("openreview", "VYWBMq1L7H")
    assert forum is not None and forum.url == "https://openreview.net/forum?id=VYWBMq1L7H"
    assert identify("https://openreview.net/group?id=ICLR.cc") is None


def test_doi_case_insensitive_and_publishers() -> None:
    a = identify("https://doi.org/10.1145/3582016.3582018")
    b = identify("https://dx.doi.org/10.1145/3582016.3582018".upper().replace("HTTPS", "https"))
    c = identify("https://dl.acm.org/doi/pdf/10.1145/3582016.3582018")
    d = identify("https://link.springer.com/chapter/10.1007/978-3-031-10989-8_47")
    assert a == b == c == Identifier("doi", "10.1145/3582016.3582018")
    assert d == Identifier("doi", "10.1007/978-3-031-10989-8_47")
    assert identify_text("doi:10.1145/3582016.3582018") == a
    assert identify("https://doi.org/not-a-doi") is None


def test_acl_anthology() -> None:
    expected = Identifier("acl", "2023.acl-long.1")
    assert identify("https://aclanthology.org/2023.acl-long.1.pdf") == expected
    assert identify("https://aclanthology.org/2023.acl-long.1/") == expected
    assert identify("https://doi.org/10.18653/v1/2023.acl-long.1") == expected
    assert identify("https://www.aclweb.org/anthology/P19-1001.pdf") == Identifier(
        "acl", "p19-1001"
    )
    assert identify("https://aclanthology.org/events/acl-2023/") is None


def test_cvf_html_and_pdf_are_one_paper() -> None:
    html = identify(
        "https://openaccess.thecvf.com/content/CVPR2023/html/Li_Foo_Bar_CVPR_2023_paper.html"
    )
    pdf = identify(
        "https://openaccess.thecvf.com/content/CVPR2023/papers/Li_Foo_Bar_CVPR_2023_paper.pdf"
    )
    old = identify(
        "http://openaccess.thecvf.com/content_cvpr_2018/papers/Li_Foo_CVPR_2018_paper.pdf"
    )
    assert html == pdf == Identifier("cvf", "li_foo_bar_cvpr_2023_paper")
    assert old == Identifier("cvf", "li_foo_cvpr_2018_paper")


def test_neurips_and_pmlr() -> None:
    h = "a45a1d12ee0fb7f1f872ab91da18f899"
    abstract = identify(f"https://proceedings.neurips.cc/paper/2021/hash/{h}-Abstract.html")
    pdf = identify(f"https://proceedings.neurips.cc/paper_files/paper/2021/file/{h}-Paper.pdf")
    assert abstract == pdf == Identifier("neurips", h)
    assert identify("https://proceedings.mlr.press/v202/li23a.html") == identify(
        "https://proceedings.mlr.press/v202/li23a/li23a.pdf"
    )


def test_github_repositories() -> None:
    assert identify("https://github.com/DVLab-Research/VisionZip") == Identifier(
        "github", "dvlab-research/visionzip"
    )
    assert identify("https://github.com/a/b.git") == Identifier("github", "a/b")
    assert identify("https://www.github.com/a/b/") == Identifier("github", "a/b")
    assert identify("https://github.com/modelscope/data-juicer/tree/ImgDiff") == Identifier(
        "github", "modelscope/data-juicer/tree/ImgDiff"
    )
    assert identify("https://github.com/a") is None
    assert identify("https://github.com/topics/llm") is None
    ident = identify("https://github.com/a/b")
    assert ident is not None and not ident.is_paper


def test_paper_ids_leave_out_code_and_repeat() -> None:
    ids = paper_ids(
        [
            "https://github.com/a/b",
            "https://arxiv.org/pdf/2412.04467",
            "https://arxiv.org/abs/2412.04467v2",
            "https://openreview.net/forum?id=X",
            "https://a.github.io/project/",
        ]
    )
    assert [i.key for i in ids] == ["arxiv:2412.04467", "openreview:X"]


def test_normalize_title() -> None:
    assert normalize_title("  Longer is Better — but NOT Necessary!  ") == (
        "longer is better but not necessary"
    )
    assert normalize_title("ＶｉｓｉｏｎＺｉｐ: x") == normalize_title("visionzip x")


def _entries(text: str) -> list[Any]:
    return list(parse(decode(text.encode(), "t.md")).entries)


def test_entry_key() -> None:
    entries = _entries(
        "- [x] **A**: Some Title Here. CVPR2025 [Paper](https://arxiv.org/pdf/2412.04467v1)"
        " [Code](https://github.com/a/b)\n"
        "- [x] **B**: Another Title Here. CVPR2025 [Code](https://github.com/a/b)\n"
        "- [Code](https://github.com/c/d?tab=readme-ov-file)\n"
        "- [x] **C**: Title. ICLR2025 [Paper](https://openreview.net/pdf?id=Q)"
        " [Paper](https://doi.org/10.1234/X)\n"
    )
    assert [entry_key(e) for e in entries] == [
        "arxiv:2412.04467",
        "title:another title here",
        "url:https://github.com/c/d",
        "doi:10.1234/x",
    ]


# --------------------------------------------------------------------------- properties

_HOSTS = st.sampled_from(
    [
        "arxiv.org",
        "www.arxiv.org",
        "export.arxiv.org",
        "browse.arxiv.org",
        "github.com",
        "www.github.com",
        "medium.com",
        "example.org",
        "openreview.net",
        "youtu.be",
    ]
)
_IDS = st.sampled_from(
    ["2412.04467", "2412.04467v2", "0704.0001", "hep-th/9901001v3", "math.GT/0309136", "203.05527"]
)
_PATHS = st.one_of(
    st.builds(
        lambda kind, ident, pdf: f"/{kind}/{ident}{pdf}",
        st.sampled_from(["abs", "pdf", "html", "format", "list"]),
        _IDS,
        st.sampled_from(["", ".pdf", "/"]),
    ),
    st.builds(
        lambda a, b, tail: f"/{a}/{b}{tail}",
        st.from_regex(r"[A-Za-z0-9-]{1,8}", fullmatch=True),
        st.from_regex(r"[A-Za-z0-9._-]{1,8}", fullmatch=True),
        st.sampled_from(["", ".git", "/tree/main/x", "/"]),
    ),
    st.sampled_from(["/forum", "/pdf", "", "/"]),
)
_PARAMS = st.lists(
    st.sampled_from(
        [
            "utm_source=x",
            "utm_medium=y",
            "fbclid=abc",
            "tab=readme-ov-file",
            "tab=repositories",
            "ref=home",
            "source=rss",
            "si=1",
            "id=VYWBMq1L7H",
            "q=1",
            "",
            "sk=2",
        ]
    ),
    max_size=4,
)


@st.composite
def urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https"]))
    params = draw(_PARAMS)
    query = ("?" + "&".join(params)) if draw(st.booleans()) and params else ""
    fragment = draw(st.sampled_from(["", "#readme", "#S3"]))
    return f"{scheme}://{draw(_HOSTS)}{draw(_PATHS)}{query}{fragment}"


@given(urls(), st.booleans())
def test_canonical_url_is_idempotent(url: str, keep: bool) -> None:
    once = canonical_url(url, keep_version=keep)
    assert canonical_url(once, keep_version=keep) == once


@given(urls())
def test_canonical_url_keeps_identity(url: str) -> None:
    assert identify(canonical_url(url)) == identify(url)


@given(urls())
def test_canonical_url_leaves_nothing_to_strip(url: str) -> None:
    assert tracking_params(canonical_url(url)) == ()


def test_canonical_arxiv_id_fast_path() -> None:
    assert canonical_arxiv_id("https://arxiv.org/abs/2412.04467") == "2412.04467"
    assert canonical_arxiv_id("https://arxiv.org/abs/2413.04467") is None  # month 13
    assert canonical_arxiv_id("https://arxiv.org/abs/1501.0446") is None  # 4 digits after 1412
    assert canonical_arxiv_id("https://arxiv.org/abs/2412.04467v2") is None  # not canonical
    assert canonical_arxiv_id("http://arxiv.org/abs/2412.04467") is None
