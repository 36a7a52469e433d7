"""The three further real articles: recorded with their addresses, curated honestly."""

from __future__ import annotations

from datetime import date

import pytest

from engine.cases import select_sources
from engine.diagnostics import Diagnostics
from engine.facts import ArmsTransfer, Provision, Vote
from engine.loader import FactSet, load_facts
from tests.helpers import ROOT

SUMMIT = "article-2023-09-13-putin-kim-vostochny"
MISSILES = "article-2024-09-10-iran-missiles-russia"
PANEL = "article-2024-03-29-russia-blocks-panel"


@pytest.fixture(scope="module")
def facts() -> FactSet:
    diags = Diagnostics()
    loaded = load_facts(ROOT / "facts", diags)
    assert not diags.items, [d.one_line() for d in diags.items]
    return loaded


@pytest.mark.parametrize("source", [SUMMIT, MISSILES, PANEL])
def test_each_article_records_where_it_came_from(facts: FactSet, source: str) -> None:
    meta = facts.sources[source].meta
    assert meta.url and meta.url.startswith("https://")
    case = select_sources(facts, [source])
    own = [fid for fid in case.facts if case.family(fid) in ("event", "statement")]
    assert len(own) >= 3
    for fid in own:
        for c in case.citations[fid]:
            doc = case.sources[c.source]
            assert c.source == source and doc.text[c.start : c.end] == c.quote


def test_the_iranian_missiles_came_after_paragraph_4_ended(facts: FactSet) -> None:
    transfer = facts.facts["ev-iran-ballistic-missiles-to-russia-2024"]
    para4 = facts.facts["unscr-2231-annexb-4"]
    assert isinstance(transfer, ArmsTransfer) and isinstance(para4, Provision)
    earliest = transfer.date.bounds()[0]
    assert para4.in_force.until == date(2023, 10, 18)
    assert earliest is not None and earliest > para4.in_force.until
    assert [i.category for i in transfer.items] == ["missile_items"]


def test_the_panel_veto_is_a_lawful_vote_with_the_mandate_end_cited(facts: FactSet) -> None:
    veto = facts.facts["ev-veto-panel-renewal-2024"]
    assert isinstance(veto, Vote)
    assert veto.outcome == "vetoed" and veto.vetoed_by == ["RUS"]
    assert (veto.in_favour, veto.against, veto.abstaining) == (13, 1, 1)
    assert "Panel's mandate to expire by May" in [c.quote for c in facts.citations[veto.id]]
    assert "30 April 2024" in veto.summary


def test_the_summit_pledges_are_speculation_not_acts(facts: FactSet) -> None:
    for fid in (
        "ev-dprk-ammunition-for-russia-2023",
        "ev-russia-military-technology-for-dprk-2023",
    ):
        fact = facts.facts[fid]
        assert fact.modality == "speculated" and fact.date.unknown  # type: ignore[union-attr]
