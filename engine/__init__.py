"""Sanctions-violation rule engine: cited facts, YAML rules, durable_rules, traced findings."""

from __future__ import annotations

import sys

__version__ = "0.1.0"

# durable-rules 2.0.28 compiles on 3.13 but fails at import (PyEval_CallObject was removed),
# and it has no wheels, so say what is wrong before anything else can fail obscurely.
if not ((3, 11) <= sys.version_info[:2] <= (3, 12)):  # pragma: no cover - depends on interpreter
    raise ImportError(
        "sanctions-engine needs Python 3.11 or 3.12; this is Python "
        f"{sys.version_info.major}.{sys.version_info.minor}. durable-rules 2.0.28, the rule "
        "engine it runs on, does not import on Python 3.13 or later."
    )
