"""Sentence numbering of the bundled article and the quote normalisation are pinned here."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.diagnostics import Diagnostics
from engine.loader import load_facts
from engine.sources import QuoteError, SourceDoc
from engine.textnorm import normalise, normalise_with_map

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def article() -> SourceDoc:
    diags = Diagnostics()
    facts = load_facts(ROOT / "facts", diags)
    assert not diags.items
    return facts.sources["article-2022-11-08-nk-denies-artillery"]


def test_article_has_43_stable_sentences(article: SourceDoc) -> None:
    assert len(article.sentences) == 43
    assert max(s.paragraph for s in article.sentences) == 32


@pytest.mark.parametrize(
    ("number", "paragraph", "line", "role", "starts"),
    [
        (1, 1, 1, "headline", "North Korea denies sending artillery"),
        (3, 3, 4, "caption", "North Korean leader Kim Jong Un shakes hands"),
        (4, 4, 5, "credit", "(Alexander Zemlianichenko"),
        (5, 5, 7, "body", "North Korea has denied allegations"),
        (7, 6, 9, "body", "Pyongyang said it was testing"),
        (15, 11, 20, "teaser", "North Korea’s military says"),
        (16, 12, 22, "teaser_dateline", "Nov. 7, 2022"),
        (24, 19, 37, "body", "In September, U.S. officials confirmed"),
        (25, 19, 37, "body", "North Korea later dismissed that report"),
        (32, 23, 45, "teaser", "Iran’s foreign minister says"),
        (38, 27, 53, "body", "Last week, the North test-fired dozens of missiles"),
        (43, 32, 63, "body", "Kim said that Guterres’"),
    ],
)
def test_sentence_numbers_are_pinned(
    article: SourceDoc, number: int, paragraph: int, line: int, role: str, starts: str
) -> None:
    s = article.sentence(number)
    assert (s.paragraph, s.line, s.role) == (paragraph, line, role)
    assert s.text.startswith(starts)
    assert article.text[s.start : s.end] == s.text


def test_spans_never_include_surrounding_white_space(article: SourceDoc) -> None:
    for s in article.sentences:
        assert s.text == s.text.strip()
        assert article.text[s.start : s.end] == s.text


def test_normalisation_folds_only_quotes_and_white_space() -> None:
    assert normalise("“mercilessly”  strike\n key") == '"mercilessly" strike key'
    assert normalise("Russia’s ‘arms dealings’") == "Russia's 'arms dealings'"
    assert normalise("  2½ years\u00a0ago ") == "2½ years ago"
    # dashes and case are not folded
    assert normalise("U.S.-South Korea") != normalise("U.S.–South Korea")
    assert normalise("Kirby") != normalise("kirby")


def test_normalisation_maps_back_to_original_offsets() -> None:
    text = "a  “b”\n c"
    norm, index = normalise_with_map(text)
    assert norm == 'a "b" c'
    assert [text[i] for i in index] == ["a", " ", "“", "b", "”", "\n", "c"]


def test_a_straight_quote_finds_a_typographic_one(article: SourceDoc) -> None:
    m = article.resolve("we have never had 'arms dealings' with Russia")
    assert m.sentence.number == 21
    assert m.quote == "we have never had ‘arms dealings’ with Russia"
    assert article.text[m.start : m.end] == m.quote


def test_a_quote_spread_over_a_line_break_is_found(article: SourceDoc) -> None:
    m = article.resolve("The horses, Orlov\n   trotters, are prized")
    assert m.sentence.number == 12


def test_missing_quote_names_the_closest_sentence(article: SourceDoc) -> None:
    with pytest.raises(QuoteError) as err:
        article.resolve(
            "Russia sent North Korean leader Kim Jong Un a trainload of 31 thoroughbred horses"
        )
    assert err.value.code == "F121"
    assert "closest sentence is 10" in err.value.hint


def test_ambiguous_quote_lists_its_sentences(article: SourceDoc) -> None:
    with pytest.raises(QuoteError) as err:
        article.resolve("Nov. 7, 2022")
    assert err.value.code == "F122"
    assert "sentences 16, 33" in err.value.message


def test_quote_over_two_sentences_is_refused(article: SourceDoc) -> None:
    with pytest.raises(QuoteError) as err:
        article.resolve("could target the U.S. mainland. Pyongyang said")
    assert err.value.code == "F123"
    assert "sentences 6 to 7" in err.value.message
    # white space folding also joins paragraphs, and the sentence check still holds
    with pytest.raises(QuoteError) as err:
        article.resolve("prized in Russia. Spokespeople")
    assert err.value.code == "F123"


def test_a_repeated_quote_is_cited_by_its_sentence_number(article: SourceDoc) -> None:
    m = article.resolve("Nov. 7, 2022", sentence=33)
    assert m.sentence.number == 33
    assert article.text[m.start : m.end] == "Nov. 7, 2022"


def test_the_words_are_still_checked_in_the_named_sentence(article: SourceDoc) -> None:
    with pytest.raises(QuoteError) as err:
        article.resolve("Nov. 7, 2022", sentence=17)
    assert err.value.code == "F129"
    assert "sentence 16" in err.value.message  # it says where the words do stand
    with pytest.raises(QuoteError) as err:
        article.resolve("Nov. 7, 2022", sentence=999)
    assert err.value.code == "F129"
    assert "has no sentence 999 (it has 43)" in err.value.message


def test_an_overlong_quote_is_refused_before_any_search(article: SourceDoc) -> None:
    with pytest.raises(QuoteError) as err:
        article.resolve("word " * 300)
    assert err.value.code == "F128"


def test_every_offset_belongs_to_its_sentence_or_the_one_before(article: SourceDoc) -> None:
    expected = article.sentences[0]
    for offset in range(len(article.text)):
        for s in article.sentences:
            if s.start <= offset:
                expected = s
        assert article._sentence_at(offset) is expected


def _one_source(tmp_path: Path, text: bytes | None, name: str = "doc.txt") -> Path:
    import hashlib

    folder = tmp_path / "facts" / "sources"
    folder.mkdir(parents=True)
    if text is not None:
        (folder / name).write_bytes(text)
    digest = hashlib.sha256(text or b"").hexdigest()
    (folder / "doc.yaml").write_text(
        f"id: doc\ntitle: T\npublisher: P\npublished: 2022-11-08\nurl: null\n"
        f"text: {name}\nsha256: {digest}\n",
        encoding="utf-8",
    )
    return tmp_path / "facts"


@pytest.mark.parametrize("name", ["../../outside.txt", "/etc/hostname", "link.txt"])
def test_a_source_text_outside_its_folder_is_not_read(tmp_path: Path, name: str) -> None:
    (tmp_path / "outside.txt").write_text("secret", encoding="utf-8")
    facts = _one_source(tmp_path, None, name)
    (facts / "sources" / "link.txt").symlink_to(tmp_path / "outside.txt")
    diags = Diagnostics()
    load_facts(facts, diags)
    [d] = diags.items
    assert d.code == "F127"
    assert d.location.path.endswith("doc.yaml") and d.location.line == 6
    assert "secret" not in d.message and "sha" not in d.message.lower()


def test_a_source_text_that_is_a_device_is_refused(tmp_path: Path) -> None:
    facts = _one_source(tmp_path, None, "zero.txt")
    (facts / "sources" / "zero.txt").symlink_to("/dev/zero")
    diags = Diagnostics()
    load_facts(facts, diags)
    codes = [d.code for d in diags.items]
    assert codes == ["F127"]  # /dev/zero resolves outside the folder


def test_a_fifo_source_text_is_refused_without_blocking(tmp_path: Path) -> None:
    import os

    facts = _one_source(tmp_path, None, "pipe.txt")
    os.mkfifo(facts / "sources" / "pipe.txt")
    diags = Diagnostics()
    load_facts(facts, diags)
    [d] = diags.items
    assert d.code == "Y008"
    assert "named pipe" in d.message


def test_an_overlong_paragraph_is_refused_where_it_stands(tmp_path: Path) -> None:
    from engine.sources import MAX_PARAGRAPH_CHARS

    text = b"Short first line.\n\n" + b"word " * (MAX_PARAGRAPH_CHARS // 5 + 1) + b"\n"
    facts = _one_source(tmp_path, text)
    diags = Diagnostics()
    load_facts(facts, diags)
    [d] = diags.items
    assert d.code == "F128"
    assert d.location.path.endswith("doc.txt") and d.location.line == 3
    assert "paragraph 2" in d.message


def test_a_paragraph_at_the_limit_is_read(tmp_path: Path) -> None:
    from engine.sources import MAX_PARAGRAPH_CHARS

    text = ("x" * (MAX_PARAGRAPH_CHARS - 1) + ".\n").encode()
    facts = _one_source(tmp_path, text)
    diags = Diagnostics()
    result = load_facts(facts, diags)
    assert not diags.items
    assert len(result.sources["doc"].sentences) == 1


def test_the_sentence_cache_gives_the_same_sentences_and_is_safe_to_break(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from engine.diagnostics import Diagnostics
    from engine.loader import load_facts
    from tests.helpers import bundled_case

    def sentences() -> list[object]:
        facts = load_facts(bundled_case(), Diagnostics())
        return [s for doc in facts.sources.values() for s in doc.sentences]

    monkeypatch.setenv("SANCTIONS_CACHE", "off")
    plain = sentences()
    monkeypatch.setenv("SANCTIONS_CACHE", str(tmp_path))
    assert sentences() == plain  # written
    [entry] = (tmp_path / "sentences").iterdir()
    assert sentences() == plain  # read back
    entry.write_text("[[1, 2", encoding="utf-8")  # a broken entry is split again
    assert sentences() == plain


def _normalise_by_character(text: str) -> tuple[str, list[int]]:
    """The plain definition (one character at a time), to hold the fast one to."""
    from engine.textnorm import _FOLD

    out: list[str] = []
    index: list[int] = []
    pending = -1
    for i, ch in enumerate(text):
        if ch.isspace():
            if out and pending < 0:
                pending = i
            continue
        if pending >= 0:
            out.append(" ")
            index.append(pending)
            pending = -1
        out.append(ch.translate(_FOLD))
        index.append(i)
    return "".join(out), index


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab \t\n\u00a0\u2019\u201c\u2003.")) | st.characters())
)
def test_normalisation_word_by_word_equals_the_definition(text: str) -> None:
    assert normalise_with_map(text) == _normalise_by_character(text)
    assert normalise(text) == _normalise_by_character(text)[0]
