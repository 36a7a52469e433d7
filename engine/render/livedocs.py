"""Living documentation of the rule set, in Markdown: one page per rule and an index of
provisions, built from the rules, the provision facts, the features and an evaluation of
the bundled cases, so it says what the rule set does today and cannot go stale.

It is built (`sanctions docs --output DIR`), never committed: a committed copy would repeat
the rules, facts and features, and would be stale after every edit until rebuilt.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from engine.render.catalog import RuleInfo, Scenario, scenarios_for
from engine.render.common import KIND_WORDS, source_labels
from engine.render.markdown import _escape

_COMBINATORS = ("any_of", "unless")


def _op_words() -> dict[str, str]:
    """What each operator means, from the operator registry (never a copy of it)."""
    from engine.language.operators import OPERATORS

    return {name: op.doc for name, op in OPERATORS.items()}


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(f"`{v}`" for v in value) or "nothing"
    return f"`{value}`"


def _test(field: str, test: Any, words: dict[str, str]) -> str:
    if isinstance(test, dict) and len(test) == 1:
        ((op, value),) = test.items()
        meaning = words.get(op, op.replace("_", " "))
        return f"`{field}` {op.replace('_', ' ')} {_value(value)} ({meaning})"
    return f"`{field}` is {_value(test)}"


def _binding(name: str, spec: Any, words: dict[str, str]) -> list[str]:
    if not isinstance(spec, dict):
        return [f"`{name}`: {_value(spec)}"]
    head = f"`{name}`: a fact of kind `{spec['kind']}`" if "kind" in spec else f"`{name}`"
    tests = [_test(f, t, words) for f, t in (spec.get("where") or {}).items()]
    if tests:
        head += (" where " if "kind" in spec else " also has ") + "; ".join(tests)
    return [head]


def conditions(rule: dict[str, Any]) -> list[str]:
    """The rule's conditions in words, one line each (Markdown)."""
    words = _op_words()
    out = []
    for name, spec in (rule.get("match") or {}).items():
        out.extend(_binding(name, spec, words))
    alternatives = rule.get("any_of") or []
    if alternatives:
        out.append("and at least one of:")
        for alt in alternatives:
            parts = [line for n, s in alt.items() for line in _binding(n, s, words)]
            out.append("  - " + "; and ".join(parts))
    for item in rule.get("unless") or []:
        parts = [line for n, s in item.items() for line in _binding(n, s, words)]
        out.append("unless there is " + "; and ".join(parts))
    ev = rule.get("evidence")
    if isinstance(ev, dict):
        out.append(f"the reports of `{ev.get('binding')}` are at least `{ev.get('at_least')}`")
    if rule.get("in_force"):
        out.append(f"the date of `{rule['in_force']}` falls while each provision is in force")
    if rule.get("accountable"):
        out.append("accountable: " + ", ".join(f"`{a}`" for a in rule["accountable"]))
    derive = rule.get("derive")
    if isinstance(derive, dict):
        out.append(
            f"then it derives a `{derive.get('kind')}` fact, one per "
            + ", ".join(f"`{k}`" for k in derive.get("key", []))
        )
    if rule.get("group_by"):
        out.append("matches are merged by " + ", ".join(f"`{g}`" for g in rule["group_by"]))
    return out


def _slug(name: str) -> str:
    """A scenario's name as pytest-bdd names its test: blanks become '_', other non-word
    characters go ("Iran's claim" -> "irans_claim")."""
    return re.sub(r"\W", "", name.lower().replace(" ", "_"))


def scenario_results(junit: Path | None) -> dict[str, str]:
    """Scenario slug -> 'passed', 'failed' or 'skipped', from a pytest --junitxml file."""
    if junit is None:
        return {}
    out: dict[str, str] = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = case.get("name", "")
        if not name.startswith("test_"):
            continue
        status = "passed"
        if case.find("failure") is not None or case.find("error") is not None:
            status = "failed"
        elif case.find("skipped") is not None:
            status = "skipped"
        slug = re.sub(r"\[.*\]$", "", name[len("test_") :])
        if out.get(slug) != "failed":
            out[slug] = status
    return out


def build(
    out_dir: Path,
    catalog: dict[str, RuleInfo],
    provisions: dict[str, Any],
    scenarios: list[Scenario],
    doc: dict[str, Any],
    results: dict[str, str],
) -> list[Path]:
    """Write index.md and rules/<ID>.md; return the files written."""
    (out_dir / "rules").mkdir(parents=True, exist_ok=True)
    labels = source_labels(doc)
    written = []
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for f in doc["findings"]:
        by_rule.setdefault(f["rule"]["id"], []).append(f)
    set_aside: dict[str, list[dict[str, Any]]] = {}
    for f in doc["not_flagged"]:
        set_aside.setdefault(f["rule"]["id"], []).append(f)
    derived_by: dict[str, list[dict[str, Any]]] = {}
    for d in doc["derived_facts"]:
        derived_by.setdefault(d["rule"], []).append(d)

    for rule in catalog.values():
        lines = [f"# {rule.id}: {_escape(rule.title)}", ""]
        lines.append(
            f"Status **{rule.status}**; finding: **{KIND_WORDS.get(rule.finding, rule.finding)}**; "
            f"severity {rule.severity}; confidence {rule.confidence}. File `{rule.file}`."
        )
        lines += ["", "## Why", "", _escape(rule.rationale) or "(no rationale)", ""]
        lines += ["## Legal basis", ""]
        for pid in rule.legal_basis:
            p = provisions.get(pid)
            if p is None:
                lines.append(f"- `{pid}` (not among the provision facts)")
                continue
            confirmed = "confirmed" if p.paragraph_confirmed else "NOT confirmed"
            until = f" until {p.in_force.until}" if p.in_force.until else ""
            lines.append(
                f"- **{_escape(p.label())}** ({_escape(p.resolution)}, {_escape(p.paragraph)}; "
                f"paragraph number {confirmed}, source: {p.cite[0].confirmation}; "
                f"{'binding' if p.binding else 'not binding'}; in force from "
                f"{p.in_force.start}{until}): "
                f"{_escape(' '.join(p.prohibits.split()))}"
            )
        lines += ["", "## Conditions", ""]
        lines += [f"- {c}" if not c.startswith("  ") else c for c in conditions(rule.data)]
        if rule.message:
            lines += ["", f"It says: {_escape(rule.message)}"]
        lines += ["", "## Scenarios", ""]
        mine = scenarios_for(rule.id, scenarios)
        if not mine:
            lines.append("No scenario is tagged with this rule.")
        for sc in mine:
            status = results.get(_slug(sc.name), "not run" if results else "")
            mark = f" ({status})" if status else ""
            lines.append(f"### {_escape(sc.name)}{mark}")
            lines += ["", f"`{sc.file}:{sc.line}`", "", "```gherkin", *sc.steps, "```", ""]
        lines += ["## On the bundled cases", ""]
        found = by_rule.get(rule.id, [])
        derived = derived_by.get(rule.id, [])
        aside = set_aside.get(rule.id, [])
        if not found and not derived:
            lines.append("It flags nothing on the bundled cases.")
        for f in aside:
            reasons = "; ".join(f.get("reasons", []))
            lines.append(f"- matched but not flagged (`{f['id']}`): {_escape(reasons)}")
        for f in found:
            lines += [f"- {_escape(f['message'])} (`{f['id']}`)"]
            for c in f["citations"]:
                label = labels.get(c["source"], c["source"])
                lines.append(f'  - "{_escape(c["quote"])}" ({label}, sentence {c["sentence"]})')
        for d in derived:
            lines.append(f"- derives `{d['id']}` from {', '.join(f'`{s}`' for s in d['supports'])}")
        page = out_dir / "rules" / f"{rule.id}.md"
        page.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
        written.append(page)

    index = ["# Rule set", "", "Built by `sanctions docs`; do not edit by hand.", ""]
    index += ["## Rules", "", "| rule | title | finding | status |", "|---|---|---|---|"]
    for rule in catalog.values():
        index.append(
            f"| [{rule.id}](rules/{rule.id}.md) | {_escape(rule.title)} | {rule.finding} | "
            f"{rule.status} |"
        )
    index += ["", "## Provisions", "", "| provision | paragraph number | rules citing it |"]
    index.append("|---|---|---|")
    for pid, p in sorted(provisions.items(), key=lambda kv: kv[1].label()):
        citing = [r.id for r in catalog.values() if pid in r.legal_basis]
        links = ", ".join(f"[{r}](rules/{r}.md)" for r in citing) or "none"
        confirmed = "confirmed" if p.paragraph_confirmed else "NOT confirmed"
        index.append(f"| {_escape(p.label())} (`{pid}`) | {confirmed} | {links} |")
    (out_dir / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    written.append(out_dir / "index.md")
    return written
