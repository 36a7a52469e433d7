"""Small helpers so each test shows its own input inline."""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from engine.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SOURCE_ID = "article-2022-11-08-nk-denies-artillery"


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*args: str | Path) -> CliResult:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return CliResult(result.exit_code, result.stdout, result.stderr)


def facts_dir(
    tmp_path: Path, files: dict[str, str], *, actors: bool = True, provisions: bool = True
) -> Path:
    """A facts folder with the bundled article's source, optionally the bundled actors and
    provisions, and the given files (name -> YAML text, dedented)."""
    root = tmp_path / "facts"
    (root / "sources").mkdir(parents=True)
    for name in (f"{SOURCE_ID}.txt", f"{SOURCE_ID}.yaml"):  # the bundled article only
        shutil.copy(ROOT / "facts" / "sources" / name, root / "sources" / name)
    if actors:
        shutil.copy(ROOT / "facts" / "actors.yaml", root / "actors.yaml")
    if provisions:
        shutil.copytree(ROOT / "facts" / "provisions", root / "provisions")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def rules_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "rules"
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def evaluate_json(
    tmp_path: Path, rules: dict[str, str], facts: dict[str, str], *extra: str
) -> dict:  # type: ignore[type-arg]
    """Evaluate inline rules on the bundled actors and provisions plus inline facts."""
    import json

    fdir = facts_dir(tmp_path, facts)
    rdir = rules_dir(tmp_path, rules)
    result = run_cli("evaluate", "--facts", fdir, "--rules", rdir, "--format", "json", *extra)
    assert result.code == 0, result.err
    return json.loads(result.out)  # type: ignore[no-any-return]


def event(fid: str, kind: str, quote: str, **fields: object) -> str:
    """One fact as YAML text (flow style for nested values), for inline facts files."""
    import json

    lines = [f"  - id: {fid}", f"    kind: {kind}", f"    summary: test event {fid}"]
    fields.setdefault("asserted_by", ["la-times"])
    fields.setdefault("modality", "reported")
    for key, value in fields.items():
        lines.append(f"    {key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append(f"    cite: [{{quote: {json.dumps(quote, ensure_ascii=False)}}}]")
    return "\n".join(lines)


def facts_file(*events: str) -> str:
    return "source: article-2022-11-08-nk-denies-artillery\nfacts:\n" + "\n".join(events) + "\n"


_BUNDLED_CASE: Path | None = None


def bundled_case() -> Path:
    """A facts folder holding only the bundled article's case (with the shared actors and
    provisions), made once per test process, for tests that describe that article alone."""
    global _BUNDLED_CASE
    if _BUNDLED_CASE is None:
        import atexit
        import tempfile

        root = Path(tempfile.mkdtemp(prefix="bundled-case-")) / "facts"
        (root / "sources").mkdir(parents=True)
        for name in (f"{SOURCE_ID}.txt", f"{SOURCE_ID}.yaml"):
            shutil.copy(ROOT / "facts" / "sources" / name, root / "sources" / name)
        shutil.copy(ROOT / "facts" / "actors.yaml", root / "actors.yaml")
        shutil.copytree(ROOT / "facts" / "provisions", root / "provisions")
        shutil.copytree(ROOT / "facts" / "article-2022-11-08", root / "article-2022-11-08")
        atexit.register(shutil.rmtree, root.parent, True)
        _BUNDLED_CASE = root
    return _BUNDLED_CASE


PROJECT_PARTS = ("engine", "facts", "rules", "features", "tests", "schemas", "vocabulary")


def copy_project(tmp_path: Path) -> Path:
    """A copy of the project (code, data, tests, README) to replay a walk-through on."""
    project = tmp_path / "project"
    for part in PROJECT_PARTS:
        shutil.copytree(ROOT / part, project / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / ".ci", project / ".ci")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    return project


def python_hashes(root: Path) -> dict[str, str]:
    """SHA-256 of every Python file of a project copy: a walk-through must change none."""
    import hashlib

    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for part in PROJECT_PARTS
        for p in sorted((root / part).rglob("*.py"))
        if "__pycache__" not in p.parts
    }
