"""What every rendering shares: short source labels, sentence references, plain words."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

KIND_WORDS = {
    "possible_violation": "Possible violation",
    "evasion_indicator": "Evasion indicator",
    "risk": "Risk",
    "context": "Context (not a violation)",
}
SEVERITIES = ("high", "medium", "low", "info")


def source_labels(doc: dict[str, Any]) -> dict[str, str]:
    """A short label per source (S1, S2, ...) in the order of the run record: stable for
    a given set of sources, and short enough for a table column."""
    ids = [s["id"] for s in doc["record"].get("sources", [])]
    for f in doc["findings"]:  # a cited source the record does not list still gets a label
        for c in all_citations(f):
            if c["source"] not in ids:
                ids.append(c["source"])
    return {sid: f"S{i}" for i, sid in enumerate(ids, start=1)}


def source_legend(doc: dict[str, Any], labels: dict[str, str]) -> list[tuple[str, str]]:
    """(label, description) for every labelled source, e.g. ('S1', 'title (2022-11-08)')."""
    meta = {s["id"]: s for s in doc["record"].get("sources", [])}
    out = []
    for sid, label in labels.items():
        m = meta.get(sid)
        words = f"{sid}: {m['title']} ({m['published']})" if m else sid
        out.append((label, words))
    return out


def all_citations(finding: dict[str, Any]) -> list[dict[str, Any]]:
    """Supporting citations, then those of counter-evidence."""
    out = list(finding["citations"])
    for ce in finding["counter_evidence"]:
        out.extend(ce["citations"])
    return out


def counter_citations(finding: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for ce in finding["counter_evidence"] for c in ce["citations"]]


def sentence_refs(citations: Iterable[dict[str, Any]], labels: dict[str, str]) -> str:
    """'S1: 12, 14; S2: 3': the sentence numbers of each source, never mixed."""
    by_source: dict[str, set[int]] = {}
    for c in citations:
        by_source.setdefault(c["source"], set()).add(c["sentence"])
    parts = []
    for sid in sorted(by_source, key=lambda s: (labels.get(s, s), s)):
        numbers = ", ".join(str(n) for n in sorted(by_source[sid]))
        parts.append(f"{labels.get(sid, sid)}: {numbers}")
    return "; ".join(parts)


def provision_heading(finding: dict[str, Any]) -> str:
    """The provisions of a finding, as one heading; unconfirmed paragraph numbers said so."""
    labels = [
        p["label"] + ("" if p["paragraph_confirmed"] else " [number unconfirmed]")
        for p in finding["provisions"]
    ]
    return "; ".join(labels) or "no provision"


def group_by_provision(findings: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        groups.setdefault(provision_heading(f), []).append(f)
    return groups


def actor_names(doc: dict[str, Any], ids: Iterable[str]) -> str:
    names = doc.get("actors", {})
    return ", ".join(names.get(i, i) for i in ids) or "-"


def evidence_words(doc: dict[str, Any], finding: dict[str, Any]) -> str:
    """'alleged; asserted by X; denied by Y; in force: uncertain'."""
    ev = finding["evidence"]
    words = f"{ev['level'] or 'n/a'}; asserted by {actor_names(doc, ev['asserted_by'])}"
    if ev["denied_by"]:
        words += f"; denied by {actor_names(doc, ev['denied_by'])}"
    if finding["in_force"] and finding["in_force"]["outcome"] != "in_force":
        words += f"; in force: {finding['in_force']['outcome']}"
    return words


def fragility(finding: dict[str, Any]) -> dict[str, bool]:
    """Whether a finding rests on one source document or on one asserting party."""
    ev = finding["evidence"]
    sources = {c["source"] for c in finding["citations"]}
    return {
        "single_source": bool(ev.get("single_source", len(sources) <= 1)),
        "single_party": len(set(ev["asserted_by"])) <= 1,
    }
