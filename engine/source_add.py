"""`sanctions sources add`: copy an article's text into the sources folder, with metadata.

The text is copied byte for byte (its SHA-256 is what later checks compare against) and the
metadata file starts with a modeline that points editors at the published schema.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from pydantic import ValidationError

from engine.sources import SourceMeta, load_source

MODELINE = "# yaml-language-server: $schema=../../schemas/source.schema.json"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class SourceAddError(Exception):
    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class AddedSource:
    id: str
    text_path: Path
    meta_path: Path
    sentences: int
    paragraphs: int

    def summary(self) -> str:
        return (
            f"Added source '{self.id}': {self.sentences} sentences in {self.paragraphs} "
            f"paragraphs.\n  text:     {self.text_path}\n  metadata: {self.meta_path}\n"
            f"Next: 'sanctions sources show {self.id}' numbers its sentences; mark headline, "
            f"captions and teasers under 'blocks:' in the metadata; curate the facts in "
            f"a folder of their own, e.g. {self.meta_path.parent.parent / self.id}/."
        )


def default_id(published: date, file: Path) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", file.stem.lower()).strip("-")[:50].strip("-")
    return f"article-{published.isoformat()}" + (f"-{slug}" if slug else "")


def add_source(
    facts_dir: Path,
    file: Path,
    title: str,
    publisher: str,
    published_text: str,
    url: str | None,
    source_id: str | None,
) -> AddedSource:
    """Copy `file` to <facts_dir>/sources/<id>.txt and write <id>.yaml beside it."""
    try:
        published = date.fromisoformat(published_text)
    except ValueError:
        raise SourceAddError(
            f"--date '{published_text}' is not a date", "write it as YYYY-MM-DD, e.g. 2024-09-10"
        ) from None
    blank = [
        name
        for name, value in (("--title", title), ("--publisher", publisher))
        if not value.strip()
    ]
    if blank:
        raise SourceAddError(
            f"{' and '.join(blank)} cannot be empty", "give the words as published"
        )
    if not facts_dir.is_dir():
        raise SourceAddError(
            f"the facts folder '{facts_dir}' does not exist",
            "run the command from the project folder, or name the folder with --facts",
        )
    raw = file.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceAddError(
            f"'{file}' is not UTF-8 text (byte {exc.start})", "save the article as UTF-8 text"
        ) from None
    sid = source_id or default_id(published, file)
    if not _ID.match(sid):
        raise SourceAddError(
            f"'{sid}' cannot be a source id",
            "use lower-case letters, digits and '-', e.g. article-2024-09-10-iran-missiles",
        )
    folder = facts_dir / "sources"
    text_path, meta_path = folder / f"{sid}.txt", folder / f"{sid}.yaml"
    taken = [str(p) for p in (text_path, meta_path) if p.exists()]
    if taken:
        raise SourceAddError(
            f"source '{sid}' already exists ({', '.join(taken)})",
            "give the new article another id with --id",
        )
    meta = {
        "id": sid,
        "title": title,
        "publisher": publisher,
        "published": published,  # written as a plain YAML date
        "url": url,
        "text": text_path.name,
        "sha256": hashlib.sha256(raw).hexdigest(),
    }
    try:
        checked = SourceMeta.model_validate(meta)
    except ValidationError as exc:  # pragma: no cover - every field is checked above
        raise SourceAddError(str(exc), "check the options") from None
    folder.mkdir(exist_ok=True)
    text_path.write_bytes(raw)
    doc = load_source(checked, meta_path)
    if not doc.sentences:
        text_path.unlink()
        raise SourceAddError(f"'{file}' holds no text", "copy the article's words into it")
    body = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)
    meta_path.write_text(
        f"{MODELINE}\n# Source metadata written by 'sanctions sources add'. The text beside it is "
        f"copied verbatim;\n# list the paragraphs that are not reporting under 'blocks:'.\n{body}",
        encoding="utf-8",
    )
    return AddedSource(
        sid, text_path, meta_path, len(doc.sentences), max(s.paragraph for s in doc.sentences)
    )
