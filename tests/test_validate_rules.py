"""Bad rules are refused before anything runs, each at file:line:col, with exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import facts_dir, rules_dir, run_cli

GOOD = """
id: T-GOOD
title: North Korea exports arms
status: active
finding: possible_violation
severity: high
confidence: medium
rationale: A rule for validation tests.
legal_basis: [unscr-1718-op8b]
match:
  transfer:
    kind: arms_transfer
    where:
      supplier: PRK
      modality: {one_of: [alleged, reported]}
  buyer:
    kind: state
    where:
      id: {same_as: transfer.recipient}
evidence: {binding: transfer, at_least: alleged}
in_force: transfer
accountable: [transfer.supplier]
message: "{transfer.supplier} exported arms to {buyer.name}"
"""


def check(tmp_path: Path, files: dict[str, str], command: str = "validate"):  # type: ignore[no-untyped-def]
    fdir = facts_dir(tmp_path, {})
    rdir = rules_dir(tmp_path, files)
    result = run_cli(command, "--facts", fdir, "--rules", rdir)
    assert "Traceback" not in result.err
    return result, rdir


def test_the_good_rule_is_clean(tmp_path: Path) -> None:
    result, _ = check(tmp_path, {"good.yaml": GOOD})
    assert result.code == 0, result.err
    assert "1 rules" in result.out


@pytest.mark.parametrize(
    ("change", "where", "code", "words"),
    [
        pytest.param(
            ("kind: arms_transfer", "kind: arms_transfers"),
            "11:11",
            "R211",
            "did you mean 'arms_transfer'?",
            id="unknown-kind",
        ),
        pytest.param(
            ("      supplier: PRK", "      suplier: PRK"),
            "13:7",
            "R212",
            "did you mean 'supplier'?",
            id="unknown-field",
        ),
        pytest.param(
            ("supplier: PRK", "supplier: {greater_than: 3}"),
            "13:32",
            "R213",
            "'greater_than' does not fit 'supplier'",
            id="operator-type",
        ),
        pytest.param(
            ("same_as: transfer.recipient", "same_as: transfr.recipient"),
            "18:21",
            "R214",
            "did you mean 'transfer'?",
            id="unknown-binding",
        ),
        pytest.param(
            ("legal_basis: [unscr-1718-op8b]", "legal_basis: [unscr-1718-op8]"),
            "8:15",
            "R215",
            "'unscr-1718-op8b'",
            id="unknown-provision",
        ),
        pytest.param(
            ("{buyer.name}", "{0.__class__}"),
            "22:10",
            "R217",
            "'{0.__class__}' names no binding",
            id="format-string",
        ),
        pytest.param(
            ("modality: {one_of: [alleged, reported]}", "modality: {one_of: [alleged, reportd]}"),
            "14:26",
            "R203",
            "did you mean 'reported'?",
            id="bad-enum-value",
        ),
        pytest.param(
            ("supplier: PRK", "supplier: PRKK"),
            "13:17",
            "R203",
            "'PRKK' names no known actor",
            id="unknown-actor-value",
        ),
        pytest.param(
            ("legal_basis:", "legal_bases:"),
            "8:1",
            "R201",
            "did you mean 'legal_basis'?",
            id="unknown-rule-key",
        ),
        pytest.param(
            ("one_of: [alleged, reported]", "one_off: [alleged, reported]"),
            "14:18",
            "R201",
            "did you mean 'one_of'",
            id="unknown-operator",
        ),
        pytest.param(
            ("in_force: transfer", "in_force: buyer"),
            "20:11",
            "R203",
            "'buyer' is a state, which has no date",
            id="in-force-on-actor",
        ),
        pytest.param(
            ("supplier: PRK", "date: {before: buyer.date}"),
            "13:22",
            "R216",
            "compares with a fixed value",
            id="cross-fact-comparison",
        ),
        pytest.param(
            ("severity: high", "severity: urgent"),
            "5:11",
            "R203",
            "'urgent' is not allowed",
            id="bad-severity",
        ),
    ],
)
def test_each_bad_rule_is_reported_where_it_stands(
    tmp_path: Path, change: tuple[str, str], where: str, code: str, words: str
) -> None:
    text = GOOD.replace(*change)
    assert text != GOOD
    result, rdir = check(tmp_path, {"bad.yaml": text})
    assert result.code == 1
    path = rdir / "bad.yaml"
    assert f"{path}:{where}: error {code} " in result.err, result.err
    assert words in result.err


def test_duplicate_rule_id(tmp_path: Path) -> None:
    result, rdir = check(tmp_path, {"a.yaml": GOOD, "b.yaml": GOOD})
    assert result.code == 1
    assert f"{rdir / 'b.yaml'}:1:5: error R210 rule id 'T-GOOD' is used twice" in result.err
    assert f"first used at {rdir / 'a.yaml'}:1:5" in result.err


def test_negating_a_derived_kind_is_refused(tmp_path: Path) -> None:
    deriving = GOOD.replace(
        "finding: possible_violation", "derive: {kind: flow, fields: {supplier: transfer.supplier}}"
    )
    negating = GOOD.replace("T-GOOD", "T-NEG") + "unless:\n  f: {kind: flow}\n"
    result, rdir = check(tmp_path, {"a.yaml": deriving, "b.yaml": negating})
    assert result.code == 1
    assert f"{rdir / 'b.yaml'}:24:13: error R219" in result.err


def test_every_problem_in_one_pass_and_evaluate_refuses(tmp_path: Path) -> None:
    bad1 = GOOD.replace("kind: arms_transfer", "kind: arms_transfers")
    bad2 = GOOD.replace("T-GOOD", "T-TWO").replace(
        "legal_basis: [unscr-1718-op8b]", "legal_basis: [nothing]"
    )
    result, _ = check(
        tmp_path, {"a.yaml": bad1, "b.yaml": bad2, "c.yaml": "- a list\n"}, command="evaluate"
    )
    assert result.code == 1
    assert "R211" in result.err and "R215" in result.err and "Y005" in result.err
    assert "Nothing was evaluated" in result.err
    assert result.out == ""
