"""Forward chaining: derived facts carry their supports; a runaway chain is stopped."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import evaluate_json, event, facts_dir, facts_file, rules_dir, run_cli
from tests.test_engine_conditions import Q1, Q2, Q3, rule, transfer

DERIVE = """
id: T-FLOW
title: reports combined into a flow
status: active
derive:
  kind: test_flow
  fields: {supplier: r.supplier, recipient: r.recipient}
  key: [supplier, recipient]
severity: info
confidence: medium
rationale: Several reports of one flow become one derived fact.
legal_basis: [unscr-1718-op8b]
match:
  r: {kind: arms_transfer}
message: "flow"
"""


def test_derived_fact_carries_the_union_of_its_supports(tmp_path: Path) -> None:
    uses = rule(
        "T-USE",
        "match:\n  t: {kind: test_flow, where: {supplier: PRK}}\n"
        "evidence: {binding: t, at_least: alleged}\nin_force: t\naccountable: [t.supplier]",
    )
    facts = facts_file(
        transfer("ev-a", modality="alleged"),
        transfer("ev-b", Q2, modality="speculated", date={"unknown": True}),
        transfer("ev-c", Q3, supplier="IRN"),
    )
    doc = evaluate_json(tmp_path, {"d.yaml": DERIVE, "u.yaml": uses}, {"e.yaml": facts})
    [finding] = [f for f in doc["findings"] if f["rule"]["id"] == "T-USE"]
    flow = "test_flow(supplier=PRK,recipient=RUS)"
    # the derived fact rests on both reports...
    assert finding["derived"][0]["rule"] == "T-FLOW"
    assert finding["derived"][0]["supports"] == ["ev-a", "ev-b"]
    # ...but the finding only on those strong enough: the speculation is set aside, with a
    # trace, and is neither cited nor dated (one meaning of evidence for every binding)
    assert finding["facts"] == ["ev-a", flow]
    assert sorted(c["sentence"] for c in finding["citations"]) == [18]
    assert finding["evidence"]["level"] == "alleged"
    assert finding["evidence"]["set_aside"] == [{"fact": "ev-b", "modality": "speculated"}]
    checks = {c["fact"]: c["outcome"] for c in finding["in_force"]["checks"]}
    assert checks == {"ev-a": "in_force"}
    assert finding["in_force"]["outcome"] == "in_force"


def test_speculation_alone_does_not_meet_the_requirement(tmp_path: Path) -> None:
    uses = rule(
        "T-USE", "match:\n  t: {kind: test_flow}\nevidence: {binding: t, at_least: alleged}"
    )
    facts = facts_file(transfer("ev-b", Q2, modality="speculated"))
    doc = evaluate_json(tmp_path, {"d.yaml": DERIVE, "u.yaml": uses}, {"e.yaml": facts})
    assert doc["findings"] == []
    [aside] = doc["not_flagged"]
    assert aside["reasons"] == ["the reports are weaker than required (speculated < alleged)"]
    assert "weaker than required" in doc["not_flagged"][0]["reasons"][0]


LOOP = """
id: T-LOOP
title: derives a new link from every link
status: active
derive:
  kind: chain_link
  fields: {origin: link.id}
severity: info
confidence: low
rationale: A badly written rule that feeds on its own output.
legal_basis: [unscr-1718-op2]
match:
  link: {kind: chain_link}
message: "link"
"""
START = """
id: T-START
title: starts a chain
status: active
derive:
  kind: chain_link
  fields: {origin: t.id}
severity: info
confidence: low
rationale: Starts the chain from a weapons test.
legal_basis: [unscr-1718-op2]
match:
  t: {kind: weapons_test}
message: "start"
"""


def test_a_runaway_chain_is_stopped_with_the_rules_named(tmp_path: Path) -> None:
    facts = facts_file(
        event(
            "ev-t", "weapons_test", Q1, actor="PRK", weapon_class="icbm", date={"day": "2022-11-03"}
        )
    )
    fdir = facts_dir(tmp_path, {"e.yaml": facts})
    rdir = rules_dir(tmp_path, {"a.yaml": START, "b.yaml": LOOP})
    result = run_cli("evaluate", "--facts", fdir, "--rules", rdir, "--format", "json")
    assert result.code == 2
    assert result.out == ""
    assert "deeper than 8 steps" in result.err
    assert "T-START -> T-LOOP x8" in result.err
    assert "Traceback" not in result.err
