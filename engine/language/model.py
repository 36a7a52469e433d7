"""The rule file model: what policy staff write in rules/<regime>/<rule>.yaml."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, model_validator

from engine.facts import Modality, empty_list

Scalar = bool | int | date | str
RULE_ID_PATTERN = r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$"
NAME_PATTERN = r"^[a-z][a-z0-9_]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Condition(Strict):
    """A test on one field. Give exactly one operator; see docs in engine/operators.py."""

    equals: Scalar | None = None
    not_: Scalar | None = Field(default=None, alias="not")
    one_of: list[Scalar] | None = None
    not_one_of: list[Scalar] | None = None
    greater_than: int | None = None
    at_least: int | None = None
    less_than: int | None = None
    at_most: int | None = None
    before: date | None = None
    after: date | None = None
    on_or_before: date | None = None
    on_or_after: date | None = None
    exists: bool | None = None
    contains: Scalar | None = None
    contains_any: list[Scalar] | None = None
    within: str | None = Field(
        default=None,
        description="An item category of vocabulary/categories.yaml: some item is of it or "
        "of a category below it.",
    )
    same_as: str | None = Field(
        default=None, description="Another binding's field, e.g. 'transfer.recipient'."
    )

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    @model_validator(mode="after")
    def _exactly_one(self) -> Condition:
        given = [k for k in type(self).model_fields if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one operator, e.g. {one_of: [a, b]}; "
                f"found {len(given)}" + (f" ({', '.join(given)})" if given else "")
            )
        return self

    def operator(self) -> tuple[str, object]:
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            if value is not None:
                return (info.alias or name), value
        raise AssertionError("validated to have one operator")


class Pattern(Strict):
    """One named fact the rule needs: its kind and tests on its fields."""

    kind: str | None = Field(
        default=None, description="Fact kind; may be left out in any_of to add tests."
    )
    # Checked by engine/language/checker.py, which reports each bad test at its own line and column.
    where: Annotated[
        dict[str, Any],
        WithJsonSchema(
            {
                "type": "object",
                "description": "field (dotted for nested fields) -> a value, or one operator",
                # engine/schemas.py points the object form at the Condition schema
                "additionalProperties": {
                    "anyOf": [{"type": ["string", "integer", "boolean"]}, {"type": "object"}]
                },
            }
        ),
    ] = Field(default_factory=dict)


class TotalSpec(Strict):
    """Add up the amounts of the matched deliveries per period and compare the total with
    each capped provision of the legal basis (docs/semantics.md, "Totals against caps")."""

    binding: str = Field(description="The binding of the delivery whose items are added up.")
    period: Literal["calendar_year"] = Field(
        default="calendar_year", description="The period a cap counts over."
    )


class Evidence(Strict):
    binding: str = Field(description="The binding whose reports must be strong enough.")
    at_least: Modality = Field(description="Weakest modality accepted, e.g. alleged.")


class Derive(Strict):
    """Instead of a finding, add a derived fact that other rules can match."""

    kind: str = Field(pattern=NAME_PATTERN)
    fields: dict[str, str] = Field(
        min_length=1, description="New field name -> 'binding.field' it is copied from."
    )
    key: list[str] = Field(
        default_factory=empty_list,
        description="Fields that identify the derived fact (all fields when empty). Derived "
        "facts with the same key are one fact whose supports are merged.",
    )


FindingKind = Literal["possible_violation", "evasion_indicator", "risk", "context"]


class Rule(Strict):
    id: str = Field(pattern=RULE_ID_PATTERN, description="Stable id; never reused.")
    title: str = Field(min_length=3, description="One line, used in reports.")
    status: Literal["active", "draft", "retired"]
    finding: FindingKind | None = None
    derive: Derive | None = None
    severity: Literal["high", "medium", "low", "info"]
    confidence: Literal["high", "medium", "low"]
    rationale: str = Field(min_length=10, description="Why, in plain words.")
    legal_basis: list[str] = Field(min_length=1, description="Provision fact ids.")
    match: dict[str, Pattern] = Field(min_length=1, description="binding name -> pattern")
    any_of: list[dict[str, Pattern]] = Field(
        default_factory=empty_list, description="Alternatives: at least one must also hold."
    )
    unless: dict[str, Pattern] = Field(
        default_factory=dict, description="No fact may match these (negation)."
    )
    evidence: Evidence | None = None
    total: TotalSpec | None = Field(
        default=None,
        description="Add up the delivered amounts per calendar year against provision caps.",
    )
    in_force: str | None = Field(
        default=None, description="Binding whose date is checked against each provision."
    )
    accountable: list[str] = Field(
        default_factory=empty_list, description="'binding.field' naming who bears the duty."
    )
    group_by: list[str] = Field(
        default_factory=empty_list,
        description="'binding.field' values that make matches one finding (one act).",
    )
    message: str = Field(description="Finding text; {binding.field} is replaced by its value.")
    notes: str = ""

    @model_validator(mode="after")
    def _finding_or_derive(self) -> Rule:
        if (self.finding is None) == (self.derive is None):
            raise ValueError("give either 'finding' (what to report) or 'derive', not both")
        return self
