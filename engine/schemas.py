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
        _describe_operators(schema["$defs"]["Condition"])
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
    _describe_enums(schema)
    schema["$schema"] = SCHEMA_DIALECT
    return schema


def _describe_operators(condition: dict[str, Any]) -> None:
    """Each operator's meaning, from the one registry, so an editor's completion explains it."""
    from engine.language.operators import OPERATORS

    for name, prop in condition["properties"].items():
        op = OPERATORS.get(name)
        if op is not None:
            fits = ", ".join(sorted(op.fits))
            prop["description"] = f"{op.doc} (fits: {fits}; value: {op.value})"


ENUM_WORDS: dict[str, str] = {
    # modality, weakest first (EVIDENCE_RANK)
    "denied": "the report denies the act",
    "conditional": "the act is spoken of only as a condition ('if ... then')",
    "speculated": "someone guesses the act may happen or have happened",
    "hinted": "the act is hinted at, not stated",
    "planned": "the act is stated as intended or agreed, not done",
    "alleged": "someone alleges the act (an accusation)",
    "reported": "the act is reported as fact by the source",
    "admitted": "the actor itself admits the act",
    "confirmed": "the act is confirmed (e.g. by an official record)",
    # finding kinds
    "possible_violation": "a possible breach of a binding provision, to examine",
    "evasion_indicator": "a sign of sanctions evasion, not a breach in itself",
    "risk": "a risk of a future breach",
    "context": "context only, never a violation",
    # confirmation of a provision's wording
    "secondary": "seen only in a secondary source, not in the UN text",
    "unconfirmed": "from knowledge, not yet checked against the UN text",
}


def _describe_enums(node: Any) -> None:
    """Give every enum whose values have known meanings an `enumDescriptions` list (read by
    the VS Code YAML extension), everywhere in the schema."""
    if isinstance(node, dict):
        values = node.get("enum")
        if isinstance(values, list) and any(v in ENUM_WORDS for v in values):
            node["enumDescriptions"] = [ENUM_WORDS.get(str(v), str(v)) for v in values]
        for v in node.values():
            _describe_enums(v)
    elif isinstance(node, list):
        for v in node:
            _describe_enums(v)
