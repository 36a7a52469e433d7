"""The rule engine's hard limits, checked on every rule and fact before the engine runs.

durable_rules (2.0.28, C core `src/rules/` of github.com/jruizgit/rules) has fixed-size
tables. Past them it returns a bare error number, hangs, or corrupts its memory and
crashes the process (DURABLE_RULES.md §5, §6.1b). Each ENGINE_* constant below is the
engine's own figure, with the file that states it; each MAX_* constant is the project's
limit, set below the engine's with room for what the compiler and runtime add. `validate`
reports anything past a MAX_* limit at file:line:col, so the engine never sees it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from engine.diagnostics import Diagnostics
from engine.language.model import Pattern, Rule
from engine.yamlsrc import INT_LIMIT, DocPath, SourceMap

# --- the engine's figures -----------------------------------------------------------------
ENGINE_MAX_ACTIONS = 4096  # rete.c MAX_ACTIONS: rules in one ruleset (error 106)
ENGINE_MAX_SEQUENCE_EXPRESSIONS = 32  # rete.h: tests in one $and / $or (error 113)
ENGINE_BETA_LIST_LENGTH = 256  # rules.h BETA_LIST_LENGTH: joins under one node (error 108)
ENGINE_NEXT_LIST_LENGTH = 128  # rules.h NEXT_LIST_LENGTH: $nex / $or branches (error 107)
ENGINE_NEXT_BUCKET_LENGTH = 512  # rules.h NEXT_BUCKET_LENGTH: tests under one node (hangs)
ENGINE_MAX_STACK_SIZE = 64  # events.c MAX_STACK_SIZE: tests one fact matches (error 303;
#   with negated tests the engine corrupts its heap from about 64 rules on one kind)
ENGINE_MAX_OBJECT_PROPERTIES = 255  # state.h: properties of one fact, nested keys flattened (302)
ENGINE_MAX_OBJECT_PROPERTY_SIZE = 16_777_216  # state.h: bytes of one value (error 314)
ENGINE_INT_LIMIT = INT_LIMIT  # events.c stores `long long`: larger integers saturate
# A fact's id is copied onto the C stack (state.c): about 8 MB crashes the process.

# --- the project's limits -------------------------------------------------------------------
MAX_ENGINE_RULES = 1_000  # active rules, counting each any_of alternative as one
MAX_BINDINGS = 16  # facts one rule matches (match + unless + an alternative's own)
MAX_TESTS_PER_BINDING = 24  # where-tests on one binding, its alternatives' tests included
MAX_VALUES = 24  # values in one one_of / not_one_of / contains_any list
MAX_ALTERNATIVES = 32  # any_of alternatives in one rule
MAX_PATTERNS_PER_KIND = 56  # bindings of one fact kind over all active rules and alternatives
MAX_NEGATED_PER_KIND = 40  # of those, bindings with a not / not_one_of / exists: false test
MAX_FACT_PROPERTIES = 200  # keys of one fact, nested keys counted, a list counted once
MAX_DERIVED_FIELDS = 200  # fields of one derived fact
MAX_TEXT_CHARS = 20_000  # characters of one text value in a fact or rule
MAX_ID_CHARS = 200  # characters of a fact id or rule id

NEGATED_OPERATORS = frozenset({"not", "not_one_of"})
LIST_OPERATORS = frozenset({"one_of", "not_one_of", "contains_any"})

# One line per limit, for the README and for messages: (constant, code, what it bounds).
LIMITS: tuple[tuple[str, int, str, str], ...] = (
    ("MAX_ENGINE_RULES", MAX_ENGINE_RULES, "L301", "active rules, each any_of alternative one"),
    ("MAX_BINDINGS", MAX_BINDINGS, "L302", "bindings of one rule"),
    ("MAX_TESTS_PER_BINDING", MAX_TESTS_PER_BINDING, "L303", "tests on one binding"),
    ("MAX_ALTERNATIVES", MAX_ALTERNATIVES, "L304", "any_of alternatives of one rule"),
    ("MAX_PATTERNS_PER_KIND", MAX_PATTERNS_PER_KIND, "L305", "bindings of one kind, all rules"),
    ("MAX_NEGATED_PER_KIND", MAX_NEGATED_PER_KIND, "L305", "negated bindings of one kind"),
    ("MAX_FACT_PROPERTIES", MAX_FACT_PROPERTIES, "L306", "keys of one fact, nested counted"),
    ("MAX_DERIVED_FIELDS", MAX_DERIVED_FIELDS, "L306", "fields of one derived fact"),
    ("MAX_TEXT_CHARS", MAX_TEXT_CHARS, "L307", "characters of one text value"),
    ("MAX_ID_CHARS", MAX_ID_CHARS, "L308", "characters of a fact or rule id"),
    ("MAX_VALUES", MAX_VALUES, "L309", "values in one one_of/not_one_of/contains_any list"),
)


def _alternatives(rule: Rule) -> list[tuple[DocPath, dict[str, Pattern]]]:
    """Each alternative's own bindings with where they stand ([] for a rule without any_of)."""
    return [(("any_of", i), alt) for i, alt in enumerate(rule.any_of)]


def check_rule(rule: Rule, smap: SourceMap, diags: Diagnostics) -> None:
    """The limits one rule can break on its own."""
    if len(rule.id) > MAX_ID_CHARS:
        diags.add(
            "L308",
            f"the rule id is {len(rule.id)} characters long; the limit is {MAX_ID_CHARS}",
            smap.locate(("id",)),
            "use a short id such as DPRK-ARMS-EXPORT",
        )
    if len(rule.any_of) > MAX_ALTERNATIVES:
        diags.add(
            "L304",
            f"the rule has {len(rule.any_of)} alternatives under any_of; the limit is "
            f"{MAX_ALTERNATIVES} (each becomes an engine rule)",
            smap.locate(("any_of",), key=True),
            "split the rule in two, or use one_of for alternatives that test one field",
        )
    alternatives = _alternatives(rule) or [((), {})]
    base = len(rule.match) + len(rule.unless)
    for where, alt in alternatives:
        new = [name for name in alt if name not in rule.match and name not in rule.unless]
        if base + len(new) > MAX_BINDINGS:
            diags.add(
                "L302",
                f"the rule matches {base + len(new)} facts at once; the limit is {MAX_BINDINGS}",
                smap.locate(where or ("match",), key=True),
                "split the rule: derive a fact from some bindings and match that",
            )
    for section in ("match", "unless"):
        for name, pattern in getattr(rule, section).items():
            tests = len(pattern.where)
            added = max((len(alt[name].where) for _, alt in alternatives if name in alt), default=0)
            if tests + added > MAX_TESTS_PER_BINDING:
                diags.add(
                    "L303",
                    f"binding '{name}' has {tests + added} tests; the limit is "
                    f"{MAX_TESTS_PER_BINDING}",
                    smap.locate((section, name), key=True),
                    "split the rule, or test a derived fact instead",
                )
            _check_values(pattern, (section, name), smap, diags)
    for where, alt in _alternatives(rule):
        for name, pattern in alt.items():
            _check_values(pattern, where + (name,), smap, diags)
    if rule.derive is not None and len(rule.derive.fields) > MAX_DERIVED_FIELDS:
        diags.add(
            "L306",
            f"the derived fact has {len(rule.derive.fields)} fields; the limit is "
            f"{MAX_DERIVED_FIELDS}",
            smap.locate(("derive", "fields"), key=True),
            "copy only the fields that later rules test",
        )
    for path, text in _texts(rule.model_dump(by_alias=True), ()):
        if len(text) > MAX_TEXT_CHARS:
            _text_too_long(len(text), smap, path, diags)


def _check_values(pattern: Pattern, at: DocPath, smap: SourceMap, diags: Diagnostics) -> None:
    for field, test in pattern.where.items():
        if not isinstance(test, Mapping):
            continue
        for op, value in test.items():
            if op in LIST_OPERATORS and isinstance(value, list) and len(value) > MAX_VALUES:
                diags.add(
                    "L309",
                    f"'{op}' lists {len(value)} values; the limit is {MAX_VALUES}",
                    smap.locate(at + ("where", field, op)),
                    "group the values in a derived fact, or split the rule",
                )


def _binding_kinds(rule: Rule) -> Iterable[tuple[str, bool, DocPath]]:
    """(kind, negated, where) for every binding of every engine rule this rule becomes."""
    alternatives = _alternatives(rule) or [((), {})]
    for where, alt in alternatives:
        for section in ("match", "unless"):
            for name, pattern in getattr(rule, section).items():
                extra = alt.get(name)
                tests = dict(pattern.where) | (dict(extra.where) if extra else {})
                yield pattern.kind or "", section == "unless" or _negated(tests), (section, name)
        for name, pattern in alt.items():
            if name in rule.match or name in rule.unless or pattern.kind is None:
                continue
            yield pattern.kind, _negated(pattern.where), where + (name,)


def _negated(where: Mapping[str, Any]) -> bool:
    for test in where.values():
        if isinstance(test, Mapping) and (
            NEGATED_OPERATORS & set(test) or test.get("exists") is False
        ):
            return True
    return False


def check_rule_set(rules: Iterable[tuple[Rule, SourceMap]], diags: Diagnostics) -> None:
    """The limits that all active rules share: engine rules, and bindings per fact kind.

    Counted on the rule files (each any_of alternative is one engine rule), not on the
    compiled rulesets; engine/compiler.py must keep one engine rule per alternative and one
    pattern per binding for these counts to hold."""
    active = [(r, m) for r, m in rules if r.status == "active"]
    total = sum(max(len(r.any_of), 1) for r, _ in active)
    if total > MAX_ENGINE_RULES and active:
        rule, smap = active[-1]
        diags.add(
            "L301",
            f"the active rules become {total} engine rules; the limit is {MAX_ENGINE_RULES}",
            smap.locate(("id",)),
            "retire rules that are no longer needed, or merge alternatives with one_of",
        )
    patterns: dict[str, list[tuple[SourceMap, DocPath]]] = {}
    negated: dict[str, list[tuple[SourceMap, DocPath]]] = {}
    for rule, smap in active:
        for kind, neg, where in _binding_kinds(rule):
            patterns.setdefault(kind, []).append((smap, where))
            if neg:
                negated.setdefault(kind, []).append((smap, where))
    for table, limit, what in (
        (patterns, MAX_PATTERNS_PER_KIND, "bindings"),
        (negated, MAX_NEGATED_PER_KIND, "bindings with a negated test (not, not_one_of, unless)"),
    ):
        for kind, places in sorted(table.items()):
            if len(places) > limit:
                smap, where = places[limit]  # the first one past the limit
                diags.add(
                    "L305",
                    f"active rules hold {len(places)} {what} of kind '{kind}'; the engine "
                    f"allows {limit} (this binding is number {limit + 1})",
                    smap.locate(where, key=True),
                    "retire or merge rules on this kind; past this limit the engine fails "
                    "or crashes when a fact of this kind is asserted",
                )


def check_fact(raw: Mapping[str, Any], smap: SourceMap, at: DocPath, diags: Diagnostics) -> None:
    """The limits one fact (as read from its file) can break."""
    fid = raw.get("id")
    if isinstance(fid, str) and len(fid) > MAX_ID_CHARS:
        diags.add(
            "L308",
            f"the fact id is {len(fid):,} characters long; the limit is {MAX_ID_CHARS}",
            smap.locate(at + ("id",)),
            "use a short id such as ev-dprk-shells-2022",
        )
    count = _count_properties(raw)
    if count > MAX_FACT_PROPERTIES:
        diags.add(
            "L306",
            f"the fact has {count} keys (nested keys counted); the limit is {MAX_FACT_PROPERTIES}",
            smap.locate(at),
            "split it into several facts",
        )
    if _longest_text(raw) > MAX_TEXT_CHARS:  # where, only then: every fact is checked
        for path, text in _texts(raw, at):
            if len(text) > MAX_TEXT_CHARS and path != at + ("id",):
                _text_too_long(len(text), smap, path, diags)


def _count_properties(value: Mapping[str, Any]) -> int:
    """Keys as the engine counts them: nested mappings flattened, a list one property."""
    count = 0
    stack: list[Mapping[str, Any]] = [value]
    while stack:
        for item in stack.pop().values():
            if isinstance(item, (dict, Mapping)):  # dict first: the quick check
                stack.append(item)
            else:
                count += 1
    return count


def _longest_text(value: Any) -> int:
    """The length of the longest text anywhere in value (0 if none)."""
    longest = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            longest = max(longest, len(item))
        elif isinstance(item, (dict, Mapping)):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return longest


def _texts(value: Any, at: DocPath) -> Iterable[tuple[DocPath, str]]:
    stack: list[tuple[DocPath, Any]] = [(at, value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            yield path, item
        elif isinstance(item, Mapping):
            stack.extend((path + (str(k),), v) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((path + (i,), v) for i, v in enumerate(item))


def _text_too_long(length: int, smap: SourceMap, path: DocPath, diags: Diagnostics) -> None:
    diags.add(
        "L307",
        f"the text is {length:,} characters long; the limit is {MAX_TEXT_CHARS:,}",
        smap.locate(path),
        "shorten it: keep long explanations in the source document, not in the fact",
    )
