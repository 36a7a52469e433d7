"""What the findings stage works out once per run and keeps (engine/run_facts.py,
engine/legal_checks.py AfterMatch, engine/findings.py FindingBuilder) never changes a
finding: each finding is the same whether it is built alone or after every other one, and
whatever order the engine reported its matches in."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from benchmarks.synthetic import generate
from engine.compiler import assert_order, compile_rules
from engine.derivation import Activation, DerivedFact, Ledger
from engine.diagnostics import Diagnostics
from engine.durable_adapter import run
from engine.evaluate import encode, evaluate
from engine.findings import FindingBuilder, group_activations
from engine.language.load import load_rules
from engine.language.lowered import RuleSet
from engine.loader import FactSet, load_facts
from engine.run_facts import RunFacts
from tests.helpers import ROOT, facts_dir, facts_file, rules_dir
from tests.test_engine_conditions import Q1, Q2, Q3, rule, transfer


def _load(facts_dir: Path, rules_dir: Path) -> tuple[FactSet, RuleSet]:
    diags = Diagnostics()
    facts = load_facts(facts_dir, diags)
    rules = load_rules(rules_dir, facts, diags)
    assert [d.one_line() for d in diags.items] == []
    return facts, rules


@pytest.fixture(scope="module", params=["bundled", "synthetic", "merged"])
def case(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp("perf-eval")
    if request.param == "bundled":
        return _load(ROOT / "facts", ROOT / "rules")
    if request.param == "synthetic":
        made = generate(300, tmp)
        return _load(made.facts_dir, made.rules_dir)
    return _merged_case(tmp)


def _merged_case(tmp: Path) -> tuple[FactSet, RuleSet]:
    """One finding merging three matches (ev-a, ev-b, ev-c) whose messages name different
    recipients: the order the matches are taken in shows in the message."""
    body = "match:\n  t: {kind: arms_transfer}\ngroup_by: [t.supplier]"
    facts = facts_file(
        transfer("ev-b", Q2, recipient="IRN"),
        transfer("ev-c", Q3, recipient="SYR"),
        transfer("ev-a", Q1, recipient="RUS"),
    )
    message = "to {t.recipient}, from {t.supplier}"
    return _load(
        facts_dir(tmp, {"e.yaml": facts}),
        rules_dir(tmp, {"a.yaml": rule("T-G", body, message=message)}),
    )


def _run(facts: FactSet, rules: RuleSet) -> RunFacts:
    """The run evaluate() makes, stopped before the findings are built."""
    compiled = compile_rules(rules)
    encoded = {fid: encode(f) for fid, f in facts.facts.items()}
    ledger = Ledger(compiled.derive)
    run(compiled, assert_order(encoded, compiled.gates), ledger.on_activation)
    ledger.finish()
    return RunFacts(facts, dict(facts.facts), encoded, ledger)


def _with_activations(f: RunFacts, activations: Any) -> RunFacts:
    """The same run, the ledger holding only these matches (in the order given)."""
    ledger = copy.copy(f.ledger)
    ledger.activations = activations
    return RunFacts(f.all, f.chosen, f.encoded, ledger)


def test_the_findings_stage_alone_makes_what_evaluate_makes(case: Any) -> None:
    facts, rules = case
    findings, not_flagged = FindingBuilder(_run(facts, rules), rules).build()
    ev = evaluate(facts, rules)
    assert (findings, not_flagged) == (ev.findings, ev.not_flagged)
    assert findings, "the case must flag something for the tests below to mean anything"


def test_each_finding_is_the_same_built_alone_as_built_after_all_the_others(case: Any) -> None:
    facts, rules = case
    f = _run(facts, rules)
    findings, not_flagged = FindingBuilder(f, rules).build()
    by_id = {x["id"]: x for x in findings + not_flagged}
    groups = group_activations(rules.by_id(), f.ledger, f)
    assert len(groups) == len(by_id)
    for group in groups:
        alone = _with_activations(f, set(group.activations))
        made, set_aside = FindingBuilder(alone, rules).build()
        (one,) = made + set_aside
        assert one == by_id[one["id"]]


def test_the_findings_do_not_depend_on_the_order_of_the_engines_matches(case: Any) -> None:
    facts, rules = case
    f = _run(facts, rules)
    ordered = sorted(f.ledger.activations, key=lambda a: (a.rule_id, a.bound, a.alternative))
    first = FindingBuilder(_with_activations(f, ordered), rules).build()
    again = FindingBuilder(_with_activations(f, ordered[::-1]), rules).build()
    assert first == again
    assert first == FindingBuilder(f, rules).build()


def test_a_merged_finding_names_its_matches_in_the_order_of_their_facts(
    tmp_path: Path,
) -> None:
    facts, rules = _merged_case(tmp_path)
    [merged] = evaluate(facts, rules).findings
    assert merged["message"] == (
        "to Russian Federation, Islamic Republic of Iran, Syrian Arab Republic, "
        "from Democratic People's Republic of Korea (North Korea)"
    )


def test_what_a_derived_fact_rests_on_is_found_through_a_cycle_of_derivations() -> None:
    # A rests on B and a report; B was reached again from A (same key): a cycle
    ledger = Ledger({})
    ledger.derived["A"] = DerivedFact(
        "A", "incident", {}, "R1", {Activation("R1", 0, (("b", "B"), ("r", "ev-1")))}
    )
    ledger.derived["B"] = DerivedFact(
        "B", "incident", {}, "R2", {Activation("R2", 0, (("a", "A"),))}
    )
    f = RunFacts(FactSet(), {}, {}, ledger)
    assert f.expand({"A"}) == {"A", "B", "ev-1"}
    assert f.expand({"B"}) == {"A", "B", "ev-1"}
    assert f.expand(["ev-2", "A"]) == {"A", "B", "ev-1", "ev-2"}
    assert f.expand({"A"}) == {"A", "B", "ev-1"}  # asked again: the kept answer is the same
    assert f.reports({"A"}) == []  # no reported event among them (none was chosen)
