"""`sanctions validate` on bad fact files: each problem at file:line:col, exit 1, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import ROOT, facts_dir, run_cli

GOOD_EVENT = """
source: article-2022-11-08-nk-denies-artillery
facts:
  - id: ev-test
    kind: arms_transfer
    summary: North Korea ships ammunition to Russia
    act: export
    supplier: PRK
    recipient: RUS
    items: [{category: ammunition}]
    date: {day: 2022-11-02}
    modality: alleged
    asserted_by: [kirby]
    cite:
      - quote: "covertly supplying a “significant number” of ammunition shipments to Russia"
"""


ONE_RULE = """\
id: TEST-ANY-VOTE
title: Any vote
status: active
finding: context
severity: info
confidence: high
rationale: A rule that touches no fact of these tests.
legal_basis: [unscr-1718-op8b]
match:
  vote:
    kind: vote
message: A vote.
"""


def denial_about(target: str) -> str:
    return f"""
    source: article-2022-11-08-nk-denies-artillery
    facts:
      - id: st-test
        kind: denial
        summary: North Korea denies it
        by: PRK
        about: [{target}]
        date: {{day: 2022-11-08}}
        cite: [{{quote: "North Korea has denied allegations"}}]
    """


def validate(facts: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    # A folder without rules is a usage error; one small rule keeps the checks on the facts.
    rules = tmp_path / "one-rule"
    rules.mkdir(exist_ok=True)
    (rules / "veto.yaml").write_text(ONE_RULE, encoding="utf-8")
    result = run_cli("validate", "--facts", facts, "--rules", rules)
    assert "Traceback" not in result.err + result.out
    return result


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def test_the_good_event_is_clean(tmp_path: Path) -> None:
    result = validate(facts_dir(tmp_path, {"events.yaml": GOOD_EVENT}), tmp_path)
    assert result.code == 0, result.err
    assert result.out.startswith("OK:")


@pytest.mark.parametrize(
    ("change", "line", "col", "code", "words"),
    [
        pytest.param(
            ("“significant number” of ammunition", "“significant number” of artillery"),
            14,
            16,
            "F121",
            "does not stand in source",
            id="altered-quote",
        ),
        pytest.param(
            (
                '"covertly supplying a “significant number” of ammunition shipments to Russia"',
                '"Nov. 7, 2022"',
            ),
            14,
            16,
            "F122",
            "stands 2 times",
            id="quote-twice",
        ),
        pytest.param(
            ("    supplier: PRK", "    suplier: PRK"),
            7,
            5,
            "F101",
            "unknown key 'suplier'",
            id="unknown-key",
        ),
        pytest.param(
            ("asserted_by: [kirby]", "asserted_by: kirby"),
            12,
            18,
            "F102",
            "'asserted_by' must be a list",
            id="wrong-type",
        ),
        pytest.param(
            ("    recipient: RUS", "    recipient: RUS\n    recipient: USA"),
            9,
            5,
            "Y004",
            "duplicate key 'recipient'",
            id="duplicate-key",
        ),
        pytest.param(
            ("supplier: PRK", "supplier: PRKK"),
            7,
            15,
            "F111",
            "'PRKK' names no known actor",
            id="unknown-actor",
        ),
        pytest.param(
            ("date: {day: 2022-11-02}", "date: {day: 2022-02-30}"),
            10,
            17,
            "F103",
            "not a valid date",
            id="invalid-date",
        ),
        pytest.param(
            ("modality: alleged", "modality: aleged"),
            11,
            15,
            "F103",
            "'aleged' is not allowed",
            id="bad-enum",
        ),
        pytest.param(
            ("    recipient: RUS\n", ""), 3, 5, "F104", "missing key 'recipient'", id="missing-key"
        ),
        pytest.param(
            ("kind: arms_transfer", "kind: arms_transfers"),
            4,
            11,
            "F105",
            "unknown fact kind",
            id="unknown-kind",
        ),
    ],
)
def test_each_bad_fact_is_reported_where_it_stands(
    tmp_path: Path, change: tuple[str, str], line: int, col: int, code: str, words: str
) -> None:
    text = GOOD_EVENT.replace(*change)
    assert text != GOOD_EVENT
    folder = facts_dir(tmp_path, {"events.yaml": text})
    result = validate(folder, tmp_path)
    assert result.code == 1
    where = f"{shown(folder / 'events.yaml')}:{line}:{col}: error {code} "
    assert where in result.err, result.err
    assert words in result.err


def test_unknown_key_hint_says_did_you_mean(tmp_path: Path) -> None:
    folder = facts_dir(
        tmp_path, {"events.yaml": GOOD_EVENT.replace("supplier: PRK", "suplier: PRK")}
    )
    assert "hint: did you mean 'supplier'?" in validate(folder, tmp_path).err


def test_missing_quote_hint_names_the_closest_sentence(tmp_path: Path) -> None:
    folder = facts_dir(
        tmp_path, {"events.yaml": GOOD_EVENT.replace("of ammunition", "of artillery")}
    )
    assert "closest sentence is 18" in validate(folder, tmp_path).err


def test_duplicate_fact_id_points_at_both(tmp_path: Path) -> None:
    other = GOOD_EVENT.replace(
        "source: article-2022-11-08-nk-denies-artillery\n",
        "source: article-2022-11-08-nk-denies-artillery\n",
    )
    folder = facts_dir(tmp_path, {"a.yaml": GOOD_EVENT, "b.yaml": other})
    result = validate(folder, tmp_path)
    assert result.code == 1
    assert (
        f"{shown(folder / 'b.yaml')}:3:9: error F110 fact id 'ev-test' is used twice" in result.err
    )
    assert f"first defined at {shown(folder / 'a.yaml')}:3:9" in result.err


def test_unknown_event_reference_is_reported(tmp_path: Path) -> None:
    denial = denial_about("ev-tset")
    folder = facts_dir(tmp_path, {"events.yaml": GOOD_EVENT, "st.yaml": denial})
    result = validate(folder, tmp_path)
    assert result.code == 1
    assert (
        f"{shown(folder / 'st.yaml')}:7:13: error F111 'ev-tset' names no known event" in result.err
    )
    assert "did you mean 'ev-test'?" in result.err


def test_an_actor_where_an_event_is_needed(tmp_path: Path) -> None:
    denial = denial_about("RUS")
    result = validate(facts_dir(tmp_path, {"st.yaml": denial}), tmp_path)
    assert result.code == 1
    assert "error F112 'RUS' is a state, but an event is needed here" in result.err


def test_non_utf8_file(tmp_path: Path) -> None:
    folder = facts_dir(tmp_path, {})
    (folder / "latin1.yaml").write_bytes("facts:\n  - id: caf\xe9\n".encode("latin-1"))
    result = validate(folder, tmp_path)
    assert result.code == 1
    assert f"{shown(folder / 'latin1.yaml')}:2:12: error Y002 the file is not UTF-8" in result.err


@pytest.mark.parametrize("text", ["just a sentence\n", "42\n"])
def test_a_file_that_is_not_a_mapping_or_list(tmp_path: Path, text: str) -> None:
    folder = facts_dir(tmp_path, {"odd.yaml": text})
    result = validate(folder, tmp_path)
    assert result.code == 1
    assert f"{shown(folder / 'odd.yaml')}:1:1: error Y005 a facts file must be a list" in result.err


def test_yaml_syntax_error_has_position(tmp_path: Path) -> None:
    folder = facts_dir(tmp_path, {"broken.yaml": "facts:\n  - id: x\n   kind: [unclosed\n"})
    result = validate(folder, tmp_path)
    assert result.code == 1
    assert f"{shown(folder / 'broken.yaml')}:3:" in result.err and "Y003" in result.err


def test_every_problem_is_reported_in_one_pass(tmp_path: Path) -> None:
    bad = GOOD_EVENT.replace("supplier: PRK", "suplier: PRK").replace(
        "of ammunition", "of artillery"
    )
    extra = GOOD_EVENT.replace("ev-test", "ev-two").replace("modality: alleged", "modality: sure")
    folder = facts_dir(tmp_path, {"a.yaml": bad, "b.yaml": extra, "c.yaml": "- 1\n"})
    result = validate(folder, tmp_path)
    assert result.code == 1
    for code in ("F101", "F103", "F102"):
        assert f"error {code}" in result.err
    # the misspelt key is reported once, not also as a missing 'supplier'
    assert "F104" not in result.err
    assert "3 problems found." in result.err


def test_changed_source_text_is_caught_by_its_hash(tmp_path: Path) -> None:
    folder = facts_dir(tmp_path, {})
    text = folder / "sources" / "article-2022-11-08-nk-denies-artillery.txt"
    text.write_text(
        text.read_text(encoding="utf-8").replace("30 thoroughbred", "31 thoroughbred"),
        encoding="utf-8",
    )
    result = validate(folder, tmp_path)
    assert result.code == 1
    assert "error F124 the text of source" in result.err


def test_usage_error_exits_2(tmp_path: Path) -> None:
    result = run_cli("validate", "--format", "xml")
    assert result.code == 2
