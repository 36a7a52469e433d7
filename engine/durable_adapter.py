"""The only module that imports durable_rules: one guarded Host, one session per evaluation.

DURABLE_RULES.md's design-around list, as applied here:
  * a Host subclass whose background dispatcher (`_run`) does nothing, so every action runs
    synchronously inside our own assert call;
  * one Host per process and one ruleset per distinct compiled rule set (the Host cannot
    delete rulesets); one fresh `sid` per evaluation, deleted in `finally`;
  * a process-wide lock around every engine call (the C core is not thread-safe);
  * facts asserted one at a time; "not handled" is a normal outcome and is recorded;
    "already observed" for a distinct input fact is a known hash collision and an error;
  * every action body wrapped: an exception becomes an error of the evaluation, never lost.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from durable import engine as _durable  # the only durable_rules import in the project

from engine.compiler import ALIAS_PREFIX, CompiledRuleSet

DEFAULT_MAX_DEPTH = 8


class EngineError(Exception):
    """The evaluation could not be completed faithfully; the message says why, plainly."""


@dataclass(frozen=True)
class DeriveSpec:
    rule_id: str
    kind: str
    fields: dict[str, str]  # derived field -> "binding.path"
    key: tuple[str, ...]


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
    depth: int
    chain: tuple[str, ...]  # rule ids from the first derivation to this one
    supports: set[str] = field(default_factory=set)  # fact ids (base or derived) it rests on

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "rule": self.rule_id,
            "fields": self.fields,
            "supports": sorted(self.supports),
            "depth": self.depth,
            "chain": list(self.chain),
        }


@dataclass
class RunResult:
    activations: list[Activation]
    derived: dict[str, DerivedFact]
    unhandled: list[str]  # input facts no pattern accepted (the engine does not store them)


class _Host(_durable.Host):
    def _run(self) -> None:  # no background dispatcher: actions run in the caller's thread
        return None


_LOCK = threading.Lock()
_HOST: _Host | None = None
_REGISTERED: set[str] = set()
_SESSIONS: dict[str, _Session] = {}
_SID = itertools.count(1)


class _Session:
    def __init__(self, derive: dict[str, DeriveSpec], max_depth: int) -> None:
        self.derive = derive
        self.max_depth = max_depth
        self.activations: list[Activation] = []
        self.derived: dict[str, DerivedFact] = {}
        self.errors: list[str] = []

    def on_activation(self, rule_name: str, matched: dict[str, Any], closure: Any) -> None:
        rule_id, _, alt = rule_name.partition("#")
        facts = {
            alias[len(ALIAS_PREFIX) :]: dict(v)
            for alias, v in matched.items()
            if alias.startswith(ALIAS_PREFIX)
        }
        bound = tuple(sorted((name, str(f["id"])) for name, f in facts.items()))
        self.activations.append(Activation(rule_id, int(alt), bound))
        spec = self.derive.get(rule_id)
        if spec is not None:
            self._derive(spec, facts, closure)

    def _derive(self, spec: DeriveSpec, facts: dict[str, dict[str, Any]], closure: Any) -> None:
        values = {name: _get(facts, ref) for name, ref in spec.fields.items()}
        key = spec.key or tuple(sorted(values))
        fid = spec.kind + "(" + ",".join(f"{k}={values[k]}" for k in key) + ")"
        supports = {str(f["id"]) for f in facts.values()}
        parents = [self.derived[s] for s in supports if s in self.derived]
        existing = self.derived.get(fid)
        if existing is not None:  # the same derived fact again: one fact, merged supports
            existing.supports |= supports
            return
        depth = 1 + max((p.depth for p in parents), default=0)
        chain = (max(parents, key=lambda p: p.depth).chain if parents else ()) + (spec.rule_id,)
        if depth > self.max_depth:
            self.errors.append(
                f"derivation went deeper than {self.max_depth} steps (rules: "
                f"{' -> '.join(_collapse(chain))}); a rule probably derives from its own output"
            )
            return
        self.derived[fid] = DerivedFact(
            fid, spec.kind, values, spec.rule_id, depth, chain, supports
        )
        fact = {"id": fid, "kind": spec.kind, **{k: v for k, v in values.items() if v is not None}}
        # If no rule uses this derived kind the engine refuses it; it stays in the ledger.
        with contextlib.suppress(_durable.MessageNotHandledException):
            closure.assert_fact(fact)


def _collapse(chain: tuple[str, ...]) -> list[str]:
    """('A', 'B', 'B', 'B') -> ['A', 'B x3']: a runaway chain, readably."""
    runs: list[list[Any]] = []
    for rule_id in chain:
        if runs and runs[-1][0] == rule_id:
            runs[-1][1] += 1
        else:
            runs.append([rule_id, 1])
    return [r if n == 1 else f"{r} x{n}" for r, n in runs]


def _get(facts: dict[str, dict[str, Any]], ref: str) -> Any:
    binding, _, path = ref.partition(".")
    value: Any = facts.get(binding)
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _action(rule_name: str) -> Callable[[Any], None]:
    def run(c: Any) -> None:
        session = _SESSIONS.get(str(c.s.sid))
        if session is None:  # cannot happen: sessions live for the whole evaluation
            return
        try:
            session.on_activation(rule_name, c._m, c)
        except Exception as exc:  # surfaced after the run; the engine would swallow it
            session.errors.append(f"rule {rule_name} failed while firing: {exc!r}")

    return run


def _host_for(compiled: CompiledRuleSet) -> _Host:
    global _HOST
    if _HOST is None:
        _HOST = _Host()
    if compiled.name not in _REGISTERED and compiled.rules:
        definition = copy.deepcopy(compiled.as_json())  # the engine deletes 'run' from its input
        for name, rule in definition.items():
            rule["run"] = _action(name)
        _HOST.set_rulesets({compiled.name: definition})
        _REGISTERED.add(compiled.name)
    return _HOST


def run(
    compiled: CompiledRuleSet,
    facts: list[dict[str, Any]],
    derive: dict[str, DeriveSpec],
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> RunResult:
    """Assert facts (already canonical JSON-ready dicts with unique ids) and collect results."""
    if not compiled.rules:
        return RunResult([], {}, [str(f["id"]) for f in facts])
    with _LOCK:
        host = _host_for(compiled)
        sid = f"eval-{next(_SID)}"
        session = _Session(derive, max_depth)
        _SESSIONS[sid] = session
        unhandled: list[str] = []
        try:
            for fact in facts:
                try:
                    host.assert_fact(compiled.name, dict(fact, sid=sid))
                except _durable.MessageNotHandledException:
                    unhandled.append(str(fact["id"]))
                except _durable.MessageObservedException:
                    raise EngineError(
                        f"the rule engine rejected fact '{fact['id']}' as already seen although "
                        "its id is unique (a known hash collision in durable_rules); results "
                        "would be incomplete, so none are given"
                    ) from None
                if session.errors:
                    break
            state = host.get_state(compiled.name, sid)
            if state.get("exception"):
                session.errors.append(f"the rule engine reported: {state['exception']}")
        except _durable_error() as exc:
            raise EngineError(f"the rule engine failed: {exc}") from None
        finally:
            _SESSIONS.pop(sid, None)
            # the state does not exist when no fact was stored
            with contextlib.suppress(Exception):
                host.delete_state(compiled.name, sid)
        if session.errors:
            raise EngineError("; ".join(session.errors))
        return RunResult(session.activations, session.derived, unhandled)


def _durable_error() -> type[Exception]:
    import durable_rules_engine  # the C extension's error type

    return durable_rules_engine.error  # type: ignore[no-any-return]


def durable_version() -> str:
    from importlib.metadata import version

    return version("durable_rules")
