"""What a pre-commit run loads (#23): the modules a plain lint imports, not how long it takes.

Each test runs a fresh interpreter and reads ``sys.modules`` after the run, so an import added
at the top of a module the lint path reaches shows up here as a failure, with its name.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from ..data import FIXTURES, SEED

CLEAN = FIXTURES / "clean-list" / "synthetic-40.md"

#: Modules (and packages) a lint of a clean file must not import: the formatter and its
#: renderers, mojibake repair and its models, baselines, SARIF, git, the incremental cache,
#: the online checks, the metadata layer, the language server, plugin discovery.
NOT_ON_THE_LINT_PATH = (
    "aiohttp",
    "mdformat",
    "cmarkgfm",
    "ftfy",
    "wcwidth",
    "pygls",
    "wordfreq",
    "jieba",
    "subprocess",
    "importlib.metadata",
    "readme_tools.fmt",
    "readme_tools.mojibake.repair",
    "readme_tools.mojibake.lossless",
    "readme_tools.mojibake.recover",
    "readme_tools.mojibake.models",
    "readme_tools.baseline",
    "readme_tools.sarif",
    "readme_tools.fingerprints",
    "readme_tools.git",
    "readme_tools.incremental",
    "readme_tools.online",
    "readme_tools.metadata",
    "readme_tools.lsp",
    "readme_tools.api",
)


def _loaded_after(
    argv: list[str], entry: str = "readme_tools.cli.lint:main", **env: str
) -> list[str]:
    """The sorted module names after ``entry`` ran with ``argv`` in a fresh interpreter."""
    module, _, name = entry.partition(":")
    code = (
        "import json, sys\n"
        f"sys.argv = {['prog', *argv]!r}\n"
        f"from {module} import {name} as entry\n"
        "try:\n    entry()\nexcept SystemExit:\n    pass\n"
        "sys.stdout.flush()\n"
        "sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules)) + '\\n')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env},
    )
    marker = out.stderr.rindex("MODULES ")
    loaded = json.loads(out.stderr[marker + len("MODULES ") :])
    assert isinstance(loaded, list)
    return loaded


def _under(loaded: list[str], names: tuple[str, ...]) -> list[str]:
    return [m for m in loaded if any(m == n or m.startswith(n + ".") for n in names)]


def test_a_plain_lint_loads_the_parser_and_the_rules_and_nothing_heavy() -> None:
    loaded = _loaded_after([str(CLEAN)])
    assert "markdown_it" in loaded and "click" in loaded
    assert "readme_tools.rules.entries" in loaded and "readme_tools.mojibake.detect" in loaded
    assert _under(loaded, NOT_ON_THE_LINT_PATH) == []


def test_json_output_needs_no_finding_identities() -> None:
    loaded = _loaded_after(["--format", "json", str(SEED)])
    assert _under(loaded, ("readme_tools.baseline", "readme_tools.sarif", "ftfy")) == []


def test_sarif_and_baselines_load_what_they_need(tmp_path: Path) -> None:
    sarif = _loaded_after(["--format", "sarif", str(CLEAN)])
    assert "readme_tools.sarif" in sarif and "readme_tools.baseline" in sarif
    recorded = tmp_path / "baseline.json"
    _loaded_after(["--baseline", str(recorded), "--update-baseline", str(CLEAN)])
    assert recorded.is_file()


def test_the_seed_is_linted_without_importing_ftfy() -> None:
    # Its damaged lines need ftfy's badness heuristic (loaded from ftfy's file alone) and its
    # mis-decoded TOC heading a lossless re-decoding, which needs no ftfy second opinion.
    loaded = _loaded_after(["-q", str(SEED)])
    assert "readme_tools.mojibake.repair" in loaded  # the TOC rule repairs the heading
    assert _under(loaded, ("ftfy", "wcwidth", "readme_tools.mojibake.recover")) == []
    assert _under(loaded, ("importlib.metadata",)) == []


def test_version_loads_neither_click_nor_the_linter() -> None:
    for entry in ("readme_tools.cli:run_lint", "readme_tools.cli:run_fmt"):
        loaded = _loaded_after(["--version"], entry=entry)
        assert _under(loaded, ("click", "readme_tools.cli.lint", "readme_tools.cli.fmt")) == []
        assert _under(loaded, ("readme_tools.engine", "markdown_it")) == []


def test_version_prints_what_click_prints() -> None:
    from readme_tools.cli.fmt import main as fmt_main
    from readme_tools.cli.lint import main as lint_main

    for entry, command in (("run_lint", lint_main), ("run_fmt", fmt_main)):
        code = (
            "import sys\nsys.argv = ['x', '--version']\n"
            f"from readme_tools.cli import {entry}\n{entry}()\n"
        )
        fast = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        click = CliRunner().invoke(command, ["--version"])
        assert (fast.returncode, fast.stdout) == (click.exit_code, click.output)
    # --version with other arguments is click's (it still wins, as an eager option)
    code = "import sys\nsys.argv = ['x', '--version', '-q']\nfrom readme_tools.cli import run_lint\nrun_lint()\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (out.returncode, out.stdout) == (0, "readme-lint, version " + _version() + "\n")


def _version() -> str:
    from readme_tools import __version__

    return __version__


def test_a_declared_plugin_is_loaded_through_importlib_metadata(tmp_path: Path) -> None:
    (tmp_path / "omega_rules.py").write_text(
        "from readme_tools.diagnostics import Problem\n"
        "from readme_tools.registry import Rule\n"
        "def check(doc, ctx):\n    yield Problem(0, 0, 'omega finding')\n"
        "RULES = (Rule('omega-rule', 'Q901', 'warning', False, 'Omega.', 'doc', check),)\n",
        encoding="utf-8",
    )
    info = tmp_path / "omega_rules-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: omega-rules\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[readme_tools.rules]\nomega = omega_rules\n")
    path = os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH", "")]))
    loaded = _loaded_after(["--select", "omega-rule", str(CLEAN)], PYTHONPATH=path)
    assert "importlib.metadata" in loaded and "omega_rules" in loaded


def test_ftfy_badness_loaded_alone_is_ftfy_badness() -> None:
    from ftfy.badness import is_bad

    from readme_tools.mojibake.badness import _badness_alone

    alone = _badness_alone()
    assert alone is not None and alone.__name__ == "readme_tools._ftfy_badness"
    lines = SEED.read_text(encoding="utf-8").splitlines()
    samples = [*lines, "cafÃ©", "â€œquotedâ€\x9d", "Ã¼ber", "naïve café", "中文", "ðŸ“–"]
    assert [alone.is_bad(s) for s in samples] == [is_bad(s) for s in samples]
    assert any(is_bad(s) for s in samples) and not all(is_bad(s) for s in samples)


def _console(*args: str) -> subprocess.CompletedProcess[str]:
    """``readme-lint ARGS`` through its console-script entry point, in a fresh interpreter."""
    code = f"import sys\nsys.argv = {['readme-lint', *args]!r}\nfrom readme_tools.cli import run_lint\nrun_lint()\n"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_the_entry_point_ends_with_the_commands_status_and_all_its_output() -> None:
    from readme_tools.cli.lint import main

    corpus = sorted((FIXTURES.parent / "corpus").glob("*.md"))[:6]
    for args in (
        [str(CLEAN)],
        ["--format", "json", str(SEED)],
        ["--statistics", *map(str, corpus)],
        ["--select", "nope", str(CLEAN)],
        [str(CLEAN), "missing.md"],
    ):
        fast = _console(*args)
        click = CliRunner().invoke(main, args)
        assert fast.returncode == click.exit_code, args
        assert fast.stdout == click.stdout, args
        assert fast.stderr == click.stderr, args
    assert _console(str(CLEAN)).returncode == 0 and _console(str(SEED)).returncode == 1
