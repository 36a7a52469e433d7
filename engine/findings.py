"""Build findings from the ledger of a run: group the matches, hand each group to the checks
made after the match (engine/legal_checks.py), and trace each finding to its facts, sentences
and counter-evidence, with a stable id (docs/semantics.md)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

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
from engine.legal_checks import AfterMatch, MatchChecks
from engine.paths import resolve
from engine.quantities import Total
from engine.run_facts import RunFacts
from engine.sources import NON_REPORTING_ROLES

KIND_ORDER = {"possible_violation": 0, "evasion_indicator": 1, "risk": 2, "context": 3}


@dataclass
class _Group:
    rule: CheckedRule
    key: tuple[Any, ...]
    name: str  # repr((rule id, key)): orders the groups and gives the finding its id
    activations: list[Activation] = field(default_factory=list)


def group_activations(
    rules: dict[str, CheckedRule], ledger: Ledger, facts: RunFacts
) -> list[_Group]:
    groups: dict[tuple[str, tuple[Any, ...]], _Group] = {}
    for act in ledger.activations:
        checked = rules[act.rule_id]
        if checked.rule.derive is not None:
            continue
        key = group_key(checked, act, facts)
        group = groups.get((act.rule_id, key))
        if group is None:
            group = groups[act.rule_id, key] = _Group(checked, key, repr((act.rule_id, key)))
        group.activations.append(act)
    for group in groups.values():  # the ledger is a set: take each group's matches in one order
        group.activations.sort(key=lambda a: (a.bound, a.alternative))
    return sorted(groups.values(), key=lambda g: g.name)


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
        self.checks = AfterMatch(facts)
        self.used: set[str] = set()
        # fact id -> its quotes as shown (ResolvedCitation.as_dict), each with what it is about
        self._quotes: dict[str, list[tuple[dict[str, Any], tuple[str, ...]]]] = {}
        # event id -> who asserts it, who denies it (the event and the statements about it)
        self._voices: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        # provision id -> the provision as findings cite it
        self._provisions: dict[str, dict[str, Any]] = {}
        # (fact id, placeholder) -> the texts a message shows for that fact
        self._shown: dict[tuple[str, str], list[str]] = {}

    def build(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        self.used |= self.f.expand(fid for act in self.f.ledger.activations for _, fid in act.bound)
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
        checked = self.checks.check(rule, group.activations)
        bound_ids = {fid for a in checked.kept for _, fid in a.bound}
        support = sorted(f.expand(bound_ids) - checked.set_aside)
        events = checked.reports
        fid_hash = hashlib.sha256(group.name.encode()).hexdigest()[:10]
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
            "provisions": [self._provision(p) for p in checked.provisions],
            # a match set aside still says which provisions it was about
            "message": self._message(
                rule.message, checked.kept, checked.provisions or checked.basis, checked.totals
            ),
            "accountable": checked.accountable,
            "facts": support,
            "derived": [f.derived[d].as_dict() for d in support if d in f.derived],
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
            by, against = self._voices_on(e)
            asserted |= by
            denied |= against
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
            "independent_reports": len({self.checks.independence_unit(a) for a in asserted}),
        }
        if rule.evidence is not None:
            under_ids = set(check.under)
            under = [r for r in reports if r["fact"] in under_ids]
            out["required"] = rule.evidence.at_least
            out["level"] = _strongest([r["modality"] for r in under], level)
            out["met"] = check.evidence_met
            out["set_aside"] = [
                {"fact": w, "modality": f.event(w).modality} for w in sorted(check.set_aside)
            ]
        return out

    def _provision(self, p: Provision) -> dict[str, Any]:
        """A provision as a finding cites it: made once, each finding given its own copy."""
        shown = self._provisions.get(p.id)
        if shown is None:
            shown = self._provisions[p.id] = {
                "id": p.id,
                "label": p.label(),
                "resolution": p.resolution,
                "paragraph": p.paragraph,
                "paragraph_confirmed": p.paragraph_confirmed,
                "confirmation": p.cite[0].confirmation,
                "binding": p.binding,
                "in_force": {
                    "start": p.in_force.start.isoformat(),
                    "until": p.in_force.until.isoformat() if p.in_force.until else None,
                },
            }
        return {**shown, "in_force": dict(shown["in_force"])}

    def _voices_on(self, event: str) -> tuple[frozenset[str], frozenset[str]]:
        """Who asserts the event (its reporters, allegations and admissions) and who denies
        it (each denial's speaker and whom it speaks for)."""
        voices = self._voices.get(event)
        if voices is None:
            asserted = set(self.f.event(event).asserted_by)
            denied: set[str] = set()
            for st in self.f.statements_about.get(event, []):
                if st.kind in ("allegation", "admission"):
                    asserted.add(st.by)
                if isinstance(st, Denial):
                    denied.add(st.by)
                    if st.on_behalf_of:
                        denied.add(st.on_behalf_of)
            voices = self._voices[event] = (frozenset(asserted), frozenset(denied))
        return voices

    def _quoted(self, fid: str, about: str | None = None) -> list[dict[str, Any]]:
        """A fact's quotes, as shown; of a statement cited for one event, the quotes about
        that event. The dicts are shared: copy one before it goes into a finding."""
        quotes = self._quotes.get(fid)
        if quotes is None:
            quotes = self._quotes[fid] = [
                (c.as_dict(), c.about) for c in self.f.all.citations.get(fid, [])
            ]
        return [q for q, on in quotes if about is None or not on or about in on]

    def _cites(self, fid: str) -> list[dict[str, Any]]:
        return [dict(q, fact=fid) for q in self._quoted(fid)]

    def _citations(self, events: list[str], support: list[str]) -> list[dict[str, Any]]:
        f = self.f
        cited = [(fid, q) for fid in events for q in self._quoted(fid)]
        for fid in events:
            for st in f.statements_about.get(fid, []):
                if st.kind in ("allegation", "admission"):
                    cited += [(st.id, q) for q in self._quoted(st.id, about=fid)]
        for fid in support:
            if fid in f.chosen and f.family(fid) == "statement":
                cited += [(fid, q) for q in self._quoted(fid)]
        merged: dict[tuple[str, int, int], dict[str, Any]] = {}
        for fid, q in cited:
            k = (q["source"], q["start"], q["end"])
            entry = merged.get(k)
            if entry is None:
                entry = merged[k] = {**q, "facts": []}
            if fid not in entry["facts"]:
                entry["facts"].append(fid)
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
            binding = name.partition(".")[0]
            for act in acts:
                for text in self._texts(dict(act.bound)[binding], name):
                    if text not in shown:
                        shown.append(text)
            return ", ".join(shown) or "none named"

        return PLACEHOLDER.sub(fill, template).strip()

    def _texts(self, fid: str, ref: str) -> list[str]:
        """What the placeholder `ref` ('binding.path') shows when its binding is `fid`."""
        texts = self._shown.get((fid, ref))
        if texts is None:
            bound = {ref.partition(".")[0]: fid}
            value = self.f.value(bound, ref, through_ids=True)
            if value is None and self._empty_list(bound, ref):
                value = []  # an empty list is left out of the engine's facts
            values = value if isinstance(value, list) else [value]
            texts = self._shown[fid, ref] = [self._show(v) for v in values]
        return texts

    def _empty_list(self, bound: dict[str, str], ref: str) -> bool:
        binding, _, path = ref.partition(".")
        fact = self.f.chosen.get(bound[binding])
        return fact is not None and resolve(_Fields(fact), path) == []

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


def _strongest(modalities: list[str], default: str | None) -> str | None:
    return max(modalities, key=lambda m: EVIDENCE_RANK[m]) if modalities else default


def _prov_key(f: dict[str, Any]) -> str:
    return "; ".join(p["label"] for p in f["provisions"])


class _Fields(Mapping[str, Any]):
    """A model's fields read in place, as paths read a record (engine/paths.py): dumping the
    whole model to read one list would build its serializer, which a fact read back from the
    cache of validated facts never needs otherwise."""

    def __init__(self, model: BaseModel) -> None:
        self._model = model

    def __getitem__(self, name: str) -> Any:
        if name.startswith("_") or not hasattr(self._model, name):
            raise KeyError(name)
        return _as_record(getattr(self._model, name))

    def __iter__(self) -> Iterator[str]:
        return iter(type(self._model).model_fields)

    def __len__(self) -> int:
        return len(type(self._model).model_fields)


def _as_record(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return _Fields(value)
    if isinstance(value, list | tuple):
        return [_as_record(v) for v in value]
    return value
