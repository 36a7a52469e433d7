"""`--output` writes whole or not at all, never over an input; Ctrl-C leaves no partial file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_cli


def _evaluate(*args: str | Path) -> tuple[int, str]:
    result = run_cli("evaluate", "--facts", ROOT / "facts", "--rules", ROOT / "rules", *args)
    assert "Traceback" not in result.err
    return result.code, result.err


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


def test_a_report_replaces_the_old_one_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    code, err = _evaluate("--format", "json", "--output", target)
    assert code == 0, err
    assert target.read_text(encoding="utf-8").startswith("{")
    assert _leftovers(tmp_path) == []


def test_a_link_where_the_report_goes_is_replaced_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (tmp_path / "report.json").symlink_to(victim)
    code, err = _evaluate("--output", tmp_path / "report.json")
    assert code == 0, err
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "report.json").is_symlink()


@pytest.mark.parametrize(
    "target",
    [
        "facts/actors.yaml",
        "facts/sources/article-2022-11-08-nk-denies-artillery.txt",
        "facts/sources/article-2022-11-08-nk-denies-artillery.yaml",
        "rules/dprk/new-report.yaml",
    ],
)
def test_an_output_among_the_inputs_is_refused(tmp_path: Path, target: str) -> None:
    import shutil

    shutil.copytree(ROOT / "facts", tmp_path / "facts")
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    result = run_cli(
        "evaluate",
        "--facts",
        tmp_path / "facts",
        "--rules",
        tmp_path / "rules",
        "--output",
        tmp_path / target,
    )
    assert result.code == 2
    assert "inside the input folder" in result.err and str(tmp_path / target) in result.err
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before


def test_a_link_into_the_inputs_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "innocent.json"
    link.symlink_to(ROOT / "facts" / "actors.yaml")
    code, err = _evaluate("--output", link)
    assert code == 2
    assert "innocent.json" in err


def test_a_missing_folder_names_the_path(tmp_path: Path) -> None:
    code, err = _evaluate("--output", tmp_path / "no" / "such" / "report.json")
    assert code == 2
    assert str(tmp_path / "no" / "such") in err
    assert "internal error" not in err


def test_an_unwritable_folder_names_the_path(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who may write anywhere (root)")
        code, err = _evaluate("--output", locked / "report.json")
        assert code == 2
        assert str(locked / "report.json") in err
    finally:
        locked.chmod(0o700)


def test_dev_null_is_written_directly() -> None:
    code, err = _evaluate("--output", "/dev/null")
    assert code == 0, err
    assert "Wrote" not in err  # no file was created


def test_two_runs_at_once_never_share_a_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "engine.cli", "evaluate", "--output", str(target)]
    runs = [subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE) for _ in range(2)]
    errors = [p.communicate(timeout=120)[1] for p in runs]
    assert [p.returncode for p in runs] == [0, 0], errors
    assert target.read_text(encoding="utf-8")
    assert _leftovers(tmp_path) == []


SLOW_WRITE = """
import os, sys, time
import engine.outfile as outfile
ready, target = sys.argv[1], sys.argv[2]
def slow_fsync(fd):
    open(ready, "w").close()  # tells the test that the temporary file exists
    time.sleep(30)
outfile.os.fsync = slow_fsync
sys.argv = ["sanctions", "evaluate", "--output", target]
from engine.cli import main
main()
"""


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_write_leaves_nothing(tmp_path: Path, signum: int, code: int) -> None:
    out = tmp_path / "out"
    out.mkdir()
    ready = tmp_path / "ready"
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITE, str(ready), str(out / "report.txt")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert _leftovers(out)  # the temporary file is there while the report is written
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == code
    assert err.strip().splitlines() == [
        "Interrupted: stopped before the end; no output file was written."
    ]
    assert list(out.iterdir()) == []
