"""Every engine limit (engine/limits.py): accepted at the limit, refused one past it, located.

The last tests run the engine itself, in a child process, on the worst case the limits
allow (every binding of one kind negated, every test matching every fact): a crash of the
C engine would show there as a signal exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from engine import limits
from engine.diagnostics import Diagnostics
from engine.language.model import Rule
from engine.yamlsrc import SourceMap
from tests.helpers import ROOT, bundled_case


def rule(**changes: Any) -> Rule:
    data: dict[str, Any] = {
        "id": "TEST-LIMIT",
        "title": "A rule at a limit",
        "status": "active",
        "finding": "context",
        "severity": "info",
        "confidence": "high",
        "rationale": "Generated to test an engine limit.",
        "legal_basis": ["unscr-1718-op8b"],
        "match": {"v": {"kind": "vote"}},
        "message": "A vote.",
    }
    data.update(changes)
    return Rule.model_validate(data)


def codes_of_rule(r: Rule) -> list[str]:
    diags = Diagnostics()
    limits.check_rule(r, SourceMap("rule.yaml"), diags)
    return [d.code for d in diags.items]


def codes_of_set(rules: list[Rule]) -> list[str]:
    diags = Diagnostics()
    limits.check_rule_set([(r, SourceMap(f"{r.id}.yaml")) for r in rules], diags)
    return [d.code for d in diags.items]


def test_every_limit_is_below_the_engine_figure() -> None:
    assert limits.MAX_ENGINE_RULES < limits.ENGINE_MAX_ACTIONS
    assert limits.MAX_BINDINGS < limits.ENGINE_BETA_LIST_LENGTH
    # kind, evidence and the tests share one $and of the compiled pattern
    assert limits.MAX_TESTS_PER_BINDING + 2 <= limits.ENGINE_MAX_SEQUENCE_EXPRESSIONS
    assert limits.MAX_VALUES + 2 <= limits.ENGINE_MAX_SEQUENCE_EXPRESSIONS
    assert limits.MAX_ALTERNATIVES < limits.ENGINE_NEXT_LIST_LENGTH
    assert limits.MAX_NEGATED_PER_KIND <= limits.MAX_PATTERNS_PER_KIND
    assert limits.MAX_PATTERNS_PER_KIND < limits.ENGINE_MAX_STACK_SIZE
    assert limits.MAX_FACT_PROPERTIES < limits.ENGINE_MAX_OBJECT_PROPERTIES
    assert limits.MAX_DERIVED_FIELDS < limits.ENGINE_MAX_OBJECT_PROPERTIES
    assert limits.MAX_TEXT_CHARS * 4 < limits.ENGINE_MAX_OBJECT_PROPERTY_SIZE


@pytest.mark.parametrize("extra", [0, 1])
def test_bindings_per_rule(extra: int) -> None:
    n = limits.MAX_BINDINGS + extra
    r = rule(match={f"b{i}": {"kind": "vote"} for i in range(n)})
    assert codes_of_rule(r) == (["L302"] if extra else [])


@pytest.mark.parametrize("extra", [0, 1])
def test_tests_per_binding(extra: int) -> None:
    n = limits.MAX_TESTS_PER_BINDING + extra
    r = rule(match={"v": {"kind": "vote", "where": {f"f{i}": 1 for i in range(n)}}})
    assert codes_of_rule(r) == (["L303"] if extra else [])


@pytest.mark.parametrize("extra", [0, 1])
def test_tests_added_by_an_alternative_count_on_their_binding(extra: int) -> None:
    half = limits.MAX_TESTS_PER_BINDING // 2
    r = rule(
        match={"v": {"kind": "vote", "where": {f"f{i}": 1 for i in range(half)}}},
        any_of=[{"v": {"where": {f"g{i}": 1 for i in range(half + extra)}}}],
    )
    assert codes_of_rule(r) == (["L303"] if extra else [])


@pytest.mark.parametrize("op", sorted(limits.LIST_OPERATORS))
@pytest.mark.parametrize("extra", [0, 1])
def test_values_in_a_list_test(op: str, extra: int) -> None:
    values = [f"x{i}" for i in range(limits.MAX_VALUES + extra)]
    r = rule(match={"v": {"kind": "vote", "where": {"summary": {op: values}}}})
    assert codes_of_rule(r) == (["L309"] if extra else [])


@pytest.mark.parametrize("extra", [0, 1])
def test_alternatives_per_rule(extra: int) -> None:
    alts = [{"v": {"where": {"summary": f"s{i}"}}} for i in range(limits.MAX_ALTERNATIVES + extra)]
    assert codes_of_rule(rule(any_of=alts)) == (["L304"] if extra else [])


@pytest.mark.parametrize("extra", [0, 1])
def test_derived_fields(extra: int) -> None:
    fields = {f"f{i}": "v.summary" for i in range(limits.MAX_DERIVED_FIELDS + extra)}
    r = rule(finding=None, derive={"kind": "many", "fields": fields})
    assert codes_of_rule(r) == (["L306"] if extra else [])


@pytest.mark.parametrize("extra", [0, 1])
def test_rule_id_and_text_length(extra: int) -> None:
    rid = "T" + "-X" * ((limits.MAX_ID_CHARS - 1) // 2)
    rid += "Y" * (limits.MAX_ID_CHARS - len(rid) + extra)
    assert len(rid) == limits.MAX_ID_CHARS + extra
    assert codes_of_rule(rule(id=rid)) == (["L308"] if extra else [])
    text = "x" * (limits.MAX_TEXT_CHARS + extra)
    assert codes_of_rule(rule(notes=text)) == (["L307"] if extra else [])


@pytest.mark.parametrize("extra", [0, 1])
def test_negated_bindings_of_one_kind(extra: int) -> None:
    rules = [
        rule(id=f"TEST-N{i}", match={"v": {"kind": "vote", "where": {"summary": {"not": "s"}}}})
        for i in range(limits.MAX_NEGATED_PER_KIND + extra)
    ]
    assert codes_of_set(rules) == (["L305"] if extra else [])


def test_unless_and_exists_false_count_as_negated() -> None:
    rules = [
        rule(id=f"TEST-U{i}", match={"a": {"kind": "state"}}, unless={"v": {"kind": "vote"}})
        for i in range(limits.MAX_NEGATED_PER_KIND // 2)
    ] + [
        rule(id=f"TEST-E{i}", match={"v": {"kind": "vote", "where": {"date": {"exists": False}}}})
        for i in range(limits.MAX_NEGATED_PER_KIND // 2 + 1)
    ]
    assert codes_of_set(rules) == ["L305"]


@pytest.mark.parametrize("extra", [0, 1])
def test_bindings_of_one_kind_count_every_alternative(extra: int) -> None:
    per_rule = 8
    n = limits.MAX_PATTERNS_PER_KIND // per_rule
    alts = [{"v": {"where": {"summary": f"s{i}"}}} for i in range(per_rule)]
    rules = [rule(id=f"TEST-A{i}", any_of=alts) for i in range(n)]
    if extra:
        rules.append(rule(id="TEST-ONE-MORE"))
    assert codes_of_set(rules) == (["L305"] if extra else [])


def test_retired_rules_do_not_count() -> None:
    rules = [
        rule(id=f"TEST-R{i}", status="retired") for i in range(limits.MAX_PATTERNS_PER_KIND + 5)
    ]
    assert codes_of_set(rules) == []


@pytest.mark.parametrize("extra", [0, 1])
def test_engine_rules_in_all(extra: int) -> None:
    alts = [{"v": {"where": {"summary": f"s{i}"}}} for i in range(20)]
    kinds = ["vote", "state", "official", "organisation", "group"]
    rules = [
        rule(id=f"TEST-M{i}", match={"v": {"kind": kinds[i % 5] + str(i)}}, any_of=alts)
        for i in range(limits.MAX_ENGINE_RULES // 20)
    ]
    if extra:
        rules.append(rule(id="TEST-ONE-MORE", match={"v": {"kind": "other"}}))
    assert codes_of_set(rules) == (["L301"] if extra else [])


def fact_codes(raw: dict[str, Any]) -> list[str]:
    diags = Diagnostics()
    limits.check_fact(raw, SourceMap("facts.yaml"), ("facts", 0), diags)
    return [d.code for d in diags.items]


@pytest.mark.parametrize("extra", [0, 1])
def test_fact_limits(extra: int) -> None:
    assert fact_codes({"id": "x" * (limits.MAX_ID_CHARS + extra)}) == (["L308"] if extra else [])
    nested = {"a": {f"k{i}": 1 for i in range(limits.MAX_FACT_PROPERTIES - 1 + extra)}, "b": 1}
    assert fact_codes(nested) == (["L306"] if extra else [])
    long = {"id": "x", "notes": "y" * (limits.MAX_TEXT_CHARS + extra), "cite": [{"quote": "q"}]}
    assert fact_codes(long) == (["L307"] if extra else [])
    assert fact_codes({"id": "x", "items": [{"k": i} for i in range(1000)]}) == []


WORST_RULE = """\
id: TEST-{tag}-{i}
title: Worst case {i}
status: active
finding: context
severity: info
confidence: high
rationale: A generated rule at the engine limit.
legal_basis: [unscr-1718-op8b]
match:
  v:
    kind: vote
    where:
      {test}
message: A vote.
"""


def worst_case(folder: Path, negated: int, positive: int) -> Path:
    """Every test matches every vote, so one vote fills the engine's stack to the limit."""
    folder.mkdir()
    for i in range(negated):
        test = f'summary: {{not: "s{i}"}}'
        (folder / f"n{i:03}.yaml").write_text(WORST_RULE.format(tag="N", i=i, test=test))
    for i in range(positive):
        test = f"in_favour: {{at_most: {1000 + i}}}"
        (folder / f"p{i:03}.yaml").write_text(WORST_RULE.format(tag="P", i=i, test=test))
    return folder


def sanctions(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "engine.cli", *map(str, args)]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_the_engine_runs_the_worst_case_the_limits_allow(tmp_path: Path) -> None:
    negated = limits.MAX_NEGATED_PER_KIND
    rules = worst_case(tmp_path / "rules", negated, limits.MAX_PATTERNS_PER_KIND - negated)
    facts = bundled_case()  # one vote: each rule matches it once
    for _ in range(3):  # the engine's crashes depend on memory layout: try more than once
        done = sanctions("evaluate", "--facts", facts, "--rules", rules, "--format", "json")
        assert done.returncode == 0, done.stderr
        votes = sum("kind: vote" in p.read_text() for p in facts.rglob("*.yaml"))
        assert votes and len(json.loads(done.stdout)["findings"]) == limits.MAX_PATTERNS_PER_KIND


def test_one_more_negated_rule_is_refused_before_the_engine(tmp_path: Path) -> None:
    rules = worst_case(tmp_path / "rules", limits.MAX_NEGATED_PER_KIND + 1, 0)
    done = sanctions("evaluate", "--facts", ROOT / "facts", "--rules", rules)
    assert done.returncode == 1
    assert "error L305 active rules hold 41 bindings with a negated test" in done.stderr
    assert "n040.yaml" in done.stderr  # the first binding past the limit


def test_the_readme_lists_every_limit_and_code() -> None:
    from engine.diagnostics import CODES
    from engine.safefiles import MAX_SOURCE_TEXT_BYTES, MAX_YAML_BYTES
    from engine.sources import MAX_PARAGRAPH_CHARS, MAX_QUOTE_CHARS
    from engine.yamlsrc import MAX_DEPTH

    section = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## Limits\n")[1]
    rows = {line for line in section.splitlines() if line.startswith("|")}
    missing = [
        f"{code} {name}"
        for code, name in CODES.items()
        if not any(line.startswith(f"| {code} | {name} |") for line in rows)
    ]
    for _, value, code, _ in limits.LIMITS:
        if not any(f"| {value:,} " in line and line.endswith(f"| {code} |") for line in rows):
            missing.append(f"{code} {value:,}")
    for value, code, text in [
        (MAX_YAML_BYTES, "Y007", f"{MAX_YAML_BYTES // 2**20} MiB"),
        (MAX_SOURCE_TEXT_BYTES, "F128", f"{MAX_SOURCE_TEXT_BYTES // 2**20} MiB"),
        (MAX_PARAGRAPH_CHARS, "F128", f"{MAX_PARAGRAPH_CHARS:,} characters"),
        (MAX_QUOTE_CHARS, "F128", f"{MAX_QUOTE_CHARS:,} characters"),
        (MAX_DEPTH, "Y013", f"{MAX_DEPTH} levels"),
    ]:
        if not any(text in line and line.endswith(f"| {code} |") for line in rows):
            missing.append(f"{code} {value}")
    assert not missing, "README 'Limits' is stale: " + ", ".join(missing)
