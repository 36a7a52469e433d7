"""The text and Markdown reports: width, padding, colour, source labels, `--output -`."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from engine.render import terminal
from engine.render.markdown import render_markdown
from engine.render.text import render_text
from tests.helpers import ROOT, bundled_case, run_cli
from tests.render_support import evaluated, hostile_case

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return json.loads(run_cli("evaluate", "--facts", bundled_case(), "--format", "json").out)  # type: ignore[no-any-return]


@pytest.mark.parametrize("width", [60, 80, 100, 140])
def test_text_fits_the_width_without_trailing_blanks(doc: dict[str, Any], width: int) -> None:
    text = render_text(doc, width=width)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    assert [line for line in lines if line != line.rstrip()] == []
    assert not ANSI.search(text)
    assert f"{len(doc['findings'])} finding(s)." in text
    for f in doc["findings"]:
        assert f"[{f['rule']['id']}]" in text.replace("\n", "")


def test_every_sentence_number_names_its_source(tmp_path: Path) -> None:
    two_sources, _ = evaluated(*hostile_case(tmp_path))
    text = render_text(two_sources, width=80)
    assert "S1  article-2022-11-08-nk-denies-artillery" in text
    assert "S2  test-hostile-markup" in text
    assert "Sentences: S2: 2; counter: S2: 3" in text
    wide = render_text(two_sources, width=140)
    assert "S2: 2" in wide and "counter: S2: 3" in wide


def test_colour_only_when_asked(doc: dict[str, Any]) -> None:
    coloured = render_text(doc, width=80, color=True)
    assert ANSI.search(coloured)
    plain = ANSI.sub("", coloured).splitlines()
    assert plain == [line.rstrip() for line in render_text(doc, width=80).splitlines()]


def test_terminal_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    assert terminal() == (80, False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "132")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert terminal() == (132, True)
    monkeypatch.setenv("NO_COLOR", "1")
    assert terminal() == (132, False)


def _on_a_terminal(env: dict[str, str]) -> str:
    """Run `sanctions evaluate` with its output on a pseudo-terminal; return what it wrote."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "engine.cli", "evaluate"],
        cwd=ROOT,
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **env},
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(leader)
    assert proc.returncode == 0
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_a_real_terminal_gets_colour_and_its_width_unless_no_color() -> None:
    env = {"COLUMNS": "100", "TERM": "xterm-256color"}
    coloured = _on_a_terminal({**env, "NO_COLOR": ""})
    assert ANSI.search(coloured)
    assert max(len(ANSI.sub("", line)) for line in coloured.splitlines()) <= 100
    plain = _on_a_terminal({**env, "NO_COLOR": "1"})
    assert not ANSI.search(plain)


def test_piped_output_is_80_columns_and_plain() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "engine.cli", "evaluate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        check=True,
    )
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert not ANSI.search(result.stdout)
    assert [line for line in lines if line != line.rstrip()] == []


def test_output_dash_means_stdout(tmp_path: Path) -> None:
    result = run_cli("evaluate", "--facts", bundled_case(), "--format", "markdown", "--output", "-")
    assert result.code == 0, result.err
    assert result.out.startswith("# Findings: 14")
    assert not Path("-").exists()


def test_markdown_groups_by_provision_with_labelled_quotes(doc: dict[str, Any]) -> None:
    md = render_markdown(doc)
    assert "## 1718 OP8(b); 1874 OP9 \\[number unconfirmed\\]" in md
    assert (
        '> "Russia was in the process of purchasing millions of rockets and artillery shells'
        ' from North Korea"' in md
    )
    assert "> (S1, sentence 24)" in md
    assert md.count("\n### ") == len(doc["findings"])
    assert "- **S1**: article-2022-11-08-nk-denies-artillery" in md


def test_markdown_escapes_markup(tmp_path: Path) -> None:
    hostile, _ = evaluated(*hostile_case(tmp_path))
    md = render_markdown(hostile)
    assert not re.search(r"(?<!\\)<", md), "a < not escaped"
    assert "\\<script\\>window.\\_\\_pwned = 1\\</script\\>" in md
