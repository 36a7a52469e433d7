"""Source documents: metadata, content hash, stable sentence numbers, and quote resolution.

Bounds, so that no source or quote takes long (sentence splitting grows faster than the
length of a paragraph): a source text is at most MAX_SOURCE_TEXT_BYTES, a paragraph at most
MAX_PARAGRAPH_CHARS characters, a quote at most MAX_QUOTE_CHARS. The closest-sentence hint
for a quote that is not found compares whole words first (linear in the text) and runs
the finer comparison on the few best candidates only.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.safefiles import MAX_SOURCE_TEXT_BYTES, FileRefused, read_regular_file
from engine.sentence_cache import cached_split
from engine.textnorm import normalise, normalise_with_map

MAX_PARAGRAPH_CHARS = 10_000  # pysbd takes about 0.1 s here; 40,000 take over 1 s
MAX_QUOTE_CHARS = 1_000  # a quote is part of one sentence
_MAX_HITS = 50  # occurrences of a quote counted before it is called ambiguous
_HINT_CANDIDATES = 3  # sentences compared character by character for the hint
_WORD = re.compile(r"\w+")

BlockRole = Literal[
    "headline", "body", "image_alt_text", "caption", "credit", "teaser", "teaser_dateline"
]

# Roles whose text is part of the page but not the reporting itself: their dates are
# not event dates (DOMAIN.md §3, trap 9), and a finding cited only there says so.
NON_REPORTING_ROLES: frozenset[str] = frozenset(
    {"image_alt_text", "caption", "credit", "teaser", "teaser_dateline"}
)


class BlockSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    paragraph: int = Field(ge=1, description="Paragraph number: count of non-empty lines, 1-based.")
    role: BlockRole
    note: str = ""


def _no_blocks() -> list[BlockSpec]:
    """A plain function, not the builtin `list`: pydantic parses the builtin's signature
    text when it builds the model (engine.facts.empty_list says more)."""
    return []


class SourceMeta(BaseModel):
    """Metadata file of one source document (facts/sources/<id>.yaml)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    publisher: str
    published: date
    url: str | None = Field(description="Address of the original; null when unknown.")
    language: Literal["en"] = "en"
    text: str = Field(description="File name of the text, next to this metadata file.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    blocks: list[BlockSpec] = Field(default_factory=_no_blocks)
    notes: str = ""


@dataclass(frozen=True)
class Sentence:
    number: int  # 1-based over the whole document; stable for a given text and splitter
    paragraph: int  # 1-based count of non-empty lines (the P numbers of DOMAIN.md §3)
    line: int  # 1-based line of the text file
    start: int  # character offsets into the original text, end exclusive
    end: int
    text: str
    role: str


@dataclass(frozen=True)
class QuoteMatch:
    sentence: Sentence
    start: int
    end: int
    quote: str  # the exact original text of the span


class QuoteError(Exception):
    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


@dataclass
class SourceDoc:
    meta: SourceMeta
    text: str
    sha256: str
    sentences: list[Sentence]

    def __post_init__(self) -> None:
        # the normalised text and its map back to the original are worked out when a quote is
        # first resolved: when every citation comes from the fact cache, never
        self._normalised: tuple[str, list[int]] | None = None
        self._starts = [s.start for s in self.sentences]
        self._words: list[set[str]] | None = None  # per sentence, for quote hints

    def sentence(self, number: int) -> Sentence:
        return self.sentences[number - 1]

    @property
    def _norm(self) -> str:
        return self._normalise()[0]

    @property
    def _index(self) -> list[int]:
        return self._normalise()[1]

    def _normalise(self) -> tuple[str, list[int]]:
        if self._normalised is None:
            self._normalised = normalise_with_map(self.text)
        return self._normalised

    def resolve(self, quote: str, sentence: int | None = None) -> QuoteMatch:
        """Find the quote verbatim (after normalisation), exactly once, inside one sentence;
        or, when the sentence number is given, inside that sentence."""
        if len(quote) > MAX_QUOTE_CHARS:
            raise QuoteError(
                "F128",
                f"the quote is {len(quote):,} characters long; the limit is {MAX_QUOTE_CHARS:,}",
                "quote the words of one sentence that carry the fact",
            )
        needle = normalise(quote)
        if not needle:
            raise QuoteError("F121", "the quote is empty", "copy the words from the source")
        if sentence is not None:
            return self._resolve_in(needle, sentence)
        hits: list[int] = []
        pos = self._norm.find(needle)
        while pos >= 0 and len(hits) < _MAX_HITS:
            hits.append(pos)
            pos = self._norm.find(needle, pos + 1)
        if not hits:
            best = self.closest_sentence(needle)
            hint = "check the spelling against the source"
            if best is not None:
                hint = f'the closest sentence is {best.number}: "{_clip(best.text)}"'
            raise QuoteError("F121", f"the quote does not stand in source '{self.meta.id}'", hint)
        if len(hits) > 1:
            numbers = sorted({self._sentence_at(self._index[h]).number for h in hits})
            shown = ", ".join(map(str, numbers[:10])) + (", ..." if len(numbers) > 10 else "")
            times = f"{len(hits)} times" if len(hits) < _MAX_HITS else f"{_MAX_HITS} times or more"
            raise QuoteError(
                "F122",
                f"the quote stands {times} in source '{self.meta.id}' (sentences {shown})",
                "quote more words so that the passage is found once, or give the sentence "
                f"number it stands in, e.g. 'sentence: {numbers[0]}'",
            )
        return self._match(hits[0], len(needle))

    def _resolve_in(self, needle: str, number: int) -> QuoteMatch:
        """The quote inside the given sentence (for words that stand more than once)."""
        if not 1 <= number <= len(self.sentences):
            raise QuoteError(
                "F129",
                f"source '{self.meta.id}' has no sentence {number} (it has {len(self.sentences)})",
                f"run 'sanctions sources show {self.meta.id}' to see the numbers",
            )
        s = self.sentence(number)
        lo = bisect_left(self._index, s.start)
        hi = bisect_left(self._index, s.end)
        pos = self._norm.find(needle, lo, hi)
        if pos < 0:
            where = self._norm.find(needle)
            also = ""
            if where >= 0:
                also = f" (it stands in sentence {self._sentence_at(self._index[where]).number})"
            raise QuoteError(
                "F129",
                f"the quote does not stand in sentence {number} of source '{self.meta.id}'" + also,
                f'sentence {number} reads: "{_clip(s.text)}"',
            )
        return self._match(pos, len(needle))

    def _match(self, n_start: int, length: int) -> QuoteMatch:
        start = self._index[n_start]
        end = self._index[n_start + length - 1] + 1
        first = self._sentence_at(start)
        last = self._sentence_at(end - 1)
        if first.number != last.number:
            raise QuoteError(
                "F123",
                f"the quote runs over sentences {first.number} to {last.number}",
                "cite each sentence with its own quote",
            )
        return QuoteMatch(first, start, end, self.text[start:end])

    def closest_sentence(self, needle: str) -> Sentence | None:
        """The sentence most like the quote, or None when none shares half its characters.

        Linear in the text: sentences are ranked by the words they share with the quote,
        and only the best few are compared character by character."""
        words = set(_WORD.findall(needle.lower()))
        if not words:
            return None
        if self._words is None:
            self._words = [set(_WORD.findall(s.text.lower())) for s in self.sentences]
        sentence_words = self._words
        ranked = sorted(
            self.sentences,
            key=lambda s: (-len(words & sentence_words[s.number - 1]), s.number),
        )
        best: tuple[float, int] = (0.0, 0)
        for s in ranked[:_HINT_CANDIDATES]:
            m = difflib.SequenceMatcher(None, needle.lower(), normalise(s.text).lower())
            blocks = sum(b.size for b in m.get_matching_blocks())
            score = blocks / max(len(needle), 1)
            if score > best[0] or (score == best[0] and best[1] > 0 and s.number < best[1]):
                best = (score, s.number)
        return self.sentence(best[1]) if best[0] >= 0.5 else None

    def _sentence_at(self, offset: int) -> Sentence:
        """The sentence holding a character offset; white space between two sentences
        belongs to the sentence before (found by bisection, not by a scan)."""
        i = bisect_right(self._starts, offset) - 1
        return self.sentences[max(i, 0)]


def _clip(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


_SEGMENTER: Any = None  # pysbd's, made when a split is first needed (cache misses only)


class SourceError(Exception):
    """A source text that is not read or not split; line is set when it points into the text."""

    def __init__(self, code: str, message: str, hint: str = "", line: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint
        self.line = line


def split_sentences(text: str, roles: Mapping[int, str]) -> list[Sentence]:
    """Paragraphs are non-empty lines; pysbd splits each into sentences with character spans.

    Raises SourceError for a paragraph longer than MAX_PARAGRAPH_CHARS."""
    global _SEGMENTER
    if _SEGMENTER is None:
        import pysbd  # 6 ms of a cold start that finds every split in the cache

        _SEGMENTER = pysbd.Segmenter(language="en", clean=False, char_span=True)
    sentences: list[Sentence] = []
    offset = 0
    paragraph = 0
    for line_no, line in enumerate(text.split("\n"), start=1):
        line_start = offset
        offset += len(line) + 1
        if not line.strip():
            continue
        paragraph += 1
        if len(line) > MAX_PARAGRAPH_CHARS:
            raise SourceError(
                "F128",
                f"paragraph {paragraph} is {len(line):,} characters long; "
                f"the limit is {MAX_PARAGRAPH_CHARS:,}",
                "a paragraph is one line of the text: break this line where the "
                "article starts a new paragraph",
                line_no,
            )
        role = roles.get(paragraph, "body")
        for span in _SEGMENTER.segment(line):
            raw = line[span.start : span.end]
            lead = len(raw) - len(raw.lstrip())
            body = raw.strip()
            if not body:
                continue
            start = line_start + span.start + lead
            sentences.append(
                Sentence(
                    len(sentences) + 1, paragraph, line_no, start, start + len(body), body, role
                )
            )
    return sentences


def text_path(meta: SourceMeta, meta_path: Path) -> Path:
    """Where the text of a source stands: next to its metadata file."""
    return meta_path.parent / meta.text


def load_source(meta: SourceMeta, meta_path: Path) -> SourceDoc:
    """Read the text next to the metadata file; SourceError when it is refused or unreadable.

    The text must resolve (links included) to a regular file inside the metadata's folder
    (facts/sources/): nothing outside it is read, hashed or printed."""
    path = text_path(meta, meta_path)
    folder = meta_path.parent
    try:
        real = path.resolve(strict=True)
        inside = real.is_relative_to(folder.resolve(strict=True))
    except (OSError, RuntimeError):
        real, inside = path, None
    lexical = Path(os.path.normpath(path)).is_relative_to(os.path.normpath(folder))
    if inside is False or not lexical or Path(meta.text).is_absolute():
        raise SourceError(
            "F127",
            f"the text '{meta.text}' is not inside the folder '{folder}'",
            "put the text file next to this metadata file and give its plain file name",
        )
    try:
        raw = read_regular_file(real, MAX_SOURCE_TEXT_BYTES)
    except FileRefused as exc:
        code = "F125" if exc.code == "Y001" else ("F128" if exc.code == "Y007" else exc.code)
        raise SourceError(
            code,
            f"cannot read the source text '{meta.text}': {exc.message}",
            exc.hint or "put the text file next to this metadata file, saved as UTF-8",
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            "F125",
            f"the source text '{meta.text}' is not UTF-8 text (byte {exc.start:,})",
            "save the text file as UTF-8",
        ) from None
    roles = {b.paragraph: b.role for b in meta.blocks}
    sha = hashlib.sha256(raw).hexdigest()
    sentences = cached_split(
        sha,
        roles,
        lambda: split_sentences(text, roles),
        _sentence_row,
        lambda row: _sentence_from(row, text),
    )
    return SourceDoc(meta, text, sha, sentences)


def _sentence_row(s: Sentence) -> list[int | str]:
    return [s.number, s.paragraph, s.line, s.start, s.end, s.role]


def _sentence_from(row: list[int | str], text: str) -> Sentence:
    number, paragraph, line, start, end, role = row
    assert isinstance(start, int) and isinstance(end, int)
    return Sentence(int(number), int(paragraph), int(line), start, end, text[start:end], str(role))
