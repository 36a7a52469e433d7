"""A reference evaluator of the rule language, in plain Python, for tests only.

It implements docs/semantics.md directly, with nested loops over the facts and no rule
engine: small and obviously right beats fast. The differential tests run it beside the
durable_rules-backed engine and require the same activations, derived facts and findings.
It shares with the engine only what defines the input (the checked rules, the encoded facts,
the path resolver of engine/paths.py, whose meaning the semantics names) and the legal
primitives that are unit-tested on their own (window_outcome, binds, covers_items).
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from engine.encoding import encode
from engine.facts import EVIDENCE_RANK, FAMILY_OF_KIND, Provision
from engine.language.lowered import Binding, CheckedRule, RuleSet, Test
from engine.legal_checks import binds, covers_items, window_outcome
from engine.loader import FactSet
from engine.paths import resolve
from engine.vocabulary import TAXONOMY

MAX_DEPTH = 8
SIDE = {
    "before": "latest",
    "on_or_before": "latest",
    "after": "earliest",
    "on_or_after": "earliest",
}


class TooDeep(Exception):
    pass


@dataclass(frozen=True)
class Act:
    rule_id: str
    alternative: int
    bound: tuple[tuple[str, str], ...]


@dataclass
class Derived:
    id: str
    kind: str
    fields: dict[str, Any]
    rule_id: str
    derivations: set[Act] = field(default_factory=set)

    @property
    def supports(self) -> set[str]:
        return {f for a in self.derivations for _, f in a.bound}

    def record(self) -> dict[str, Any]:
        kept = {k: v for k, v in self.fields.items() if v not in (None, [], "")}
        return {"id": self.id, "kind": self.kind, **kept}


@dataclass
class Result:
    activations: set[Act]
    derived: dict[str, Derived]
    findings: dict[str, dict[str, Any]]  # finding id -> facts, provisions, reasons


# -- one test on one fact ---------------------------------------------------------------------


def holds(t: Test, fact: dict[str, Any], bound: dict[str, dict[str, Any]]) -> bool:
    op, want = t.op, _plain(t.value)
    event_date = t.spec.type == "object" and "earliest" in t.spec.children
    if event_date:
        d = resolve(fact, t.path)
        if op == "exists":
            return (d is not None and d.get("precision") != "unknown") == want
        side = d.get(SIDE[op]) if isinstance(d, dict) else None
        return side is not None and _compare(op, side, want)
    value = resolve(fact, t.path)
    present = value is not None and value != []
    if op == "equals":
        return present and value == want
    if op == "not":
        return not present or value != want
    if op == "one_of":
        return present and value in [_plain(v) for v in want]
    if op == "not_one_of":
        return not present or value not in [_plain(v) for v in want]
    if op in ("greater_than", "at_least", "less_than", "at_most", *SIDE):
        return present and _compare(op, value, want)
    if op == "exists":
        return present == want
    if op == "contains":
        return isinstance(value, list) and want in value
    if op == "contains_any":
        return isinstance(value, list) and any(_plain(v) in value for v in want)
    if op == "within":  # walks each item's parents (the compiler enumerates the subtree)
        return isinstance(value, list) and any(_is_within(v, want) for v in value)
    if op == "same_as":
        other, _, path = str(t.value).partition(".")
        theirs = resolve(bound[other], path)
        return value is not None and theirs is not None and value == theirs
    raise AssertionError(op)


def _is_within(category: str, ancestor: str) -> bool:
    """Walks up the parents written in vocabulary/categories.yaml."""
    seen: set[str] = set()
    current: str | None = category
    while current is not None and current not in seen:
        if current == ancestor:
            return True
        seen.add(current)
        entry = TAXONOMY.categories.get(current)
        current = entry.within if entry is not None else None
    return False


def _compare(op: str, value: Any, want: Any) -> bool:
    if op in ("greater_than", "after"):
        return bool(value > want)
    if op in ("at_least", "on_or_after"):
        return bool(value >= want)
    if op in ("less_than", "before"):
        return bool(value < want)
    return bool(value <= want)


def _plain(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


# -- matching -------------------------------------------------------------------------------


def matches(
    bindings: dict[str, Binding], pool: dict[str, dict[str, Any]], base: dict[str, dict[str, Any]]
) -> list[dict[str, str]]:
    """Every assignment of distinct facts to the positive bindings that passes every test,
    such that no other reported fact passes a negated binding's tests."""
    positives = [b for b in bindings.values() if not b.negated]
    negatives = [b for b in bindings.values() if b.negated]
    candidates = [
        [fid for fid, f in sorted(pool.items()) if f["kind"] == b.kind] for b in positives
    ]
    out = []
    for combo in itertools.product(*candidates):
        if len(set(combo)) < len(combo):
            continue
        bound = {b.name: pool[fid] for b, fid in zip(positives, combo, strict=True)}
        if not all(holds(t, bound[b.name], bound) for b in positives for t in b.tests):
            continue
        if any(_blocked(n, bound, base, set(combo)) for n in negatives):
            continue
        out.append({b.name: fid for b, fid in zip(positives, combo, strict=True)})
    return out


def _blocked(
    n: Binding, bound: dict[str, dict[str, Any]], base: dict[str, dict[str, Any]], used: set[str]
) -> bool:
    for fid, f in sorted(base.items()):
        if fid in used or f["kind"] != n.kind:
            continue
        if all(holds(t, f, bound) for t in n.tests):
            return True
    return False


def run(rules: RuleSet, base: dict[str, dict[str, Any]]) -> tuple[set[Act], dict[str, Derived]]:
    active = [r for r in rules.rules if r.rule.status == "active"]
    acts: set[Act] = set()
    derived: dict[str, Derived] = {}
    for _round in range(MAX_DEPTH + 2):
        pool = dict(base)
        pool.update({d.id: d.record() for d in derived.values()})
        before = (len(acts), sum(len(d.derivations) for d in derived.values()))
        for checked in active:
            for i, bindings in enumerate(checked.alternatives):
                for m in matches(bindings, pool, base):
                    act = Act(checked.rule.id, i, tuple(sorted(m.items())))
                    acts.add(act)
                    if checked.rule.derive is not None:
                        _derive(checked, act, {n: pool[f] for n, f in m.items()}, derived)
        if (len(acts), sum(len(d.derivations) for d in derived.values())) == before:
            return acts, derived
    raise TooDeep("no fixpoint within the depth limit")


def _derive(
    checked: CheckedRule, act: Act, facts: dict[str, dict[str, Any]], derived: dict[str, Derived]
) -> None:
    d = checked.rule.derive
    assert d is not None
    values: dict[str, Any] = {}
    for name, ref in d.fields.items():
        binding, _, path = ref.partition(".")
        v = resolve(facts[binding], path)
        if isinstance(v, list):
            v = [json.loads(x) for x in sorted({json.dumps(y, sort_keys=True) for y in v})]
        values[name] = v
    key = d.key or sorted(d.fields)
    parts = [
        f"{k}={v if isinstance(v, str) else json.dumps(v, sort_keys=True)}"
        for k in key
        for v in [values[k]]
    ]
    if any(values[k] is None for k in key):  # a missing key value equals nothing
        parts.append("of=" + "+".join(sorted(f for _, f in act.bound)))
    fid = d.kind + "(" + ",".join(parts) + ")"
    if len(fid) > 200:
        fid = f"{d.kind}#{hashlib.sha256(fid.encode()).hexdigest()[:24]}"
    derived.setdefault(fid, Derived(fid, d.kind, values, checked.rule.id)).derivations.add(act)


# -- findings -------------------------------------------------------------------------------


def evaluate(facts: FactSet, rules: RuleSet) -> Result:
    base = {fid: encode(f) for fid, f in facts.facts.items()}
    acts, derived = run(rules, base)
    depth = _depths(derived)
    if depth and max(depth.values()) > MAX_DEPTH:
        raise TooDeep("deeper than the limit")
    return Result(acts, derived, _findings(facts, rules, acts, derived, base))


def _sum(p: Provision, deliveries: list[dict[str, Any]]) -> float:
    """Every counted amount of the cap's categories, in the cap's unit (units and declared
    conversions from engine.quantities, a primitive tested on its own)."""
    from engine.quantities import UNITS
    from engine.vocabulary import TAXONOMY

    assert p.cap is not None
    total = 0.0
    for d in deliveries:
        for value in d.values():
            if not isinstance(value, list):
                continue
            for item in value:
                if not isinstance(item, dict) or "amount" not in item:
                    continue
                if not any(TAXONOMY.is_within(item["category"], c) for c in p.cap.categories):
                    continue
                a = item["amount"]
                if a.get("qualifier", "exact") in ("at_most", "less_than"):
                    continue
                got = UNITS.convert(float(a["value"]), a["unit"], item["category"], p.cap.unit)
                total += got or 0.0
    return total


def _depths(derived: dict[str, Derived]) -> dict[str, int]:
    depth: dict[str, int] = {}
    for _ in range(len(derived) + 1):
        for fid, d in derived.items():
            for a in d.derivations:
                parents = [p for _, p in a.bound if p in derived]
                if all(p in depth for p in parents):
                    n = 1 + max((depth[p] for p in parents), default=0)
                    depth[fid] = min(depth.get(fid, n), n)
    return depth


def _findings(
    facts: FactSet,
    rules: RuleSet,
    acts: set[Act],
    derived: dict[str, Derived],
    base: dict[str, dict[str, Any]],
) -> dict[str, dict[str, Any]]:
    chosen = facts.facts
    by_id = rules.by_id()

    def family(fid: str) -> str:
        return "derived" if fid in derived else FAMILY_OF_KIND[chosen[fid].kind]

    def record(fid: str) -> dict[str, Any]:
        return derived[fid].record() if fid in derived else base[fid]

    def expand(ids: set[str]) -> set[str]:
        out: set[str] = set()
        for fid in ids:
            out.add(fid)
            if fid in derived:
                out |= expand(derived[fid].supports)
        return out

    def reports(ids: set[str]) -> set[str]:
        return {f for f in expand(ids) if f in chosen and family(f) == "event"}

    # One finding per rule and group: the values of group_by, else the reported (or
    # derived) facts the match binds; its id is a hash of the rule id and that key.
    groups: dict[tuple[str, tuple[Any, ...]], list[Act]] = {}
    for a in acts:
        rule = by_id[a.rule_id].rule
        if rule.derive is not None:
            continue
        bound = dict(a.bound)
        key: tuple[Any, ...]
        by = tuple(
            json.dumps(
                resolve(record(bound[r.partition(".")[0]]), r.partition(".")[2]), sort_keys=True
            )
            for r in rule.group_by
        )
        if rule.total is not None:  # one finding per calendar year of the delivery
            year = resolve(record(bound[rule.total.binding]), "date.calendar_year")
            alone = () if year is not None else (bound[rule.total.binding],)
            key = (*by, json.dumps(year), *alone)
        elif rule.group_by:
            key = tuple(
                json.dumps(
                    resolve(record(bound[r.partition(".")[0]]), r.partition(".")[2]), sort_keys=True
                )
                for r in rule.group_by
            )
        else:
            ev = sorted(f for f in bound.values() if family(f) in ("event", "statement", "derived"))
            key = tuple(ev or sorted(bound.values()))
        groups.setdefault((a.rule_id, key), []).append(a)

    out: dict[str, dict[str, Any]] = {}
    for (rule_id, key), group in groups.items():
        rule = by_id[rule_id].rule
        reasons: list[str] = []
        kept, aside = group, set()
        if rule.evidence is not None:
            need = EVIDENCE_RANK[rule.evidence.at_least]
            strong_all: set[str] = set()
            kept = []
            for a in group:
                under = reports({dict(a.bound)[rule.evidence.binding]})
                strong = {r for r in under if chosen[r].evidence_rank >= need}  # type: ignore[union-attr]
                aside |= under - strong
                strong_all |= strong
                if strong:
                    kept.append(a)
            direct = {f for a in kept for n, f in a.bound if n != rule.evidence.binding}
            aside = aside - direct - strong_all
            if not kept:
                kept, aside = group, set()
                reasons.append("evidence")
        bound_ids = {f for a in kept for _, f in a.bound}
        support = expand(bound_ids) - aside
        provisions = [
            p for p in (chosen.get(i) for i in rule.legal_basis) if isinstance(p, Provision)
        ]
        if rule.accountable:
            actors = set()
            for a in kept:
                for ref in rule.accountable:
                    b, _, path = ref.partition(".")
                    v = resolve(record(dict(a.bound)[b]), path)
                    actors |= {x for x in (v if isinstance(v, list) else [v]) if isinstance(x, str)}
            after = [p for p in provisions if any(binds(p, x, chosen) for x in actors)]
            if provisions and not after:
                reasons.append("binds")
            provisions = after
        dated = sorted(reports(bound_ids) - aside)
        if rule.in_force is not None:
            ids = {dict(a.bound)[rule.in_force] for a in kept}
            dated = sorted(
                x for x in expand(ids) - aside if x in chosen and (family(x) == "event" or x in ids)
            )
            after = []
            for p in provisions:
                outcomes = [
                    window_outcome(chosen[x].date, p)
                    for x in dated  # type: ignore[union-attr]
                    if chosen[x].date.precision != "unknown"
                ]  # type: ignore[union-attr]
                if not (outcomes and all(o == "not_in_force" for o in outcomes)):
                    after.append(p)
            if provisions and not after:
                reasons.append("in_force")
            provisions = after
        cats = set()
        for x in dated:  # every list of items the report holds
            for value in base[x].values():
                if isinstance(value, list) and all(isinstance(v, dict) for v in value):
                    cats |= {v["category"] for v in value if "category" in v}
        after = [p for p in provisions if covers_items(p, cats)]
        if provisions and not after:
            reasons.append("items")
        provisions = after
        if rule.total is not None:  # a year's deliveries against each cap
            ids = {dict(a.bound)[rule.total.binding] for a in kept}
            deliveries = [base[x] for x in sorted(expand(ids) - aside) if x in base]
            years = {resolve(d, "date.calendar_year") for d in deliveries}
            after = []
            for p in provisions:
                if p.cap is None or None not in years and _sum(p, deliveries) > p.cap.amount:
                    after.append(p)
            if provisions and not after:
                reasons.append("cap")
            provisions = after
        fid = f"{rule_id}:{hashlib.sha256(repr((rule_id, key)).encode()).hexdigest()[:10]}"
        out[fid] = {
            "facts": sorted(support),
            "provisions": sorted(p.id for p in provisions),
            "flagged": not reasons,
            "reasons": reasons,
        }
    return out
