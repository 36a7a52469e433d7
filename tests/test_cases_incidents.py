"""Over the whole corpus, findings keep incidents apart: reports of different years are
never one act, and counter-evidence is only about the reports a finding rests on."""

from __future__ import annotations

from typing import Any

from engine.evaluate import evaluate
from engine.facts import EventBase
from engine.language.lowered import RuleSet
from engine.loader import FactSet


def test_no_finding_mixes_reports_of_different_years(
    bundled: tuple[FactSet, RuleSet],
) -> None:
    facts, rules = bundled
    ev = evaluate(facts, rules)
    assert len(facts.sources) >= 4  # the whole corpus, not one article
    for f in ev.findings + ev.not_flagged:
        years = {
            fact.date.calendar_year
            for fid in f["facts"]
            if isinstance(fact := facts.facts.get(fid), EventBase)
        }
        assert len(years) <= 1, (f["id"], years)


def test_counter_evidence_is_about_the_reports_of_the_finding(
    bundled: tuple[FactSet, RuleSet],
) -> None:
    ev = evaluate(*bundled)
    for f in ev.findings:
        for ce in f["counter_evidence"]:
            assert set(ce["about"]) & set(f["facts"]), (f["id"], ce["statement"])


def test_one_asserting_party_is_counted_once(bundled: tuple[FactSet, RuleSet]) -> None:
    ev = evaluate(*bundled)
    [export] = [f for f in ev.findings if f["rule"]["id"] == "DPRK-ARMS-EXPORT"]
    evidence: dict[str, Any] = export["evidence"]
    # the United States, John Kirby and U.S. officials are one party; the LA Times another
    assert {"USA", "kirby"} <= set(evidence["asserted_by"])
    assert evidence["independent_reports"] < len(evidence["asserted_by"])
