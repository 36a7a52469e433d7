"""Legal checks made after the engine has matched: in-force windows and who is bound.

Both are comparisons between two facts (an event's date and a provision's window; an actor
and a provision's bearers), which durable_rules cannot do safely inside a join, so they
run here on the matched facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from engine.facts import EventDate, Provision, State


@dataclass(frozen=True)
class InForceCheck:
    provision: str
    fact: str
    event_date: str
    precision: str
    outcome: str  # in_force | not_in_force | uncertain

    def as_dict(self) -> dict[str, Any]:
        return {
            "provision": self.provision,
            "fact": self.fact,
            "event_date": self.event_date,
            "precision": self.precision,
            "outcome": self.outcome,
        }


def window_outcome(when: EventDate, p: Provision) -> str:
    """In force only if every day the event may have happened on is inside the window."""
    lo, hi = when.bounds()
    if lo is None or hi is None:
        return "uncertain"
    start, until = p.in_force.start, p.in_force.until or date.max
    if hi < start or lo > until:
        return "not_in_force"
    if lo >= start and hi <= until:
        return "in_force"
    return "uncertain"


def combine(outcomes: list[str]) -> str:
    """Across several reports of one act: in force if any report places it inside."""
    if not outcomes:
        return "uncertain"
    if "in_force" in outcomes:
        return "in_force"
    if all(o == "not_in_force" for o in outcomes):
        return "not_in_force"
    return "uncertain"


def binds(p: Provision, actor_id: str, facts: dict[str, Any]) -> bool:
    """Whether the provision's duty falls on this actor (or the State it acts for)."""
    if actor_id in p.bound:
        return True
    state = _state_of(actor_id, facts)
    if state is None:
        return False
    if state.id in p.bound:
        return True
    if "all_states" in p.bound:
        return True
    return "all_member_states" in p.bound and state.un_member


def _state_of(actor_id: str, facts: dict[str, Any]) -> State | None:
    seen: set[str] = set()
    current = facts.get(actor_id)
    while current is not None and current.id not in seen:
        if isinstance(current, State):
            return current
        seen.add(current.id)
        parent = getattr(current, "affiliation", None) or getattr(current, "state", None)
        current = facts.get(parent) if parent else None
    return None
