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
        ('[severity]\nbold-name = "fatal"\n', "values from 'error', 'warning'"),
        ("[venues]\nfirst-year = 'x'\n", r"'first-year' must be an integer, got a string \('x'\)"),
        ("[toc\n", "invalid TOML"),
    ],
)
def test_bad_config_is_a_one_line_error(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / ".readme-tools.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError, match=message) as info:
        load_config(path, registry.load())
    assert "\n" not in str(info.value).strip()


# --------------------------------------------------------------------------- typed validation


def load(tmp_path: Path, toml: str, name: str = ".readme-tools.toml") -> object:
    (tmp_path / name).write_text(toml)
    return load_config(find_config(tmp_path / "x.md"), registry.load())


def test_invalid_pyproject_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    """A broken pyproject.toml is never skipped in favour of a parent's config."""
    (tmp_path / "pyproject.toml").write_text('[tool.readme-tools]\nignore = ["bold-name"]\n')
    child = tmp_path / "child"
    child.mkdir()
    (child / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.readme-tools\n')
    with pytest.raises(ConfigError) as info:
        find_config(child / "README.md")
    message = str(info.value)
    assert message.startswith(f"{child / 'pyproject.toml'}: invalid TOML")
    assert "line 4" in message and "\n" not in message


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (
            '[entry]\ncheckbox = "requird"\n',
            "[entry]: 'checkbox' must be one of 'auto', 'required', 'forbidden', "
            "got a string ('requird')",
        ),
        (
            '[entry]\nbold-name = "requierd"\n',
            "[entry]: 'bold-name' must be one of 'auto', 'required', 'optional'",
        ),
        (
            '[format]\nmarkdown = "mdformatt"\n',
            "[format]: 'markdown' must be one of 'mdformat', 'none'",
        ),
        (
            '[toc]\nheadings = "toc"\n',
            "[toc]: 'headings' must be a list of strings, got a string ('toc')",
        ),
        (
            '[venues]\nextra = "MyConf"\n',
            "[venues]: 'extra' must be a list of strings, got a string ('MyConf')",
        ),
        ("[toc]\nmin-level = true\n", "'min-level' must be an integer, got a boolean (true)"),
        (
            '[toc]\nexclude = ["a", 3]\n',
            "'exclude' must be a list of strings; item 2 is an integer",
        ),
        ("[arxiv]\nkeep-version = 1\n", "'keep-version' must be true or false, got an integer"),
        ('[link-label]\nhosts = { code = "x.org" }\n', "key 'code' is a string ('x.org')"),
        ("[duplicates]\ncross-section-share = 'a'\n", "must be a number, got a string"),
        ('summary-language = ["en"]\n', "'summary-language' must be a string, got a list"),
        ('toc = "x"\n', "'toc' must be a table ([toc]), got a string ('x')"),
        (
            'select = ["venu-tag"]\n',
            "unknown rule 'venu-tag' in 'select' (did you mean 'venue-tag'?)",
        ),
        ("[entry]\nbold-nam = 'auto'\n", "unknown key 'bold-nam' (did you mean 'bold-name'?)"),
    ],
)
def test_every_choice_and_type_is_checked(tmp_path: Path, toml: str, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        load(tmp_path, toml)
    message = str(info.value)
    assert message.startswith(str(tmp_path / ".readme-tools.toml"))
    assert expected in message and "\n" not in message


def test_typed_values_are_converted(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        '[toc]\nheadings = ["Index"]\nmin-level = 2\n[duplicates]\ncross-section-share = 1\n'
        '[entry]\ncheckbox = "forbidden"\n',
    )
    from readme_tools.rules.duplicates import DuplicateOptions

    assert config.options(TocOptions).headings == ("Index",)  # type: ignore[attr-defined]
    share = config.options(DuplicateOptions).cross_section_share  # type: ignore[attr-defined]
    assert share == 1.0 and isinstance(share, float)
    assert config.options(EntryOptions).checkbox == "forbidden"  # type: ignore[attr-defined]


LIST_WITH_BOXES = "# Papers\n\n" + "".join(
    f"- [x] **M{i}**: Title {i}. CVPR2024 [Paper](https://arxiv.org/abs/2401.0000{i})\n"
    for i in range(1, 5)
)


def test_checkbox_forbidden_reports_every_checkbox() -> None:
    from .conftest import findings

    assert findings(LIST_WITH_BOXES, "checkbox") == []
    found = findings(LIST_WITH_BOXES, "checkbox", config={"entry": {"checkbox": "forbidden"}})
    assert [d.line for d in found] == [3, 4, 5, 6]
    assert all("forbids" in d.message and d.fixable for d in found)


def test_readme_lint_rejects_a_bad_format_choice_too(tmp_path: Path) -> None:
    """[format] is validated by the config layer, for both commands alike."""
    from readme_tools.cli.lint import main as lint_main

    from .conftest import cli_runner

    (tmp_path / ".readme-tools.toml").write_text('[format]\nmarkdown = "kep"\n')
    (tmp_path / "a.md").write_text(LIST_WITH_BOXES)
    result = cli_runner().invoke(lint_main, [str(tmp_path / "a.md")])
    assert result.exit_code == 2
    assert "'markdown' must be one of" in result.stderr


def test_config_layer_imports_neither_fmt_nor_the_registry() -> None:
    import subprocess
    import sys

    code = (
        "import sys, readme_tools.config, readme_tools.config_schema; "
        "print(sorted(m for m in sys.modules if m.startswith('readme_tools')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = eval(out.stdout)
    assert not [m for m in loaded if m.startswith(("readme_tools.fmt", "readme_tools.registry"))]
    assert not [m for m in loaded if m.startswith("readme_tools.rules")]


# --------------------------------------------------------------------------- JSON schema

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = ROOT / "readme-tools.schema.json"


def test_published_schema_is_the_generated_one() -> None:
    from readme_tools.config_schema import schema_json

    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_json(registry.load()), (
        "regenerate it: readme-lint --config-schema > readme-tools.schema.json"
    )


def test_schema_accepts_good_and_rejects_bad_config() -> None:
    import json
    import sys

    import jsonschema

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    good = tomllib.loads(
        'select = ["venue-tag", "E101"]\n[severity]\nbold-name = "error"\n'
        '[toc]\nheadings = ["Index"]\n[format]\nmarkdown = "mdformat"\n'
        "[online]\nenabled = true\ntimeout = 5\n"
    )
    jsonschema.validate(good, schema)
    for bad in (
        '[entry]\ncheckbox = "requird"\n',
        '[toc]\nheadings = "toc"\n',
        "colour = 1\n",
        'select = ["no-such-rule"]\n',
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(tomllib.loads(bad), schema)
    assert (
        "Privileged" in schema["properties"]["online"]["properties"]["allow-private"]["description"]
    )


def test_config_schema_option_prints_it() -> None:
    from readme_tools.cli.lint import main as lint_main

    from .conftest import cli_runner

    result = cli_runner().invoke(lint_main, ["--config-schema"])
    assert result.exit_code == 0
    assert result.stdout == SCHEMA_FILE.read_text(encoding="utf-8")
