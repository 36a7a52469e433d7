"""SARIF 2.1.0 output of evaluate and validate, checked against the official schema."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.helpers import ROOT, SOURCE_ID, bundled_case, facts_dir, rules_dir, run_cli

SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))


def _valid(doc: dict[str, Any]) -> None:
    jsonschema.validate(doc, SCHEMA)


@pytest.fixture(scope="module")
def sarif() -> dict[str, Any]:
    result = run_cli("evaluate", "--facts", bundled_case(), "--format", "sarif")
    assert result.code == 0, result.err
    return json.loads(result.out)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def findings() -> dict[str, Any]:
    return json.loads(run_cli("evaluate", "--facts", bundled_case(), "--format", "json").out)  # type: ignore[no-any-return]


def test_evaluate_sarif_is_valid_sarif_2_1_0(sarif: dict[str, Any]) -> None:
    assert sarif["version"] == "2.1.0"
    _valid(sarif)


def test_the_schema_check_catches_a_broken_document(sarif: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(sarif))
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["charOffset"] = -5
    with pytest.raises(jsonschema.ValidationError):
        _valid(broken)


def test_each_source_is_an_artifact_with_its_hash(sarif: dict[str, Any]) -> None:
    (artifact,) = sarif["runs"][0]["artifacts"]
    path = ROOT / artifact["location"]["uri"]
    assert path == bundled_case() / "sources" / f"{SOURCE_ID}.txt"
    assert artifact["hashes"]["sha-256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_each_cited_sentence_is_a_region_with_its_words(
    sarif: dict[str, Any], findings: dict[str, Any]
) -> None:
    run = sarif["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    text = (ROOT / run["artifacts"][0]["location"]["uri"]).read_text("utf-8")
    results = run["results"]
    assert [r["partialFingerprints"]["findingId/v1"] for r in results] == [
        f["id"] for f in findings["findings"]
    ]
    for result, finding in zip(results, findings["findings"], strict=True):
        assert len(result["locations"]) == len(finding["citations"])
        for loc, cite in zip(result["locations"], finding["citations"], strict=True):
            region = loc["physicalLocation"]["region"]
            start, length = region["charOffset"], region["charLength"]
            assert text[start : start + length] == region["snippet"]["text"] == cite["quote"]
            line = text.split("\n")[region["startLine"] - 1]
            column = region["startColumn"] - 1
            assert line[column : column + length] == cite["quote"]


def test_rules_have_rationale_as_help_and_provisions_as_taxa(sarif: dict[str, Any]) -> None:
    run = sarif["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    export = rules["DPRK-ARMS-EXPORT"]
    assert export["help"]["text"].startswith("Resolution 1718 OP8(b) decides")
    (taxonomy,) = run["taxonomies"]
    taxa = [t["id"] for t in taxonomy["taxa"]]
    assert "unscr-1718-op8b" in taxa
    result = next(r for r in run["results"] if r["ruleId"] == "DPRK-ARMS-EXPORT")
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "DPRK-ARMS-EXPORT"
    assert [taxa[t["index"]] for t in result["taxa"]] == [t["id"] for t in result["taxa"]]
    assert {t["id"] for t in result["taxa"]} == {
        "unscr-1718-op8b",
        "unscr-1874-op9",
        "unscr-2270-op8",
    }


def test_counter_evidence_is_related_locations(sarif: dict[str, Any]) -> None:
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "DPRK-ARMS-EXPORT")
    related = result["relatedLocations"]
    snippets = [r["physicalLocation"]["region"]["snippet"]["text"] for r in related]
    assert "North Korea has denied allegations" in snippets
    assert all("Counter-evidence (denial)" in r["message"]["text"] for r in related)
    assert len({r["id"] for r in related}) == len(related)


def test_fingerprints_are_stable_and_distinct(sarif: dict[str, Any]) -> None:
    again = json.loads(run_cli("evaluate", "--facts", bundled_case(), "--format", "sarif").out)
    prints = [r["fingerprints"]["sanctions/v1"] for r in sarif["runs"][0]["results"]]
    assert prints == [r["fingerprints"]["sanctions/v1"] for r in again["runs"][0]["results"]]
    assert len(set(prints)) == len(prints)


def test_validate_sarif_and_github_on_a_broken_fact(tmp_path: Path) -> None:
    folder = facts_dir(
        tmp_path,
        {
            "bad.yaml": """
                - id: ev-test
                  kind: arms_transfer
                  summary: test
                  supplyer: PRK
            """
        },
    )
    empty_rules = rules_dir(tmp_path, {"a.yaml": (ROOT / "rules/context/veto.yaml").read_text()})
    result = run_cli("validate", "--facts", folder, "--rules", empty_rules, "--format", "sarif")
    assert result.code == 1
    doc = json.loads(result.out)
    _valid(doc)
    results = doc["runs"][0]["results"]
    unknown = next(r for r in results if r["ruleId"] == "F101")
    loc = unknown["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith("facts/bad.yaml")
    assert (loc["region"]["startLine"], loc["region"]["startColumn"]) == (4, 3)
    assert "did you mean 'supplier'?" in unknown["message"]["text"]

    gh = run_cli("validate", "--facts", folder, "--rules", empty_rules, "--format", "github")
    assert gh.code == 1
    line = next(x for x in gh.out.splitlines() if "F101" in x)
    assert line.startswith("::error file=")
    assert "facts/bad.yaml,line=4,col=3,title=F101 unknown-key::" in line


def test_validate_machine_formats_on_stdout_also_when_clean() -> None:
    for fmt in ("json", "sarif"):
        result = run_cli("validate", "--format", fmt)
        assert result.code == 0, result.err
        doc = json.loads(result.out)
        if fmt == "json":
            assert doc == []
        else:
            _valid(doc)
            assert doc["runs"][0]["results"] == []
    gh = run_cli("validate", "--format", "github")
    assert (gh.code, gh.out) == (0, "")


def test_validate_json_on_stdout_when_problems(tmp_path: Path) -> None:
    folder = facts_dir(tmp_path, {"bad.yaml": "- id: [oops\n"})
    result = run_cli("validate", "--facts", folder, "--format", "json")
    assert result.code == 1
    problems = json.loads(result.out)
    assert problems and problems[0]["code"].startswith("Y")
