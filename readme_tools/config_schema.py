"""The JSON schema of the configuration, generated from the option dataclasses.

``readme-lint --config-schema`` prints it; ``readme-tools.schema.json`` at the repository root
is the same output for the built-in rules (a test keeps it true). It describes one
``[tool.readme-tools]`` table, which is also the whole of a ``.readme-tools.toml``.
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Any

from readme_tools.config import (
    CORE_SECTIONS,
    TRUST_FLAG,
    CoreOptions,
    field_types,
    privilege,
)
from readme_tools.config_types import schema

if TYPE_CHECKING:
    from readme_tools.registry import Registry

SCHEMA_ID = "https://github.com/readme-tools/readme-tools/readme-tools.schema.json"


def _properties(cls: type[Any]) -> dict[str, Any]:
    hints = field_types(cls)
    out: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        prop = schema(hints[f.name])
        default = _default(f)
        if default is not None:
            prop["default"] = default
        rule = privilege(f)
        if rule is not None:
            prop["description"] = (
                f"Privileged ({rule.why}): ignored in a repository's config unless "
                f"{TRUST_FLAG}; set it in the user config "
                "($XDG_CONFIG_HOME/readme-tools/config.toml) or on the command line."
            )
        out[f.name.replace("_", "-")] = prop
    return out


def _default(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        value = f.default
    elif f.default_factory is not dataclasses.MISSING:
        value = f.default_factory()
    else:
        return None
    if isinstance(value, tuple):
        return list(value)
    if value is None or isinstance(value, (bool, int, float, str, list, dict)):
        return value if value != {} else None
    return None


def _table(cls: type[Any], title: str) -> dict[str, Any]:
    doc = (cls.__doc__ or "").strip().split("\n\n")[0]
    return {
        "type": "object",
        "title": title,
        "description": " ".join(doc.split()),
        "properties": _properties(cls),
        "additionalProperties": False,
    }


def config_schema(registry: Registry) -> dict[str, Any]:
    names = sorted({*registry.names, *(r.code for r in registry.rules)})
    properties = _properties(CoreOptions)
    rule = {"type": "string", "enum": names}
    properties["select"]["items"] = rule
    properties["ignore"]["items"] = rule
    properties["severity"]["propertyNames"] = rule
    for section in (*CORE_SECTIONS, *registry.options):
        properties[section.name] = _table(section.cls, f"[tool.readme-tools.{section.name}]")
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "readme-tools configuration ([tool.readme-tools] or .readme-tools.toml)",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


def schema_json(registry: Registry) -> str:
    return json.dumps(config_schema(registry), ensure_ascii=False, indent=2) + "\n"
