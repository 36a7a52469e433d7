"""Markdown for briefings: findings grouped by provision, each with its quotes and the
source and number of every sentence quoted."""

from __future__ import annotations

from typing import Any

from engine.render.common import (
    KIND_WORDS,
    actor_names,
    evidence_words,
    group_by_provision,
    source_labels,
    source_legend,
)


def _escape(text: str) -> str:
    """Text from facts shown as text: characters Markdown would act on are escaped."""
    out = []
    for ch in text:
        if ch in "\\`*_[]<>#|!~":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out).replace("\n", " ")


def render_markdown(doc: dict[str, Any]) -> str:
    labels = source_labels(doc)
    findings = doc["findings"]
    lines = [
        f"# Findings: {len(findings)}",
        "",
        "Each finding is a possible issue to examine, not a legal determination.",
        "",
    ]
    if labels:
        lines.append("Sources (sentence numbers are counted per source):")
        lines.append("")
        for label, words in source_legend(doc, labels):
            lines.append(f"- **{label}**: {_escape(words)}")
        lines.append("")
    for heading, items in group_by_provision(findings).items():
        lines += [f"## {_escape(heading)}", ""]
        for f in items:
            lines += [
                f"### {KIND_WORDS[f['kind']]}: {_escape(f['rule']['title'])}",
                "",
                f"{_escape(f['message'])}",
                "",
                f"- Finding `{f['id']}`, rule `{f['rule']['id']}`; "
                f"{f['severity']} severity, {f['confidence']} confidence",
                f"- Evidence: {_escape(evidence_words(doc, f))}",
            ]
            if f["accountable"]:
                lines.append(
                    "- Accountable: "
                    + _escape(actor_names(doc, [a["actor"] for a in f["accountable"]]))
                )
            lines.append("")
            for c in f["citations"]:
                lines.append(f'> "{_escape(c["quote"])}"')
                lines.append(
                    f"> ({labels.get(c['source'], c['source'])}, sentence {c['sentence']})"
                )
                lines.append("")
            for ce in f["counter_evidence"]:
                by = actor_names(doc, [ce["by"]])
                lines.append(f"Counter-evidence, {_escape(by)}: {_escape(ce['summary'])}")
                lines.append("")
                for c in ce["citations"]:
                    lines.append(f'> "{_escape(c["quote"])}"')
                    lines.append(
                        f"> ({labels.get(c['source'], c['source'])}, sentence {c['sentence']})"
                    )
                    lines.append("")
    if doc["not_flagged"]:
        lines += ["## Matched but not flagged", ""]
        for f in doc["not_flagged"]:
            lines.append(f"- `{f['rule']['id']}`: {_escape('; '.join(f.get('reasons', [])))}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
