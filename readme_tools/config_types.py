"""Typed configuration values: a TOML value checked against a dataclass field's type hint.

The one place where config types are interpreted, for reading (:func:`coerce`) and for the
published JSON schema (:func:`schema`). Supported hints: ``bool``, ``int``, ``float``, ``str``,
``Literal[...]`` of strings, ``tuple[T, ...]``, ``list[T]``, ``dict[str, T]`` and ``T | None``
(TOML has no null: ``None`` is only a default, meaning "not set").
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Any, Literal, Union, get_args, get_origin


class TypeProblem(Exception):
    """A value of the wrong type; the message says what was expected and what was found."""


def _alternatives(hint: Any) -> tuple[Any, ...] | None:
    """The non-None members of a union hint, else None."""
    if get_origin(hint) in (Union, types.UnionType):
        return tuple(a for a in get_args(hint) if a is not type(None))
    return None


def describe(hint: Any) -> str:
    """What a value of ``hint`` is, in words: "a list of strings", "one of 'a', 'b'"."""
    alternatives = _alternatives(hint)
    if alternatives is not None:
        return " or ".join(describe(a) for a in alternatives)
    origin, args = get_origin(hint), get_args(hint)
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in args)
    if origin in (tuple, list):
        return f"a list of {_plural(args[0])}"
    if origin in (dict, Mapping):
        return f"a table of {_plural(args[1])}"
    return {
        bool: "true or false",
        int: "an integer",
        float: "a number",
        str: "a string",
    }.get(hint, "a value")


def _plural(hint: Any) -> str:
    if get_origin(hint) is Literal:
        return "values from " + ", ".join(repr(a) for a in get_args(hint))
    if get_origin(hint) in (tuple, list):
        return f"lists of {_plural(get_args(hint)[0])}"
    return {bool: "booleans", int: "integers", float: "numbers", str: "strings"}.get(hint, "values")


def found(value: Any) -> str:
    """The TOML kind of ``value`` and a short rendering, for error messages."""
    if isinstance(value, bool):
        return f"a boolean ({'true' if value else 'false'})"
    if isinstance(value, int):
        return f"an integer ({value})"
    if isinstance(value, float):
        return f"a number ({value})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"a string ({shown!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a table"
    return f"a {type(value).__name__}"


def coerce(value: Any, hint: Any) -> Any:
    """``value`` (as TOML gives it) as the type ``hint`` names; :class:`TypeProblem` if not.

    Lists become tuples where the hint says ``tuple``; integers are accepted for numbers.
    """
    alternatives = _alternatives(hint)
    if alternatives is not None:
        for alternative in alternatives:
            try:
                return coerce(value, alternative)
            except TypeProblem:
                continue
        raise TypeProblem(f"must be {describe(hint)}, got {found(value)}")
    origin, args = get_origin(hint), get_args(hint)
    if origin is Literal:
        if isinstance(value, str) and value in args:
            return value
        raise TypeProblem(f"must be {describe(hint)}, got {found(value)}")
    if origin in (tuple, list):
        if not isinstance(value, list):
            raise TypeProblem(f"must be {describe(hint)}, got {found(value)}")
        items = [_item(v, args[0], hint, i) for i, v in enumerate(value)]
        return tuple(items) if origin is tuple else items
    if origin in (dict, Mapping):
        if not isinstance(value, Mapping):
            raise TypeProblem(f"must be {describe(hint)}, got {found(value)}")
        return {str(k): _item(v, args[1], hint, k) for k, v in value.items()}
    return _scalar(value, hint)


def _item(value: Any, hint: Any, whole: Any, where: object) -> Any:
    try:
        return coerce(value, hint)
    except TypeProblem:
        place = f"item {where + 1}" if isinstance(where, int) else f"key {where!r}"
        raise TypeProblem(f"must be {describe(whole)}; {place} is {found(value)}") from None


def _scalar(value: Any, hint: Any) -> Any:
    if hint is Any:
        return value
    if hint is bool:
        ok = isinstance(value, bool)
    elif hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif hint is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif hint is str:
        ok = isinstance(value, str)
    else:
        raise TypeError(f"unsupported config type {hint!r}")  # a bug in an options class
    if not ok:
        raise TypeProblem(f"must be {describe(hint)}, got {found(value)}")
    return value


def schema(hint: Any) -> dict[str, Any]:
    """The JSON schema of values of ``hint``."""
    alternatives = _alternatives(hint)
    if alternatives is not None:
        if len(alternatives) == 1:
            return schema(alternatives[0])
        return {"anyOf": [schema(a) for a in alternatives]}
    origin, args = get_origin(hint), get_args(hint)
    if origin is Literal:
        return {"type": "string", "enum": list(args)}
    if origin in (tuple, list):
        return {"type": "array", "items": schema(args[0])}
    if origin in (dict, Mapping):
        return {"type": "object", "additionalProperties": schema(args[1])}
    if hint is Any:
        return {}
    names = {bool: "boolean", int: "integer", float: "number", str: "string"}
    if hint not in names:
        raise TypeError(f"unsupported config type {hint!r}")
    return {"type": names[hint]}
