"""SARIF 2.1.0: findings as results on the source articles, and validate's diagnostics as
results on the rule and fact files, so code-scanning tools show them on the right lines."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from engine import __version__
from engine.diagnostics import CODES, Diagnostic
from engine.loader import FactSet
from engine.render.catalog import RuleInfo
from engine.render.common import actor_names, source_labels

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TAXONOMY = "UN Security Council provisions"
LEVELS = {"high": "error", "medium": "warning", "low": "note", "info": "note"}


def _driver(rules: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": "sanctions-engine",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": rules,
    }


def render_sarif(
    doc: dict[str, Any], facts: FactSet, catalog: dict[str, RuleInfo] | None = None
) -> str:
    """One run: each source an artifact, each finding a result located on its sentences."""
    labels = source_labels(doc)
    catalog = catalog or {}
    findings = doc["findings"]

    # Provisions as taxa, in a stable order.
    provisions: dict[str, dict[str, Any]] = {}
    for f in findings:
        for p in f["provisions"]:
            provisions.setdefault(p["id"], p)
    taxa_ids = sorted(provisions)
    taxa = [
        {
            "id": pid,
            "name": provisions[pid]["label"],
            "shortDescription": {
                "text": f"{provisions[pid]['resolution']}, {provisions[pid]['paragraph']}"
            },
            "properties": {
                "confirmation": provisions[pid]["confirmation"],
                "paragraphConfirmed": provisions[pid]["paragraph_confirmed"],
                "binding": provisions[pid]["binding"],
                "inForce": provisions[pid]["in_force"],
            },
        }
        for pid in taxa_ids
    ]
    taxon_index = {pid: i for i, pid in enumerate(taxa_ids)}
    taxonomy_ref = {"name": TAXONOMY, "index": 0}

    # Rules: every rule of the catalog, plus any fired rule it lacks.
    rule_ids = sorted(set(catalog) | {f["rule"]["id"] for f in findings})
    fired = {f["rule"]["id"]: f for f in findings}
    descriptors = [
        _descriptor(rid, catalog.get(rid), fired.get(rid), taxon_index) for rid in rule_ids
    ]
    rule_index = {rid: i for i, rid in enumerate(rule_ids)}

    # Sources as artifacts.
    artifacts: list[dict[str, Any]] = []
    artifact_index: dict[str, int] = {}
    for sid in labels:
        source = facts.sources.get(sid)
        if source is None:
            continue
        artifact_index[sid] = len(artifacts)
        artifacts.append(
            {
                "location": {"uri": _source_uri(facts, sid)},
                "description": {"text": f"{labels[sid]}: {source.meta.title}"},
                "mimeType": "text/plain",
                "encoding": "utf-8",
                "length": len(source.text.encode("utf-8")),
                "hashes": {"sha-256": source.sha256},
                "properties": {
                    "sourceId": sid,
                    "label": labels[sid],
                    "publisher": source.meta.publisher,
                    "published": source.meta.published.isoformat(),
                },
            }
        )

    results = []
    for f in findings:
        locations = [
            _location(
                c,
                facts,
                artifact_index,
                labels,
                f"{labels.get(c['source'])} sentence {c['sentence']}",
            )
            for c in f["citations"]
        ]
        related: list[dict[str, Any]] = []
        for ce in f["counter_evidence"]:
            by = actor_names(doc, [ce["by"]])
            for c in ce["citations"]:
                loc = _location(
                    c,
                    facts,
                    artifact_index,
                    labels,
                    f"Counter-evidence ({ce['kind']}) by {by}: {ce['summary']}",
                )
                loc["id"] = len(related) + 1
                related.append(loc)
        result: dict[str, Any] = {
            "ruleId": f["rule"]["id"],
            "ruleIndex": rule_index[f["rule"]["id"]],
            "level": LEVELS.get(f["severity"], "note"),
            "message": {"text": f["message"]},
            "locations": locations,
            "partialFingerprints": {"findingId/v1": f["id"]},
            "fingerprints": {"sanctions/v1": _fingerprint(f)},
            "taxa": [
                {"id": p["id"], "index": taxon_index[p["id"]], "toolComponent": taxonomy_ref}
                for p in f["provisions"]
            ],
            "properties": {
                "findingId": f["id"],
                "kind": f["kind"],
                "severity": f["severity"],
                "confidence": f["confidence"],
                "evidenceLevel": f["evidence"]["level"],
                "singleSource": f["evidence"].get("single_source"),
                "inForce": (f["in_force"] or {}).get("outcome"),
                "accountable": [a["actor"] for a in f["accountable"]],
            },
        }
        if related:
            result["relatedLocations"] = related
        results.append(result)

    run: dict[str, Any] = {
        "tool": {"driver": {**_driver(descriptors), "supportedTaxonomies": [taxonomy_ref]}},
        "taxonomies": [
            {
                "name": TAXONOMY,
                "shortDescription": {"text": "Resolution paragraphs the rules cite"},
                "taxa": taxa,
            }
        ],
        "artifacts": artifacts,
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "findingsFormat": doc["format"],
            "formatVersion": doc["format_version"],
            "record": doc["record"],
        },
    }
    return _dump({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]})


def _descriptor(
    rid: str,
    info: RuleInfo | None,
    finding: dict[str, Any] | None,
    taxon_index: dict[str, int],
) -> dict[str, Any]:
    title = info.title if info else (finding["rule"]["title"] if finding else rid)
    out: dict[str, Any] = {"id": rid, "shortDescription": {"text": title}}
    if info is not None:
        out["fullDescription"] = {"text": info.rationale or title}
        out["help"] = {"text": info.rationale or title}
        out["defaultConfiguration"] = {
            "level": LEVELS.get(info.severity, "note"),
            "enabled": info.status == "active",
        }
        out["properties"] = {
            "finding": info.finding,
            "status": info.status,
            "confidence": info.confidence,
            "file": info.file,
        }
        relationships = [
            {
                "target": {
                    "id": pid,
                    **({"index": taxon_index[pid]} if pid in taxon_index else {}),
                    "toolComponent": {"name": TAXONOMY, "index": 0},
                },
                "kinds": ["relevant"],
            }
            for pid in info.legal_basis
            if pid in taxon_index
        ]
        if relationships:
            out["relationships"] = relationships
    return out


def _source_uri(facts: FactSet, sid: str) -> str:
    """Where the text file is, as the metadata file was shown (relative when it was)."""
    source = facts.sources[sid]
    loc = facts.locations.get(f"source:{sid}")
    if loc is None:
        return source.meta.text
    return (Path(loc.path).parent / source.meta.text).as_posix()


def _location(
    c: dict[str, Any],
    facts: FactSet,
    artifact_index: dict[str, int],
    labels: dict[str, str],
    message: str,
) -> dict[str, Any]:
    region: dict[str, Any] = {
        "charOffset": c["start"],
        "charLength": c["end"] - c["start"],
        "snippet": {"text": c["quote"]},
    }
    source = facts.sources.get(c["source"])
    artifact: dict[str, Any] = {"uri": c["source"]}
    if source is not None:
        artifact = {"uri": _source_uri(facts, c["source"]), "index": artifact_index[c["source"]]}
        before = source.text[: c["start"]]
        line = before.count("\n") + 1
        col = c["start"] - (before.rfind("\n") + 1) + 1
        inside = source.text[c["start"] : c["end"]]
        end_line = line + inside.count("\n")
        end_col = col + len(inside) if "\n" not in inside else len(inside) - inside.rfind("\n")
        region.update(startLine=line, startColumn=col, endLine=end_line, endColumn=end_col)
    return {
        "physicalLocation": {"artifactLocation": artifact, "region": region},
        "message": {"text": message},
        "properties": {
            "sentence": c["sentence"],
            "paragraph": c["paragraph"],
            "sourceLabel": labels.get(c["source"], c["source"]),
        },
    }


def _fingerprint(f: dict[str, Any]) -> str:
    """The rule and the exact spans cited: the same evidence gives the same fingerprint."""
    spans = sorted((c["source"], c["start"], c["end"]) for c in f["citations"])
    return hashlib.sha256(json.dumps([f["rule"]["id"], spans]).encode()).hexdigest()


def _dump(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# -- validate's diagnostics -----------------------------------------------------------------


def diagnostics_sarif(items: Iterable[Diagnostic]) -> str:
    items = list(items)
    codes = sorted({d.code for d in items})
    rules = [
        {
            "id": code,
            "name": CODES.get(code, code),
            "shortDescription": {"text": CODES.get(code, code)},
        }
        for code in codes
    ]
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for d in items:
        text = d.message + (f" (hint: {d.hint})" if d.hint else "")
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": "error" if d.severity == "error" else "warning",
                "message": {"text": text},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": Path(d.location.path).as_posix()},
                            "region": {
                                "startLine": max(d.location.line, 1),
                                "startColumn": max(d.location.col, 1),
                            },
                        }
                    }
                ],
            }
        )
    run = {
        "tool": {"driver": _driver(rules)},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return _dump({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]})


def _gh_escape(text: str, prop: bool = False) -> str:
    """GitHub workflow-command escaping (data, and property values)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def diagnostics_github(items: Iterable[Diagnostic]) -> str:
    """One `::error file=...,line=...,col=...,title=...::message` line per problem."""
    lines = []
    for d in items:
        level = "error" if d.severity == "error" else "warning"
        loc = d.location
        props = ",".join(
            [
                f"file={_gh_escape(Path(loc.path).as_posix(), True)}",
                f"line={max(loc.line, 1)}",
                f"col={max(loc.col, 1)}",
                f"title={_gh_escape(f'{d.code} {CODES.get(d.code, d.code)}', True)}",
            ]
        )
        text = d.message + (f". Hint: {d.hint}" if d.hint else "")
        lines.append(f"::{level} {props}::{_gh_escape(text)}")
    return "\n".join(lines) + ("\n" if lines else "")
