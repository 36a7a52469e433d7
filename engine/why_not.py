"""Why a rule did not fire: which condition failed for the nearest candidate facts, and what
fact would have been needed (`sanctions explain --rule RULE_ID`).

The engine only says what matched. To explain what did not, each test of the rule is
judged here on the facts one by one, following docs/semantics.md (a test that agrees with
the engine on every bundled finding: tests/test_why_not.py). This is for explanation only:
findings always come from the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.encoding import encode
from engine.evaluate import Evaluation
from engine.language.lowered import Binding, CheckedRule, Test
from engine.loader import FactSet
from engine.paths import resolve

_SIDE = {
    "before": "latest",
    "on_or_before": "latest",
    "after": "earliest",
    "on_or_after": "earliest",
}
NEAREST = 3


def holds(t: Test, fact: dict[str, Any]) -> bool:
    """One test on one fact (joins are judged by `_joined`)."""
    op, want = t.op, _plain(t.value)
    if t.spec.type == "object" and "earliest" in t.spec.children:  # an event's date
        d = resolve(fact, t.path)
        if op == "exists":
            return bool((isinstance(d, dict) and d.get("precision") != "unknown") == want)
        side = d.get(_SIDE.get(op, "")) if isinstance(d, dict) else None
        return side is not None and _compare(op, side, want)
    value = resolve(fact, t.path)
    present = value is not None and value != []
    if op == "equals":
        return present and bool(value == want)
    if op == "not":
        return not present or bool(value != want)
    if op == "one_of":
        return present and value in [_plain(v) for v in want]
    if op == "not_one_of":
        return not present or value not in [_plain(v) for v in want]
    if op == "exists":
        return bool(present == want)
    if op == "contains":
        return isinstance(value, list) and want in value
    if op == "contains_any":
        return isinstance(value, list) and any(_plain(v) in value for v in want)
    if op == "within":
        from engine.vocabulary import TAXONOMY

        below = set(TAXONOMY.subtree(str(want)))
        return isinstance(value, list) and any(v in below for v in value)
    return present and _compare(op, value, want)


def _compare(op: str, value: Any, want: Any) -> bool:
    if op in ("greater_than", "after"):
        return bool(value > want)
    if op in ("at_least", "on_or_after"):
        return bool(value >= want)
    if op in ("less_than", "before"):
        return bool(value < want)
    if op in ("at_most", "on_or_before"):
        return bool(value <= want)
    return False


def _plain(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


def describe(t: Test) -> str:
    value = t.value if not isinstance(t.value, list) else "[" + ", ".join(map(str, t.value)) + "]"
    return f"{t.path} {t.op.replace('_', ' ')} {_plain(value)}"


@dataclass
class Candidate:
    fact: str
    failed: list[str]  # the tests it fails, in words, with the value it has


def explain_rule(checked: CheckedRule, facts: FactSet, ev: Evaluation) -> str:
    rule = checked.rule
    lines = [f"Rule {rule.id}: {rule.title}"]
    fired = [f["id"] for f in ev.findings if f["rule"]["id"] == rule.id]
    aside = [f for f in ev.not_flagged if f["rule"]["id"] == rule.id]
    derived = [d.id for d in ev.derived.values() if d.rule_id == rule.id]
    if rule.status != "active":
        return "\n".join([*lines, f"It is {rule.status}: it is not evaluated.", ""])
    if fired or derived:
        made = fired or derived
        lines.append(f"It fired: {len(made)} result(s): {', '.join(made)}.")
        lines.append("Use 'sanctions explain FINDING_ID' for why each was flagged.")
    for f in aside:
        lines.append(
            f"It matched {', '.join(f['facts'])}, but set it aside: "
            + "; ".join(f.get("reasons", []))
            + "."
        )
    if fired or derived or aside:
        return "\n".join([*lines, ""])
    lines.append("It did not fire: no facts match all its conditions.")
    records = {fid: encode(f) for fid, f in facts.facts.items()}
    records |= {d.id: {"id": d.id, "kind": d.kind, **d.fields} for d in ev.derived.values()}
    for i, bindings in enumerate(checked.alternatives):
        if len(checked.alternatives) > 1:
            lines.append(f"Alternative {i + 1} of any_of:")
        lines += ["  " + x for x in _alternative(bindings, records)]
    return "\n".join([*lines, ""])


def _alternative(bindings: dict[str, Binding], records: dict[str, dict[str, Any]]) -> list[str]:
    out: list[str] = []
    passing: dict[str, list[str]] = {}
    for b in bindings.values():
        if b.negated:
            continue
        own = [t for t in b.tests if t.op != "same_as"]
        kind = [fid for fid, r in sorted(records.items()) if r.get("kind") == b.kind]
        scored = [
            Candidate(
                fid,
                [
                    f"{describe(t)} (it has {_shown(records[fid], t)})"
                    for t in own
                    if not holds(t, records[fid])
                ],
            )
            for fid in kind
        ]
        passing[b.name] = [c.fact for c in scored if not c.failed]
        if not kind:
            out.append(
                f"'{b.name}': no fact of kind {b.kind} at all; needed: {_a(b.kind)}"
                + (" with " + "; ".join(map(describe, own)) if own else "")
                + "."
            )
        elif not passing[b.name]:
            out.append(
                f"'{b.name}': none of the {len(kind)} {b.kind} fact(s) passes its tests. Nearest:"
            )
            for c in sorted(scored, key=lambda c: (len(c.failed), c.fact))[:NEAREST]:
                out.append(f"    {c.fact} fails: " + "; ".join(c.failed))
            out.append(f"  needed: {_a(b.kind)} with " + "; ".join(map(describe, own)) + ".")
        else:
            out.append(
                f"'{b.name}': {len(passing[b.name])} of {len(kind)} {b.kind} fact(s) pass "
                f"its own tests ({', '.join(passing[b.name][:5])}"
                + (", ..." if len(passing[b.name]) > 5 else "")
                + ")."
            )
    if all(passing.get(b.name) for b in bindings.values() if not b.negated):
        out += _joins_and_negations(bindings, records, passing)
    return out


def _joins_and_negations(
    bindings: dict[str, Binding], records: dict[str, dict[str, Any]], passing: dict[str, list[str]]
) -> list[str]:
    out: list[str] = []
    for b in bindings.values():
        for t in b.tests:
            if t.op != "same_as" or b.negated:
                continue
            other, _, path = str(t.value).partition(".")
            pairs = [
                (x, y)
                for x in passing[b.name]
                for y in passing.get(other, [])
                if x != y and _joined(records[x], t.path, records[y], path)
            ]
            if not pairs:
                out.append(
                    f"No '{b.name}' has {t.path} equal to the {path} of a passing "
                    f"'{other}': the join {b.name}.{t.path} same as {t.value} fails."
                )
    negated = [b for b in bindings.values() if b.negated]
    if not out and negated:
        for n in negated:
            blockers = [
                fid
                for fid, r in sorted(records.items())
                if r.get("kind") == n.kind
                and all(holds(t, r) for t in n.tests if t.op != "same_as")
            ]
            if blockers:
                out.append(
                    f"'unless {n.name}' may block it: {', '.join(blockers[:5])} "
                    f"{'is' if len(blockers) == 1 else 'are'} a {n.kind} passing its "
                    "own tests (its joins decide)."
                )
    if not out:
        out.append(
            "Each binding has candidates, but no single combination passes every join together."
        )
    return out


def _a(kind: str) -> str:
    words = kind.replace("_", " ")
    return ("an " if words[:1] in "aeiou" else "a ") + words


def _joined(a: dict[str, Any], pa: str, b: dict[str, Any], pb: str) -> bool:
    x, y = resolve(a, pa), resolve(b, pb)
    return x is not None and y is not None and x == y


def _shown(record: dict[str, Any], t: Test) -> str:
    value = resolve(record, t.path)
    if isinstance(value, dict) and "precision" in value:
        return str(value.get(_SIDE.get(t.op, "precision"), value.get("precision")))
    return "nothing" if value in (None, []) else str(value)
