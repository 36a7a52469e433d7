"""The plain text report (piped or to a file) is wrapped without rich, byte for byte as rich
wraps it: rich is the oracle here (engine/render/text.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from engine.render import text
from tests.helpers import bundled_case, run_cli

# Words as news text has them: short and long (longer than a line, folded), blanks in runs,
# no-break spaces, typographic quotes and dashes, accented letters.
_pieces = st.one_of(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz.,;:()[]-'\"", min_size=1, max_size=12),
    st.text(alphabet="xyz", min_size=30, max_size=200),
    st.sampled_from([" ", "  ", "   ", "\u00a0", " \u00a0 ", "“", "”", "’", "—", "–", "é", "ü"]),
    st.sampled_from(["\u2010", "\u2026", "\u2030", "\u205e", "\u00ff", "\u02ff", "\u00ae"]),
)
_texts = st.lists(_pieces, max_size=40).map("".join)
_items = st.lists(
    st.one_of(
        st.tuples(st.just("line"), st.sampled_from([0, 2, 4]), st.booleans(), _texts, st.just("")),
        st.just(("blank",)),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=400, deadline=None)
@given(items=_items, width=st.integers(min_value=40, max_value=109))
# no-break spaces are blanks that stay at a line's end, but not beyond the width
@example(items=[("line", 0, False, "a" * 78 + "\u00a0" * 5 + "b", "")], width=80)
def test_plain_wrapping_is_riches(items: list[Any], width: int) -> None:
    assert all(text._plain(item) for item in items)
    assert text._render_plain(items, width) == text._render_rich(items, {}, width, False)


def test_every_character_taken_as_plain_is_one_cell_wide() -> None:
    ranges = [(0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF), (0x2010, 0x2027), (0x2030, 0x205E)]
    chars = "".join(chr(c) for lo, hi in ranges for c in range(lo, hi + 1))
    assert text._ONE_CELL.fullmatch(chars)
    assert [c for c in chars if cell_len(c) != 1] == []
    for c in ["\t", "\n", "\r", "\x0b", "\u00ad", "\u0301", "\u200b", "\u2028", "\u202a", "日"]:
        assert not text._ONE_CELL.fullmatch(f"a{c}b"), repr(c)


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return json.loads(run_cli("evaluate", "--facts", bundled_case(), "--format", "json").out)  # type: ignore[no-any-return]


@pytest.mark.parametrize("width", [40, 57, 80, 109])
def test_the_bundled_report_is_the_same_plain_or_through_rich(
    doc: dict[str, Any], width: int
) -> None:
    items = text._layout(doc, wide=False, color=False)
    assert all(text._plain(item) for item in items)
    assert text.render_text(doc, width=width) == text._render_rich(items, doc, width, False)


@pytest.mark.parametrize("odd", ["日本語の記事", "tab\there", "e\u0301", "two\nlines"])
def test_text_rich_must_measure_goes_to_rich(doc: dict[str, Any], odd: str) -> None:
    changed = json.loads(json.dumps(doc))
    changed["findings"][0]["message"] = f"{odd} " * 30
    items = text._layout(changed, wide=False, color=False)
    assert not all(text._plain(item) for item in items)
    out = text.render_text(changed, width=80)
    assert out == text._render_rich(items, changed, 80, False)
    assert max(cell_len(line) for line in out.splitlines()) <= 80
