"""References are found by walking only the fields that can name a fact
(engine/language/fields.py `iter_refs`): the same references as walking every field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from engine.diagnostics import Diagnostics
from engine.facts import MODEL_BY_KIND
from engine.language.fields import iter_refs, spec_for
from engine.loader import load_facts
from tests.helpers import ROOT


def _every_field(obj: BaseModel, prefix: tuple[str | int, ...] = ()) -> Iterator[Any]:
    """The walk over every declared field (the oracle)."""
    for name, info in type(obj).model_fields.items():
        spec = spec_for(name, info.annotation, list(info.metadata))
        value = getattr(obj, name)
        path = prefix + (name,)
        if spec.ref and isinstance(value, str):
            yield path, spec.ref, value
        elif isinstance(value, list):
            for i, v in enumerate(value):
                if spec.item is not None and spec.item.ref and isinstance(v, str):
                    yield path + (i,), spec.item.ref, v
                elif isinstance(v, BaseModel):
                    yield from _every_field(v, path + (i,))
        elif isinstance(value, BaseModel):
            yield from _every_field(value, path)


def test_the_bundled_facts_name_the_same_facts_either_way() -> None:
    facts = load_facts(ROOT / "facts", Diagnostics())
    assert len(facts.facts) > 100
    for fact in facts.facts.values():
        assert list(iter_refs(fact)) == list(_every_field(fact)), fact.id


def test_a_fact_of_a_vocabulary_kind_names_the_same_facts_either_way() -> None:
    fact = MODEL_BY_KIND["service"].model_validate(
        {
            "id": "ev-training",
            "kind": "service",
            "summary": "training of gunners",
            "date": {"year": 2023},
            "modality": "alleged",
            "asserted_by": ["USA", "KOR"],
            "cite": [{"source": "s", "quote": "trained", "about": []}],
            "service": "training",
            "provider": "PRK",
            "recipient": "RUS",
            "items": [{"category": "ammunition"}],
        }
    )
    found = list(iter_refs(fact))
    assert found == list(_every_field(fact))
    assert (("provider",), "actor", "PRK") in found
