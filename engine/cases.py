"""Cases: evaluate one article (or a few) out of a corpus of many, with the shared facts.

A case is the facts curated from one source document. Actors (`facts/actors.yaml`) and
provisions (`facts/provisions/`) are shared by every case: they are always kept. Events and
statements are kept when at least one of their citations quotes a selected source.
"""

from __future__ import annotations

from collections.abc import Iterable

from engine.diagnostics import did_you_mean
from engine.facts import FAMILY_OF_KIND
from engine.loader import FactSet

# Families every case shares: who the actors are and what the law says does not depend on
# the article being read.
SHARED_FAMILIES = frozenset({"actor", "provision"})


class UnknownSourceError(ValueError):
    """A source id that names no source document; the message carries a hint."""


def select_sources(facts: FactSet, source_ids: Iterable[str]) -> FactSet:
    """The facts of the given sources' cases plus the shared actors and provisions.

    Raises UnknownSourceError naming every unknown id, with a hint, in one message.
    """
    wanted = list(dict.fromkeys(source_ids))
    unknown = [s for s in wanted if s not in facts.sources]
    if unknown:
        parts = []
        for sid in unknown:
            hint = did_you_mean(sid, facts.sources) or "run 'sanctions sources' to list them"
            parts.append(f"no source '{sid}' ({hint})")
        raise UnknownSourceError("; ".join(parts))
    chosen = set(wanted)
    kept = {
        fid: fact
        for fid, fact in facts.facts.items()
        if FAMILY_OF_KIND[fact.kind] in SHARED_FAMILIES
        or any(c.source in chosen for c in facts.citations.get(fid, []))
    }
    citations = {fid: facts.citations.get(fid, []) for fid in kept}
    # the record lists every source the kept facts quote: the selected ones, and the ones
    # the shared actors happen to cite
    quoted = chosen | {c.source for cs in citations.values() for c in cs}
    sources = {sid: doc for sid, doc in facts.sources.items() if sid in quoted}
    keys = set(kept) | {f"source:{sid}" for sid in sources}
    locations = facts.locations.keep_only(keys)
    used_files = {locations.file_of(key) for key in locations}
    files = {path: sha for path, sha in facts.files.items() if path in used_files}
    encoded = {fid: facts.encoded[fid] for fid in kept if fid in facts.encoded}
    return FactSet(
        facts=kept,
        sources=sources,
        citations=citations,
        locations=locations,
        files=files,
        encoded=encoded,
    )
