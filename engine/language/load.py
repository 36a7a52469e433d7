"""Load rule files and check them against the fact model before anything runs."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from engine.diagnostics import Diagnostics, Location
from engine.language.checker import Checker
from engine.language.lowered import RULE_CODES, Kinds, RuleSet
from engine.language.model import Rule
from engine.limits import check_rule, check_rule_set
from engine.loader import FactSet
from engine.pydantic_errors import report_validation_error
from engine.safefiles import find_yaml_files
from engine.yamlsrc import SourceMap, display_path, load_yaml


def load_rules(rules_dir: Path, facts: FactSet, diags: Diagnostics) -> RuleSet:
    result = RuleSet()
    loaded: list[tuple[Rule, SourceMap]] = []
    if not rules_dir.is_dir():
        diags.add(
            "Y001",
            f"the rules folder '{rules_dir}' does not exist",
            Location(str(rules_dir)),
            "give the folder of rule files with --rules",
        )
        return result
    for path in find_yaml_files(rules_dir, diags, display_path):
        shown = display_path(path)
        doc = load_yaml(path, diags, shown)
        if doc is None:
            continue
        result.files[shown] = doc.sha256
        if not isinstance(doc.data, dict):
            diags.add(
                "Y005",
                "a rule file must be one mapping of keys to values (one rule)",
                doc.source_map.locate(()),
                "start the file with 'id: YOUR-RULE-ID'",
            )
            continue
        try:
            rule = Rule.model_validate(doc.data)
        except ValidationError as exc:
            report_validation_error(exc, Rule, (), doc.source_map, diags, RULE_CODES, "a rule")
            continue
        check_rule(rule, doc.source_map, diags)  # the engine's fixed limits (engine/limits.py)
        loaded.append((rule, doc.source_map))
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
        checked = Checker(rule, smap, facts, kinds, diags).run()
        if checked is not None:
            result.rules.append(checked)
    for kind in kinds.derive_decl:
        spec = kinds.fields(kind)
        if spec is not None:
            result.derived[kind] = spec
    result.rules.sort(key=lambda r: r.rule.id)
    return result
