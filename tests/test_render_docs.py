"""`sanctions docs`: living documentation, built from the rules, facts and features."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from tests.helpers import ROOT, run_cli


def _build(out: Path, *extra: str | Path) -> None:
    result = run_cli("docs", "--output", out, *extra)
    assert result.code == 0, result.err
    assert "page(s)" in result.err


def test_a_page_per_rule_and_an_index_of_provisions(tmp_path: Path) -> None:
    _build(tmp_path / "docs")
    rule_files = sorted((ROOT / "rules").rglob("*.yaml"))
    ids = [yaml.safe_load(p.read_text("utf-8"))["id"] for p in rule_files]
    pages = sorted(p.stem for p in (tmp_path / "docs" / "rules").glob("*.md"))
    assert pages == sorted(ids)
    index = (tmp_path / "docs" / "index.md").read_text("utf-8")
    for rid in ids:
        assert f"[{rid}](rules/{rid}.md)" in index
    # Every provision is listed, with the rules citing it.
    row = next(line for line in index.splitlines() if "(`unscr-1718-op8b`)" in line)
    assert "[DPRK-ARMS-EXPORT](rules/DPRK-ARMS-EXPORT.md)" in row
    assert "[DPRK-ARMS-PROCUREMENT](rules/DPRK-ARMS-PROCUREMENT.md)" in row
    assert "| 1874 OP9 (`unscr-1874-op9`) | NOT confirmed |" in index


def test_a_rule_page_says_why_what_and_where(tmp_path: Path) -> None:
    _build(tmp_path / "docs")
    page = (tmp_path / "docs" / "rules" / "DPRK-ARMS-EXPORT.md").read_text("utf-8")
    assert page.startswith("# DPRK-ARMS-EXPORT: North Korea exported arms or related materiel")
    assert "Resolution 1718 OP8(b) decides that North Korea shall cease" in page  # rationale
    assert "- **1874 OP9** (S/RES/1874 (2009), OP9; paragraph number NOT confirmed" in page
    assert (
        "Catch-all: the OP8(a) and OP8(b) measures of 1718 apply" in page
    )  # the provision's words
    assert "- `flow`: a fact of kind `dprk_arms_flow`" in page  # conditions in words
    assert "the reports of `flow` are at least `alleged`" in page
    assert "### An alleged shipment of shells to Russia, denied by North Korea" in page
    assert "Then a possible violation under 1718 OP8(b) is flagged" in page
    assert (
        '"Russia was in the process of purchasing millions of rockets and artillery shells'
        ' from North Korea"' in page
    )
    assert "(S1, sentence 24)" in page
    assert "(passed)" not in page  # no test results given


def test_conditions_use_the_operator_registry(tmp_path: Path) -> None:
    from engine.language.operators import OPERATORS

    _build(tmp_path / "docs")
    page = (tmp_path / "docs" / "rules" / "DPRK-LUXURY-GOODS.md").read_text("utf-8")
    assert f"`items.category` contains `luxury_goods` ({OPERATORS['contains'].doc})" in page
    assert "- and at least one of:" in page


def test_scenarios_show_the_last_test_run(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:randomly",
            f"--junitxml={junit}",
            "tests/test_features.py",
            "-k",
            "iran",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    _build(tmp_path / "docs", "--junit", junit)
    page = (tmp_path / "docs" / "rules" / "IRAN-2231-MTCR-TRANSFER.md").read_text("utf-8")
    assert (
        "### Iran's claim that the drones went before the war does not take them outside "
        "paragraph 4 (passed)" in page
    )
    other = (tmp_path / "docs" / "rules" / "CONTEXT-VETO.md").read_text("utf-8")
    assert "(not run)" in other


def test_docs_are_the_same_on_every_build(tmp_path: Path) -> None:
    _build(tmp_path / "a")
    _build(tmp_path / "b")
    for page in (tmp_path / "a").rglob("*.md"):
        twin = tmp_path / "b" / page.relative_to(tmp_path / "a")
        assert page.read_text("utf-8") == twin.read_text("utf-8"), page.name


def test_unwritable_output_is_a_usage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = run_cli("docs", "--output", blocker / "docs")
    assert result.code == 2
    assert "cannot write to" in result.err and "Traceback" not in result.err


def test_the_vscode_problem_matcher_reads_validate_output(tmp_path: Path) -> None:
    """The task's pattern (.vscode/tasks.json) matches every problem line of validate."""
    import json
    import re

    from tests.helpers import facts_dir

    raw = (ROOT / ".vscode" / "tasks.json").read_text("utf-8")
    tasks = json.loads(re.sub(r"^\s*//.*$", "", raw, flags=re.MULTILINE))
    task = next(t for t in tasks["tasks"] if t["label"] == "sanctions: validate")
    assert task["args"] == ["validate"]
    pattern = task["problemMatcher"]["pattern"]
    folder = facts_dir(tmp_path, {"bad.yaml": "- id: ev-x\n  kind: arms_transfer\n  supplyer: 1\n"})
    result = run_cli("validate", "--facts", folder)
    assert result.code == 1
    problems = [line for line in result.err.splitlines() if re.match(r"^\S.*:\d+:\d+: ", line)]
    assert problems
    for line in problems:
        m = re.match(pattern["regexp"], line)
        assert m, line
        assert Path(m.group(pattern["file"])).name == "bad.yaml"
        assert int(m.group(pattern["line"])) >= 1 and m.group(pattern["severity"]) == "error"
    for f in ("settings.json", "extensions.json"):
        text = (ROOT / ".vscode" / f).read_text("utf-8")
        json.loads(re.sub(r"^\s*//.*$", "", text, flags=re.MULTILINE))
