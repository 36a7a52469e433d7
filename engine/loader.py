"""Load sources and fact files, validate each, then check them across files in one pass."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine import fact_cache
from engine.diagnostics import Diagnostics, Location, did_you_mean
from engine.encoding import encode
from engine.facts import (
    BEARER_CLASSES,
    FAMILY_OF_KIND,
    MODEL_BY_KIND,
    AnyFact,
    DocumentCitation,
    QuoteCitation,
)
from engine.language.fields import iter_refs
from engine.limits import check_fact
from engine.pydantic_errors import report_validation_error
from engine.quantities import quantities_diagnostics
from engine.safefiles import find_yaml_files
from engine.sources import (
    QuoteError,
    SourceDoc,
    SourceError,
    SourceMeta,
    load_source,
    text_path,
)
from engine.vocabulary import vocabulary_diagnostics
from engine.yamlsrc import DocPath, SourceMap, display_path, load_yaml

FACT_CODES = {"unknown": "F101", "type": "F102", "value": "F103", "missing": "F104"}


@dataclass(frozen=True)
class ResolvedCitation:
    """A quotation found in its source: what a finding shows to prove its evidence."""

    source: str
    sentence: int
    paragraph: int
    line: int
    start: int
    end: int
    quote: str
    role: str
    about: tuple[str, ...] = ()  # a statement's quote that speaks of some of its events only

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "sentence": self.sentence,
            "paragraph": self.paragraph,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "role": self.role,
        }


class Locations(MutableMapping[str, Location]):
    """Where each fact id stands, found only when asked for: finding a position reads the
    file's positions (SourceMap.locate), which a file without problems never needs."""

    def __init__(self) -> None:
        self._known: dict[str, Location] = {}
        self._pending: dict[str, tuple[SourceMap, DocPath]] = {}

    def later(self, key: str, smap: SourceMap, path: DocPath) -> None:
        self._known.pop(key, None)
        self._pending[key] = (smap, path)

    def __getitem__(self, key: str) -> Location:
        if key in self._pending:
            smap, path = self._pending.pop(key)
            self._known[key] = smap.locate(path)
        return self._known[key]

    def file_of(self, key: str) -> str:
        """The file a fact stands in, without working out its line and column."""
        if key in self._pending:
            return self._pending[key][0].path
        return self._known[key].path

    def keep_only(self, keys: set[str]) -> Locations:
        out = Locations()
        out._known = {k: v for k, v in self._known.items() if k in keys}
        out._pending = {k: v for k, v in self._pending.items() if k in keys}
        return out

    def __setitem__(self, key: str, value: Location) -> None:
        self._pending.pop(key, None)
        self._known[key] = value

    def __delitem__(self, key: str) -> None:
        if self._pending.pop(key, None) is None:
            del self._known[key]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._known) + list(self._pending))

    def __len__(self) -> int:
        return len(self._known) + len(self._pending)


@dataclass
class FactSet:
    facts: dict[str, AnyFact] = field(default_factory=dict)
    sources: dict[str, SourceDoc] = field(default_factory=dict)
    citations: dict[str, list[ResolvedCitation]] = field(default_factory=dict)
    locations: Locations = field(default_factory=lambda: Locations())
    files: dict[str, str] = field(default_factory=dict)  # shown path -> SHA-256 as read
    # each fact as the engine receives it (engine.encoding.encode), worked out once here
    encoded: dict[str, dict[str, Any]] = field(default_factory=dict)

    def of_kind(self, *kinds: str) -> list[AnyFact]:
        return [f for f in self.facts.values() if f.kind in kinds]

    def family(self, fact_id: str) -> str:
        return FAMILY_OF_KIND[self.facts[fact_id].kind]


@dataclass
class _Loaded:
    fact: AnyFact
    smap: SourceMap
    path: DocPath
    default_source: str | None


Ref = tuple[DocPath, str, str]  # where in the fact, the family named, the id


@dataclass
class _FactFile:
    """One facts file as loaded, and what its cache entry needs."""

    sha256: str | None
    items: list[_Loaded]
    entry: fact_cache.Entry | None = None  # read from the cache
    clean: bool = True  # no problem in the file itself
    cites_clean: bool = True  # every citation of its facts was found
    complete: bool = True  # every fact was taken (none a duplicate of another file's)
    sources: dict[str, str] = field(default_factory=dict)  # source id -> key, where resolved
    refs: dict[str, list[Ref]] = field(default_factory=dict)  # fact id -> the ids it names


def load_facts(facts_dir: Path, diags: Diagnostics) -> FactSet:
    """Everything under facts_dir: sources/*.yaml are source metadata, the rest are facts."""
    result = FactSet()
    # the vocabulary the fact model is built from (vocabulary/): its problems come first
    diags.extend(vocabulary_diagnostics())
    diags.extend(quantities_diagnostics())
    if not facts_dir.is_dir():
        diags.add(
            "Y001", f"the facts folder '{facts_dir}' does not exist", Location(str(facts_dir))
        )
        return result
    source_dir = facts_dir / "sources"
    files = find_yaml_files(facts_dir, diags, display_path)
    source_keys: dict[str, str] = {}
    for path in files:
        if path.parent == source_dir:
            _load_source_file(path, result, diags, source_keys)
    fact_files = [_fact_file(p, result, diags) for p in files if p.parent != source_dir]
    _cross_check(fact_files, result, diags, source_keys)
    _store_in_cache(fact_files, result)
    return result


def _fact_file(path: Path, result: FactSet, diags: Diagnostics) -> _FactFile:
    """A facts file from the cache when it holds this file's bytes, else read and checked."""
    cached = _cached_fact_file(path, result)
    if cached is not None:
        return cached
    before = len(diags)
    items = _load_fact_file(path, result, diags)
    return _FactFile(result.files.get(display_path(path)), items, clean=len(diags) == before)


def _cached_fact_file(path: Path, result: FactSet) -> _FactFile | None:
    peeked = fact_cache.peek(path)
    if peeked is None:
        return None
    sha, text = peeked
    entry = fact_cache.read(sha)
    if entry is None:
        return None
    shown = display_path(path)
    smap = SourceMap(shown, text=text)  # positions are found only if a problem needs one
    result.files[shown] = sha
    items = [_Loaded(fact, smap, place, entry.default_source) for place, fact in entry.facts]
    return _FactFile(sha, items, entry)


def _store_in_cache(fact_files: list[_FactFile], result: FactSet) -> None:
    """Keep what each file without a problem gave, unless its entry already holds it."""
    for ff in fact_files:
        if not (ff.clean and ff.cites_clean and ff.complete and ff.sha256 and ff.items):
            continue
        if ff.entry is not None and ff.entry.sources == ff.sources:
            continue
        ids = [item.fact.id for item in ff.items]
        entry = fact_cache.Entry(
            ff.items[0].default_source,
            [(item.path, item.fact) for item in ff.items],
            {fid: result.encoded[fid] for fid in ids},
            {fid: result.citations[fid] for fid in ids},
            dict(ff.sources),
            {fid: ff.refs[fid] for fid in ids},
        )
        fact_cache.write(ff.sha256, entry)


def _load_source_file(
    path: Path, result: FactSet, diags: Diagnostics, source_keys: dict[str, str]
) -> None:
    meta_and_map = _source_meta(path, diags)
    if meta_and_map is None:
        return
    meta, smap, meta_sha = meta_and_map
    try:
        source = load_source(meta, path)
    except SourceError as exc:
        where = smap.locate(("text",))
        if exc.line:  # a paragraph of the text itself
            where = Location(display_path(text_path(meta, path)), exc.line, 1)
        diags.add(exc.code, exc.message, where, exc.hint)
        return
    if source.sha256 != meta.sha256:
        diags.add(
            "F124",
            f"the text of source '{meta.id}' has changed: its SHA-256 is {source.sha256}",
            smap.locate(("sha256",)),
            "if the change is intended, update sha256 and re-check every quote and sentence number",
        )
    paragraphs = max((s.paragraph for s in source.sentences), default=0)
    for i, block in enumerate(meta.blocks):
        if block.paragraph > paragraphs:
            diags.add(
                "F126",
                f"paragraph {block.paragraph} does not exist (the text has {paragraphs})",
                smap.locate(("blocks", i, "paragraph")),
                "paragraphs are the non-empty lines of the text, counted from 1",
            )
    if meta.id in result.sources:
        diags.add("F110", f"source id '{meta.id}' is used twice", smap.locate(("id",)))
    result.sources[meta.id] = source
    # what decides a citation found in it: the metadata (paragraph roles) and the text
    source_keys[meta.id] = f"{meta_sha}:{source.sha256}"
    result.locations.later(f"source:{meta.id}", smap, ("id",))
    result.files[smap.path] = meta_sha


def _source_meta(path: Path, diags: Diagnostics) -> tuple[SourceMeta, SourceMap, str] | None:
    """A source's validated metadata, its positions and its SHA-256: from the cache when it
    holds these bytes, else read and validated (None after reporting a problem)."""
    peeked = fact_cache.peek(path)
    if peeked is not None:
        sha, text = peeked
        cached = fact_cache.read_validated("sources", sha, SourceMeta)
        if cached is not None:
            return cached, SourceMap(display_path(path), text=text), sha
    doc = load_yaml(path, diags)
    if doc is None:
        return None
    smap = doc.source_map
    if not isinstance(doc.data, dict):
        diags.add("Y005", "a source file must be a mapping of keys to values", smap.locate(()))
        return None
    try:
        meta = SourceMeta.model_validate(doc.data)
    except ValidationError as exc:
        report_validation_error(exc, SourceMeta, (), smap, diags, FACT_CODES, "a source")
        return None
    fact_cache.write_validated("sources", doc.sha256, meta)
    return meta, smap, doc.sha256


def _load_fact_file(path: Path, result: FactSet, diags: Diagnostics) -> list[_Loaded]:
    doc = load_yaml(path, diags)
    if doc is None:
        return []
    result.files[doc.source_map.path] = doc.sha256
    smap = doc.source_map
    data = doc.data
    default_source: str | None = None
    base: DocPath = ()
    if isinstance(data, dict):
        unknown = sorted(set(data) - {"source", "facts"})
        for key in unknown:
            diags.add(
                "F101",
                f"unknown key '{key}' at the top of a facts file",
                smap.locate((key,), key=True),
                did_you_mean(key, ["source", "facts"]) or "a facts file has 'source' and 'facts'",
            )
        if "facts" not in data:
            diags.add(
                "F104", "missing key 'facts'", smap.locate(()), "list the facts under 'facts:'"
            )
            return []
        src = data.get("source")
        if src is not None and not isinstance(src, str):
            diags.add("F102", "'source' must be a source id", smap.locate(("source",)))
        default_source = src if isinstance(src, str) else None
        data, base = data["facts"], ("facts",)
    if not isinstance(data, list):
        diags.add(
            "Y005",
            "a facts file must be a list of facts, or a mapping with 'source' and 'facts'",
            smap.locate(base),
            "start each fact with '- id: ...' under 'facts:'",
        )
        return []
    out: list[_Loaded] = []
    for i, raw in enumerate(data):
        here = base + (i,)
        if not isinstance(raw, dict):
            diags.add("F102", "each fact must be a mapping of keys to values", smap.locate(here))
            continue
        kind = raw.get("kind")
        if not isinstance(kind, str) or kind not in MODEL_BY_KIND:
            where = smap.locate(here + ("kind",)) if "kind" in raw else smap.locate(here)
            hint = did_you_mean(str(kind), MODEL_BY_KIND) if isinstance(kind, str) else ""
            diags.add(
                "F105",
                f"unknown fact kind '{kind}'" if kind is not None else "the fact has no 'kind'",
                where,
                hint or "kinds: " + ", ".join(sorted(MODEL_BY_KIND)),
            )
            continue
        check_fact(raw, smap, here, diags)  # the engine's fixed limits (engine/limits.py)
        model = MODEL_BY_KIND[kind]
        try:
            fact: AnyFact = model.model_validate(raw)  # type: ignore[assignment]
        except ValidationError as exc:
            what = f"a fact of kind '{kind}'"
            report_validation_error(exc, model, here, smap, diags, FACT_CODES, what)
            continue
        out.append(_Loaded(fact, smap, here, default_source))
    return out


def _cross_check(
    files: list[_FactFile], result: FactSet, diags: Diagnostics, source_keys: dict[str, str]
) -> None:
    first: dict[str, _Loaded] = {}
    for ff in files:
        for item in ff.items:
            fid = item.fact.id
            if fid in first:
                earlier = first[fid]
                diags.add(
                    "F110",
                    f"fact id '{fid}' is used twice",
                    item.smap.locate(item.path + ("id",)),
                    f"first defined at {earlier.smap.locate(earlier.path + ('id',))}; "
                    "give each fact its own id",
                )
                ff.complete = False
                continue
            first[fid] = item
            result.facts[fid] = item.fact
            result.locations.later(fid, item.smap, item.path + ("id",))
    ids_by_family: dict[str, list[str]] = {}
    for fid, fact in result.facts.items():
        ids_by_family.setdefault(FAMILY_OF_KIND[fact.kind], []).append(fid)
    for ff in files:
        entry = ff.entry
        reuse = entry is not None and all(
            source_keys.get(sid) == key for sid, key in entry.sources.items()
        )
        for item in ff.items:
            fid = item.fact.id
            if result.facts.get(fid) is not item.fact:
                continue
            refs = entry.refs[fid] if entry is not None else list(iter_refs(item.fact))
            ff.refs[fid] = refs
            _check_refs(item, refs, result, ids_by_family, diags)
            if reuse and entry is not None:
                result.citations[fid] = entry.citations[fid]
                result.encoded[fid] = entry.encoded[fid]
                continue
            before = len(diags)
            _resolve_citations(item, result, diags, ff.sources, source_keys)
            ff.cites_clean = ff.cites_clean and len(diags) == before
            result.encoded[fid] = entry.encoded[fid] if entry is not None else encode(item.fact)
        if reuse and entry is not None:
            ff.sources = dict(entry.sources)
    result.facts = dict(sorted(result.facts.items()))


def _check_refs(
    item: _Loaded,
    refs: list[Ref],
    result: FactSet,
    ids_by_family: dict[str, list[str]],
    diags: Diagnostics,
) -> None:
    for path, family, target in refs:
        wanted = "actor" if family == "bearer" else family
        if family == "bearer" and target in BEARER_CLASSES:
            continue
        if target not in result.facts:
            choices = ids_by_family.get(wanted, [])
            if family == "bearer":
                choices = choices + list(BEARER_CLASSES)
            diags.add(
                "F111",
                f"'{target}' names no known {wanted}",
                item.smap.locate(item.path + path),
                did_you_mean(target, choices) or f"define a fact with id '{target}' or fix the id",
            )
        elif result.family(target) != wanted:
            actual = result.facts[target].kind
            diags.add(
                "F112",
                f"'{target}' is a {actual.replace('_', ' ')}, but an {wanted} is needed here",
                item.smap.locate(item.path + path),
                f"name an {wanted} id here",
            )


def _resolve_citations(
    item: _Loaded,
    result: FactSet,
    diags: Diagnostics,
    used: dict[str, str],
    source_keys: dict[str, str],
) -> None:
    """The fact's quotations found in their sources; each source searched goes into `used`
    with its key, so a cached entry knows when its citations must be found again."""
    fid = item.fact.id
    resolved: list[ResolvedCitation] = []
    for i, cite in enumerate(item.fact.cite):
        if isinstance(cite, DocumentCitation):
            continue  # provisions cite UN documents, not the article
        assert isinstance(cite, QuoteCitation)
        here = item.path + ("cite", i)
        source_id = cite.source or item.default_source
        if source_id is None:
            diags.add(
                "F120",
                "the citation names no source",
                item.smap.locate(here),
                "add 'source: <id>' to the citation or at the top of the file",
            )
            continue
        source = result.sources.get(source_id)
        if source is None:
            where = item.smap.locate(here + ("source",) if cite.source else ("source",))
            diags.add(
                "F120",
                f"unknown source '{source_id}'",
                where,
                did_you_mean(source_id, result.sources) or "sources live in facts/sources/",
            )
            continue
        used[source_id] = source_keys[source_id]
        try:
            match = source.resolve(cite.quote, cite.sentence)
        except QuoteError as exc:
            field = "sentence" if exc.code == "F129" and cite.sentence is not None else "quote"
            diags.add(exc.code, exc.message, item.smap.locate(here + (field,)), exc.hint)
            continue
        s = match.sentence
        resolved.append(
            ResolvedCitation(
                source_id,
                s.number,
                s.paragraph,
                s.line,
                match.start,
                match.end,
                match.quote,
                s.role,
                tuple(cite.about),
            )
        )
    result.citations[fid] = resolved
