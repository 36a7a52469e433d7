"""Checks over the whole registry; each lists every offender in one failure."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from engine.facts import Provision
from engine.language.lowered import RuleSet
from engine.loader import FactSet
from engine.schemas import schema_for
from tests.helpers import ROOT

OTHER_TAGS = {"article"}


@pytest.fixture(scope="module")
def scenario_records(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """Run the features once more, recording which rules each scenario fired."""
    out = tmp_path_factory.mktemp("features") / "record.jsonl"
    env = dict(os.environ, SANCTIONS_FEATURE_RECORD=str(out))
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "tests/test_features.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def _active(rules: RuleSet) -> list[str]:
    return sorted(r.rule.id for r in rules.rules if r.rule.status == "active")


def test_every_active_rule_has_a_legal_basis(bundled: tuple[FactSet, RuleSet]) -> None:
    facts, rules = bundled
    offenders = [
        r.rule.id
        for r in rules.rules
        if r.rule.status == "active"
        and not all(isinstance(facts.facts.get(p), Provision) for p in r.rule.legal_basis)
    ]
    assert not offenders, "\n".join(offenders)


def test_every_active_rule_has_a_scenario_that_fires_and_one_that_does_not(
    bundled: tuple[FactSet, RuleSet], scenario_records: list[dict[str, Any]]
) -> None:
    _, rules = bundled
    missing = []
    for rid in _active(rules):
        tagged = [s for s in scenario_records if rid in s["tags"]]
        if not any(rid in s["fired"] for s in tagged):
            missing.append(f"{rid}: no tagged scenario where it fires")
        if not any(rid not in s["fired"] for s in tagged):
            missing.append(f"{rid}: no tagged scenario where it must not fire")
    assert not missing, "\n".join(missing)


def test_every_provision_is_used_by_a_rule_or_marked_as_context(
    bundled: tuple[FactSet, RuleSet],
) -> None:
    facts, rules = bundled
    used = {p for r in rules.rules for p in r.rule.legal_basis}
    unused = [
        p.id
        for p in facts.of_kind("provision")  # type: ignore[attr-defined]
        if p.id not in used and not p.context_only
    ]  # type: ignore[attr-defined]
    assert not unused, "\n".join(unused)


def _feature_tags() -> dict[str, set[str]]:
    tags: dict[str, set[str]] = {}
    for path in sorted((ROOT / "features").rglob("*.feature")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("@"):
                for tag in re.findall(r"@(\S+)", line):
                    tags.setdefault(tag, set()).add(str(path.relative_to(ROOT)))
    return tags


def test_every_feature_tag_names_an_existing_rule(bundled: tuple[FactSet, RuleSet]) -> None:
    _, rules = bundled
    known = {r.rule.id for r in rules.rules} | OTHER_TAGS
    unknown = sorted(
        f"{tag} in {', '.join(sorted(files))}"
        for tag, files in _feature_tags().items()
        if tag not in known
    )
    assert not unknown, "\n".join(unknown)


def test_features_contain_only_feature_files() -> None:
    others = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "features").rglob("*")
        if p.is_file() and p.suffix != ".feature"
    ]
    assert not others, "\n".join(others)


def test_feature_text_speaks_the_domain_not_the_files() -> None:
    """Steps for policy staff never name YAML keys or files. Doc strings are exempt: the
    generic `Given the facts:` step takes facts written exactly as in facts files."""
    words = re.compile(r"\.ya?ml\b|\b(legal_basis|where|match|unless|any_of|same_as|kind)\b:")
    offenders = []
    for path in sorted((ROOT / "features").rglob("*.feature")):
        in_docstring = False
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip() in ('"""', "```"):
                in_docstring = not in_docstring
            elif not in_docstring and words.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("what", ["rules", "facts"])
def test_published_schemas_are_current(what: str) -> None:
    path = ROOT / "schemas" / f"{what}.schema.json"
    expected = json.dumps(schema_for(what), indent=2, sort_keys=True) + "\n"
    assert path.read_text(encoding="utf-8") == expected, (
        f"{path.name} is stale: run 'sanctions schema {what} > schemas/{what}.schema.json'"
    )


def test_rule_files_point_editors_at_the_schema() -> None:
    missing = [
        str(p.relative_to(ROOT))
        for p in sorted((ROOT / "rules").rglob("*.yaml"))
        if "yaml-language-server: $schema=" not in p.read_text(encoding="utf-8")
    ]
    assert not missing, "\n".join(missing)


def test_every_operator_is_documented() -> None:
    from engine.language.model import Condition
    from engine.language.operators import OPERATORS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = {(f.alias or n) for n, f in Condition.model_fields.items()}
    assert names == set(OPERATORS)
    undocumented = sorted(op for op in OPERATORS if f"`{op}`" not in readme)
    assert not undocumented, "\n".join(undocumented)


def test_rule_files_live_in_a_regime_folder(bundled: tuple[FactSet, RuleSet]) -> None:
    _, rules = bundled
    flat = [r.file for r in rules.rules if len(Path(r.file).parts) < 3]
    assert not flat, "\n".join(flat)


def test_readme_operator_table_is_current() -> None:
    from engine.docs import render

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert render(text) == text, "README operator table is stale: run 'python -m engine.docs'"
