"""Checks made after the engine has matched (docs/semantics.md, "After the match"): evidence,
who is bound, in-force windows, item scope and totals against caps. Each compares facts in
ways durable_rules cannot do safely inside a join (a report's modality and a rule's
threshold, an act's date and a provision's window, an actor and a provision's bearers, an
act's items and a provision's scope, a year's amounts and a cap), so they run here, as plain
functions, on the matched facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from engine.derivation import Activation
from engine.facts import EVIDENCE_RANK, EventDate, Provision, State
from engine.language.model import Rule
from engine.paths import resolve
from engine.quantities import LOWER_BOUNDS, UNITS, Total
from engine.run_facts import RunFacts
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
    return span_outcome(when.bounds(), p)


def span_outcome(span: tuple[date | None, date | None], p: Provision) -> str:
    """`window_outcome` for an event known to lie between the days of `span` (bounds)."""
    lo, hi = span
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


# -- the checks after the match, in order (docs/semantics.md, "After the match") -------------


@dataclass
class MatchChecks:
    """What the checks made of one group of matches (one finding)."""

    kept: list[Activation]  # the matches that stand (all of them when none does)
    set_aside: set[str]  # reports too weak for the rule's evidence threshold
    reports: list[str]  # the reports of the kept matches, less those set aside, sorted
    under: list[str]  # the kept reports under the evidence binding
    provisions: list[Provision]  # those that remain
    basis: list[Provision]  # the whole legal basis
    excluded: list[dict[str, Any]]
    accountable: list[dict[str, Any]]
    in_force: dict[str, Any] | None
    reasons: list[str]  # why the group is not flagged; empty when it is
    evidence_met: bool = True  # some match has a report as strong as the rule requires
    totals: list[Total] = field(default_factory=list)  # with 'total': per capped provision

    @property
    def flagged(self) -> bool:
        return not self.reasons


class AfterMatch:
    """The checks after the match, for the groups of matches of one run.

    Many groups read the same facts: the same actor against the same provision, the same
    report's date against the same window. A run's facts do not change once it is over, so
    each such reading is worked out once and kept, keyed on the fact and provision ids that
    determine it (a provision is the fact of that id in the run).
    """

    def __init__(self, f: RunFacts) -> None:
        self.f = f
        self._binds: dict[tuple[str, str], bool] = {}  # (provision, actor)
        self._units: dict[str, str] = {}  # actor -> independence unit
        self._windows: dict[tuple[str, str], InForceCheck] = {}  # (provision, dated fact)
        # dated fact -> its date as shown, its precision, its first and last possible day
        self._dates: dict[str, tuple[str, str, tuple[date | None, date | None]]] = {}
        self._categories: dict[str, frozenset[str]] = {}  # report -> item categories
        self._covers: dict[tuple[str, frozenset[str]], bool] = {}  # (provision, categories)

    def independence_unit(self, actor_id: str) -> str:
        unit = self._units.get(actor_id)
        if unit is None:
            unit = self._units[actor_id] = independence_unit(actor_id, self.f.chosen)
        return unit

    def _bound_by(self, p: Provision, actor_id: str) -> bool:
        key = (p.id, actor_id)
        got = self._binds.get(key)
        if got is None:
            got = self._binds[key] = binds(p, actor_id, self.f.chosen)
        return got

    def _window(self, p: Provision, fid: str) -> InForceCheck:
        key = (p.id, fid)
        check = self._windows.get(key)
        if check is None:
            shown, precision, span = self._date(fid)
            outcome = span_outcome(span, p)
            check = self._windows[key] = InForceCheck(p.id, fid, shown, precision, outcome)
        return check

    def _date(self, fid: str) -> tuple[str, str, tuple[date | None, date | None]]:
        got = self._dates.get(fid)
        if got is None:
            when: EventDate = self.f.chosen[fid].date  # type: ignore[union-attr]
            got = self._dates[fid] = (when.describe(), when.precision, when.bounds())
        return got

    def _items(self, fid: str) -> frozenset[str]:
        got = self._categories.get(fid)
        if got is None:
            got = self._categories[fid] = frozenset(_categories([self.f.encoded[fid]]))
        return got

    def _covers_items(self, p: Provision, categories: frozenset[str]) -> bool:
        key = (p.id, categories)
        got = self._covers.get(key)
        if got is None:
            got = self._covers[key] = covers_items(p, set(categories))
        return got

    def check(self, rule: Rule, activations: list[Activation]) -> MatchChecks:
        f = self.f
        reasons: list[str] = []
        kept, set_aside, under, weak_reason = self._evidence(rule, activations)
        evidence_met = bool(kept)
        if not kept:  # nothing meets the threshold: trace every report, flag none
            kept, set_aside = activations, set()
            reasons.append(weak_reason)
        provisions = [
            p for p in (f.chosen.get(i) for i in rule.legal_basis) if isinstance(p, Provision)
        ]
        basis = list(provisions)
        excluded: list[dict[str, Any]] = []

        # who is bound
        actors = sorted(
            {
                a
                for act in kept
                for ref in rule.accountable
                for a in _actors(f.value(dict(act.bound), ref))
            }
        )
        accountable = [
            {
                "actor": a,
                "name": f.name(a),
                "bound_by": [p.id for p in provisions if self._bound_by(p, a)],
            }
            for a in actors
        ]
        if rule.accountable:
            binding = {pid for a in accountable for pid in a["bound_by"]}
            excluded += [
                {"provision": p.id, "reason": "binds none of the actors held accountable"}
                for p in provisions
                if p.id not in binding
            ]
            if provisions and not binding:
                reasons.append(
                    "no provision of its legal basis binds "
                    + (", ".join(f.name(a) for a in actors) or "anyone named")
                )
            provisions = [p for p in provisions if p.id in binding]

        # in force, on the dated reports of the act
        bound_ids = {fid for a in kept for _, fid in a.bound}
        reports = [e for e in f.reports(bound_ids) if e not in set_aside]
        act_reports = reports
        in_force: dict[str, Any] | None = None
        if rule.in_force is not None:
            ids = {dict(a.bound)[rule.in_force] for a in kept}
            act_reports = sorted(
                x
                for x in f.expand(ids) - set_aside
                if x in f.chosen and (f.family(x) == "event" or x in ids)
            )
            before = bool(provisions)
            in_force, provisions, more = self._in_force(rule.in_force, act_reports, provisions)
            excluded += more
            if before and not provisions:
                reasons.append(
                    "no provision of its legal basis was in force on the date of the act"
                )

        # item scope, on the items the act's reports name
        categories: frozenset[str] = frozenset().union(
            *(self._items(x) for x in act_reports if x in f.encoded)
        )
        scoped = [p for p in provisions if self._covers_items(p, categories)]
        excluded += [
            {
                "provision": p.id,
                "reason": "does not cover the items reported ("
                + ", ".join(sorted(categories))
                + "); it covers "
                + ", ".join(p.item_categories),
            }
            for p in provisions
            if not self._covers_items(p, categories)
        ]
        if provisions and not scoped:
            reasons.append("no provision of its legal basis covers the items reported")
        provisions = scoped

        # totals against caps, on the deliveries of one period
        totals: list[Total] = []
        if rule.total is not None:
            ids = {dict(a.bound)[rule.total.binding] for a in kept}
            deliveries = sorted(x for x in f.expand(ids) - set_aside if x in f.encoded)
            years = {resolve(f.encoded[x], "date.calendar_year") for x in deliveries}
            under_cap: set[str] = set()
            for p in provisions:
                if p.cap is None:
                    continue
                if None in years:
                    excluded.append(
                        {
                            "provision": p.id,
                            "reason": "the delivery's year is unknown: "
                            "it cannot be added to a year's total",
                        }
                    )
                    under_cap.add(p.id)
                    continue
                (year,) = years
                t = cap_total(p, int(year), [f.encoded[x] for x in deliveries])
                totals.append(t)
                if not t.over:
                    excluded.append(
                        {
                            "provision": p.id,
                            "reason": f"the total, {t.describe()}, is within the cap",
                        }
                    )
                    under_cap.add(p.id)
            kept_provisions = [p for p in provisions if p.id not in under_cap]
            if provisions and not kept_provisions:
                reasons.append("the deliveries of the period do not exceed the cap")
            provisions = kept_provisions
        return MatchChecks(
            kept,
            set_aside,
            reports,
            under,
            provisions,
            basis,
            sorted(excluded, key=lambda e: e["provision"]),
            accountable,
            in_force,
            reasons,
            evidence_met,
            totals,
        )

    def _evidence(
        self, rule: Rule, activations: list[Activation]
    ) -> tuple[list[Activation], set[str], list[str], str]:
        """Per match: the reports under the binding `evidence` names; those weaker than
        required are set aside, and a match with none strong enough does not stand."""
        if rule.evidence is None:
            return activations, set(), [], ""
        f = self.f
        need = rule.evidence.at_least
        kept: list[Activation] = []
        weak: set[str] = set()
        under: set[str] = set()
        best = -1
        for act in activations:
            reports = f.reports({dict(act.bound)[rule.evidence.binding]})
            strong = [r for r in reports if meets(f.event(r).modality, need)]
            weak |= {r for r in reports if r not in strong}
            under |= set(strong)
            best = max([best] + [EVIDENCE_RANK[f.event(r).modality] for r in reports])
            if strong:
                kept.append(act)
        # a weak report that another kept match binds directly stays
        direct = {fid for a in kept for n, fid in a.bound if n != rule.evidence.binding}
        level = (
            next((m for m, r in EVIDENCE_RANK.items() if r == best), None) if best >= 0 else None
        )
        reason = (
            f"the reports are weaker than required ({level} < {need})"
            if level
            else f"no report of an act stands behind '{rule.evidence.binding}'"
        )
        return kept, weak - direct - under, sorted(under), reason

    def _in_force(
        self, binding: str, dated: list[str], provisions: list[Provision]
    ) -> tuple[dict[str, Any], list[Provision], list[dict[str, Any]]]:
        checks: list[InForceCheck] = []
        kept: list[Provision] = []
        excluded: list[dict[str, Any]] = []
        outcomes: dict[str, str] = {}
        for p in provisions:
            mine = [self._window(p, fid) for fid in dated]
            checks += mine
            outcomes[p.id] = combine([(c.precision, c.outcome) for c in mine])
            if outcomes[p.id] == "not_in_force":
                until = p.in_force.until.isoformat() if p.in_force.until else "open"
                excluded.append(
                    {
                        "provision": p.id,
                        "reason": "not in force on the date of the act "
                        f"(in force {p.in_force.start} to {until})",
                    }
                )
            else:
                kept.append(p)
        if not kept:
            overall = "not_in_force"
        elif all(outcomes[p.id] == "in_force" for p in kept):
            overall = "in_force"
        else:
            overall = "uncertain"
        checked = {"binding": binding, "outcome": overall, "checks": [c.as_dict() for c in checks]}
        return checked, kept, excluded


def cap_total(p: Provision, year: int, deliveries: list[dict[str, Any]]) -> Total:
    """What the deliveries' items within the cap's categories add up to, in the cap's unit.
    Amounts given as an upper bound (at most, less than) are not counted; amounts that no
    declared conversion reaches are listed, not counted."""
    assert p.cap is not None
    cap = p.cap
    total, approximate = 0.0, False
    counted: list[dict[str, Any]] = []
    unconverted: list[dict[str, Any]] = []
    for d in deliveries:
        for value in d.values():
            if not (isinstance(value, list) and all(isinstance(v, dict) for v in value)):
                continue
            for item in value:
                amount, category = item.get("amount"), item.get("category")
                if not isinstance(amount, dict) or not isinstance(category, str):
                    continue
                if not any(TAXONOMY.is_within(category, c) for c in cap.categories):
                    continue
                entry = {"fact": d["id"], "category": category, **amount}
                if amount.get("qualifier", "exact") not in LOWER_BOUNDS:
                    continue
                got = UNITS.convert(float(amount["value"]), amount["unit"], category, cap.unit)
                if got is None:
                    unconverted.append(entry)
                    continue
                total += got
                approximate |= amount.get("qualifier") == "about"
                counted.append({**entry, "in_cap_unit": round(got, 3)})
    return Total(p.id, year, cap.unit, cap.amount, total, approximate, counted, unconverted)


def _actors(value: Any) -> list[str]:
    return [a for a in (value if isinstance(value, list) else [value]) if isinstance(a, str)]


def _categories(records: list[dict[str, Any]]) -> set[str]:
    """The item categories an act's reports name, in any list of items (`items`, `cargo`, or
    the item list of a kind defined in the vocabulary)."""
    out: set[str] = set()
    for r in records:
        for value in r.values():
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                out |= {v["category"] for v in value if isinstance(v.get("category"), str)}
    return out
