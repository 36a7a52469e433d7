"""A scenario's world: the facts its Given steps describe, written as a real facts folder.

Each Given sentence becomes a sentence of a scenario source document, and the fact it
describes cites that sentence, so scenarios go through the same loading, quoting and
checking as curated facts do.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from engine.cases import select_sources
from engine.diagnostics import Diagnostic, Diagnostics
from engine.evaluate import evaluate
from engine.language.load import load_rules
from engine.loader import load_facts
from engine.report import to_document

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "scenario"

ARMS = {
    "ammunition",
    "artillery_shells",
    "rockets",
    "small_arms",
    "conventional_arms",
    "uav",
    "missile_items",
}
ITEMS = {
    "artillery shells": "artillery_shells",
    "ammunition": "ammunition",
    "rockets": "rockets",
    "small arms": "small_arms",
    "tanks": "conventional_arms",
    "air-defence systems": "conventional_arms",
    "drones": "uav",
    "missile parts": "missile_items",
    "pure-bred horses": "pure_bred_horses",
    "thoroughbred horses": "pure_bred_horses",
    "horses": "pure_bred_horses",
    "luxury cars": "luxury_goods",
    "jewellery": "luxury_goods",
    "medicine": "medicine",
    "food": "food",
    "fuel": "fuel",
    "refined petroleum": "refined_petroleum",
    "aviation fuel": "aviation_fuel",
    "military technology": "military_technology",
}
WEAPONS = {
    "an intercontinental ballistic missile": "icbm",
    "a ballistic missile": "ballistic_unspecified",
    "ballistic missiles": "ballistic_unspecified",
    "short-range ballistic missiles": "srbm",
    "missiles": "missile_unspecified",
    "dozens of missiles": "missile_unspecified",
    "a cruise missile": "cruise_missile",
    "cruise missiles": "cruise_missile",
    "artillery": "artillery",
}
MODALITY = {
    "alleges": "alleged",
    "allege": "alleged",
    "reports": "reported",
    "report": "reported",
    "confirms": "confirmed",
    "says": "reported",
    "speculate": "speculated",
    "speculates": "speculated",
    "hints": "hinted",
    "admits": "admitted",
}
FINDING_KINDS = {
    "a possible violation": "possible_violation",
    "an evasion indicator": "evasion_indicator",
    "a risk": "risk",
    "a context note": "context",
}


@dataclass
class World:
    sentences: list[str] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    last_event: str | None = None
    cases: list[str] = field(default_factory=list)  # curated sources to evaluate instead
    doc: dict[str, Any] | None = None
    finding: dict[str, Any] | None = None
    _names: dict[str, str] = field(default_factory=dict)

    # -- names ----------------------------------------------------------------------------

    def actor(self, phrase: str) -> str:
        if not self._names:
            for a in yaml.safe_load((ROOT / "facts" / "actors.yaml").read_text("utf-8"))["facts"]:
                for n in [a["name"], a["id"], *a.get("aliases", [])]:
                    self._names[n.casefold()] = a["id"]
        for a in self.actors:
            self._names[a["name"].casefold()] = a["id"]
        key = phrase.strip().casefold()
        for candidate in (key, key.removeprefix("the ")):
            if candidate in self._names:
                return self._names[candidate]
        raise AssertionError(f"the scenario names an unknown actor: {phrase!r}")

    def actors_in(self, phrase: str) -> list[str]:
        if phrase.strip() in ("unnamed countries", "countries it did not name"):
            return []
        return [self.actor(p) for p in phrase.replace(" and ", ", ").split(", ") if p.strip()]

    # -- facts ----------------------------------------------------------------------------

    def say(self, step_text: str) -> dict[str, Any]:
        """Add the step's words as a sentence of the scenario source; cite it."""
        text = step_text[0].upper() + step_text[1:]
        self.sentences.append(text + ".")
        return {"source": SOURCE, "quote": text}

    def cite_own_words(self, quote: str) -> dict[str, Any]:
        """Cite words the scenario states itself: they become a sentence of its source once."""
        text = quote.strip()
        if text.rstrip(".") + "." not in self.sentences:
            self.sentences.append(text.rstrip(".") + ".")
        return {"source": SOURCE, "quote": text.rstrip(".")}

    def add(self, fact: dict[str, Any], step_text: str | None = None) -> str:
        fact.setdefault("id", f"ev-{len(self.facts) + 1}")
        if step_text is not None:
            fact["cite"] = [self.say(step_text)]
        self.facts.append(fact)
        if fact["kind"] not in ("denial", "allegation", "admission", "assessment"):
            self.last_event = fact["id"]
        return str(fact["id"])

    # -- running --------------------------------------------------------------------------

    def evaluate(self, tmp: Path) -> dict[str, Any]:
        if self.cases:
            facts_dir = ROOT / "facts"
        else:
            facts_dir = tmp / "facts"
            shutil.copytree(ROOT / "facts" / "provisions", facts_dir / "provisions")
            shutil.copy(ROOT / "facts" / "actors.yaml", facts_dir / "actors.yaml")
            text = "\n\n".join(self.sentences) + "\n"
            # the article stays: the bundled actors cite it
            shutil.copytree(ROOT / "facts" / "sources", facts_dir / "sources")
            (facts_dir / "sources" / "scenario.txt").write_text(text, encoding="utf-8")
            meta = {
                "id": SOURCE,
                "title": "Scenario",
                "publisher": "feature file",
                "published": "2022-11-08",
                "url": None,
                "text": "scenario.txt",
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
            }
            (facts_dir / "sources" / "scenario.yaml").write_text(json.dumps(meta), "utf-8")
            starts = self._write_facts(facts_dir / "scenario.yaml")
        diags = Diagnostics()
        facts = load_facts(facts_dir, diags)
        rules = load_rules(ROOT / "rules", facts, diags)
        if self.cases and not diags.items:
            facts = select_sources(facts, self.cases)
        assert not diags.items, "the scenario's facts do not hold:\n" + "\n".join(
            self._explain(d, starts) for d in diags.items
        )
        self.doc = to_document(evaluate(facts, rules), facts, rules)
        return self.doc

    def _write_facts(self, path: Path) -> list[tuple[int, str]]:
        """Write the facts as a YAML list; return the first line of each, to name it later."""
        chunks, starts, line = [], [], 1
        for fact in self.actors + self.facts:
            chunk = yaml.safe_dump([fact], sort_keys=False, allow_unicode=True, width=200)
            starts.append((line, str(fact.get("id", "?"))))
            chunks.append(chunk)
            line += chunk.count("\n")
        path.write_text("".join(chunks), encoding="utf-8")
        return starts

    @staticmethod
    def _explain(d: Diagnostic, starts: list[tuple[int, str]]) -> str:
        """A problem in a scenario's own facts names the fact, not a generated file's line."""
        text = f"error {d.code} {d.message}" + (f"; {d.hint}" if d.hint else "")
        if not d.location.path.endswith("scenario.yaml"):
            return f"{d.location}: {text}"
        fact = [fid for first, fid in starts if first <= d.location.line][-1:] or ["?"]
        return f"in the scenario's fact '{fact[0]}': {text}"


def date_of(phrase: str) -> dict[str, Any]:
    """'on 2 November 2022', 'in August 2022', 'in 2019', 'between A and B', or
    'at an unknown date'."""
    p = phrase.strip()
    if p == "at an unknown date":
        return {"unknown": True}
    if p.startswith("between "):
        a, b = p[len("between ") :].split(" and ")
        return {"start": _day(a), "end": _day(b)}
    if p.startswith("on "):
        return {"day": _day(p[3:])}
    if p.startswith("in ") and p[3:].isdigit():
        return {"year": int(p[3:])}
    if p.startswith("in "):
        return {"month": datetime.strptime(p[3:], "%B %Y").strftime("%Y-%m")}
    raise AssertionError(f"the scenario gives a date this step cannot read: {phrase!r}")


def _day(text: str) -> str:
    return datetime.strptime(text.strip(), "%d %B %Y").date().isoformat()


def items_of(phrase: str) -> list[dict[str, str]]:
    out = []
    for part in phrase.split(" and "):
        words = part.strip().split(" ", 1)
        quantity = ""
        if words[0].isdigit() and len(words) == 2:
            quantity, part = words[0], words[1]
        category = ITEMS.get(part.strip())
        if category is None:
            raise AssertionError(f"unknown goods in the scenario: {part!r}; known: {sorted(ITEMS)}")
        out.append({"category": category, "description": part.strip(), "quantity": quantity})
    return out
