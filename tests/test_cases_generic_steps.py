"""Generic steps: a new rule about facts no readable step knows (here, actors alone) is
documented without Python, and the meta-test (a scenario that fires, one that does not) is
satisfied on a copy."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.helpers import copy_project

RULE = """\
# yaml-language-server: $schema=../../schemas/rules.schema.json
id: CONTEXT-NON-MEMBER-STATE
title: A State that is not a UN Member State is named
status: active
finding: context
severity: info
confidence: high
rationale: >-
  Duties of "all Member States" do not bind a State outside the UN; worth noting.
legal_basis: [un-charter-art27-3]
match:
  state:
    kind: state
    where:
      un_member: false
message: "{state.name} is not a UN Member State."
"""

FEATURE = '''\
Feature: States outside the United Nations
  Duties of all Member States do not bind a State outside the UN.

  Rule: A State that is not a UN Member State is noted

    @CONTEXT-NON-MEMBER-STATE
    Scenario: A non-member State is named
      Given the facts:
        """
        - id: VAT
          kind: state
          name: Holy See
          iso3: VAT
          un_member: false
          cite: [{quote: "The Holy See is not a UN Member State"}]
        """
      When the rules are evaluated
      Then rule CONTEXT-NON-MEMBER-STATE records a context note about VAT
      And its provisions are Charter Article 27(3)
      And it rests on the facts VAT
      And it has no counter-evidence

    @CONTEXT-NON-MEMBER-STATE
    Scenario: Only Member States are named
      Given the facts:
        """
        - id: NOR
          kind: state
          name: Norway
          iso3: NOR
          un_member: true
        """
      When the rules are evaluated
      Then rule CONTEXT-NON-MEMBER-STATE flags nothing
'''


def test_a_rule_about_actors_alone_satisfies_the_meta_test(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "rules" / "context" / "non-member.yaml").write_text(RULE, encoding="utf-8")
    feature = project / "features" / "context" / "non_member.feature"
    feature.write_text(textwrap.dedent(FEATURE), encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:randomly",
            "tests/test_features.py", "tests/test_meta.py",
            "-k", "member_state or scenario_that_fires",
        ],
        cwd=project, capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:]
    for test in (
        "test_a_nonmember_state_is_named",
        "test_only_member_states_are_named",
        "test_every_active_rule_has_a_scenario_that_fires_and_one_that_does_not",
    ):
        assert re.search(rf"PASSED tests/test_\w+\.py::{test}\b", proc.stdout), test


def _scenario_problem(tmp_path: Path, doc: str) -> str:
    from tests.steps.generic_steps import the_facts
    from tests.steps.world import World

    world = World()
    the_facts(world, textwrap.dedent(doc))
    try:
        world.evaluate(tmp_path)
    except AssertionError as exc:
        return str(exc)
    raise AssertionError("the scenario's facts were accepted")


def test_a_wrong_fact_in_a_scenario_is_named_with_the_check_of_facts_files(
    tmp_path: Path,
) -> None:
    fact = """
        - id: ev-rail
          kind: trade_link
          summary: Iraq and China resumed rail freight on 2 November 2022
          parties: [{actor}, CHN]
          mode: {mode}
          action: resumed
          date: {{day: 2022-11-02}}
          modality: confirmed
          asserted_by: [la-times]
        """
    unknown_actor = _scenario_problem(tmp_path / "a", fact.format(actor="IRQ", mode="rail"))
    assert (
        "in the scenario's fact 'ev-rail': error F111 'IRQ' names no known actor; "
        "did you mean 'IRN'?" in unknown_actor
    )
    typo = _scenario_problem(tmp_path / "b", fact.format(actor="CHN", mode="rial"))
    assert "in the scenario's fact 'ev-rail': error F103 'rial' is not allowed" in typo
