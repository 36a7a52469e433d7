"""The bundled facts: clean, fully cited, and curated as DOMAIN.md §3 maps the article."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from engine.cases import select_sources
from engine.diagnostics import Diagnostics
from engine.facts import FAMILY_OF_KIND, Provision
from engine.loader import FactSet, load_facts
from tests.helpers import ROOT, SOURCE_ID, run_cli


@pytest.fixture(scope="module")
def facts() -> FactSet:
    diags = Diagnostics()
    result = load_facts(ROOT / "facts", diags)
    assert not diags.items, [d.one_line() for d in diags.items]
    return select_sources(result, [SOURCE_ID])  # the bundled article's case


def test_validate_is_clean_on_the_bundled_data() -> None:
    result = run_cli("validate")
    assert result.code == 0, result.err
    assert result.out.startswith("OK: ")


def test_every_citation_stands_verbatim_at_its_span(facts: FactSet) -> None:
    for fid, cites in facts.citations.items():
        if isinstance(facts.facts[fid], Provision):
            continue
        assert cites, f"{fid} has no resolved citation"
        for c in cites:
            doc = facts.sources[c.source]
            assert doc.text[c.start : c.end] == c.quote
            s = doc.sentence(c.sentence)
            assert s.start <= c.start < c.end <= s.end


def test_provisions_cite_un_documents(facts: FactSet) -> None:
    for fact in facts.of_kind("provision"):
        assert isinstance(fact, Provision)
        assert fact.cite and all(c.document for c in fact.cite)


def test_the_curation_covers_the_article(facts: FactSet) -> None:
    families = Counter(FAMILY_OF_KIND[f.kind] for f in facts.facts.values())
    assert families["event"] + families["statement"] >= 35
    kinds = {f.kind for f in facts.facts.values()}
    for kind in (
        "arms_transfer",
        "goods_supply",
        "worker_deployment",
        "weapons_test",
        "vote",
        "recognition",
        "trade_link",
        "routing",
        "denial",
        "allegation",
        "admission",
        "assessment",
    ):
        assert kind in kinds
    # every body sentence that DOMAIN.md maps to a fact is cited; the teaser question is not
    cited = {c.sentence for cs in facts.citations.values() for c in cs}
    mapped = {
        1,
        5,
        6,
        7,
        8,
        9,
        10,
        13,
        14,
        15,
        17,
        18,
        19,
        20,
        21,
        22,
        24,
        25,
        26,
        27,
        28,
        29,
        30,
        31,
        32,
        34,
        35,
        36,
        37,
        38,
        39,
        42,
        43,
    }
    assert mapped - cited == set()
    assert 40 not in cited  # "How does the country pay for the tests?" is a question, no fact


def test_unconfirmed_paragraph_numbers_are_marked(facts: FactSet) -> None:
    unconfirmed = {f.id for f in facts.of_kind("provision") if not f.paragraph_confirmed}  # type: ignore[attr-defined]
    # DOMAIN.md §7 marks these paragraph numbers [K]
    assert {
        "unscr-1874-op9",
        "unscr-2270-op6",
        "unscr-1874-op2",
        "unscr-1874-op3",
        "unscr-2094-op2",
        "unscr-2270-op9",
    } <= unconfirmed
    assert "unscr-1718-op8b" not in unconfirmed
    cites = {f.id: f.cite[0] for f in facts.of_kind("provision")}  # type: ignore[attr-defined]
    assert all(cites[i].confirmation == "unconfirmed" for i in unconfirmed)
    # DOMAIN.md §0a: confirmed since the second audit
    for pid in ("un-charter-art27-3", "unscr-2231-annexb-4", "ga-es-11-4", "unscr-1874-op10"):
        assert cites[pid].confirmation == "confirmed", pid


def test_trap_dates_are_recorded_honestly(facts: FactSet) -> None:
    summit = facts.facts["ev-kim-putin-summit-2019"]
    assert facts.citations[summit.id][0].role == "caption"  # type: ignore[attr-defined]
    purchase = facts.facts["ev-russia-buys-rockets-shells"]
    assert purchase.modality == "alleged"  # "confirmed" is about the finding
    expired = facts.facts["unscr-2231-annexb-6b"]
    assert str(expired.in_force.until) == "2020-10-18"


def test_sources_lists_and_shows_the_article() -> None:
    listed = run_cli("sources")
    assert listed.code == 0 and "article-2022-11-08-nk-denies-artillery" in listed.out
    shown = run_cli("sources", "show", "article-2022-11-08-nk-denies-artillery")
    assert shown.code == 0
    assert " 16  P12  [teaser_dateline] Nov. 7, 2022" in shown.out
    missing = run_cli("sources", "show", "article-2022-11-08-nk-denies-artilery")
    assert missing.code == 2 and "did you mean" in missing.err


# The provisions each finding on the bundled article keeps once a transfer's items are checked
# against each provision's item_categories (a transfer that shares no category with a
# provision's non-empty list is outside it). Provisions with no list concern no items.
KEPT_UNDER_ITEM_SCOPE = {
    "DPRK-ARMS-EXPORT": {"unscr-1718-op8b", "unscr-1874-op9", "unscr-2270-op8"},
    "DPRK-ARMS-PROCUREMENT": {"unscr-1718-op8b", "unscr-1874-op9", "unscr-2270-op8"},
    "DPRK-LUXURY-HORSES": {"unscr-1718-op8a-iii", "unscr-2094-op23"},
    "IRAN-2231-MTCR-TRANSFER": {"unscr-2231-annexb-4"},
    # "fuel" of no stated kind is taken as refined petroleum, not crude or aviation fuel
    "DPRK-FUEL-SUPPLY-RISK": {"unscr-2397-op5"},
    "DPRK-TECHNOLOGY-TRANSFER-RISK": {"unscr-1718-op8c", "unscr-2270-op8", "unscr-2321-op11"},
}


def test_item_scopes_keep_the_bundled_findings_provisions(facts: FactSet) -> None:
    result = run_cli("evaluate", "--format", "json")
    assert result.code == 0, result.err
    kept: dict[str, set[str]] = {}
    for finding in json.loads(result.out)["findings"]:
        items = {
            item.category
            for fid in finding["facts"]
            if fid in facts.facts  # derived facts carry no items; their reports do
            for item in getattr(facts.facts[fid], "items", [])
        }
        if not items:
            continue
        rule = finding["rule"]["id"]
        for p in finding["provisions"]:
            scope = set(facts.facts[p["id"]].item_categories)  # type: ignore[attr-defined]
            if not scope or scope & items:
                kept.setdefault(rule, set()).add(p["id"])
    assert kept == KEPT_UNDER_ITEM_SCOPE


def test_each_provision_records_its_operative_verb_and_binding_honestly(facts: FactSet) -> None:
    provisions = [p for p in facts.of_kind("provision") if isinstance(p, Provision)]
    for p in provisions:
        decision = p.operative_verb in ("decides", "reaffirms", "affirms", "states")
        assert p.binding is decision, f"{p.id}: {p.operative_verb}, binding {p.binding}"
    verbs = {p.id: p.operative_verb for p in provisions}
    # DOMAIN.md §0a: the launch ban's demands and its binding decisions
    assert [verbs[i] for i in ("unscr-1718-op2", "unscr-1874-op2", "unscr-2087-op3")] == [
        "demands"
    ] * 3
    assert [verbs[i] for i in ("unscr-1718-op5", "unscr-1874-op3", "unscr-2094-op2")] == [
        "decides"
    ] * 3
    assert verbs["unscr-2270-op2"] == "reaffirms"
    assert (verbs["ga-es-11-1"], verbs["ga-es-11-4"]) == ("demands", "calls_upon")
