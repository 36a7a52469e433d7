"""Start-up: each command loads only what it needs (issue 12, the cold-start target).

`sanctions --help` must not build the fact model, and `sanctions validate` must not load
the rule engine (durable_rules) nor the report renderers. Checked by the modules a fresh
interpreter holds after the command, never by timing it.
"""

from __future__ import annotations

import json
import os
import pstats
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

# Runs what the entry point runs (engine.cli.run; main then exits at once) in a fresh
# interpreter, then prints the modules it loaded as JSON on the last line.
_PROBE = """
import json, sys
sys.argv = ["sanctions", *sys.argv[1:]]
from engine.cli import run
run()
print(json.dumps(sorted(sys.modules)))
"""


def _modules_after(*args: str) -> set[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "SANCTIONS_DEBUG")}
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


def _loaded(modules: set[str], *packages: str) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in packages or m in packages)


@pytest.mark.parametrize("args", [("--help",), ("evaluate", "--help"), ("validate", "--help")])
def test_help_loads_no_model_and_no_rule_engine(args: tuple[str, ...]) -> None:
    modules = _modules_after(*args)
    assert _loaded(modules, "durable", "durable_rules_engine") == []
    assert _loaded(modules, "engine.facts", "engine.loader", "engine.language.load") == []
    assert _loaded(modules, "rich", "jinja2", "pint", "pysbd") == []


def test_validate_does_not_load_the_rule_engine() -> None:
    modules = _modules_after("validate")
    assert "engine.loader" in modules  # it did validate the bundled facts and rules
    assert "engine.language.load" in modules
    assert _loaded(modules, "durable", "durable_rules_engine") == []
    assert _loaded(modules, "engine.durable_adapter", "engine.evaluate", "engine.compiler") == []
    assert _loaded(modules, "rich", "jinja2") == []


def test_evaluate_does_load_the_rule_engine() -> None:
    """The probe sees an import when there is one (so the tests above can fail)."""
    modules = _modules_after("evaluate")
    assert "durable.engine" in modules


def _sanctions(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engine.cli", *args], cwd=cwd, capture_output=True, text=True
    )


def test_the_entry_point_exits_at_once_with_its_output_whole_and_its_code(
    tmp_path: Path,
) -> None:
    """`main` ends the process without tearing the interpreter down (engine/cli.py)."""
    done = _sanctions("evaluate", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["findings"]  # the whole document, flushed
    (tmp_path / "facts").mkdir()
    (tmp_path / "facts" / "bad.yaml").write_text("facts: [\n", encoding="utf-8")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "r.yaml").write_text("id: X\n", encoding="utf-8")
    bad = _sanctions("validate", cwd=tmp_path)
    assert bad.returncode == 1
    assert "facts/bad.yaml:2:1: error Y003" in bad.stderr
    assert bad.stderr.splitlines()[-1] == "9 problems found."  # every line, to the last
    assert _sanctions("no-such-command").returncode == 2


def test_under_a_profiler_python_exits_as_usual(tmp_path: Path) -> None:
    """A profiler (or coverage) writes its results when Python exits: it still can."""
    out = tmp_path / "profile"
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "engine.cli", "validate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert pstats.Stats(str(out)).total_calls > 0
