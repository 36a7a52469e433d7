"""Fact kinds beyond the core, defined in vocabulary/kinds/*.yaml: the models built from them,
their checks, and how rules and reference checks see them."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from engine.diagnostics import Diagnostics
from engine.facts import (
    FAMILY_OF_KIND,
    MODEL_BY_KIND,
    ActorRef,
    EventBase,
    EventRef,
    Item,
    StatementBase,
)
from engine.language.fields import model_fields
from engine.schemas import schema_for
from engine.vocabulary import KINDS_DIR, build_models, load_kinds, vocabulary_diagnostics
from tests.helpers import evaluate_json, event, facts_dir, facts_file, rules_dir, run_cli

NEW_KINDS = {"service", "personnel_deployment", "weapons_use", "approval"}


def _kinds(tmp_path: Path, text: str) -> tuple[list, list[str]]:  # type: ignore[type-arg]
    folder = tmp_path / "kinds"
    folder.mkdir()
    (folder / "k.yaml").write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    diags = Diagnostics()
    kinds = load_kinds(folder, diags)
    lines = [f"{d.location.line}:{d.location.col} {d.code} {d.message} | {d.hint}"
             for d in diags.sorted()]  # fmt: skip
    return kinds, lines


def test_the_bundled_kinds_are_registered_in_their_families() -> None:
    assert vocabulary_diagnostics() == []
    assert sorted(p.name for p in KINDS_DIR.glob("*.yaml")) == [
        "approval.yaml",
        "personnel_deployment.yaml",
        "service.yaml",
        "weapons_use.yaml",
    ]
    for kind in NEW_KINDS:
        assert FAMILY_OF_KIND[kind] == "event"
        assert issubclass(MODEL_BY_KIND[kind], EventBase)
    fields = model_fields(MODEL_BY_KIND["service"])
    assert fields["service"].values == (
        "training", "technical_assistance", "financial_services", "bunkering", "crew",
    )  # fmt: skip
    assert fields["provider"].ref == "actor" and not fields["provider"].optional
    assert fields["items"].type == "list" and fields["items"].item.type == "object"  # type: ignore[union-attr]
    weapons = model_fields(MODEL_BY_KIND["weapons_use"])
    assert weapons["user"].optional and weapons["user"].ref == "actor"
    assert weapons["attributed_to"].ref == "actor" and not weapons["attributed_to"].optional
    concerns = model_fields(MODEL_BY_KIND["approval"])["concerns"]
    assert concerns.type == "list" and concerns.item.ref == "event"  # type: ignore[union-attr]


def test_the_fact_schema_lists_the_new_kinds() -> None:
    text = json.dumps(schema_for("facts"))
    for kind in NEW_KINDS:
        assert f'"const": "{kind}"' in text
    assert "technical_assistance" in text and "joint_with" in text and '"modes"' in text


BASE = {
    "id": "ev-1",
    "summary": "s",
    "date": {"day": "2024-06-01"},
    "modality": "reported",
    "asserted_by": ["USA"],
    "cite": [{"quote": "x"}],
}


def test_a_new_kind_validates_as_its_yaml_says() -> None:
    service = MODEL_BY_KIND["service"]
    ok = service.model_validate(
        {**BASE, "kind": "service", "service": "training", "provider": "RUS", "recipient": "PRK"}
    )
    assert ok.items == []  # type: ignore[attr-defined]
    with pytest.raises(ValidationError) as err:
        service.model_validate({**BASE, "kind": "service", "service": "trainin", "provider": "RUS"})
    problems = {e["loc"][0] for e in err.value.errors()}
    assert problems == {"service", "recipient"}
    with pytest.raises(ValidationError):  # extra keys are refused, as on every fact
        service.model_validate(
            {**BASE, "kind": "service", "service": "crew", "provider": "RUS",
             "recipient": "PRK", "provder": "RUS"}
        )  # fmt: skip


def test_facts_of_new_kinds_are_checked_like_any_other(tmp_path: Path) -> None:
    facts = facts_file(
        event("ev-training", "service", "30 thoroughbred horses", service="training",
              provider="RUS", recipient="PRKK", date={"day": "2024-06-01"}),
        "  - id: st-joint\n    kind: allegation\n    summary: a joint statement\n"
        "    by: USA\n    joint_with: [RUS, KORR]\n    about: [ev-training]\n"
        "    date: {day: 2024-06-02}\n    cite: [{quote: \"Orlov trotters\"}]",
    )  # fmt: skip
    result = run_cli("validate", "--facts", facts_dir(tmp_path, {"f.yaml": facts}), "--rules",
                     rules_dir(tmp_path, {"r.yaml": RULE % "training"}))  # fmt: skip
    assert result.code == 1
    assert "f.yaml:8:16: error F111 'PRKK' names no known actor" in result.err, result.err
    assert "f.yaml:17:23: error F111 'KORR' names no known actor" in result.err, result.err


RULE = """
    id: T-TRAINING
    title: test training rule
    status: active
    finding: possible_violation
    severity: high
    confidence: medium
    rationale: tests rules on a kind from the vocabulary
    legal_basis: [unscr-1874-op9]
    match:
      s:
        kind: service
        where:
          service: %s
          recipient: PRK
    message: "{s.provider} trained {s.recipient}"
"""


def test_rules_know_the_fields_and_values_of_a_new_kind(tmp_path: Path) -> None:
    rdir = rules_dir(tmp_path, {"r.yaml": RULE % "trainin"})
    result = run_cli("validate", "--facts", facts_dir(tmp_path, {}), "--rules", rdir)
    assert result.code == 1
    expected = "r.yaml:13:16: error R203 'trainin' is not a value of 'service'"
    assert expected in result.err, result.err
    assert "did you mean 'training'" in result.err


def test_a_rule_on_a_new_kind_flags_it(tmp_path: Path) -> None:
    facts = facts_file(
        event("ev-training", "service", "30 thoroughbred horses", service="training",
              provider="RUS", recipient="PRK", date={"day": "2022-06-01"}),
        event("ev-bunkering", "service", "Orlov trotters", service="bunkering",
              provider="RUS", recipient="PRK", date={"day": "2022-06-01"}),
    )  # fmt: skip
    doc = evaluate_json(tmp_path, {"r.yaml": RULE % "training"}, {"f.yaml": facts})
    assert [(f["facts"], f["message"]) for f in doc["findings"]] == [
        (
            ["ev-training"],
            "Russian Federation trained Democratic People's Republic of Korea (North Korea)",
        )
    ]


# -- mistakes in kinds files ----------------------------------------------------------------


def test_mistakes_in_a_kinds_file_are_each_reported_at_their_place(tmp_path: Path) -> None:
    kinds, lines = _kinds(
        tmp_path,
        """
        kinds:
          drone_strike:
            family: evnt
            description: d
            fields:
              weapon: {type: txt, description: w}
          sanction_listing:
            family: event
            description: d
            fields:
              status: {type: enum, description: s}
              targets: {type: list, description: t}
              listed_by: {type: actor, descripton: l}
        """,
    )
    assert kinds == []
    assert [line.split(" | ")[0] for line in lines] == [
        "3:13 V406 kind 'drone_strike' needs a family: event or statement, not 'evnt'",
        "6:22 V406 field 'weapon' of kind 'drone_strike' has type 'txt', which is no field type",
        "11:15 V402 enum field 'status' of kind 'sanction_listing' needs 'values': a list of "
        "distinct lower-case words",
        "12:16 V406 list field 'targets' of kind 'sanction_listing' needs 'of': one of text, "
        "enum, actor, event",
        "13:7 V402 field 'listed_by' of kind 'sanction_listing' has no 'description'",
        "13:32 V401 unknown key 'descripton' in field 'listed_by' of kind 'sanction_listing'",
    ]
    assert "did you mean 'text'?" in lines[1], lines


def test_a_kind_or_field_already_taken_is_reported(tmp_path: Path) -> None:
    kinds, lines = _kinds(
        tmp_path,
        """
        kinds:
          vote:
            family: event
            description: d
            fields: {}
          strike:
            family: event
            description: d
            fields:
              asserted_by: {type: text, description: a}
        """,
    )
    assert lines == [] and [k.name for k in kinds] == ["vote", "strike"]
    diags = Diagnostics()
    models = build_models(
        kinds,
        {"event": EventBase, "statement": StatementBase},
        {"text": str, "actor": ActorRef, "event": EventRef, "items": list[Item], "date": str,
         "number": int, "bool": bool},
        {"vote"},
        diags,
    )  # fmt: skip
    assert models == []
    got = [f"{d.location.line}:{d.location.col} {d.code} {d.message}" for d in diags.sorted()]
    assert got == [
        "2:3 V407 'vote' is already a fact kind",
        "10:7 V407 field 'asserted_by' of kind 'strike' is already a field of every event",
    ]


def test_a_statement_kind_is_built_on_statements(tmp_path: Path) -> None:
    kinds, lines = _kinds(
        tmp_path,
        """
        kinds:
          report_finding:
            family: statement
            description: A finding of a UN panel or a coalition's monitoring team.
            fields:
              body_type: {type: enum, values: [un_panel, coalition], description: b}
              paragraphs: {type: list, of: text, required: false, description: p}
        """,
    )
    assert lines == []
    diags = Diagnostics()
    [model] = build_models(
        kinds, {"event": EventBase, "statement": StatementBase},
        {"text": str, "actor": ActorRef, "event": EventRef, "items": list[Item], "date": str,
         "number": int, "bool": bool}, set(), diags,
    )  # fmt: skip
    assert issubclass(model, StatementBase) and issubclass(model, BaseModel)
    fact = model.model_validate(
        {"id": "st", "kind": "report_finding", "summary": "s", "by": "UN", "about": ["ev"],
         "date": {"day": "2024-03-01"}, "cite": [{"quote": "q"}], "body_type": "coalition"}
    )  # fmt: skip
    assert fact.paragraphs == []  # type: ignore[attr-defined]
