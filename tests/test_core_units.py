"""Unit tests of the core without the CLI: the durable_rules JSON each operator compiles to,
where joins are placed, the legal checks made after the match, and the derivation ledger."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from engine.compiler import (
    GATE_ALIAS,
    GATE_FACT,
    DeriveSpec,
    _compile_alternative,
    assert_order,
    compile_test,
)
from engine.derivation import DerivationError, Ledger, derived_id
from engine.facts import EventDate, Provision
from engine.language.fields import FieldSpec
from engine.language.lowered import Binding, CheckedRule
from engine.language.lowered import Test as FieldTest
from engine.legal_checks import combine, covers_items, independence_unit, window_outcome
from engine.paths import resolve

TEXT = FieldSpec("supplier", "text")
NUMBER = FieldSpec("evidence_rank", "number")
ITEMS = FieldSpec("items.category", "list", list_at="items", item=FieldSpec("category", "enum"))
PARTIES = FieldSpec("parties", "list", item=FieldSpec("parties", "text"))
EVENT_DATE = FieldSpec("date", "object", children={"earliest": FieldSpec("x", "date")})


@pytest.mark.parametrize(
    ("test", "expected"),
    [
        (FieldTest("supplier", TEXT, "equals", "PRK"), {"supplier": "PRK"}),
        (
            FieldTest("supplier", TEXT, "not", "PRK"),
            {"$or": [{"$neq": {"supplier": "PRK"}}, {"$nex": {"supplier": 1}}]},
        ),
        (FieldTest("supplier", TEXT, "one_of", ["PRK"]), {"supplier": "PRK"}),
        (
            FieldTest("supplier", TEXT, "one_of", ["PRK", "IRN"]),
            {"$or": [{"supplier": "PRK"}, {"supplier": "IRN"}]},
        ),
        (
            FieldTest("supplier", TEXT, "not_one_of", ["PRK", "IRN"]),
            {
                "$or": [
                    {"$and": [{"$neq": {"supplier": "PRK"}}, {"$neq": {"supplier": "IRN"}}]},
                    {"$nex": {"supplier": 1}},
                ]
            },
        ),
        (FieldTest("evidence_rank", NUMBER, "greater_than", 3), {"$gt": {"evidence_rank": 3}}),
        (FieldTest("evidence_rank", NUMBER, "at_least", 3), {"$gte": {"evidence_rank": 3}}),
        (FieldTest("evidence_rank", NUMBER, "less_than", 3), {"$lt": {"evidence_rank": 3}}),
        (FieldTest("evidence_rank", NUMBER, "at_most", 3), {"$lte": {"evidence_rank": 3}}),
        # an event's date: "before" is certainly before, so it reads the latest possible day
        (
            FieldTest("date", EVENT_DATE, "before", date(2022, 10, 1)),
            {"$lt": {"date.latest": "2022-10-01"}},
        ),
        (
            FieldTest("date", EVENT_DATE, "on_or_before", date(2022, 10, 1)),
            {"$lte": {"date.latest": "2022-10-01"}},
        ),
        (
            FieldTest("date", EVENT_DATE, "after", date(2022, 10, 1)),
            {"$gt": {"date.earliest": "2022-10-01"}},
        ),
        (
            FieldTest("date", EVENT_DATE, "on_or_after", date(2022, 10, 1)),
            {"$gte": {"date.earliest": "2022-10-01"}},
        ),
        (FieldTest("date", EVENT_DATE, "exists", True), {"$neq": {"date.precision": "unknown"}}),
        (FieldTest("date", EVENT_DATE, "exists", False), {"date.precision": "unknown"}),
        (FieldTest("supplier", TEXT, "exists", True), {"$ex": {"supplier": 1}}),
        (FieldTest("supplier", TEXT, "exists", False), {"$nex": {"supplier": 1}}),
        (FieldTest("parties", PARTIES, "contains", "PRK"), {"$iany": {"parties": {"$i": "PRK"}}}),
        (
            FieldTest("items.category", ITEMS, "contains", "uav"),
            {"$iany": {"items": {"$i.category": "uav"}}},
        ),
        (
            FieldTest("items.category", ITEMS, "contains_any", ["uav", "rockets"]),
            {
                "$or": [
                    {"$iany": {"items": {"$i.category": "uav"}}},
                    {"$iany": {"items": {"$i.category": "rockets"}}},
                ]
            },
        ),
    ],
)
def test_each_operator_compiles_to_this_json(test: FieldTest, expected: dict[str, Any]) -> None:
    assert compile_test(test) == expected


def _checked(bindings: dict[str, Binding]) -> CheckedRule:
    from engine.language.model import Rule

    rule = Rule.model_validate(
        {
            "id": "T-UNIT",
            "title": "unit",
            "status": "active",
            "finding": "context",
            "severity": "info",
            "confidence": "low",
            "rationale": "A unit test rule.",
            "legal_basis": ["p"],
            "match": {"x": {"kind": "state"}},
            "message": "m",
        }
    )
    return CheckedRule(rule, "t.yaml", None, [bindings])  # type: ignore[arg-type]


def test_joins_come_first_sit_on_the_later_pattern_and_use_the_id_mirror() -> None:
    buyer = Binding(
        "buyer",
        "state",
        False,
        [
            FieldTest("id", TEXT, "same_as", "flow.recipient"),
            FieldTest("un_member", FieldSpec("un_member", "bool"), "equals", True),
        ],
    )
    flow = Binding(
        "flow", "arms_transfer", False, [FieldTest("supplier", TEXT, "one_of", ["PRK", "IRN"])]
    )
    no = Binding("no", "denial", True, [FieldTest("by", TEXT, "same_as", "flow.supplier")])
    rule = _compile_alternative(
        _checked({"buyer": buyer, "flow": flow, "no": no}),
        0,
        {"buyer": buyer, "flow": flow, "no": no},
    )
    patterns = rule.definition["all"]
    assert [next(iter(p)) for p in patterns] == ["b_buyer", "b_flow", GATE_ALIAS, "b_no$not"]
    # the forward join moved onto flow, turned round, before flow's $or, on the id mirror
    assert patterns[1]["b_flow"]["$and"][:2] == [
        {"kind": "arms_transfer"},
        {"recipient": {"b_buyer": "_id"}},
    ]
    assert patterns[0]["b_buyer"] == {"$and": [{"kind": "state"}, {"un_member": True}]}
    assert patterns[3]["b_no$not"]["$and"][1] == {"by": {"b_flow": "supplier"}}


def test_facts_go_in_by_kind_and_id_with_the_gate_last() -> None:
    facts = {
        "b": {"id": "b", "kind": "z"},
        "a": {"id": "a", "kind": "z"},
        "c": {"id": "c", "kind": "a"},
    }
    assert [f["id"] for f in assert_order(facts)] == ["c", "a", "b", GATE_FACT["id"]]


# -- legal checks ---------------------------------------------------------------------------


def _provision(start: str, until: str | None, items: list[str] | None = None) -> Provision:
    return Provision.model_validate(
        {
            "kind": "provision",
            "id": "p",
            "regime": "dprk",
            "resolution": "S/RES/1 (2006)",
            "paragraph": "OP1",
            "paragraph_confirmed": True,
            "operative_verb": "decides",
            "binding": True,
            "bound": ["all_states"],
            "prohibits": "x",
            "item_categories": items or [],
            "in_force": {"start": start, "until": until},
            "cite": [{"document": "S/RES/1", "paragraph": "OP1", "confirmation": "confirmed"}],
        }
    )


@pytest.mark.parametrize(
    ("when", "outcome"),
    [
        ({"day": "2023-10-18"}, "in_force"),  # the last day is inside
        ({"day": "2023-10-19"}, "not_in_force"),
        ({"month": "2023-10"}, "uncertain"),
        ({"year": 2015}, "not_in_force"),
        ({"year": 2016}, "uncertain"),  # starts on 16 January
        ({"start": "2016-01-16", "end": "2023-10-18"}, "in_force"),
        ({"unknown": True}, "uncertain"),
    ],
)
def test_the_window_of_a_provision(when: dict[str, Any], outcome: str) -> None:
    p = _provision("2016-01-16", "2023-10-18")
    assert window_outcome(EventDate.model_validate(when), p) == outcome


def test_reports_of_one_act_must_agree_on_the_window() -> None:
    assert combine([("day", "in_force"), ("unknown", "uncertain")]) == "in_force"
    assert combine([("day", "in_force"), ("day", "not_in_force")]) == "uncertain"
    assert combine([("year", "not_in_force"), ("day", "not_in_force")]) == "not_in_force"
    assert combine([("unknown", "uncertain")]) == "uncertain"


def test_item_scope() -> None:
    arms = _provision("2006-10-14", None, ["ammunition", "rockets"])
    assert covers_items(arms, {"ammunition", "medicine"})
    assert not covers_items(arms, {"medicine"})
    assert covers_items(arms, set())  # no items reported: nothing to limit
    assert covers_items(_provision("2006-10-14", None), {"medicine"})  # no scope


def test_officials_speak_for_their_state_newspapers_for_themselves(
    bundled: tuple[Any, Any],
) -> None:
    facts = bundled[0].facts
    assert independence_unit("kirby", facts) == "USA"
    assert independence_unit("USA", facts) == "USA"
    assert independence_unit("la-times", facts) == "la-times"


# -- the derivation ledger ------------------------------------------------------------------

FLOW = DeriveSpec("T-FLOW", "flow", {"s": "r.supplier", "y": "r.date.calendar_year"}, ("s", "y"))
LINK = DeriveSpec("T-LINK", "link", {"a": "f.s", "b": "g.s"}, ("a", "b"))


def _report(fid: str, supplier: str, year: int | None) -> dict[str, Any]:
    return {
        "id": fid,
        "kind": "arms_transfer",
        "supplier": supplier,
        "date": {"calendar_year": year} if year else {"precision": "unknown"},
    }


def test_the_same_key_is_one_fact_with_every_derivation() -> None:
    ledger = Ledger({"T-FLOW": FLOW})
    first = ledger.on_activation("T-FLOW#0", {"r": _report("ev-a", "PRK", 2022)})
    again = ledger.on_activation("T-FLOW#0", {"r": _report("ev-b", "PRK", 2022)})
    other = ledger.on_activation("T-FLOW#0", {"r": _report("ev-c", "PRK", 2024)})
    assert [f["id"] for f in first] == ["flow(s=PRK,y=2022)"] and again == []
    assert [f["id"] for f in other] == ["flow(s=PRK,y=2024)"]
    assert ledger.derived["flow(s=PRK,y=2022)"].supports == {"ev-a", "ev-b"}


def test_a_missing_key_value_equals_nothing() -> None:
    ledger = Ledger({"T-FLOW": FLOW})
    a = ledger.on_activation("T-FLOW#0", {"r": _report("ev-a", "PRK", None)})
    b = ledger.on_activation("T-FLOW#0", {"r": _report("ev-b", "PRK", None)})
    assert a[0]["id"] != b[0]["id"]
    assert a[0]["id"] == "flow(s=PRK,y=null,of=ev-a)"
    assert "y" not in a[0]  # absent values are left out of what the engine sees


def test_depth_and_chain_come_from_the_whole_graph_in_any_order() -> None:
    def run(order: list[str]) -> tuple[int, tuple[str, ...]]:
        ledger = Ledger({"T-FLOW": FLOW, "T-LINK": LINK})
        made = {}
        for fid in order:
            made[fid] = ledger.on_activation("T-FLOW#0", {"r": _report(fid, fid.upper(), 2022)})
        f, g = made[order[0]][0], made[order[1]][0]
        ledger.on_activation("T-LINK#0", {"f": f, "g": g})
        ledger.finish()
        [link] = [d for d in ledger.derived.values() if d.kind == "link"]
        return link.depth, link.chain

    assert run(["a", "b"]) == run(["b", "a"]) == (2, ("T-FLOW", "T-LINK"))


def test_a_derivation_deeper_than_the_limit_is_an_error() -> None:
    loop = DeriveSpec("T-LOOP", "flow", {"s": "r.s", "y": "r.y"}, ("s", "y"))
    ledger = Ledger({"T-LOOP": loop}, max_depth=2)
    fact: dict[str, Any] = {"id": "ev", "kind": "x", "s": "A", "y": 0}
    with pytest.raises(DerivationError, match="deeper than 2 steps"):
        for i in range(100):
            [fact] = ledger.on_activation("T-LOOP#0", {"r": dict(fact, y=i)})


def test_one_path_resolver() -> None:
    record = {"items": [{"category": "a"}, {"category": "b", "q": "1"}], "date": {"p": "day"}}
    assert resolve(record, "items.category") == ["a", "b"]
    assert resolve(record, "items.q") == ["1"]
    assert resolve(record, "date.p") == "day"
    assert resolve(record, "missing.x") is None
    assert resolve({"to": "PRK"}, "to.name", lambda i: {"name": "North Korea"}) == "North Korea"


def test_derived_ids_are_short_and_stable() -> None:
    spec = DeriveSpec("T", "k", {"v": "r.v"}, ("v",))
    long_id = derived_id(spec, {"v": "x" * 500}, ["ev"])
    assert long_id == derived_id(spec, {"v": "x" * 500}, ["ev"])
    assert long_id.startswith("k#") and len(long_id) < 40


def test_rules_are_spread_over_gates_and_give_the_same_findings(
    bundled: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine links at most 256 rules below one test, so past RULES_PER_GATE the rules
    wait for further gates; which gate a rule waits for changes nothing it finds."""
    import engine.compiler as compiler
    from engine.evaluate import evaluate

    one_gate = evaluate(*bundled)
    monkeypatch.setattr(compiler, "RULES_PER_GATE", 3)
    many = evaluate(*bundled)
    assert many.compiled.gates > 3
    assert many.findings == one_gate.findings and many.not_flagged == one_gate.not_flagged


def test_more_engine_rules_than_one_gate_takes(tmp_path: Any) -> None:
    """300 rules over 8 kinds (with the per-kind limits): the ruleset is created and runs."""
    import subprocess
    import sys

    from tests.helpers import ROOT, rules_dir

    kinds = [
        "arms_transfer",
        "vote",
        "weapons_test",
        "diplomatic_act",
        "routing",
        "goods_supply",
        "trade_link",
        "recognition",
    ]
    rules = {
        f"r{i:03d}.yaml": f"""
id: T-MANY-{i}
title: one of many rules
status: active
finding: context
severity: info
confidence: low
rationale: One of many rules, each with its own test.
legal_basis: [unscr-1718-op8b]
match:
  t: {{kind: {kinds[i % 8]}, where: {{summary: {{one_of: ["x{i}", "y"]}}}}}}
message: "m"
"""
        for i in range(300)
    }
    rdir = rules_dir(tmp_path, rules)
    proc = subprocess.run(
        [sys.executable, "-m", "engine.cli", "evaluate", "--rules", str(rdir), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_item_scope_reads_every_list_of_items_a_report_holds() -> None:
    from engine.legal_checks import _categories

    records = [
        {"items": [{"category": "uav"}], "cargo": [{"category": "food"}]},
        {"weapons": [{"category": "ballistic_missile", "description": "debris"}]},  # a kind
        {"parties": ["PRK", "RUS"], "id": "x"},  # a list of ids holds no items
    ]
    assert _categories(records) == {"uav", "food", "ballistic_missile"}
