"""What kind of target a link label promises, and which hosts serve which kind.

``[Code]`` promises code, ``[Paper]`` a paper, ``[Page]`` a project page (:data:`DEFAULT_LABELS`);
:data:`DEFAULT_HOSTS` lists the hosts that serve code and papers (a host entry may carry a path
prefix, ``huggingface.co/papers``). The ``link-label`` rule reports only certain
contradictions: a ``[Paper]`` on a source repository (:data:`REPOSITORY_HOSTS`), a ``[Code]``
on a blog (:data:`BLOG_HOSTS`), a paper host or a project page; it is extended by
``[tool.readme-tools.link-label]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

__all__ = [
    "BLOG_HOSTS",
    "DEFAULT_HOSTS",
    "DEFAULT_LABELS",
    "HOST_LABELS",
    "REPOSITORY_HOSTS",
    "LabelKind",
]

LabelKind = Literal["code", "paper", "page", "any"]

DEFAULT_LABELS: Mapping[str, LabelKind] = {
    **dict.fromkeys(
        ("code", "codes", "github", "gitlab", "repo", "repository", "source code",
         "official code", "official repo", "official implementation", "implementation"),
        "code",
    ),
    **dict.fromkeys(
        ("paper", "pdf", "arxiv", "paper link", "full paper", "preprint"),
        "paper",
    ),
    **dict.fromkeys(
        ("page", "project", "project page", "projectpage", "homepage", "home page", "website",
         "webpage", "web page", "project website", "project site"),
        "page",
    ),
}  # fmt: skip

DEFAULT_HOSTS: Mapping[str, tuple[str, ...]] = {
    "code": (
        "github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "hf.co", "codeberg.org",
        "gitee.com", "sourceforge.net", "gist.github.com", "colab.research.google.com",
        "kaggle.com", "anonymous.4open.science", "modelscope.cn", "pypi.org", "npmjs.com",
        "git.io", "paperswithcode.com", "codalab.org", "replicate.com", "openi.pcl.ac.cn",
        "zenodo.org", "git.sr.ht", "code.google.com",
    ),
    "paper": (
        "arxiv.org", "openreview.net", "doi.org", "dx.doi.org", "aclanthology.org",
        "aclweb.org", "openaccess.thecvf.com", "proceedings.neurips.cc", "papers.nips.cc",
        "papers.neurips.cc", "neurips.cc", "proceedings.mlr.press", "jmlr.org", "dl.acm.org",
        "ieeexplore.ieee.org", "link.springer.com", "sciencedirect.com", "nature.com",
        "science.org", "ojs.aaai.org", "aaai.org", "ijcai.org", "semanticscholar.org",
        "researchgate.net", "huggingface.co/papers", "alphaxiv.org", "biorxiv.org",
        "medrxiv.org", "ecva.net", "usenix.org", "mlsys.org", "vldb.org", "pnas.org",
        "cell.com", "iopscience.iop.org", "journals.aps.org", "onlinelibrary.wiley.com",
        "tandfonline.com", "mdpi.com", "frontiersin.org", "academic.oup.com", "cambridge.org",
        "ssrn.com", "papers.ssrn.com", "pubmed.ncbi.nlm.nih.gov", "ncbi.nlm.nih.gov",
        "paperswithcode.com/paper", "scholar.google.com", "computer.org", "isca-speech.org",
        "jair.org", "transacl.org", "direct.mit.edu", "aclanthology.info", "bmva.org",
        "roboticsproceedings.org", "siggraph.org", "eccv.ecva.net",
    ),
}  # fmt: skip

# Where a [Paper] label certainly does not belong: source repositories.
REPOSITORY_HOSTS = (
    ("github.com", ""), ("gitlab.com", ""), ("bitbucket.org", ""), ("gitee.com", ""),
    ("codeberg.org", ""), ("sourceforge.net", ""), ("git.sr.ht", ""),
)  # fmt: skip
# Blogs: where a [Code] label certainly does not belong.
BLOG_HOSTS = (
    ("medium.com", ""), ("substack.com", ""), ("zhuanlan.zhihu.com", ""), ("mp.weixin.qq.com", ""),
    ("towardsdatascience.com", ""), ("wordpress.com", ""), ("blogspot.com", ""),
    ("hashnode.dev", ""), ("dev.to", ""),
)  # fmt: skip
# Labels that name a host ([Github], [GitLab]): any file there, a PDF included, is fine.
HOST_LABELS = {"github": "github.com", "gitlab": "gitlab.com", "gitee": "gitee.com"}
