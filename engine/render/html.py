"""One self-contained HTML file: findings with their full trace, the articles with every
cited sentence highlighted, a diagram of actors and acts, and the record of the run.

Everything taken from facts and rules goes through jinja2's autoescaping; nothing is loaded
from the network (inline CSS, JS and SVG only).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

import jinja2

from engine.loader import FactSet
from engine.render.common import (
    KIND_WORDS,
    SEVERITIES,
    actor_names,
    all_citations,
    counter_citations,
    fragility,
    group_by_provision,
    source_labels,
    source_legend,
)

KIND_COLOURS = {
    "possible_violation": "#b3261e",
    "evasion_indicator": "#9a5b00",
    "risk": "#6d5e0f",
    "context": "#1f6f8b",
}
# Dashes tell kinds apart without colour (printouts, colour-blind readers).
KIND_DASHES = {
    "possible_violation": "",
    "evasion_indicator": "8 4",
    "risk": "3 3",
    "context": "1 4",
}


def anchor(text: str) -> str:
    """An id usable in a URL fragment and a CSS selector."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")


def sentence_anchor(label: str, number: int) -> str:
    return f"s-{label}-{number}"


@dataclass
class Piece:
    """A run of sentence text, marked when a quote covers it ('support', 'counter', 'both')."""

    text: str
    mark: str = ""


@dataclass
class SentenceView:
    number: int
    anchor: str
    role: str
    pieces: list[Piece]
    cited: str = ""  # '', 'support', 'counter' or 'both'
    links: list[dict[str, str]] = field(default_factory=list)  # findings citing it


def _environment() -> jinja2.Environment:
    template_dir = files("engine.render") / "templates"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        autoescape=True,  # every value is escaped unless marked safe; nothing is
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["KIND_WORDS"] = KIND_WORDS
    env.globals["KIND_COLOURS"] = KIND_COLOURS
    env.globals["KIND_DASHES"] = KIND_DASHES
    return env


def render_html(doc: dict[str, Any], facts: FactSet) -> str:
    labels = source_labels(doc)
    findings = doc["findings"]
    numbers = {f["id"]: i for i, f in enumerate(findings, start=1)}
    anchors = {f["id"]: "f-" + anchor(f["id"]) for f in findings}
    template = _environment().get_template("report.html.j2")
    return template.render(
        doc=doc,
        findings=findings,
        numbers=numbers,
        anchors=anchors,
        labels=labels,
        legend=source_legend(doc, labels),
        groups=group_by_provision(findings),
        summary=_summary(findings),
        summary_kinds={k: sum(1 for f in findings if f["kind"] == k) for k in KIND_WORDS},
        severities=SEVERITIES,
        sources=_sources(doc, facts, labels, numbers, anchors),
        diagram=_diagram(doc, facts, numbers, anchors),
        summaries={fid: str(getattr(fact, "summary", "")) for fid, fact in facts.facts.items()},
        fragile={f["id"]: fragility(f) for f in findings},
        who=lambda ids: actor_names(doc, ids),
        sentence_anchor=sentence_anchor,
        counter_citations=counter_citations,
    )


def _summary(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per provision: how many findings of each severity cite it."""
    rows: dict[str, dict[str, Any]] = {}
    for f in findings:
        provisions = f["provisions"] or [
            {"label": "no provision", "confirmation": "", "paragraph_confirmed": True}
        ]
        for p in provisions:
            row = rows.setdefault(
                p["label"],
                {
                    "label": p["label"],
                    "confirmation": p["confirmation"],
                    "confirmed": p["paragraph_confirmed"],
                    "counts": dict.fromkeys(SEVERITIES, 0),
                    "total": 0,
                },
            )
            row["counts"][f["severity"]] = row["counts"].get(f["severity"], 0) + 1
            row["total"] += 1
    return [rows[k] for k in sorted(rows, key=_provision_sort_key)]


def _provision_sort_key(label: str) -> list[tuple[int, str]]:
    """Numbers compare as numbers: 2270 OP2 before 2270 OP18; other labels go last."""
    parts = re.split(r"(\d+)", label)
    key = [(0, "") if label[:1].isdigit() else (1, "")]
    key += [(int(p), "") if p.isdigit() else (-1, p) for p in parts if p]
    return key


def _sources(
    doc: dict[str, Any],
    facts: FactSet,
    labels: dict[str, str],
    numbers: dict[str, int],
    anchors: dict[str, str],
) -> list[dict[str, Any]]:
    """Each cited source in full, paragraph by paragraph, cited sentences marked."""
    spans: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
    links: dict[tuple[str, int], dict[str, dict[str, str]]] = {}
    for f in doc["findings"]:
        counter = {id(c) for c in counter_citations(f)}
        for c in all_citations(f):
            role = "counter" if id(c) in counter else "support"
            key = (c["source"], c["sentence"])
            spans.setdefault(key, []).append((c["start"], c["end"], role))
            here = links.setdefault(key, {})
            if f["id"] in here and here[f["id"]]["role"] != role:
                here[f["id"]]["role"] = "both"
            else:
                here.setdefault(
                    f["id"],
                    {"href": "#" + anchors[f["id"]], "text": f"F{numbers[f['id']]}", "role": role},
                )
    meta = {s["id"]: s for s in doc["record"].get("sources", [])}
    out = []
    for sid, label in labels.items():
        source = facts.sources.get(sid)
        if source is None:
            continue
        paragraphs: dict[int, list[SentenceView]] = {}
        for s in source.sentences:
            key = (sid, s.number)
            marks = spans.get(key, [])
            roles = {r for _, _, r in marks}
            view = SentenceView(
                number=s.number,
                anchor=sentence_anchor(label, s.number),
                role=s.role,
                pieces=_pieces(source.text, s.start, s.end, marks),
                cited="both" if len(roles) == 2 else (roles.pop() if roles else ""),
                links=list(links.get(key, {}).values()),
            )
            paragraphs.setdefault(s.paragraph, []).append(view)
        m = source.meta
        out.append(
            {
                "id": sid,
                "label": label,
                "anchor": "src-" + label,
                "title": m.title,
                "publisher": m.publisher,
                "published": m.published.isoformat(),
                "url": m.url,
                "sha256": source.sha256,
                "in_record": sid in meta,
                "paragraphs": [
                    {"number": n, "role": ps[0].role, "sentences": ps}
                    for n, ps in sorted(paragraphs.items())
                ],
                "cited": sum(1 for k in spans if k[0] == sid),
            }
        )
    return out


def _pieces(text: str, start: int, end: int, marks: list[tuple[int, int, str]]) -> list[Piece]:
    """Split a sentence where quotes begin and end, so each quoted run can be marked."""
    cuts = {start, end}
    for a, b, _ in marks:
        cuts.update(x for x in (a, b) if start <= x <= end)
    points = sorted(cuts)
    pieces = []
    for a, b in zip(points, points[1:], strict=False):
        roles = {r for (x, y, r) in marks if x <= a and b <= y}
        mark = "both" if len(roles) == 2 else (roles.pop() if roles else "")
        pieces.append(Piece(text[a:b], mark))
    return pieces


# -- the diagram ---------------------------------------------------------------------------

_PAIR_FIELDS = (("supplier", "recipient"), ("sending_state", "host_state"))
_SINGLE_FIELDS = ("actor", "recognising", "body", "sending_state")
_LIST_FIELDS = ("actors", "vetoed_by")


def _acts(fact: Any) -> tuple[list[tuple[str, str, bool]], list[str]]:
    """(edges as (from, to, directed), actors acting alone) of one event fact."""
    edges: list[tuple[str, str, bool]] = []
    for a, b in _PAIR_FIELDS:
        src, dst = getattr(fact, a, None), getattr(fact, b, None)
        if isinstance(src, str) and isinstance(dst, str):
            edges.append((src, dst, True))
    parties = getattr(fact, "parties", None)
    if isinstance(parties, list) and len(parties) >= 2:
        edges.append((parties[0], parties[1], False))
    transit = getattr(fact, "transit_states", None)
    if isinstance(transit, list) and isinstance(getattr(fact, "actor", None), str):
        edges.extend((fact.actor, t, True) for t in transit)
    if edges:
        return edges, []
    alone = [v for k in _SINGLE_FIELDS if isinstance(v := getattr(fact, k, None), str)]
    for k in _LIST_FIELDS:
        value = getattr(fact, k, None)
        if isinstance(value, list):
            alone.extend(x for x in value if isinstance(x, str))
    return [], alone


def _diagram(
    doc: dict[str, Any], facts: FactSet, numbers: dict[str, int], anchors: dict[str, str]
) -> dict[str, Any]:
    """Actors on a circle; an arrow per transfer, a badge per act of one actor alone."""
    edges: dict[tuple[str, str, bool, str], list[str]] = {}
    alone: dict[str, list[tuple[str, str]]] = {}
    for f in doc["findings"]:
        for fid in f["facts"]:
            fact = facts.facts.get(fid)
            if fact is None:
                continue
            pairs, singles = _acts(fact)
            for a, b, directed in pairs:
                refs = edges.setdefault((a, b, directed, f["kind"]), [])
                if f["id"] not in refs:
                    refs.append(f["id"])
            for a in singles:
                if (f["id"], f["kind"]) not in alone.setdefault(a, []):
                    alone[a].append((f["id"], f["kind"]))
    actors = sorted({x for (a, b, _, _) in edges for x in (a, b)} | set(alone))
    width, height = 760, 520
    cx, cy, r = width / 2, height / 2, min(width, height) / 2 - 90
    # The actor in most acts with others stands in the middle, the rest on a circle around
    # it: most arrows then run from or to the middle and do not cross.
    degree = {a: sum(1 for (x, y, _, _) in edges if a in (x, y) and x != y) for a in actors}
    hub = max(actors, key=lambda a: (degree[a], a)) if actors else None
    ring = [a for a in actors if not (a == hub and degree[a] >= 2 and len(actors) >= 4)]
    pos = {a: (cx, cy) for a in actors if a not in ring}
    for i, a in enumerate(ring):
        angle = -math.pi / 2 + 2 * math.pi * i / max(len(ring), 1)
        pos[a] = (cx + r * math.cos(angle), cy + r * math.sin(angle))
    names = dict(doc.get("actors", {}))
    nodes = []
    for a in actors:
        x, y = pos[a]
        fact = facts.facts.get(a)
        # Acts of one actor alone are written outside the circle, away from the arrows.
        out_x, out_y = (x - cx, y - cy) if (x, y) != (cx, cy) else (0.0, 1.0)
        norm = math.hypot(out_x, out_y) or 1.0
        nodes.append(
            {
                "id": a,
                "name": str(getattr(fact, "name", names.get(a, a))),
                "x": round(x, 1),
                "y": round(y, 1),
                "acts_x": round(x + out_x / norm * 36, 1),
                "acts_y": round(y + out_y / norm * 40 + 4, 1),
                "acts_anchor": (
                    "start" if out_x / norm > 0.3 else "end" if out_x / norm < -0.3 else "middle"
                ),
                "acts": [
                    {"href": "#" + anchors[fid], "text": f"F{numbers[fid]}", "kind": kind}
                    for fid, kind in alone.get(a, [])
                ],
            }
        )
    lines = []
    seen: dict[frozenset[str], int] = {}
    for (a, b, directed, kind), refs in sorted(edges.items()):
        if a == b:
            continue
        nth = seen.get(frozenset((a, b)), 0)
        seen[frozenset((a, b))] = nth + 1
        lines.append(_curve(pos[a], pos[b], nth, a, b, directed, kind, refs, numbers, anchors))
    return {"width": width, "height": height, "nodes": nodes, "edges": lines}


def _curve(
    p: tuple[float, float],
    q: tuple[float, float],
    nth: int,
    a: str,
    b: str,
    directed: bool,
    kind: str,
    refs: list[str],
    numbers: dict[str, int],
    anchors: dict[str, str],
) -> dict[str, Any]:
    """A curved arrow from p to q, stopping short of the node circles; parallel arrows bow
    further out so none hides another."""
    (x1, y1), (x2, y2) = p, q
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    gap = 34
    sx, sy, ex, ey = x1 + ux * gap, y1 + uy * gap, x2 - ux * gap, y2 - uy * gap
    bow = 30 + 28 * nth
    mx, my = (sx + ex) / 2 - uy * bow, (sy + ey) / 2 + ux * bow
    lx, ly = (sx + 2 * mx + ex) / 4, (sy + 2 * my + ey) / 4  # the curve's midpoint
    return {
        "from": a,
        "to": b,
        "directed": directed,
        "kind": kind,
        "path": f"M{sx:.1f},{sy:.1f} Q{mx:.1f},{my:.1f} {ex:.1f},{ey:.1f}",
        "label_x": round(lx, 1),
        "label_y": round(ly, 1),
        "refs": [{"href": "#" + anchors[fid], "text": f"F{numbers[fid]}"} for fid in refs],
    }
