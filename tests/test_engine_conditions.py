"""Each condition form, compiled to durable_rules and evaluated, on small inline rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.helpers import evaluate_json, event, facts_file

Q1 = "covertly supplying a “significant number” of ammunition shipments to Russia"
Q2 = "Russia was in the process of purchasing millions of rockets and artillery shells"
Q3 = "an intercontinental ballistic missile that could target the U.S. mainland"
Q4 = "the next train would carry medicine"
DAY = {"day": "2022-11-02"}


def rule(
    rid: str,
    body: str,
    *,
    finding: str = "possible_violation",
    basis: str = "[unscr-2375-op17]",  # no item scope: these tests are about conditions
    message: str = "found {t.id}",
) -> str:
    return f"""
id: {rid}
title: test rule {rid}
status: active
finding: {finding}
severity: high
confidence: medium
rationale: A rule written for one test only.
legal_basis: {basis}
message: "{message}"
{body}
"""


def transfer(fid: str, quote: str = Q1, **over: Any) -> str:
    fields: dict[str, Any] = {
        "act": "export",
        "supplier": "PRK",
        "recipient": "RUS",
        "items": [{"category": "ammunition"}],
        "date": DAY,
    }
    fields.update(over)
    return event(fid, "arms_transfer", quote, **fields)


def fired(doc: dict[str, Any], rid: str) -> list[dict[str, Any]]:
    return [f for f in doc["findings"] if f["rule"]["id"] == rid]


def test_equals_one_of_and_not(tmp_path: Path) -> None:
    rules = {
        "a.yaml": rule("T-EQ", "match:\n  t: {kind: arms_transfer, where: {supplier: PRK}}"),
        "b.yaml": rule(
            "T-ONE", "match:\n  t: {kind: arms_transfer, where: {recipient: {one_of: [CHN, RUS]}}}"
        ),
        "c.yaml": rule(
            "T-NOT", "match:\n  t: {kind: arms_transfer, where: {recipient: {not: RUS}}}"
        ),
        "d.yaml": rule(
            "T-NOT1",
            "match:\n  t: {kind: arms_transfer, where: {recipient: {not_one_of: [RUS, CHN]}}}",
        ),
    }
    doc = evaluate_json(tmp_path, rules, {"e.yaml": facts_file(transfer("ev-a"))})
    assert [f["facts"] for f in fired(doc, "T-EQ")] == [["ev-a"]]
    assert len(fired(doc, "T-ONE")) == 1
    assert fired(doc, "T-NOT") == [] and fired(doc, "T-NOT1") == []


def test_nested_fields_lists_and_exists(tmp_path: Path) -> None:
    rules = {
        "a.yaml": rule(
            "T-ITEM",
            "match:\n  t: {kind: arms_transfer, where: {items.category: {contains: rockets}}}",
        ),
        "b.yaml": rule(
            "T-ANY",
            "match:\n  t: {kind: arms_transfer,"
            " where: {items.category: {contains_any: [uav, rockets]}}}",
        ),
        "c.yaml": rule(
            "T-PREC", "match:\n  t: {kind: arms_transfer, where: {date.precision: month}}"
        ),
        "d.yaml": rule(
            "T-ABSENT", "match:\n  t: {kind: routing, where: {transit_states: {exists: false}}}"
        ),
        "e.yaml": rule(
            "T-NAMED", "match:\n  t: {kind: routing, where: {transit_states: {exists: true}}}"
        ),
    }
    facts = facts_file(
        transfer("ev-a", items=[{"category": "ammunition"}]),
        transfer(
            "ev-b",
            Q2,
            items=[{"category": "rockets"}, {"category": "artillery_shells"}],
            date={"month": "2022-09"},
        ),
        event("ev-r", "routing", Q3, actor="PRK", date=DAY, transit_states=[]),
    )
    doc = evaluate_json(tmp_path, rules, {"e.yaml": facts})
    assert [f["facts"] for f in fired(doc, "T-ITEM")] == [["ev-b"]]
    assert [f["facts"] for f in fired(doc, "T-ANY")] == [["ev-b"]]
    assert [f["facts"] for f in fired(doc, "T-PREC")] == [["ev-b"]]
    assert [f["facts"] for f in fired(doc, "T-ABSENT")] == [["ev-r"]]
    assert fired(doc, "T-NAMED") == []


def test_number_and_date_comparisons(tmp_path: Path) -> None:
    rules = {
        "a.yaml": rule(
            "T-VOTES",
            "match:\n  t: {kind: vote,"
            " where: {in_favour: {at_least: 13}, against: {greater_than: 1}}}",
        ),
        "b.yaml": rule(
            "T-BEFORE", "match:\n  t: {kind: arms_transfer, where: {date: {before: 2022-10-01}}}"
        ),
        "c.yaml": rule(
            "T-AFTER",
            "match:\n  t: {kind: arms_transfer, where: {date: {on_or_after: 2022-09-01}}}",
        ),
    }
    vote = event(
        "ev-v",
        "vote",
        Q4,
        body="unsc",
        draft="S/2022/431",
        outcome="vetoed",
        in_favour=13,
        against=2,
        abstaining=0,
        vetoed_by=["CHN", "RUS"],
        subject="sanctions",
        date=DAY,
    )
    facts = facts_file(
        vote,
        transfer("ev-sep", Q2, date={"month": "2022-09"}),  # 1-30 Sep: certainly before 1 Oct
        transfer("ev-y", Q3, date={"year": 2022}),  # could be after 1 Oct: not certain
    )
    doc = evaluate_json(tmp_path, rules, {"e.yaml": facts})
    assert len(fired(doc, "T-VOTES")) == 1
    assert [f["facts"] for f in fired(doc, "T-BEFORE")] == [["ev-sep"]]
    assert [f["facts"] for f in fired(doc, "T-AFTER")] == [["ev-sep"]]


def test_join_through_a_named_binding(tmp_path: Path) -> None:
    body = """
match:
  t: {kind: goods_supply}
any_of:
  - t: {where: {recipient: PRK}}
  - official: {kind: official, where: {id: {same_as: t.recipient}, affiliation: PRK}}
accountable: [t.supplier]
"""
    rules = {"a.yaml": rule("T-JOIN", body)}
    facts = facts_file(
        event(
            "ev-kim",
            "goods_supply",
            Q1,
            supplier="RUS",
            recipient="kim-jong-un",
            items=[{"category": "pure_bred_horses"}],
            date=DAY,
        ),
        event(
            "ev-prk",
            "goods_supply",
            Q2,
            supplier="RUS",
            recipient="PRK",
            items=[{"category": "fuel"}],
            date=DAY,
        ),
        event(
            "ev-putin",
            "goods_supply",
            Q3,
            supplier="CHN",
            recipient="putin",
            items=[{"category": "fuel"}],
            date=DAY,
        ),
    )
    doc = evaluate_json(tmp_path, rules, {"e.yaml": facts})
    found = sorted(f["facts"][0] for f in fired(doc, "T-JOIN"))
    assert found == ["ev-kim", "ev-prk"]  # putin is not affiliated with North Korea
    assert all(f["accountable"][0]["actor"] == "RUS" for f in fired(doc, "T-JOIN"))


def test_negation_no_fact_such_that(tmp_path: Path) -> None:
    body = """
match:
  t: {kind: arms_transfer}
unless:
  denial: {kind: denial, where: {by: {same_as: t.supplier}}}
"""
    facts = facts_file(transfer("ev-a"), transfer("ev-b", Q2, supplier="IRN"))
    denial = """
  - id: st-no
    kind: denial
    summary: North Korea denies
    by: PRK
    about: [ev-a]
    date: {day: 2022-11-08}
    cite: [{quote: "North Korea has denied allegations"}]
"""
    doc = evaluate_json(tmp_path, {"a.yaml": rule("T-UNLESS", body)}, {"e.yaml": facts + denial})
    assert [f["facts"] for f in fired(doc, "T-UNLESS")] == [["ev-b"]]


def test_negation_does_not_depend_on_file_order(tmp_path: Path) -> None:
    body = """
match:
  t: {kind: arms_transfer}
unless:
  denial: {kind: denial, where: {by: {same_as: t.supplier}}}
"""
    denial = """source: article-2022-11-08-nk-denies-artillery
facts:
  - id: aaa-denial
    kind: denial
    summary: North Korea denies
    by: PRK
    about: [zzz-transfer]
    date: {day: 2022-11-08}
    cite: [{quote: "North Korea has denied allegations"}]
"""
    for name in ("a-first.yaml", "z-last.yaml"):
        doc = evaluate_json(
            tmp_path / name,
            {"a.yaml": rule("T-UNLESS", body)},
            {"e.yaml": facts_file(transfer("zzz-transfer")), name: denial},
        )
        assert fired(doc, "T-UNLESS") == []


def test_evidence_requirement_and_counter_evidence(tmp_path: Path) -> None:
    body = "match:\n  t: {kind: arms_transfer}\nevidence: {binding: t, at_least: alleged}"
    denial = """
  - id: st-no
    kind: denial
    summary: North Korea denies
    by: dprk-vice-director
    on_behalf_of: PRK
    about: [ev-alleged, ev-speculated]
    date: {day: 2022-11-08}
    cite: [{quote: "we have never had ‘arms dealings’ with Russia"}]
"""
    facts = (
        facts_file(
            transfer("ev-alleged", modality="alleged"),
            transfer("ev-speculated", Q2, modality="speculated"),
            transfer("ev-denied", Q3, modality="denied"),
        )
        + denial
    )
    doc = evaluate_json(tmp_path, {"a.yaml": rule("T-EV", body)}, {"e.yaml": facts})
    found = fired(doc, "T-EV")
    assert [f["facts"] for f in found] == [["ev-alleged"]]
    ce = found[0]["counter_evidence"]
    assert [c["statement"] for c in ce] == ["st-no"]
    assert ce[0]["citations"][0]["sentence"] == 21
    assert found[0]["evidence"]["denied_by"] == ["PRK", "dprk-vice-director"]
    assert found[0]["evidence"]["level"] == "alleged"


def _window_rule() -> str:
    return rule(
        "T-WIN", "match:\n  t: {kind: arms_transfer}\nin_force: t", basis="[unscr-2231-annexb-4]"
    )


def test_in_force_window_with_each_precision(tmp_path: Path) -> None:
    # 2231 Annex B para 4 is in force from 2016-01-16 to 2023-10-18
    cases = {
        "ev-day-in": ({"day": "2022-08-15"}, "in_force"),
        "ev-day-out": ({"day": "2023-10-19"}, None),
        "ev-month-in": ({"month": "2022-08"}, "in_force"),
        "ev-month-edge": ({"month": "2023-10"}, "uncertain"),
        "ev-year-edge": ({"year": 2023}, "uncertain"),
        "ev-range-in": ({"start": "2022-01-01", "end": "2022-02-23"}, "in_force"),
        "ev-unknown": ({"unknown": True}, "uncertain"),
        "ev-before": ({"year": 2015}, None),
    }
    quotes = [
        Q1,
        Q2,
        Q3,
        Q4,
        "North Korea has denied allegations",
        "Kim is an avid horseman",
        "The horses, Orlov trotters, are prized in Russia.",
        "opening the border with its neighbor",
    ]
    facts = facts_file(
        *(
            transfer(fid, q, date=d, supplier="IRN", items=[{"category": "uav"}])
            for (fid, (d, _)), q in zip(cases.items(), quotes, strict=True)
        )
    )
    doc = evaluate_json(tmp_path, {"a.yaml": _window_rule()}, {"e.yaml": facts})
    outcome = {f["facts"][0]: f["in_force"]["outcome"] for f in fired(doc, "T-WIN")}
    expected = {fid: o for fid, (_, o) in cases.items() if o is not None}
    assert outcome == expected
    dropped = {f["facts"][0]: f["reasons"] for f in doc["not_flagged"]}
    assert set(dropped) == {"ev-day-out", "ev-before"}
    assert "in force on the date of the act" in dropped["ev-day-out"][0]


def test_accountable_party_must_be_bound(tmp_path: Path) -> None:
    body = "match:\n  t: {kind: goods_supply}\naccountable: [t.supplier]"
    facts = facts_file(
        event(
            "ev-state",
            "goods_supply",
            Q1,
            supplier="RUS",
            recipient="PRK",
            items=[{"category": "luxury_goods"}],
            date=DAY,
        ),
        event(
            "ev-media",
            "goods_supply",
            Q2,
            supplier="guterres",
            recipient="PRK",
            items=[{"category": "luxury_goods"}],
            date=DAY,
        ),
    )
    doc = evaluate_json(
        tmp_path,
        {"a.yaml": rule("T-BOUND", body, basis="[unscr-1718-op8a-iii]")},
        {"e.yaml": facts},
    )
    assert [f["facts"] for f in fired(doc, "T-BOUND")] == [["ev-state"]]
    assert [f["facts"] for f in doc["not_flagged"]] == [["ev-media"]]
    assert "binds" in doc["not_flagged"][0]["reasons"][0]


def test_message_is_filled_by_plain_substitution(tmp_path: Path) -> None:
    r = rule(
        "T-MSG",
        "match:\n  t: {kind: arms_transfer}",
        message="{t.supplier} to {t.recipient.name}: {t.items.category} under {provisions} (100%s)",
    )
    doc = evaluate_json(tmp_path, {"a.yaml": r}, {"e.yaml": facts_file(transfer("ev-a"))})
    msg = fired(doc, "T-MSG")[0]["message"]
    assert msg.startswith(
        "Democratic People's Republic of Korea (North Korea) to Russian Federation: "
        "ammunition under 2375 OP17 (100%s)"
    )


def test_group_by_makes_several_matches_one_finding(tmp_path: Path) -> None:
    body = "match:\n  t: {kind: arms_transfer}"
    rules = {
        "a.yaml": rule("T-APART", body),
        "b.yaml": rule("T-GROUPED", body + "\ngroup_by: [t.supplier, t.recipient]"),
    }
    facts = facts_file(
        transfer("ev-a"), transfer("ev-b", Q2), transfer("ev-c", Q3, recipient="CHN")
    )
    doc = evaluate_json(tmp_path, rules, {"e.yaml": facts})
    assert sorted(f["facts"] for f in fired(doc, "T-APART")) == [["ev-a"], ["ev-b"], ["ev-c"]]
    grouped = sorted(f["facts"] for f in fired(doc, "T-GROUPED"))
    assert grouped == [["ev-a", "ev-b"], ["ev-c"]]
    [both] = [f for f in fired(doc, "T-GROUPED") if len(f["facts"]) == 2]
    assert {c["sentence"] for c in both["citations"]} == {18, 24}
