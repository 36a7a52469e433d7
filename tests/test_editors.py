"""Editors: every fact file points at its schema, and the schemas explain operators and the
values of enums, from the registry and the models."""

from __future__ import annotations

import json

from engine.language.operators import OPERATORS
from tests.helpers import ROOT


def test_every_fact_file_points_editors_at_the_schema() -> None:
    missing = [
        str(p.relative_to(ROOT))
        for p in sorted((ROOT / "facts").rglob("*.yaml"))
        if p.parent.name != "sources"
        and "yaml-language-server: $schema=" not in p.read_text(encoding="utf-8").splitlines()[0]
    ]
    assert missing == []


def test_the_rule_schema_describes_every_operator() -> None:
    schema = json.loads((ROOT / "schemas" / "rules.schema.json").read_text(encoding="utf-8"))
    props = schema["$defs"]["Condition"]["properties"]
    for name, op in OPERATORS.items():
        assert props[name]["description"].startswith(op.doc), name


def test_enum_values_are_explained() -> None:
    schema = (ROOT / "schemas" / "facts.schema.json").read_text(encoding="utf-8")
    assert "someone alleges the act (an accusation)" in schema
    rules = (ROOT / "schemas" / "rules.schema.json").read_text(encoding="utf-8")
    assert "context only, never a violation" in rules
