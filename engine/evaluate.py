"""One evaluation, as the data flows: encode the facts, compile the rules, run them in the
engine with the derivation ledger listening, then build findings from the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.compiler import CompiledRuleSet, assert_order, compile_rules
from engine.derivation import Activation, DerivationError, DerivedFact, Ledger
from engine.durable_adapter import EngineError, run
from engine.encoding import encode
from engine.findings import FindingBuilder
from engine.language.lowered import RuleSet
from engine.loader import FactSet
from engine.run_facts import RunFacts


@dataclass
class Evaluation:
    findings: list[dict[str, Any]]
    not_flagged: list[dict[str, Any]]
    unmatched: list[dict[str, Any]]
    derived: dict[str, DerivedFact]
    compiled: CompiledRuleSet
    activations: frozenset[Activation] = frozenset()  # every match the engine made
    # facts the engine wrongly called "already observed", asserted again under another id
    collisions: tuple[str, ...] = ()


def evaluate(
    facts: FactSet, rules: RuleSet, *, without: frozenset[str] = frozenset()
) -> Evaluation:
    """Evaluate every active rule on the facts (leaving out the fact ids in `without`)."""
    compiled = compile_rules(rules)
    chosen = {fid: f for fid, f in facts.facts.items() if fid not in without}
    known = facts.encoded  # worked out by the loader (or read from its cache)
    encoded = {fid: known.get(fid) or encode(f) for fid, f in chosen.items()}
    ledger = Ledger(compiled.derive)
    try:
        result = run(compiled, assert_order(encoded, compiled.gates), ledger.on_activation)
        ledger.finish()
    except DerivationError as exc:
        raise EngineError(str(exc)) from None
    builder = FindingBuilder(RunFacts(facts, chosen, encoded, ledger), rules)
    findings, not_flagged = builder.build()
    unhandled = set(result.unhandled)
    return Evaluation(
        findings,
        not_flagged,
        builder.unmatched(unhandled),
        ledger.derived,
        compiled,
        frozenset(ledger.activations),
        tuple(result.collisions),
    )
