"""The facts of one run as the checks and findings read them: reported facts as encoded for
the engine, derived facts from the ledger, and the statements about each event."""

from __future__ import annotations

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

    def family(self, fid: str) -> str:
        if fid in self.derived:
            return "derived"
        return FAMILY_OF_KIND[self.chosen[fid].kind]

    def record(self, fid: str) -> dict[str, Any]:
        if fid in self.derived:
            d = self.derived[fid]
            return {"id": d.id, "kind": d.kind, **d.fields}
        encoded: dict[str, Any] = self.encoded[fid]
        return encoded

    def value(self, bound: dict[str, str], ref: str, through_ids: bool = False) -> Any:
        binding, _, path = ref.partition(".")
        step = self._step if through_ids else None
        return resolve(self.record(bound[binding]), path, step)

    def _step(self, value: str) -> dict[str, Any] | None:
        named: dict[str, Any] | None = self.encoded.get(value)
        return named

    def expand(self, ids: set[str]) -> set[str]:
        """Fact ids with every derived fact replaced by (and kept beside) what it rests on."""
        out: set[str] = set()
        todo = list(ids)
        while todo:
            fid = todo.pop()
            if fid in out:
                continue
            out.add(fid)
            if fid in self.derived:
                todo.extend(self.derived[fid].supports)
        return out

    def reports(self, ids: set[str]) -> list[str]:
        """The reported events among these facts and what they rest on."""
        return sorted(f for f in self.expand(ids) if f in self.chosen and self.family(f) == "event")

    def event(self, fid: str) -> EventBase:
        fact = self.chosen[fid]
        assert isinstance(fact, EventBase)
        return fact

    def name(self, actor: str) -> str:
        return str(getattr(self.chosen.get(actor), "name", actor))
