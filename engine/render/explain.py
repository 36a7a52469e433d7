"""`sanctions explain`: why a finding was flagged, in plain words, from the findings document."""

from __future__ import annotations

import textwrap
from typing import Any

from engine.render.catalog import RuleInfo
from engine.render.common import KIND_WORDS, actor_names, fragility, source_labels, source_legend


def find(doc: dict[str, Any], wanted: str) -> tuple[dict[str, Any] | None, bool, list[str]]:
    """(the finding or not-flagged match, whether it was flagged, ids that would fit).

    The full id, or a prefix naming exactly one of them (e.g. the rule id when the rule
    fired once); a prefix that names one flagged finding and matches set aside beside it
    names that finding."""
    entries = [(f, True) for f in doc["findings"]] + [(f, False) for f in doc["not_flagged"]]
    for f, flagged in entries:
        if f["id"] == wanted:
            return f, flagged, []
    fits = [(f, flagged) for f, flagged in entries if f["id"].startswith(wanted)]
    if len(fits) == 1:
        return fits[0][0], fits[0][1], []
    flagged_fits = [f for f, flagged in fits if flagged]
    if len(flagged_fits) == 1:
        return flagged_fits[0], True, []
    return None, False, [f["id"] for f, _ in fits]


def explain(
    doc: dict[str, Any],
    finding: dict[str, Any],
    flagged: bool,
    rule: RuleInfo | None,
    summaries: dict[str, str],
    width: int = 80,
) -> str:
    labels = source_labels(doc)
    legend = dict(source_legend(doc, labels))
    out: list[str] = []

    def para(text: str, indent: str = "") -> None:
        out.extend(
            textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent + "  ")
            or [indent]
        )

    def where(c: dict[str, Any]) -> str:
        label = labels.get(c["source"], c["source"])
        role = "" if c.get("role", "body") == "body" else f", in a {c['role']}"
        return f"{label} sentence {c['sentence']} (paragraph {c['paragraph']}{role})"

    status = "Flagged" if flagged else "Matched, but NOT flagged"
    para(f"{status}: {finding['id']}")
    para(
        f"{KIND_WORDS[finding['kind']]}, {finding['severity']} severity, "
        f"{finding['confidence']} confidence. A possible issue to examine, not a legal "
        "determination."
    )
    out.append("")
    para(finding["message"])
    out.append("")
    r = finding["rule"]
    para(f'Why: rule {r["id"]}, "{r["title"]}" ({r["file"]}).')
    if rule is not None and rule.rationale:
        para(rule.rationale, "  ")
    if not flagged:
        out.append("")
        para("Why it was set aside:")
        for reason in finding.get("reasons", []):
            para(f"- {reason}", "  ")
    out.append("")

    ev = finding["evidence"]
    para(
        f"The evidence ({len(finding['citations'])} quote(s)); its level is "
        f"'{ev['level'] or 'n/a'}', the rule needs at least '{ev['required']}'"
        + ("." if ev.get("met", True) else ", which is NOT met.")
    )
    for i, c in enumerate(finding["citations"], start=1):
        para(f'{i}. "{c["quote"]}"', "  ")
        para(f"{where(c)}; for {', '.join(_named(c.get('facts', []), summaries))}", "     ")
    reports = ev.get("reports", [])
    if reports:
        para("Reported by:", "  ")
        for rep in reports:
            para(
                f"- {rep['fact']}: {rep['modality']}, by {actor_names(doc, rep['asserted_by'])}",
                "    ",
            )
    frag = fragility(finding)
    rests = []
    if frag["single_source"]:
        rests.append("one source document only")
    if frag["single_party"]:
        rests.append("one asserting party only")
    if rests:
        para(f"It rests on {' and '.join(rests)}.", "  ")
    out.append("")

    counters = finding["counter_evidence"]
    if counters:
        para("Beside it, the denials and disputed claims:")
        for ce in counters:
            who = actor_names(doc, [ce["by"]])
            if ce.get("on_behalf_of"):
                who += f" for {actor_names(doc, [ce['on_behalf_of']])}"
            words = f"- {ce['kind'].replace('_', ' ')} by {who}"
            words += f" ({ce['date']})" if ce.get("date") else ""
            words += f": {ce['summary']}"
            if ce.get("claim"):
                words += f"; claims {ce['claim']}"
            para(words, "  ")
            for c in ce["citations"]:
                para(f'"{c["quote"]}"', "    ")
                para(where(c), "      ")
    else:
        para("No denial or disputed claim is recorded against it.")
    if finding.get("commentary"):
        para("Commentary:")
        for cm in finding["commentary"]:
            para(f"- {cm['kind']} by {actor_names(doc, [cm['by']])}: {cm['summary']}", "  ")
    out.append("")

    para("Legal checks:")
    checks_by: dict[str, list[dict[str, Any]]] = {}
    for ch in (finding.get("in_force") or {}).get("checks", []):
        checks_by.setdefault(ch["provision"], []).append(ch)
    for p in finding["provisions"]:
        words = f"- {p['label']} ({p['resolution']}, {p['paragraph']}): "
        words += "binding" if p["binding"] else "not binding"
        words += (
            "; paragraph number confirmed"
            if p["paragraph_confirmed"]
            else "; paragraph number NOT confirmed"
        )
        words += f" ({p['confirmation']})"
        window = p["in_force"]
        words += f"; in force from {window['start']}" + (
            f" until {window['until']}" if window.get("until") else ""
        )
        para(words, "  ")
        for ch in checks_by.get(p["id"], []):
            para(
                f"event {ch['fact']} dated {ch['event_date']}: {ch['outcome'].replace('_', ' ')}",
                "      ",
            )
    if not finding.get("in_force"):
        para("- the rule does not check the date against the provisions' windows", "  ")
    for x in finding.get("excluded_provisions", []):
        para(f"- set aside: {x['provision']}: {x['reason']}", "  ")
    if finding["accountable"]:
        para("Accountable:")
        for a in finding["accountable"]:
            para(f"- {a['name']} ({a['actor']}), bound by {', '.join(a['bound_by'])}", "  ")
    used = sorted({c["source"] for c in finding["citations"]})
    if used:
        out.append("")
        para("Sources:")
        for sid in used:
            para(f"{labels.get(sid, sid)}  {legend.get(labels.get(sid, ''), sid)}", "  ")
    return "\n".join(line.rstrip() for line in out) + "\n"


def _named(ids: list[str], summaries: dict[str, str]) -> list[str]:
    return [f"{i} ({summaries[i]})" if summaries.get(i) else i for i in ids] or ["-"]
