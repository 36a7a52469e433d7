"""Build findings from the ledger of a run: group the matches, hand each group to the checks
made after the match (engine/legal_checks.py), and trace each finding to its facts, sentences
and counter-evidence, with a stable id (docs/semantics.md)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from engine.derivation import Activation, Ledger
from engine.facts import (
    EVIDENCE_RANK,
    Admission,
    AnyStatement,
    Assessment,
    Denial,
    EventBase,
    Provision,
    StatementBase,
)
from engine.language.lowered import PLACEHOLDER, CheckedRule, RuleSet
from engine.legal_checks import MatchChecks, check_matches, independence_unit
from engine.paths import resolve
from engine.quantities import Total
from engine.run_facts import RunFacts
from engine.sources import NON_REPORTING_ROLES

KIND_ORDER = {"possible_violation": 0, "evasion_indicator": 1, "risk": 2, "context": 3}


@dataclass
class _Group:
    rule: CheckedRule
    key: tuple[Any, ...]
    activations: list[Activation] = field(default_factory=list)


def group_activations(
    rules: dict[str, CheckedRule], ledger: Ledger, facts: RunFacts
) -> list[_Group]:
    groups: dict[tuple[str, tuple[Any, ...]], _Group] = {}
    for act in sorted(ledger.activations, key=lambda a: (a.rule_id, a.bound, a.alternative)):
        checked = rules[act.rule_id]
        if checked.rule.derive is not None:
            continue
        key = group_key(checked, act, facts)
        groups.setdefault((act.rule_id, key), _Group(checked, key)).activations.append(act)
    return [groups[k] for k in sorted(groups, key=repr)]


def group_key(checked: CheckedRule, act: Activation, facts: RunFacts) -> tuple[Any, ...]:
    bound = dict(act.bound)
    total = checked.rule.total
    if total is not None:  # one finding per period (and group_by values): a year's total
        year = facts.value(bound, f"{total.binding}.date.calendar_year")
        alone = () if year is not None else (bound[total.binding],)  # no year: on its own
        by = tuple(json.dumps(facts.value(bound, r), sort_keys=True) for r in checked.rule.group_by)
        return (*by, json.dumps(year), *alone)
    if checked.rule.group_by:
        return tuple(
            json.dumps(facts.value(bound, ref), sort_keys=True) for ref in checked.rule.group_by
        )
    evidence = [
        fid for _, fid in act.bound if facts.family(fid) in ("event", "statement", "derived")
    ]
    return tuple(sorted(evidence or [fid for _, fid in act.bound]))


class FindingBuilder:
    """Turns one run's ledger into findings, set-aside matches and unused facts."""

    def __init__(self, facts: RunFacts, rules: RuleSet) -> None:
        self.f = facts
        self.rules = rules.by_id()
        self.used: set[str] = set()

    def build(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        for act in self.f.ledger.activations:
            for _, fid in act.bound:
                self.used |= self.f.expand({fid})
        findings: list[dict[str, Any]] = []
        not_flagged: list[dict[str, Any]] = []
        for group in group_activations(self.rules, self.f.ledger, self.f):
            made = self._finding(group)
            (findings if made.pop("flagged") else not_flagged).append(made)
        findings.sort(key=lambda f: (KIND_ORDER[f["kind"]], _prov_key(f), f["rule"]["id"], f["id"]))
        not_flagged.sort(key=lambda f: (f["rule"]["id"], f["id"]))
        return findings, not_flagged

    # -- one finding ------------------------------------------------------------------------

    def _finding(self, group: _Group) -> dict[str, Any]:
        rule = group.rule.rule
        f = self.f
        checked = check_matches(rule, group.activations, f)
        bound_ids = {fid for a in checked.kept for _, fid in a.bound}
        support = f.expand(bound_ids) - checked.set_aside
        events = [e for e in f.reports(bound_ids) if e not in checked.set_aside]
        fid_hash = hashlib.sha256(repr((rule.id, group.key)).encode()).hexdigest()[:10]
        citations = self._citations(events, support)
        evidence = self._evidence(rule, events, citations, checked)
        evidence["non_reporting_only"] = bool(citations) and all(
            c["role"] in NON_REPORTING_ROLES for c in citations
        )
        out: dict[str, Any] = {
            "id": f"{rule.id}:{fid_hash}",
            "rule": {"id": rule.id, "title": rule.title, "file": group.rule.file},
            "kind": rule.finding,
            "severity": rule.severity,
            "confidence": rule.confidence,
            "provisions": [_provision(p) for p in checked.provisions],
            # a match set aside still says which provisions it was about
            "message": self._message(
                rule.message, checked.kept, checked.provisions or checked.basis, checked.totals
            ),
            "accountable": checked.accountable,
            "facts": sorted(support),
            "derived": [f.derived[d].as_dict() for d in sorted(support) if d in f.derived],
            "citations": citations,
            "counter_evidence": self._counter(events),
            "commentary": self._commentary(events),
            "evidence": evidence,
            "in_force": checked.in_force,
            "total": [t.as_dict() for t in checked.totals] if rule.total is not None else None,
            "excluded_provisions": checked.excluded,
            "flagged": checked.flagged,
        }
        if checked.reasons:
            out["reasons"] = checked.reasons
        return out

    def _evidence(
        self, rule: Any, events: list[str], citations: list[dict[str, Any]], check: MatchChecks
    ) -> dict[str, Any]:
        f = self.f
        reports: list[dict[str, Any]] = [
            {
                "fact": e,
                "modality": f.event(e).modality,
                "asserted_by": list(f.event(e).asserted_by),
            }
            for e in events
        ]
        asserted: set[str] = set()
        denied: set[str] = set()
        for e in events:
            asserted |= set(f.event(e).asserted_by)
            for st in f.statements_about.get(e, []):
                if st.kind in ("allegation", "admission"):
                    asserted.add(st.by)
                if isinstance(st, Denial):
                    denied.add(st.by)
                    if st.on_behalf_of:
                        denied.add(st.on_behalf_of)
        level = _strongest([r["modality"] for r in reports], None)
        sources = sorted({c["source"] for c in citations})
        out: dict[str, Any] = {
            "level": level,
            "required": None,
            "reports": reports,
            "asserted_by": sorted(asserted),
            "denied_by": sorted(denied),
            "sources": sources,
            "single_source": len(sources) == 1,
            "independent_reports": len({independence_unit(a, f.chosen) for a in asserted}),
        }
        if rule.evidence is not None:
            under = [r for r in reports if r["fact"] in set(check.under)]
            out["required"] = rule.evidence.at_least
            out["level"] = _strongest([r["modality"] for r in under], level)
            out["met"] = check.evidence_met
            out["set_aside"] = [
                {"fact": w, "modality": f.event(w).modality} for w in sorted(check.set_aside)
            ]
        return out

    def _cites(self, fid: str, about: str | None = None) -> list[dict[str, Any]]:
        """A fact's quotes; of a statement cited for one event, the quotes about that event."""
        return [
            dict(c.as_dict(), fact=fid)
            for c in self.f.all.citations.get(fid, [])
            if about is None or not c.about or about in c.about
        ]

    def _citations(self, events: list[str], support: set[str]) -> list[dict[str, Any]]:
        f = self.f
        cited = [c for fid in events for c in self._cites(fid)]
        for fid in events:
            for st in f.statements_about.get(fid, []):
                if st.kind in ("allegation", "admission"):
                    cited += self._cites(st.id, about=fid)
        for fid in sorted(support):
            if fid in f.chosen and f.family(fid) == "statement":
                cited += self._cites(fid)
        merged: dict[tuple[str, int, int], dict[str, Any]] = {}
        for c in cited:
            k = (c["source"], c["start"], c["end"])
            entry = merged.setdefault(k, {**{x: c[x] for x in c if x != "fact"}, "facts": []})
            if c["fact"] not in entry["facts"]:
                entry["facts"].append(c["fact"])
        for entry in merged.values():
            entry["facts"].sort()
        return [merged[k] for k in sorted(merged)]

    def _statement(self, st: AnyStatement, **extra: Any) -> dict[str, Any]:
        return {
            "statement": st.id,
            "kind": st.kind,
            "by": st.by,
            "on_behalf_of": st.on_behalf_of,
            "summary": st.summary,
            "date": st.date.describe(),
            "about": list(st.about),
            **extra,
            "citations": sorted(self._cites(st.id), key=lambda c: (c["source"], c["start"])),
        }

    def _counter(self, events: list[str]) -> list[dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for fid in events:
            for st in self.f.statements_about.get(fid, []):
                if isinstance(st, Denial):
                    out[st.id] = self._statement(st, scope=st.scope)
                elif isinstance(st, Admission) and st.disputed_claim:
                    out[st.id] = self._statement(st, kind="disputed_claim", claim=st.disputed_claim)
                self.used.add(st.id)
        return [out[k] for k in sorted(out)]

    def _commentary(self, events: list[str]) -> list[dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for fid in events:
            for st in self.f.statements_about.get(fid, []):
                self.used.add(st.id)
                if isinstance(st, Assessment):
                    out[st.id] = self._statement(st, nature=st.nature)
        return [out[k] for k in sorted(out)]

    def _message(
        self,
        template: str,
        acts: list[Activation],
        provisions: list[Provision],
        totals: Sequence[Total] = (),
    ) -> str:
        """Plain substitution; a placeholder that differs between the merged matches lists
        every value, so the message never speaks for one match only."""

        def fill(m: Any) -> str:
            name = m.group(1)
            if name == "provisions":
                return "; ".join(p.label() for p in provisions)
            if name == "total":
                return "; ".join(t.describe() for t in totals) or "no total"
            shown: list[str] = []
            for act in acts:
                value = self.f.value(dict(act.bound), name, through_ids=True)
                if value is None and self._empty_list(dict(act.bound), name):
                    value = []  # an empty list is left out of the engine's facts
                for v in value if isinstance(value, list) else [value]:
                    text = self._show(v)
                    if text not in shown:
                        shown.append(text)
            return ", ".join(shown) or "none named"

        return PLACEHOLDER.sub(fill, template).strip()

    def _empty_list(self, bound: dict[str, str], ref: str) -> bool:
        binding, _, path = ref.partition(".")
        fact = self.f.chosen.get(bound[binding])
        return fact is not None and resolve(fact.model_dump(mode="json"), path) == []

    def _show(self, value: Any) -> str:
        f = self.f
        if isinstance(value, str) and value in f.chosen and f.family(value) == "actor":
            return f.name(value)
        return "unknown" if value is None else str(value)

    # -- unmatched ------------------------------------------------------------------------

    def unmatched(self, unhandled: set[str]) -> list[dict[str, Any]]:
        out = []
        for fid, fact in self.f.chosen.items():
            if isinstance(fact, (EventBase, StatementBase)) and fid not in self.used:
                out.append(
                    {
                        "id": fid,
                        "kind": fact.kind,
                        "summary": fact.summary,
                        "engine_accepted": fid not in unhandled,
                    }
                )
        return sorted(out, key=lambda x: x["id"])


def _provision(p: Provision) -> dict[str, Any]:
    cite = p.cite[0]
    return {
        "id": p.id,
        "label": p.label(),
        "resolution": p.resolution,
        "paragraph": p.paragraph,
        "paragraph_confirmed": p.paragraph_confirmed,
        "confirmation": cite.confirmation,
        "binding": p.binding,
        "in_force": {
            "start": p.in_force.start.isoformat(),
            "until": p.in_force.until.isoformat() if p.in_force.until else None,
        },
    }


def _strongest(modalities: list[str], default: str | None) -> str | None:
    return max(modalities, key=lambda m: EVIDENCE_RANK[m]) if modalities else default


def _prov_key(f: dict[str, Any]) -> str:
    return "; ".join(p["label"] for p in f["provisions"])
