"""The checks of what reads a match once it is made: `evidence`, `in_force`, `accountable`,
`group_by`, `derive` and the message. Whatever alternative of `any_of` made the match, they
may only name bindings every alternative binds (docs/semantics.md). Also the bound on
bindings that no join connects. A part of the rule checker (engine/language/checker.py).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from engine.diagnostics import did_you_mean
from engine.facts import FAMILY_OF_KIND, MODEL_BY_KIND
from engine.language.fields import FieldSpec, lookup, model_fields
from engine.language.lowered import PLACEHOLDER, SPECIAL_PLACEHOLDERS, Binding
from engine.language.model import NAME_PATTERN, Derive
from engine.yamlsrc import DocPath

if TYPE_CHECKING:
    from engine.language.lowered import Kinds
    from engine.language.model import Rule
    from engine.loader import FactSet

# Names the engine gives meaning to on every fact; a derived field may not take them.
RESERVED_FIELDS = frozenset({"id", "kind", "sid"})
# Matches of bindings that no join connects multiply; a rule past this is refused (R226).
# A single binding has as many candidates as there are facts of its kind, which is linear.
MAX_COMBINATIONS = 100_000


class AfterMatchChecks:
    """Mixed into the Checker, whose state and helpers it uses."""

    rule: Rule
    facts: FactSet
    kinds: Kinds
    broken: set[str]
    partial: dict[str, list[int]]

    def add(
        self, code: str, message: str, path: DocPath, hint: str = "", key: bool = False
    ) -> None:
        raise NotImplementedError

    def _field(self, kind: str, path: str, here: DocPath) -> FieldSpec | None:
        raise NotImplementedError

    def _check_tail(self, positives: dict[str, Binding], partial: dict[str, list[int]]) -> None:
        """Everything after matching (evidence, in_force, accountable, group_by, derive,
        message) speaks of one match, whichever alternative made it: so it may name only
        bindings that every alternative binds, with the same kind."""
        rule = self.rule
        self.partial = partial
        if rule.evidence is not None:
            b = self._binding_ref(rule.evidence.binding, positives, ("evidence", "binding"))
            if b is not None and FAMILY_OF_KIND.get(b.kind, "derived") not in ("event", "derived"):
                self.add(
                    "R203",
                    f"'{rule.evidence.binding}' is a {b.kind}, which reports no act",
                    ("evidence", "binding"),
                    "name the binding of the reported act (an event, or a fact derived from "
                    "events): its reports' modality is what the threshold is about",
                )
        if rule.in_force is not None:
            b = self._binding_ref(rule.in_force, positives, ("in_force",))
            if b is not None and FAMILY_OF_KIND.get(b.kind, "derived") not in (
                "event",
                "statement",
                "derived",
            ):
                self.add(
                    "R203",
                    f"'{rule.in_force}' is a {b.kind}, which has no date",
                    ("in_force",),
                    "name the binding of the reported act",
                )
        if rule.total is not None:
            self._check_total(rule, positives)
        for key in ("accountable", "group_by"):
            for i, ref in enumerate(getattr(rule, key)):
                spec = self._path(ref, positives, (key, i))
                if key == "accountable" and spec is not None:
                    self._check_actor(ref, spec, positives, (key, i))
        if rule.derive is not None:
            self._check_derive(rule.derive, positives)
        for placeholder in PLACEHOLDER.findall(rule.message):
            if placeholder in SPECIAL_PLACEHOLDERS:
                continue
            self._path(placeholder, positives, ("message",), template=True)

    def _check_combinations(self, index: int, bindings: dict[str, Binding]) -> None:
        """Bindings not joined to each other match every combination of their facts: past a
        bound that is a rule that cannot be meant (and an evaluation that would not end)."""
        groups = _joined_groups(bindings)
        if len(groups) < 2:
            return
        sizes = [
            max(len(self.kinds.ids_of_kind(self.facts, bindings[g[0]].kind)), 1) for g in groups
        ]
        total = 1
        for n in sizes:
            total *= n
        if total <= MAX_COMBINATIONS:
            return
        shown = "; ".join(
            f"{', '.join(g)} ({n} candidate facts)" for g, n in zip(groups, sizes, strict=True)
        )
        where: DocPath = ("any_of", index) if self.rule.any_of else ("match",)
        self.add(
            "R226",
            f"these bindings are not joined to each other, so every combination of their facts "
            f"matches: {shown}; that is {total:,} combinations, over {MAX_COMBINATIONS:,}",
            where,
            "join them with same_as (e.g. buyer: {where: {id: {same_as: flow.recipient}}}), "
            "or test each binding's own fields so that few facts qualify",
        )

    def _check_total(self, rule: Rule, positives: dict[str, Binding]) -> None:
        assert rule.total is not None
        here: DocPath = ("total", "binding")
        b = self._binding_ref(rule.total.binding, positives, here)
        if b is None:
            return
        if rule.derive is not None:
            self.add("R203", "'total' makes findings: a derive rule cannot add up", ("total",))
        fields = MODEL_BY_KIND.get(b.kind)
        has_items = fields is not None and any(
            spec.type == "list" and spec.item is not None and "category" in spec.item.children
            for spec in model_fields(fields).values()
        )
        if not has_items:
            self.add(
                "R203",
                f"'{rule.total.binding}' is a {b.kind}, which names no items to add up",
                here,
                "name the binding of a reported delivery (e.g. a goods_supply)",
            )
        capped = [
            pid
            for pid in rule.legal_basis
            if getattr(self.facts.facts.get(pid), "cap", None) is not None
        ]
        if not capped:
            self.add(
                "R203",
                "no provision of the legal basis has a cap to compare the total with",
                ("legal_basis",),
                "cite the provision that sets the cap (its fact has 'cap:')",
            )

    def _binding_ref(
        self, name: str, positives: dict[str, Binding], here: DocPath
    ) -> Binding | None:
        if name in positives:
            return positives[name]
        if name not in self.broken:
            self.add("R214", self._no_binding(name), here, self._binding_hint(name, positives))
        return None

    def _no_binding(self, name: str, shown: str | None = None) -> str:
        shown = shown or f"'{name}'"
        alts = self.partial.get(name)
        if alts:
            which = ", ".join(str(i + 1) for i in alts)
            return (
                f"{shown} names a binding that only some alternatives of 'any_of' bind "
                f"(alternative {which}); a match made by another alternative would have none"
            )
        return f"{shown} names no binding of this rule"

    def _binding_hint(self, name: str, positives: dict[str, Binding], extra: str = "") -> str:
        if name in self.partial:
            return "bind it in 'match' (any_of can add tests to it), or in every alternative"
        return did_you_mean(name, positives) or (
            "bindings every match has: " + ", ".join(sorted(positives)) + extra
        )

    def _check_actor(
        self, ref: str, spec: FieldSpec, positives: dict[str, Binding], here: DocPath
    ) -> None:
        binding, _, path = ref.partition(".")
        inner = spec.item if spec.type == "list" and spec.item else spec
        if inner.ref in ("actor", "bearer"):
            return
        if path == "id" and FAMILY_OF_KIND.get(positives[binding].kind) == "actor":
            return
        self.add(
            "R213",
            f"'{ref}' does not name an actor",
            here,
            "name a field that holds an actor id, e.g. transfer.supplier",
        )

    def _check_derive(self, derive: Derive, positives: dict[str, Binding]) -> None:
        for fname, ref in derive.fields.items():
            here: DocPath = ("derive", "fields", fname)
            if fname in RESERVED_FIELDS or not re.match(NAME_PATTERN, fname):
                self.add(
                    "R222",
                    f"'{fname}' cannot be the name of a derived field",
                    here,
                    "the engine uses id, kind and sid itself; name the field for what it "
                    "holds, in lower-case words joined by '_'",
                    key=True,
                )
            elif derive.key and fname not in derive.key:
                self.add(
                    "R223",
                    f"derived field '{fname}' is not part of the key",
                    here,
                    "reports merged under one key could give it different values and the "
                    f"derived fact would keep only one: add '{fname}' to 'key' or leave it out",
                    key=True,
                )
            self._path(ref, positives, here)
        for i, k in enumerate(derive.key):
            if k not in derive.fields:
                self.add(
                    "R203",
                    f"key '{k}' is not one of the derived fields",
                    ("derive", "key", i),
                    did_you_mean(k, derive.fields),
                )

    def _path(
        self, ref: str, positives: dict[str, Binding], here: DocPath, template: bool = False
    ) -> FieldSpec | None:
        binding, _, path = ref.partition(".")
        if binding in self.broken:
            return None
        if binding not in positives or not path:
            extra = "; or " + ", ".join(SPECIAL_PLACEHOLDERS) if template else ""
            shown = f"'{{{ref}}}'" if template else f"'{ref}'"
            message = self._no_binding(binding, shown)
            hint = self._binding_hint(binding, positives, extra)
            if not path and binding in positives:
                message = f"{shown} names a binding but no field of it"
                hint = "write binding.field, e.g. transfer.recipient"
            self.add("R217" if template else "R214", message, here, hint)
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


def _joined_groups(bindings: dict[str, Binding]) -> list[list[str]]:
    """The positive bindings, in groups that same_as joins (directly or through others)."""
    positives = [n for n, b in bindings.items() if not b.negated]
    parent = {n: n for n in positives}

    def root(n: str) -> str:
        while parent[n] != n:
            n = parent[n]
        return n

    for n in positives:
        for t in bindings[n].tests:
            other = str(t.value).partition(".")[0] if t.op == "same_as" else ""
            if other in parent:
                parent[root(n)] = root(other)
    groups: dict[str, list[str]] = {}
    for n in positives:
        groups.setdefault(root(n), []).append(n)
    return list(groups.values())
