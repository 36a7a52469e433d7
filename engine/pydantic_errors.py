"""Turn pydantic validation errors into plain diagnostics that point at file:line:col."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from engine.diagnostics import Diagnostics, did_you_mean
from engine.language.fields import FieldSpec, model_fields
from engine.yamlsrc import DocPath, SourceMap

_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
    "date_type": "a date (YYYY-MM-DD)",
    "float_type": "a number",
}


def report_validation_error(
    exc: ValidationError,
    model: type[BaseModel],
    base: DocPath,
    smap: SourceMap,
    diags: Diagnostics,
    codes: dict[str, str],
    what: str,
) -> None:
    """codes maps unknown/type/value/missing to the diagnostic codes of the caller's family."""
    errors = exc.errors(include_url=False)
    # A misspelt key shows as an unknown key and as a missing one; report it once, as the
    # unknown key whose hint names the missing one.
    misspelt = {
        (tuple(e["loc"][:-1]), close)
        for e in errors
        if e["type"] == "extra_forbidden"
        for close in difflib.get_close_matches(
            str(e["loc"][-1]), _names_at(model, tuple(e["loc"][:-1])), n=1, cutoff=0.6
        )
    }
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "missing" and (loc[:-1], str(loc[-1])) in misspelt:
            continue
        path = base + loc
        etype = err["type"]
        field = str(loc[-1]) if loc else what
        if etype == "extra_forbidden":
            allowed = sorted(_names_at(model, loc[:-1]))
            hint = did_you_mean(field, allowed) or "allowed keys here: " + ", ".join(allowed)
            diags.add(
                codes["unknown"],
                f"unknown key '{field}' in {what}",
                smap.locate(path, key=True),
                hint,
            )
        elif etype == "missing":
            allowed = sorted(_names_at(model, loc[:-1]))
            diags.add(
                codes["missing"],
                f"missing key '{field}' in {what}",
                smap.locate(path[:-1]),
                f"add '{field}:' here (keys here: {', '.join(allowed)})",
            )
        elif etype in _TYPE_WORDS:
            got = _kind_of(err.get("input"))
            diags.add(
                codes["type"],
                f"'{field}' must be {_TYPE_WORDS[etype]}, not {got}",
                smap.locate(path),
                _expected_hint(model, loc),
            )
        elif etype == "literal_error":
            allowed = _allowed(model, loc)
            value = str(err.get("input"))
            hint = did_you_mean(value, allowed) or (
                "allowed: " + ", ".join(allowed) if allowed else ""
            )
            diags.add(
                codes["value"], f"'{value}' is not allowed for '{field}'", smap.locate(path), hint
            )
        elif etype.startswith("date") or etype.startswith("datetime"):
            diags.add(
                codes["value"],
                f"'{err.get('input')}' is not a valid date for '{field}'",
                smap.locate(path),
                "write a calendar date as YYYY-MM-DD, e.g. 2022-11-02",
            )
        else:
            message = err["msg"]
            if message.startswith("Value error, "):
                message = message[len("Value error, ") :]
            target = f"'{field}'" if loc else what
            diags.add(codes["value"], f"{target}: {message}", smap.locate(path), "")


def _names_at(model: type[BaseModel], loc: tuple[Any, ...]) -> set[str]:
    """The keys a file may write at loc (computed fields are not written)."""
    level: dict[str, FieldSpec] = model_fields(model, computed=False)
    for part in loc:
        if isinstance(part, int):
            continue
        spec = level.get(str(part))
        if spec is None:
            break
        if spec.type == "list" and spec.item is not None:
            spec = spec.item
        if spec.type != "object":
            break
        nested = _model_of(model, loc[: loc.index(part) + 1])
        level = model_fields(nested, computed=False) if nested else spec.children
    return set(level)


def _model_of(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model of the object at loc, when there is one."""
    import typing

    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(str(part)) if hasattr(current, "model_fields") else None
        if info is None:
            return None
        annotation = info.annotation
        for _ in range(3):  # unwrap Optional[...] and list[...]
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if isinstance(annotation, type) or not args:
                break
            annotation = args[0]
        current = annotation
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _spec_at(model: type[BaseModel], loc: tuple[Any, ...]) -> FieldSpec | None:
    level = model_fields(model)
    spec: FieldSpec | None = None
    for part in loc:
        if isinstance(part, int):
            continue
        if level is None or str(part) not in level:
            return None
        spec = level[str(part)]
        inner = spec.item if spec.type == "list" and spec.item is not None else spec
        level = inner.children if inner.type == "object" else {}
    return spec


def _allowed(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    spec = _spec_at(model, loc)
    if spec is None:
        return []
    return list(spec.values)


def _expected_hint(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    spec = _spec_at(model, loc)
    if spec is None:
        return ""
    if isinstance(loc[-1], int) and spec.type == "list" and spec.item is not None:
        return f"each entry should be {spec.item.describe_one()}"
    return f"expected {spec.describe()}"


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (null)"
    return type(value).__name__
