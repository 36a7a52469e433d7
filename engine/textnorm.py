"""The one documented normalisation used to find a curator's quote in its source text.

Only two things are folded, in both the quote and the source, before the exact search:
  * typographic quotation marks: ‘ ’ ‚ ‛ ′ become ' and “ ” „ ‟ ″ become ";
  * white space: any run of spaces, tabs, line breaks or no-break spaces becomes one space,
    and leading or trailing white space is dropped.
Nothing else is changed: letters, case, dashes and punctuation must match exactly.
"""

from __future__ import annotations

import re

SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032"
DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033"
_FOLD = {ord(c): "'" for c in SINGLE_QUOTES} | {ord(c): '"' for c in DOUBLE_QUOTES}
_WORD = re.compile(r"\S+")  # \s is exactly str.isspace() for text patterns


def normalise(text: str) -> str:
    """normalise_with_map's text without the map (a quote needs no map): str.split() cuts at
    the runs of str.isspace() characters, as the word pattern does, and drops both ends."""
    return " ".join(text.split()).translate(_FOLD)


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index it came from in text.

    Word by word rather than character by character (a source may hold a million): the
    white space between two words becomes one space that points at where that run began."""
    out: list[str] = []
    index: list[int] = []
    end = -1
    for m in _WORD.finditer(text):
        if end >= 0:
            out.append(" ")
            index.append(end)
        out.append(m.group())
        index.extend(range(m.start(), m.end()))
        end = m.end()
    return "".join(out).translate(_FOLD), index
