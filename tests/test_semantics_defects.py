"""One regression test per defect of issue 7 (numbered as there), each on rules written for
the test, not for the article. Each failed on the code before its fix."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.helpers import ROOT, evaluate_json, event, facts_dir, facts_file, rules_dir, run_cli
from tests.test_engine_conditions import DAY, Q1, Q2, Q3, Q4, fired, rule, transfer

Q5 = "North Korea has denied allegations"
Q6 = "Kim is an avid horseman"


def _validate(tmp_path: Path, rules: dict[str, str]) -> tuple[int, str]:
    result = run_cli(
        "validate", "--facts", facts_dir(tmp_path, {}), "--rules", rules_dir(tmp_path, rules)
    )
    return result.code, result.err


# 1 ---------------------------------------------------------------------------------------


def test_1_a_run_that_stores_no_fact_does_not_crash_the_process() -> None:
    """Every assert 'not handled' used to abort inside the engine on delete_state."""
    args = ["--rules", "rules/context", "--source", "article-2022-11-08-nk-denies-artillery"]
    args += ["--without", "ev-veto-s-2022-431"]
    args += ["--without", "ev-dprk-recognises-dpr-lpr", "--format", "json"]
    proc = subprocess.run(
        [sys.executable, "-m", "engine.cli", "evaluate", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["findings"] == []


def test_1_eleven_hundred_runs_that_store_nothing_pass(tmp_path: Path) -> None:
    script = (
        "from pathlib import Path\n"
        "from engine.diagnostics import Diagnostics\n"
        "from engine.evaluate import evaluate\n"
        "from engine.loader import load_facts\n"
        "from engine.language.load import load_rules\n"
        "d = Diagnostics()\n"
        "facts = load_facts(Path('facts'), d)\n"
        "rules = load_rules(Path('rules/context'), facts, d)\n"
        "none = frozenset(f for f in facts.facts if f.startswith(('ev-', 'st-')))\n"
        "for _ in range(1100):\n"
        "    assert evaluate(facts, rules, without=none).findings == []\n"
        "print('ok')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr[-2000:]


def test_1_a_rules_folder_that_matches_nothing(tmp_path: Path) -> None:
    rules = {"a.yaml": rule("T-NONE", "match:\n  t: {kind: vote, where: {outcome: adopted}}")}
    doc = evaluate_json(tmp_path, rules, {"e.yaml": facts_file(transfer("ev-a"))})
    assert doc["findings"] == [] and doc["not_flagged"] == []


# 2 ---------------------------------------------------------------------------------------


def test_2_contains_any_beside_a_join_keeps_the_join(tmp_path: Path) -> None:
    body = """
match:
  help: {kind: goods_supply}
  t:
    kind: arms_transfer
    where:
      items.category: {contains_any: [uav, missile_items]}
      supplier: {same_as: help.supplier}
"""
    facts = facts_file(
        event(
            "ev-help",
            "goods_supply",
            Q4,
            supplier="IRN",
            recipient="RUS",
            items=[{"category": "fuel"}],
            date=DAY,
        ),
        transfer("ev-iran", Q1, supplier="IRN", items=[{"category": "missile_items"}]),
        transfer("ev-prk", Q2, supplier="PRK", items=[{"category": "missile_items"}]),
        transfer("ev-prk-uav", Q3, supplier="PRK", items=[{"category": "uav"}]),
    )
    doc = evaluate_json(tmp_path, {"a.yaml": rule("T-J", body)}, {"e.yaml": facts})
    assert [f["facts"] for f in fired(doc, "T-J")] == [["ev-help", "ev-iran"]]


# 3 ---------------------------------------------------------------------------------------

ANY_OF = """
match:
  t: {kind: goods_supply}
any_of:
  - {FIRST}
  - {SECOND}
"""


def test_3_a_binding_only_some_alternatives_bind_is_refused_either_way(tmp_path: Path) -> None:
    person = "person: {kind: official, where: {id: {same_as: t.recipient}}}"
    plain = "t: {where: {recipient: PRK}}"
    for first, second in ((plain, person), (person, plain)):
        body = ANY_OF.replace("{FIRST}", first).replace("{SECOND}", second)
        r = rule("T-ANY", body, message="{person.name} received goods")
        code, err = _validate(tmp_path / first[:3], {"a.yaml": r})
        assert code == 1
        assert "only some alternatives of 'any_of'" in err, err


def test_3_a_binding_every_alternative_binds_may_be_used(tmp_path: Path) -> None:
    body = ANY_OF.replace(
        "{FIRST}", "o: {kind: official, where: {id: {same_as: t.recipient}}}"
    ).replace("{SECOND}", "o: {kind: official, where: {affiliation: PRK}}")
    r = rule("T-ANY", body, message="{o.name} and {t.supplier}")
    assert _validate(tmp_path, {"a.yaml": r})[0] == 0


# 4 ---------------------------------------------------------------------------------------

UNLESS = """
match:
  t: {kind: arms_transfer, where: {modality: alleged}}
unless:
  c: {kind: arms_transfer, where: {modality: confirmed, supplier: {same_as: t.supplier}}}
"""


def test_4_negation_does_not_depend_on_fact_ids(tmp_path: Path) -> None:
    results = []
    for alleged, confirmed in (("ev-a", "ev-b"), ("ev-b", "ev-a")):
        facts = facts_file(
            transfer(alleged, Q1, modality="alleged"),
            transfer(confirmed, Q2, modality="confirmed"),
            transfer("ev-c", Q3, modality="alleged", supplier="IRN"),
        )
        doc = evaluate_json(tmp_path / alleged, {"a.yaml": rule("T-U", UNLESS)}, {"e.yaml": facts})
        results.append([f["facts"] for f in fired(doc, "T-U")])
    assert results == [[["ev-c"]], [["ev-c"]]]


# 5 ---------------------------------------------------------------------------------------

FLOW = """
id: T-FLOW
title: reports combined into a flow
status: active
derive:
  kind: t_flow
  fields: {supplier: r.supplier, recipient: r.recipient}
  key: [supplier, recipient]
severity: info
confidence: medium
rationale: Reports of one flow become one derived fact.
legal_basis: [unscr-1874-op9]
match:
  r: {kind: arms_transfer}
message: "flow"
"""
LINK = """
id: T-LINK
title: two flows through one State
status: active
derive:
  kind: t_link
  fields: {first: f.supplier, last: g.recipient}
  key: [first, last]
severity: info
confidence: medium
rationale: A flow into a State and one out of it, with two derived parents.
legal_basis: [unscr-1874-op9]
match:
  f: {kind: t_flow}
  g: {kind: t_flow, where: {supplier: {same_as: f.recipient}}}
message: "link"
"""


def test_5_multi_parent_derivations_are_identical_across_hash_seeds(tmp_path: Path) -> None:
    use = rule("T-USE-LINK", "match:\n  l: {kind: t_link}\naccountable: [l.first]", message="m")
    facts = facts_file(
        transfer("ev-a", Q1, supplier="PRK", recipient="RUS"),
        transfer("ev-b", Q2, supplier="RUS", recipient="IRN"),
        transfer("ev-c", Q3, supplier="RUS", recipient="PRK"),
        transfer("ev-d", Q4, supplier="IRN", recipient="RUS"),
    )
    fdir = facts_dir(tmp_path, {"e.yaml": facts})
    rdir = rules_dir(tmp_path, {"f.yaml": FLOW, "l.yaml": LINK, "u.yaml": use})
    outputs = set()
    for seed in range(8):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "engine.cli",
                "evaluate",
                "--facts",
                str(fdir),
                "--rules",
                str(rdir),
                "--format",
                "json",
            ],
            cwd=ROOT,
            env=dict(os.environ, PYTHONHASHSEED=str(seed)),
            capture_output=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        outputs.add(proc.stdout)
    assert len(outputs) == 1
    doc = json.loads(outputs.pop())
    links = [d for d in doc["derived_facts"] if d["kind"] == "t_link"]
    assert links and all(len(d["derivations"][0]["bound"]) == 2 for d in links)
    assert all(d["chain"] == ["T-FLOW", "T-LINK"] and d["depth"] == 2 for d in links)


# 6 ---------------------------------------------------------------------------------------


def test_6_a_derived_field_read_through_a_list_is_that_list(tmp_path: Path) -> None:
    cats = (
        FLOW.replace("T-FLOW", "T-CATS")
        .replace("t_flow", "t_cats")
        .replace(
            "fields: {supplier: r.supplier, recipient: r.recipient}",
            "fields: {supplier: r.supplier, cats: r.items.category}",
        )
        .replace("key: [supplier, recipient]", "key: [supplier, cats]")
    )
    use = rule(
        "T-USE", "match:\n  c: {kind: t_cats, where: {cats: {contains: ammunition}}}", message="m"
    )
    facts = facts_file(
        transfer("ev-a", Q1, items=[{"category": "rockets"}, {"category": "ammunition"}]),
        transfer("ev-b", Q2, items=[{"category": "ammunition"}, {"category": "rockets"}]),
    )
    doc = evaluate_json(tmp_path, {"c.yaml": cats, "u.yaml": use}, {"e.yaml": facts})
    [d] = doc["derived_facts"]
    assert d["fields"]["cats"] == ["ammunition", "rockets"]  # a set: same items, same fact
    assert d["supports"] == ["ev-a", "ev-b"]
    assert len(fired(doc, "T-USE")) == 1


# 7 ---------------------------------------------------------------------------------------


def test_7_a_derived_field_outside_the_key_is_refused(tmp_path: Path) -> None:
    bad = FLOW.replace("key: [supplier, recipient]", "key: [supplier]")
    code, err = _validate(tmp_path, {"f.yaml": bad})
    assert code == 1 and "R223" in err and "'recipient' is not part of the key" in err


def test_7_merged_reports_must_agree_on_the_date_to_be_in_force(tmp_path: Path) -> None:
    use = rule("T-USE", "match:\n  t: {kind: t_flow}\nin_force: t", basis="[unscr-2231-annexb-4]")
    facts = facts_file(
        transfer(
            "ev-in", Q1, supplier="IRN", date={"day": "2022-08-15"}, items=[{"category": "uav"}]
        ),
        transfer(
            "ev-out", Q2, supplier="IRN", date={"day": "2024-09-10"}, items=[{"category": "uav"}]
        ),
    )
    doc = evaluate_json(tmp_path, {"f.yaml": FLOW, "u.yaml": use}, {"e.yaml": facts})
    [f] = fired(doc, "T-USE")
    assert f["in_force"]["outcome"] == "uncertain"  # not "in force" because one report is


# 8 ---------------------------------------------------------------------------------------


def test_8_a_provision_does_not_cover_items_outside_its_scope(tmp_path: Path) -> None:
    r = rule("T-SCOPE", "match:\n  t: {kind: arms_transfer}", basis="[unscr-2231-annexb-4]")
    facts = facts_file(
        transfer("ev-ammo", Q1, items=[{"category": "ammunition"}]),
        transfer("ev-uav", Q2, items=[{"category": "uav"}]),
    )
    doc = evaluate_json(tmp_path, {"a.yaml": r}, {"e.yaml": facts})
    assert [f["facts"] for f in fired(doc, "T-SCOPE")] == [["ev-uav"]]
    [aside] = doc["not_flagged"]
    assert aside["facts"] == ["ev-ammo"]
    assert aside["reasons"] == ["no provision of its legal basis covers the items reported"]
    assert (
        "does not cover the items reported (ammunition)"
        in (aside["excluded_provisions"][0]["reason"])
    )


# 9 ---------------------------------------------------------------------------------------


def test_9_a_weak_base_report_is_set_aside_with_its_reason(tmp_path: Path) -> None:
    r = rule(
        "T-EV", "match:\n  t: {kind: arms_transfer}\nevidence: {binding: t, at_least: alleged}"
    )
    facts = facts_file(transfer("ev-weak", Q1, modality="speculated"))
    doc = evaluate_json(tmp_path, {"a.yaml": r}, {"e.yaml": facts})
    assert doc["findings"] == []
    [aside] = doc["not_flagged"]  # listed with the reason, no longer silently dropped
    assert aside["reasons"] == ["the reports are weaker than required (speculated < alleged)"]


def test_9_independent_reports_count_parties_not_voices(tmp_path: Path) -> None:
    r = rule("T-IND", "match:\n  t: {kind: t_flow}", message="m")
    facts = facts_file(
        transfer("ev-a", Q1, asserted_by=["USA"]),
        transfer("ev-b", Q2, asserted_by=["kirby"]),  # a U.S. official
        transfer("ev-c", Q3, asserted_by=["USA", "kirby"]),
    )
    doc = evaluate_json(tmp_path, {"f.yaml": FLOW, "u.yaml": r}, {"e.yaml": facts})
    [f] = fired(doc, "T-IND")
    assert f["evidence"]["independent_reports"] == 1


# 10 --------------------------------------------------------------------------------------


def test_10_exists_treats_empty_text_as_absent(tmp_path: Path) -> None:
    def launch(fid: str, quote: str, count: str) -> str:
        return event(
            fid, "weapons_test", quote, actor="PRK", weapon_class="icbm", count=count, date=DAY
        )

    rules = {
        "a.yaml": rule(
            "T-HAS", "match:\n  t: {kind: weapons_test, where: {count: {exists: true}}}"
        ),
        "b.yaml": rule(
            "T-NO", "match:\n  t: {kind: weapons_test, where: {count: {exists: false}}}"
        ),
    }
    facts = facts_file(launch("ev-empty", Q1, ""), launch("ev-two", Q2, "2"))
    doc = evaluate_json(tmp_path, rules, {"e.yaml": facts})
    assert [f["facts"] for f in fired(doc, "T-HAS")] == [["ev-two"]]
    assert [f["facts"] for f in fired(doc, "T-NO")] == [["ev-empty"]]


# 11 --------------------------------------------------------------------------------------


def test_11_a_join_to_a_binding_declared_later_holds(tmp_path: Path) -> None:
    body = """
match:
  buyer: {kind: state, where: {id: {same_as: flow.recipient}}}
  flow: {kind: arms_transfer}
"""
    doc = evaluate_json(
        tmp_path,
        {"a.yaml": rule("T-BUY", body, message="{buyer.name}")},
        {"e.yaml": facts_file(transfer("ev-a"))},
    )
    assert [f["facts"] for f in fired(doc, "T-BUY")] == [["RUS", "ev-a"]]


# 12 --------------------------------------------------------------------------------------


def test_12_reserved_names_cannot_be_derived_fields(tmp_path: Path) -> None:
    for name in ("sid", "kind", "id"):
        bad = FLOW.replace("fields: {supplier: r.supplier,", f"fields: {{{name}: r.supplier,")
        bad = bad.replace("key: [supplier, recipient]", f"key: [{name}, recipient]")
        code, err = _validate(tmp_path / name, {"f.yaml": bad})
        assert code == 1 and "R222" in err and f"'{name}' cannot be the name" in err, err


# 13 --------------------------------------------------------------------------------------


def test_13_numbers_beyond_64_bits_are_refused(tmp_path: Path) -> None:
    r = rule(
        "T-BIG", "match:\n  t: {kind: vote, where: {in_favour: {equals: 9223372036854775808}}}"
    )
    code, err = _validate(tmp_path, {"a.yaml": r})
    assert code == 1
    assert "too large" in err or "64-bit" in err, err


# 14 --------------------------------------------------------------------------------------


def test_14_no_false_not_in_force_reason_after_accountable_emptied(tmp_path: Path) -> None:
    body = "match:\n  t: {kind: arms_transfer}\naccountable: [t.supplier]\nin_force: t"
    # the Secretary-General is bound by no provision, and 1999 is before it was in force
    facts = facts_file(transfer("ev-old", Q1, supplier="guterres", date={"year": 1999}))
    doc = evaluate_json(
        tmp_path, {"a.yaml": rule("T-R", body, basis="[unscr-1718-op8a-iii]")}, {"e.yaml": facts}
    )
    [aside] = doc["not_flagged"]
    assert len(aside["reasons"]) == 1 and "binds" in aside["reasons"][0]


def test_14_refusals_of_the_checker(tmp_path: Path) -> None:
    cases: dict[str, tuple[str, str]] = {
        "accountable on an event id": (
            "match:\n  t: {kind: arms_transfer}\naccountable: [t.id]",
            "'t.id' does not name an actor",
        ),
        "unknown state id": (
            "match:\n  s: {kind: state, where: {id: NOR}}",
            "'NOR' names no known state",
        ),
        "literal that looks like a field": (
            "match:\n  t: {kind: arms_transfer}\n"
            "  u: {kind: arms_transfer, where: {supplier: t.supplier}}",
            "R224",
        ),
        "join of a number with text": (
            "match:\n  v: {kind: vote}\n"
            "  w: {kind: vote, where: {in_favour: {same_as: v.subject}}}",
            "join fields of the same type",
        ),
        "evidence on an actor": (
            "match:\n  s: {kind: state}\nevidence: {binding: s, at_least: alleged}",
            "reports no act",
        ),
    }
    for name, (body, expected) in cases.items():
        r = rule("T-X", body, message="m")
        code, err = _validate(tmp_path / name.replace(" ", "-"), {"a.yaml": r})
        assert code == 1 and expected in err, (name, err)


def test_14_a_message_speaks_for_every_merged_match(tmp_path: Path) -> None:
    body = "match:\n  t: {kind: arms_transfer}\ngroup_by: [t.supplier]"
    facts = facts_file(transfer("ev-a", Q1, recipient="RUS"), transfer("ev-b", Q2, recipient="IRN"))
    r = rule("T-G", body, message="to {t.recipient}")
    doc = evaluate_json(tmp_path, {"a.yaml": r}, {"e.yaml": facts})
    [f] = fired(doc, "T-G")
    assert "Russian Federation" in f["message"] and "Iran" in f["message"]


def _unused(*_: Any) -> None:  # keep imported quotes referenced for readers of the file
    return None


_unused(Q5, Q6)


def test_bindings_no_join_connects_are_bounded(tmp_path: Path) -> None:
    """8 States: 8^5 = 32,768 combinations are accepted, 8^6 = 262,144 are refused."""

    def states(n: int) -> str:
        return "match:\n" + "".join(f"  s{i}: {{kind: state}}\n" for i in range(n))

    assert _validate(tmp_path / "five", {"a.yaml": rule("T-X", states(5), message="m")})[0] == 0
    code, err = _validate(tmp_path / "six", {"a.yaml": rule("T-X", states(6), message="m")})
    assert code == 1 and "R226" in err and "262,144 combinations" in err, err
    joined = states(6).replace(
        "  s5: {kind: state}", "  s5: {kind: state, where: {id: {same_as: s0.id}}}"
    )
    assert _validate(tmp_path / "joined", {"a.yaml": rule("T-X", joined, message="m")})[0] == 0


def test_14_a_statement_quote_about_another_event_is_not_cited(tmp_path: Path) -> None:
    """A quote of an allegation about two events is cited only for the event it speaks of."""
    statements = """
source: article-2022-11-08-nk-denies-artillery
facts:
  - id: st-two
    kind: allegation
    summary: an allegation about a transfer and a routing
    by: kirby
    about: [ev-a, ev-r]
    date: {day: 2022-11-02}
    cite:
      - quote: "John Kirby accused North Korea"
      - quote: "He said the U.S. believed North Korea was trying to obscure the transfer route"
        about: [ev-r]
"""
    facts = facts_file(
        transfer("ev-a", Q1),
        event("ev-r", "routing", Q2, actor="PRK", date=DAY),
    )
    doc = evaluate_json(
        tmp_path,
        {"a.yaml": rule("T-A", "match:\n  t: {kind: arms_transfer}", message="m")},
        {"e.yaml": facts, "s.yaml": statements},
    )
    [f] = fired(doc, "T-A")
    quotes = [c["quote"] for c in f["citations"]]
    assert "John Kirby accused North Korea" in quotes
    assert not any("obscure the transfer route" in q for q in quotes)


def test_14_a_quote_about_an_event_its_statement_is_not_about_is_refused(tmp_path: Path) -> None:
    bad = """
source: article-2022-11-08-nk-denies-artillery
facts:
  - id: st-bad
    kind: allegation
    summary: s
    by: kirby
    about: [ev-a]
    date: {day: 2022-11-02}
    cite:
      - quote: "John Kirby accused North Korea"
        about: [ev-elsewhere]
"""
    result = run_cli(
        "validate",
        "--facts",
        facts_dir(tmp_path, {"e.yaml": facts_file(transfer("ev-a", Q1)), "s.yaml": bad}),
        "--rules",
        rules_dir(tmp_path, {"a.yaml": rule("T-A", "match:\n  t: {kind: vote}")}),
    )
    assert result.code == 1 and "which the statement is not about" in result.err, result.err
