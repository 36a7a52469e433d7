"""The guarded durable_rules wrapper: errors surface, nothing is silently lost."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from engine import durable_adapter as runtime
from engine.derivation import Ledger
from engine.evaluate import evaluate
from engine.language.lowered import RuleSet
from engine.loader import FactSet
from tests.helpers import ROOT


def test_only_one_module_imports_durable_rules() -> None:
    imports = re.compile(r"^\s*(?:from|import)\s+durable", re.M)
    importers = [
        str(p.relative_to(ROOT))
        for p in sorted((ROOT / "engine").glob("*.py"))
        if imports.search(p.read_text(encoding="utf-8"))
    ]
    assert importers == ["engine/durable_adapter.py"]


def test_a_fact_wrongly_rejected_as_already_seen_is_asserted_again(
    bundled: tuple[FactSet, RuleSet], monkeypatch: pytest.MonkeyPatch
) -> None:
    """durable_rules keys facts by a 32-bit hash of their id: a distinct fact can be called
    "already observed". It is asserted again under another engine id, and nothing is lost."""
    baseline = evaluate(*bundled)
    original = runtime._Host.assert_fact
    refused: list[str] = []

    def collide(self: Any, name: str, fact: dict[str, Any]) -> Any:
        if fact["id"] == "ev-horses-to-kim" and not refused:
            refused.append(fact["id"])
            raise runtime._durable.MessageObservedException("Message has already been observed")
        return original(self, name, fact)

    monkeypatch.setattr(runtime._Host, "assert_fact", collide)
    again = evaluate(*bundled)
    assert refused == ["ev-horses-to-kim"]
    assert again.collisions == ("ev-horses-to-kim",)
    assert again.findings == baseline.findings  # the horses finding is still there, same id


def test_a_fact_refused_every_time_stops_the_evaluation(
    bundled: tuple[FactSet, RuleSet], monkeypatch: pytest.MonkeyPatch
) -> None:
    original = runtime._Host.assert_fact

    def collide(self: Any, name: str, fact: dict[str, Any]) -> Any:
        if str(fact["id"]).startswith("ev-horses-to-kim"):
            raise runtime._durable.MessageObservedException("Message has already been observed")
        return original(self, name, fact)

    monkeypatch.setattr(runtime._Host, "assert_fact", collide)
    with pytest.raises(runtime.EngineError, match="ev-horses-to-kim.*already seen 9 times"):
        evaluate(*bundled)


def test_an_exception_inside_an_action_fails_the_evaluation(
    bundled: tuple[FactSet, RuleSet], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_: Any) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(Ledger, "on_activation", boom)
    with pytest.raises(runtime.EngineError, match="failed while firing: ValueError"):
        evaluate(*bundled)


def test_the_engine_state_is_deleted_after_each_evaluation(
    bundled: tuple[FactSet, RuleSet],
) -> None:
    for _ in range(3):
        evaluate(*bundled)
    assert runtime._SESSIONS == {}
    # more evaluations than the engine's 1,024 live sessions would allow if they leaked
    small = FactSet(
        facts={k: v for k, v in bundled[0].facts.items() if k == "PRK"},
        sources=bundled[0].sources,
        citations=bundled[0].citations,
    )
    for _ in range(1100):
        evaluate(small, bundled[1])


def test_facts_no_rule_used_are_reported(bundled: tuple[FactSet, RuleSet]) -> None:
    result = evaluate(*bundled)
    unmatched = {u["id"]: u for u in result.unmatched}
    assert "ev-medicine-train" in unmatched
    assert unmatched["ev-dprk-criticises-sg"]["engine_accepted"] is False  # no pattern takes it
    used = {fid for f in result.findings for fid in f["facts"]}
    assert not used & set(unmatched)


def test_worst_case_fact_does_not_hang_the_engine(tmp_path: Path) -> None:
    """DURABLE_RULES.md: too many alpha matches fail or hang; assert the real rule set copes
    with a fact that every item test matches, in a separate process under a time limit."""
    script = tmp_path / "worst.py"
    script.write_text(
        "import json\n"
        "from pathlib import Path\n"
        "from engine.diagnostics import Diagnostics\n"
        "from engine.loader import load_facts\n"
        "from engine.language.load import load_rules\n"
        "from engine.evaluate import evaluate\n"
        "from engine.facts import ArmsTransfer\n"
        "d = Diagnostics()\n"
        "facts = load_facts(Path('facts'), d)\n"
        "rules = load_rules(Path('rules'), facts, d)\n"
        "cats = ArmsTransfer.model_fields['items'].annotation.__args__[0]"
        ".model_fields['category'].annotation.__args__\n"
        "base = facts.facts['ev-iran-drones-to-russia']\n"
        "worst = base.model_copy(update={'id': 'ev-worst', 'supplier': 'PRK', 'recipient': 'PRK',"
        " 'items': [base.items[0].model_copy(update={'category': c}) for c in cats]})\n"
        "facts.facts['ev-worst'] = worst\n"
        "facts.citations['ev-worst'] = facts.citations[base.id]\n"
        "print(json.dumps(len(evaluate(facts, rules).findings)))\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout) > 0
