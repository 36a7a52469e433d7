"""Check one rule against the fact model and the facts: every problem at its line and column."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import ValidationError

from engine.diagnostics import Diagnostics, did_you_mean
from engine.facts import FAMILY_OF_KIND, MODEL_BY_KIND
from engine.language.fields import FieldSpec, lookup, model_fields
from engine.loader import FactSet
from engine.language.operators import DURABLE_COMPARE, OPERATORS
from engine.pydantic_errors import report_validation_error
from engine.language.model import NAME_PATTERN, Condition, Rule
from engine.language.lowered import (
    PLACEHOLDER,
    RULE_CODES,
    SPECIAL_PLACEHOLDERS,
    Binding,
    CheckedRule,
    Kinds,
    Test,
)
from engine.yamlsrc import DocPath, SourceMap


class Checker:
    def __init__(
        self, rule: Rule, smap: SourceMap, facts: FactSet, kinds: Kinds, diags: Diagnostics
    ) -> None:
        self.rule, self.smap, self.facts, self.kinds, self.diags = rule, smap, facts, kinds, diags
        self.errors_before = len(diags)
        # bindings already reported as broken: later references to them would only repeat it
        self.broken: set[str] = set()

    def add(
        self, code: str, message: str, path: DocPath, hint: str = "", key: bool = False
    ) -> None:
        self.diags.add(code, message, self.smap.locate(path, key=key), hint)

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
        positives_all = alts[0] if alts else {}
        self._check_tail(positives_all)
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
        values = t.value if op.value == "list" else [t.value]
        if op.value == "list" and not isinstance(t.value, list):
            self.add("R202", f"'{t.op}' needs a list of values", vhere, "e.g. [a, b]")
            return None
        item = spec.item if spec.type == "list" and spec.item is not None else spec
        for v in values:
            if op.value in ("list", "scalar") and not self._value_ok(item, v, vhere):
                return None
        return t

    def _value_ok(self, spec: FieldSpec, v: Any, here: DocPath) -> bool:
        if spec.type == "enum" and str(v) not in spec.values:
            self.add(
                "R203",
                f"'{v}' is not a value of '{spec.path}'",
                here,
                did_you_mean(str(v), spec.values) or "values: " + ", ".join(spec.values),
            )
            return False
        if spec.ref and isinstance(v, str):
            family = "actor" if spec.ref == "bearer" else spec.ref
            ids = [
                i for i in self.facts.facts if FAMILY_OF_KIND[self.facts.facts[i].kind] == family
            ]
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

    def _check_tail(self, positives: dict[str, Binding]) -> None:
        rule = self.rule
        names = sorted(positives)
        if (
            rule.evidence is not None
            and rule.evidence.binding not in positives
            and rule.evidence.binding not in self.broken
        ):
            self.add(
                "R214",
                f"'{rule.evidence.binding}' names no binding of 'match'",
                ("evidence", "binding"),
                did_you_mean(rule.evidence.binding, names),
            )
        if rule.in_force is not None:
            b = positives.get(rule.in_force)
            if b is None and rule.in_force in self.broken:
                pass
            elif b is None:
                self.add(
                    "R214",
                    f"'{rule.in_force}' names no binding of 'match'",
                    ("in_force",),
                    did_you_mean(rule.in_force, names),
                )
            elif FAMILY_OF_KIND.get(b.kind, "event") not in ("event", "statement"):
                self.add(
                    "R203",
                    f"'{rule.in_force}' is a {b.kind}, which has no date",
                    ("in_force",),
                    "name the binding of the reported act",
                )
        for key in ("accountable", "group_by"):
            for i, ref in enumerate(getattr(rule, key)):
                spec = self._path(ref, positives, (key, i))
                if key == "accountable" and spec is not None:
                    inner = spec.item if spec.type == "list" and spec.item else spec
                    if inner.ref not in ("actor", "bearer") and not ref.endswith(".id"):
                        self.add(
                            "R213",
                            f"'{ref}' does not name an actor",
                            (key, i),
                            "name a field that holds an actor id, e.g. transfer.supplier",
                        )
        if rule.derive is not None:
            for fname, ref in rule.derive.fields.items():
                self._path(ref, positives, ("derive", "fields", fname))
            for i, k in enumerate(rule.derive.key):
                if k not in rule.derive.fields:
                    self.add(
                        "R203",
                        f"key '{k}' is not one of the derived fields",
                        ("derive", "key", i),
                        did_you_mean(k, rule.derive.fields),
                    )
        for placeholder in PLACEHOLDER.findall(rule.message):
            if placeholder in SPECIAL_PLACEHOLDERS:
                continue
            self._path(placeholder, positives, ("message",), template=True)

    def _path(
        self, ref: str, positives: dict[str, Binding], here: DocPath, template: bool = False
    ) -> FieldSpec | None:
        binding, _, path = ref.partition(".")
        if binding in self.broken:
            return None
        if binding not in positives or not path:
            extra = ", ".join(sorted(positives))
            if template:
                extra += "; or " + ", ".join(SPECIAL_PLACEHOLDERS)
            self.add(
                "R217" if template else "R214",
                f"'{{{ref}}}' names no binding of this rule"
                if template
                else f"'{ref}' names no binding of this rule",
                here,
                did_you_mean(binding, positives) or f"write binding.field ({extra})",
            )
            return None
        kind = positives[binding].kind
        if template:  # templates may step through an actor id to its fields: {t.supplier.name}
            head, _, rest = path.partition(".")
            spec = self._field(kind, head, here)
            if spec is None or not rest:
                return spec
            if spec.ref:
                family = "actor" if spec.ref == "bearer" else spec.ref
                for k, fam in FAMILY_OF_KIND.items():
                    if fam == family and lookup(model_fields(MODEL_BY_KIND[k]), rest)[0]:
                        return FieldSpec(ref, "text")
                self.add(
                    "R217",
                    f"no {family} has a field '{rest}'",
                    here,
                    "actor fields: id, name, kind",
                )
                return None
            return self._field(kind, path, here)
        return self._field(kind, path, here)


def _a(kind: str) -> str:
    words = kind.replace("_", " ")
    return ("an " if words[:1] in "aeiou" else "a ") + words
