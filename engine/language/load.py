"""Load rule files and check them against the fact model before anything runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from engine import fact_cache
from engine.diagnostics import Diagnostics, Location
from engine.language.checker import Checker
from engine.language.lowered import RULE_CODES, Kinds, RuleSet
from engine.language.model import Condition, Rule
from engine.limits import check_rule, check_rule_set
from engine.loader import FactSet
from engine.pydantic_errors import report_validation_error
from engine.safefiles import find_yaml_files
from engine.yamlsrc import DocPath, SourceMap, display_path, load_yaml


@dataclass
class ValidatedRule:
    """What validating one rule file on its own gave, as the cache keeps it: the rule, and
    each test's condition by its place in the file (filled in by the checker)."""

    rule: Rule
    conditions: dict[DocPath, Condition] = field(default_factory=dict)


def load_rules(rules_dir: Path, facts: FactSet, diags: Diagnostics) -> RuleSet:
    result = RuleSet()
    loaded: list[tuple[Rule, SourceMap]] = []
    validated: dict[int, ValidatedRule] = {}  # id(rule) -> its cache record
    to_store: dict[str, ValidatedRule] = {}  # file SHA-256 -> a record the cache lacks
    if not rules_dir.is_dir():
        diags.add(
            "Y001",
            f"the rules folder '{rules_dir}' does not exist",
            Location(str(rules_dir)),
            "give the folder of rule files with --rules",
        )
        return result
    for path in find_yaml_files(rules_dir, diags, display_path):
        one = _rule_file(path, result, diags, to_store)
        if one is not None:
            record, smap = one
            validated[id(record.rule)] = record
            loaded.append((record.rule, smap))
    check_rule_set(loaded, diags)
    kinds = Kinds(loaded, diags)
    # where each id was first used; located only to report a second use, since finding a
    # position reads the file again (SourceMap.locate)
    seen: dict[str, SourceMap] = {}
    for rule, smap in loaded:
        if rule.id in seen:
            diags.add(
                "R210",
                f"rule id '{rule.id}' is used twice",
                smap.locate(("id",)),
                f"first used at {seen[rule.id].locate(('id',))}; rule ids are never reused",
            )
            continue
        seen[rule.id] = smap
        record = validated[id(rule)]
        checked = Checker(rule, smap, facts, kinds, diags, record.conditions).run()
        if checked is not None:
            result.rules.append(checked)
    for kind in kinds.derive_decl:
        spec = kinds.fields(kind)
        if spec is not None:
            result.derived[kind] = spec
    result.rules.sort(key=lambda r: r.rule.id)
    for sha, record in to_store.items():  # with the conditions the checker validated
        fact_cache.write_validated("rules", sha, record)
    return result


def _rule_file(
    path: Path, result: RuleSet, diags: Diagnostics, to_store: dict[str, ValidatedRule]
) -> tuple[ValidatedRule, SourceMap] | None:
    """One rule file validated on its own: from the cache of validated files when it holds
    these bytes (engine/fact_cache.py), else read, validated and checked against the
    engine's fixed limits; when that found no problem, it goes into to_store."""
    shown = display_path(path)
    peeked = fact_cache.peek(path)
    if peeked is not None:
        sha, text = peeked
        cached = fact_cache.read_validated("rules", sha, ValidatedRule)
        if cached is not None:
            result.files[shown] = sha
            return cached, SourceMap(shown, text=text)
    doc = load_yaml(path, diags, shown)
    if doc is None:
        return None
    result.files[shown] = doc.sha256
    if not isinstance(doc.data, dict):
        diags.add(
            "Y005",
            "a rule file must be one mapping of keys to values (one rule)",
            doc.source_map.locate(()),
            "start the file with 'id: YOUR-RULE-ID'",
        )
        return None
    try:
        rule = Rule.model_validate(doc.data)
    except ValidationError as exc:
        report_validation_error(exc, Rule, (), doc.source_map, diags, RULE_CODES, "a rule")
        return None
    before = len(diags)
    check_rule(rule, doc.source_map, diags)  # the engine's fixed limits (engine/limits.py)
    record = ValidatedRule(rule)
    if len(diags) == before:
        to_store[doc.sha256] = record
    return record, doc.source_map
