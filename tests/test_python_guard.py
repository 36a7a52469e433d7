"""On an unsupported Python the package says so plainly before anything else fails."""

from __future__ import annotations

import glob
import shutil
import subprocess

import pytest

from tests.helpers import ROOT


def _python_313() -> str | None:
    candidates = [shutil.which("python3.13"), *glob.glob("/root/.pyenv/versions/3.13*/bin/python3")]
    for exe in filter(None, candidates):
        ok = subprocess.run([exe, "-c", "pass"], capture_output=True, check=False)
        if ok.returncode == 0:
            return exe
    return None


PY313 = _python_313()


@pytest.mark.skipif(PY313 is None, reason="no Python 3.13 on this machine")
def test_python_313_is_refused_with_a_plain_message() -> None:
    assert PY313 is not None
    proc = subprocess.run(
        [PY313, "-c", "import engine"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert proc.returncode != 0
    assert "needs Python 3.11 or 3.12" in proc.stderr
    assert "durable-rules 2.0.28" in proc.stderr
