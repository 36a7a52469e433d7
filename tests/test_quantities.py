"""Amounts with units, caps on provisions, and a year's total against the cap."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.quantities import UNITS
from tests.helpers import evaluate_json, event, facts_dir, facts_file, rules_dir, run_cli
from tests.test_engine_conditions import Q1, Q2, Q3, Q4, fired, rule

CAP_RULE = """
match:
  s:
    kind: goods_supply
    where:
      recipient: PRK
      items.category: {within: refined_petroleum}
total: {binding: s}
"""


def supply(fid: str, quote: str, amount: dict[str, object] | None, when: dict[str, object]) -> str:
    item: dict[str, object] = {"category": "refined_petroleum"}
    if amount is not None:
        item["amount"] = amount
    return event(
        fid, "goods_supply", quote, supplier="RUS", recipient="PRK", items=[item], date=when
    )


def _total(tmp_path: Path, *facts: str) -> dict[str, object]:
    r = rule("T-CAP", CAP_RULE, basis="[unscr-2397-op5]", message="{total}")
    doc = evaluate_json(tmp_path, {"a.yaml": r}, {"e.yaml": facts_file(*facts)})
    [made] = [f for f in doc["findings"] + doc["not_flagged"] if f["rule"]["id"] == "T-CAP"]
    return made


def test_units_convert_by_pint_and_by_the_declared_factor() -> None:
    assert UNITS.convert(1, "cubic_metre", "refined_petroleum", "barrel") == pytest.approx(
        6.2898, 1e-4
    )
    assert UNITS.convert(1000, "tonne", "refined_petroleum", "barrel") == pytest.approx(7330)
    assert UNITS.convert(1000, "tonne", "aviation_fuel", "barrel") == pytest.approx(7330)  # below
    assert UNITS.convert(1000, "tonne", "food", "barrel") is None  # no factor declared


def test_a_year_above_the_cap_states_total_cap_and_period(tmp_path: Path) -> None:
    made = _total(
        tmp_path,
        supply("ev-a", Q1, {"value": 300000, "unit": "barrel"}, {"month": "2024-03"}),
        supply(
            "ev-b",
            Q2,
            {"value": 40000, "unit": "tonne", "qualifier": "about"},
            {"day": "2024-06-02"},
        ),
        supply(
            "ev-c",
            Q3,
            {"value": 900000, "unit": "barrel", "qualifier": "at_most"},
            {"month": "2024-10"},
        ),
    )
    [t] = made["total"]
    assert t["period"] == "2024" and t["cap"] == 500000 and t["unit"] == "barrel"
    assert t["total"] == pytest.approx(300000 + 40000 * 7.33)  # "at most" is not counted
    assert t["approximate"] and t["over_cap"]
    assert [i["fact"] for i in t["items"]] == ["ev-a", "ev-b"]
    assert (
        made["message"] == "about 593,200 barrels in 2024, against a cap of 500,000 barrels a year"
    )
    assert "reasons" not in made


def test_years_are_separate_and_an_undated_delivery_is_not_counted(tmp_path: Path) -> None:
    r = rule("T-CAP", CAP_RULE, basis="[unscr-2397-op5]", message="{total}")
    facts = facts_file(
        supply("ev-a", Q1, {"value": 300000, "unit": "barrel"}, {"year": 2023}),
        supply("ev-b", Q2, {"value": 300000, "unit": "barrel"}, {"year": 2024}),
        supply("ev-c", Q3, {"value": 900000, "unit": "barrel"}, {"unknown": True}),
    )
    doc = evaluate_json(tmp_path, {"a.yaml": r}, {"e.yaml": facts})
    assert fired(doc, "T-CAP") == []
    reasons = {tuple(f["facts"]): f["excluded_provisions"][0]["reason"] for f in doc["not_flagged"]}
    assert "within the cap" in reasons[("ev-a",)] and "in 2023" in reasons[("ev-a",)]
    assert "within the cap" in reasons[("ev-b",)]
    assert "year is unknown" in reasons[("ev-c",)]


def test_an_unknown_unit_is_a_located_error(tmp_path: Path) -> None:
    facts = facts_file(supply("ev-a", Q4, {"value": 3, "unit": "barels"}, {"year": 2024}))
    result = run_cli(
        "validate",
        "--facts",
        facts_dir(tmp_path, {"e.yaml": facts}),
        "--rules",
        rules_dir(tmp_path, {"a.yaml": rule("T-X", "match:\n  t: {kind: vote}")}),
    )
    assert result.code == 1
    assert "e.yaml:" in result.err and "'barels' is not a unit" in result.err


def test_a_total_needs_items_and_a_capped_provision(tmp_path: Path) -> None:
    no_items = rule(
        "T-X",
        "match:\n  v: {kind: vote}\ntotal: {binding: v}",
        basis="[unscr-2397-op5]",
        message="m",
    )
    no_cap = rule("T-Y", CAP_RULE, basis="[unscr-1718-op8b]", message="m")
    result = run_cli(
        "validate",
        "--facts",
        facts_dir(tmp_path, {}),
        "--rules",
        rules_dir(tmp_path, {"x.yaml": no_items, "y.yaml": no_cap}),
    )
    assert result.code == 1
    assert "'v' is a vote, which names no items to add up" in result.err
    assert "no provision of the legal basis has a cap" in result.err
