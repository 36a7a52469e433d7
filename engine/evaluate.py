"""One evaluation: encode the facts, run the compiled rules, and hand over to findings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.compiler import CompiledRuleSet, compile_rules
from engine.facts import AnyFact
from engine.findings import FindingBuilder
from engine.loader import FactSet
from engine.language.lowered import RuleSet
from engine.durable_adapter import DerivedFact, DeriveSpec, run

_NEVER_ENCODED = {"cite", "notes", "aliases"}


def encode(fact: AnyFact) -> dict[str, Any]:
    """The fact as the engine sees it: JSON types, ISO dates, no nulls or empty lists."""
    encoded: dict[str, Any] = _prune(fact.model_dump(mode="json", exclude=_NEVER_ENCODED))
    return encoded


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        out = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not None and v != []}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


@dataclass
class Evaluation:
    findings: list[dict[str, Any]]
    not_flagged: list[dict[str, Any]]
    unmatched: list[dict[str, Any]]
    derived: dict[str, DerivedFact]
    compiled: CompiledRuleSet


def evaluate(
    facts: FactSet, rules: RuleSet, *, without: frozenset[str] = frozenset()
) -> Evaluation:
    """Evaluate every active rule on the facts (leaving out the fact ids in `without`)."""
    compiled = compile_rules(rules)
    chosen = {fid: f for fid, f in facts.facts.items() if fid not in without}
    encoded = {fid: encode(f) for fid, f in chosen.items()}
    # Kinds that some rule negates go first: the engine fires on assert, so a blocking fact
    # must already be there when the fact it blocks arrives (negating derived kinds is refused).
    order = sorted(
        encoded,
        key=lambda i: (encoded[i]["kind"] not in compiled.negated_kinds, encoded[i]["kind"], i),
    )
    derive = {
        r.rule.id: DeriveSpec(
            r.rule.id, r.rule.derive.kind, dict(r.rule.derive.fields), tuple(r.rule.derive.key)
        )
        for r in rules.rules
        if r.rule.derive is not None and r.rule.status == "active"
    }
    result = run(compiled, [encoded[i] for i in order], derive)
    builder = FindingBuilder(facts, chosen, encoded, rules, result)
    findings, not_flagged = builder.build()
    return Evaluation(findings, not_flagged, builder.unmatched(findings), result.derived, compiled)
