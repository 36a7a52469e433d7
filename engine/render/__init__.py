"""Readable renderings of the findings document: text, HTML, Markdown and SARIF.

Every renderer reads the findings JSON document (README, "Findings (JSON contract)") and,
where it must show the articles themselves, the sources of the FactSet; nothing here
depends on how the engine found the findings.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the command line imports FORMATS before it knows it needs the facts
    from engine.loader import FactSet

FORMATS = ("text", "json", "html", "markdown", "sarif")


def render(
    fmt: str,
    doc: dict[str, Any],
    facts: FactSet,
    *,
    width: int = 80,
    color: bool = False,
    rules_dir: Path | None = None,
) -> str:
    """The document in one of FORMATS, as one string ready to write."""
    if fmt == "json":
        from engine.report import to_json

        return to_json(doc)
    if fmt == "text":
        from engine.render.text import render_text

        return render_text(doc, width=width, color=color)
    if fmt == "markdown":
        from engine.render.markdown import render_markdown

        return render_markdown(doc)
    if fmt == "html":
        from engine.render.html import render_html

        return render_html(doc, facts)
    if fmt == "sarif":
        from engine.render.catalog import load_catalog
        from engine.render.sarif import render_sarif

        catalog = load_catalog(rules_dir) if rules_dir is not None else None
        return render_sarif(doc, facts, catalog)
    raise ValueError(f"unknown format {fmt!r}")


def terminal() -> tuple[int, bool]:
    """(width, colour) for text written to standard output: the terminal's width and colour
    on a terminal; 80 columns and no colour when piped; never colour with NO_COLOR set."""
    if not sys.stdout.isatty():
        return 80, False
    import shutil

    width = shutil.get_terminal_size((80, 24)).columns
    color = not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    return width, color


def for_cli(fmt: str, doc: dict[str, Any], facts: FactSet, rules_dir: Path, to_stdout: bool) -> str:
    """The report as `sanctions evaluate` writes it: a file gets 80 columns and no colour."""
    width, color = terminal() if to_stdout else (80, False)
    return render(fmt, doc, facts, width=width, color=color, rules_dir=rules_dir)
