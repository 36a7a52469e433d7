"""The operator registry: each YAML operator, the field types it fits, and what it means."""

from __future__ import annotations

from dataclasses import dataclass

SCALAR_TYPES = frozenset({"text", "enum", "number", "bool", "date"})


@dataclass(frozen=True)
class Operator:
    name: str
    fits: frozenset[str]  # field types it may be used on
    doc: str
    value: str  # what the value must be: scalar, list, number, date, bool, path


OPERATORS: dict[str, Operator] = {
    "equals": Operator("equals", SCALAR_TYPES, "the field has exactly this value", "scalar"),
    "not": Operator(
        "not", SCALAR_TYPES, "the field is absent or has another value than this", "scalar"
    ),
    "one_of": Operator("one_of", SCALAR_TYPES, "the field has one of these values", "list"),
    "not_one_of": Operator(
        "not_one_of", SCALAR_TYPES, "the field is absent or has none of these values", "list"
    ),
    "greater_than": Operator("greater_than", frozenset({"number"}), "number > value", "number"),
    "at_least": Operator("at_least", frozenset({"number"}), "number >= value", "number"),
    "less_than": Operator("less_than", frozenset({"number"}), "number < value", "number"),
    "at_most": Operator("at_most", frozenset({"number"}), "number <= value", "number"),
    "before": Operator(
        "before",
        frozenset({"date", "event_date"}),
        "certainly before: the latest possible day is before the value",
        "date",
    ),
    "after": Operator(
        "after",
        frozenset({"date", "event_date"}),
        "certainly after: the earliest possible day is after the value",
        "date",
    ),
    "on_or_before": Operator(
        "on_or_before",
        frozenset({"date", "event_date"}),
        "the latest possible day is on or before the value",
        "date",
    ),
    "on_or_after": Operator(
        "on_or_after",
        frozenset({"date", "event_date"}),
        "the earliest possible day is on or after the value",
        "date",
    ),
    "exists": Operator(
        "exists",
        SCALAR_TYPES | {"list", "object", "event_date"},
        "true: the field is given (a list: not empty); false: it is absent or empty",
        "bool",
    ),
    "contains": Operator("contains", frozenset({"list"}), "the list has this value", "scalar"),
    "contains_any": Operator(
        "contains_any", frozenset({"list"}), "the list has at least one of these values", "list"
    ),
    "within": Operator(
        "within",
        frozenset({"list"}),
        "some item is of this category or of one below it in vocabulary/categories.yaml, e.g. "
        "items.category: {within: arms_and_related_materiel} (item-category lists only)",
        "category",
    ),
    "same_as": Operator(
        "same_as",
        SCALAR_TYPES,
        "equal to a field of another binding, e.g. same_as: transfer.recipient (equality only: "
        "the engine crashes on other comparisons between two facts)",
        "path",
    ),
}

# Which bound of an event's date each date operator compares, so "before" means "certainly".
EVENT_DATE_SIDE = {
    "before": "latest",
    "on_or_before": "latest",
    "after": "earliest",
    "on_or_after": "earliest",
}
DURABLE_COMPARE = {
    "greater_than": "$gt",
    "at_least": "$gte",
    "less_than": "$lt",
    "at_most": "$lte",
    "before": "$lt",
    "on_or_before": "$lte",
    "after": "$gt",
    "on_or_after": "$gte",
}
