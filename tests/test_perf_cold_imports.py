"""Start-up: each command loads only what it needs (issue 12, the cold-start target).

`sanctions --help` must not build the fact model, and `sanctions validate` must not load
the rule engine (durable_rules) nor the report renderers. Checked by the modules a fresh
interpreter holds after the command, never by timing it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.helpers import ROOT

# Runs the real entry point (engine.cli.main) in a fresh interpreter, then prints the
# modules it loaded as JSON on the last line.
_PROBE = """
import json, sys
sys.argv = ["sanctions", *sys.argv[1:]]
from engine.cli import main
try:
    main()
except SystemExit:
    pass
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
