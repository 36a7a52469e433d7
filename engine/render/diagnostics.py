"""validate's problems for tools: JSON, SARIF or GitHub annotations."""

from __future__ import annotations

from collections.abc import Sequence

from engine.diagnostics import Diagnostic, render_json


def render_diagnostics(fmt: str, items: Sequence[Diagnostic]) -> str:
    """Always a complete document, also when there is no problem (an empty list)."""
    if fmt == "json":
        return render_json(items) + "\n"
    from engine.render.sarif import diagnostics_github, diagnostics_sarif

    if fmt == "sarif":
        return diagnostics_sarif(items)
    if fmt == "github":
        return diagnostics_github(items)
    raise ValueError(f"unknown format {fmt!r}")
