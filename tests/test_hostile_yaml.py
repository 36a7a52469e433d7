"""The bounded YAML reader (engine/yamlsrc.py): what it builds, where it says things stand,
and what it refuses, on inputs small enough to read in the test."""

from __future__ import annotations

import pytest

from engine.diagnostics import Diagnostics
from engine.yamlsrc import MAX_DEPTH, PARSER, load_yaml_text


@pytest.fixture(autouse=True, params=["installed", "pure-python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs with the parser in use and with the pure-Python fallback."""
    import yaml

    import engine.yamlsrc

    if request.param == "pure-python":
        monkeypatch.setattr(engine.yamlsrc, "_Parser", yaml.SafeLoader)
    return str(request.param)


def load(text: str) -> tuple[object, list[str], Diagnostics]:
    diags = Diagnostics()
    doc = load_yaml_text(text, "f.yaml", diags)
    return (doc.data if doc else None), [str(d.location) + " " + d.code for d in diags.items], diags


def test_libyaml_is_used_where_installed(parser: str) -> None:
    import yaml

    if parser == "pure-python":
        pytest.skip("the fallback is forced here")
    assert ("libyaml" if yaml.__with_libyaml__ else "pure-python") == PARSER


def test_plain_values_are_read_as_yaml_1_1_with_dates_kept_as_text() -> None:
    data, problems, _ = load("a: 1\nb: [x, 'y', {c: 2022-11-08}]\nd: yes\ne: ~\nf: 1.5\n'g': '3'\n")
    assert problems == []
    assert data == {
        "a": 1,
        "b": ["x", "y", {"c": "2022-11-08"}],
        "d": True,
        "e": None,
        "f": 1.5,
        "g": "3",
    }


def test_positions_are_found_when_first_asked_for() -> None:
    diags = Diagnostics()
    doc = load_yaml_text("facts:\n  - id: a\n    kind: state\n  - {id: b}\n", "f.yaml", diags)
    assert doc is not None and doc.source_map.values == {}  # nothing kept for a clean file
    assert str(doc.source_map.locate(("facts", 1, "id"))) == "f.yaml:4:10"
    assert str(doc.source_map.locate(("facts", 0, "kind"), key=True)) == "f.yaml:3:5"
    assert str(doc.source_map.locate(("facts", 0, "missing"))) == "f.yaml:2:5"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &x 1\nb: *x\n", ["f.yaml:1:4 Y010"]),
        ("a: [1, *x]\n", ["f.yaml:1:8 Y010"]),
        ("a: !foo 1\nb: !!str 2\n", ["f.yaml:1:4 Y011", "f.yaml:2:4 Y011"]),
        ("a:\n  <<: {b: 1}\n", ["f.yaml:2:3 Y012"]),
        ("a: {b: 1, b: 2}\n", ["f.yaml:1:11 Y004"]),
        ("a: 1\n---\nb: 2\n", ["f.yaml:2:1 Y003"]),
        ("a: 9223372036854775807\nb: -9223372036854775808\n", ["f.yaml:2:4 Y015"]),
        ("a: 0x8000000000000000\n", ["f.yaml:1:4 Y015"]),
        ("a: .inf\nb: -.Inf\nc: .NaN\n", ["f.yaml:1:4 Y015", "f.yaml:2:4 Y015", "f.yaml:3:4 Y015"]),
        ("a: b\x00\n", ["f.yaml:1:5 Y014"]),
        ("a: \x1b[31m\n", ["f.yaml:1:4 Y014"]),
    ],
)
def test_refused_at_file_line_col(text: str, expected: list[str]) -> None:
    _, problems, _ = load(text)
    assert problems == expected


def test_a_quoted_merge_key_is_an_ordinary_key() -> None:
    data, problems, _ = load("'<<': 1\nb: <<\n")
    assert problems == [] and data == {"<<": 1, "b": "<<"}


@pytest.mark.parametrize("extra", [0, 1])
def test_nesting_depth_at_the_limit_and_one_past(extra: int) -> None:
    depth = MAX_DEPTH + extra
    data, problems, _ = load("[" * depth + "1" + "]" * depth + "\n")
    if extra:
        assert [p.split()[1] for p in problems] == ["Y013"]
    else:
        assert problems == []
        for _ in range(depth):
            assert isinstance(data, list)
            data = data[0]
        assert data == 1


def test_a_billion_laughs_stops_at_the_first_anchor() -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 30)]
    _, problems, diags = load("\n".join(lines) + "\n")
    assert problems == ["f.yaml:1:5 Y010"]
    assert "write the value out in full" in diags.items[0].hint
