"""Shared fixtures; BDD step definitions are imported here so they are collected once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.diagnostics import Diagnostics
from engine.language.load import load_rules
from engine.language.lowered import RuleSet
from engine.loader import FactSet, load_facts

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def bundled() -> tuple[FactSet, RuleSet]:
    """The bundled facts and rules, loaded once and checked clean."""
    diags = Diagnostics()
    facts = load_facts(ROOT / "facts", diags)
    rules = load_rules(ROOT / "rules", facts, diags)
    assert not diags.items, [d.one_line() for d in diags.items]
    return facts, rules


@pytest.fixture(autouse=True)
def _run_from_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Diagnostics show paths relative to the working directory, as users see them.
    monkeypatch.chdir(ROOT)
    os.environ.pop("SANCTIONS_DEBUG", None)


def pytest_configure(config: pytest.Config) -> None:
    """Register every rule id as a marker, so a mistyped rule tag in a feature fails; keep
    the engine's caches of this test run in a folder of its own, never the user's."""
    import atexit
    import shutil
    import tempfile

    import yaml

    if "SANCTIONS_CACHE" not in os.environ:
        folder = tempfile.mkdtemp(prefix="sanctions-test-cache-")
        os.environ["SANCTIONS_CACHE"] = folder
        atexit.register(shutil.rmtree, folder, ignore_errors=True)

    for path in sorted((ROOT / "rules").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            config.addinivalue_line("markers", f"{data['id']}: {data.get('title', '')}")


from tests.steps.domain_steps import *  # noqa: E402,F401,F403 - pytest-bdd finds steps here
from tests.steps.generic_steps import *  # noqa: E402,F401,F403


def pytest_bdd_after_scenario(
    request: pytest.FixtureRequest, feature: object, scenario: object
) -> None:
    """When asked (tests/test_meta.py does), record which tagged rules each scenario fired."""
    target = os.environ.get("SANCTIONS_FEATURE_RECORD")
    if not target:
        return
    import json

    world = request.getfixturevalue("world")
    doc = world.doc or {"findings": [], "not_flagged": []}
    record = {
        "scenario": request.node.name,
        "tags": sorted(m.name for m in request.node.iter_markers()),
        "fired": sorted(
            {f["rule"]["id"] for f in doc["findings"]}
            | {d["rule"] for d in doc.get("derived_facts", [])}
        ),
    }
    with open(target, "a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")
