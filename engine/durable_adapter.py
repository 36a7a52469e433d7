"""The only module that imports durable_rules: an adapter with no domain logic.

It registers a compiled rule set, asserts facts into a fresh session, hands every activation
to a callback (which may give facts to assert in turn) and deletes the session. As
DURABLE_RULES.md advises:
  * a Host subclass whose background dispatcher (`_run`) does nothing, so every action runs
    synchronously inside our own assert call;
  * one Host per process and one ruleset per distinct compiled rule set (the Host cannot
    delete rulesets); one fresh `sid` per evaluation, deleted in `finally`: deleting a session
    that stores no fact crashes the engine, so every session first stores an anchor fact,
    which a rule of its own (with no action) accepts;
  * a process-wide lock around every engine call (the C core is not thread-safe);
  * facts asserted one at a time; "not handled" is a normal outcome and is recorded;
    "already observed" for a distinct fact is a known hash collision: the fact is asserted
    again under another engine id (joins use a mirror of the id), and the run counts it;
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

from engine.compiler import ALIAS_PREFIX, ID_MIRROR, CompiledRuleSet

_ANCHOR_RULE = "$anchor"
_ANCHOR: dict[str, Any] = {"id": "$anchor", "kind": "$anchor"}


class EngineError(Exception):
    """The evaluation could not be completed faithfully; the message says why, plainly."""


class StopEvaluation(Exception):
    """Raised by an activation callback to stop the run; its message is shown as it is."""


# (rule name "<RULE-ID>#<alternative>", binding -> fact) -> facts to assert in turn
OnActivation = Callable[[str, dict[str, dict[str, Any]]], list[dict[str, Any]]]


@dataclass
class RunResult:
    unhandled: list[str]  # input facts no pattern accepted (the engine does not store them)
    collisions: list[str] = field(default_factory=list)  # facts asserted again under a new id


class _Host(_durable.Host):
    def _run(self) -> None:  # no background dispatcher: actions run in the caller's thread
        return None


@dataclass
class _Session:
    on_activation: OnActivation
    errors: list[str] = field(default_factory=list)
    collisions: list[str] = field(default_factory=list)


# The engine keys facts by a 32-bit hash of their id and may call a new fact "already
# observed". Joins never use the engine's id (they use the mirror), so a fact it refuses is
# asserted again under another engine id; what the callback sees is always the fact's own id.
_RETRIES = 8


def _assert(
    put: Callable[[dict[str, Any]], Any],
    fact: dict[str, Any],
    extra: dict[str, Any],
    session: _Session,
) -> None:
    own = fact["id"]
    for attempt in range(_RETRIES + 1):
        engine_id = own if attempt == 0 else f"{own}#{attempt}"
        try:
            put(dict(fact, **extra, id=engine_id, **{ID_MIRROR: own}))
            return
        except _durable.MessageObservedException:
            session.collisions.append(str(own))
    raise StopEvaluation(
        f"the rule engine rejected fact '{own}' as already seen {_RETRIES + 1} times although "
        "its id is unique (a known hash collision in durable_rules); results would be "
        "incomplete, so none are given"
    )


def _as_given(fact: dict[str, Any]) -> dict[str, Any]:
    """A fact as the engine hands it back, with its own id (see _assert)."""
    own = fact.pop(ID_MIRROR, fact.get("id"))
    fact["id"] = own
    return fact


_LOCK = threading.Lock()
_HOST: _Host | None = None
_REGISTERED: set[str] = set()
_SESSIONS: dict[str, _Session] = {}
_SID = itertools.count(1)


def _action(rule_name: str) -> Callable[[Any], None]:
    def run(c: Any) -> None:
        session = _SESSIONS.get(str(c.s.sid))
        if session is None or session.errors:  # an error already stops the evaluation
            return
        try:
            bound = {
                alias[len(ALIAS_PREFIX) :]: _as_given(dict(v))
                for alias, v in c._m.items()
                if alias.startswith(ALIAS_PREFIX) and not alias.startswith(ALIAS_PREFIX + "_")
            }
            for fact in session.on_activation(rule_name, bound):
                # a derived kind no rule uses is refused by the engine; it stays in the ledger
                with contextlib.suppress(_durable.MessageNotHandledException):
                    _assert(c.assert_fact, fact, {}, session)
        except StopEvaluation as exc:
            session.errors.append(str(exc))
        except Exception as exc:  # surfaced after the run; the engine would swallow it
            session.errors.append(f"rule {rule_name} failed while firing: {exc!r}")
        finally:
            # durable_rules keeps each action's context in a reference cycle (a timer closure
            # that names itself), so the matched facts it parsed would live on until the
            # cycle collector walks them all; nothing reads them after the action: let go now.
            c._m.clear()

    return run


def _nothing(c: Any) -> None:
    return None


def _host_for(compiled: CompiledRuleSet) -> _Host:
    global _HOST
    if _HOST is None:
        _HOST = _Host()
    if compiled.name not in _REGISTERED:
        definition = copy.deepcopy(compiled.as_json())  # the engine deletes 'run' from its input
        for name, rule in definition.items():
            rule["run"] = _action(name)
        definition[_ANCHOR_RULE] = {"all": [{"m": {"kind": _ANCHOR["kind"]}}], "run": _nothing}
        _HOST.set_rulesets({compiled.name: definition})
        _REGISTERED.add(compiled.name)
    return _HOST


def run(compiled: CompiledRuleSet, facts: list[dict[str, Any]], on: OnActivation) -> RunResult:
    """Assert facts (JSON-ready dicts with unique ids) in the order given."""
    with _LOCK:
        try:
            host = _host_for(compiled)
        except _durable_error() as exc:
            raise EngineError(f"the rule engine refused the rules: {exc}") from None
        sid = f"eval-{next(_SID)}"
        session = _Session(on)
        _SESSIONS[sid] = session
        unhandled: list[str] = []
        try:
            host.assert_fact(compiled.name, dict(_ANCHOR, sid=sid))
            for fact in facts:
                try:
                    _assert(
                        lambda f: host.assert_fact(compiled.name, f), fact, {"sid": sid}, session
                    )
                except _durable.MessageNotHandledException:
                    unhandled.append(str(fact["id"]))
                if session.errors:
                    break
            state = host.get_state(compiled.name, sid)
            if state.get("exception"):
                session.errors.append(f"the rule engine reported: {state['exception']}")
        except StopEvaluation as exc:
            raise EngineError(str(exc)) from None
        except _durable_error() as exc:
            raise EngineError(f"the rule engine failed: {exc}") from None
        finally:
            _SESSIONS.pop(sid, None)
            host.delete_state(compiled.name, sid)
        if session.errors:
            raise EngineError("; ".join(session.errors))
        return RunResult(unhandled, session.collisions)


def _durable_error() -> type[Exception]:
    import durable_rules_engine  # the C extension's error type

    return durable_rules_engine.error  # type: ignore[no-any-return]


def durable_version() -> str:
    from engine.sentence_cache import dist_version  # without importlib.metadata's 10 ms

    return dist_version("durable_rules")
