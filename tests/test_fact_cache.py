"""The cache of validated fact files (engine/fact_cache.py) may only save time: a run that
reads entries gives exactly what a run without the cache gives, files with problems are
reported on every run, and what an entry depends on beyond its own file is checked again."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from engine import fact_cache
from engine.diagnostics import Diagnostics
from engine.evaluate import evaluate
from engine.language.load import load_rules
from engine.loader import FactSet, load_facts
from engine.report import to_document, to_json
from tests.helpers import ROOT


@pytest.fixture
def facts_dir(tmp_path: Path) -> Path:
    target = tmp_path / "facts"
    shutil.copytree(ROOT / "facts", target)
    return target


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SANCTIONS_CACHE", str(folder))
    return folder


def _load(facts_dir: Path) -> tuple[FactSet, list[str]]:
    diags = Diagnostics()
    facts = load_facts(facts_dir, diags)
    return facts, [d.one_line() for d in diags.sorted()]


def _report(facts: FactSet) -> str:
    diags = Diagnostics()
    rules = load_rules(ROOT / "rules", facts, diags)
    assert not diags
    return to_json(to_document(evaluate(facts, rules), facts, rules))


def _entries(cache: Path) -> list[Path]:
    folder = cache / "facts"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    hits: list[str] = []
    real = fact_cache.read

    def read(sha: str) -> fact_cache.Entry | None:
        entry = real(sha)
        if entry is not None:
            hits.append(sha)
        return entry

    monkeypatch.setattr(fact_cache, "read", read)
    return hits


def test_a_run_from_the_cache_gives_exactly_what_a_run_without_it_gives(
    facts_dir: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANCTIONS_CACHE", "off")
    plain, problems = _load(facts_dir)
    assert problems == []
    assert _entries(cache) == []  # off writes nothing
    monkeypatch.setenv("SANCTIONS_CACHE", str(cache))
    first, _ = _load(facts_dir)  # fills the cache
    n_files = len([p for p in plain.files if "/sources/" not in p])
    assert len(_entries(cache)) == n_files
    hits = _count_reads(monkeypatch)
    again, problems = _load(facts_dir)
    assert problems == [] and len(hits) == n_files
    for loaded in (first, again):
        assert list(loaded.facts) == list(plain.facts)
        assert loaded.facts == plain.facts
        assert loaded.citations == plain.citations
        assert loaded.encoded == plain.encoded
        assert loaded.files == plain.files
        assert {k: loaded.locations[k] for k in plain.locations} == {
            k: plain.locations[k] for k in plain.locations
        }
    assert _report(again) == _report(plain)


def test_an_edited_file_is_read_again_and_the_others_come_from_the_cache(
    facts_dir: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _load(facts_dir)
    events = facts_dir / "article-2022-11-08" / "events.yaml"
    text = events.read_text(encoding="utf-8")
    marker = "\n    summary: "
    assert marker in text
    events.write_text(text.replace(marker, marker + "Reworded ", 1), encoding="utf-8")
    hits = _count_reads(monkeypatch)
    facts, problems = _load(facts_dir)
    assert problems == []
    assert sum(getattr(f, "summary", "").startswith("Reworded ") for f in facts.facts.values()) == 1
    n_files = len([p for p in facts.files if "/sources/" not in p])
    assert len(hits) == n_files - 1


def test_a_file_with_a_problem_is_never_stored_and_is_reported_every_time(
    facts_dir: Path, cache: Path
) -> None:
    events = facts_dir / "article-2022-11-08" / "events.yaml"
    text = events.read_text(encoding="utf-8")
    events.write_text(text.replace("kind: arms_transfer", "kind: arms_transfr", 1), "utf-8")
    _, first = _load(facts_dir)
    _, second = _load(facts_dir)
    assert any("F105" in p and "arms_transfr" in p for p in first)
    assert second == first


def test_problems_between_files_are_found_although_both_files_are_cached(
    facts_dir: Path, cache: Path
) -> None:
    _load(facts_dir)
    # a second file with the bytes of a cached one: its entry is read, its ids are repeats
    shutil.copy(facts_dir / "actors.yaml", facts_dir / "extra.yaml")
    _, problems = _load(facts_dir)
    assert any("extra.yaml" in p and "F110" in p and "'PRK' is used twice" in p for p in problems)
    (facts_dir / "extra.yaml").unlink()
    assert _load(facts_dir)[1] == []


def test_a_changed_source_has_its_quotes_found_again(facts_dir: Path, cache: Path) -> None:
    plain, _ = _load(facts_dir)
    source = next(iter(plain.sources.values()))
    cited = next(c for cs in plain.citations.values() for c in cs if c.source == source.meta.id)
    text_file = facts_dir / "sources" / source.meta.text
    text = text_file.read_text(encoding="utf-8")
    assert cited.quote in text
    text_file.write_text(text.replace(cited.quote, "words no fact quotes"), encoding="utf-8")
    _, problems = _load(facts_dir)
    assert any("F124" in p for p in problems)  # the text's SHA-256 no longer matches
    assert any("F121" in p and "does not stand in source" in p for p in problems), problems


def test_a_broken_or_tampered_entry_is_ignored_never_run(
    facts_dir: Path, cache: Path, tmp_path: Path
) -> None:
    plain, _ = _load(facts_dir)
    entries = _entries(cache)
    entries[0].write_bytes(b"not a pickle")
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (Path.touch, (str(marker),))

    entries[1].write_bytes(pickle.dumps(Payload()))
    again, problems = _load(facts_dir)
    assert problems == []
    assert not marker.exists()
    assert again.facts == plain.facts and again.citations == plain.citations
    assert len(_entries(cache)) == len(entries)  # the two were written again, whole


def test_the_fingerprint_changes_with_the_vocabulary_and_the_libraries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vocabulary = tmp_path / "vocabulary"
    shutil.copytree(ROOT / "vocabulary", vocabulary)
    monkeypatch.setattr(fact_cache, "_VOCABULARY_DIR", vocabulary)
    fact_cache.fingerprint.cache_clear()
    try:
        before = fact_cache.fingerprint()
        categories = vocabulary / "categories.yaml"
        categories.write_text(categories.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        fact_cache.fingerprint.cache_clear()
        edited = fact_cache.fingerprint()
        assert edited != before
        monkeypatch.setattr(fact_cache, "_LIBRARIES", (*fact_cache._LIBRARIES, "orjson"))
        fact_cache.fingerprint.cache_clear()
        assert fact_cache.fingerprint() != edited
    finally:
        fact_cache.fingerprint.cache_clear()


def _rules(facts: FactSet, rules_dir: Path) -> tuple[list[object], list[str]]:
    from engine.compiler import compile_rules

    diags = Diagnostics()
    rules = load_rules(rules_dir, facts, diags)
    problems = [d.one_line() for d in diags.sorted()]
    return [compile_rules(rules).as_json(), [r.rule for r in rules.rules]], problems


def test_rule_files_from_the_cache_check_and_compile_as_without_it(
    facts_dir: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from engine.language.model import Condition

    rules_dir = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules_dir)
    facts, _ = _load(facts_dir)
    monkeypatch.setenv("SANCTIONS_CACHE", "off")
    plain, problems = _rules(facts, rules_dir)
    assert problems == []
    monkeypatch.setenv("SANCTIONS_CACHE", str(cache))
    assert _rules(facts, rules_dir) == (plain, [])  # fills the cache
    assert len(list((cache / "rules").iterdir())) == len(list(rules_dir.rglob("*.yaml")))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a cached rule's conditions are validated again")

    with monkeypatch.context() as m:  # read back: the rules and their tests' conditions
        m.setattr(Condition, "model_validate", refuse)
        assert _rules(facts, rules_dir) == (plain, [])


def test_a_rule_with_a_problem_is_reported_on_every_run(
    facts_dir: Path, cache: Path, tmp_path: Path
) -> None:
    rules_dir = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules_dir)
    path = rules_dir / "dprk" / "ballistic-launch.yaml"
    text = path.read_text(encoding="utf-8")
    assert "kind: weapons_test" in text
    path.write_text(text.replace("kind: weapons_test", "kind: weapons_tst", 1), "utf-8")
    facts, _ = _load(facts_dir)
    _, first = _rules(facts, rules_dir)
    _, second = _rules(facts, rules_dir)
    assert first and second == first
    assert any("ballistic-launch.yaml" in p and "weapons_tst" in p for p in first), first


def test_entries_unused_for_a_month_are_pruned_when_a_run_writes(
    facts_dir: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib
    import os
    import time

    _load(facts_dir)
    entries = _entries(cache)
    events = facts_dir / "article-2022-11-08" / "events.yaml"
    stale = fact_cache._path_for("facts", hashlib.sha256(events.read_bytes()).hexdigest())
    assert stale in entries
    used = next(p for p in entries if p != stale)
    month_ago = time.time() - (fact_cache.UNUSED_DAYS + 1) * 86400
    for entry in (stale, used):
        os.utime(entry, (month_ago, month_ago))
    (cache / "facts" / "left-by-a-killed-run.tmp").write_bytes(b"")
    os.utime(cache / "facts" / "left-by-a-killed-run.tmp", (month_ago, month_ago))
    monkeypatch.setattr(fact_cache, "_PRUNED", set())
    _load(facts_dir)  # reads every entry: each is marked as used, none is pruned
    assert [p for p in _entries(cache) if p.suffix == ".pickle"] == entries
    for entry in (stale, used):
        os.utime(entry, (month_ago, month_ago))
    events.write_text(events.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    monkeypatch.setattr(fact_cache, "_PRUNED", set())
    _load(facts_dir)  # reads the others (used again), writes the edited file's entry, prunes
    left = _entries(cache)
    assert stale not in left and used in left
    assert not any(p.suffix == ".tmp" for p in left)
