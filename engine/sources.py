"""Source documents: metadata, content hash, stable sentence numbers, and quote resolution."""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

import pysbd
from pydantic import BaseModel, ConfigDict, Field

from engine.textnorm import normalise, normalise_with_map

BlockRole = Literal[
    "headline", "body", "image_alt_text", "caption", "credit", "teaser", "teaser_dateline"
]

# Roles whose text is part of the page but not the reporting itself: their dates are
# not event dates (DOMAIN.md §3, trap 9), and a finding cited only there says so.
NON_REPORTING_ROLES: frozenset[str] = frozenset(
    {"image_alt_text", "caption", "credit", "teaser", "teaser_dateline"}
)


class BlockSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    paragraph: int = Field(ge=1, description="Paragraph number: count of non-empty lines, 1-based.")
    role: BlockRole
    note: str = ""


class SourceMeta(BaseModel):
    """Metadata file of one source document (facts/sources/<id>.yaml)."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    publisher: str
    published: date
    url: str | None = Field(description="Address of the original; null when unknown.")
    language: Literal["en"] = "en"
    text: str = Field(description="File name of the text, next to this metadata file.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    blocks: list[BlockSpec] = Field(default_factory=list)
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
        self._norm, self._index = normalise_with_map(self.text)

    def sentence(self, number: int) -> Sentence:
        return self.sentences[number - 1]

    def resolve(self, quote: str) -> QuoteMatch:
        """Find the quote verbatim (after normalisation), exactly once, inside one sentence."""
        needle = normalise(quote)
        if not needle:
            raise QuoteError("F121", "the quote is empty", "copy the words from the source")
        hits: list[int] = []
        pos = self._norm.find(needle)
        while pos >= 0:
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
            raise QuoteError(
                "F122",
                f"the quote stands {len(hits)} times in source '{self.meta.id}' "
                f"(sentences {', '.join(map(str, numbers))})",
                "quote more words so that the passage is found once",
            )
        n_start = hits[0]
        n_end = n_start + len(needle)
        start = self._index[n_start]
        end = self._index[n_end - 1] + 1
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
        best: tuple[float, int] = (0.0, 0)
        for s in self.sentences:
            m = difflib.SequenceMatcher(None, needle.lower(), normalise(s.text).lower())
            blocks = sum(b.size for b in m.get_matching_blocks())
            score = blocks / max(len(needle), 1)
            if score > best[0]:
                best = (score, s.number)
        return self.sentence(best[1]) if best[0] >= 0.5 else None

    def _sentence_at(self, offset: int) -> Sentence:
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        # offsets between sentences (white space) belong to the sentence before
        before = [s for s in self.sentences if s.start <= offset]
        return before[-1] if before else self.sentences[0]


def _clip(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


_SEGMENTER: pysbd.Segmenter | None = None


def split_sentences(text: str, roles: Mapping[int, str]) -> list[Sentence]:
    """Paragraphs are non-empty lines; pysbd splits each into sentences with character spans."""
    global _SEGMENTER
    if _SEGMENTER is None:
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


def load_source(meta: SourceMeta, meta_path: Path) -> SourceDoc:
    """Read the text next to the metadata file. Raises OSError or UnicodeDecodeError."""
    raw = (meta_path.parent / meta.text).read_bytes()
    text = raw.decode("utf-8")
    roles = {b.paragraph: b.role for b in meta.blocks}
    return SourceDoc(meta, text, hashlib.sha256(raw).hexdigest(), split_sentences(text, roles))
