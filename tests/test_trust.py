"""The trust boundary of configuration (#26): a repository's config file is untrusted input.

Privileged settings (``[online] allow-private``, ``arxiv-api``, ``github-api``, a ``cache`` path
outside the cache directory) are honoured from the command line, the environment and the
user's own config, and from a repository file only with ``--trust-repo-config``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from readme_tools import registry
from readme_tools.config import (
    ConfigError,
    find_config,
    load_config,
    privileged,
    strip_privileged,
    user_config_path,
)
from readme_tools.online.settings import DEFAULT_ARXIV_API, DEFAULT_GITHUB_API
from readme_tools.rules.online import OnlineOptions

from .conftest import cli_runner
from .online.fakes import ServerThread, link_app

HOSTILE = (
    "[online]\n"
    'github-api = "https://collector.example/"\n'
    'arxiv-api = "http://10.0.0.1/api/query"\n'
    "allow-private = true\n"
    "timeout = 7\n"
)


def user_config(text: str) -> Path:
    path = user_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def clean_user_config() -> object:
    path = user_config_path()
    yield path
    path.unlink(missing_ok=True)


def repo_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / ".readme-tools.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_security_repository_config_cannot_widen_network_or_redirect_the_token(
    tmp_path: Path,
) -> None:
    config = load_config(repo_config(tmp_path, HOSTILE), registry.load())
    options = config.options(OnlineOptions)
    settings = options.settings({"GITHUB_TOKEN": "secret"})
    assert settings.github_api == DEFAULT_GITHUB_API  # the token goes nowhere else
    assert settings.github_token == "secret"
    assert settings.arxiv_api == DEFAULT_ARXIV_API
    assert not settings.allow_private
    assert settings.request_timeout == 7.0  # an ordinary setting is still honoured
    (warning,) = config.warnings
    assert "\n" not in warning
    for key in ("[online] github-api", "[online] arxiv-api", "[online] allow-private"):
        assert key in warning
    assert "--trust-repo-config" in warning and str(user_config_path()) in warning


def test_security_trust_flag_honours_the_repository_config(tmp_path: Path) -> None:
    config = load_config(repo_config(tmp_path, HOSTILE), registry.load(), trust_repo=True)
    settings = config.options(OnlineOptions).settings({})
    assert settings.github_api == "https://collector.example/"
    assert settings.allow_private and config.warnings == ()


def test_security_user_config_is_trusted_and_the_repository_refines_it(
    tmp_path: Path, clean_user_config: Path
) -> None:
    user = user_config(
        '[online]\ngithub-api = "https://ghe.example/api/v3"\nallow-private = true\ntimeout = 3\n'
    )
    repo = repo_config(tmp_path, '[online]\ngithub-api = "https://evil.example/"\ntimeout = 9\n')
    config = load_config(repo, registry.load(), user_config=user)
    settings = config.options(OnlineOptions).settings({})
    assert settings.github_api == "https://ghe.example/api/v3"  # the user's, not the repo's
    assert settings.allow_private
    assert settings.request_timeout == 9.0  # ordinary keys: the repository wins
    assert len(config.warnings) == 1 and "github-api" in config.warnings[0]


def test_security_environment_names_the_api_host(tmp_path: Path) -> None:
    config = load_config(repo_config(tmp_path, HOSTILE), registry.load())
    env = {"README_TOOLS_GITHUB_API": "https://ghe.example/api/v3", "GITHUB_TOKEN": "t"}
    settings = config.options(OnlineOptions).settings(env)
    assert settings.github_api == "https://ghe.example/api/v3"


def test_security_cache_path_only_inside_the_cache_directory(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    config = load_config(repo_config(tmp_path, f'[online]\ncache = "{victim}"\n'), registry.load())
    assert config.options(OnlineOptions).cache is None
    assert "[online] cache" in config.warnings[0]
    from readme_tools.files import cache_dir

    inside = cache_dir() / "project-online.json"
    config = load_config(repo_config(tmp_path, f'[online]\ncache = "{inside}"\n'), registry.load())
    assert config.options(OnlineOptions).cache == str(inside) and config.warnings == ()
    escape = cache_dir() / ".." / "victim.json"
    config = load_config(repo_config(tmp_path, f'[online]\ncache = "{escape}"\n'), registry.load())
    assert config.options(OnlineOptions).cache is None
    relative = load_config(
        repo_config(tmp_path, '[online]\ncache = "README.md"\n'), registry.load()
    )
    assert relative.options(OnlineOptions).cache is None


def test_security_pyproject_table_is_untrusted_too(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.readme-tools.online]\nallow-private = true\n", encoding="utf-8"
    )
    config = load_config(find_config(tmp_path / "README.md"), registry.load())
    assert config.options(OnlineOptions).allow_private is None
    assert config.warnings[0].startswith("[tool.readme-tools] in ")


def test_security_a_bad_privileged_value_is_still_an_error(tmp_path: Path) -> None:
    """Dropping a privileged key never hides a config mistake."""
    with pytest.raises(ConfigError, match="'allow-private' must be true or false"):
        load_config(repo_config(tmp_path, '[online]\nallow-private = "yes"\n'), registry.load())


def test_the_marker_is_reusable_by_any_options_table() -> None:
    """A new option table (e.g. a metadata client's) marks its fields; nothing else to do."""
    from dataclasses import dataclass

    from readme_tools.config import OptionSection

    @dataclass(frozen=True)
    class ClientOptions:
        endpoint: str | None = privileged(None, why="an API host")
        mailto: str | None = None

    sections = {"client": OptionSection("client", ClientOptions)}
    data = {"client": {"endpoint": "http://169.254.169.254/", "mailto": "a@b.c"}}
    kept, dropped = strip_privileged(data, sections)
    assert kept == {"client": {"mailto": "a@b.c"}}
    assert dropped == ["[client] endpoint (an API host)"]


# --------------------------------------------------------------------------- end to end


def lint(*args: str) -> tuple[int, str, str]:
    from readme_tools.cli.lint import main

    result = cli_runner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_security_readme_lint_does_not_fetch_loopback_for_a_repository(
    tmp_path: Path, clean_user_config: Path
) -> None:
    """The exact attack of #26: a pull request adds allow-private and a loopback link."""
    pytest.importorskip("aiohttp")
    victim = tmp_path / "victim.json"
    victim.write_text("precious\n")
    with ServerThread(link_app()) as server:
        readme = tmp_path / "README.md"
        readme.write_text(f"# List\n\n- [A page]({server.url('/ok')})\n", encoding="utf-8")
        repo_config(
            tmp_path, f'[online]\nenabled = true\nallow-private = true\ncache = "{victim}"\n'
        )
        code, out, err = lint("--select", "dead-link", "--format", "json", str(readme))
        assert server.requests == []
        assert "private" in out or "loopback" in out  # reported as not checked
        warnings = [line for line in err.splitlines() if "warning:" in line]
        assert len(warnings) == 1 and "allow-private" in warnings[0]
        assert victim.read_text() == "precious\n"

        code, _, err = lint("--select", "dead-link", "--trust-repo-config", str(readme))
        assert (code, len(server.requests)) == (0, 1) and "warning:" not in err

        victim.write_text("precious\n")
        user_config("[online]\nallow-private = true\n")
        server.requests.clear()
        code, _, err = lint("--select", "dead-link", "--no-cache", str(readme))
        assert (code, len(server.requests)) == (0, 1)  # the user's own config is trusted
        assert victim.read_text() == "precious\n"


def test_security_warning_is_printed_once_per_run(tmp_path: Path) -> None:
    repo_config(tmp_path, "[online]\nallow-private = true\n")
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("# T\n\nText.\n", encoding="utf-8")
    code, _, err = lint(str(tmp_path / "a.md"), str(tmp_path / "b.md"))
    assert code == 0
    assert err.count("warning:") == 1
    assert os.fspath(tmp_path / ".readme-tools.toml") in err
