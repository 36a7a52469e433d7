"""The README's "Adding an article" walk-through, replayed on a copy of the project.

A fifth real article (tests/fixtures/articles/) goes in through `sanctions sources add`, gets
its facts, a whole-article feature, and a new rule with a feature written only with generic
steps; the tests that read the whole facts folder, the features and the meta-tests pass on
the copy with no Python file changed.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT, copy_project, python_hashes

SOURCE = "article-2024-02-21-iran-missiles-reuters"


def _section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("## Adding an article", 1)[1].split("\n## ", 1)[0]


def _command() -> list[str]:
    [block] = re.findall(r"```sh\n(.*?)```", _section(), flags=re.S)
    words = shlex.split(block.replace("\\\n", " "))
    assert words[0] == "sanctions"
    return [sys.executable, "-m", "engine.cli", *words[1:]]


def _files() -> dict[str, str]:
    files = {}
    for block in re.findall(r"```\w+\n(.*?)```", _section(), flags=re.S):
        first, _, body = block.partition("\n")
        if first.startswith("# file: "):
            files[first[len("# file: ") :].strip()] = body
    return files


def test_a_fifth_article_goes_in_without_python(tmp_path: Path) -> None:
    files = _files()
    assert sorted(files) == [
        f"facts/{SOURCE}/facts.yaml",
        "features/article/iran_missiles_2024_02.feature",
        "features/iran/admitted_shipments.feature",
        "rules/iran/admitted-shipments.yaml",
    ]
    project = copy_project(tmp_path)
    before = python_hashes(project)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), cwd=project, capture_output=True, text=True)

    added = run(*_command())
    assert added.returncode == 0, added.stderr
    assert (project / "facts" / "sources" / f"{SOURCE}.txt").read_bytes() == (
        ROOT / "tests" / "fixtures" / "articles" / "iran-missiles-reuters-2024-02.txt"
    ).read_bytes()
    for name, body in files.items():
        assert not (ROOT / name).exists(), f"{name} already exists: the walk-through must add it"
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(body, encoding="utf-8")

    validated = run(sys.executable, "-m", "engine.cli", "validate")
    assert validated.returncode == 0, validated.stderr
    out = run(
        sys.executable, "-m", "engine.cli", "evaluate", "--source", SOURCE, "--format", "json"
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert [(f["rule"]["id"], f["kind"]) for f in doc["findings"]] == [
        ("IRAN-ADMITTED-SHIPMENTS", "context")
    ]
    assert sorted(n["rule"]["id"] for n in doc["not_flagged"]) == [
        "IRAN-2231-ARMS-EXPORT",
        "IRAN-2231-MTCR-TRANSFER",
    ]

    # on the copy: every test that reads the whole facts folder, the features (the new one
    # included) and the meta-tests; the rest of the suite does not read facts/ as a whole
    suite = run(
        sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:randomly",
        "tests/test_features.py", "tests/test_meta.py", "tests/test_bundled_evaluation.py",
        "tests/test_bundled_facts.py", "tests/test_cases.py", "tests/test_cases_articles.py",
        "tests/test_engine_determinism.py", "tests/test_readme.py",
    )  # fmt: skip
    assert suite.returncode == 0, suite.stdout[-4000:]
    assert "january_2024_shipments_are_set_aside" in suite.stdout
    assert "an_iranian_official_confirms_the_shipments" in suite.stdout
    assert python_hashes(project) == before, "the walk-through must not need a Python edit"
