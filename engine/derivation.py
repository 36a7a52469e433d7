"""The ledger of one run: every activation, and the facts derive rules make.

A derived fact is identified by its kind and key fields. The same key reached again (another
report of the same act) is the same fact: its supports are merged, and every derivation of it
is kept, so provenance is a graph (derivations with their parents), never a single chain.
Depth and the `chain` shown for a derived fact are computed once the run is over, from the
whole graph, so they do not depend on the order the engine fired in: depth is the length of
the shortest derivation, and the chain follows, at each step, the first derivation (by rule
and bound facts) that reaches that depth.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from engine.compiler import DeriveSpec
from engine.durable_adapter import StopEvaluation
from engine.paths import resolve

DEFAULT_MAX_DEPTH = 8
# A derivation that has gone this many steps while the engine is still firing is a runaway
# loop: stop it there (the exact limit is checked afterwards, on the whole graph).
_RUNAWAY = 64
_MAX_ID_LENGTH = 200


@dataclass(frozen=True)
class Activation:
    rule_id: str
    alternative: int
    bound: tuple[tuple[str, str], ...]  # (binding, fact id), sorted by binding


@dataclass
class DerivedFact:
    id: str
    kind: str
    fields: dict[str, Any]
    rule_id: str
    derivations: set[Activation] = field(default_factory=set)
    depth: int = 0
    chain: tuple[str, ...] = ()  # rule ids of one shortest derivation, first to last

    @property
    def supports(self) -> set[str]:
        return {fid for a in self.derivations for _, fid in a.bound}

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "rule": self.rule_id,
            "fields": self.fields,
            "supports": sorted(self.supports),
            "depth": self.depth,
            "chain": list(self.chain),
            "derivations": [
                {"alternative": a.alternative, "bound": dict(a.bound)}
                for a in sorted(self.derivations, key=lambda a: (a.alternative, a.bound))
            ],
        }


class DerivationError(StopEvaluation):
    pass


class Ledger:
    def __init__(self, derive: dict[str, DeriveSpec], max_depth: int = DEFAULT_MAX_DEPTH) -> None:
        self.derive = derive
        self.max_depth = max_depth
        self.activations: set[Activation] = set()
        self.derived: dict[str, DerivedFact] = {}
        self._steps: dict[str, int] = {}  # depth as first made, to stop a runaway early

    def on_activation(
        self, rule_name: str, facts: dict[str, dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Record one activation; return the derived fact to assert, if it is new."""
        rule_id, _, alt = rule_name.partition("#")
        act = Activation(
            rule_id, int(alt), tuple(sorted((n, str(f["id"])) for n, f in facts.items()))
        )
        self.activations.add(act)
        spec = self.derive.get(rule_id)
        if spec is None:
            return []
        values = derived_values(spec, facts)
        fid = derived_id(spec, values, [fid_ for _, fid_ in act.bound])
        existing = self.derived.get(fid)
        if existing is not None:
            existing.derivations.add(act)
            return []
        steps = 1 + max((self._steps.get(fid_, 0) for _, fid_ in act.bound), default=0)
        if steps > _RUNAWAY:
            raise DerivationError(self._too_deep(act))
        self._steps[fid] = steps
        self.derived[fid] = DerivedFact(fid, spec.kind, values, rule_id, {act})
        return [derived_record(fid, spec.kind, values)]

    def finish(self) -> None:
        """Depth and chain from the whole graph; a derivation deeper than allowed is an error."""
        depth: dict[str, int] = {}
        best: dict[str, Activation] = {}
        changed = True
        while changed:  # shortest derivations, by relaxation; the graph is finite
            changed = False
            for fid in sorted(self.derived):
                d = self.derived[fid]
                for act in sorted(d.derivations, key=lambda a: (a.rule_id, a.alternative, a.bound)):
                    parents = [p for _, p in act.bound if p in self.derived]
                    if any(p not in depth for p in parents):
                        continue
                    n = 1 + max((depth[p] for p in parents), default=0)
                    if fid not in depth or n < depth[fid]:
                        depth[fid], best[fid] = n, act
                        changed = True
        for fid, d in self.derived.items():
            d.depth = depth.get(fid, 0)
            d.chain = self._chain(fid, best, depth)
        deepest = max(self.derived.values(), key=lambda d: (d.depth, d.id), default=None)
        if deepest is not None and deepest.depth > self.max_depth:
            raise DerivationError(
                f"derivation went deeper than {self.max_depth} steps (rules: "
                f"{' -> '.join(_collapse(deepest.chain))}); a rule probably derives from its "
                "own output"
            )

    def _chain(
        self, fid: str, best: dict[str, Activation], depth: dict[str, int]
    ) -> tuple[str, ...]:
        out: list[str] = []
        seen: set[str] = set()
        while fid in best and fid not in seen:
            seen.add(fid)
            act = best[fid]
            out.append(act.rule_id)
            parents = sorted(
                (p for _, p in act.bound if p in self.derived), key=lambda p: (-depth[p], p)
            )
            if not parents:
                break
            fid = parents[0]
        return tuple(reversed(out))

    def _too_deep(self, act: Activation) -> str:
        chain = [act.rule_id]
        fid = next((p for _, p in act.bound if p in self.derived), None)
        while fid is not None and len(chain) < _RUNAWAY + 1:
            d = self.derived[fid]
            chain.append(d.rule_id)
            first = min(d.derivations, key=lambda a: (a.rule_id, a.bound))
            fid = next((p for _, p in first.bound if p in self.derived), None)
        return (
            f"derivation went deeper than {self.max_depth} steps (rules: "
            f"{' -> '.join(_collapse(tuple(reversed(chain))[: self.max_depth + 1]))}); a rule "
            "probably derives from "
            "its own output"
        )


def derived_values(spec: DeriveSpec, facts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Each field read through the one path resolver; a list becomes a sorted set of values,
    so the same items in another order are the same fact."""
    out: dict[str, Any] = {}
    for name, ref in spec.fields.items():
        binding, _, path = ref.partition(".")
        value = resolve(facts.get(binding), path)
        if isinstance(value, list):
            value = sorted({json.dumps(v, sort_keys=True) for v in value})
            value = [json.loads(v) for v in value]
        out[name] = value
    return out


def derived_id(spec: DeriveSpec, values: dict[str, Any], bound: list[str]) -> str:
    """The kind and key values; a key field with no value equals nothing, not even another
    missing value (a report whose year is unknown is an act of its own), so the facts the
    match bound are then part of the id."""
    parts = []
    for k in spec.key_fields():
        v = values[k]
        parts.append(f"{k}={v if isinstance(v, str) else json.dumps(v, sort_keys=True)}")
    if any(values[k] is None for k in spec.key_fields()):
        parts.append("of=" + "+".join(sorted(bound)))
    fid = spec.kind + "(" + ",".join(parts) + ")"
    if len(fid) > _MAX_ID_LENGTH:  # the engine hashes ids; keep them short and stable
        fid = f"{spec.kind}#{hashlib.sha256(fid.encode()).hexdigest()[:24]}"
    return fid


def derived_record(fid: str, kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """The derived fact as the engine sees it: absent and empty values left out, as for
    reported facts (engine.evaluate.encode)."""
    return {
        "id": fid,
        "kind": kind,
        **{k: v for k, v in values.items() if v is not None and v != [] and v != ""},
    }


def _collapse(chain: tuple[str, ...]) -> list[str]:
    """('A', 'B', 'B', 'B') -> ['A', 'B x3']: a runaway chain, readably."""
    runs: list[list[Any]] = []
    for rule_id in chain:
        if runs and runs[-1][0] == rule_id:
            runs[-1][1] += 1
        else:
            runs.append([rule_id, 1])
    return [r if n == 1 else f"{r} x{n}" for r, n in runs]
