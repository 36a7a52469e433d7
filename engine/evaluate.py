"""One evaluation, as the data flows: encode the facts, compile the rules, run them in the
engine with the derivation ledger listening, then build findings from the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.compiler import CompiledRuleSet, assert_order, compile_rules
from engine.derivation import Activation, DerivationError, DerivedFact, Ledger
from engine.durable_adapter import EngineError, run
from engine.facts import AnyFact
from engine.findings import FindingBuilder
from engine.language.lowered import RuleSet
from engine.loader import FactSet
from engine.run_facts import RunFacts

_NEVER_ENCODED = {"cite", "notes", "aliases"}


def encode(fact: AnyFact) -> dict[str, Any]:
    """The fact as the engine sees it: JSON types, ISO dates; absent, null, empty text and
    empty lists all left out, so `exists` means the same for each."""
    encoded: dict[str, Any] = _prune(fact.model_dump(mode="json", exclude=_NEVER_ENCODED))
    return encoded


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        out = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not None and v != [] and v != ""}
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
    activations: frozenset[Activation] = frozenset()  # every match the engine made
    # facts the engine wrongly called "already observed", asserted again under another id
    collisions: tuple[str, ...] = ()


def evaluate(
    facts: FactSet, rules: RuleSet, *, without: frozenset[str] = frozenset()
) -> Evaluation:
    """Evaluate every active rule on the facts (leaving out the fact ids in `without`)."""
    compiled = compile_rules(rules)
    chosen = {fid: f for fid, f in facts.facts.items() if fid not in without}
    encoded = {fid: encode(f) for fid, f in chosen.items()}
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
