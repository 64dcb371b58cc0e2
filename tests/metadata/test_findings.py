"""Evidence and findings, one case at a time (entries parsed from one-line lists)."""

from __future__ import annotations

import datetime

import pytest

from readme_tools.config import Config
from readme_tools.diagnostics import apply_edits
from readme_tools.engine import lint_source
from readme_tools.identifiers import Identifier
from readme_tools.metadata.evidence import PaperFacts, published, superseded_by
from readme_tools.metadata.facts import (
    ArxivFacts,
    CrossrefFacts,
    DblpHit,
    GithubFacts,
    OpenReviewFacts,
    S2Facts,
)
from readme_tools.metadata.findings import repository, venue_claim, venue_update, withdrawn
from readme_tools.metadata.targets import entry_repos
from readme_tools.model import Document, Entry
from readme_tools.source import decode
from readme_tools.venues import parse_venue, vocabulary

VOCAB = vocabulary()
TODAY = datetime.date(2025, 6, 1)
URL = "https://arxiv.org/abs/2305.10001"


def _doc(line: str) -> Document:
    text = f"# List\n\n## Papers\n\n{line}\n"
    doc, _ = lint_source(decode(text.encode(), "list.md"), [], Config())
    return doc


def _entry(venue: str, tail: str = f"[Paper]({URL})") -> tuple[Document, Entry]:
    doc = _doc(f"- [x] **X**: A Title. {venue} {tail}".replace("  ", " "))
    assert len(doc.entries) == 1
    return doc, doc.entries[0]


def _s2(dblp: str = "", venue: str = "", year: int = 0, doi: str = "") -> S2Facts:
    ids = {k: v for k, v in (("DBLP", dblp), ("DOI", doi)) if v}
    return S2Facts(paper_id="p1", venue=venue, year=year, external_ids=ids)


def _note(venue: str, venueid: str, decision: str) -> OpenReviewFacts:
    return OpenReviewFacts(id="N1", venue=venue, venueid=venueid, decision=decision)


def _fix(doc: Document, problem: object) -> str | None:
    fix = getattr(problem, "fix", None)
    if fix is None:
        return None
    return apply_edits(doc.source.text, fix.edits).splitlines()[4]


# ----------------------------------------------------------------------- venue-update


@pytest.mark.parametrize(
    ("written", "ref_facts", "wanted"),
    [
        ("arXiv2024", _s2("conf/nips/X24"), "NeurIPS2024"),
        ("Arxiv 2023", _s2("conf/emnlp/X23"), "EMNLP 2023"),
        ("arXiv'23", _s2("conf/iclr/X24"), "ICLR'24"),
        ("arXiv-2023", _s2("conf/cvpr/X23"), "CVPR-2023"),
        ("arXiv2023", _s2("conf/emnlp/X23", "EMNLP (Findings)"), "EMNLP2023 Findings"),
        ("Preprint", _s2("conf/icml/X23"), "ICML2023"),
        ("arXiv2023", _s2("conf/mm/X23"), "ACM MM 2023"),
    ],
)
def test_venue_update_in_the_entrys_own_style(
    written: str, ref_facts: S2Facts, wanted: str
) -> None:
    doc, entry = _entry(written)
    tag = parse_venue(entry.venue or "", VOCAB)
    problem = venue_update(
        entry, tag, PaperFacts(arxiv_ids=("2305.10001",), s2=[ref_facts]), VOCAB, ""
    )
    assert problem is not None and problem.fix is not None
    assert _fix(doc, problem) == f"- [x] **X**: A Title. {wanted} [Paper]({URL})"
    assert f"write {wanted!r} instead of {written!r}" in problem.message


def test_findings_track_from_the_acl_anthology_id() -> None:
    doc, entry = _entry("arXiv2023")
    s2 = S2Facts(external_ids={"DBLP": "conf/emnlp/X23", "ACL": "2023.findings-emnlp.12"})
    problem = venue_update(entry, parse_venue("arXiv2023", VOCAB), PaperFacts(s2=[s2]), VOCAB, "")
    assert (
        problem is not None
        and _fix(doc, problem) == f"- [x] **X**: A Title. EMNLP2023 Findings [Paper]({URL})"
    )


def test_findings_track_is_written() -> None:
    doc, entry = _entry("arXiv2023")
    facts = PaperFacts(
        crossref=[
            (
                "10.1/x",
                CrossrefFacts(
                    container="Findings of the Association for Computational Linguistics: EMNLP 2023",
                    year=2023,
                ),
            )
        ]
    )
    problem = venue_update(entry, parse_venue("arXiv2023", VOCAB), facts, VOCAB, "")
    assert (
        problem is not None
        and _fix(doc, problem) == f"- [x] **X**: A Title. EMNLP2023 Findings [Paper]({URL})"
    )


def test_house_separator_for_a_tag_without_year() -> None:
    doc, entry = _entry("arXiv")
    problem = venue_update(
        entry, parse_venue("arXiv", VOCAB), PaperFacts(s2=[_s2("conf/cvpr/X24")]), VOCAB, " "
    )
    assert (
        problem is not None
        and _fix(doc, problem) == f"- [x] **X**: A Title. CVPR 2024 [Paper]({URL})"
    )


def test_sources_that_disagree_are_reported_not_fixed() -> None:
    _, entry = _entry("arXiv2023")
    facts = PaperFacts(
        s2=[_s2("conf/nips/X23")],
        openreview=[_note("ICLR 2024 poster", "ICLR.cc/2024/Conference", "accepted")],
    )
    problem = venue_update(entry, parse_venue("arXiv2023", VOCAB), facts, VOCAB, "")
    assert problem is not None and problem.fix is None
    assert problem.message.startswith("published, but the sources disagree where: ")
    assert (
        "NeurIPS 2023 (dblp (via Semantic Scholar): https://dblp.org/rec/conf/nips/X23)"
        in problem.message
    )
    assert "ICLR 2024 (OpenReview: https://openreview.net/forum?id=N1)" in problem.message


def test_agreeing_sources_with_and_without_year_are_one() -> None:
    doc, entry = _entry("arXiv2023")
    facts = PaperFacts(s2=[_s2("conf/nips/X23"), _s2(venue="NeurIPS")])
    problem = venue_update(entry, parse_venue("arXiv2023", VOCAB), facts, VOCAB, "")
    assert problem is not None and "NeurIPS2023" in (_fix(doc, problem) or "")


def test_an_untagged_entry_is_reported_without_fix() -> None:
    _, entry = _entry("")
    problem = venue_update(entry, None, PaperFacts(s2=[_s2("conf/cvpr/X24")]), VOCAB, "")
    assert problem is not None and problem.fix is None
    assert problem.message.endswith("but the entry has no venue tag: add it")


def test_preprint_evidence_is_no_evidence() -> None:
    _, entry = _entry("arXiv2023")
    facts = PaperFacts(
        s2=[_s2("journals/corr/abs-2305-10001", "arXiv.org", 2023)],
        dblp=[
            DblpHit(
                key="journals/corr/abs-2305-10001", title="X: A Title.", venue="CoRR", year=2023
            )
        ],
        arxiv=[("2305.10001", ArxivFacts(journal_ref="arXiv preprint"))],
    )
    assert published(facts, VOCAB) == []
    assert venue_update(entry, parse_venue("arXiv2023", VOCAB), facts, VOCAB, "") is None


@pytest.mark.parametrize(
    ("hit", "strong"),
    [
        (DblpHit(key="conf/cvpr/Z24", title="t", venue="CVPR", year=2024), False),
        (DblpHit(key="conf/cvpr/Z24", title="t", venue="CVPR", year=2024, doi="10.1109/x.1"), True),
        (
            DblpHit(
                key="conf/cvpr/Z24",
                title="t",
                venue="CVPR",
                year=2024,
                ee=("https://arxiv.org/abs/2305.10001",),
            ),
            True,
        ),
        (DblpHit(key="conf/cvpr/K24", title="t", venue="CVPR", year=2024), True),
    ],
)
def test_a_dblp_hit_is_strong_only_when_an_identifier_links_it(hit: DblpHit, strong: bool) -> None:
    facts = PaperFacts(arxiv_ids=("2305.10001",), s2=[_s2(doi="10.1109/X.1")], dblp=[hit])
    if hit.key == "conf/cvpr/K24":
        facts.s2 = [_s2("conf/cvpr/K24")]
    evidence = [e for e in published(facts, VOCAB) if e.source == "dblp"]
    assert [e.strong for e in evidence] == [strong]


# ------------------------------------------------------------------------ venue-claim


def _claim(written: str, facts: PaperFacts) -> str | None:
    _, entry = _entry(written)
    tag = parse_venue(written, VOCAB)
    assert tag is not None
    problem = venue_claim(entry, tag, facts, VOCAB, TODAY)
    return None if problem is None else problem.message


def test_claim_matching_the_evidence_is_fine() -> None:
    accepted = PaperFacts(
        openreview=[_note("ICLR 2024 oral", "ICLR.cc/2024/Conference", "accepted")]
    )
    assert _claim("ICLR2024", accepted) is None  # the presentation does not matter
    assert _claim("ICLR2024 Oral", accepted) is None
    workshop = PaperFacts(s2=[_s2("conf/cvpr/X23w", "CVPR Workshops")])
    assert _claim("CVPR2023 Workshop", workshop) is None


def test_rejected_at_the_claimed_venue() -> None:
    facts = PaperFacts(
        openreview=[
            _note(
                "Submitted to ICLR 2023", "ICLR.cc/2023/Conference/Rejected_Submission", "rejected"
            )
        ],
        s2=[_s2("conf/nips/X23")],
    )
    assert _claim("ICLR2023", facts) == (
        "'ICLR2023' is contradicted by OpenReview: the paper was rejected at ICLR 2023 "
        '("Submitted to ICLR 2023", https://openreview.net/forum?id=N1); it was published at '
        "NeurIPS 2023 (dblp (via Semantic Scholar): https://dblp.org/rec/conf/nips/X23)"
    )
    assert _claim("NeurIPS2023", facts) is None  # the venue it was published at


def test_not_accepted_in_an_earlier_year_but_under_review_this_year() -> None:
    old = PaperFacts(
        openreview=[_note("Submitted to ICLR 2022", "ICLR.cc/2022/Conference", "submitted")]
    )
    message = _claim("ICLR2022", old)
    assert message is not None and "submitted but not accepted at ICLR 2022" in message
    current = PaperFacts(
        openreview=[
            _note("Submitted to ICLR 2025", "ICLR.cc/2025/Conference/Submission", "submitted")
        ]
    )
    assert _claim("ICLR2025", current) is None


def test_workshop_written_as_the_main_conference() -> None:
    facts = PaperFacts(
        openreview=[
            _note("NeurIPS 2023 Workshop XAIA", "NeurIPS.cc/2023/Workshop/XAIA", "accepted")
        ]
    )
    message = _claim("NeurIPS2023", facts)
    assert message == (
        "'NeurIPS2023' names the main conference, but the paper is in a workshop at NeurIPS 2023 "
        "(OpenReview: https://openreview.net/forum?id=N1)"
    )


def test_year_off_by_one() -> None:
    facts = PaperFacts(s2=[_s2("conf/cvpr/X24")])
    assert _claim("CVPR2023", facts) == (
        "year of 'CVPR2023' is off by one: the paper is at CVPR 2024 "
        "(dblp (via Semantic Scholar): https://dblp.org/rec/conf/cvpr/X24)"
    )


def test_another_venue() -> None:
    facts = PaperFacts(s2=[_s2("conf/icra/X24")])
    assert _claim("ICLR2024", facts) == (
        "'ICLR2024' is contradicted by the evidence: the paper was published at ICRA 2024 "
        "(dblp (via Semantic Scholar): https://dblp.org/rec/conf/icra/X24)"
    )


def test_title_only_evidence_makes_no_claim() -> None:
    facts = PaperFacts(
        dblp=[DblpHit(key="conf/icra/X24", title="X: A Title.", venue="ICRA", year=2024)]
    )
    assert _claim("ICLR2024", facts) is None


def test_no_evidence_no_claim() -> None:
    assert _claim("CVPR2024", PaperFacts()) is None


# -------------------------------------------------------------------- withdrawn-paper


@pytest.mark.parametrize(
    ("comment", "successor"),
    [
        ("This paper has been withdrawn. Superseded by arXiv:2405.13351", "2405.13351"),
        ("withdrawn; superseded by https://arxiv.org/abs/2405.13351v2", "2405.13351"),
        ("This paper has been replaced by 2405.13351", "2405.13351"),
        ("This version is superseded by hep-th/9901001", "hep-th/9901001"),
        ("Accepted at CVPR; 10 pages", ""),
        ("we replaced by hand 2405.13351", ""),
    ],
)
def test_superseded_by(comment: str, successor: str) -> None:
    assert superseded_by(comment) == successor


def test_withdrawn_without_successor_quotes_the_comment() -> None:
    doc, entry = _entry("arXiv2023")
    link = entry.links[0]
    facts = ArxivFacts(version=2, withdrawn=True, comment="Withdrawn: an error in Lemma 3")
    problem = withdrawn(link, Identifier("arxiv", "2305.10001"), facts)
    assert problem is not None
    assert (
        problem.message
        == "arXiv 2305.10001 has been withdrawn (v2) (comment: 'Withdrawn: an error in Lemma 3')"
    )
    assert doc.source.text[problem.start : problem.end] == URL
    assert withdrawn(link, Identifier("arxiv", "2305.10001"), ArxivFacts(version=2)) is None


# -------------------------------------------------------------------- code-repository


def _repo(url: str, facts: GithubFacts) -> tuple[Document, list[object]]:
    doc, entry = _entry("CVPR2024", f"[Paper]({URL}) [Code]({url})")
    ((link, repo),) = entry_repos(entry)
    return doc, list(repository(doc.source, link, repo, facts))


def test_a_missing_repository_is_an_error() -> None:
    _, problems = _repo("https://github.com/a/b", GithubFacts(found=False))
    assert [(getattr(p, "severity", None), getattr(p, "message", "")[:32]) for p in problems] == [
        ("error", "repository a/b does not exist (G")
    ]


def test_a_moved_repository_keeps_the_rest_of_the_url() -> None:
    doc, problems = _repo(
        "https://github.com/Old/Repo/tree/main/src#usage", GithubFacts(full_name="new-org/repo")
    )
    assert len(problems) == 1
    assert _fix(doc, problems[0]) == (
        f"- [x] **X**: A Title. CVPR2024 [Paper]({URL}) [Code](https://github.com/new-org/repo/tree/main/src#usage)"
    )


def test_case_only_differences_are_not_a_move() -> None:
    _, problems = _repo("https://github.com/owner/REPO", GithubFacts(full_name="Owner/repo"))
    assert problems == []


def test_a_fork_and_an_archived_repository() -> None:
    _, problems = _repo(
        "https://github.com/me/x", GithubFacts(full_name="me/x", archived=True, fork_of="up/x")
    )
    messages = [getattr(p, "message", "") for p in problems]
    assert messages == [
        "repository me/x is archived (read-only, no longer maintained)",
        "repository me/x is a fork of up/x: link the original unless this fork is the paper's code",
    ]
