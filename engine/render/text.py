"""The text report for a terminal or a pipe: fits the width, labels every sentence's source."""

from __future__ import annotations

import io
import re
from typing import Any

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from engine.render.common import (
    KIND_WORDS,
    counter_citations,
    evidence_words,
    group_by_provision,
    sentence_refs,
    source_labels,
    source_legend,
)

KIND_STYLES = {
    "possible_violation": "bold red",
    "evasion_indicator": "bold yellow",
    "risk": "yellow",
    "context": "cyan",
}
# From this width on, findings are laid out as tables; below, one after another.
TABLE_WIDTH = 110
# Trailing blanks, possibly interleaved with colour codes, at the end of a line.
_TRAILING = re.compile(r"(?:[ \t]|\x1b\[[0-9;]*m)+$")


def render_text(doc: dict[str, Any], *, width: int = 80, color: bool = False) -> str:
    """The findings grouped by provision, one table each, `width` columns wide at most."""
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=max(width, 40),
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )
    findings = doc["findings"]
    labels = source_labels(doc)
    console.print(
        f"{len(findings)} finding(s). Each is a possible issue to examine, not a legal "
        "determination."
    )
    if labels:
        console.print("Sources (sentence numbers are given per source):")
        for label, words in source_legend(doc, labels):
            console.print(Padding(Text(f"{label}  {words}"), (0, 0, 0, 2)))
    for heading, items in group_by_provision(findings).items():
        if width >= TABLE_WIDTH:
            console.print(_table(doc, heading, items, labels, color))
        else:
            _stacked(console, doc, heading, items, labels, color)
    if doc["not_flagged"]:
        console.print("Matched but not flagged:")
        for f in doc["not_flagged"]:
            console.print(f"  [{f['rule']['id']}] {'; '.join(f.get('reasons', []))}")
    if doc["unmatched_facts"]:
        console.print(
            f"Facts no rule used ({len(doc['unmatched_facts'])}): "
            + ", ".join(u["id"] for u in doc["unmatched_facts"])
        )
    return strip_trailing(buf.getvalue(), color)


def _kind(f: dict[str, Any], color: bool) -> Text:
    return Text(KIND_WORDS[f["kind"]], style=KIND_STYLES[f["kind"]] if color else "")


def _where(f: dict[str, Any], labels: dict[str, str], sep: str) -> str:
    where = sentence_refs(f["citations"], labels)
    counter = counter_citations(f)
    if counter:
        where += f"{sep}counter: {sentence_refs(counter, labels)}"
    return where


def _table(
    doc: dict[str, Any],
    heading: str,
    items: list[dict[str, Any]],
    labels: dict[str, str],
    color: bool,
) -> Table:
    """One table per provision, for a wide terminal."""
    table = Table(
        title=heading,
        title_justify="left",
        title_style="bold" if color else None,
        box=box.SIMPLE_HEAD,
        show_lines=True,
        expand=True,
    )
    table.add_column("Finding", ratio=2, overflow="fold")
    table.add_column("What", ratio=5, overflow="fold")
    table.add_column("Evidence", ratio=3, overflow="fold")
    table.add_column("Sentences", ratio=2, overflow="fold")
    for f in items:
        kind = _kind(f, color)
        kind.append(f"\n{f['severity']} severity\n{f['confidence']} confidence")
        table.add_row(
            kind,
            f"{f['message']}\n[{f['rule']['id']}]",
            evidence_words(doc, f),
            _where(f, labels, "\n"),
        )
    return table


def _stacked(
    console: Console,
    doc: dict[str, Any],
    heading: str,
    items: list[dict[str, Any]],
    labels: dict[str, str],
    color: bool,
) -> None:
    """The same content as the table, one finding after another: reads well in 80 columns."""
    console.print()
    console.print(Text(heading, style="bold" if color else ""))
    for f in items:
        head = _kind(f, color)
        head.append(f", {f['severity']} severity, {f['confidence']} confidence  ")
        head.append(f"[{f['rule']['id']}]")
        console.print(Padding(head, (1, 0, 0, 2)))
        for line in (
            f["message"],
            f"Evidence: {evidence_words(doc, f)}",
            f"Sentences: {_where(f, labels, '; ')}",
        ):
            console.print(Padding(Text(line), (0, 0, 0, 4)))


def strip_trailing(text: str, color: bool) -> str:
    """Drop the padding rich leaves at line ends (a colour reset stays where one was)."""
    out = []
    for line in text.split("\n"):
        stripped = _TRAILING.sub("", line)
        if color and "\x1b[" in line[len(stripped) :]:
            stripped += "\x1b[0m"
        out.append(stripped)
    return "\n".join(out)
