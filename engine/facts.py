"""The fact model: actors, events, statements and legal provisions, each with its citations."""

import calendar
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self, Union, get_args

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

from engine.vocabulary import CATEGORY_NAMES, KINDS, VOCABULARY_DIAGS, build_models

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


def empty_list() -> list[Any]:
    """A new empty list, the default of list fields. pydantic reads the signature of a
    field's default factory when it builds a model, and for the builtin `list` it parses
    the signature's text each time: 2 ms of a cold start for the fact and rule models."""
    return []


class Ref:
    """Marks a field that names another fact; `to` is the family it must belong to."""

    def __init__(self, to: str) -> None:
        self.to = to

    def __repr__(self) -> str:
        return f"Ref({self.to!r})"


ActorRef = Annotated[str, Ref("actor"), Field(description="Id of an actor fact.")]
EventRef = Annotated[str, Ref("event"), Field(description="Id of an event fact.")]
# Provisions may bind a named actor or every Member State / every State.
BearerRef = Annotated[
    str,
    Ref("bearer"),
    Field(description="Id of an actor, or 'all_member_states', or 'all_states'."),
]
BEARER_CLASSES = ("all_member_states", "all_states")


class Strict(BaseModel):
    # defer_build: a model's validator is built the first time a fact of its kind is
    # validated, not when the module is imported. Building all of them took a third of a
    # cold `sanctions evaluate`, and a fact read back from the cache of validated facts
    # (pickled models) is never validated again. Pickling, model_construct and model_dump
    # work on a model not yet built (tests/test_perf_cold_models.py).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    @classmethod
    def model_rebuild(
        cls,
        *,
        force: bool = False,
        raise_errors: bool = True,
        _parent_namespace_depth: int = 2,
        _types_namespace: Any = None,
    ) -> bool | None:
        """Build the model; first, once, the parts it holds that most kinds hold too
        (citations, dates, items), so that each kind's validator refers to them instead of
        building its own copy: for the bundled facts, 25 model schemas instead of 57."""
        if cls not in _PARTS:
            held = _models_in(cls)
            for part in _PARTS:
                if part in held:
                    part.model_rebuild(raise_errors=raise_errors)
        return super().model_rebuild(
            force=force,
            raise_errors=raise_errors,
            _parent_namespace_depth=_parent_namespace_depth + 1,
            _types_namespace=_types_namespace,
        )


# --- citations -------------------------------------------------------------------------------


class QuoteCitation(Strict):
    """An exact quotation from a source document (verified on load)."""

    source: str | None = Field(
        default=None, description="Source id; defaults to the file's `source`."
    )
    quote: str = Field(min_length=1, description="Words copied exactly from one sentence.")
    sentence: int | None = Field(
        default=None,
        ge=1,
        description="Sentence number (as `sanctions sources show` prints it), needed only when "
        "the quoted words stand more than once in the source; the words are still checked.",
    )
    about: list[EventRef] = Field(
        default_factory=empty_list,
        description="On a statement about several events: the events this quote speaks of "
        "(all of them when empty). A finding about one event cites only the quotes about it.",
    )


Confirmation = Literal["confirmed", "secondary", "unconfirmed"]


class DocumentCitation(Strict):
    """A UN document and paragraph, with how far the brief could confirm it."""

    document: str = Field(description="UN document symbol, e.g. 'S/RES/1718 (2006)'.")
    paragraph: str = Field(description="Paragraph as numbered in the document, e.g. 'OP8(b)'.")
    confirmation: Confirmation = Field(
        description="confirmed: seen in the UN text or an official source; secondary: only in "
        "a secondary source; unconfirmed: from knowledge, not yet checked."
    )
    confirmed_by: str = Field(default="", description="Where it was confirmed, in short.")


# --- actors ----------------------------------------------------------------------------------


class ActorBase(Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    aliases: list[str] = Field(default_factory=empty_list)
    cite: list[QuoteCitation] = Field(min_length=1)
    notes: str = ""


class State(ActorBase):
    kind: Literal["state"]
    iso3: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 code.")
    un_member: bool = Field(description="A UN Member State, bound by 'all Member States' duties.")

    @model_validator(mode="after")
    def _id_is_code(self) -> Self:
        if self.id != self.iso3:
            raise ValueError(f"a state's id must be its ISO 3166 code '{self.iso3}'")
        return self


class Official(ActorBase):
    kind: Literal["official"]
    role: str = Field(description="Title or office, as reported.")
    affiliation: ActorRef | None = None
    named: bool = Field(default=True, description="False when the report does not name them.")


OrganisationType = Literal[
    "government_body", "international_organisation", "un_organ", "company", "media"
]


class Organisation(ActorBase):
    kind: Literal["organisation"]
    org_type: OrganisationType
    state: ActorRef | None = None


class Group(ActorBase):
    """An unnamed group the report cites, e.g. 'experts' or 'U.S. officials'."""

    kind: Literal["group"]
    affiliation: ActorRef | None = None


# --- dates -----------------------------------------------------------------------------------


class EventDate(Strict):
    """When an event happened, as precisely as the report allows, and how that was resolved."""

    day: date | None = None
    month: str | None = Field(
        default=None,
        pattern=r"^(19[4-9]\d|20\d\d|2100)-(0[1-9]|1[0-2])$",
        description="YYYY-MM, a year from 1945 to 2100 like `year`.",
    )
    year: int | None = Field(default=None, ge=1945, le=2100)
    start: date | None = None
    end: date | None = None
    unknown: bool = False
    expression: str = Field(default="", description="The report's words, e.g. 'Last week'.")
    resolved_by: str = Field(default="", description="How a relative expression was resolved.")

    @model_validator(mode="after")
    def _one_form(self) -> Self:
        forms = [
            self.day is not None,
            self.month is not None,
            self.year is not None,
            self.start is not None or self.end is not None,
            self.unknown,
        ]
        if sum(forms) != 1:
            raise ValueError(
                "give exactly one of: day, month, year, start and end, or unknown: true"
            )
        if (self.start is None) != (self.end is None):
            raise ValueError("a date range needs both start and end")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValueError(f"the range starts ({self.start}) after it ends ({self.end})")
        return self

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> Literal["day", "month", "year", "range", "unknown"]:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        if self.year is not None:
            return "year"
        if self.start is not None:
            return "range"
        return "unknown"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def earliest(self) -> date | None:
        return self.bounds()[0]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def latest(self) -> date | None:
        return self.bounds()[1]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def calendar_year(self) -> int | None:
        """The calendar year the event certainly falls in: absent when the date is unknown
        or may lie in more than one year. Rules key incidents by it (a derive key), so
        reports of different years are never merged into one act."""
        lo, hi = self.bounds()
        return lo.year if lo is not None and hi is not None and lo.year == hi.year else None

    def bounds(self) -> tuple[date | None, date | None]:
        if self.day is not None:
            return self.day, self.day
        if self.month is not None:
            y, m = int(self.month[:4]), int(self.month[5:])
            return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
        if self.year is not None:
            return date(self.year, 1, 1), date(self.year, 12, 31)
        if self.start is not None and self.end is not None:
            return self.start, self.end
        return None, None

    def describe(self) -> str:
        if self.day is not None:
            text = self.day.isoformat()
        elif self.month is not None:
            text = self.month
        elif self.year is not None:
            text = str(self.year)
        elif self.start is not None:
            text = f"{self.start} to {self.end}"
        else:
            text = "date unknown"
        return f"{text} ({self.expression})" if self.expression else text


# --- events ----------------------------------------------------------------------------------

Modality = Literal[
    "confirmed",
    "reported",
    "admitted",
    "alleged",
    "planned",
    "hinted",
    "speculated",
    "conditional",
    "denied",
]
# How strongly a report supports that the act took place (or is intended): higher is stronger.
# A rule's evidence requirement compares against this order.
EVIDENCE_RANK: dict[str, int] = {
    "denied": 0,
    "conditional": 0,
    "speculated": 1,
    "hinted": 2,
    "planned": 3,
    "alleged": 4,
    "reported": 5,
    "admitted": 6,
    "confirmed": 7,
}

# The item categories come from vocabulary/categories.yaml (engine/vocabulary.py): adding
# one there adds it here, to the JSON Schema and to what rules may test.
ItemCategory = Literal[CATEGORY_NAMES]  # type: ignore[valid-type]


Qualifier = Literal["exact", "about", "at_least", "more_than", "at_most", "less_than"]


class Amount(Strict):
    """How much, in a unit of vocabulary/quantities.yaml, and how the report qualifies it."""

    value: float = Field(gt=0, description="The number, e.g. 200000.")
    unit: str = Field(description="A unit of vocabulary/quantities.yaml, e.g. barrel, tonne.")
    qualifier: Qualifier = Field(
        default="exact",
        description="exact; about; at_least or more_than (a lower bound, counted); at_most or "
        "less_than (an upper bound, not counted towards a total).",
    )

    @model_validator(mode="after")
    def _known_unit(self) -> Self:
        from engine.quantities import UNITS

        if self.unit not in UNITS.pint_names:
            raise ValueError(
                f"'{self.unit}' is not a unit of vocabulary/quantities.yaml; units: "
                + ", ".join(UNITS.names())
            )
        return self


class Item(Strict):
    category: ItemCategory
    description: str = ""
    quantity: str = Field(default="", description="The report's words for how much.")
    amount: Amount | None = Field(
        default=None, description="How much, as a number and unit, to add up against caps."
    )


Status = Literal["completed", "in_progress", "planned", "unknown"]


class EventBase(Strict):
    if TYPE_CHECKING:  # every event model sets it; kinds from the vocabulary are built at run time
        kind: str
    id: str = Field(pattern=ID_PATTERN)
    summary: str = Field(description="One line in plain words, used in reports.")
    date: EventDate
    modality: Modality
    asserted_by: list[ActorRef] = Field(min_length=1, description="Who reports or claims it.")
    cite: list[QuoteCitation] = Field(min_length=1)
    notes: str = ""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def evidence_rank(self) -> int:
        return EVIDENCE_RANK[self.modality]


class TransferBase(EventBase):
    supplier: ActorRef
    recipient: ActorRef
    items: list[Item] = Field(min_length=1)
    status: Status = "unknown"
    via: Literal["rail", "road", "sea", "air", "unknown"] = "unknown"
    modes: list[Literal["rail", "road", "sea", "air"]] = Field(
        default_factory=empty_list,
        description="Every transport mode reported, when there are several ('by sea, air and "
        "rail'); `via` keeps one mode (or unknown) so existing rules read it as before.",
    )


class ArmsTransfer(TransferBase):
    """Arms or related materiel moving from supplier to recipient (export or procurement)."""

    kind: Literal["arms_transfer"]
    act: Literal["export", "procurement"] = Field(
        description="Reported as the supplier exporting, or as the recipient procuring."
    )


class GoodsSupply(TransferBase):
    """Supply of goods other than arms: luxury goods, fuel, technology, medicine..."""

    kind: Literal["goods_supply"]


class WorkerDeployment(EventBase):
    kind: Literal["worker_deployment"]
    sending_state: ActorRef
    host_state: ActorRef | None = None
    territory: str = Field(description="Where the workers would earn income.")
    attribution: Literal["certain", "uncertain"] = Field(
        description="Whether the host State's jurisdiction is clear."
    )
    status: Status = "unknown"


WeaponClass = Literal[
    "icbm",
    "irbm",
    "srbm",
    "ballistic_unspecified",
    "missile_unspecified",
    "cruise_missile",
    "artillery",
    "nuclear_test",
]


class WeaponsTest(EventBase):
    """A missile launch (with its class), an artillery firing or a nuclear test."""

    kind: Literal["weapons_test"]
    actor: ActorRef
    weapon_class: WeaponClass
    count: str = ""


class Vote(EventBase):
    kind: Literal["vote"]
    body: ActorRef
    draft: str = Field(description="Symbol of the draft voted on.")
    record: str = ""
    outcome: Literal["adopted", "vetoed", "failed"]
    in_favour: int = Field(ge=0)
    against: int = Field(ge=0)
    abstaining: int = Field(ge=0)
    vetoed_by: list[ActorRef] = Field(default_factory=empty_list)
    subject: str


class Recognition(EventBase):
    kind: Literal["recognition"]
    recognising: ActorRef
    recognised: list[str] = Field(min_length=1, description="Entities recognised, as named.")


class TradeLink(EventBase):
    kind: Literal["trade_link"]
    parties: list[ActorRef] = Field(min_length=2)
    mode: Literal["rail", "road", "sea", "air"]
    action: Literal["opened", "resumed", "suspended"]
    cargo: list[Item] = Field(default_factory=empty_list)


class Routing(EventBase):
    """Concealment of a transfer's route, e.g. making shipments appear bound elsewhere."""

    kind: Literal["routing"]
    actor: ActorRef
    concerns: EventRef | None = Field(default=None, description="The transfer it conceals.")
    transit_states: list[ActorRef] = Field(
        default_factory=empty_list, description="States named as transit; empty when none is named."
    )
    apparent_destinations: list[str] = Field(default_factory=empty_list)


class DiplomaticAct(EventBase):
    kind: Literal["diplomatic_act"]
    actors: list[ActorRef] = Field(min_length=1)
    act: Literal["summit", "condemnation", "criticism", "rapprochement"]
    target: ActorRef | None = None


# --- statements ------------------------------------------------------------------------------


class StatementBase(Strict):
    if TYPE_CHECKING:  # as for events
        kind: str
    id: str = Field(pattern=ID_PATTERN)
    summary: str
    by: ActorRef = Field(description="Who made the statement.")
    on_behalf_of: ActorRef | None = None
    joint_with: list[ActorRef] = Field(
        default_factory=empty_list,
        description="Other actors making the statement jointly with `by` (a joint statement "
        "of several States); empty when `by` speaks alone.",
    )
    about: list[EventRef] = Field(min_length=1, description="The events the statement is about.")
    date: EventDate
    cite: list[QuoteCitation] = Field(min_length=1)
    notes: str = ""

    @model_validator(mode="after")
    def _quotes_about_own_events(self) -> Self:
        for c in self.cite:
            stray = [e for e in c.about if e not in self.about]
            if stray:
                raise ValueError(
                    f"a quote is about {', '.join(stray)}, which the statement is not about; "
                    "add it to the statement's 'about' or fix the quote's"
                )
        return self


class Allegation(StatementBase):
    kind: Literal["allegation"]


class Denial(StatementBase):
    kind: Literal["denial"]
    scope: Literal["past", "planned", "past_and_planned"] = "past"


class Admission(StatementBase):
    kind: Literal["admission"]
    disputed_claim: str = Field(
        default="", description="A part of the admission that others dispute, e.g. its timing."
    )


class Assessment(StatementBase):
    kind: Literal["assessment"]
    nature: Literal["opinion", "legal_characterisation", "speculation", "conditional"]


# --- legal provisions ------------------------------------------------------------------------


class Cap(Strict):
    """The most a provision allows of some items in one period (e.g. 2397 OP5: 500,000
    barrels of refined petroleum a year)."""

    amount: float = Field(gt=0)
    unit: str = Field(description="A unit of vocabulary/quantities.yaml.")
    period: Literal["calendar_year"] = "calendar_year"
    categories: list[ItemCategory] = Field(
        min_length=1, description="What counts towards the cap (with the categories below)."
    )

    @model_validator(mode="after")
    def _known_unit(self) -> Self:
        from engine.quantities import UNITS

        if self.unit not in UNITS.pint_names:
            raise ValueError(f"'{self.unit}' is not a unit of vocabulary/quantities.yaml")
        return self


class InForce(Strict):
    start: date = Field(description="First day the measure applies.")
    until: date | None = Field(default=None, description="Last day it applies; null if open.")


OperativeVerb = Literal[
    "decides", "reaffirms", "affirms", "demands", "calls_upon", "requests", "states"
]


class Provision(Strict):
    """One paragraph of a UN resolution (or related text) and what it requires of whom."""

    kind: Literal["provision"]
    id: str = Field(pattern=ID_PATTERN)
    instrument: Literal[
        "sc_resolution", "sc_presidential_statement", "ga_resolution", "un_charter"
    ] = "sc_resolution"
    regime: Literal["dprk", "iran", "ukraine", "general"]
    resolution: str = Field(description="Document symbol, e.g. 'S/RES/1718 (2006)'.")
    paragraph: str = Field(description="e.g. 'OP8(b)'; say 'Annex B para 4' for annexes.")
    paragraph_confirmed: bool = Field(description="False where the brief marks the number [K].")
    binding: bool = Field(description="A 'decides' paragraph under Chapter VII.")
    operative_verb: OperativeVerb = Field(
        description="The paragraph's operative verb, as its text says it: 'decides' (a binding "
        "decision), 'reaffirms' (restates an earlier decision) or 'affirms' (says what an "
        "earlier decision covers), both binding as that decision is; 'demands', 'calls_upon' "
        "or 'requests' (not decisions); 'states' (a treaty article, such as the Charter's, "
        "which has no operative verb)."
    )
    bound: list[BearerRef] = Field(min_length=1)
    prohibits: str = Field(description="What it bans or requires, in plain words.")
    item_categories: list[ItemCategory] = Field(default_factory=empty_list)
    cap: Cap | None = Field(
        default=None,
        description="The most it allows per period; rules with 'total' add up "
        "the matched deliveries of a period and compare them with it.",
    )
    in_force: InForce
    context_only: bool = Field(
        default=False,
        description="Kept for context or to document a trap; no rule need cite it.",
    )
    cite: list[DocumentCitation] = Field(min_length=1)
    notes: str = ""

    def label(self) -> str:
        short = self.resolution.replace("S/RES/", "").split(" ")[0]
        return f"{short} {self.paragraph}"


# Built before any kind that holds them (Strict.model_rebuild), a part before the parts
# that hold it.
_PARTS: tuple[type[Strict], ...] = (
    QuoteCitation, DocumentCitation, EventDate, Amount, Item, Cap, InForce,
)  # fmt: skip


def _models_in(model: type[BaseModel]) -> set[type[BaseModel]]:
    """Every model a model's fields hold, however deep."""
    found: set[type[BaseModel]] = set()
    todo: list[Any] = [f.annotation for f in model.model_fields.values()]
    while todo:
        annotation = todo.pop()
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in found:
                found.add(annotation)
                todo.extend(f.annotation for f in annotation.model_fields.values())
        else:
            todo.extend(get_args(annotation))
    return found


# Kinds beyond the core, from vocabulary/kinds/*.yaml (engine/vocabulary.py): each a model on
# EventBase or StatementBase, with the Ref annotations rules and reference checks read.
VOCABULARY_MODELS: list[type[BaseModel]] = build_models(
    KINDS,
    {"event": EventBase, "statement": StatementBase},
    {
        "text": str,
        "actor": ActorRef,
        "event": EventRef,
        "items": list[Item],
        "date": date,
        "number": int,
        "bool": bool,
    },
    {
        "state", "official", "organisation", "group", "arms_transfer", "goods_supply",
        "worker_deployment", "weapons_test", "vote", "recognition", "trade_link", "routing",
        "diplomatic_act", "allegation", "denial", "admission", "assessment", "provision",
    },
    VOCABULARY_DIAGS,
)  # fmt: skip
# Each also as an attribute of this module, where pickle looks a class up by its name, so
# a fact of a vocabulary kind is stored in the cache of validated facts like any other (a
# name this module already uses is left alone: such facts are then only not cached).
for _model in VOCABULARY_MODELS:
    globals().setdefault(_model.__name__, _model)
_VOCABULARY_EVENTS = tuple(m for m in VOCABULARY_MODELS if issubclass(m, EventBase))
_VOCABULARY_STATEMENTS = tuple(m for m in VOCABULARY_MODELS if issubclass(m, StatementBase))

# Plain unions, for type annotations of loaded facts (kinds from the vocabulary are
# instances of EventBase or StatementBase).
AnyStatement = Allegation | Denial | Admission | Assessment | StatementBase
AnyFact = (
    State
    | Official
    | Organisation
    | Group
    | ArmsTransfer
    | GoodsSupply
    | WorkerDeployment
    | WeaponsTest
    | Vote
    | Recognition
    | TradeLink
    | Routing
    | DiplomaticAct
    | Allegation
    | Denial
    | Admission
    | Assessment
    | Provision
    | EventBase
    | StatementBase
)

# The discriminated union pydantic validates a fact with: the `kind` key picks the model,
# so an error names the one kind the author meant.
_ALL_MODELS: tuple[type[BaseModel], ...] = (
    State, Official, Organisation, Group, ArmsTransfer, GoodsSupply, WorkerDeployment,
    WeaponsTest, Vote, Recognition, TradeLink, Routing, DiplomaticAct, *_VOCABULARY_EVENTS,
    Allegation, Denial, Admission, Assessment, *_VOCABULARY_STATEMENTS, Provision,
)  # fmt: skip
Fact = Annotated[Union[_ALL_MODELS], Field(discriminator="kind")]  # type: ignore[valid-type]  # noqa: UP007

FAMILIES: dict[str, tuple[type[BaseModel], ...]] = {
    "actor": (State, Official, Organisation, Group),
    "event": (
        ArmsTransfer,
        GoodsSupply,
        WorkerDeployment,
        WeaponsTest,
        Vote,
        Recognition,
        TradeLink,
        Routing,
        DiplomaticAct,
        *_VOCABULARY_EVENTS,
    ),
    "statement": (Allegation, Denial, Admission, Assessment, *_VOCABULARY_STATEMENTS),
    "provision": (Provision,),
}
MODEL_BY_KIND: dict[str, type[BaseModel]] = {
    m.model_fields["kind"].annotation.__args__[0]: m  # type: ignore[union-attr]
    for models in FAMILIES.values()
    for m in models
}
FAMILY_OF_KIND: dict[str, str] = {
    kind: fam
    for fam, models in FAMILIES.items()
    for m in models
    for kind in [m.model_fields["kind"].annotation.__args__[0]]  # type: ignore[union-attr]
}
# Statements that speak against an event: carried into findings as counter-evidence.
COUNTER_EVIDENCE_KINDS = ("denial",)


class FactFile(Strict):
    """A facts file: a `source` default for citations and the list of facts."""

    source: str | None = Field(default=None, description="Default source id for quotes.")
    facts: list[Fact]
