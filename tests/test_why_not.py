"""`sanctions explain --rule`: why a rule did not fire, and a check that its judgement of
each test agrees with the engine on every match the engine made."""

from __future__ import annotations

from pathlib import Path

from engine.encoding import encode
from engine.evaluate import evaluate
from engine.language.lowered import RuleSet
from engine.loader import FactSet
from engine.why_not import holds
from tests.helpers import rules_dir, run_cli

WHY = """
id: T-WHY
title: Iranian arms to North Korea
status: active
finding: possible_violation
severity: high
confidence: medium
rationale: A rule that does not fire on the corpus.
legal_basis: [unscr-1874-op9]
match:
  t: {kind: arms_transfer, where: {supplier: IRN, recipient: PRK}}
  buyer: {kind: state, where: {id: {same_as: t.recipient}}}
message: "m"
"""


def test_its_judgement_agrees_with_every_match_of_the_engine(
    bundled: tuple[FactSet, RuleSet],
) -> None:
    facts, rules = bundled
    ev = evaluate(facts, rules)
    records = {fid: encode(f) for fid, f in facts.facts.items()}
    records |= {d.id: {"id": d.id, "kind": d.kind, **d.fields} for d in ev.derived.values()}
    by_id = rules.by_id()
    assert ev.activations
    for act in ev.activations:
        bindings = by_id[act.rule_id].alternatives[act.alternative]
        for name, fid in act.bound:
            for t in bindings[name].tests:
                if t.op != "same_as":
                    assert holds(t, records[fid]), (act, name, t.path, t.op)


def test_a_rule_that_did_not_fire_names_the_nearest_facts_and_what_was_needed(
    tmp_path: Path,
) -> None:
    result = run_cli("explain", "--rule", "T-WHY", "--rules", rules_dir(tmp_path, {"a.yaml": WHY}))
    assert result.code == 0, result.err
    out = result.out
    assert "It did not fire" in out
    assert "ev-iran-drones-to-russia fails: recipient equals PRK (it has RUS)" in out
    assert "needed: an arms transfer with supplier equals IRN; recipient equals PRK." in out
    assert "'buyer': 8 of 8 state fact(s) pass its own tests" in out


def test_a_rule_set_aside_gives_the_reason_and_a_fired_rule_points_to_its_findings() -> None:
    aside = run_cli("explain", "--rule", "IRAN-2231-ARMS-EXPORT")
    assert (
        aside.code == 0
        and "set it aside: no provision of its legal basis was in force" in aside.out
    )
    fired = run_cli("explain", "--rule", "DPRK-ARMS-EXPORT")
    assert fired.code == 0 and "It fired" in fired.out and "DPRK-ARMS-EXPORT:" in fired.out


def test_usage_errors() -> None:
    assert run_cli("explain", "--rule", "DPRK-ARMS-EXPORTT").code == 2
    assert "did you mean" in run_cli("explain", "--rule", "DPRK-ARMS-EXPORTT").err
    assert run_cli("explain").code == 2
