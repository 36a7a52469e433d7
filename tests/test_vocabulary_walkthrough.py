"""Adding an item category is a YAML edit: on a copy of the project, the README's category
goes into vocabulary/categories.yaml, a rule tests `within:` a broader category, a feature
written with generic steps documents it, and the suite passes with no Python file changed."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT

PARTS = ("engine", "facts", "rules", "features", "tests", "schemas", "vocabulary")

RULE = """\
# yaml-language-server: $schema=../../schemas/rules.schema.json
id: DPRK-AIR-DEFENCE-SUPPLY
title: Missiles of any kind supplied to North Korea
status: active
finding: possible_violation
severity: high
confidence: medium
rationale: >-
  1718 OP8(a)(i) obliges every Member State to prevent the supply to North Korea of missiles
  or missile systems; a surface-to-air missile is one of them.
legal_basis: [unscr-1718-op8a]
match:
  transfer:
    kind: arms_transfer
    where:
      recipient: PRK
      items.category: {within: missiles}
evidence: {binding: transfer, at_least: alleged}
in_force: transfer
accountable: [transfer.supplier]
message: >-
  {transfer.supplier} reportedly supplied missiles to North Korea, against {provisions}.
"""

FEATURE = '''\
Feature: Missiles supplied to North Korea
  Every Member State must prevent the supply of missiles or missile systems to North Korea
  (1718 OP8(a)(i)); a category added to the vocabulary below `missiles` is taken in.

  Rule: A missile of any kind below `missiles` is flagged

    @DPRK-AIR-DEFENCE-SUPPLY
    Scenario: Russia supplies surface-to-air missiles to North Korea
      Given the facts:
        """
        - id: ev-sam
          kind: arms_transfer
          summary: Russia supplied surface-to-air missiles to North Korea in 2024
          act: export
          supplier: RUS
          recipient: PRK
          items: [{category: surface_to_air_missile}]
          date: {month: 2024-11}
          modality: reported
          asserted_by: [USA]
        """
      When the rules are evaluated
      Then rule DPRK-AIR-DEFENCE-SUPPLY flags a possible violation about ev-sam
      And its provisions are 1718 OP8(a)(i)-(ii)
      And it holds Russia accountable

    @DPRK-AIR-DEFENCE-SUPPLY
    Scenario: Food supplied to North Korea is not flagged
      Given the facts:
        """
        - id: ev-food
          kind: goods_supply
          summary: Russia supplied food to North Korea in 2024
          supplier: RUS
          recipient: PRK
          items: [{category: food}]
          date: {month: 2024-11}
          modality: reported
          asserted_by: [USA]
        """
      When the rules are evaluated
      Then rule DPRK-AIR-DEFENCE-SUPPLY flags nothing
'''


def _category_from_readme() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## The vocabulary: item categories", 1)[1].split("\n## ", 1)[0]
    [block] = re.findall(r"```yaml\n(.*?)```", section, flags=re.S)
    first, _, body = block.partition("\n")
    assert first.startswith("# in vocabulary/categories.yaml")
    return body


def _python_hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for part in PARTS
        for p in sorted((root / part).rglob("*.py"))
        if "__pycache__" not in p.parts
    }


def test_a_new_category_goes_in_without_python(tmp_path: Path) -> None:
    project = tmp_path / "project"
    for part in PARTS:
        shutil.copytree(ROOT / part, project / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / ".ci", project / ".ci")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    before = _python_hashes(project)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), cwd=project, capture_output=True, text=True)

    vocab = project / "vocabulary" / "categories.yaml"
    vocab.write_text(vocab.read_text(encoding="utf-8") + _category_from_readme(), "utf-8")
    (project / "rules" / "dprk" / "missiles-to-dprk.yaml").write_text(RULE, "utf-8")
    (project / "features" / "dprk" / "missiles_to_dprk.feature").write_text(FEATURE, "utf-8")

    # before the schemas are refreshed, the staleness test says what to run
    stale = run(sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "tests/test_meta.py")
    assert stale.returncode != 0
    assert "sanctions schema facts > schemas/facts.schema.json" in stale.stdout
    for what in ("facts", "rules"):
        out = run(sys.executable, "-m", "engine.cli", "schema", what)
        assert out.returncode == 0, out.stderr
        (project / "schemas" / f"{what}.schema.json").write_text(out.stdout, "utf-8")
    assert "surface_to_air_missile" in (project / "schemas" / "facts.schema.json").read_text()

    validated = run(sys.executable, "-m", "engine.cli", "validate")
    assert validated.returncode == 0, validated.stderr

    suite = run(
        sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:randomly",
        "tests/test_features.py", "tests/test_meta.py", "tests/test_bundled_evaluation.py",
        "tests/test_bundled_facts.py", "tests/test_vocabulary.py",
    )  # fmt: skip
    assert suite.returncode == 0, suite.stdout[-4000:]
    assert "russia_supplies_surfacetoair_missiles_to_north_korea" in suite.stdout
    assert _python_hashes(project) == before, "adding a category must not need a Python edit"
