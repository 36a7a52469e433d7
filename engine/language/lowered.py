"""What a checked rule is made of, and the registry of fact kinds rules may name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from engine.diagnostics import Diagnostics, Location
from engine.facts import FAMILY_OF_KIND, MODEL_BY_KIND
from engine.language.fields import FieldSpec, lookup, model_fields
from engine.language.model import Rule
from engine.yamlsrc import SourceMap

RULE_CODES = {"unknown": "R201", "type": "R202", "value": "R203", "missing": "R204"}
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
SPECIAL_PLACEHOLDERS = {
    "provisions": "the labels of the provisions the finding cites",
    "total": "with 'total': the period's total against each cap, e.g. '569,900 barrels in 2024, "
    "against a cap of 500,000 barrels a year'",
}


@dataclass(frozen=True)
class Test:
    """One checked field test: the field, its spec, the operator and its value."""

    path: str
    spec: FieldSpec
    op: str
    value: Any


@dataclass
class Binding:
    name: str
    kind: str
    negated: bool
    tests: list[Test] = field(default_factory=list)


@dataclass
class CheckedRule:
    rule: Rule
    file: str
    smap: SourceMap
    # one list of bindings per alternative (a single one when the rule has no any_of)
    alternatives: list[dict[str, Binding]] = field(default_factory=list)

    def kind_of(self, binding: str) -> str:
        return self.alternatives[0][binding].kind if binding in self.alternatives[0] else ""

    def location(self, *path: str | int) -> Location:
        return self.smap.locate(tuple(path))


@dataclass
class RuleSet:
    rules: list[CheckedRule] = field(default_factory=list)
    derived: dict[str, dict[str, FieldSpec]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # shown path -> SHA-256 as read

    def by_id(self) -> dict[str, CheckedRule]:
        return {r.rule.id: r for r in self.rules}


class Kinds:
    """Fields of base kinds (from the fact model) and of kinds rules derive."""

    def __init__(self, loaded: list[tuple[Rule, SourceMap]], diags: Diagnostics) -> None:
        # fields of each kind of the fact model, worked out when a rule first names it
        self._base: dict[str, dict[str, FieldSpec]] = {}
        self.derive_decl: dict[str, tuple[Rule, SourceMap]] = {}
        self.derived: dict[str, dict[str, FieldSpec]] = {}
        for rule, smap in loaded:
            if rule.derive is None:
                continue
            kind = rule.derive.kind
            if kind in MODEL_BY_KIND:
                diags.add(
                    "R220",
                    f"'{kind}' is a fact kind of the model; derive another kind",
                    smap.locate(("derive", "kind")),
                    "name the derived kind for what it means",
                )
                continue
            if kind in self.derive_decl:
                other = self.derive_decl[kind][0]
                if sorted(other.derive.fields) != sorted(rule.derive.fields):  # type: ignore[union-attr]
                    diags.add(
                        "R220",
                        f"rules '{other.id}' and '{rule.id}' derive '{kind}' with different fields",
                        smap.locate(("derive", "fields")),
                        "derive the same fields, or name a new kind",
                    )
                continue
            self.derive_decl[kind] = (rule, smap)
        self._busy: set[str] = set()
        # fact ids by kind and by family, built once for all rules (not once per test)
        self._by_kind: dict[str, list[str]] | None = None
        self._by_family: dict[str, list[str]] = {}

    def ids_of_kind(self, facts: Any, kind: str) -> list[str]:
        if self._by_kind is None:
            self._by_kind = {}
            for fid, f in facts.facts.items():
                self._by_kind.setdefault(f.kind, []).append(fid)
        return self._by_kind.get(kind, [])

    def ids_of_family(self, facts: Any, family: str) -> list[str]:
        if not self._by_family:
            for fid, f in facts.facts.items():
                self._by_family.setdefault(FAMILY_OF_KIND[f.kind], []).append(fid)
        return self._by_family.get(family, [])

    def names(self) -> list[str]:
        return sorted(set(MODEL_BY_KIND) | set(self.derive_decl))

    def fields(self, kind: str) -> dict[str, FieldSpec] | None:
        if kind in MODEL_BY_KIND:
            if kind not in self._base:
                self._base[kind] = model_fields(MODEL_BY_KIND[kind])
            return self._base[kind]
        if kind in self.derived:
            return self.derived[kind]
        if kind not in self.derive_decl or kind in self._busy:
            return None
        self._busy.add(kind)
        rule, _ = self.derive_decl[kind]
        out: dict[str, FieldSpec] = {
            "id": FieldSpec("id", "text"),
            "kind": FieldSpec("kind", "text"),
        }
        for name, source in rule.derive.fields.items():  # type: ignore[union-attr]
            binding, _, path = source.partition(".")
            pattern = rule.match.get(binding)
            src_fields = self.fields(pattern.kind) if pattern and pattern.kind else None
            spec = lookup(src_fields, path)[0] if src_fields and path else None
            out[name] = (
                FieldSpec(name, spec.type, spec.values, spec.item, spec.ref)
                if spec
                else FieldSpec(name, "text")
            )
        self._busy.discard(kind)
        self.derived[kind] = out
        return out

    def is_derived(self, kind: str) -> bool:
        return kind in self.derive_decl
