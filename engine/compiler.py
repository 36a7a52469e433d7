"""Compile checked rules to durable_rules ruleset JSON. No Python code is generated.

Design-around rules (DURABLE_RULES.md) enforced here:
  * every pattern starts with a positive `kind` test, so the engine's own state fact
    can never match it (that loops forever);
  * the only test between two facts is equality (same_as): `$and` with any other
    cross-fact comparison segfaults;
  * alternatives (any_of) become separate engine rules, not `any`, whose combined
    activations would double-report;
  * dates are compared as ISO-8601 text, which the engine orders correctly.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from engine.facts import EVIDENCE_RANK, MODEL_BY_KIND
from engine.language.operators import DURABLE_COMPARE, EVENT_DATE_SIDE
from engine.language.lowered import Binding, CheckedRule, RuleSet, Test

ALIAS_PREFIX = "b_"  # keeps binding names clear of the engine's own names (m, s, ...)


@dataclass(frozen=True)
class EngineRule:
    """One durable_rules rule: a rule's alternative, with its bindings in order."""

    name: str  # "<RULE-ID>#<alternative>"
    rule_id: str
    alternative: int
    positives: tuple[str, ...]
    definition: dict[str, Any]  # the JSON durable_rules receives, without 'run'


@dataclass(frozen=True)
class CompiledRuleSet:
    name: str  # a content hash, so each distinct rule set is registered once per process
    rules: tuple[EngineRule, ...]
    negated_kinds: frozenset[str]

    def as_json(self) -> dict[str, Any]:
        return {r.name: r.definition for r in self.rules}


def compile_rules(ruleset: RuleSet) -> CompiledRuleSet:
    engine_rules: list[EngineRule] = []
    negated: set[str] = set()
    for checked in ruleset.rules:
        if checked.rule.status != "active":
            continue
        for i, bindings in enumerate(checked.alternatives):
            engine_rules.append(_compile_alternative(checked, i, bindings))
            negated |= {b.kind for b in bindings.values() if b.negated}
    payload = json.dumps([[r.name, r.definition] for r in engine_rules], sort_keys=True)
    digest = hashlib.sha256(payload.encode()).hexdigest()[:16]
    return CompiledRuleSet(f"sanctions_{digest}", tuple(engine_rules), frozenset(negated))


def _compile_alternative(
    checked: CheckedRule, index: int, bindings: dict[str, Binding]
) -> EngineRule:
    patterns: list[dict[str, Any]] = []
    positives = [b for b in bindings.values() if not b.negated]
    negatives = [b for b in bindings.values() if b.negated]
    # Positive patterns first: a negated pattern refers to facts bound before it.
    for b in positives + negatives:
        key = ALIAS_PREFIX + b.name + ("$not" if b.negated else "")
        patterns.append({key: _pattern(b, checked, bindings)})
    return EngineRule(
        name=f"{checked.rule.id}#{index}",
        rule_id=checked.rule.id,
        alternative=index,
        positives=tuple(b.name for b in positives),
        definition={"all": patterns},
    )


def _pattern(b: Binding, checked: CheckedRule, bindings: dict[str, Binding]) -> dict[str, Any]:
    tests: list[dict[str, Any]] = [{"kind": b.kind}]
    for t in b.tests:
        tests.append(_test(t))
    ev = checked.rule.evidence
    if ev is not None and ev.binding == b.name and "evidence_rank" in _base_fields(b.kind):
        tests.append({"$gte": {"evidence_rank": EVIDENCE_RANK[ev.at_least]}})
    return tests[0] if len(tests) == 1 else {"$and": tests}


def _base_fields(kind: str) -> set[str]:
    model = MODEL_BY_KIND.get(kind)
    if model is None:
        return set()  # derived kinds: evidence is checked on their merged supports instead
    return set(model.model_fields) | set(model.model_computed_fields)


def _test(t: Test) -> dict[str, Any]:
    path, op, value = t.path, t.op, _plain(t.value)
    is_event_date = t.spec.type == "object" and "earliest" in t.spec.children
    if op == "equals":
        return {path: value}
    if op == "not":
        return {"$or": [{"$neq": {path: value}}, {"$nex": {path: 1}}]}
    if op == "one_of":
        return _any([{path: v} for v in map(_plain, value)])
    if op == "not_one_of":
        return {
            "$or": [
                {"$and": [{"$neq": {path: v}} for v in map(_plain, value)]},
                {"$nex": {path: 1}},
            ]
        }
    if op in DURABLE_COMPARE:
        target = f"{path}.{EVENT_DATE_SIDE[op]}" if is_event_date else path
        return {DURABLE_COMPARE[op]: {target: value}}
    if op == "exists":
        target = f"{path}.precision" if is_event_date else path
        if is_event_date:
            return {"$neq": {target: "unknown"}} if value else {target: "unknown"}
        return {"$ex": {target: 1}} if value else {"$nex": {target: 1}}
    if op == "contains":
        return _contains(path, t.spec.list_at, value)
    if op == "contains_any":
        return _any([_contains(path, t.spec.list_at, v) for v in map(_plain, value)])
    if op == "same_as":
        other, _, other_path = str(value).partition(".")
        return {path: {ALIAS_PREFIX + other: other_path}}
    raise AssertionError(f"operator {op} has no compilation")  # the registry and this agree


def _contains(path: str, list_at: str, value: Any) -> dict[str, Any]:
    # A path through a list of objects (items.category) tests each item's sub-field.
    if list_at:
        return {"$iany": {list_at: {f"$i.{path[len(list_at) + 1 :]}": value}}}
    return {"$iany": {path: {"$i": value}}}


def _any(tests: list[dict[str, Any]]) -> dict[str, Any]:
    return tests[0] if len(tests) == 1 else {"$or": tests}


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
