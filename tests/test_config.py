from __future__ import annotations

from pathlib import Path

import pytest

from readme_tools import registry
from readme_tools.config import ConfigError, EntryOptions, TocOptions, find_config, load_config
from readme_tools.venues import VenueOptions


def test_pyproject_table_is_found_by_walking_up(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.readme-tools]\nignore = ["bold-name"]\n[tool.readme-tools.toc]\nheadings = ["Index"]\n'
    )
    nested = tmp_path / "docs" / "a"
    nested.mkdir(parents=True)
    found = find_config(nested / "README.md")
    assert found == tmp_path / "pyproject.toml"
    config = load_config(found, registry.load())
    assert config.ignore == ("bold-name",)
    assert config.options(TocOptions).headings == ("Index",)
    assert config.options(EntryOptions) == EntryOptions()


def test_pyproject_without_our_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find_config(tmp_path / "README.md") is None


def test_dotfile_wins_and_rule_sections_are_typed(tmp_path: Path) -> None:
    (tmp_path / ".readme-tools.toml").write_text(
        '[venues]\nextra = ["MyConf"]\naliases = { MC = "MyConf" }\nfirst-year = 2000\n'
        '[severity]\nbold-name = "error"\n'
    )
    config = load_config(find_config(tmp_path / "x.md"), registry.load())
    assert config.options(VenueOptions) == VenueOptions(
        extra=("MyConf",), aliases={"MC": "MyConf"}, first_year=2000
    )
    assert config.severity == {"bold-name": "error"}


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("colour = 1\n", "unknown key 'colour'"),
        ("[venues]\nextras = []\n", "unknown key 'extras'"),
        ('select = ["no-such-rule"]\n', "unknown rule 'no-such-rule'"),
        ('[severity]\nbold-name = "fatal"\n', "must be 'error' or 'warning'"),
        ("[venues]\nfirst-year = 'x'\n", "wrong type"),
        ("[toc\n", "invalid TOML"),
    ],
)
def test_bad_config_is_a_one_line_error(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / ".readme-tools.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError, match=message) as info:
        load_config(path, registry.load())
    assert "\n" not in str(info.value).strip()
