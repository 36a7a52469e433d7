"""Differential testing: random valid rule sets and fact sets, evaluated by the
durable_rules-backed engine and by the reference evaluator, must agree on every activation,
derived fact and finding (its supporting facts, provisions and not-flagged reasons).

CI runs a bounded number of examples; a long run on demand:
    DIFFERENTIAL_EXAMPLES=20000 .venv/bin/pytest tests/test_differential.py
(see tests/differential/long_run.py to spread it over several processes).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.differential.generate import (
    differences,
    engine_summary,
    fact_set,
    load,
    reference_summary,
    rule_set,
)

EXAMPLES = int(os.environ.get("DIFFERENTIAL_EXAMPLES", "150"))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
@given(data=st.data())
def test_engine_and_reference_agree(data: st.DataObject) -> None:
    facts = data.draw(fact_set(), label="facts")
    provisions = sorted(f for f, v in facts.facts.items() if v.kind == "provision")
    capped = tuple(p for p in provisions if getattr(facts.facts[p], "cap", None) is not None)
    rules = data.draw(rule_set(provisions, capped), label="rules")
    checked, diags = load(facts, rules)
    if os.environ.get("DIFFERENTIAL_SHOW_REFUSED") and diags.items:
        print([d.one_line() for d in diags.items])
    assume(not diags.items)
    engine = engine_summary(facts, checked)
    reference = reference_summary(facts, checked)
    assert not differences(engine, reference), "\n".join(differences(engine, reference))
