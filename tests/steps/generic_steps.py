"""Generic steps: state any fact, and check any field of a finding, with no new Python.

The vocabulary (documented in README "Writing a feature"):

Given
  the facts:                                  a YAML doc string: a list of facts written as in
                                              facts files (any kind; actors by id; new actors
                                              declared in the list). A fact's quotes become
                                              the scenario's own sentences; a fact without
                                              quotes cites its summary.
  these facts, one per row:                   the same as a table: a column per field (dotted
                                              for nested ones, e.g. date.month), cells in YAML
  the facts curated from the article "ID"     the curated case of one source (shared actors
                                              and provisions included)
Then
  rule ID flags|records <kind>                exactly one finding of that rule and kind; it
  rule ID flags|records <kind> about FACTS    becomes "the finding" the steps below check
  rule ID flags nothing                       the rule makes no finding and derives nothing
  rule ID derives a fact from FACTS           a derived fact resting on exactly these facts
  rule ID sets aside the match of FACTS because "REASON"   a not-flagged match and its reason
  its provisions are LABELS                   the finding's provisions, in order
  it sets aside PROVISION because "REASON"    a provision dropped from the finding, and why
  its evidence level is LEVEL                 (also: its confidence / severity is ...)
  it rests on the facts FACTS                 the supporting facts, derived ones expanded
  its counter-evidence is FACTS | it has no counter-evidence
  its commentary is FACTS                     the assessments about its supporting events
  it cites "QUOTE"                            one of its citations is exactly this quote
  it cites N sentences                        the number of distinct sentences it cites
  the date check says OUTCOME                 (defined with the readable steps)
  these matches are set aside:               a table: rule | fact | provision | reason

FACTS and LABELS are lists written "a, b and c".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pytest_bdd import given, parsers, then

from engine.facts import Provision
from tests.steps.world import FINDING_KINDS, World

KIND = r"(?P<kind>a possible violation|an evasion indicator|a risk|a context note)"
RULE = r"rule (?P<rule>[A-Z0-9][A-Z0-9-]*)"


def _listed(text: str) -> list[str]:
    """'a, b and c' -> ['a', 'b', 'c']."""
    return [p.strip() for p in text.replace(" and ", ", ").split(",") if p.strip()]


# -- Given --------------------------------------------------------------------------------


@given(parsers.parse("the facts:"))
def the_facts(world: World, docstring: str) -> None:
    facts = yaml.safe_load(docstring)
    assert isinstance(facts, list) and all(isinstance(f, dict) for f in facts), (
        "the facts are a YAML list, one '- id: ...' entry per fact, as in facts files"
    )
    _add_facts(world, facts)


@given(parsers.parse("these facts, one per row:"))
def facts_table(world: World, datatable: list[list[str]]) -> None:
    """Columns are fact fields (dotted for nested ones: date.month); each cell is read as YAML
    (so [USA] is a list), and an empty cell or '-' leaves the field out."""
    header, *rows = datatable
    facts = []
    for row in rows:
        fact: dict[str, Any] = {}
        for key, cell in zip(header, row, strict=True):
            if cell.strip() in ("", "-"):
                continue
            *path, last = key.strip().split(".")
            here = fact
            for part in path:
                here = here.setdefault(part, {})
            here[last] = yaml.safe_load(cell)
        facts.append(fact)
    _add_facts(world, facts)


def _add_facts(world: World, facts: list[dict[str, Any]]) -> None:
    for fact in facts:
        fact.setdefault("id", f"ev-{len(world.facts) + len(world.actors) + 1}")
        cites = fact.get("cite")
        if cites is None:
            assert "summary" in fact or "name" in fact, (
                f"{fact['id']}: give the fact a 'summary' (or quotes under 'cite'): the "
                "scenario cites those words"
            )
            fact["cite"] = [world.cite_own_words(str(fact.get("summary") or fact["name"]))]
        else:
            fact["cite"] = [
                world.cite_own_words(c["quote"]) if isinstance(c, dict) and "quote" in c else c
                for c in cites
            ]
        if fact.get("kind") in ("state", "official", "organisation", "group"):
            world.actors.append(fact)
        else:
            world.add(fact)


@given(parsers.re(r'the facts curated from the article "(?P<source>[a-z0-9-]+)"$'))
def a_curated_case(world: World, source: str) -> None:
    world.cases.append(source)


# -- Then: which finding ------------------------------------------------------------------


def _doc(world: World) -> dict[str, Any]:
    assert world.doc is not None, "a Then step needs 'When the rules are evaluated' first"
    return world.doc


def _finding(world: World) -> dict[str, Any]:
    assert world.finding is not None, "name the finding first: 'Then rule ... flags ...'"
    return world.finding


def _summary(findings: list[dict[str, Any]]) -> str:
    return "; ".join(f"{f['rule']['id']} {f['kind']} on {f['facts']}" for f in findings) or "none"


@then(parsers.re(rf"{RULE} (?:flags|records) {KIND}(?: about (?P<about>.+))?$"))
def rule_makes_finding(world: World, rule: str, kind: str, about: str | None) -> None:
    findings = _doc(world)["findings"]
    found = [
        f
        for f in findings
        if f["rule"]["id"] == rule
        and f["kind"] == FINDING_KINDS[kind]
        and (about is None or set(_listed(about)) <= set(f["facts"]))
    ]
    assert len(found) == 1, (
        f"expected one {kind} by {rule}{' about ' + about if about else ''}; "
        f"found {len(found)}. Findings: {_summary(findings)}"
    )
    world.finding = found[0]


@then(parsers.re(rf"{RULE} flags nothing$"))
def rule_flags_nothing(world: World, rule: str) -> None:
    doc = _doc(world)
    made = [f for f in doc["findings"] if f["rule"]["id"] == rule]
    derived = [d["id"] for d in doc["derived_facts"] if d["rule"] == rule]
    assert made == [] and derived == [], f"{rule} made {_summary(made)}; derived {derived}"


@then(parsers.re(rf"{RULE} derives a fact from (?P<facts>.+)$"))
def rule_derives(world: World, rule: str, facts: str) -> None:
    derived = [d for d in _doc(world)["derived_facts"] if d["rule"] == rule]
    wanted = set(_listed(facts))
    assert any(set(d["supports"]) == wanted for d in derived), [d["supports"] for d in derived]


@then(parsers.re(rf'{RULE} sets aside the match of (?P<facts>.+) because "(?P<reason>.+)"$'))
def rule_sets_aside(world: World, rule: str, facts: str, reason: str) -> None:
    wanted = set(_listed(facts))
    notes = [n for n in _doc(world)["not_flagged"] if n["rule"]["id"] == rule]
    hits = [n for n in notes if wanted <= set(n["facts"])]
    assert hits, f"{rule} set aside no match of {sorted(wanted)}: {[n['facts'] for n in notes]}"
    reasons = [r for n in hits for r in n["reasons"]]
    assert any(reason in r for r in reasons), reasons
    world.finding = hits[0]


# -- Then: fields of the finding ----------------------------------------------------------


@then(parsers.re(r"its provisions are (?P<labels>.+)$"))
def its_provisions(world: World, labels: str) -> None:
    got = [p["label"] for p in _finding(world)["provisions"]]
    assert got == _listed(labels), got


@then(parsers.re(r'it sets aside (?P<provision>.+?) because "(?P<reason>.+)"$'))
def sets_aside_provision(world: World, provision: str, reason: str) -> None:
    f = _finding(world)
    labels = _provision_labels()
    excluded = [e for e in f["excluded_provisions"] if labels.get(e["provision"]) == provision]
    assert excluded, f"{provision} is not set aside: {f['excluded_provisions']}"
    assert any(reason in e["reason"] for e in excluded), [e["reason"] for e in excluded]


def _provision_labels() -> dict[str, str]:
    """Provision id -> label ("2231 Annex B para 4"), as features name provisions."""
    root = Path(__file__).resolve().parents[2] / "facts" / "provisions"
    labels: dict[str, str] = {}
    for path in sorted(root.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8"))["facts"]:
            labels[raw["id"]] = Provision.model_validate(raw).label()
    return labels


@then(parsers.re(r"its (?P<field>evidence level|severity) is (?P<value>\w+)$"))
def its_level(world: World, field: str, value: str) -> None:
    f = _finding(world)
    got = f["evidence"]["level"] if field == "evidence level" else f[field]
    assert got == value, got


@then(parsers.re(r"it rests on the facts (?P<facts>.+)$"))
def rests_on_facts(world: World, facts: str) -> None:
    got = sorted(_finding(world)["facts"])
    assert got == sorted(_listed(facts)), got


@then(parsers.re(r"its counter-evidence is (?P<facts>.+)$"))
def its_counter_evidence(world: World, facts: str) -> None:
    got = sorted(c["statement"] for c in _finding(world)["counter_evidence"])
    assert got == sorted(_listed(facts)), got


@then(parsers.re(r"its commentary is (?P<facts>.+)$"))
def its_commentary(world: World, facts: str) -> None:
    got = sorted(c["statement"] for c in _finding(world)["commentary"])
    assert got == sorted(_listed(facts)), got


@then("it has no counter-evidence")
def no_counter_evidence(world: World) -> None:
    assert _finding(world)["counter_evidence"] == []


@then(parsers.re(r'it cites "(?P<quote>.+)"$'))
def cites_quote(world: World, quote: str) -> None:
    quotes = [c["quote"] for c in _finding(world)["citations"]]
    assert quote.rstrip(".") in quotes, quotes


@then(parsers.re(r"it cites (?P<n>\d+) sentences?$"))
def cites_n_sentences(world: World, n: str) -> None:
    got = {(c["source"], c["sentence"]) for c in _finding(world)["citations"]}
    assert len(got) == int(n), sorted(got)


@then("these matches are set aside:")
def these_set_aside(world: World, datatable: list[list[str]]) -> None:
    """Columns: rule, fact, provision (a label, or '-'), reason (words of the reason)."""
    header, *rows = datatable
    labels = _provision_labels()
    notes = _doc(world)["not_flagged"]
    for row in rows:
        want = dict(zip(header, row, strict=True))
        hits = [n for n in notes if n["rule"]["id"] == want["rule"] and want["fact"] in n["facts"]]
        assert hits, f"{want['rule']} set aside no match of {want['fact']}"
        reasons = [r for n in hits for r in n["reasons"]]
        if want["provision"] != "-":
            excluded = [
                e for n in hits for e in n["excluded_provisions"]
                if labels.get(e["provision"]) == want["provision"]
            ]  # fmt: skip
            assert excluded, f"{want['provision']} is not set aside by {want['rule']}"
            reasons += [e["reason"] for e in excluded]
        assert any(want["reason"] in r for r in reasons), reasons
