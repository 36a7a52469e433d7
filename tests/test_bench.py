"""The benchmark's synthetic case is a valid case that evaluates (correctness only: no timing
is checked here; benchmarks/bench.py measures)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.synthetic import generate
from engine.diagnostics import Diagnostics
from engine.evaluate import evaluate
from engine.language.load import load_rules
from engine.loader import load_facts
from tests.helpers import ROOT

N = 200


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("bench")
    made = generate(N, root)
    diags = Diagnostics()
    facts = load_facts(made.facts_dir, diags)
    rules = load_rules(made.rules_dir, facts, diags)
    return made, facts, rules, diags


def test_the_case_has_n_facts_of_every_family_and_validates_clean(case) -> None:  # type: ignore[no-untyped-def]
    made, facts, rules, diags = case
    assert [d.one_line() for d in diags.items] == []
    assert len(facts.facts) == made.n_facts == N
    kinds = Counter(f.kind for f in facts.facts.values())
    for kind in (
        "state",
        "official",
        "arms_transfer",
        "routing",
        "denial",
        "allegation",
        "provision",
    ):
        assert kinds[kind] > 0, kind
    assert made.n_sources >= 3 and len(facts.sources) == made.n_sources
    # every fact but the provisions cites a sentence of a generated source
    cited = [fid for fid, c in facts.citations.items() if c]
    assert len(cited) == N - kinds["provision"]
    assert len(rules.rules) == made.n_rules >= 50


def test_the_rules_mix_joins_negation_date_windows_and_a_derivation_chain(case) -> None:  # type: ignore[no-untyped-def]
    _, _, rules, _ = case
    shapes: Counter[str] = Counter()
    for checked in rules.rules:
        r = checked.rule
        if r.unless:
            shapes["unless"] += 1
        if r.derive is not None:
            shapes["derive"] += 1
        if len(r.match) > 1:
            shapes["join"] += 1
        text = json.dumps(r.model_dump(mode="json", by_alias=True))
        if any(op in text for op in ('"before"', '"after"', '"on_or_before"')):
            shapes["date"] += 1
    assert shapes["unless"] >= 2 and shapes["join"] >= 5 and shapes["date"] >= 3
    assert shapes["derive"] == 2  # transfer -> flow -> corridor, then a finding


def test_the_case_evaluates_and_each_rule_shape_fires(case) -> None:  # type: ignore[no-untyped-def]
    _, facts, rules, _ = case
    result = evaluate(facts, rules)
    fired = {f["rule"]["id"] for f in result.findings + result.not_flagged}
    assert len(result.findings) > 20
    assert "BENCH-CHAIN-FINDING" in fired  # the end of the derivation chain
    assert {d.kind for d in result.derived.values()} == {"bench_flow", "bench_corridor"}
    assert fired & {"BENCH-PROCURE-FROM-PRK", "BENCH-PROCURE-FROM-IRN"}  # a join
    assert "BENCH-GOODS-UNROUTED" in fired or "BENCH-UNROUTED-PRK" in fired  # negation
    # every finding traces to sentences of the generated sources
    for f in result.findings:
        assert f["citations"], f["id"]
        assert all(c["source"].startswith("bench-source-") for c in f["citations"])


def test_the_same_seed_gives_the_same_files(tmp_path: Path) -> None:
    a, b = generate(N, tmp_path / "a"), generate(N, tmp_path / "b")
    files_a = sorted(p.relative_to(a.root) for p in a.root.rglob("*") if p.is_file())
    assert files_a == sorted(p.relative_to(b.root) for p in b.root.rglob("*") if p.is_file())
    for rel in files_a:
        assert (a.root / rel).read_bytes() == (b.root / rel).read_bytes(), rel


def test_the_script_ends_with_one_ratio_line() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--facts", str(N)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert sum(line.startswith("ratio=") for line in lines) == 1
    keys = [kv.split("=")[0] for kv in lines[-1].split()]
    assert keys == ["ratio", "project_s", "floor_s", "peak_mb", "floor_peak_mb"]
    assert "0 rejected as already observed" in proc.stdout
