"""`sanctions explain`, `sanctions rules` and `sanctions what-if`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import bundled_case, run_cli


def test_explain_quotes_sources_denials_and_checks() -> None:
    result = run_cli("explain", "--facts", bundled_case(), "DPRK-ARMS-EXPORT")
    assert result.code == 0, result.err
    out = result.out
    assert out.startswith("Flagged: DPRK-ARMS-EXPORT:")
    assert '"allegations that it is shipping artillery shells and ammunition to Russia' in out
    assert "S1 sentence 5 (paragraph 5)" in out
    assert "Beside it, the denials and disputed claims:" in out
    assert '"North Korea has denied allegations"' in out
    assert "- 1874 OP9 (S/RES/1874 (2009), OP9): binding; paragraph number NOT confirmed" in out
    assert "event ev-dprk-ammunition-kirby dated 2022-11-02 (Last week): in force" in out
    assert "It rests on one source document only." in out
    assert "Resolution 1718 OP8(b) decides" in out  # the rule's rationale


def test_explain_by_full_id_matches_the_json_document() -> None:
    doc = json.loads(run_cli("evaluate", "--facts", bundled_case(), "--format", "json").out)
    finding = doc["findings"][0]
    result = run_cli("explain", "--facts", bundled_case(), finding["id"])
    assert result.code == 0
    assert f"Flagged: {finding['id']}" in result.out
    for cite in finding["citations"]:
        assert f"S1 sentence {cite['sentence']}" in result.out


def test_explain_a_match_that_was_not_flagged() -> None:
    result = run_cli("explain", "--facts", bundled_case(), "IRAN-2231-ARMS-EXPORT")
    assert result.code == 0, result.err
    assert result.out.startswith("Matched, but NOT flagged:")
    assert "Why it was set aside:" in result.out


def test_explain_unknown_or_ambiguous_ids_are_usage_errors() -> None:
    missing = run_cli("explain", "--facts", bundled_case(), "DPRK-ARMS-EXPORTT:123")
    assert missing.code == 2
    assert "no finding 'DPRK-ARMS-EXPORTT:123'" in missing.err
    assert "did you mean" in missing.err
    several = run_cli("explain", "--facts", bundled_case(), "DPRK-BALLISTIC-LAUNCH")
    assert several.code == 2
    assert "fits 2 findings" in several.err


def test_rules_lists_every_rule() -> None:
    result = run_cli("rules")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    ids = sorted(p.stem for p in Path("rules").rglob("*.yaml"))
    assert len([line for line in lines if not line.startswith(" ")]) == len(ids)
    assert (
        "DPRK-ARMS-EXPORT  [active]  possible_violation  unscr-1718-op8b, unscr-1874-op9, "
        "unscr-2270-op8" in lines
    )
    assert any(
        line.startswith("DPRK-ARMS-FLOW  [active]  derived: dprk_arms_flow") for line in lines
    )
    as_json = json.loads(run_cli("rules", "--format", "json").out)
    assert {r["id"] for r in as_json} >= {"DPRK-ARMS-EXPORT", "CONTEXT-VETO"}


def test_rules_show_prints_the_rule_and_its_scenarios() -> None:
    result = run_cli("rules", "show", "CONTEXT-VETO")
    assert result.code == 0, result.err
    out = result.out
    assert out.startswith("CONTEXT-VETO: A permanent member vetoed a sanctions draft")
    assert "legal basis:" in out and "un-charter-art27-3" in out
    scenarios = [line for line in out.splitlines() if ".feature:" in line]
    assert scenarios, out
    feature = Path("features/context/vetoes_and_recognition.feature").read_text("utf-8")
    assert scenarios[0].strip().split(": ", 1)[1] in feature
    assert "When the rules are evaluated" in out


def test_rules_show_unknown_rule() -> None:
    result = run_cli("rules", "show", "CONTEXT-VET")
    assert result.code == 2
    assert "did you mean 'CONTEXT-VETO'" in result.err


def test_believing_the_denials_drops_the_arms_findings() -> None:
    result = run_cli("what-if", "--facts", bundled_case(), "--believe-denials", "--format", "json")
    assert result.code == 0, result.err
    d = json.loads(result.out)
    fell = {f["rule"] for f in d["fell_away"]}
    assert fell == {"DPRK-ARMS-EXPORT", "DPRK-ARMS-PROCUREMENT"}
    left_out = {x["fact"] for x in d["scenario"]["left_out"]}
    assert "ev-dprk-shells-us-allegation" in left_out
    assert d["baseline"]["findings"] - d["what_if"]["findings"] == 2
    assert len(d["unchanged"]) + len(d["changed"]) + len(d["fell_away"]) == 14


def test_leaving_out_one_report_changes_a_finding() -> None:
    d = json.loads(
        run_cli(
            "what-if",
            "--facts",
            bundled_case(),
            "--without",
            "ev-dprk-shells-us-allegation",
            "--format",
            "json",
        ).out
    )
    assert d["fell_away"] == []
    changed = {c["rule"]: c for c in d["changed"]}
    fields = {ch["field"] for ch in changed["DPRK-ARMS-EXPORT"]["changes"]}
    assert "supporting facts" in fields and "asserted by" in fields


def test_leaving_out_the_only_source_drops_everything() -> None:
    d = json.loads(
        run_cli(
            "what-if",
            "--facts",
            bundled_case(),
            "--without-source",
            "article-2022-11-08-nk-denies-artillery",
            "--format",
            "json",
        ).out
    )
    assert d["what_if"]["findings"] == 0
    assert len(d["fell_away"]) == 14
    # Every baseline finding rests on one source here: all are marked fragile.
    assert len(d["fragile"]) == 14 and all(f["single_source"] for f in d["fragile"])


def test_what_if_text_and_usage_errors() -> None:
    text = run_cli("what-if", "--facts", bundled_case(), "--believe", "st-dprk-denial-2022-09")
    assert text.code == 0, text.err
    assert "ev-russia-buys-rockets-shells: denial st-dprk-denial-2022-09 is believed" in text.out
    assert "Change (" in text.out
    bad = run_cli(
        "what-if", "--facts", bundled_case(), "--believe", "st-nope", "--without-source", "nope"
    )
    assert bad.code == 2
    assert "--believe st-nope: no such denial" in bad.err
    assert "--without-source nope: no such source" in bad.err
    nothing = run_cli("what-if")
    assert nothing.code == 2 and "say what to change" in nothing.err


def test_every_command_of_the_readme_walkthrough_runs(tmp_path: Path) -> None:
    """The commands of README's "Reading the findings" succeed as written."""
    import re
    import shlex

    from tests.helpers import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Reading the findings", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"`(sanctions [^`]+)`", section)
    runnable = [c for c in commands if not re.search(r"[A-Z]{2,}_ID|\bID\b|\.\.\.", c)]
    assert len(runnable) >= 6, commands
    for command in runnable:
        args = shlex.split(command)[1:]
        # Files and folders the commands write go to a temporary folder.
        args = [
            str(tmp_path / a) if a.endswith(".html") or previous == "--output" else a
            for previous, a in zip(["", *args], args, strict=False)
        ]
        result = run_cli(*args)
        assert result.code == 0, (command, result.err)
        assert result.out or result.err, command
