"""Step definitions in the domain's words, shared by every feature file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from tests.steps.world import (
    ARMS,
    FINDING_KINDS,
    MODALITY,
    WEAPONS,
    World,
    date_of,
    items_of,
)

VERB = "(?P<verb>" + "|".join(sorted(MODALITY, key=len, reverse=True)) + ")"
_DAY = r"\d{1,2} [A-Z][a-z]+ \d{4}"
WHEN = (
    rf"(?P<when>on {_DAY}|in (?:[A-Z][a-z]+ )?\d{{4}}|between {_DAY} and {_DAY}"
    r"|at an unknown date)"
)
SENT = r"(?P<act>exported|shipped|supplied|sent|sold|delivered)"


@pytest.fixture
def world() -> World:
    return World()


def _transfer(
    world: World,
    text: str,
    who: str,
    modality: str,
    supplier: str,
    recipient: str,
    items: str,
    when: str,
    act: str,
) -> str:
    parsed = items_of(items)
    is_arms = any(i["category"] in ARMS for i in parsed)
    fact: dict[str, Any] = {
        "kind": "arms_transfer" if is_arms else "goods_supply",
        "summary": text,
        "supplier": world.actor(supplier),
        "recipient": world.actor(recipient),
        "items": parsed,
        "date": date_of(when),
        "modality": modality,
        "asserted_by": [world.actor(who)],
    }
    if is_arms:
        fact["act"] = act
    if modality == "planned":
        fact["status"] = "planned"
    return world.add(fact, text)


@given(
    parsers.re(
        rf"(?P<text>(?P<who>.+?) {VERB} that (?P<supplier>.+?) {SENT} (?!workers)(?P<items>.+?) "
        rf"to (?P<recipient>.+?) {WHEN})$"
    )
)
def report_of_transfer(
    world: World,
    text: str,
    who: str,
    verb: str,
    supplier: str,
    act: str,
    items: str,
    recipient: str,
    when: str,
) -> None:
    _transfer(world, text, who, MODALITY[verb], supplier, recipient, items, when, "export")


@given(
    parsers.re(
        rf"(?P<text>(?P<who>.+?) {VERB} that (?P<recipient>.+?) bought (?P<items>.+?) "
        rf"from (?P<supplier>.+?) {WHEN})$"
    )
)
def report_of_purchase(
    world: World,
    text: str,
    who: str,
    verb: str,
    recipient: str,
    items: str,
    supplier: str,
    when: str,
) -> None:
    _transfer(world, text, who, MODALITY[verb], supplier, recipient, items, when, "procurement")


@given(
    parsers.re(
        rf"(?P<text>(?P<who>.+?) (?:plans|announces a plan) to send (?P<items>.+?) "
        rf"to (?P<recipient>.+?) {WHEN})$"
    )
)
def planned_supply(
    world: World, text: str, who: str, items: str, recipient: str, when: str
) -> None:
    _transfer(world, text, who, "planned", who, recipient, items, when, "export")


@given(
    parsers.re(
        rf"(?P<text>(?P<who>.+?) denies that it {SENT} (?P<items>.+?) to "
        rf"(?P<recipient>.+?) {WHEN})$"
    )
)
def denial_only(
    world: World, text: str, who: str, act: str, items: str, recipient: str, when: str
) -> None:
    event = _transfer(world, text, who, "denied", who, recipient, items, when, "export")
    world.add(
        {
            "id": f"st-{event}",
            "kind": "denial",
            "summary": text,
            "by": world.actor(who),
            "about": [event],
            "date": date_of(when),
            "cite": world.facts[-1]["cite"],
        }
    )


@given(parsers.re(r"(?P<text>(?P<who>.+?) denies (?:it|the report|this))$"))
def denial_of_last(world: World, text: str, who: str) -> None:
    assert world.last_event, "a denial needs a report before it"
    world.add(
        {
            "id": f"st-{len(world.facts) + 1}",
            "kind": "denial",
            "summary": text,
            "by": world.actor(who),
            "about": [world.last_event],
            "date": {"unknown": True},
        },
        text,
    )


@given(
    parsers.re(
        rf"(?P<text>(?P<who>.+?) {VERB} that (?P<actor>.+?) (?:launched|test-fired|fired) "
        rf"(?P<what>.+?) {WHEN})$"
    )
)
def report_of_launch(
    world: World, text: str, who: str, verb: str, actor: str, what: str, when: str
) -> None:
    assert what in WEAPONS, f"unknown weapon {what!r}; known: {sorted(WEAPONS)}"
    world.add(
        {
            "kind": "weapons_test",
            "summary": text,
            "actor": world.actor(actor),
            "weapon_class": WEAPONS[what],
            "date": date_of(when),
            "modality": MODALITY[verb],
            "asserted_by": [world.actor(who)],
        },
        text,
    )


@given(
    parsers.re(
        rf"(?P<text>(?P<who>.+?) {VERB} that (?P<sender>.+?) (?P<how>sent|is sending|"
        rf"plans to send|hinted at sending) workers to (?P<where>.+?) {WHEN})$"
    )
)
def report_of_workers(
    world: World, text: str, who: str, verb: str, sender: str, how: str, where: str, when: str
) -> None:
    status = {"sent": "completed", "is sending": "in_progress"}.get(how, "planned")
    occupied = "occupied" in where
    host = world.actor("Russia") if occupied else world.actor(where)
    world.add(
        {
            "kind": "worker_deployment",
            "summary": text,
            "sending_state": world.actor(sender),
            "host_state": host,
            "territory": where,
            "attribution": "uncertain" if occupied else "certain",
            "status": status,
            "date": date_of(when),
            "modality": MODALITY[verb],
            "asserted_by": [world.actor(who)],
        },
        text,
    )


@given(
    parsers.re(
        rf"(?P<text>(?P<who>.+?) {VERB} that (?P<actor>.+?) routed its shipments to "
        rf"(?P<recipient>.+?) (?:through (?P<transit>.+?)|as if bound for "
        rf"(?P<dest>.+?)) {WHEN})$"
    )
)
def report_of_routing(
    world: World,
    text: str,
    who: str,
    verb: str,
    actor: str,
    recipient: str,
    transit: str | None,
    dest: str | None,
    when: str,
) -> None:
    world.add(
        {
            "kind": "routing",
            "summary": text,
            "actor": world.actor(actor),
            "transit_states": world.actors_in(transit) if transit else [],
            "apparent_destinations": [dest] if dest else [],
            "date": date_of(when),
            "modality": MODALITY[verb],
            "asserted_by": [world.actor(who)],
        },
        text,
    )


@given(
    parsers.re(
        rf"(?P<text>(?P<voters>.+?) vetoed draft resolution (?P<draft>\S+) on "
        rf"(?P<subject>.+?) {WHEN})$"
    )
)
def veto(world: World, text: str, voters: str, draft: str, subject: str, when: str) -> None:
    vetoing = world.actors_in(voters)
    world.add(
        {
            "kind": "vote",
            "summary": text,
            "body": "unsc",
            "draft": draft,
            "outcome": "vetoed",
            "in_favour": 13,
            "against": len(vetoing),
            "abstaining": 0,
            "vetoed_by": vetoing,
            "subject": subject,
            "date": date_of(when),
            "modality": "confirmed",
            "asserted_by": ["la-times"],
        },
        text,
    )


@given(
    parsers.re(
        rf"(?P<text>the Security Council adopted resolution (?P<draft>\S+) on "
        rf"(?P<subject>.+?) {WHEN})$"
    )
)
def adopted(world: World, text: str, draft: str, subject: str, when: str) -> None:
    world.add(
        {
            "kind": "vote",
            "summary": text,
            "body": "unsc",
            "draft": draft,
            "outcome": "adopted",
            "in_favour": 15,
            "against": 0,
            "abstaining": 0,
            "subject": subject,
            "date": date_of(when),
            "modality": "confirmed",
            "asserted_by": ["la-times"],
        },
        text,
    )


@given(parsers.re(rf"(?P<text>(?P<who>.+?) recogni[sz]ed (?P<what>.+?) as independent {WHEN})$"))
def recognition(world: World, text: str, who: str, what: str, when: str) -> None:
    world.add(
        {
            "kind": "recognition",
            "summary": text,
            "recognising": world.actor(who),
            "recognised": what.split(" and "),
            "date": date_of(when),
            "modality": "confirmed",
            "asserted_by": ["la-times"],
        },
        text,
    )


@given(parsers.re(rf"(?P<text>(?P<a>.+?) and (?P<b>.+?) resumed rail freight {WHEN})$"))
def rail_link(world: World, text: str, a: str, b: str, when: str) -> None:
    world.add(
        {
            "kind": "trade_link",
            "summary": text,
            "parties": [world.actor(a), world.actor(b)],
            "mode": "rail",
            "action": "resumed",
            "date": date_of(when),
            "modality": "confirmed",
            "asserted_by": ["la-times"],
        },
        text,
    )


@given(
    parsers.re(
        r"(?P<text>(?P<name>.+?) \((?P<code>[A-Z]{3})\) is a (?P<member>UN Member State|"
        r"State that is not a UN Member State))$"
    )
)
def another_state(world: World, text: str, name: str, code: str, member: str) -> None:
    world.actors.append(
        {
            "id": code,
            "kind": "state",
            "name": name,
            "iso3": code,
            "un_member": member == "UN Member State",
            "cite": [world.say(text)],
        }
    )


@given("the facts curated from the article of 8 November 2022")
def the_bundled_article(world: World) -> None:
    world.cases = ["article-2022-11-08-nk-denies-artillery"]


@when("the rules are evaluated")
def evaluate_rules(world: World, tmp_path: Path) -> None:
    world.evaluate(tmp_path)


# -- Then ---------------------------------------------------------------------------------


def _tagged_rules(request: pytest.FixtureRequest) -> set[str]:
    return {m.name for m in request.node.iter_markers() if m.name.isupper()}


def _doc(world: World) -> dict[str, Any]:
    assert world.doc is not None, "a Then step needs 'When the rules are evaluated' first"
    return world.doc


@then(
    parsers.re(
        r"(?P<kind>a possible violation|an evasion indicator|a risk|a context note) "
        r"under (?P<provision>.+) is (?:flagged|recorded)$"
    )
)
def finding_is_made(
    world: World, request: pytest.FixtureRequest, kind: str, provision: str
) -> None:
    tagged = _tagged_rules(request)
    found = [
        f
        for f in _doc(world)["findings"]
        if f["kind"] == FINDING_KINDS[kind]
        and provision in [p["label"] for p in f["provisions"]]
        and (not tagged or f["rule"]["id"] in tagged)
    ]
    assert len(found) == 1, (
        f"expected one {kind} under {provision} from {sorted(tagged)}; findings: "
        + "; ".join(
            f"{f['rule']['id']} {[p['label'] for p in f['provisions']]}"
            for f in _doc(world)["findings"]
        )
    )
    world.finding = found[0]


@then("nothing is flagged")
def nothing_flagged(world: World) -> None:
    findings = _doc(world)["findings"]
    assert findings == [], [f["message"] for f in findings]


@then(
    parsers.re(
        r"no (?P<kind>possible violation|evasion indicator|risk|context note) "
        r"is (?:flagged|recorded)$"
    )
)
def none_of_kind(world: World, kind: str) -> None:
    wanted = FINDING_KINDS[("an " if kind[0] in "aeiou" else "a ") + kind]
    found = [f["message"] for f in _doc(world)["findings"] if f["kind"] == wanted]
    assert found == []


@then(parsers.re(r"it is set aside because (?P<reason>.+)$"))
def set_aside(world: World, request: pytest.FixtureRequest, reason: str) -> None:
    tagged = _tagged_rules(request)
    notes = [
        r
        for f in _doc(world)["not_flagged"]
        if f["rule"]["id"] in tagged
        for r in f.get("reasons", [])
    ]
    assert any(reason in r for r in notes), notes


def _finding(world: World) -> dict[str, Any]:
    assert world.finding is not None, "name the finding first"
    return world.finding


@then(parsers.re(r"it holds (?P<who>.+) accountable$"))
def holds_accountable(world: World, who: str) -> None:
    actors = [a["actor"] for a in _finding(world)["accountable"]]
    assert world.actor(who) in actors, actors


@then(parsers.re(r"its confidence is (?P<level>high|medium|low)$"))
def confidence(world: World, level: str) -> None:
    assert _finding(world)["confidence"] == level


@then(parsers.re(r"its evidence is (?P<level>\w+)$"))
def evidence_level(world: World, level: str) -> None:
    assert _finding(world)["evidence"]["level"] == level


@then(parsers.re(r"it cites the report of (?P<who>.+)$"))
def cites_report(world: World, who: str) -> None:
    actor = world.actor(who)
    f = _finding(world)
    reports = {r["fact"] for r in f["evidence"]["reports"] if actor in r["asserted_by"]}
    cited = {fid for c in f["citations"] for fid in c["facts"]}
    assert reports and reports <= cited, (reports, cited)


@then(parsers.re(r'it cites the sentence "(?P<text>.+)"$'))
def cites_the_sentence(world: World, text: str) -> None:
    quotes = [c["quote"] for c in _finding(world)["citations"]]
    assert text.rstrip(".") in quotes, quotes


@then(parsers.re(r"it cites sentence (?P<number>\d+) of the article$"))
def cites_sentence(world: World, number: str) -> None:
    assert int(number) in {c["sentence"] for c in _finding(world)["citations"]}


@then(parsers.re(r"it carries the denial by (?P<who>.+) as counter-evidence$"))
def carries_denial(world: World, who: str) -> None:
    actor = world.actor(who)
    denials = [
        c
        for c in _finding(world)["counter_evidence"]
        if c["kind"] == "denial" and actor in (c["by"], c["on_behalf_of"])
    ]
    assert denials and all(d["citations"] for d in denials)


@then(parsers.re(r'it says "(?P<words>.+)"$'))
def says(world: World, words: str) -> None:
    assert words in _finding(world)["message"], _finding(world)["message"]


@then(parsers.re(r"the date check says (?P<outcome>in force|uncertain)$"))
def date_check(world: World, outcome: str) -> None:
    assert _finding(world)["in_force"]["outcome"] == outcome.replace(" ", "_")


@then(parsers.re(r"it does not cite (?P<provision>.+)$"))
def does_not_cite(world: World, provision: str) -> None:
    assert provision not in [p["label"] for p in _finding(world)["provisions"]]


@then(parsers.re(r"it rests on (?P<n>\d+) reports?$"))
def rests_on(world: World, n: str) -> None:
    assert len(_finding(world)["evidence"]["reports"]) == int(n)


@then("these findings are made:")
def these_findings(
    world: World, request: pytest.FixtureRequest, datatable: list[list[str]]
) -> None:
    header, *rows = datatable
    findings = _doc(world)["findings"]
    kinds = {v: k for k, v in FINDING_KINDS.items()}
    seen = []
    for row in rows:
        want = dict(zip(header, row, strict=True))
        against = set() if want["against"] == "-" else set(world.actors_in(want["against"]))
        match = [
            f
            for f in findings
            if f["rule"]["id"] == want["rule"]
            and kinds[f["kind"]] == want["finding"]
            and want["provision"] in [p["label"] for p in f["provisions"]]
            and f["evidence"]["level"] == want["evidence"]
            and f["confidence"] == want["confidence"]
            and {a["actor"] for a in f["accountable"]} == against
            and set(map(int, want["sentences"].split(", ")))
            == {c["sentence"] for c in f["citations"]}
        ]
        assert len(match) == 1, f"expected exactly one finding for {want}"
        seen.append(match[0]["id"])
    extra = [f"{f['rule']['id']}: {f['message']}" for f in findings if f["id"] not in seen]
    assert extra == [], "findings the table does not list"


@then("these reports are not flagged as possible violations:")
def not_possible_violations(world: World, datatable: list[list[str]]) -> None:
    header, *rows = datatable
    flagged = {
        fid
        for f in _doc(world)["findings"]
        if f["kind"] == "possible_violation"
        for fid in f["facts"]
    }
    for row in rows:
        want = dict(zip(header, row, strict=True))
        assert want["fact"] not in flagged, f"{want['report']} must not be a possible violation"


@then(
    "the possible violations of North Korea's arms embargo carry North Korea's denials of "
    "8 November and of September 2022"
)
def arms_findings_carry_denials(world: World) -> None:
    arms = [
        f
        for f in _doc(world)["findings"]
        if f["rule"]["id"] in ("DPRK-ARMS-EXPORT", "DPRK-ARMS-PROCUREMENT")
    ]
    assert len(arms) == 2
    for f in arms:
        dates = sorted(c["date"][:10] for c in f["counter_evidence"] if c["kind"] == "denial")
        assert dates == ["2022-09-21", "2022-11-08"], dates


@then(parsers.re(r"no finding cites (?P<provision>.+)$"))
def no_finding_cites(world: World, provision: str) -> None:
    labels = {p["label"] for f in _doc(world)["findings"] for p in f["provisions"]}
    assert provision not in labels


@then(
    parsers.re(
        r"it cites (?P<provision>.+) as (?P<what>a binding decision|a demand, not a decision)$"
    )
)
def cites_as(world: World, provision: str, what: str) -> None:
    cited = {p["label"]: p for p in _finding(world)["provisions"]}
    assert provision in cited, sorted(cited)
    assert cited[provision]["binding"] is (what == "a binding decision"), cited[provision]
