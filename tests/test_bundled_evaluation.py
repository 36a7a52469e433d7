"""`sanctions evaluate --source` on the bundled article: quotes verbatim, the trace complete."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT, SOURCE_ID, run_cli

ARTICLE = ROOT / "facts" / "sources" / "article-2022-11-08-nk-denies-artillery.txt"


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    result = run_cli("evaluate", "--source", SOURCE_ID, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)  # type: ignore[no-any-return]


def _all_citations(doc: dict[str, Any]):  # type: ignore[no-untyped-def]
    for f in doc["findings"] + doc["not_flagged"]:
        yield from f["citations"]
        for group in ("counter_evidence", "commentary"):
            for st in f[group]:
                yield from st["citations"]


def test_every_quote_stands_verbatim_at_its_span(doc: dict[str, Any]) -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    cites = list(_all_citations(doc))
    assert len(cites) > 20
    for c in cites:
        assert text[c["start"] : c["end"]] == c["quote"]


def test_the_dprk_arms_export_trace_is_complete(doc: dict[str, Any]) -> None:
    [f] = [f for f in doc["findings"] if f["rule"]["id"] == "DPRK-ARMS-EXPORT"]
    assert f["kind"] == "possible_violation"
    # 2270 OP6 concerns arms supplied TO North Korea; its exports fall under 2270 OP8
    assert [p["label"] for p in f["provisions"]] == ["1718 OP8(b)", "1874 OP9", "2270 OP8"]
    assert [p["paragraph_confirmed"] for p in f["provisions"]] == [True, False, True]
    assert all(p["binding"] for p in f["provisions"])
    assert f["accountable"][0]["actor"] == "PRK"
    assert f["derived"][0]["rule"] == "DPRK-ARMS-FLOW"
    assert {
        "ev-dprk-shells-us-allegation",
        "ev-dprk-ammunition-kirby",
        "ev-russia-buys-rockets-shells",
    } <= set(f["facts"])
    assert {5, 9, 18, 24} <= {c["sentence"] for c in f["citations"]}
    assert {c["statement"] for c in f["counter_evidence"]} == {
        "st-dprk-denial-2022-11-08",
        "st-dprk-denial-2022-09",
    }
    assert f["evidence"]["level"] == "alleged" and "PRK" in f["evidence"]["denied_by"]
    assert f["in_force"]["outcome"] == "in_force"
    assert f["rule"]["file"] == "rules/dprk/arms-export.yaml"


def test_json_contract_top_level(doc: dict[str, Any]) -> None:
    assert doc["format"] == "sanctions-engine.findings" and doc["format_version"] == "1.0"
    assert list(doc) == [
        "format",
        "format_version",
        "actors",
        "findings",
        "not_flagged",
        "derived_facts",
        "unmatched_facts",
        "record",
    ]
    record = doc["record"]
    assert record["durable_rules"] == "2.0.28"
    assert record["sources"][0]["sha256"].startswith("d999c083")
    assert len(record["ruleset"]["sha256"]) == 64 and len(record["facts"]["sha256"]) == 64
    ids = [f["id"] for f in doc["findings"]]
    assert len(ids) == len(set(ids))


def test_output_file_is_written_whole(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = run_cli("evaluate", "--source", SOURCE_ID, "--format", "json", "--output", out)
    assert result.code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["findings"]
    assert not list(tmp_path.glob("*.partial"))


def test_text_report_groups_by_provision() -> None:
    result = run_cli("evaluate", "--source", SOURCE_ID)
    assert result.code == 0
    assert "1718 OP8(b); 1874 OP9 [number unconfirmed]; 2270 OP8" in result.out
    assert "Possible violation" in result.out and "[DPRK-ARMS-EXPORT]" in result.out
