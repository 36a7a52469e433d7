"""The hostile-input corpus: every file under tests/hostile/ (and a few made here that git
cannot hold: links, named pipes, huge files) breaks `validate` and `evaluate` the same
plain way: exit 1, the file named with the expected code, no traceback, quickly, in bounded
memory, and nothing written.

A case's expected diagnostic code is the start of its file name (Y010-alias-bomb.yaml
expects Y010). Files under facts/ and rules/ are added to a copy of the bundled folders;
files under sources/ are source metadata added to facts/sources/.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from engine.safefiles import MAX_YAML_BYTES
from tests.helpers import ROOT

HOSTILE = Path(__file__).parent / "hostile"
TIME_LIMIT_S = 20  # generous: every case takes about a second
MEMORY_LIMIT = 2 * 1024**3  # address space of the child process


@dataclass(frozen=True)
class Case:
    name: str
    code: str
    place: Callable[[Path], Path]  # puts the case into the project; returns the file to name


def _copy(source: Path, folder: str) -> Callable[[Path], Path]:
    def place(project: Path) -> Path:
        target = project / folder / source.name
        shutil.copyfile(source, target)
        return target

    return place


def _stored_cases() -> list[Case]:
    cases = []
    for sub, folder in (("facts", "facts"), ("rules", "rules"), ("sources", "facts/sources")):
        for path in sorted((HOSTILE / sub).iterdir()):
            cases.append(Case(f"{sub}/{path.name}", path.name[:4], _copy(path, folder)))
    return cases


def _link(name: str, target: str) -> Callable[[Path], Path]:
    def place(project: Path) -> Path:
        link = project / name
        link.symlink_to(target)
        return link

    return place


def _loop(folder: str) -> Callable[[Path], Path]:
    def place(project: Path) -> Path:
        (project / folder / "b.yaml").symlink_to("a.yaml")
        (project / folder / "a.yaml").symlink_to("b.yaml")
        return project / folder / "a.yaml"

    return place


def _fifo(name: str) -> Callable[[Path], Path]:
    def place(project: Path) -> Path:
        os.mkfifo(project / name)
        return project / name

    return place


def _huge(project: Path) -> Path:
    path = project / "facts" / "huge.yaml"
    with open(path, "wb") as f:
        f.truncate(MAX_YAML_BYTES + 1)  # sparse: no disk space used, and never read
    return path


META = """id: hostile-source
title: A hostile source
publisher: Nobody
published: 2022-11-08
url: null
text: {text}
sha256: {sha}
"""


def _source(
    text_name: str, make_text: Callable[[Path], None], named: str = "meta"
) -> Callable[[Path], Path]:
    def place(project: Path) -> Path:
        folder = project / "facts" / "sources"
        meta = folder / "hostile.yaml"
        meta.write_text(META.format(text=text_name, sha="a" * 64), encoding="utf-8")
        make_text(folder / text_name)
        return meta if named == "meta" else folder / text_name

    return place


def _long_paragraph(path: Path) -> None:
    path.write_text("A first line.\n" + "Word. " * (240_000 // 6) + "\n", encoding="utf-8")


MADE = [
    Case("made/facts-link-loop", "Y009", _loop("facts")),
    Case("made/rules-link-loop", "Y009", _loop("rules")),
    Case("made/facts-link-outside", "Y009", _link("facts/passwd.yaml", "/etc/passwd")),
    Case("made/rules-folder-link-outside", "Y009", _link("rules/etc", "/etc")),
    Case("made/rules-dangling-link", "Y009", _link("rules/gone.yml", "nowhere.yml")),
    Case("made/facts-fifo", "Y008", _fifo("facts/pipe.yaml")),
    Case("made/rules-fifo", "Y008", _fifo("rules/pipe.YML")),
    Case("made/facts-huge-file", "Y007", _huge),
    Case(
        "made/source-text-dev-zero",
        "F127",
        _source("zero.txt", lambda p: p.symlink_to("/dev/zero")),
    ),
    Case(
        "made/source-text-dev-stdin",
        "F127",
        _source("in.txt", lambda p: p.symlink_to("/dev/stdin")),
    ),
    Case("made/source-text-fifo", "Y008", _source("pipe.txt", lambda p: os.mkfifo(p))),
    Case("made/source-240k-paragraph", "F128", _source("long.txt", _long_paragraph, "text")),
]

CASES = _stored_cases() + MADE


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _snapshot(folder: Path) -> dict[str, bytes | str]:
    out: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            out[key] = "-> " + os.readlink(path)
        elif path.is_file():
            out[key] = path.read_bytes()
        else:
            out[key] = "other"
    return out


def test_the_corpus_covers_every_class() -> None:
    codes = {c.code for c in CASES}
    wanted = {"Y002", "Y003", "Y004", "Y005", "Y006", "Y007", "Y008", "Y009", "Y010", "Y011"}
    wanted |= {"Y012", "Y013", "Y014", "Y015", "F101", "F102", "F105", "F111", "F127", "F128"}
    assert wanted <= codes, sorted(wanted - codes)


@pytest.mark.parametrize("command", ["validate", "evaluate"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_fails_closed(tmp_path: Path, case: Case, command: str) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "facts", project / "facts")
    shutil.copytree(ROOT / "rules", project / "rules")
    named = case.place(project)
    shown = str(named.relative_to(project))
    out = tmp_path / "out"
    out.mkdir()
    before = _snapshot(project)
    cmd = [sys.executable, "-m", "engine.cli", command, "--facts", "facts", "--rules", "rules"]
    if command == "evaluate":
        cmd += ["--output", str(out / "report.txt")]
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    env.pop("SANCTIONS_DEBUG", None)
    done = subprocess.run(
        cmd,
        cwd=project,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT_S,
        preexec_fn=_limit_memory,
    )
    err = done.stderr
    assert done.returncode == 1, err
    assert "Traceback" not in err + done.stdout and "internal error" not in err, err
    lines = [line for line in err.splitlines() if line.startswith(f"{shown}:")]
    assert any(f" error {case.code} " in line for line in lines), err
    assert list(out.iterdir()) == []
    assert _snapshot(project) == before
    assert "root:" not in err + done.stdout  # nothing of /etc/passwd is shown


@pytest.mark.parametrize("command", ["validate", "evaluate"])
@pytest.mark.parametrize("option", ["--facts", "--rules"])
@pytest.mark.parametrize("state", ["missing", "empty", "no-yaml"])
def test_a_missing_or_empty_folder_is_a_usage_error(
    tmp_path: Path, command: str, option: str, state: str
) -> None:
    from tests.helpers import run_cli

    folder = tmp_path / "given"
    if state != "missing":
        folder.mkdir()
    if state == "no-yaml":
        (folder / "notes.txt").write_text("not a rule", encoding="utf-8")
    other = "--rules" if option == "--facts" else "--facts"
    default = ROOT / ("rules" if other == "--rules" else "facts")
    result = run_cli(command, option, folder, other, default)
    assert result.code == 2
    assert str(folder) in result.err and option in result.err
    assert "Traceback" not in result.err
