"""Compile checked rules to what the engine runs: durable_rules JSON, the order facts are
asserted in, and what each derive rule makes. No Python code is generated.

Design-around rules (DURABLE_RULES.md and docs/semantics.md) enforced here:
  * every pattern starts with a positive `kind` test, so the engine's own state fact can
    never match it (that loops forever);
  * every rule also waits for the gate, a fact asserted after all reported facts: nothing
    fires before every reported fact is in, so `unless` sees all of them whatever the order
    (negation is stratified: it may only test reported kinds), and a session always stores
    at least one fact (deleting a session that stores none crashes the engine);
  * the only test between two facts is equality (same_as), placed right after the kind test:
    in one `$and`, a join after an `$or` is silently dropped by the engine, and `$and` with
    any other comparison between facts crashes it;
  * a join on `id` compares the copy every fact carries as `_id` (the engine ignores joins
    on `id` itself);
  * a join sits on the later of its two patterns (the engine ignores a reference to a
    pattern that comes after), turned round when it was written on the earlier one;
  * alternatives (any_of) become separate engine rules, not `any`, whose combined
    activations would double-report;
  * dates are compared as ISO-8601 text, which the engine orders correctly.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from engine.language.lowered import Binding, CheckedRule, RuleSet, Test
from engine.language.operators import DURABLE_COMPARE, EVENT_DATE_SIDE
from engine.vocabulary import TAXONOMY

ALIAS_PREFIX = "b_"  # keeps binding names clear of the engine's own names (m, s, ...)
GATE_KIND = "$gate"  # no fact kind can take this name
GATE_ALIAS = ALIAS_PREFIX + "_gate"  # binding names start with a letter: no clash
# The engine links at most 256 rules below one test (BETA_LIST_LENGTH in rules.h), so the
# rules wait for one of several gates, each of this many rules at most.
RULES_PER_GATE = 200


def gate_kind(shard: int) -> str:
    return GATE_KIND if shard == 0 else f"{GATE_KIND}{shard}"


def gate_fact(shard: int) -> dict[str, Any]:
    return {"id": gate_kind(shard), "kind": gate_kind(shard)}


GATE_FACT: dict[str, Any] = gate_fact(0)
# The engine never joins on a fact's `id` (it is its identity, not a field): every fact
# carries a copy under this name, and joins on `id` use it.
ID_MIRROR = "_id"


@dataclass(frozen=True)
class DeriveSpec:
    rule_id: str
    kind: str
    fields: dict[str, str]  # derived field -> "binding.path"
    key: tuple[str, ...]  # the fields that identify the derived fact (all when empty)

    def key_fields(self) -> tuple[str, ...]:
        return self.key or tuple(sorted(self.fields))


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
    derive: dict[str, DeriveSpec] = field(default_factory=dict)  # rule id -> what it makes

    @property
    def gates(self) -> int:
        return max(1, -(-len(self.rules) // RULES_PER_GATE))

    def as_json(self) -> dict[str, Any]:
        return {r.name: r.definition for r in self.rules}


def compile_rules(ruleset: RuleSet) -> CompiledRuleSet:
    engine_rules: list[EngineRule] = []
    derive: dict[str, DeriveSpec] = {}
    for checked in ruleset.rules:
        if checked.rule.status != "active":
            continue
        for i, bindings in enumerate(checked.alternatives):
            shard = len(engine_rules) // RULES_PER_GATE
            engine_rules.append(_compile_alternative(checked, i, bindings, shard))
        d = checked.rule.derive
        if d is not None:
            derive[checked.rule.id] = DeriveSpec(
                checked.rule.id, d.kind, dict(d.fields), tuple(d.key)
            )
    payload = json.dumps([[r.name, r.definition] for r in engine_rules], sort_keys=True)
    digest = hashlib.sha256(payload.encode()).hexdigest()[:16]
    return CompiledRuleSet(f"sanctions_{digest}", tuple(engine_rules), derive)


def assert_order(facts: dict[str, dict[str, Any]], gates: int = 1) -> list[dict[str, Any]]:
    """Reported facts in a fixed order (kind, then id), the gates last. The order changes no
    result (nothing fires before its gate, and every reported fact is in before any gate);
    fixing it keeps runs identical."""
    ordered = sorted(facts.values(), key=lambda f: (str(f["kind"]), str(f["id"])))
    return [*ordered, *(gate_fact(i) for i in range(gates))]


def _compile_alternative(
    checked: CheckedRule, index: int, bindings: dict[str, Binding], shard: int = 0
) -> EngineRule:
    positives = [b for b in bindings.values() if not b.negated]
    negatives = [b for b in bindings.values() if b.negated]
    # Positive patterns first, in the order written; negated ones refer to facts bound before.
    order = [b.name for b in positives + negatives]
    joins = _place_joins(positives + negatives, order)
    patterns: list[dict[str, Any]] = []
    for b in positives:
        patterns.append({ALIAS_PREFIX + b.name: _pattern(b, joins[b.name])})
    patterns.append({GATE_ALIAS: {"kind": gate_kind(shard)}})
    for b in negatives:
        patterns.append({ALIAS_PREFIX + b.name + "$not": _pattern(b, joins[b.name])})
    return EngineRule(
        name=f"{checked.rule.id}#{index}",
        rule_id=checked.rule.id,
        alternative=index,
        positives=tuple(b.name for b in positives),
        definition={"all": patterns},
    )


@dataclass(frozen=True)
class _Join:
    path: str  # field of the pattern the test sits on
    other: str  # earlier binding
    other_path: str


def _place_joins(bindings: list[Binding], order: list[str]) -> dict[str, list[_Join]]:
    """Each same_as, on the later of its two patterns (equality reads both ways)."""
    pos = {name: i for i, name in enumerate(order)}
    out: dict[str, list[_Join]] = {b.name: [] for b in bindings}
    for b in bindings:
        for t in b.tests:
            if t.op != "same_as":
                continue
            other, _, other_path = str(t.value).partition(".")
            if pos[other] < pos[b.name]:
                out[b.name].append(_Join(t.path, other, other_path))
            else:
                out[other].append(_Join(other_path, b.name, t.path))
    for joins in out.values():
        joins.sort(key=lambda j: (j.path, j.other, j.other_path))
    return out


def _pattern(b: Binding, joins: list[_Join]) -> dict[str, Any]:
    tests: list[dict[str, Any]] = [{"kind": b.kind}]
    tests += [{_joinable(j.path): {ALIAS_PREFIX + j.other: _joinable(j.other_path)}} for j in joins]
    tests += [compile_test(t) for t in b.tests if t.op != "same_as"]
    return tests[0] if len(tests) == 1 else {"$and": tests}


def _joinable(path: str) -> str:
    return ID_MIRROR if path == "id" else path


def compile_test(t: Test) -> dict[str, Any]:
    """One test on one fact, as durable_rules JSON (same_as is placed by _place_joins)."""
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
    if op == "within":  # the category's subtree, as contains_any: no new engine feature
        return _any([_contains(path, t.spec.list_at, v) for v in TAXONOMY.subtree(value)])
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
