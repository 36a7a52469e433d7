"""The README's "Writing a rule" walk-through, replayed on a copy of the project."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT


def _files_from_readme() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Writing a rule", 1)[1]
    files = {}
    for block in re.findall(r"```\w+\n(.*?)```", section, flags=re.S):
        first, _, body = block.partition("\n")
        if first.startswith("# file: "):
            files[first[len("# file: ") :].strip()] = body
    return files


def test_the_walkthrough_adds_a_fact_a_rule_and_a_feature(tmp_path: Path) -> None:
    files = _files_from_readme()
    assert sorted(files) == [
        "facts/article-2022-11-08/horseman.yaml",
        "features/dprk/rail_cargo.feature",
        "rules/dprk/rail-cargo-inspection.yaml",
    ]
    project = tmp_path / "project"
    for part in ("engine", "facts", "rules", "features", "tests", "schemas", "vocabulary"):
        shutil.copytree(ROOT / part, project / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    for name, body in files.items():
        assert not (ROOT / name).exists(), f"{name} already exists: the walk-through must add it"
        (project / name).write_text(body, encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *args], cwd=project, capture_output=True, text=True)

    validated = run("-m", "engine.cli", "validate")
    assert validated.returncode == 0, validated.stderr
    doc = json.loads(run("-m", "engine.cli", "evaluate", "--format", "json").stdout)
    notes = [f for f in doc["findings"] if f["rule"]["id"] == "DPRK-RAIL-CARGO-INSPECTION"]
    assert {s for f in notes for s in f["facts"]} == {
        "ev-russia-rail-link",
        "ev-china-freight-trains",
    }
    [horses] = [f for f in doc["findings"] if f["rule"]["id"] == "DPRK-LUXURY-HORSES"]
    assert "st-article-kim-horseman" in [c["statement"] for c in horses["commentary"]]
    text = run("-m", "engine.cli", "evaluate").stdout
    assert "[DPRK-RAIL-CARGO-INSPECTION]" in text
    features = run("-m", "pytest", "-q", "tests/test_features.py", "-k", "rail_freight")
    assert features.returncode == 0, features.stdout[-2000:]
    assert "2 passed" in features.stdout
