"""Checks made after the engine has matched (docs/semantics.md, "After the match"): evidence,
who is bound, in-force windows and item scope. Each compares two facts (a report's modality
and a rule's threshold, an act's date and a provision's window, an actor and a provision's
bearers, an act's items and a provision's scope), which durable_rules cannot do safely inside
a join, so they run here, as plain functions, on the matched facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from engine.facts import EVIDENCE_RANK, EventDate, Provision, State
from engine.vocabulary import TAXONOMY


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


def combine(outcomes: list[tuple[str, str]]) -> str:
    """Across several reports of one act, as (precision, outcome): reports that give no date
    say nothing about it; the dated ones must agree, else the check is uncertain."""
    dated = [o for precision, o in outcomes if precision != "unknown"]
    if not dated:
        return "uncertain"
    if all(o == "in_force" for o in dated):
        return "in_force"
    if all(o == "not_in_force" for o in dated):
        return "not_in_force"
    return "uncertain"


def covers_items(p: Provision, categories: set[str]) -> bool:
    """A provision with an item scope covers an act only if some reported item is in scope:
    of a category it names or of one below it (vocabulary/categories.yaml); one without a
    scope, or an act with no items reported, is not limited by it."""
    if not p.item_categories or not categories:
        return True
    return any(TAXONOMY.is_within(c, scope) for c in categories for scope in p.item_categories)


def meets(modality: str, required: str) -> bool:
    return EVIDENCE_RANK[modality] >= EVIDENCE_RANK[required]


def independence_unit(actor_id: str, facts: dict[str, Any]) -> str:
    """Whom a report really comes from: an official or group speaks for the State or
    government it belongs to, so 'U.S. officials' and 'the United States' are one party. A
    newspaper or company speaks for itself."""
    seen: set[str] = set()
    current = actor_id
    while current not in seen:
        seen.add(current)
        fact = facts.get(current)
        parent = getattr(fact, "affiliation", None)
        if getattr(fact, "org_type", None) == "government_body":
            parent = getattr(fact, "state", None)
        if not parent or parent not in facts:
            return current
        current = parent
    return current


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
