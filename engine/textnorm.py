"""The one documented normalisation used to find a curator's quote in its source text.

Only two things are folded, in both the quote and the source, before the exact search:
  * typographic quotation marks: ‘ ’ ‚ ‛ ′ become ' and “ ” „ ‟ ″ become ";
  * white space: any run of spaces, tabs, line breaks or no-break spaces becomes one space,
    and leading or trailing white space is dropped.
Nothing else is changed: letters, case, dashes and punctuation must match exactly.
"""

from __future__ import annotations

SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032"
DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033"
_FOLD = {ord(c): "'" for c in SINGLE_QUOTES} | {ord(c): '"' for c in DOUBLE_QUOTES}


def normalise(text: str) -> str:
    return normalise_with_map(text)[0]


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index it came from in text."""
    out: list[str] = []
    index: list[int] = []
    pending_space = -1
    for i, ch in enumerate(text):
        if ch.isspace():
            if out and pending_space < 0:
                pending_space = i
            continue
        if pending_space >= 0:
            out.append(" ")
            index.append(pending_space)
            pending_space = -1
        out.append(ch.translate(_FOLD))
        index.append(i)
    return "".join(out), index
