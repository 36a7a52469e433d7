"""One meaning for a dotted field path, wherever it is read.

The rule checker types paths with `engine.language.fields.lookup`; everything that reads a
value at run time (the engine's derived fields, grouping, who is accountable, messages, the
reference evaluator of the tests) reads it here, so a path means the same thing everywhere:

* each segment steps into a mapping (`date.precision`);
* a segment applied to a list applies to every item and gives the list of results, with lists
  of lists flattened and absent values left out (`items.category` is the list of the items'
  categories, as `contains` tests it);
* a missing field gives None.

Only message templates may step through an id to the fact it names (`{t.supplier.name}`):
they pass `step`, which returns the named fact's record, or None.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Step = Callable[[str], Mapping[str, Any] | None]


def resolve(record: Any, path: str, step: Step | None = None) -> Any:
    value = record
    for part in path.split("."):
        value = _segment(value, part, step)
    return value


def _segment(value: Any, part: str, step: Step | None) -> Any:
    if isinstance(value, str) and step is not None:
        named = step(value)
        value = named if named is not None else value
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            got = _segment(item, part, step)
            if isinstance(got, list):
                out.extend(got)
            elif got is not None:
                out.append(got)
        return out
    if isinstance(value, Mapping):
        return value.get(part)
    return None
