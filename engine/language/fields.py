"""What fields each fact kind has, read from the pydantic models: for rule checks and hints."""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, Union

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from engine.facts import Ref

FieldType = Literal["text", "enum", "number", "bool", "date", "list", "object"]


@dataclass(frozen=True)
class FieldSpec:
    path: str
    type: FieldType
    values: tuple[str, ...] = ()  # allowed values of an enum (or of a list's items)
    item: FieldSpec | None = None  # for a list: what each item is
    ref: str | None = None  # family of fact it names (actor, event, bearer), if any
    optional: bool = False
    children: dict[str, FieldSpec] = field(default_factory=dict)  # for objects
    list_at: str = ""  # for a path through a list of objects: the list's own path

    def describe(self) -> str:
        if self.type == "list" and self.item is not None:
            return f"a list of {self.item.describe_one()}"
        return self.describe_one()

    def describe_one(self) -> str:
        if self.ref:
            return f"{self.ref} id"
        if self.type == "enum":
            return "one of " + ", ".join(self.values)
        if self.type == "object":
            return "group of fields (" + ", ".join(sorted(self.children)) + ")"
        return {"text": "text", "number": "number", "bool": "true/false", "date": "date"}.get(
            self.type, self.type
        )


def _unwrap(annotation: Any) -> tuple[Any, list[Any], bool]:
    """Strip Annotated and Optional: (core type, metadata, optional)."""
    meta: list[Any] = []
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            args = typing.get_args(annotation)
            annotation, meta = args[0], [*meta, *args[1:]]
            continue
        if origin in (Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(members) < len(typing.get_args(annotation)):
                optional = True
            if len(members) == 1:
                annotation = members[0]
                continue
        return annotation, meta, optional


def spec_for(path: str, annotation: Any, extra_meta: list[Any] | None = None) -> FieldSpec:
    core, meta, optional = _unwrap(annotation)
    meta = (extra_meta or []) + meta
    ref = next((m.to for m in meta if isinstance(m, Ref)), None)
    origin = typing.get_origin(core)
    if origin is list:
        (inner,) = typing.get_args(core)
        item = spec_for(path, inner)
        return FieldSpec(path, "list", item.values, item=item, optional=optional)
    if origin is Literal:
        values = tuple(str(v) for v in typing.get_args(core))
        return FieldSpec(path, "enum", values, ref=ref, optional=optional)
    if isinstance(core, type) and issubclass(core, BaseModel):
        return FieldSpec(path, "object", children=model_fields(core, path), optional=optional)
    if core is bool:
        return FieldSpec(path, "bool", optional=optional)
    if core in (int, float):
        return FieldSpec(path, "number", optional=optional)
    if core is date:
        return FieldSpec(path, "date", optional=optional)
    return FieldSpec(path, "text", ref=ref, optional=optional)


def model_fields(
    model: type[BaseModel], prefix: str = "", *, computed: bool = True
) -> dict[str, FieldSpec]:
    """Fields by name; computed ones (a date's `earliest`, an event's `evidence_rank`) can be
    tested by rules but not written in fact files."""
    out: dict[str, FieldSpec] = {}
    for name, info in model.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        out[name] = spec_for(path, info.annotation, list(info.metadata))
    if not computed:
        return out
    for name, cinfo in model.model_computed_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        out[name] = spec_for(path, _return_type(cinfo))
    return out


def _return_type(cinfo: Any) -> Any:
    """A computed field's type. pydantic resolves it when it builds the model, which the
    fact models defer to their first validation (engine/facts.py): until then it is read
    from the property's own annotation, as pydantic reads it."""
    if cinfo.return_type is not PydanticUndefined:
        return cinfo.return_type
    return _annotated_return(cinfo.wrapped_property.fget)


@functools.cache
def _annotated_return(getter: Any) -> Any:
    return typing.get_type_hints(getter, include_extras=True)["return"]


def lookup(fields: dict[str, FieldSpec], dotted: str) -> tuple[FieldSpec | None, str, list[str]]:
    """Find a dotted path; on failure (None, the failing segment, the names allowed there).

    A path may step into a list of objects (`items.category`): the result is then a list
    whose items are that field, so `contains` works on it.
    """
    parts = dotted.split(".")
    level = fields
    through_list = ""
    spec: FieldSpec | None = None
    for i, part in enumerate(parts):
        spec = level.get(part)
        if spec is None:
            return None, part, sorted(level)
        rest = parts[i + 1 :]
        if not rest:
            break
        if spec.type == "object":
            level = spec.children
        elif spec.type == "list" and spec.item is not None and spec.item.type == "object":
            through_list = ".".join(parts[: i + 1])
            level = spec.item.children
        else:
            return None, rest[0], []
    assert spec is not None
    if through_list:
        return FieldSpec(dotted, "list", spec.values, item=spec, list_at=through_list), "", []
    return spec, "", []


@functools.cache
def _field_specs(model: type[BaseModel]) -> tuple[tuple[str, FieldSpec], ...]:
    """The declared fields of a model that can name a fact, with their specs, worked out
    once per model: references are checked for every fact on every run, and most fields
    (summaries, dates, notes) never hold one."""
    out = []
    for name, info in model.model_fields.items():
        spec = spec_for(name, info.annotation, list(info.metadata))
        if _may_name_a_fact(spec, info.annotation):
            out.append((name, spec))
    return tuple(out)


def _may_name_a_fact(spec: FieldSpec, annotation: Any) -> bool:
    if spec.ref or any(_may_name_a_fact(c, None) for c in spec.children.values()):
        return True
    if spec.item is not None and _may_name_a_fact(spec.item, None):
        return True
    # a union of several types is not described by a spec: it may hold a model with references
    core = _unwrap(annotation)[0] if annotation is not None else None
    return typing.get_origin(core) in (Union, types.UnionType)


def iter_refs(
    obj: BaseModel, prefix: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """Every (path, family, id) that a fact names through a Ref field, nested ones included."""
    for name, spec in _field_specs(type(obj)):
        value = getattr(obj, name)
        if value is None:
            continue
        path = prefix + (name,)
        if spec.ref and isinstance(value, str):
            yield path, spec.ref, value
        elif spec.type == "list":
            for i, v in enumerate(value):
                if spec.item is not None and spec.item.ref and isinstance(v, str):
                    yield path + (i,), spec.item.ref, v
                elif isinstance(v, BaseModel):
                    yield from iter_refs(v, path + (i,))
        elif isinstance(value, BaseModel):
            yield from iter_refs(value, path)
