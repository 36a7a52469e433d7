"""Build findings from the engine's activations: group, check, cite and explain them."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from engine.legal_checks import InForceCheck, binds, combine, window_outcome
from engine.facts import (
    EVIDENCE_RANK,
    FAMILY_OF_KIND,
    Admission,
    Allegation,
    AnyFact,
    AnyStatement,
    Assessment,
    Denial,
    EventBase,
    Provision,
    StatementBase,
)
from engine.loader import FactSet
from engine.language.lowered import PLACEHOLDER, CheckedRule, RuleSet
from engine.durable_adapter import Activation, RunResult

KIND_ORDER = {"possible_violation": 0, "evasion_indicator": 1, "risk": 2, "context": 3}


@dataclass
class _Group:
    rule: CheckedRule
    activations: list[Activation] = field(default_factory=list)


class FindingBuilder:
    """Turns one run's activations into findings, set-aside matches and unused facts."""

    def __init__(
        self,
        facts: FactSet,
        chosen: dict[str, AnyFact],
        encoded: dict[str, Any],
        rules: RuleSet,
        result: RunResult,
    ) -> None:
        self.facts, self.chosen, self.encoded = facts, chosen, encoded
        self.rules = rules.by_id()
        self.result = result
        self.used: set[str] = set()
        self.statements_about: dict[str, list[AnyStatement]] = {}
        for f in chosen.values():
            if isinstance(f, (Allegation, Denial, Admission, Assessment)):
                for ev in f.about:
                    self.statements_about.setdefault(ev, []).append(f)

    # -- grouping -------------------------------------------------------------------------

    def build(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        groups: dict[tuple[str, tuple[Any, ...]], _Group] = {}
        for act in sorted(
            set(self.result.activations), key=lambda a: (a.rule_id, a.bound, a.alternative)
        ):
            for _, fid in act.bound:
                self.used |= self.expand({fid})
            checked = self.rules[act.rule_id]
            if checked.rule.derive is not None:
                continue
            key = self._group_key(checked, act)
            groups.setdefault((act.rule_id, key), _Group(checked)).activations.append(act)
        findings: list[dict[str, Any]] = []
        not_flagged: list[dict[str, Any]] = []
        for (_, key), group in sorted(groups.items(), key=lambda kv: repr(kv[0])):
            made = self._finding(group, key)
            (findings if made.get("flagged") else not_flagged).append(made)
            made.pop("flagged")
        findings.sort(key=lambda f: (KIND_ORDER[f["kind"]], _prov_key(f), f["rule"]["id"], f["id"]))
        not_flagged.sort(key=lambda f: (f["rule"]["id"], f["id"]))
        return findings, not_flagged

    def _group_key(self, checked: CheckedRule, act: Activation) -> tuple[Any, ...]:
        bound = dict(act.bound)
        if checked.rule.group_by:
            return tuple(str(self.value(bound, ref)) for ref in checked.rule.group_by)
        evidence = [
            fid for _, fid in act.bound if self._family(fid) in ("event", "statement", "derived")
        ]
        return tuple(sorted(evidence or [fid for _, fid in act.bound]))

    # -- values ---------------------------------------------------------------------------

    def _family(self, fid: str) -> str:
        if fid in self.result.derived:
            return "derived"
        return FAMILY_OF_KIND[self.chosen[fid].kind]

    def record(self, fid: str) -> dict[str, Any]:
        if fid in self.result.derived:
            d = self.result.derived[fid]
            return {"id": d.id, "kind": d.kind, **d.fields}
        encoded: dict[str, Any] = self.encoded[fid]
        return encoded

    def value(self, bound: dict[str, str], ref: str) -> Any:
        binding, _, path = ref.partition(".")
        value: Any = self.record(bound[binding])
        for part in path.split("."):
            if isinstance(value, str) and value in self.encoded:  # step through an id
                value = self.encoded[value]
            if isinstance(value, list):
                value = [v.get(part) if isinstance(v, dict) else None for v in value]
            else:
                value = value.get(part) if isinstance(value, dict) else None
        return value

    def expand(self, ids: set[str]) -> set[str]:
        """Fact ids with every derived fact replaced by (and kept beside) what it rests on."""
        out: set[str] = set()
        todo = list(ids)
        while todo:
            fid = todo.pop()
            if fid in out:
                continue
            out.add(fid)
            if fid in self.result.derived:
                todo.extend(self.result.derived[fid].supports)
        return out

    # -- one finding ------------------------------------------------------------------------

    def _finding(self, group: _Group, key: tuple[Any, ...]) -> dict[str, Any]:
        rule = group.rule.rule
        bound_ids = {fid for a in group.activations for _, fid in a.bound}
        support = self.expand(bound_ids)
        events = sorted(f for f in support if f in self.chosen and self._family(f) == "event")
        first = dict(group.activations[0].bound)
        fid_hash = hashlib.sha256(repr((rule.id, key)).encode()).hexdigest()[:10]
        out: dict[str, Any] = {
            "id": f"{rule.id}:{fid_hash}",
            "rule": {"id": rule.id, "title": rule.title, "file": group.rule.file},
            "kind": rule.finding,
            "severity": rule.severity,
            "confidence": rule.confidence,
        }
        reasons: list[str] = []
        provisions = [
            p for p in (self.chosen.get(i) for i in rule.legal_basis) if isinstance(p, Provision)
        ]
        # who is bound
        accountable: list[dict[str, Any]] = []
        excluded: list[dict[str, Any]] = []
        actors = self._accountable(group, rule.accountable)
        for actor in actors:
            bound_by = [p.id for p in provisions if binds(p, actor, self.chosen)]
            accountable.append({"actor": actor, "name": self._name(actor), "bound_by": bound_by})
        if rule.accountable:
            kept = [p for p in provisions if any(p.id in a["bound_by"] for a in accountable)]
            for p in provisions:
                if p not in kept:
                    excluded.append(
                        {"provision": p.id, "reason": "binds none of the actors held accountable"}
                    )
            provisions = kept
            if not provisions:
                reasons.append(
                    "no provision of its legal basis binds "
                    + ", ".join(self._name(a) for a in actors)
                )
        # in force
        in_force: dict[str, Any] | None = None
        if rule.in_force is not None:
            in_force, provisions, more = self._in_force(group, rule.in_force, provisions)
            excluded += more
            if in_force["outcome"] == "not_in_force":
                reasons.append(
                    "no provision of its legal basis was in force on the date of the act"
                )
        # evidence
        evidence = self._evidence(rule, group, support, events)
        if evidence.get("met") is False:
            reasons.append(
                f"the reports are weaker than required ({evidence['level']} "
                f"< {evidence['required']})"
            )
        out.update(
            {
                "provisions": [self._provision(p) for p in provisions],
                "message": self._message(rule.message, first, provisions),
                "accountable": accountable,
                "facts": sorted(support),
                "derived": [
                    self.result.derived[d].as_dict()
                    for d in sorted(support)
                    if d in self.result.derived
                ],
                "citations": self._citations(events, support),
                "counter_evidence": self._counter(events),
                "commentary": self._commentary(events),
                "evidence": evidence,
                "in_force": in_force,
                "excluded_provisions": sorted(excluded, key=lambda e: e["provision"]),
            }
        )
        out["flagged"] = not reasons
        if reasons:
            out["reasons"] = reasons
        return out

    def _accountable(self, group: _Group, refs: list[str]) -> list[str]:
        actors: set[str] = set()
        for act in group.activations:
            for ref in refs:
                v = self.value(dict(act.bound), ref)
                for a in v if isinstance(v, list) else [v]:
                    if isinstance(a, str):
                        actors.add(a)
        return sorted(actors)

    def _name(self, actor: str) -> str:
        fact = self.chosen.get(actor)
        return str(getattr(fact, "name", actor))

    def _in_force(
        self, group: _Group, binding: str, provisions: list[Provision]
    ) -> tuple[dict[str, Any], list[Provision], list[dict[str, Any]]]:
        ids = {dict(a.bound)[binding] for a in group.activations}
        # The act's own date: the bound event, or the reported events a derived fact rests on.
        dated = sorted(
            f
            for f in self.expand(ids)
            if f in self.chosen and (self._family(f) == "event" or f in ids)
        )
        checks: list[InForceCheck] = []
        kept: list[Provision] = []
        excluded: list[dict[str, Any]] = []
        for p in provisions:
            assert isinstance(p, Provision)
            mine: list[str] = []
            for fid in dated:
                fact = self.chosen[fid]
                assert isinstance(fact, (EventBase, StatementBase))
                when = fact.date
                c = InForceCheck(
                    p.id, fid, when.describe(), when.precision, window_outcome(when, p)
                )
                checks.append(c)
                mine.append(c.outcome)
            outcome = combine(mine)
            if outcome == "not_in_force":
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
        overall = (
            "not_in_force"
            if not kept
            else (
                "in_force"
                if all(
                    combine([c.outcome for c in checks if c.provision == p.id]) == "in_force"
                    for p in kept
                )
                else "uncertain"
            )
        )
        return (
            {"binding": binding, "outcome": overall, "checks": [c.as_dict() for c in checks]},
            kept,
            excluded,
        )

    def _evidence(
        self, rule: Any, group: _Group, support: set[str], events: list[str]
    ) -> dict[str, Any]:
        reports: list[dict[str, Any]] = []
        asserted: set[str] = set()
        for fid in events:
            f = self._event(fid)
            reports.append(
                {"fact": fid, "modality": f.modality, "asserted_by": list(f.asserted_by)}
            )
            asserted |= set(f.asserted_by)
            for st in self.statements_about.get(fid, []):
                if st.kind in ("allegation", "admission"):
                    asserted.add(st.by)
        denied: set[str] = set()
        for fid in events:
            for st in self.statements_about.get(fid, []):
                if isinstance(st, Denial):
                    denied.add(st.by)
                    if st.on_behalf_of:
                        denied.add(st.on_behalf_of)
        level = (
            max(reports, key=lambda r: EVIDENCE_RANK[r["modality"]])["modality"]
            if reports
            else None
        )
        sources = sorted({c["source"] for c in self._citations(events, support)})
        out: dict[str, Any] = {
            "level": level,
            "required": None,
            "reports": reports,
            "asserted_by": sorted(asserted),
            "denied_by": sorted(denied),
            "sources": sources,
            "single_source": len(sources) == 1,
            "independent_reports": len({tuple(r["asserted_by"]) for r in reports}),
        }
        if rule.evidence is not None:
            out["required"] = rule.evidence.at_least
            bid = {dict(a.bound)[rule.evidence.binding] for a in group.activations}
            mine = [r for r in reports if r["fact"] in self.expand(bid)]
            best = max((EVIDENCE_RANK[r["modality"]] for r in mine), default=-1)
            out["met"] = best >= EVIDENCE_RANK[rule.evidence.at_least]
        return out

    def _event(self, fid: str) -> EventBase:
        fact = self.chosen[fid]
        assert isinstance(fact, EventBase)
        return fact

    def _cites(self, fid: str) -> list[dict[str, Any]]:
        return [dict(c.as_dict(), fact=fid) for c in self.facts.citations.get(fid, [])]

    def _citations(self, events: list[str], support: set[str]) -> list[dict[str, Any]]:
        cited = [c for fid in events for c in self._cites(fid)]
        for fid in events:
            for st in self.statements_about.get(fid, []):
                if st.kind in ("allegation", "admission"):
                    cited += self._cites(st.id)
        for fid in sorted(support):
            if fid in self.chosen and self._family(fid) == "statement":
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
            "citations": sorted(
                (c for c in self._cites(st.id)), key=lambda c: (c["source"], c["start"])
            ),
        }

    def _counter(self, events: list[str]) -> list[dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for fid in events:
            for st in self.statements_about.get(fid, []):
                sid = st.id
                if isinstance(st, Denial):
                    out[sid] = self._statement(st, scope=st.scope)
                elif isinstance(st, Admission) and st.disputed_claim:
                    out[sid] = self._statement(st, kind="disputed_claim", claim=st.disputed_claim)
                self.used.add(sid)
        return [out[k] for k in sorted(out)]

    def _commentary(self, events: list[str]) -> list[dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for fid in events:
            for st in self.statements_about.get(fid, []):
                self.used.add(st.id)
                if isinstance(st, Assessment):
                    out[st.id] = self._statement(st, nature=st.nature)
        return [out[k] for k in sorted(out)]

    @staticmethod
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

    def _message(self, template: str, bound: dict[str, str], provisions: list[Provision]) -> str:
        def fill(m: re.Match[str]) -> str:
            name = m.group(1)
            if name == "provisions":
                return "; ".join(p.label() for p in provisions)
            value = self.value(bound, name)
            if isinstance(value, list):
                return ", ".join(self._show(v) for v in value) or "none named"
            return self._show(value)

        return PLACEHOLDER.sub(fill, template).strip()

    def _show(self, value: Any) -> str:
        if isinstance(value, str) and value in self.chosen and self._family(value) == "actor":
            return self._name(value)
        return "unknown" if value is None else str(value)

    # -- unmatched ------------------------------------------------------------------------

    def unmatched(self, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
        unhandled = set(self.result.unhandled)
        out = []
        for fid, fact in self.chosen.items():
            if isinstance(fact, (EventBase, StatementBase)) and fid not in self.used:
                out.append(
                    {
                        "id": fid,
                        "kind": fact.kind,
                        "summary": fact.summary,
                        "engine_accepted": fid not in unhandled,
                    }
                )
        return sorted(out, key=lambda f: f["id"])


def _prov_key(f: dict[str, Any]) -> str:
    return "; ".join(p["label"] for p in f["provisions"])
