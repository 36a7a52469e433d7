"""Cases: one folder of facts per article, `evaluate --source`, `sources add`, source schema."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.cases import UnknownSourceError, select_sources
from engine.diagnostics import Diagnostics
from engine.loader import load_facts
from engine.schemas import schema_for
from tests.helpers import ROOT, SOURCE_ID, event, facts_dir, run_cli

SECOND = "Pyongyang fired a ballistic missile on 3 March 2023, Seoul said.\n"


def _two_articles(tmp_path: Path) -> Path:
    """The bundled article's case plus a one-sentence second article with one event of its own."""
    root = tmp_path / "facts"
    for part in ("provisions", "article-2022-11-08"):
        shutil.copytree(ROOT / "facts" / part, root / part)
    shutil.copy(ROOT / "facts" / "actors.yaml", root / "actors.yaml")
    (root / "sources").mkdir()
    for suffix in (".txt", ".yaml"):
        name = SOURCE_ID + suffix
        shutil.copy(ROOT / "facts" / "sources" / name, root / "sources" / name)
    (root / "sources" / "second.txt").write_text(SECOND, encoding="utf-8")
    meta = {
        "id": "second",
        "title": "Second",
        "publisher": "Test",
        "published": "2023-03-03",
        "url": None,
        "text": "second.txt",
        "sha256": hashlib.sha256(SECOND.encode()).hexdigest(),
    }
    (root / "sources" / "second.yaml").write_text(json.dumps(meta), encoding="utf-8")
    (root / "second").mkdir()
    (root / "second" / "events.yaml").write_text(
        "source: second\nfacts:\n"
        + event(
            "ev-second-launch",
            "weapons_test",
            "Pyongyang fired a ballistic missile on 3 March 2023",
            actor="PRK",
            weapon_class="ballistic_unspecified",
            date={"day": "2023-03-03"},
            asserted_by=["KOR"],
        )
        + "\n",
        encoding="utf-8",
    )
    return root


def _evaluate(*args: str | Path) -> dict[str, Any]:
    result = run_cli("evaluate", "--format", "json", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)  # type: ignore[no-any-return]


def test_select_keeps_the_case_and_the_shared_actors_and_provisions(tmp_path: Path) -> None:
    diags = Diagnostics()
    facts = load_facts(_two_articles(tmp_path), diags)
    assert not diags.items
    second = select_sources(facts, ["second"])
    kinds = {f.kind for f in second.facts.values()}
    assert "ev-second-launch" in second.facts and "provision" in kinds and "state" in kinds
    assert not any(
        c.source == SOURCE_ID
        for fid in second.facts
        for c in second.citations[fid]
        if second.facts[fid].kind not in ("state", "official", "organisation", "group")
    )
    assert "ev-dprk-shells-us-allegation" not in second.facts
    bundled = select_sources(facts, [SOURCE_ID])
    assert "ev-second-launch" not in bundled.facts
    assert "ev-dprk-shells-us-allegation" in bundled.facts
    both = select_sources(facts, ["second", SOURCE_ID, "second"])
    assert set(both.facts) == set(facts.facts)
    assert not any("second" in path for path in bundled.files)


def test_evaluate_source_reports_that_article_alone(tmp_path: Path) -> None:
    root = _two_articles(tmp_path)
    everything = _evaluate("--facts", root)
    second = _evaluate("--facts", root, "--source", "second")
    bundled = _evaluate("--facts", root, "--source", SOURCE_ID)
    assert {c["source"] for f in second["findings"] for c in f["citations"]} == {"second"}
    [launch] = second["findings"]
    assert launch["rule"]["id"] == "DPRK-BALLISTIC-LAUNCH" and launch["facts"] == [
        "ev-second-launch"
    ]
    assert "ev-second-launch" not in {x for f in bundled["findings"] for x in f["facts"]}
    assert len(everything["findings"]) == len(bundled["findings"]) + 1
    both = _evaluate("--facts", root, "--source", "second", "--source", SOURCE_ID)
    assert [f["id"] for f in both["findings"]] == [f["id"] for f in everything["findings"]]


def test_an_unknown_source_is_a_usage_error_with_a_hint() -> None:
    result = run_cli("evaluate", "--source", "article-2022-11-08-nk-denies-artilery")
    assert result.code == 2
    assert "no source 'article-2022-11-08-nk-denies-artilery'" in result.err
    assert f"did you mean '{SOURCE_ID}'?" in result.err
    diags = Diagnostics()
    facts = load_facts(ROOT / "facts", diags)
    with pytest.raises(UnknownSourceError, match="'nope'.*'also-nope'"):
        select_sources(facts, ["nope", "also-nope"])


@pytest.mark.parametrize(
    "source", sorted(p.stem for p in (ROOT / "facts" / "sources").glob("*.yaml"))
)
def test_each_bundled_case_reports_only_its_own_article(source: str) -> None:
    doc = _evaluate("--source", source)
    cited = {c["source"] for f in doc["findings"] + doc["not_flagged"] for c in f["citations"]}
    assert cited <= {source}, cited
    assert doc["findings"] or doc["not_flagged"], f"{source}: the case gives nothing at all"


def test_every_article_has_a_facts_folder_of_its_own() -> None:
    diags = Diagnostics()
    facts = load_facts(ROOT / "facts", diags)
    folders: dict[str, set[str]] = {}
    for fid, cites in facts.citations.items():
        if facts.family(fid) in ("event", "statement"):
            where = Path(facts.locations[fid].path)
            folders.setdefault(where.parent.name, set()).update(c.source for c in cites)
    # one folder per case; a folder's facts quote its own article
    assert all(len(sources) == 1 for sources in folders.values()), folders
    assert len(folders) == len(facts.sources) == len({s for v in folders.values() for s in v})


# -- sources add --------------------------------------------------------------------------


def test_sources_add_copies_the_text_and_writes_checked_metadata(tmp_path: Path) -> None:
    root = facts_dir(tmp_path, {})
    article = tmp_path / "Iran Missiles.txt"
    article.write_text("Headline\n\nRussia received missiles, officials said.\n", "utf-8")
    result = run_cli(
        "sources", "--facts", root, "add", article,
        "--title", "Iran missiles", "--publisher", "Test wire", "--date", "2024-09-10",
        "--url", "https://example.org/a",
    )  # fmt: skip
    assert result.code == 0, result.err
    sid = "article-2024-09-10-iran-missiles"
    assert f"Added source '{sid}': 2 sentences in 2 paragraphs." in result.out
    text = root / "sources" / f"{sid}.txt"
    assert text.read_bytes() == article.read_bytes()
    meta_text = (root / "sources" / f"{sid}.yaml").read_text("utf-8")
    assert meta_text.startswith("# yaml-language-server: $schema=../../schemas/source.schema.json")
    meta = yaml.safe_load(meta_text)
    assert meta["sha256"] == hashlib.sha256(article.read_bytes()).hexdigest()
    assert meta["url"] == "https://example.org/a" and "\npublished: 2024-09-10\n" in meta_text
    assert run_cli("validate", "--facts", root).code == 0
    shown = run_cli("sources", "--facts", root, "show", sid)
    assert "  2  P2   Russia received missiles, officials said." in shown.out
    again = run_cli(
        "sources", "--facts", root, "add", article,
        "--title", "t", "--publisher", "p", "--date", "2024-09-10",
    )  # fmt: skip
    assert again.code == 2 and "already exists" in again.err and "--id" in again.err


@pytest.mark.parametrize(
    ("content", "options", "message"),
    [
        (b"Some text.\n", ["--date", "10 Sept 2024"], "is not a date"),
        (b"\xff\xfe bad\n", ["--date", "2024-09-10"], "is not UTF-8 text"),
        (b"\n\n", ["--date", "2024-09-10"], "holds no text"),
        (b"Some text.\n", ["--date", "2024-09-10", "--id", "Bad Id"], "cannot be a source id"),
        (b"Some text.\n", ["--date", "2024-09-10", "--title", " "], "--title cannot be empty"),
    ],
)
def test_sources_add_refuses_bad_input_plainly(
    tmp_path: Path, content: bytes, options: list[str], message: str
) -> None:
    root = facts_dir(tmp_path, {})
    article = tmp_path / "a.txt"
    article.write_bytes(content)
    before = sorted(p.name for p in (root / "sources").iterdir())
    result = run_cli("sources", "--facts", root, "add", article, "--title", "t",
                     "--publisher", "p", *options)  # fmt: skip
    assert result.code == 2 and message in result.err and "hint: " in result.err
    assert sorted(p.name for p in (root / "sources").iterdir()) == before


# -- source metadata schema ---------------------------------------------------------------


def test_published_source_schema_is_current() -> None:
    path = ROOT / "schemas" / "source.schema.json"
    expected = json.dumps(schema_for("source"), indent=2, sort_keys=True) + "\n"
    assert path.read_text(encoding="utf-8") == expected, (
        "source.schema.json is stale: run 'sanctions schema source > schemas/source.schema.json'"
    )
    printed = run_cli("schema", "source")
    assert printed.code == 0 and json.loads(printed.out) == schema_for("source")


def test_source_metadata_files_point_editors_at_the_schema() -> None:
    missing = [
        str(p.relative_to(ROOT))
        for p in sorted((ROOT / "facts" / "sources").glob("*.yaml"))
        if "yaml-language-server: $schema=../../schemas/source.schema.json"
        not in p.read_text(encoding="utf-8")
    ]
    assert not missing, "\n".join(missing)
