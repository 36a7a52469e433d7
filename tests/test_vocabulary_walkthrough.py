"""Adding an item category and a fact kind are YAML edits: on a copy of the project, the
README's category goes into vocabulary/categories.yaml and its kind into vocabulary/kinds/,
a rule on each (testing `within:` a broader category) is documented by a feature written
with generic steps, and the suite passes with no Python file changed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT, copy_project, python_hashes

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


STS_RULE = """\
# yaml-language-server: $schema=../../schemas/rules.schema.json
id: DPRK-SHIP-TO-SHIP-PETROLEUM
title: Petroleum handed to North Korea in a ship-to-ship transfer
status: active
finding: risk
severity: medium
confidence: medium
rationale: >-
  Refined petroleum delivered to North Korea counts against the yearly cap of 2397 OP5; a
  transfer between ships at sea is a common way to keep it from being reported.
legal_basis: [unscr-2397-op5]
match:
  sts:
    kind: ship_to_ship_transfer
    where:
      receiving_state: PRK
      cargo.category: {within: petroleum_products}
in_force: sts
message: >-
  {sts.delivering_state} handed petroleum to North Korea at sea; it counts against
  {provisions}.
"""

STS_FEATURE = '''\
Feature: Ship-to-ship transfers of petroleum to North Korea
  A kind added in vocabulary/kinds/ is matched, checked and documented like any other.

  Rule: Petroleum handed over at sea is a risk under the cap

    @DPRK-SHIP-TO-SHIP-PETROLEUM
    Scenario: Refined petroleum handed to a North Korean tanker
      Given the facts:
        """
        - id: ev-sts
          kind: ship_to_ship_transfer
          summary: A tanker handed refined petroleum to a North Korean tanker in 2023
          delivering_state: RUS
          receiving_state: PRK
          cargo: [{category: refined_petroleum, description: diesel}]
          vessels: [Example One, Example Two]
          date: {month: 2023-05}
          modality: reported
          asserted_by: [USA]
        """
      When the rules are evaluated
      Then rule DPRK-SHIP-TO-SHIP-PETROLEUM flags a risk about ev-sts
      And its provisions are 2397 OP5

    @DPRK-SHIP-TO-SHIP-PETROLEUM
    Scenario: Medicine handed over at sea is not flagged
      Given the facts:
        """
        - id: ev-sts-medicine
          kind: ship_to_ship_transfer
          summary: A ship handed medicine to a North Korean ship in 2023
          delivering_state: RUS
          receiving_state: PRK
          cargo: [{category: medicine}]
          date: {month: 2023-05}
          modality: reported
          asserted_by: [USA]
        """
      When the rules are evaluated
      Then rule DPRK-SHIP-TO-SHIP-PETROLEUM flags nothing
'''


def _kind_from_readme() -> tuple[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## The vocabulary: fact kinds", 1)[1].split("\n## ", 1)[0]
    [block] = re.findall(r"```yaml\n(.*?)```", section, flags=re.S)
    first, _, body = block.partition("\n")
    assert first.startswith("# file: vocabulary/kinds/")
    return first[len("# file: ") :].strip(), body


def _category_from_readme() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## The vocabulary: item categories", 1)[1].split("\n## ", 1)[0]
    [block] = re.findall(r"```yaml\n(.*?)```", section, flags=re.S)
    first, _, body = block.partition("\n")
    assert first.startswith("# in vocabulary/categories.yaml")
    return body


def test_a_new_category_and_a_new_kind_go_in_without_python(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    before = python_hashes(project)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), cwd=project, capture_output=True, text=True)

    vocab = project / "vocabulary" / "categories.yaml"
    vocab.write_text(vocab.read_text(encoding="utf-8") + _category_from_readme(), "utf-8")
    (project / "rules" / "dprk" / "missiles-to-dprk.yaml").write_text(RULE, "utf-8")
    (project / "features" / "dprk" / "missiles_to_dprk.feature").write_text(FEATURE, "utf-8")
    kind_file, kind_yaml = _kind_from_readme()
    assert not (ROOT / kind_file).exists()
    (project / kind_file).write_text(kind_yaml, "utf-8")
    (project / "rules" / "dprk" / "ship-to-ship.yaml").write_text(STS_RULE, "utf-8")
    (project / "features" / "dprk" / "ship_to_ship.feature").write_text(STS_FEATURE, "utf-8")

    # before the schemas are refreshed, the staleness test says what to run
    stale = run(sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "tests/test_meta.py")
    assert stale.returncode != 0
    assert "sanctions schema facts > schemas/facts.schema.json" in stale.stdout
    for what in ("facts", "rules"):
        out = run(sys.executable, "-m", "engine.cli", "schema", what)
        assert out.returncode == 0, out.stderr
        (project / "schemas" / f"{what}.schema.json").write_text(out.stdout, "utf-8")
    schema = (project / "schemas" / "facts.schema.json").read_text()
    assert "surface_to_air_missile" in schema and '"const": "ship_to_ship_transfer"' in schema

    validated = run(sys.executable, "-m", "engine.cli", "validate")
    assert validated.returncode == 0, validated.stderr

    suite = run(
        sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:randomly",
        "tests/test_features.py", "tests/test_meta.py", "tests/test_bundled_evaluation.py",
        "tests/test_bundled_facts.py", "tests/test_vocabulary.py",
    )  # fmt: skip
    assert suite.returncode == 0, suite.stdout[-4000:]
    assert "russia_supplies_surfacetoair_missiles_to_north_korea" in suite.stdout
    assert "refined_petroleum_handed_to_a_north_korean_tanker" in suite.stdout
    assert python_hashes(project) == before, "adding a category or a kind needs no Python edit"
