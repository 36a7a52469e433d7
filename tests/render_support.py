"""Shared inputs of the rendering tests: the bundled evaluation, and a hostile case whose
source, facts and rule are full of HTML and Markdown that must show as plain text."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from engine.diagnostics import Diagnostics
from engine.evaluate import evaluate
from engine.language.load import load_rules
from engine.loader import FactSet, load_facts
from engine.report import to_document
from tests.helpers import facts_dir, rules_dir

HOSTILE_ID = "test-hostile-markup"
HOSTILE_TEXT = (
    "Markup <b>in</b> a headline\n"
    "Officials said rail freight between Russia and North Korea resumed "
    "<script>window.__pwned = 1</script> on 2 November 2022.\n"
    'North Korea said the <img src=x onerror="window.__pwned = 2"> report was false.\n'
)
HOSTILE_QUOTE = (
    "rail freight between Russia and North Korea resumed <script>window.__pwned = 1</script>"
)


def hostile_case(tmp_path: Path) -> tuple[Path, Path]:
    """(facts folder, rules folder) of one finding whose every text holds markup."""
    sha = hashlib.sha256(HOSTILE_TEXT.encode()).hexdigest()
    facts = facts_dir(
        tmp_path,
        {
            f"sources/{HOSTILE_ID}.yaml": f"""
                id: {HOSTILE_ID}
                title: "Title <i>with</i> markup & an ampersand"
                publisher: "Test <u>Publisher</u>"
                published: 2022-11-08
                url: null
                text: {HOSTILE_ID}.txt
                sha256: {sha}
                blocks:
                  - {{paragraph: 1, role: headline}}
            """,
            "hostile/facts.yaml": f"""
                source: {HOSTILE_ID}
                facts:
                  - id: ev-hostile-rail
                    kind: trade_link
                    summary: "Rail <em>freight</em> resumed"
                    parties: [RUS, PRK]
                    mode: rail
                    action: resumed
                    date: {{day: 2022-11-02}}
                    modality: reported
                    asserted_by: [la-times]
                    cite:
                      - quote: {json.dumps(HOSTILE_QUOTE)}
                  - id: st-hostile-denial
                    kind: denial
                    summary: "North Korea calls the <img> report false"
                    by: PRK
                    about: [ev-hostile-rail]
                    date: {{day: 2022-11-08}}
                    cite:
                      - quote: 'the <img src=x onerror="window.__pwned = 2"> report was false'
            """,
        },
    )
    (facts / "sources" / f"{HOSTILE_ID}.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    rules = rules_dir(
        tmp_path,
        {
            "dprk/rail.yaml": """
                id: TEST-RAIL-MARKUP
                title: "Rail <b>cargo</b> | must be inspected"
                status: active
                finding: context
                severity: info
                confidence: high
                rationale: "Inspect <script>alert(1)</script> cargo."
                legal_basis: [unscr-2270-op18]
                match:
                  link:
                    kind: trade_link
                    where:
                      mode: rail
                      parties: {contains: PRK}
                in_force: link
                message: >-
                  Rail <script>window.__pwned = 3</script> between {link.parties};
                  see {provisions}.
            """
        },
    )
    return facts, rules


def evaluated(facts_path: Path, rules_path: Path) -> tuple[dict[str, Any], FactSet]:
    diags = Diagnostics()
    facts = load_facts(facts_path, diags)
    rules = load_rules(rules_path, facts, diags)
    assert not diags.items, [d.one_line() for d in diags.items]
    return to_document(evaluate(facts, rules), facts, rules), facts
