"""A fact as the rule engine receives it."""

from __future__ import annotations

from typing import Any

from engine.facts import AnyFact

_NEVER_ENCODED = {"cite", "notes", "aliases"}


def encode(fact: AnyFact) -> dict[str, Any]:
    """The fact as the engine sees it: JSON types, ISO dates; absent, null, empty text and
    empty lists all left out, so `exists` means the same for each."""
    encoded: dict[str, Any] = _prune(fact.model_dump(mode="json", exclude=_NEVER_ENCODED))
    return encoded


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        out = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not None and v != [] and v != ""}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value
