"""The text report for a terminal or a pipe: fits the width, labels every sentence's source.

The report is laid out once, as lines to print (`_layout`). On a terminal (colour, or
wide enough for tables) rich prints them. Piped or written to a file, the report is plain,
80 columns, one finding after another: those lines are wrapped here exactly as rich wraps
them (tests/test_perf_cold_text.py holds the two to the same bytes), because importing and
running rich was a tenth of a cold `sanctions evaluate` (issue 12). Text with a character
that is not one cell wide on screen goes to rich, which measures it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from engine.render.common import (
    KIND_WORDS,
    counter_citations,
    evidence_words,
    group_by_provision,
    sentence_refs,
    source_labels,
    source_legend,
)

if TYPE_CHECKING:
    from rich.table import Table

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

# What the report prints, in order:
#   ("line", indent, space_above, text, style): text wrapped to the width less the indent
#       (rich's Padding), after a blank line when space_above; style is for the whole line;
#   ("blank",): an empty line;
#   ("table", heading, findings): one provision's findings as a table (rich only).
Item = tuple[Any, ...]

# Characters one cell wide that rich wraps as one character each (no tab, no control
# character, no combining mark): ASCII, Latin, and the quotes and dashes of news text.
_ONE_CELL = re.compile(r"[\x20-\x7e\xa0-\xac\xae-\u02ff\u2010-\u2027\u2030-\u205e]*")
# rich's word: a run of non-blanks with the blanks after it (rich/_wrap.py)
_WORD = re.compile(r"\s*\S+\s*")


def render_text(doc: dict[str, Any], *, width: int = 80, color: bool = False) -> str:
    """The findings grouped by provision, one table each, `width` columns wide at most."""
    width = max(width, 40)
    items = _layout(doc, wide=width >= TABLE_WIDTH, color=color)
    if not color and all(_plain(item) for item in items):
        return _render_plain(items, width)
    return _render_rich(items, doc, width, color)


def _layout(doc: dict[str, Any], *, wide: bool, color: bool) -> list[Item]:
    findings = doc["findings"]
    labels = source_labels(doc)
    items: list[Item] = [
        _line(
            f"{len(findings)} finding(s). Each is a possible issue to examine, not a legal "
            "determination."
        )
    ]
    if labels:
        items.append(_line("Sources (sentence numbers are given per source):"))
        for label, words in source_legend(doc, labels):
            items.append(_line(f"{label}  {words}", indent=2))
    for heading, group in group_by_provision(findings).items():
        if wide:
            items.append(("table", heading, group))
            continue
        items.append(("blank",))
        items.append(_line(heading, style="bold" if color else ""))
        for f in group:
            head = (
                f"{KIND_WORDS[f['kind']]}, {f['severity']} severity, {f['confidence']} "
                f"confidence  [{f['rule']['id']}]"
            )
            style = KIND_STYLES[f["kind"]] if color else ""
            items.append(_line(head, indent=2, space_above=True, style=style))
            for text in (
                f["message"],
                f"Evidence: {evidence_words(doc, f)}",
                f"Sentences: {_where(f, labels, '; ')}",
            ):
                items.append(_line(text, indent=4))
    if doc["not_flagged"]:
        items.append(_line("Matched but not flagged:"))
        for f in doc["not_flagged"]:
            items.append(_line(f"  [{f['rule']['id']}] {'; '.join(f.get('reasons', []))}"))
    if doc["unmatched_facts"]:
        items.append(
            _line(
                f"Facts no rule used ({len(doc['unmatched_facts'])}): "
                + ", ".join(u["id"] for u in doc["unmatched_facts"])
            )
        )
    return items


def _line(text: str, *, indent: int = 0, space_above: bool = False, style: str = "") -> Item:
    return ("line", indent, space_above, text, style)


def _where(f: dict[str, Any], labels: dict[str, str], sep: str) -> str:
    where = sentence_refs(f["citations"], labels)
    counter = counter_citations(f)
    if counter:
        where += f"{sep}counter: {sentence_refs(counter, labels)}"
    return where


# -- plain: piped or to a file ----------------------------------------------------------------


def _plain(item: Item) -> bool:
    return item[0] == "blank" or (item[0] == "line" and _ONE_CELL.fullmatch(item[3]) is not None)


def _render_plain(items: list[Item], width: int) -> str:
    out: list[str] = []
    for item in items:
        if item[0] == "blank":
            out.append("")
            continue
        _, indent, space_above, text, _ = item
        if space_above:
            out.append("")
        room = width - indent
        margin = " " * indent
        out.extend((margin + line[:room]).rstrip(" \t") for line in wrap(text, room))
    return "".join(line + "\n" for line in out)


def wrap(text: str, width: int) -> list[str]:
    """`text` cut into lines as rich cuts it (rich/_wrap.py `divide_line`, folding words
    longer than a line), for text of one-cell characters only. A line may end in blanks
    beyond `width`, which rich crops."""
    breaks: list[int] = []
    used = 0  # columns taken on the current line
    match = _WORD.match(text)
    while match is not None:
        start, end = match.span()
        word = match.group()
        length = len(word.rstrip())
        if width - used >= length:
            used += len(word)
        elif length > width:  # longer than a line: folded across lines
            chunks = [word[i : i + width] for i in range(0, len(word), width)]
            for chunk in chunks:
                if start:
                    breaks.append(start)
                start += len(chunk)
            used = len(chunks[-1])
        elif used and start:
            breaks.append(start)
            used = len(word)
        match = _WORD.match(text, end)
    bounds = [0, *breaks, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


# -- rich: on a terminal ------------------------------------------------------------------------


def _render_rich(items: list[Item], doc: dict[str, Any], width: int, color: bool) -> str:
    import io

    from rich.console import Console
    from rich.padding import Padding
    from rich.text import Text

    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )
    for item in items:
        if item[0] == "blank":
            console.print()
        elif item[0] == "table":
            console.print(_table(doc, item[1], item[2], source_labels(doc), color))
        else:
            _, indent, space_above, text, style = item
            line = Text(text, style=style)
            if indent or space_above:
                console.print(Padding(line, (int(space_above), 0, 0, indent)))
            else:
                console.print(line)
    return strip_trailing(buf.getvalue(), color)


def _table(
    doc: dict[str, Any],
    heading: str,
    items: list[dict[str, Any]],
    labels: dict[str, str],
    color: bool,
) -> Table:
    """One table per provision, for a wide terminal."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

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
        kind = Text(KIND_WORDS[f["kind"]], style=KIND_STYLES[f["kind"]] if color else "")
        kind.append(f"\n{f['severity']} severity\n{f['confidence']} confidence")
        table.add_row(
            kind,
            f"{f['message']}\n[{f['rule']['id']}]",
            evidence_words(doc, f),
            _where(f, labels, "\n"),
        )
    return table


def strip_trailing(text: str, color: bool) -> str:
    """Drop the padding rich leaves at line ends (a colour reset stays where one was)."""
    out = []
    for line in text.split("\n"):
        stripped = _TRAILING.sub("", line)
        if color and "\x1b[" in line[len(stripped) :]:
            stripped += "\x1b[0m"
        out.append(stripped)
    return "\n".join(out)
