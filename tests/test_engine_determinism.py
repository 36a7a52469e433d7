"""Same input, same output: across evaluations in one process, runs and hash seeds."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from engine.diagnostics import Diagnostics
from engine.evaluate import evaluate
from engine.language.load import load_rules
from engine.loader import load_facts
from engine.report import to_document, to_json
from tests.helpers import ROOT, run_cli


def _evaluate_in_process() -> str:
    diags = Diagnostics()
    facts = load_facts(ROOT / "facts", diags)
    rules = load_rules(ROOT / "rules", facts, diags)
    assert not diags.items
    return to_json(to_document(evaluate(facts, rules), facts, rules))


def test_two_evaluations_in_one_process_are_identical() -> None:
    first, second = _evaluate_in_process(), _evaluate_in_process()
    assert first == second
    assert json.loads(first)["findings"]


def test_json_is_byte_identical_across_runs_and_hash_seeds() -> None:
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run(
            [sys.executable, "-m", "engine.cli", "evaluate", "--format", "json"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            check=True,
        )
        outputs.add(proc.stdout)
    assert len(outputs) == 1


def test_leaving_out_a_fact_changes_only_what_rests_on_it() -> None:
    whole = json.loads(run_cli("evaluate", "--format", "json").out)
    without = json.loads(
        run_cli("evaluate", "--format", "json", "--without", "ev-icbm-launch-2022-11-03").out
    )

    def ids(doc):  # type: ignore[no-untyped-def]
        return {f["id"] for f in doc["findings"]}

    gone = ids(whole) - ids(without)
    assert gone
    assert all(
        f["rule"]["id"].startswith("DPRK-BALLISTIC") for f in whole["findings"] if f["id"] in gone
    )
    assert "ev-icbm-launch-2022-11-03" not in json.dumps(without["findings"])


def test_timestamp_only_on_request() -> None:
    plain = json.loads(run_cli("evaluate", "--format", "json").out)
    assert "generated_at" not in plain["record"]
    stamped = json.loads(run_cli("evaluate", "--format", "json", "--timestamp").out)
    assert "generated_at" in stamped["record"]
