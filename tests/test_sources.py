"""Sentence numbering of the bundled article and the quote normalisation are pinned here."""

from __future__ import annotations

from pathlib import Path

import pytest

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
