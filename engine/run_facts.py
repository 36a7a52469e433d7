"""The facts of one run as the checks and findings read them: reported facts as encoded for
the engine, derived facts from the ledger, and the statements about each event.

A RunFacts is made once the run is over (the ledger finished), so nothing it reads changes
any more: what it works out for a fact id (what a derived fact rests on, a derived fact's
record) is kept, keyed on that id, and never worked out twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from engine.derivation import Ledger
from engine.facts import FAMILY_OF_KIND, AnyFact, AnyStatement, EventBase, StatementBase
from engine.loader import FactSet
from engine.paths import resolve


class RunFacts:
    """The facts of one run, reported and derived, and how to read them."""

    def __init__(
        self, facts: FactSet, chosen: dict[str, AnyFact], encoded: dict[str, Any], ledger: Ledger
    ) -> None:
        self.all, self.chosen, self.encoded, self.ledger = facts, chosen, encoded, ledger
        self.derived = ledger.derived
        self.statements_about: dict[str, list[AnyStatement]] = {}
        for f in chosen.values():
            if isinstance(f, StatementBase):
                for ev in f.about:
                    self.statements_about.setdefault(ev, []).append(f)
        self._families = {fid: FAMILY_OF_KIND[f.kind] for fid, f in chosen.items()}
        self._families.update((fid, "derived") for fid in self.derived)
        # the reported events (family "event"), for a quick "is it a report of an act?"
        self.events = frozenset(fid for fid, fam in self._families.items() if fam == "event")
        self._rests_on: dict[str, frozenset[str]] = {}  # derived fact id -> its expansion
        self._derived_records: dict[str, dict[str, Any]] = {}  # derived fact id -> record

    def family(self, fid: str) -> str:
        """'derived' for a fact the rules made, else the family of its kind ('event', ...)."""
        return self._families[fid]

    def record(self, fid: str) -> dict[str, Any]:
        if fid in self.derived:
            record = self._derived_records.get(fid)
            if record is None:
                d = self.derived[fid]
                record = self._derived_records[fid] = {"id": d.id, "kind": d.kind, **d.fields}
            return record
        encoded: dict[str, Any] = self.encoded[fid]
        return encoded

    def value(self, bound: dict[str, str], ref: str, through_ids: bool = False) -> Any:
        binding, _, path = ref.partition(".")
        step = self._step if through_ids else None
        return resolve(self.record(bound[binding]), path, step)

    def _step(self, value: str) -> dict[str, Any] | None:
        named: dict[str, Any] | None = self.encoded.get(value)
        return named

    def expand(self, ids: Iterable[str]) -> set[str]:
        """Fact ids with every derived fact replaced by (and kept beside) what it rests on."""
        out: set[str] = set()
        for fid in ids:
            if fid in self.derived:
                out |= self._expand_derived(fid)
            else:
                out.add(fid)
        return out

    def _expand_derived(self, fid: str) -> frozenset[str]:
        got = self._rests_on.get(fid)
        if got is None:
            out: set[str] = set()
            todo = [fid]
            while todo:  # derivations may form cycles: walk, do not recurse
                current = todo.pop()
                if current in out:
                    continue
                out.add(current)
                if current in self.derived:
                    todo.extend(self.derived[current].supports)
            got = self._rests_on[fid] = frozenset(out)
        return got

    def reports(self, ids: Iterable[str]) -> list[str]:
        """The reported events among these facts and what they rest on."""
        return sorted(f for f in self.expand(ids) if f in self.events)

    def event(self, fid: str) -> EventBase:
        fact = self.chosen[fid]
        assert isinstance(fact, EventBase)
        return fact

    def name(self, actor: str) -> str:
        return str(getattr(self.chosen.get(actor), "name", actor))
