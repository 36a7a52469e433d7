"""The taxonomy of item categories (vocabulary/categories.yaml): how it is read and checked,
what `within` means in a rule, and how a provision's item scope takes in the categories below
the ones it names."""

from __future__ import annotations

import textwrap
import typing
from datetime import date
from pathlib import Path

import pytest

from engine.compiler import compile_test
from engine.diagnostics import Diagnostics
from engine.facts import ArmsTransfer, Item, ItemCategory, Provision
from engine.language.fields import lookup, model_fields
from engine.language.lowered import Test as FieldTest
from engine.legal_checks import covers_items
from engine.vocabulary import CATEGORIES_FILE, TAXONOMY, load_taxonomy, vocabulary_diagnostics
from tests.helpers import ROOT, evaluate_json, event, facts_dir, facts_file, rules_dir, run_cli


def _taxonomy(tmp_path: Path, text: str) -> tuple[object, list[str]]:
    path = tmp_path / "categories.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    diags = Diagnostics()
    taxonomy = load_taxonomy(path, diags)
    lines = [
        f"{d.location.line}:{d.location.col} {d.code} {d.message} | {d.hint}"
        for d in diags.sorted()
    ]
    return taxonomy, lines


def test_the_bundled_vocabulary_is_clean_and_nests_as_the_field_needs() -> None:
    assert vocabulary_diagnostics() == []
    assert CATEGORIES_FILE == ROOT / "vocabulary" / "categories.yaml"
    assert TAXONOMY.ancestors("ballistic_missile") == [
        "missiles",
        "missile_items",
        "arms_and_related_materiel",
    ]
    assert TAXONOMY.is_within("artillery_shells", "ammunition")
    assert TAXONOMY.is_within("ammunition", "arms_and_related_materiel")
    assert TAXONOMY.is_within("refined_petroleum", "petroleum_products")
    assert TAXONOMY.is_within("pure_bred_horses", "luxury_goods")
    # 1718 OP8(a)(i) names conventional arms but not small arms: they must not nest
    assert not TAXONOMY.is_within("small_arms", "conventional_arms")
    assert not TAXONOMY.is_within("arms_and_related_materiel", "ammunition")
    for c in TAXONOMY.categories.values():
        assert c.description and c.meaning, c.name


def test_the_fact_model_takes_its_categories_from_the_vocabulary() -> None:
    assert typing.get_args(ItemCategory) == TAXONOMY.names()
    assert Item(category="ballistic_missile").category == "ballistic_missile"
    with pytest.raises(ValueError):
        Item(category="ballistic_missiles")  # type: ignore[arg-type]


def test_every_category_the_bundled_facts_and_rules_use_is_in_the_vocabulary() -> None:
    result = run_cli("validate")
    assert result.code == 0, result.err


def test_an_unknown_parent_is_reported_at_its_line_with_a_hint(tmp_path: Path) -> None:
    taxonomy, lines = _taxonomy(
        tmp_path,
        """
        categories:
          missiles:
            description: m
            meaning: x
          ballistic_missile:
            within: missile
            description: b
            meaning: x
        """,
    )
    assert lines == [
        "6:13 V404 category 'ballistic_missile' is within 'missile', which is no category "
        "| did you mean 'missiles'?"
    ]
    # still known, as a top-level category, so facts using it are not errors too
    assert taxonomy.parent("ballistic_missile") is None  # type: ignore[attr-defined]


def test_a_loop_of_parents_is_reported_once(tmp_path: Path) -> None:
    taxonomy, lines = _taxonomy(
        tmp_path,
        """
        categories:
          a_cat: {within: c_cat, description: a, meaning: x}
          b_cat: {within: a_cat, description: b, meaning: x}
          c_cat: {within: b_cat, description: c, meaning: x}
          d_cat: {within: a_cat, description: d, meaning: x}
        """,
    )
    assert len(lines) == 1, lines
    assert (
        " V405 categories are within each other in a loop: a_cat within c_cat within b_cat "
        "within a_cat" in lines[0]
    )
    assert lines[0].startswith("2:19 ")
    # the loop is cut where it was reported: a_cat becomes top-level
    assert taxonomy.parent("a_cat") is None  # type: ignore[attr-defined]
    assert taxonomy.subtree("a_cat") == ("a_cat", "b_cat", "c_cat", "d_cat")  # type: ignore[attr-defined]


def test_a_category_given_twice_is_reported_by_the_yaml_reader(tmp_path: Path) -> None:
    _, lines = _taxonomy(
        tmp_path,
        """
        categories:
          missiles: {description: m, meaning: x}
          missiles: {description: m, meaning: y}
        """,
    )
    assert [line.split(" | ")[0] for line in lines] == [
        "3:3 Y004 duplicate key 'missiles' (first given on line 2)"
    ]


def test_every_mistake_in_entries_is_reported_in_one_pass(tmp_path: Path) -> None:
    _, lines = _taxonomy(
        tmp_path,
        """
        categories:
          missiles: {description: m, meaning: x}
          Rockets: {description: r, meaning: x}
          drones: {descripton: d, meaning: x}
        """,
    )
    assert len(lines) == 3, lines
    assert any(line.startswith("3:3 V403 'Rockets' is not a category name") for line in lines)
    assert any(
        "V401 unknown key 'descripton' in category 'drones' | did you mean 'description'?" in line
        for line in lines
    ), lines
    assert any("V402 category 'drones' has no 'description'" in line for line in lines)


def test_validate_reports_a_broken_vocabulary_with_the_other_problems(tmp_path: Path) -> None:
    """The vocabulary is read when the fact model is imported: a fresh process on a copy."""
    import shutil
    import subprocess
    import sys

    project = tmp_path / "project"
    for part in ("engine", "facts", "rules", "vocabulary"):
        shutil.copytree(ROOT / part, project / part, ignore=shutil.ignore_patterns("__pycache__"))
    vocab = project / "vocabulary" / "categories.yaml"
    text = vocab.read_text(encoding="utf-8")
    vocab.write_text(text.replace("within: missiles\n", "within: missils\n", 1), encoding="utf-8")
    line = next(i for i, s in enumerate(vocab.read_text().splitlines(), 1) if "missils" in s)
    out = subprocess.run(
        [sys.executable, "-m", "engine.cli", "validate"], cwd=project, capture_output=True,
        text=True,
    )  # fmt: skip
    assert out.returncode == 1
    assert (
        f"vocabulary/categories.yaml:{line}:13: error V404 category 'ballistic_missile' is "
        "within 'missils', which is no category" in out.stderr
    ), out.stderr
    assert "did you mean 'missiles'" in out.stderr


# -- within in rules ------------------------------------------------------------------------


def _spec(path: str):  # type: ignore[no-untyped-def]
    spec, _, _ = lookup(model_fields(ArmsTransfer), path)
    assert spec is not None
    return spec


def test_within_compiles_to_contains_any_over_the_subtree() -> None:
    spec = _spec("items.category")
    within = compile_test(FieldTest("items.category", spec, "within", "ammunition"))
    listed = compile_test(
        FieldTest("items.category", spec, "contains_any", ["ammunition", "artillery_shells"])
    )
    assert within == listed
    # a category with nothing below it is one contains test
    assert compile_test(FieldTest("items.category", spec, "within", "food")) == compile_test(
        FieldTest("items.category", spec, "contains", "food")
    )


RULE = """
    id: T-WITHIN
    title: test within
    status: active
    finding: possible_violation
    severity: high
    confidence: high
    rationale: tests the within operator
    legal_basis: [unscr-1874-op9]
    match:
      t:
        kind: arms_transfer
        where:
          items.category: {within: %s}
    message: m
"""


def test_within_matches_a_category_and_everything_below_it(tmp_path: Path) -> None:
    facts = facts_file(
        event("ev-missile", "arms_transfer", "one of the most armed countries", act="export",
              supplier="PRK", recipient="RUS", date={"day": "2022-09-01"},
              items=[{"category": "ballistic_missile"}]),
        event("ev-horses", "goods_supply", "30 thoroughbred horses", supplier="RUS",
              recipient="PRK", date={"day": "2022-09-01"},
              items=[{"category": "pure_bred_horses"}]),
        event("ev-fuel", "arms_transfer", "Russian fuel", act="export", supplier="PRK",
              recipient="RUS", date={"day": "2022-09-01"}, items=[{"category": "fuel"}]),
    )  # fmt: skip
    doc = evaluate_json(tmp_path, {"r.yaml": RULE % "arms_and_related_materiel"}, {"f.yaml": facts})
    assert [f["facts"] for f in doc["findings"]] == [["ev-missile"]]


def test_within_names_a_known_category_at_file_line_col(tmp_path: Path) -> None:
    rdir = rules_dir(tmp_path, {"r.yaml": RULE % "missle"})
    result = run_cli("validate", "--facts", facts_dir(tmp_path, {}), "--rules", rdir)
    assert result.code == 1
    assert "r.yaml:13:32: error R203 'missle' is not an item category" in result.err, result.err
    assert "did you mean 'missiles'" in result.err


def test_within_fits_only_a_list_of_item_categories(tmp_path: Path) -> None:
    rule = RULE.replace("items.category: {within: %s}", "asserted_by: {within: missiles}")
    rdir = rules_dir(tmp_path, {"r.yaml": rule})
    result = run_cli("validate", "--facts", facts_dir(tmp_path, {}), "--rules", rdir)
    assert result.code == 1
    assert "r.yaml:13:29: error R213 'within' does not fit 'asserted_by'" in result.err, result.err


# -- a provision's item scope ---------------------------------------------------------------


def _provision(*categories: str) -> Provision:
    return Provision.model_validate(
        {
            "kind": "provision",
            "id": "p",
            "regime": "dprk",
            "resolution": "S/RES/1 (2000)",
            "paragraph": "OP1",
            "paragraph_confirmed": True,
            "binding": True,
            "operative_verb": "decides",
            "bound": ["all_states"],
            "prohibits": "x",
            "item_categories": list(categories),
            "in_force": {"start": date(2000, 1, 1)},
            "cite": [{"document": "d", "paragraph": "p", "confirmation": "confirmed"}],
        }
    )


def test_a_provision_covers_the_categories_below_those_it_names() -> None:
    assert covers_items(_provision("arms_and_related_materiel"), {"ballistic_missile"})
    assert covers_items(_provision("refined_petroleum"), {"aviation_fuel", "food"})
    assert covers_items(_provision("luxury_goods"), {"pure_bred_horses"})
    # never upwards, nor across
    assert not covers_items(_provision("ballistic_missile"), {"missiles"})
    assert not covers_items(_provision("conventional_arms"), {"small_arms"})
    assert not covers_items(_provision("crude_oil"), {"refined_petroleum"})
    # no scope, or no items reported: not limited
    assert covers_items(_provision(), {"food"})
    assert covers_items(_provision("food"), set())


def test_within_a_category_with_too_many_below_it_is_refused(tmp_path: Path) -> None:
    """The engine's tables bound a list test (L309): `within` counts the categories it
    takes in. A fresh process on a copy whose vocabulary has 25 categories under `food`."""
    import shutil
    import subprocess
    import sys

    project = tmp_path / "project"
    for part in ("engine", "facts", "vocabulary"):
        shutil.copytree(ROOT / part, project / part, ignore=shutil.ignore_patterns("__pycache__"))
    vocab = project / "vocabulary" / "categories.yaml"
    extra = "".join(
        f"  food_{i}:\n    within: food\n    description: d\n    meaning: m\n" for i in range(24)
    )
    vocab.write_text(vocab.read_text(encoding="utf-8") + extra, encoding="utf-8")
    rules = project / "rules"
    rules.mkdir()
    (rules / "r.yaml").write_text(textwrap.dedent(RULE % "food").lstrip("\n"), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "engine.cli", "validate"], cwd=project, capture_output=True,
        text=True,
    )  # fmt: skip
    assert out.returncode == 1
    assert (
        "rules/r.yaml:13:32: error L309 'within: food' takes in 25 categories; the limit is 24"
        in out.stderr
    ), out.stderr
