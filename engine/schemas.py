"""JSON Schemas for rule, fact and source-metadata files, generated from the pydantic models."""

from __future__ import annotations

from typing import Any

from engine.facts import FactFile
from engine.language.model import Condition, Rule
from engine.sources import SourceMeta

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_for(what: str) -> dict[str, Any]:
    if what == "rules":
        schema = Rule.model_json_schema(by_alias=True)
        schema.setdefault("$defs", {})["Condition"] = Condition.model_json_schema(by_alias=True)
        where = schema["$defs"]["Pattern"]["properties"]["where"]
        where["additionalProperties"]["anyOf"][1] = {"$ref": "#/$defs/Condition"}
        schema["title"] = "Sanctions engine rule file (one rule)"
    elif what == "facts":
        schema = FactFile.model_json_schema(by_alias=True)
        schema["title"] = "Sanctions engine facts file"
        # a facts file may also be a bare list of facts
        schema = {
            "anyOf": [schema, {"type": "array", "items": schema["properties"]["facts"]["items"]}],
            "$defs": schema.pop("$defs", {}),
            "title": schema["title"],
        }
    elif what == "source":
        schema = SourceMeta.model_json_schema(by_alias=True)
        schema["title"] = "Sanctions engine source metadata (facts/sources/<id>.yaml)"
    else:
        raise ValueError(what)
    schema["$schema"] = SCHEMA_DIALECT
    return schema
