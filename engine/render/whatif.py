"""What-if: which findings fall away or change when facts, whole sources or the events a
denial is about are left out, as a diff against the baseline evaluation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.loader import FactSet
from engine.render.common import KIND_WORDS, fragility

FORMAT = "sanctions-engine.what-if"
FORMAT_VERSION = "1.0"


@dataclass
class Scenario:
    """What is left out, and why: each fact id with the reason it is left out."""

    facts: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    denials: list[str] = field(default_factory=list)
    left_out: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "without_facts": self.facts,
            "without_sources": self.sources,
            "denials_believed": self.denials,
            "left_out": [{"fact": k, "why": v} for k, v in sorted(self.left_out.items())],
        }


def denial_ids(facts: FactSet) -> list[str]:
    return sorted(fid for fid, f in facts.facts.items() if f.kind == "denial")


def build_scenario(
    facts: FactSet, without: list[str], sources: list[str], denials: list[str]
) -> Scenario:
    """Resolve the options to the fact ids to leave out (ids are checked by the caller)."""
    sc = Scenario(sorted(without), sorted(sources), sorted(denials))
    for fid in without:
        sc.left_out.setdefault(fid, "left out by name")
    for fid in sorted(facts.facts) if sources else []:
        cites = facts.citations.get(fid, [])
        if facts.family(fid) not in ("event", "statement") or not cites:
            continue
        # A fact goes only when every quote of it is in the sources left out.
        quoted = sorted({c.source for c in cites})
        if all(s in sources for s in quoted):
            sc.left_out.setdefault(fid, f"quoted only from {', '.join(quoted)}")
    for did in denials:
        denial = facts.facts[did]
        for fid in getattr(denial, "about", []):
            sc.left_out.setdefault(fid, f"denial {did} is believed")
    return sc


def _summary(f: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f["id"],
        "rule": f["rule"]["id"],
        "kind": f["kind"],
        "message": f["message"],
        **fragility(f),
    }


def _compare(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """The differences a reader cares about between two versions of one finding."""
    changes = []

    def note(what: str, old: Any, new: Any) -> None:
        if old != new:
            changes.append({"field": what, "before": old, "after": new})

    note("kind", before["kind"], after["kind"])
    note("severity", before["severity"], after["severity"])
    note("evidence level", before["evidence"]["level"], after["evidence"]["level"])
    note(
        "provisions",
        [p["label"] for p in before["provisions"]],
        [p["label"] for p in after["provisions"]],
    )
    note(
        "in force",
        (before["in_force"] or {}).get("outcome"),
        (after["in_force"] or {}).get("outcome"),
    )
    note("supporting facts", sorted(before["facts"]), sorted(after["facts"]))
    note("asserted by", before["evidence"]["asserted_by"], after["evidence"]["asserted_by"])
    note(
        "counter-evidence",
        [c["statement"] for c in before["counter_evidence"]],
        [c["statement"] for c in after["counter_evidence"]],
    )
    return changes


def diff(base: dict[str, Any], other: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
    """The what-if document: findings that fall away, change, or appear."""
    old = {f["id"]: f for f in base["findings"]}
    new = {f["id"]: f for f in other["findings"]}
    changed = []
    unchanged = []
    for fid in old:
        if fid in new:
            ch = _compare(old[fid], new[fid])
            if ch:
                changed.append({**_summary(old[fid]), "changes": ch})
            else:
                unchanged.append(fid)
    not_flagged_now = {f["id"]: f for f in other["not_flagged"]}
    fell = []
    for fid in old:
        if fid not in new:
            entry = _summary(old[fid])
            if fid in not_flagged_now:
                entry["now_not_flagged"] = not_flagged_now[fid].get("reasons", [])
            fell.append(entry)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "scenario": scenario.as_dict(),
        "baseline": {"findings": len(old)},
        "what_if": {"findings": len(new)},
        "fell_away": fell,
        "changed": changed,
        "appeared": [_summary(new[fid]) for fid in new if fid not in old],
        "unchanged": unchanged,
        # Findings of the baseline that rest on one source or one asserting party.
        "fragile": [_summary(f) for f in base["findings"] if any(fragility(f).values())],
    }


def diff_text(d: dict[str, Any]) -> str:
    sc = d["scenario"]
    out = [
        f"What if: {len(sc['left_out'])} fact(s) left out; "
        f"{d['baseline']['findings']} finding(s) before, {d['what_if']['findings']} after."
    ]
    for item in sc["left_out"]:
        out.append(f"  - {item['fact']}: {item['why']}")
    out.append("")
    out.append(f"Fall away ({len(d['fell_away'])}):")
    for f in d["fell_away"]:
        out.append(f"  - {f['id']} ({KIND_WORDS[f['kind']]}): {f['message']}")
        if f.get("now_not_flagged"):
            out.append(f"      now not flagged: {'; '.join(f['now_not_flagged'])}")
    out.append(f"Change ({len(d['changed'])}):")
    for f in d["changed"]:
        out.append(f"  - {f['id']} ({KIND_WORDS[f['kind']]})")
        for ch in f["changes"]:
            out.append(f"      {ch['field']}: {_words(ch['before'])} -> {_words(ch['after'])}")
    if d["appeared"]:
        out.append(f"Appear ({len(d['appeared'])}):")
        for f in d["appeared"]:
            out.append(f"  - {f['id']} ({KIND_WORDS[f['kind']]}): {f['message']}")
    out.append(f"Unchanged: {len(d['unchanged'])}")
    return "\n".join(out) + "\n"


def _words(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "none"
    return "none" if value is None else str(value)
