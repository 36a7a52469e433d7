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


class _Host(_durable.Host):
    def _run(self) -> None:  # no background dispatcher: actions run in the caller's thread
        return None


@dataclass
class _Session:
    on_activation: OnActivation
    errors: list[str] = field(default_factory=list)


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
                alias[len(ALIAS_PREFIX) :]: {k: x for k, x in dict(v).items() if k != ID_MIRROR}
                for alias, v in c._m.items()
                if alias.startswith(ALIAS_PREFIX) and not alias.startswith(ALIAS_PREFIX + "_")
            }
            for fact in session.on_activation(rule_name, bound):
                # a derived kind no rule uses is refused by the engine; it stays in the ledger
                with contextlib.suppress(_durable.MessageNotHandledException):
                    c.assert_fact(dict(fact, **{ID_MIRROR: fact["id"]}))
        except StopEvaluation as exc:
            session.errors.append(str(exc))
        except Exception as exc:  # surfaced after the run; the engine would swallow it
            session.errors.append(f"rule {rule_name} failed while firing: {exc!r}")

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
        host = _host_for(compiled)
        sid = f"eval-{next(_SID)}"
        session = _Session(on)
        _SESSIONS[sid] = session
        unhandled: list[str] = []
        try:
            host.assert_fact(compiled.name, dict(_ANCHOR, sid=sid))
            for fact in facts:
                try:
                    host.assert_fact(compiled.name, dict(fact, sid=sid, **{ID_MIRROR: fact["id"]}))
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
            host.delete_state(compiled.name, sid)
        if session.errors:
            raise EngineError("; ".join(session.errors))
        return RunResult(unhandled)


def _durable_error() -> type[Exception]:
    import durable_rules_engine  # the C extension's error type

    return durable_rules_engine.error  # type: ignore[no-any-return]


def durable_version() -> str:
    from importlib.metadata import version

    return version("durable_rules")
