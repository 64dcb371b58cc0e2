"""The online rules (dead-link N701, arxiv-metadata N702) and their CLI switches.

Everything runs against local fake servers on 127.0.0.1 (tests/online/fakes.py); names are
resolved by a fake resolver, so no test reaches the network.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

from readme_tools import registry
from readme_tools.cli.lint import main
from readme_tools.config import Config
from readme_tools.diagnostics import Diagnostic
from readme_tools.engine import Selection, active_rules, lint_source
from readme_tools.online import OnlineSettings
from readme_tools.online.settings import CONFIG_KEYS
from readme_tools.rules.online import OnlineOptions, OnlineRun
from readme_tools.source import decode

from ..data import SEED

TESTS = Path(__file__).resolve().parent.parent


def _load_fakes() -> ModuleType:
    name = "readme_tools_test_online_fakes"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, TESTS / "online" / "fakes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


fakes = _load_fakes()


@pytest.fixture
def arxiv_api() -> Iterator[Any]:
    with fakes.ServerThread(fakes.arxiv_app()) as srv:
        yield srv


def _settings(*servers: Any, **kw: Any) -> OnlineSettings:
    values: dict[str, Any] = {
        "allow_addresses": tuple(s.address for s in servers),
        "resolver": fakes.fake_resolver({}),
        "per_host_spacing": 0.0,
        "backoff": 0.05,
        "arxiv_interval": 0.05,
        "use_cache": False,
    }
    values.update(kw)
    return OnlineSettings(**values)


def _lint(text: str, settings: OnlineSettings | None, select: tuple[str, ...]) -> list[Diagnostic]:
    reg = registry.load()
    config = Config()
    rules = active_rules(reg, config, Selection(select=select, online=settings is not None))
    source = decode(text.encode("utf-8"), "README.md")
    run = OnlineRun(settings) if settings is not None else None
    return lint_source(source, rules, config, online=run)[1]


def test_online_rules_are_registered_and_only_run_online() -> None:
    reg = registry.load()
    for name, code in (("dead-link", "N701"), ("arxiv-metadata", "N702")):
        rule = reg.get(name)
        assert rule is not None and rule.code == code and rule.online
        assert "Bad:" in rule.doc and "Good:" in rule.doc
    offline = {r.name for r in active_rules(reg, Config(), Selection())}
    assert not offline & {"dead-link", "arxiv-metadata"}
    online = {r.name for r in active_rules(reg, Config(), Selection(online=True))}
    assert {"dead-link", "arxiv-metadata"} <= online


def test_option_table_covers_every_library_setting() -> None:
    keys = {f.name.replace("_", "-") for f in dataclasses.fields(OnlineOptions)}
    assert keys == {*CONFIG_KEYS, "enabled"}


# ------------------------------------------------------------------------- arxiv-metadata


#: An arXiv record whose comment says the paper was withdrawn.
WITHDRAWN = {
    "id": "2401.00002",
    "version": 2,
    "title": "A Withdrawn Study",
    "published": "2024-01-15T12:00:00Z",
    "updated": "2024-02-15T12:00:00Z",
    "comment": "This paper has been withdrawn by the authors",
}


def test_seed_gets_arxiv_metadata_at_line_99_only(arxiv_api: Any) -> None:
    text = SEED.read_text(encoding="utf-8")
    settings = _settings(arxiv_api, arxiv_api=arxiv_api.url("/api/query"))
    found = _lint(text, settings, ("arxiv-metadata",))
    assert [(d.line, d.code, d.severity) for d in found] == [(99, "N702", "warning")]
    assert found[0].message == 'title differs from arXiv 2412.00556: "Multimodel" → "Multimodal"'
    assert len(arxiv_api.requests) == 1  # all 23 ids in one batch


def test_arxiv_metadata_findings(arxiv_api: Any) -> None:
    records = [*fakes.seed_records(), WITHDRAWN]
    doc = """\
# List

- [x] **VisionZip**: Longer is Better but Not Necessary in Vision Language Models. CVPR2023 [Paper](https://arxiv.org/abs/2412.04467)
- [x] **Nullu**: Mitigating Hallucinations via HalluSpace Projection. CVPR2025 [Paper](https://arxiv.org/abs/2406.12718)
- [x] **Ghost**: A Paper That Does Not Exist. CVPR2025 [Paper](https://arxiv.org/abs/2412.99999)
- [x] **Typo**: A Malformed Identifier. CVPR2025 [Paper](https://arxiv.org/pdf/2412.0055.pdf)
- [x] **Gone**: A Withdrawn Study. ICLR2024 [Paper](https://arxiv.org/abs/2401.00002v1)
"""
    with fakes.ServerThread(fakes.arxiv_app(records)) as api:
        settings = _settings(api, arxiv_api=api.url("/api/query"))
        found = _lint(doc, settings, ("arxiv-metadata",))
    got = [(d.line, d.severity, d.message) for d in found]
    assert got == [
        (
            3,
            "warning",
            "venue year 2023 is earlier than the arXiv id 2412.04467 (submitted 2024-12)",
        ),
        (
            4,
            "error",
            'title does not match arXiv 2406.12718 ("AGLA: Mitigating Object Hallucinations in '
            'Large Vision-Language Models with Assembly of Global and Local Attention"): link '
            "probably points to another paper",
        ),
        (5, "error", "arXiv 2412.99999: no such paper on arXiv"),
        (
            6,
            "error",
            "arXiv 2412.0055: not a valid arXiv identifier: '2412.0055' (ids from 1501 on "
            "have a 5-digit number; 2412.0055 has 4)",
        ),
        (
            7,
            "warning",
            "arXiv 2401.00002v1 has been withdrawn (v2): This paper has been withdrawn by the "
            "authors",
        ),
    ]


def test_a_withdrawal_is_left_to_withdrawn_paper_when_it_runs(arxiv_api: Any) -> None:
    """One defect, one finding: with P803 in the run, N702 does not report the withdrawal."""
    from readme_tools.context import Context
    from readme_tools.parse import parse
    from readme_tools.style import infer_style

    records = [WITHDRAWN]
    doc_text = (
        "- [x] **Gone**: A Withdrawn Study. ICLR2024 [Paper](https://arxiv.org/abs/2401.00002)\n"
    )
    rule = registry.load().get("arxiv-metadata")
    assert rule is not None
    doc = parse(decode(doc_text.encode("utf-8"), "README.md"))
    with fakes.ServerThread(fakes.arxiv_app(records)) as api:
        run = OnlineRun(_settings(api, arxiv_api=api.url("/api/query")))
        found = {}
        for names in (
            frozenset({"arxiv-metadata"}),
            frozenset({"arxiv-metadata", "withdrawn-paper"}),
        ):
            ctx = Context(Config(), infer_style(doc, Config()), online=run, rules=names)
            found[names] = [p.message for p in rule.check(doc, ctx)]
    alone, both = found.values()
    assert alone == [
        "arXiv 2401.00002 has been withdrawn (v2): This paper has been withdrawn by the authors"
    ]
    assert both == []


def test_unreachable_arxiv_api_gives_one_warning_not_false_errors() -> None:
    doc = """\
- [x] **A**: Learning to Evaluate Multimodal Models. CVPR2025 [Paper](https://arxiv.org/abs/2410.02712)
- [x] **B**: Something Else. CVPR2025 [Paper](https://arxiv.org/abs/2408.04594)
"""
    settings = _settings(arxiv_api="http://10.255.255.1/api/query")  # refused by policy
    found = _lint(doc, settings, ("arxiv-metadata",))
    assert [(d.line, d.severity) for d in found] == [(1, "warning")]
    assert found[0].message.startswith("could not look up 2 arXiv ids: arXiv API unreachable")


# ------------------------------------------------------------------------------ dead-link


def test_dead_link_severities(arxiv_api: Any) -> None:
    with fakes.ServerThread(fakes.link_app()) as srv:
        doc = f"""\
# List

- [x] **A**: Alive. CVPR2025 [Paper]({srv.url("/ok")}) [Code]({srv.url("/status/404")})
- [x] **B**: Gone. CVPR2025 [Paper]({srv.url("/status/410")}) [Page]({srv.url("/cloudflare")})
- [x] **C**: Internal. CVPR2025 [Paper](http://169.254.169.254/latest/) [Code](https://no-such.example/x)
- [x] **D**: On arXiv. CVPR2025 [Paper](https://arxiv.org/abs/2412.04467) [Rel](#list)
"""
        found = _lint(doc, _settings(srv), ("dead-link",))
    got = [(d.line, d.code, d.severity, d.message.split(":")[0]) for d in found]
    assert got == [
        (3, "N701", "error", "dead link"),
        (4, "N701", "error", "dead link"),
        (4, "N701", "warning", "link could not be verified"),
        (5, "N701", "warning", "link not checked"),
        (5, "N701", "error", "dead link"),
    ]
    assert found[0].message == "dead link: HTTP 404"
    assert "169.254.169.254 is a link-local address" in found[3].message
    # arXiv paper links are left to arxiv-metadata; anchors are not fetched.
    assert not any(d.line == 6 for d in found)


def test_online_rules_do_nothing_without_online_settings() -> None:
    doc = "- [x] **A**: T. CVPR2025 [Paper](http://169.254.169.254/x)\n"
    reg = registry.load()
    config = Config()
    rules = [r for r in reg.rules if r.online]
    source = decode(doc.encode(), "README.md")
    assert lint_source(source, rules, config, online=None)[1] == []


def test_progress_sink_receives_both_phases(arxiv_api: Any) -> None:
    calls: list[tuple[str, int, int]] = []
    text = SEED.read_text(encoding="utf-8")
    settings = _settings(arxiv_api, arxiv_api=arxiv_api.url("/api/query"))
    reg = registry.load()
    rules = active_rules(reg, Config(), Selection(select=("arxiv-metadata",), online=True))
    run = OnlineRun(settings, lambda label, done, total: calls.append((label, done, total)))
    lint_source(decode(text.encode(), "README.md"), rules, Config(), online=run)
    assert calls[0] == ("arXiv", 0, 23) and calls[-1] == ("arXiv", 23, 23)


# -------------------------------------------------------------------------------- the CLI


def test_cli_online_flag(arxiv_api: Any, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"README_TOOLS_ARXIV_API": arxiv_api.url("/api/query")}
    args = ["--select", "arxiv-metadata", "--cache", str(tmp_path / "c.json"), str(SEED)]
    offline = runner.invoke(main, args, env=env)
    assert offline.exit_code == 0 and "N702" not in offline.output
    assert arxiv_api.requests == []
    # Loopback is refused unless --allow-private.
    refused = runner.invoke(main, ["--online", *args], env=env)
    assert "could not look up 23 arXiv ids" in refused.output
    assert arxiv_api.requests == []
    online = runner.invoke(main, ["--online", "--allow-private", *args], env=env)
    assert online.exit_code == 0, online.output
    lines = [line for line in online.output.splitlines() if "N702" in line]
    assert len(lines) == 1 and ":99:" in lines[0]
    assert "Multimodel" in lines[0]
    assert (tmp_path / "c.json").is_file()


def test_cli_config_enables_and_offline_wins(arxiv_api: Any, tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / ".readme-tools.toml").write_text(
        f"""\
select = ["arxiv-metadata"]

[online]
enabled = true
allow-private = true
arxiv-api = "{arxiv_api.url("/api/query")}"
arxiv-interval = 0.05
cache = "{tmp_path / "cache.json"}"
""",
        encoding="utf-8",
    )
    runner = CliRunner()
    # allow-private, arxiv-api and cache are privileged: honoured from this repository's own
    # config only with --trust-repo-config (without it, see tests/test_trust.py).
    result = runner.invoke(main, ["--trust-repo-config", str(readme)])
    assert result.exit_code == 0, result.output
    assert ":99:" in result.output and "N702" in result.output
    requests = len(arxiv_api.requests)
    assert requests == 1
    forced = runner.invoke(main, ["--offline", str(readme)])
    assert forced.exit_code == 0 and "N702" not in forced.output
    assert len(arxiv_api.requests) == requests


def test_cli_rejects_bad_online_config(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# x\n", encoding="utf-8")
    config = tmp_path / ".readme-tools.toml"
    config.write_text('[online]\narxiv-api = "ftp://nope"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--online", "--trust-repo-config", str(readme)])
    assert result.exit_code == 2
    assert "arxiv_api must be an http(s) URL" in result.output
    config.write_text("[online]\narxiv_url = 1\n", encoding="utf-8")
    result = CliRunner().invoke(main, [str(readme)])
    assert result.exit_code == 2 and "unknown key 'arxiv_url'" in result.output


def test_cli_explains_missing_aiohttp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import importlib.util as util

    readme = tmp_path / "README.md"
    readme.write_text("# x\n", encoding="utf-8")
    real = util.find_spec
    monkeypatch.setattr(util, "find_spec", lambda n, *a: None if n == "aiohttp" else real(n, *a))
    result = CliRunner().invoke(main, ["--online", str(readme)])
    assert result.exit_code == 2
    assert "-m pip install 'aiohttp>=3.10' (the online extra)" in result.output


def test_progress_bars_open_per_phase_and_close() -> None:
    from readme_tools.cli.lint import _ProgressBars

    bars = _ProgressBars()
    for done in range(4):
        bars("links", done, 3)
    assert bars._bar is None  # closed when done == total
    bars("arXiv", 0, 2)
    assert bars._bar is not None
    bars.close()
    assert bars._bar is None
