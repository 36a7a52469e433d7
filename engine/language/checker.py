"""Check one rule against the fact model and the facts: every problem at its line and column."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import ValidationError

from engine.diagnostics import Diagnostics, Location, did_you_mean
from engine.facts import BEARER_CLASSES, FAMILY_OF_KIND
from engine.language.after_match import AfterMatchChecks
from engine.language.fields import FieldSpec, lookup
from engine.language.lowered import (
    RULE_CODES,
    Binding,
    CheckedRule,
    Kinds,
    Test,
)
from engine.language.model import NAME_PATTERN, Condition, Rule
from engine.language.operators import DURABLE_COMPARE, OPERATORS
from engine.limits import MAX_VALUES
from engine.loader import FactSet
from engine.pydantic_errors import report_validation_error
from engine.vocabulary import TAXONOMY
from engine.yamlsrc import DocPath, SourceMap


class Checker(AfterMatchChecks):
    def __init__(
        self,
        rule: Rule,
        smap: SourceMap,
        facts: FactSet,
        kinds: Kinds,
        diags: Diagnostics,
        conditions: dict[DocPath, Condition] | None = None,
    ) -> None:
        self.rule, self.smap, self.facts, self.kinds, self.diags = rule, smap, facts, kinds, diags
        # each test's validated condition by its place in the file: kept with the rule in the
        # cache of validated files, since the place fixes the text for the same file bytes
        self.conditions: dict[DocPath, Condition] = {} if conditions is None else conditions
        self.errors_before = len(diags)
        # bindings already reported as broken: later references to them would only repeat it
        self.broken: set[str] = set()
        self.partial: dict[str, list[int]] = {}
        # a test of 'match' or 'unless' is checked once per alternative: report it once
        self._said: set[tuple[str, str, Location]] = set()

    def add(
        self, code: str, message: str, path: DocPath, hint: str = "", key: bool = False
    ) -> None:
        where = self.smap.locate(path, key=key)
        if (code, message, where) in self._said:
            return
        self._said.add((code, message, where))
        self.diags.add(code, message, where, hint)

    def run(self) -> CheckedRule | None:
        rule = self.rule
        for i, pid in enumerate(rule.legal_basis):
            self._check_provision(pid, ("legal_basis", i))
        main: dict[str, Binding] = {}
        for name, pattern in rule.match.items():
            b = self._binding(name, pattern.kind, False, ("match", name))
            if b is not None:
                main[name] = b
        negated: dict[str, Binding] = {}
        for name, pattern in rule.unless.items():
            if name in rule.match:
                self.add(
                    "R203",
                    f"'{name}' is already a binding of 'match'",
                    ("unless", name),
                    "give the negated fact its own name",
                    key=True,
                )
                continue
            b = self._binding(name, pattern.kind, True, ("unless", name))
            if b is not None:
                negated[name] = b
        alts: list[dict[str, Binding]] = []
        for i, alt in enumerate(rule.any_of or [{}]):
            bindings = {n: Binding(b.name, b.kind, False) for n, b in main.items()}
            for name, pattern in alt.items():
                here: DocPath = ("any_of", i, name)
                if name in main:
                    if pattern.kind is not None and pattern.kind != main[name].kind:
                        self.add(
                            "R203",
                            f"'{name}' is a {main[name].kind} in 'match'",
                            here + ("kind",),
                            "leave out 'kind' to add tests to it",
                        )
                    continue
                if name in negated:
                    self.add("R203", f"'{name}' is negated in 'unless'", here, key=True)
                    continue
                b = self._binding(name, pattern.kind, False, here)
                if b is not None:
                    bindings[name] = b
            positives = dict(bindings)
            for name, pattern in rule.match.items():
                if name in bindings:
                    bindings[name].tests += self._tests(
                        pattern.where, bindings[name], positives, ("match", name, "where")
                    )
            for name, pattern in alt.items():
                if name in bindings:
                    bindings[name].tests += self._tests(
                        pattern.where, bindings[name], positives, ("any_of", i, name, "where")
                    )
            for name, b in negated.items():
                nb = Binding(b.name, b.kind, True)
                nb.tests = self._tests(
                    rule.unless[name].where, nb, positives, ("unless", name, "where")
                )
                bindings[name] = nb
            alts.append(bindings)
        self._check_tail(_common_positives(alts), _partial_positives(alts))
        for i, bindings in enumerate(alts):
            self._check_combinations(i, bindings)
        if len(self.diags) > self.errors_before:
            return None
        return CheckedRule(rule, self.smap.path, self.smap, alts)

    # -- pieces --------------------------------------------------------------------------

    def _check_provision(self, pid: str, here: DocPath) -> None:
        fact = self.facts.facts.get(pid)
        if fact is None or fact.kind != "provision":
            provisions = [f for f, v in self.facts.facts.items() if v.kind == "provision"]
            self.add(
                "R215",
                f"'{pid}' names no known provision",
                here,
                did_you_mean(pid, provisions) or "provisions live in facts/provisions/",
            )

    def _binding(self, name: str, kind: str | None, negated: bool, here: DocPath) -> Binding | None:
        if not re.match(NAME_PATTERN, name):
            self.add(
                "R203",
                f"binding name '{name}' must be lower-case words joined by '_'",
                here,
                "e.g. transfer, provision, exporter",
                key=True,
            )
            return None
        if kind is None:
            self.broken.add(name)
            self.add("R204", f"binding '{name}' needs a 'kind'", here, "e.g. kind: arms_transfer")
            return None
        if self.kinds.fields(kind) is None:
            self.broken.add(name)
            self.add(
                "R211",
                f"unknown fact kind '{kind}'",
                here + ("kind",),
                did_you_mean(kind, self.kinds.names()) or "kinds: " + ", ".join(self.kinds.names()),
            )
            return None
        if negated and self.kinds.is_derived(kind):
            self.add(
                "R219",
                f"'unless' cannot test a derived kind ('{kind}')",
                here + ("kind",),
                "a derived fact may appear after this rule has fired; test the reported "
                "facts it is derived from instead",
            )
            return None
        return Binding(name, kind, negated)

    def _field(self, kind: str, path: str, here: DocPath) -> FieldSpec | None:
        fields = self.kinds.fields(kind) or {}
        fields = dict(fields)
        fields.setdefault("id", FieldSpec("id", "text"))
        spec, bad, allowed = lookup(fields, path)
        if spec is None:
            hint = did_you_mean(bad, allowed) if allowed else ""
            if not hint:
                hint = (
                    ("fields of " + kind + ": " + ", ".join(allowed))
                    if allowed
                    else f"'{path.rsplit('.', 1)[0]}' has no sub-fields"
                )
            self.add("R212", f"'{path}' is not a field of {_a(kind)}", here, hint, key=True)
        return spec

    def _tests(
        self, where: dict[str, Any], b: Binding, positives: dict[str, Binding], base: DocPath
    ) -> list[Test]:
        out: list[Test] = []
        for path, raw in where.items():
            here = base + (path,)
            spec = self._field(b.kind, path, here)
            if spec is None:
                continue
            if isinstance(raw, dict) and self._cross_fact_comparison(raw, positives, here):
                continue
            if isinstance(raw, dict):
                cond = self.conditions.get(here)
                if cond is None:
                    try:
                        cond = Condition.model_validate(raw)
                    except ValidationError as exc:
                        report_validation_error(
                            exc,
                            Condition,
                            here,
                            self.smap,
                            self.diags,
                            RULE_CODES,
                            f"the test on '{path}'",
                        )
                        continue
                    self.conditions[here] = cond
                op, value = cond.operator()
            elif isinstance(raw, list):
                self.add(
                    "R202",
                    f"a list needs an operator for '{path}'",
                    here,
                    "write {one_of: [...]} or {contains_any: [...]}",
                )
                continue
            else:
                op, value = "equals", raw
            vhere = here + (op,) if isinstance(raw, dict) else here
            t = self._operator(Test(path, spec, op, value), b, positives, vhere)
            if t is not None:
                out.append(t)
        return out

    def _cross_fact_comparison(
        self, raw: dict[str, Any], positives: dict[str, Binding], here: DocPath
    ) -> bool:
        for op, value in raw.items():
            if (
                op in DURABLE_COMPARE
                and isinstance(value, str)
                and value.partition(".")[0] in positives
            ):
                self.add(
                    "R216",
                    f"'{op}' compares with a fixed value, not with another fact ('{value}')",
                    here + (op,),
                    "the engine can only join facts on equality (same_as); a provision's "
                    "date window is checked with 'in_force'",
                )
                return True
        return False

    def _operator(
        self, t: Test, b: Binding, positives: dict[str, Binding], here: DocPath
    ) -> Test | None:
        spec = t.spec
        ftype = "event_date" if spec.type == "object" and "earliest" in spec.children else spec.type
        op = OPERATORS[t.op]
        vhere = here
        if ftype not in op.fits:
            fitting = sorted(n for n, o in OPERATORS.items() if ftype in o.fits)
            self.add(
                "R213",
                f"'{t.op}' does not fit '{t.path}', which is {spec.describe()}",
                vhere,
                "operators for it: " + ", ".join(fitting),
            )
            return None
        if op.value == "path":
            return self._same_as(t, b, positives, vhere)
        if op.value == "category":
            return t if self._category_ok(t, vhere) else None
        values = t.value if op.value == "list" else [t.value]
        if op.value == "list" and not isinstance(t.value, list):
            self.add("R202", f"'{t.op}' needs a list of values", vhere, "e.g. [a, b]")
            return None
        item = spec.item if spec.type == "list" and spec.item is not None else spec
        for v in values:
            if op.value in ("list", "scalar") and not self._literal_ok(t, v, vhere):
                return None
            if op.value in ("list", "scalar") and not self._value_ok(item, v, vhere):
                return None
            if t.path == "id" and not self._id_ok(b.kind, v, vhere):
                return None
        if op.value in ("number", "scalar") and not self._in_range(t.value, vhere):
            return None
        return t

    def _category_ok(self, t: Test, here: DocPath) -> bool:
        """`within` names a category of the vocabulary, on a list of item categories."""
        item = t.spec.item
        if item is None or item.type != "enum" or set(item.values) != set(TAXONOMY.names()):
            self.add(
                "R213",
                f"'{t.op}' does not fit '{t.path}', which is {t.spec.describe()}",
                here,
                "'within' tests a list of item categories, e.g. items.category or cargo.category",
            )
            return False
        if not isinstance(t.value, str) or t.value not in TAXONOMY.categories:
            self.add(
                "R203",
                f"'{t.value}' is not an item category",
                here,
                did_you_mean(str(t.value), TAXONOMY.names())
                or "categories are listed in vocabulary/categories.yaml",
            )
            return False
        below = TAXONOMY.subtree(t.value)
        if len(below) > MAX_VALUES:
            self.add(
                "L309",
                f"'within: {t.value}' takes in {len(below)} categories; the limit is {MAX_VALUES}",
                here,
                "name narrower categories with several tests in any_of alternatives",
            )
            return False
        return True

    def _literal_ok(self, t: Test, v: Any, here: DocPath) -> bool:
        """`equals: t.supplier` compares with that text, never with a field of t: say so."""
        if not isinstance(v, str) or "." not in v:
            return True
        head = v.partition(".")[0]
        names = set(self.rule.match) | set(self.rule.unless)
        for alt in self.rule.any_of:
            names |= set(alt)
        if head not in names:
            return True
        self.add(
            "R224",
            f"'{t.op}: {v}' compares '{t.path}' with the text '{v}', not with a field of '{head}'",
            here,
            f"to compare with another fact's field write {{same_as: {v}}}",
        )
        return False

    def _id_ok(self, kind: str, v: Any, here: DocPath) -> bool:
        """An id test on a reported kind names a fact of that kind (derived ids are made)."""
        if self.kinds.is_derived(kind):
            return True
        ids = self.kinds.ids_of_kind(self.facts, kind)
        if isinstance(v, str) and v in ids:
            return True
        self.add(
            "R203",
            f"'{v}' names no known {kind.replace('_', ' ')}",
            here,
            did_you_mean(str(v), ids) or f"use the id of a {kind.replace('_', ' ')} fact",
        )
        return False

    def _in_range(self, value: Any, here: DocPath) -> bool:
        """The engine holds numbers as signed 64-bit integers; beyond, comparisons saturate."""
        numbers = value if isinstance(value, list) else [value]
        for n in numbers:
            if isinstance(n, int) and not isinstance(n, bool) and not -(2**63) <= n < 2**63:
                self.add(
                    "R225",
                    f"the number {str(n)[:30]}{'...' if len(str(n)) > 30 else ''} is too large "
                    "for the rule engine",
                    here,
                    f"numbers must lie between {-(2**63)} and {2**63 - 1}",
                )
                return False
        return True

    def _value_ok(self, spec: FieldSpec, v: Any, here: DocPath) -> bool:
        if spec.type == "enum" and str(v) not in spec.values:
            self.add(
                "R203",
                f"'{v}' is not a value of '{spec.path}'",
                here,
                did_you_mean(str(v), spec.values) or "values: " + ", ".join(spec.values),
            )
            return False
        if spec.ref == "bearer" and v in BEARER_CLASSES:
            return True
        if spec.type == "date" and isinstance(v, str):
            try:
                date.fromisoformat(v)
            except ValueError:
                self.add(
                    "R203",
                    f"'{v}' is not a date for '{spec.path}'",
                    here,
                    "write a day as YYYY-MM-DD, e.g. 2022-11-02",
                )
                return False
        if spec.ref and isinstance(v, str):
            family = "actor" if spec.ref == "bearer" else spec.ref
            ids = self.kinds.ids_of_family(self.facts, family)
            if v not in ids:
                self.add(
                    "R203",
                    f"'{v}' names no known {family}",
                    here,
                    did_you_mean(v, ids) or f"use the id of an {family} fact",
                )
                return False
        expected: dict[str, type | tuple[type, ...]] = {
            "number": int,
            "bool": bool,
            "date": (date, str),
            "text": str,
            "enum": str,
        }
        want = expected.get(spec.type)
        if want is not None and (
            not isinstance(v, want) or (spec.type == "number" and isinstance(v, bool))
        ):
            self.add("R202", f"'{v}' is not {spec.describe()} for '{spec.path}'", here)
            return False
        return True

    def _same_as(
        self, t: Test, b: Binding, positives: dict[str, Binding], here: DocPath
    ) -> Test | None:
        other, _, path = str(t.value).partition(".")
        if other in self.broken:
            return None
        if other == b.name:
            self.add(
                "R214",
                f"'{t.value}' refers to the same binding",
                here,
                "same_as joins two different facts",
            )
            return None
        if other not in positives or not path:
            self.add(
                "R214",
                f"'{t.value}' names no binding of this rule",
                here,
                did_you_mean(other, positives)
                or "write binding.field, e.g. transfer.recipient; bindings: "
                + ", ".join(sorted(positives)),
            )
            return None
        ospec = self._field(positives[other].kind, path, here)
        if ospec is None:
            return None
        if _join_type(ospec) != _join_type(t.spec):
            self.add(
                "R213",
                f"'{t.path}' ({t.spec.describe()}) cannot equal '{t.value}' ({ospec.describe()})",
                here,
                "join fields of the same type: text with text, a number with a number, "
                "a date with a date",
            )
            return None
        mine = self._family(b.kind, t.path, t.spec)
        theirs = self._family(positives[other].kind, path, ospec)
        if mine and theirs and mine != theirs:
            self.add(
                "R213",
                f"'{t.path}' ({mine}) cannot equal '{t.value}' ({theirs})",
                here,
                "join fields that name the same sort of fact",
            )
            return None
        return t

    def _family(self, kind: str, path: str, spec: FieldSpec) -> str | None:
        if spec.ref:
            return "actor" if spec.ref == "bearer" else spec.ref
        if path == "id":
            return FAMILY_OF_KIND.get(kind, "derived")
        return None


def _join_type(spec: FieldSpec) -> str:
    """What equality between two facts compares: enums and ids are text."""
    return "text" if spec.type == "enum" else spec.type


def _common_positives(alts: list[dict[str, Binding]]) -> dict[str, Binding]:
    """Positive bindings every alternative has, with the same kind."""
    if not alts:
        return {}
    out = {}
    for name, b in alts[0].items():
        if b.negated:
            continue
        if all(name in a and not a[name].negated and a[name].kind == b.kind for a in alts):
            out[name] = b
    return out


def _partial_positives(alts: list[dict[str, Binding]]) -> dict[str, list[int]]:
    """Positive bindings only some alternatives have: name -> those alternatives."""
    common = _common_positives(alts)
    out: dict[str, list[int]] = {}
    for i, a in enumerate(alts):
        for name, b in a.items():
            if not b.negated and name not in common:
                out.setdefault(name, []).append(i)
    return out


def _a(kind: str) -> str:
    words = kind.replace("_", " ")
    return ("an " if words[:1] in "aeiou" else "a ") + words
