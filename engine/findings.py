"""Build findings from the ledger of a run: group matches, apply the checks made after the
match, and trace each finding to its facts and sentences (docs/semantics.md)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from engine.derivation import Activation, Ledger
from engine.facts import (
    EVIDENCE_RANK,
    FAMILY_OF_KIND,
    Admission,
    AnyFact,
    AnyStatement,
    Assessment,
    Denial,
    EventBase,
    Provision,
    StatementBase,
)
from engine.language.lowered import PLACEHOLDER, CheckedRule, RuleSet
from engine.legal_checks import (
    InForceCheck,
    binds,
    combine,
    covers_items,
    independence_unit,
    meets,
    window_outcome,
)
from engine.loader import FactSet
from engine.paths import resolve
from engine.sources import NON_REPORTING_ROLES

KIND_ORDER = {"possible_violation": 0, "evasion_indicator": 1, "risk": 2, "context": 3}


class Facts:
    """The facts of one run, reported and derived, and how to read them."""

    def __init__(self, facts: FactSet, chosen: dict[str, AnyFact], encoded: dict[str, Any],
                 ledger: Ledger) -> None:
        self.all, self.chosen, self.encoded, self.ledger = facts, chosen, encoded, ledger
        self.derived = ledger.derived
        self.statements_about: dict[str, list[AnyStatement]] = {}
        for f in chosen.values():
            if isinstance(f, StatementBase):
                for ev in f.about:
                    self.statements_about.setdefault(ev, []).append(f)  # type: ignore[arg-type]

    def family(self, fid: str) -> str:
        if fid in self.derived:
            return "derived"
        return FAMILY_OF_KIND[self.chosen[fid].kind]

    def record(self, fid: str) -> dict[str, Any]:
        if fid in self.derived:
            d = self.derived[fid]
            return {"id": d.id, "kind": d.kind, **d.fields}
        encoded: dict[str, Any] = self.encoded[fid]
        return encoded

    def value(self, bound: dict[str, str], ref: str, through_ids: bool = False) -> Any:
        binding, _, path = ref.partition(".")
        step = self._step if through_ids else None
        return resolve(self.record(bound[binding]), path, step)

    def _step(self, value: str) -> dict[str, Any] | None:
        named: dict[str, Any] | None = self.encoded.get(value)
        return named

    def expand(self, ids: set[str]) -> set[str]:
        """Fact ids with every derived fact replaced by (and kept beside) what it rests on."""
        out: set[str] = set()
        todo = list(ids)
        while todo:
            fid = todo.pop()
            if fid in out:
                continue
            out.add(fid)
            if fid in self.derived:
                todo.extend(self.derived[fid].supports)
        return out

    def reports(self, ids: set[str]) -> list[str]:
        """The reported events among these facts and what they rest on."""
        return sorted(f for f in self.expand(ids) if f in self.chosen and self.family(f) == "event")

    def event(self, fid: str) -> EventBase:
        fact = self.chosen[fid]
        assert isinstance(fact, EventBase)
        return fact

    def name(self, actor: str) -> str:
        return str(getattr(self.chosen.get(actor), "name", actor))


@dataclass
class _Group:
    rule: CheckedRule
    key: tuple[Any, ...]
    activations: list[Activation] = field(default_factory=list)


def group_activations(
    rules: dict[str, CheckedRule], ledger: Ledger, facts: Facts
) -> list[_Group]:
    groups: dict[tuple[str, tuple[Any, ...]], _Group] = {}
    for act in sorted(ledger.activations, key=lambda a: (a.rule_id, a.bound, a.alternative)):
        checked = rules[act.rule_id]
        if checked.rule.derive is not None:
            continue
        key = group_key(checked, act, facts)
        groups.setdefault((act.rule_id, key), _Group(checked, key)).activations.append(act)
    return [groups[k] for k in sorted(groups, key=repr)]


def group_key(checked: CheckedRule, act: Activation, facts: Facts) -> tuple[Any, ...]:
    bound = dict(act.bound)
    if checked.rule.group_by:
        return tuple(
            json.dumps(facts.value(bound, ref), sort_keys=True) for ref in checked.rule.group_by
        )
    evidence = [fid for _, fid in act.bound if facts.family(fid) in ("event", "statement", "derived")]
    return tuple(sorted(evidence or [fid for _, fid in act.bound]))


class FindingBuilder:
    """Turns one run's ledger into findings, set-aside matches and unused facts."""

    def __init__(self, facts: Facts, rules: RuleSet) -> None:
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
        reasons: list[str] = []
        evidence_check = self._evidence_check(group)
        acts, set_aside = evidence_check["kept"], set(evidence_check["set_aside"])
        if not acts:  # nothing meets the threshold: trace every report, flag none
            acts, set_aside = group.activations, set()
            reasons.append(evidence_check["reason"])
        bound_ids = {fid for a in acts for _, fid in a.bound}
        support = f.expand(bound_ids) - set_aside
        events = [e for e in f.reports(bound_ids) if e not in set_aside]
        fid_hash = hashlib.sha256(repr((rule.id, group.key)).encode()).hexdigest()[:10]
        provisions = [p for p in (f.chosen.get(i) for i in rule.legal_basis) if isinstance(p, Provision)]
        basis = list(provisions)
        excluded: list[dict[str, Any]] = []

        # who is bound
        actors = sorted({a for act in acts for ref in rule.accountable
                         for a in _actors(f.value(dict(act.bound), ref))})
        accountable = [
            {"actor": a, "name": f.name(a), "bound_by": [p.id for p in provisions if binds(p, a, f.chosen)]}
            for a in actors
        ]
        if rule.accountable:
            kept = [p for p in provisions if any(p.id in a["bound_by"] for a in accountable)]
            excluded += [{"provision": p.id, "reason": "binds none of the actors held accountable"}
                         for p in provisions if p not in kept]
            if provisions and not kept:
                reasons.append("no provision of its legal basis binds "
                               + (", ".join(f.name(a) for a in actors) or "anyone named"))
            provisions = kept

        # in force, on the dated reports of the act
        in_force: dict[str, Any] | None = None
        act_reports = events
        if rule.in_force is not None:
            ids = {dict(a.bound)[rule.in_force] for a in acts}
            act_reports = sorted(
                x for x in f.expand(ids) - set_aside
                if x in f.chosen and (f.family(x) == "event" or x in ids)
            )
            before = bool(provisions)
            in_force, provisions, more = self._in_force(rule.in_force, act_reports, provisions)
            excluded += more
            if before and not provisions:
                reasons.append("no provision of its legal basis was in force on the date of the act")

        # item scope, on the items the act's reports name
        categories = _categories([f.encoded[x] for x in act_reports if x in f.encoded])
        scoped = [p for p in provisions if covers_items(p, categories)]
        for p in provisions:
            if p not in scoped:
                excluded.append({
                    "provision": p.id,
                    "reason": "does not cover the items reported ("
                    + ", ".join(sorted(categories)) + "); it covers "
                    + ", ".join(p.item_categories),
                })
        if provisions and not scoped:
            reasons.append("no provision of its legal basis covers the items reported")
        provisions = scoped

        citations = self._citations(events, support)
        evidence = self._evidence(rule, events, citations, evidence_check)
        evidence["non_reporting_only"] = bool(citations) and all(
            c["role"] in NON_REPORTING_ROLES for c in citations
        )
        out: dict[str, Any] = {
            "id": f"{rule.id}:{fid_hash}",
            "rule": {"id": rule.id, "title": rule.title, "file": group.rule.file},
            "kind": rule.finding,
            "severity": rule.severity,
            "confidence": rule.confidence,
            "provisions": [_provision(p) for p in provisions],
            # a match set aside still says which provisions it was about
            "message": self._message(rule.message, acts, provisions or basis),
            "accountable": accountable,
            "facts": sorted(support),
            "derived": [f.derived[d].as_dict() for d in sorted(support) if d in f.derived],
            "citations": citations,
            "counter_evidence": self._counter(events),
            "commentary": self._commentary(events),
            "evidence": evidence,
            "in_force": in_force,
            "excluded_provisions": sorted(excluded, key=lambda e: e["provision"]),
            "flagged": not reasons,
        }
        if reasons:
            out["reasons"] = reasons
        return out

    def _evidence_check(self, group: _Group) -> dict[str, Any]:
        """Per match: the reports under the binding `evidence` names; those weaker than
        required are set aside, and a match with none strong enough is not flagged."""
        rule = group.rule.rule
        if rule.evidence is None:
            return {"kept": group.activations, "set_aside": [], "under": [], "reason": ""}
        need = rule.evidence.at_least
        kept: list[Activation] = []
        weak: set[str] = set()
        under: set[str] = set()
        best = -1
        for act in group.activations:
            reports = self.f.reports({dict(act.bound)[rule.evidence.binding]})
            strong = [r for r in reports if meets(self.f.event(r).modality, need)]
            weak |= {r for r in reports if r not in strong}
            under |= set(strong)
            best = max([best] + [EVIDENCE_RANK[self.f.event(r).modality] for r in reports])
            if strong:
                kept.append(act)
        # a weak report that another kept match binds directly stays
        direct = {fid for a in kept for n, fid in a.bound if n != rule.evidence.binding}
        level = next((m for m, r in EVIDENCE_RANK.items() if r == best), None) if best >= 0 else None
        reason = (
            f"the reports are weaker than required ({level} < {need})"
            if level
            else f"no report of an act stands behind '{rule.evidence.binding}'"
        )
        return {
            "kept": kept,
            "set_aside": sorted(weak - direct - under),
            "under": sorted(under),
            "reason": reason,
        }

    def _in_force(
        self, binding: str, dated: list[str], provisions: list[Provision]
    ) -> tuple[dict[str, Any], list[Provision], list[dict[str, Any]]]:
        checks: list[InForceCheck] = []
        kept: list[Provision] = []
        excluded: list[dict[str, Any]] = []
        outcomes: dict[str, str] = {}
        for p in provisions:
            mine: list[tuple[str, str]] = []
            for fid in dated:
                when = self.f.chosen[fid].date  # type: ignore[union-attr]
                c = InForceCheck(p.id, fid, when.describe(), when.precision, window_outcome(when, p))
                checks.append(c)
                mine.append((c.precision, c.outcome))
            outcomes[p.id] = combine(mine)
            if outcomes[p.id] == "not_in_force":
                until = p.in_force.until.isoformat() if p.in_force.until else "open"
                excluded.append({
                    "provision": p.id,
                    "reason": "not in force on the date of the act "
                    f"(in force {p.in_force.start} to {until})",
                })
            else:
                kept.append(p)
        if not kept:
            overall = "not_in_force"
        elif all(outcomes[p.id] == "in_force" for p in kept):
            overall = "in_force"
        else:
            overall = "uncertain"
        return (
            {"binding": binding, "outcome": overall, "checks": [c.as_dict() for c in checks]},
            kept,
            excluded,
        )

    def _evidence(self, rule: Any, events: list[str], citations: list[dict[str, Any]],
                  check: dict[str, Any]) -> dict[str, Any]:
        f = self.f
        reports = [
            {"fact": e, "modality": f.event(e).modality, "asserted_by": list(f.event(e).asserted_by)}
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
        level = max((r["modality"] for r in reports), key=EVIDENCE_RANK.__getitem__, default=None)
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
            under = [r for r in reports if r["fact"] in set(check["under"])]
            out["required"] = rule.evidence.at_least
            out["level"] = max((r["modality"] for r in under), key=EVIDENCE_RANK.__getitem__,
                               default=level)
            out["met"] = bool(check["kept"])
            out["set_aside"] = [
                {"fact": w, "modality": f.event(w).modality} for w in check["set_aside"]
            ]
        return out

    def _cites(self, fid: str) -> list[dict[str, Any]]:
        return [dict(c.as_dict(), fact=fid) for c in self.f.all.citations.get(fid, [])]

    def _citations(self, events: list[str], support: set[str]) -> list[dict[str, Any]]:
        f = self.f
        cited = [c for fid in events for c in self._cites(fid)]
        for fid in events:
            for st in f.statements_about.get(fid, []):
                if st.kind in ("allegation", "admission"):
                    cited += self._cites(st.id)
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

    def _message(self, template: str, acts: list[Activation], provisions: list[Provision]) -> str:
        """Plain substitution; a placeholder that differs between the merged matches lists
        every value, so the message never speaks for one match only."""

        def fill(m: Any) -> str:
            name = m.group(1)
            if name == "provisions":
                return "; ".join(p.label() for p in provisions)
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
                out.append({
                    "id": fid,
                    "kind": fact.kind,
                    "summary": fact.summary,
                    "engine_accepted": fid not in unhandled,
                })
        return sorted(out, key=lambda x: x["id"])


def _actors(value: Any) -> list[str]:
    return [a for a in (value if isinstance(value, list) else [value]) if isinstance(a, str)]


def _categories(records: list[dict[str, Any]]) -> set[str]:
    out: set[str] = set()
    for r in records:
        for path in ("items.category", "cargo.category"):
            got = resolve(r, path)
            out |= {c for c in got if isinstance(c, str)} if isinstance(got, list) else set()
    return out


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


def _prov_key(f: dict[str, Any]) -> str:
    return "; ".join(p["label"] for p in f["provisions"])
