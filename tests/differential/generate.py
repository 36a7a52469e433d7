"""Hypothesis strategies for random valid fact sets and rule sets, and the comparison of the
engine with the reference evaluator (tests/reference/evaluator.py)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from engine.diagnostics import Diagnostics
from engine.durable_adapter import EngineError
from engine.evaluate import evaluate as engine_evaluate
from engine.facts import MODEL_BY_KIND
from engine.language.load import load_rules
from engine.loader import FactSet
from engine.vocabulary import TAXONOMY
from tests.reference import evaluator as reference

STATES = {"PRK": True, "RUS": True, "IRN": True, "CHN": True, "VAT": False, "USA": True}
OFFICIALS = {"off-kirby": "USA", "off-lavrov": "RUS"}
ACTORS = sorted(STATES) + sorted(OFFICIALS) + ["grp-experts"]
# Categories at several depths of vocabulary/categories.yaml, so `within` and a provision's
# item scope (which takes in the categories below those it names) are both exercised.
CATEGORIES = [
    "ammunition",
    "artillery_shells",
    "uav",
    "rockets",
    "ballistic_missile",
    "missile_items",
    "fuel",
    "refined_petroleum",
    "aviation_fuel",
    "luxury_goods",
    "pure_bred_horses",
    "medicine",
]
SCOPES = CATEGORIES + ["arms_and_related_materiel", "missiles", "petroleum_products"]
MODALITIES = ["confirmed", "reported", "alleged", "planned", "speculated", "denied"]
DAYS = [
    "2012-03-01",
    "2016-01-16",
    "2018-06-30",
    "2022-08-15",
    "2022-11-02",
    "2023-10-18",
    "2023-10-19",
    "2024-09-10",
]
CITE = [{"quote": "x"}]


# -- facts ----------------------------------------------------------------------------------


def actor_facts() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [
        {"id": s, "kind": "state", "name": f"State {s}", "iso3": s, "un_member": m, "cite": CITE}
        for s, m in STATES.items()
    ]
    out += [
        {"id": o, "kind": "official", "name": o, "role": "minister", "affiliation": a, "cite": CITE}
        for o, a in OFFICIALS.items()
    ]
    out.append({"id": "grp-experts", "kind": "group", "name": "experts", "cite": CITE})
    return out


dates = st.one_of(
    st.builds(lambda d: {"day": d}, st.sampled_from(DAYS)),
    st.builds(lambda d: {"month": d[:7]}, st.sampled_from(DAYS)),
    st.builds(lambda d: {"year": int(d[:4])}, st.sampled_from(DAYS)),
    st.builds(
        lambda a, b: {"start": min(a, b), "end": max(a, b)},
        st.sampled_from(DAYS),
        st.sampled_from(DAYS),
    ),
    st.just({"unknown": True}),
)


@st.composite
def provision(draw: Any, i: int) -> dict[str, Any]:
    start = draw(st.sampled_from(DAYS[:5]))
    until = draw(st.one_of(st.none(), st.sampled_from([d for d in DAYS if d > start])))
    return {
        "id": f"prov-{i}",
        "kind": "provision",
        "regime": "dprk",
        "resolution": f"S/RES/{1000 + i} (2006)",
        "paragraph": f"OP{i}",
        "paragraph_confirmed": True,
        "operative_verb": "decides",
        "binding": True,
        "bound": draw(
            st.lists(
                st.sampled_from(["PRK", "RUS", "all_member_states", "all_states"]),
                min_size=1,
                max_size=2,
                unique=True,
            )
        ),
        "prohibits": "something",
        "item_categories": draw(st.lists(st.sampled_from(SCOPES), max_size=2, unique=True)),
        "in_force": {"start": start, "until": until},
        "cite": [{"document": "S/RES/1", "paragraph": "OP1", "confirmation": "confirmed"}],
        **draw(caps),
    } | ({"item_categories": ["petroleum_products"]} if draw(st.booleans()) else {})


# Amounts in barrels and tonnes (converted by the declared factor for refined petroleum),
# qualified, or none; caps in barrels on petroleum categories.
amounts = st.one_of(
    st.just({}),
    st.builds(
        lambda v, u, q: {"amount": {"value": v, "unit": u, "qualifier": q}},
        st.sampled_from([1000, 40000, 150000, 300000]),
        st.sampled_from(["barrel", "tonne"]),
        st.sampled_from(["exact", "about", "at_least", "at_most"]),
    ),
)
caps = st.one_of(
    st.just({}),
    st.builds(
        lambda a, c: {"cap": {"amount": a, "unit": "barrel", "categories": c}},
        st.sampled_from([100000, 500000]),
        st.sampled_from(
            [["petroleum_products"], ["refined_petroleum"], ["refined_petroleum", "fuel"]]
        ),
    ),
)


@st.composite
def event(draw: Any, i: int) -> dict[str, Any]:
    kind = draw(st.sampled_from(["arms_transfer", "arms_transfer", "goods_supply", "weapons_test"]))
    fact: dict[str, Any] = {
        "id": f"ev-{i}",
        "kind": kind,
        "summary": "s",
        "date": draw(dates),
        "modality": draw(st.sampled_from(MODALITIES)),
        "asserted_by": draw(st.lists(st.sampled_from(ACTORS), min_size=1, max_size=2, unique=True)),
        "cite": CITE,
    }
    if kind == "weapons_test":
        fact["actor"] = draw(st.sampled_from(["PRK", "IRN"]))
        fact["weapon_class"] = draw(st.sampled_from(["icbm", "srbm", "artillery"]))
        fact["count"] = draw(st.sampled_from(["", "2", "several"]))
        return fact
    fact["supplier"] = draw(st.sampled_from(ACTORS[:4] + ["off-lavrov"]))
    fact["recipient"] = draw(st.sampled_from(ACTORS[:5] + ["off-kirby"]))
    fact["items"] = [
        {"category": c, "quantity": draw(st.sampled_from(["", "100"])), **draw(amounts)}
        for c in draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=3))
    ]
    if draw(st.booleans()):  # petroleum with an amount, so that totals meet caps
        cat = draw(st.sampled_from(["refined_petroleum", "aviation_fuel", "fuel"]))
        fact["items"].append({"category": cat, **draw(amounts.filter(bool))})
    fact["via"] = draw(st.sampled_from(["rail", "sea", "unknown"]))
    if kind == "arms_transfer":
        fact["act"] = draw(st.sampled_from(["export", "procurement"]))
    return fact


@st.composite
def fact_set(draw: Any) -> FactSet:
    raw = actor_facts()
    raw += [draw(provision(i)) for i in range(draw(st.integers(1, 3)))]
    events = [draw(event(i)) for i in range(draw(st.integers(1, 6)))]
    raw += events
    for i in range(draw(st.integers(0, 3))):
        raw.append(
            {
                "id": f"st-{i}",
                "kind": draw(st.sampled_from(["denial", "allegation"])),
                "summary": "s",
                "by": draw(st.sampled_from(ACTORS)),
                "about": draw(
                    st.lists(
                        st.sampled_from([e["id"] for e in events]),
                        min_size=1,
                        max_size=2,
                        unique=True,
                    )
                ),
                "date": draw(dates),
                "cite": CITE,
            }
        )
    facts = {f["id"]: MODEL_BY_KIND[f["kind"]].model_validate(f) for f in raw}
    return FactSet(facts=dict(sorted(facts.items())))  # type: ignore[arg-type]


# -- rules ----------------------------------------------------------------------------------


# Per kind: field -> strategy of one `where` value (a plain value or an operator mapping).
def _actor_test() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(ACTORS),
        st.builds(lambda v: {"not": v}, st.sampled_from(ACTORS)),
        st.builds(
            lambda v: {"one_of": v},
            st.lists(st.sampled_from(ACTORS), min_size=1, max_size=3, unique=True),
        ),
        st.builds(
            lambda v: {"not_one_of": v},
            st.lists(st.sampled_from(ACTORS), min_size=1, max_size=2, unique=True),
        ),
    )


def _date_test() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.builds(
            lambda op, d: {op: d},
            st.sampled_from(["before", "after", "on_or_before", "on_or_after"]),
            st.sampled_from(DAYS),
        ),
        st.builds(lambda b: {"exists": b}, st.booleans()),
    )


def _enum(values: list[str]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(values),
        st.builds(lambda v: {"not": v}, st.sampled_from(values)),
        st.builds(
            lambda v: {"one_of": v},
            st.lists(st.sampled_from(values), min_size=1, max_size=2, unique=True),
        ),
        st.builds(
            lambda v: {"not_one_of": v},
            st.lists(st.sampled_from(values), min_size=1, max_size=2, unique=True),
        ),
    )


TRANSFER = {
    "supplier": _actor_test,
    "recipient": _actor_test,
    "modality": lambda: _enum(MODALITIES),
    "via": lambda: _enum(["rail", "sea", "unknown"]),
    "date": _date_test,
    "date.precision": lambda: _enum(["day", "month", "year", "range", "unknown"]),
    "date.earliest": lambda: st.builds(
        lambda op, d: {op: d},
        st.sampled_from(["before", "after", "on_or_after", "equals"]),
        st.sampled_from(DAYS),
    ),
    "evidence_rank": lambda: st.builds(
        lambda op, n: {op: n},
        st.sampled_from(["greater_than", "at_least", "less_than", "at_most", "equals", "not"]),
        st.integers(0, 7),
    ),
    "items": lambda: st.builds(lambda b: {"exists": b}, st.booleans()),
    "items.category": lambda: st.one_of(
        st.builds(lambda v: {"contains": v}, st.sampled_from(CATEGORIES)),
        st.builds(
            lambda v: {"contains_any": v},
            st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=3, unique=True),
        ),
        # any category of the vocabulary: the subtree the compiler enumerates against the
        # reference's walk up each item's parents
        st.builds(lambda v: {"within": v}, st.sampled_from(TAXONOMY.names())),
    ),
    "items.quantity": lambda: st.builds(lambda v: {"contains": v}, st.just("100")),
}
FIELDS: dict[str, dict[str, Any]] = {
    "arms_transfer": {**TRANSFER, "act": lambda: _enum(["export", "procurement"])},
    "goods_supply": TRANSFER,
    "weapons_test": {
        "actor": _actor_test,
        "weapon_class": lambda: _enum(["icbm", "srbm", "artillery"]),
        "count": lambda: st.one_of(
            st.just({"exists": True}),
            st.just({"exists": False}),
            st.just("2"),
            st.just({"not": "2"}),
        ),
        "date": _date_test,
        "modality": lambda: _enum(MODALITIES),
    },
    "state": {"un_member": lambda: st.booleans(), "id": lambda: st.sampled_from(list(STATES))},
    "official": {"affiliation": _actor_test},
    "denial": {
        "by": _actor_test,
        "date": _date_test,
        "about": lambda: st.just({"contains": "ev-0"}),
    },
    "d_flow": {"supplier": _actor_test, "recipient": _actor_test},
    "d_link": {"first": _actor_test, "last": _actor_test},
}
# Fields a join may compare (both sides name actors).
ACTOR_FIELDS = {
    "arms_transfer": ["supplier", "recipient"],
    "goods_supply": ["supplier", "recipient"],
    "weapons_test": ["actor"],
    "state": ["id"],
    "official": ["affiliation", "id"],
    "denial": ["by"],
    "d_flow": ["supplier", "recipient"],
    "d_link": ["first", "last"],
}
EVENT_KINDS = ["arms_transfer", "goods_supply", "weapons_test"]


@st.composite
def where(draw: Any, kind: str) -> dict[str, Any]:
    fields = FIELDS[kind]
    names = draw(st.lists(st.sampled_from(sorted(fields)), max_size=2, unique=True))
    return {n: draw(fields[n]()) for n in names}


@st.composite
def binding(draw: Any, kinds: list[str], others: dict[str, str]) -> dict[str, Any]:
    kind = draw(st.sampled_from(kinds))
    w = draw(where(kind))
    if others and draw(st.booleans()):
        other = draw(st.sampled_from(sorted(others)))
        mine = draw(st.sampled_from(ACTOR_FIELDS[kind]))
        theirs = draw(st.sampled_from(ACTOR_FIELDS[others[other]]))
        w[mine] = {"same_as": f"{other}.{theirs}"}
    return {"kind": kind, **({"where": w} if w else {})}


def _finding_rule(rid: str, body: dict[str, Any], provs: list[str]) -> dict[str, Any]:
    return {
        "id": rid,
        "title": f"rule {rid}",
        "status": "active",
        "finding": "possible_violation",
        "severity": "high",
        "confidence": "medium",
        "rationale": "A generated rule.",
        "legal_basis": provs,
        "message": "m",
        **body,
    }


@st.composite
def rule_set(
    draw: Any, provisions: list[str], capped: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    kinds = ["arms_transfer", "goods_supply", "weapons_test", "state", "official", "denial"]
    if draw(st.booleans()):  # a derivation, and rules that may use it
        w = draw(where("arms_transfer"))
        # a period in the key; undated reports have none, and a missing key value equals nothing
        year = {"year": "r.date.calendar_year"} if draw(st.booleans()) else {}
        rules.append(
            {
                **_finding_rule("T-DERIVE", {}, provisions[:1]),
                "finding": None,
                "derive": {
                    "kind": "d_flow",
                    "fields": {"supplier": "r.supplier", "recipient": "r.recipient", **year},
                    "key": ["supplier", "recipient", *year],
                },
                "match": {"r": {"kind": "arms_transfer", **({"where": w} if w else {})}},
            }
        )
        del rules[-1]["finding"]
        kinds.append("d_flow")
        if draw(st.booleans()):  # a second step with two derived parents
            join = (
                {"where": {"supplier": {"same_as": "f.recipient"}}} if draw(st.booleans()) else {}
            )
            rules.append(
                {
                    **_finding_rule("T-DERIVE2", {}, provisions[:1]),
                    "derive": {
                        "kind": "d_link",
                        "fields": {"first": "f.supplier", "last": "g.recipient"},
                        "key": draw(st.sampled_from([["first", "last"], []])),
                    },
                    "match": {"f": {"kind": "d_flow"}, "g": {"kind": "d_flow", **join}},
                }
            )
            del rules[-1]["finding"]
            kinds.append("d_link")
    for n in range(draw(st.integers(1, 3))):
        match: dict[str, Any] = {}
        bound: dict[str, str] = {}
        for name in ["a", "b", "c"][: draw(st.integers(1, 2))]:
            b = draw(binding(kinds, bound))
            match[name], bound[name] = b, b["kind"]
        body: dict[str, Any] = {"match": match}
        if draw(st.integers(0, 3)) == 0:
            alts = []
            for _ in range(draw(st.integers(1, 2))):
                if draw(st.booleans()):
                    target = draw(st.sampled_from(sorted(bound)))
                    alts.append({target: {"where": draw(where(bound[target]))}})
                else:
                    alts.append({"x": draw(binding(kinds, bound))})
            body["any_of"] = alts
        if draw(st.integers(0, 2)) == 0:
            base_kinds = [k for k in kinds if not k.startswith("d_")]
            body["unless"] = {"n": draw(binding(base_kinds, bound))}
        events = [b for b, k in bound.items() if k in EVENT_KINDS or k.startswith("d_")]
        if events and draw(st.booleans()):
            body["evidence"] = {
                "binding": draw(st.sampled_from(events)),
                "at_least": draw(st.sampled_from(MODALITIES)),
            }
        if events and draw(st.booleans()):
            body["in_force"] = draw(st.sampled_from(events))
        actors = [f"{b}.{f}" for b, k in bound.items() for f in ACTOR_FIELDS[k] if f != "id"]
        if actors and draw(st.booleans()):
            body["accountable"] = [draw(st.sampled_from(actors))]
        if actors and draw(st.integers(0, 3)) == 0:
            body["group_by"] = [draw(st.sampled_from(actors))]
        provs = draw(st.lists(st.sampled_from(provisions), min_size=1, max_size=2, unique=True))
        transfers = [b for b, k in bound.items() if k in ("arms_transfer", "goods_supply")]
        if transfers and capped and draw(st.integers(0, 2)) == 0:  # a year's total vs caps
            body["total"] = {"binding": draw(st.sampled_from(transfers))}
            provs = sorted({*provs, draw(st.sampled_from(capped))})
        rules.append(_finding_rule(f"T-R{n}", body, provs))
    return rules


# -- comparison -----------------------------------------------------------------------------

REASON_WORDS = {
    "weaker": "evidence",
    "no report": "evidence",
    "binds": "binds",
    "in force": "in_force",
    "covers the items": "items",
    "exceed the cap": "cap",
}


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # rule files may hold no aliases
        return True


def load(facts: FactSet, rules: list[dict[str, Any]]) -> Any:
    with tempfile.TemporaryDirectory() as tmp:
        for r in rules:
            text = yaml.dump(r, Dumper=_NoAliases, sort_keys=False)
            (Path(tmp) / f"{r['id']}.yaml").write_text(text, encoding="utf-8")
        diags = Diagnostics()
        checked = load_rules(Path(tmp), facts, diags)
    return checked, diags


def engine_summary(facts: FactSet, checked: Any) -> dict[str, Any]:
    try:
        ev = engine_evaluate(facts, checked)
    except EngineError as exc:
        return {"error": "too deep" if "deeper" in str(exc) else str(exc)}
    # the engine's ledger is not returned by evaluate(); derived facts carry derivations
    findings = {}
    for f in ev.findings + ev.not_flagged:
        reasons = [w for r in f.get("reasons", []) for k, w in REASON_WORDS.items() if k in r]
        findings[f["id"]] = {
            "facts": f["facts"],
            "provisions": sorted(p["id"] for p in f["provisions"]),
            "flagged": "reasons" not in f,
            "reasons": reasons,
        }
    derived = {
        d.id: (
            d.kind,
            json.dumps(d.fields, sort_keys=True),
            sorted(d.supports),
            sorted((a.rule_id, a.alternative, a.bound) for a in d.derivations),
        )
        for d in ev.derived.values()
    }
    acts = sorted((a.rule_id, a.alternative, a.bound) for a in ev.activations)
    return {"findings": findings, "derived": derived, "activations": acts}


def reference_summary(facts: FactSet, checked: Any) -> dict[str, Any]:
    try:
        r = reference.evaluate(facts, checked)
    except reference.TooDeep:
        return {"error": "too deep"}
    derived = {
        d.id: (
            d.kind,
            json.dumps(d.fields, sort_keys=True),
            sorted(d.supports),
            sorted((a.rule_id, a.alternative, a.bound) for a in d.derivations),
        )
        for d in r.derived.values()
    }
    acts = sorted((a.rule_id, a.alternative, a.bound) for a in r.activations)
    return {"findings": r.findings, "derived": derived, "activations": acts}


def differences(engine: dict[str, Any], ref: dict[str, Any]) -> list[str]:
    """What differs, one line each, for a readable failure."""
    if "error" in engine or "error" in ref:
        return [] if engine.get("error") == ref.get("error") else [f"engine {engine} / ref {ref}"]
    out = []
    e_acts, r_acts = set(engine["activations"]), set(ref["activations"])
    out += [f"only the engine fired {a}" for a in sorted(e_acts - r_acts)]
    out += [f"only the reference fired {a}" for a in sorted(r_acts - e_acts)]
    for part in ("derived", "findings"):
        e, r = engine[part], ref[part]
        for k in sorted(set(e) | set(r), key=repr):
            if e.get(k) != r.get(k):
                out.append(f"{part} {k}: engine {e.get(k)} / reference {r.get(k)}")
    return out
