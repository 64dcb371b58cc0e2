"""Each source's answer parsed into facts: the documented shapes and their quirks."""

from __future__ import annotations

from typing import Any

import pytest

from readme_tools.identifiers import Identifier
from readme_tools.metadata.crossref import parse_work
from readme_tools.metadata.dblp import parse_search, query_text
from readme_tools.metadata.facts import (
    ArxivFacts,
    CrossrefFacts,
    DblpFacts,
    DblpHit,
    GithubFacts,
    OpenReviewFacts,
    S2Facts,
)
from readme_tools.metadata.github import parse_repo
from readme_tools.metadata.openreview import parse_notes
from readme_tools.metadata.s2 import parse_paper, s2_id
from readme_tools.metadata.venuemap import (
    VenueRef,
    key_year,
    openreview_decision,
    venue_from_dblp,
    venue_from_openreview,
    venue_from_text,
)
from readme_tools.venues import vocabulary

from .fakes import _load

VOCAB = vocabulary()


# ------------------------------------------------------------------------ Semantic Scholar


def test_s2_paper_keeps_venue_and_ids() -> None:
    papers = _load("s2_papers.json")["papers"]
    facts = parse_paper(papers["ARXIV:2310.20002"])
    assert facts.venue == "Conference on Empirical Methods in Natural Language Processing"
    assert facts.publication_venue == facts.venue
    assert facts.year == 2023
    assert facts.external_ids == {
        "ACL": "2023.emnlp-main.101",
        "ArXiv": "2310.20002",
        "DBLP": "conf/emnlp/ParkS23",
        "DOI": "10.18653/v1/2023.emnlp-main.101",
    }  # CorpusId, MAG, PubMed... are not kept


@pytest.mark.parametrize("obj", [None, [], "x", {"paperId": None, "externalIds": None}])
def test_s2_null_or_odd_answers(obj: Any) -> None:
    facts = parse_paper(obj)
    if obj is None or not isinstance(obj, dict):
        assert facts == S2Facts(found=False)
    else:
        assert facts.found and facts.external_ids == {}


@pytest.mark.parametrize(
    ("ident", "query"),
    [
        (Identifier("arxiv", "2106.15928"), "ARXIV:2106.15928"),
        (Identifier("doi", "10.1145/3442188.3445922"), "DOI:10.1145/3442188.3445922"),
        (Identifier("acl", "2023.emnlp-main.1"), "ACL:2023.emnlp-main.1"),
        (Identifier("acl", "p19-1001"), "ACL:P19-1001"),
        (Identifier("openreview", "abc"), None),
    ],
)
def test_s2_ids(ident: Identifier, query: str | None) -> None:
    assert s2_id(ident) == query


# ------------------------------------------------------------------------------ dblp


def _dblp_answer(hit: Any) -> dict[str, Any]:
    return {"result": {"status": {"@code": "200"}, "hits": {"@total": "1", "hit": hit}}}


def test_dblp_keeps_only_hits_with_the_same_title() -> None:
    answers = _load("dblp_search.json")["searches"]
    title = "PixelCoT: Chain-of-Thought over Pixels for Visual Question Answering"
    facts = parse_search(answers[title], title)
    assert [h.key for h in facts.hits] == ["conf/cvpr/ZhangW24", "journals/corr/abs-2306-60006"]
    cvpr = facts.hits[0]
    assert (cvpr.venue, cvpr.year, cvpr.doi) == ("CVPR", 2024, "10.1109/cvpr52733.2024.01234")
    assert parse_search(answers[title], "Another paper entirely").hits == ()


def test_dblp_quirks_one_author_ee_string_venue_list() -> None:
    info = {
        "authors": {"author": {"@pid": "1/2", "text": "Solo Author"}},
        "title": "A Paper.",
        "venue": ["ACL (1)", "ACL"],
        "year": "2019",
        "type": "Conference and Workshop Papers",
        "key": "conf/acl/Author19",
        "ee": "https://doi.org/10.18653/V1/P19-1001",
    }
    facts = parse_search(_dblp_answer({"info": info}), "a paper")
    assert facts.hits == (
        DblpHit(
            key="conf/acl/Author19",
            title="A Paper.",
            venue="ACL (1) / ACL",
            year=2019,
            type="Conference and Workshop Papers",
            ee=("https://doi.org/10.18653/V1/P19-1001",),
        ),
    )


@pytest.mark.parametrize("answer", [{}, {"result": {}}, {"result": {"hits": {"@total": "0"}}}, []])
def test_dblp_without_hits(answer: Any) -> None:
    assert parse_search(answer, "x") == DblpFacts("x", ())


def test_dblp_query_is_the_title_words() -> None:
    assert query_text("ViTune: Tuning Vision-Transformers (ViT) with Frozen Prompts!") == (
        "vitune tuning vision transformers vit with frozen prompts"
    )


# ------------------------------------------------------------------------ OpenReview


def test_openreview_v2_note() -> None:
    answers = _load("openreview_notes.json")["notes"]
    facts = parse_notes(answers["GpX3mTf9Lq"], "GpX3mTf9Lq")
    assert facts == OpenReviewFacts(
        id="GpX3mTf9Lq",
        title="GraphPrompt: Prompting Graph Neural Networks with Learned Motifs",
        venue="ICLR 2024 poster",
        venueid="ICLR.cc/2024/Conference",
        decision="accepted",
    )
    rejected = parse_notes(answers["Fd7kQ2wPzX"], "Fd7kQ2wPzX")
    assert rejected is not None and rejected.decision == "rejected"


def test_openreview_v1_note_has_plain_strings() -> None:
    answer = {
        "notes": [
            {
                "id": "Old123",
                "content": {
                    "title": "T",
                    "venue": "ICLR 2022 Poster",
                    "venueid": "ICLR.cc/2022/Conference",
                },
            }
        ]
    }
    facts = parse_notes(answer, "Old123")
    assert facts is not None and (facts.venue, facts.decision) == ("ICLR 2022 Poster", "accepted")
    assert parse_notes({"notes": []}, "Old123") is None
    assert parse_notes({"error": "x"}, "Old123") is None


@pytest.mark.parametrize(
    ("venue", "venueid", "decision"),
    [
        ("ICLR 2024 oral", "ICLR.cc/2024/Conference", "accepted"),
        ("Submitted to ICLR 2023", "ICLR.cc/2023/Conference/Rejected_Submission", "rejected"),
        ("ICLR 2024 Conference Withdrawn Submission", "ICLR.cc/2024/Conference/Withdrawn_Submission", "withdrawn"),
        ("ICLR 2024 Conference Desk Rejected Submission", "ICLR.cc/2024/Conference/Desk_Rejected_Submission", "desk-rejected"),
        ("Submitted to ICLR 2025", "ICLR.cc/2025/Conference/Submission", "submitted"),
        ("Submitted to ICLR 2022", "ICLR.cc/2022/Conference", "submitted"),
        ("TMLR", "TMLR", "accepted"),
    ],
)  # fmt: skip
def test_openreview_decision(venue: str, venueid: str, decision: str) -> None:
    assert openreview_decision(venue, venueid) == decision


# --------------------------------------------------------------------------- Crossref


def test_crossref_work() -> None:
    answer = _load("crossref_works.json")["works"]["10.18653/v1/2023.emnlp-main.101"]
    assert parse_work(answer) == CrossrefFacts(
        type="proceedings-article",
        title="TabReason: Reasoning over Tables with Program Sketches",
        container="Proceedings of the 2023 Conference on Empirical Methods in Natural Language Processing",
        event="Proceedings of the 2023 Conference on Empirical Methods in Natural Language Processing",
        year=2023,
    )
    assert parse_work({"status": "error"}) == CrossrefFacts(found=False)
    journal = {
        "message": {
            "type": "journal-article",
            "container-title": [],
            "published": {"date-parts": [[2021, 5]]},
        }
    }
    assert parse_work(journal) == CrossrefFacts(type="journal-article", year=2021)


# ----------------------------------------------------------------------------- GitHub


def test_github_repo() -> None:
    repos = _load("github_repos.json")["repos"]
    assert parse_repo(repos["oldnet-lab/oldnet"]) == GithubFacts(
        full_name="oldnet-lab/oldnet", archived=True
    )
    assert parse_repo(repos["someone/coming-soon"]).empty
    fork = {
        **repos["quietlab/quietnet"],
        "fork": True,
        "parent": {"full_name": "upstream/quietnet"},
    }
    assert parse_repo(fork).fork_of == "upstream/quietnet"
    assert parse_repo({"message": "Not Found"}) == GithubFacts(found=False)


# ------------------------------------------------------------------------------ arXiv


def test_arxiv_record_to_facts() -> None:
    from readme_tools.metadata.arxiv import from_record
    from readme_tools.online.arxiv import parse_feed

    from ..online.fakes import atom_feed
    from .fakes import atom_entry, fixture_data

    records = fixture_data().arxiv
    feed = parse_feed(
        atom_feed(
            "q", 2, [atom_entry(records["2303.40004"]), atom_entry(records["2310.20002"])], 2
        ).encode()
    )
    by_id = {r.id: from_record(r) for r in feed.records}
    assert by_id["2303.40004"] == ArxivFacts(
        title="ViTune: Tuning Vision Transformers with Frozen Prompts",
        version=3,
        comment="This paper has been withdrawn by the authors. It is superseded by arXiv:2405.13351",
        withdrawn=True,
        superseded_by="2405.13351",
    )
    assert by_id["2310.20002"].journal_ref == "EMNLP 2023"
    assert by_id["2310.20002"].doi == "10.18653/v1/2023.emnlp-main.101"
    assert from_record(None) == ArxivFacts(found=False)


# -------------------------------------------------------------------------- venue map


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("EMNLP 2023", VenueRef("EMNLP", 2023)),
        ("Accepted at CVPR 2023 (highlight)", VenueRef("CVPR", 2023)),
        ("Proceedings of the 2023 Conference on Empirical Methods in Natural Language Processing", VenueRef("EMNLP", 2023)),
        ("Findings of the Association for Computational Linguistics: EMNLP 2023", VenueRef("EMNLP", 2023, "Findings")),
        ("Neural Information Processing Systems", VenueRef("NeurIPS")),
        ("IEEE/CVF Conference on Computer Vision and Pattern Recognition Workshops", VenueRef("CVPR", None, "Workshop")),
        ("IEEE Transactions on Pattern Analysis and Machine Intelligence 46(3)", VenueRef("TPAMI")),
        ("ICLR'24", VenueRef("ICLR", 2024)),
        ("arXiv.org", VenueRef("arXiv")),
        ("CoRR abs/2306.60006", VenueRef("arXiv")),
        ("Nature Communications 14, 1234 (2023)", None),
        ("Journal of Computer Science and Technology", None),
        ("", None),
    ],
)  # fmt: skip
def test_venue_from_text(text: str, ref: VenueRef | None) -> None:
    assert venue_from_text(text, VOCAB) == ref


@pytest.mark.parametrize(
    ("key", "venue", "ref"),
    [
        ("conf/nips/ChenLW23", "", VenueRef("NeurIPS", 2023)),
        ("conf/nips/ChenLW23a", "NeurIPS", VenueRef("NeurIPS", 2023)),
        ("conf/emnlp/ParkS23", "EMNLP (Findings)", VenueRef("EMNLP", 2023, "Findings")),
        ("conf/cvpr/Smith22w", "CVPR Workshops", VenueRef("CVPR", 2022, "Workshop")),
        ("journals/pami/LiW24", "IEEE Trans. Pattern Anal. Mach. Intell.", VenueRef("TPAMI", 2024)),
        ("journals/corr/abs-2306-60006", "CoRR", VenueRef("arXiv")),
        ("conf/unknownconf/X21", "Some Symposium", None),
    ],
)
def test_venue_from_dblp(key: str, venue: str, ref: VenueRef | None) -> None:
    year = key_year(key)
    assert venue_from_dblp(key, venue, year, VOCAB) == ref


@pytest.mark.parametrize(
    ("venue", "venueid", "ref"),
    [
        ("ICLR 2024 poster", "ICLR.cc/2024/Conference", VenueRef("ICLR", 2024, "Poster")),
        ("NeurIPS 2023 Datasets and Benchmarks Poster", "NeurIPS.cc/2023/Track/Datasets_and_Benchmarks", VenueRef("NeurIPS", 2023, "D&B")),
        ("NeurIPS 2023 Workshop XAIA", "NeurIPS.cc/2023/Workshop/XAIA", VenueRef("NeurIPS", 2023, "Workshop")),
        ("Submitted to ICLR 2023", "ICLR.cc/2023/Conference/Rejected_Submission", VenueRef("ICLR", 2023)),
        ("ECCV 2024", "thecvf.com/ECCV/2024/Conference", VenueRef("ECCV", 2024)),
        ("CoRL 2023 Oral", "robot-learning.org/CoRL/2023/Conference", VenueRef("CoRL", 2023, "Oral")),
        ("Accepted by TMLR", "TMLR", VenueRef("TMLR")),
    ],
)  # fmt: skip
def test_venue_from_openreview(venue: str, venueid: str, ref: VenueRef) -> None:
    assert venue_from_openreview(venue, venueid, VOCAB) == ref


def test_key_year() -> None:
    assert key_year("conf/iclr/X24") == 2024
    assert key_year("conf/nips/KrizhevskySH12") == 2012
    assert key_year("journals/pami/X99b") == 1999
    assert key_year("conf/iclr/NoYear") is None
    assert key_year("journals/corr/abs-2306-60006") is None
    assert key_year("conf/nips/0001LHW23") == 2023  # an author number before the initials
