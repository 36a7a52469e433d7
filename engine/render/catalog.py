"""The rule set as documented to its readers: each rule file's documented keys (README,
"Rules"), read as plain YAML after the engine has validated them, and the feature
scenarios tagged with each rule id."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass
class RuleInfo:
    id: str
    title: str
    status: str
    finding: str  # the finding kind, or 'derived: <kind>' for a rule that derives a fact
    severity: str
    confidence: str
    rationale: str
    legal_basis: list[str]
    file: str
    message: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "finding": self.finding,
            "severity": self.severity,
            "confidence": self.confidence,
            "provisions": self.legal_basis,
            "rationale": self.rationale,
            "file": self.file,
        }


def load_catalog(rules_dir: Path) -> dict[str, RuleInfo]:
    """Every rule of rules_dir by id. Call only on a rule set that has been validated."""
    out: dict[str, RuleInfo] = {}
    for path in sorted(rules_dir.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "id" not in data:
            continue
        derive = data.get("derive")
        kind = data.get("finding") or (
            f"derived: {derive.get('kind', '?')}" if isinstance(derive, dict) else "-"
        )
        out[str(data["id"])] = RuleInfo(
            id=str(data["id"]),
            title=str(data.get("title", "")),
            status=str(data.get("status", "active")),
            finding=str(kind),
            severity=str(data.get("severity", "-")),
            confidence=str(data.get("confidence", "-")),
            rationale=" ".join(str(data.get("rationale", "")).split()),
            legal_basis=[str(p) for p in data.get("legal_basis", []) or []],
            file=path.as_posix(),
            message=" ".join(str(data.get("message", "")).split()),
            data=data,
        )
    return out


@dataclass
class Scenario:
    file: str
    line: int
    name: str
    tags: list[str]
    rule_block: str
    steps: list[str]


_TAG = re.compile(r"@([^\s@]+)")
_STEP = re.compile(r"^(Given|When|Then|And|But|\*)\s")


def load_scenarios(features_dir: Path) -> list[Scenario]:
    """Every scenario of the .feature files, with its tags and steps (Gherkin's plain
    line structure: tag lines, then a Scenario line, then steps)."""
    out: list[Scenario] = []
    for path in sorted(features_dir.rglob("*.feature")):
        tags: list[str] = []
        rule_block = ""
        current: Scenario | None = None
        for no, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            line = raw.strip()
            if line.startswith("@"):
                tags.extend(_TAG.findall(line))
                current = None
            elif line.startswith("Rule:"):
                rule_block = line[len("Rule:") :].strip()
                tags, current = [], None
            elif line.startswith(("Scenario:", "Scenario Outline:", "Example:")):
                name = line.split(":", 1)[1].strip()
                current = Scenario(path.as_posix(), no, name, tags, rule_block, [])
                out.append(current)
                tags = []
            elif current is not None and (_STEP.match(line) or line.startswith("|")):
                current.steps.append(line)
    return out


def scenarios_for(rule_id: str, scenarios: list[Scenario]) -> list[Scenario]:
    return [s for s in scenarios if rule_id in s.tags]
