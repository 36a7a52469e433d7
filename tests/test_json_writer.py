"""The findings JSON is written by orjson for speed; these tests hold it to the exact text
Python's json module writes (the contract's bytes must not depend on which writer ran)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.report import to_json


def _reference(doc: Any) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
keys = st.text() | st.integers(min_value=-(2**40), max_value=2**40)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.text(), documents, max_size=5))
def test_same_text_as_json_for_any_document(doc: dict[str, Any]) -> None:
    try:
        expected = _reference(doc)
        expected.encode("utf-8")
    except (UnicodeEncodeError, ValueError):
        return  # a lone surrogate: not a document the engine can produce
    assert to_json(doc) == expected


def test_numbers_orjson_writes_differently_go_through_json() -> None:
    doc = {"small": 1e-05, "tiny": 2.5e-07, "big": 1e16, "huge": 2**65, "text": "0.00001"}
    assert to_json(doc) == _reference(doc)


def test_every_bundled_case_report_is_the_same_text() -> None:
    from engine.cli import load_all
    from engine.diagnostics import Diagnostics
    from engine.evaluate import evaluate
    from engine.report import to_document
    from tests.helpers import ROOT

    diags = Diagnostics()
    facts, rules = load_all(ROOT / "facts", ROOT / "rules", diags)
    assert not diags and rules is not None
    doc = to_document(evaluate(facts, rules), facts, rules)
    assert doc["findings"]
    assert to_json(doc) == _reference(doc)
