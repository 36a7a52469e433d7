"""Shared fixtures; BDD step definitions are imported here so they are collected once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _run_from_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Diagnostics show paths relative to the working directory, as users see them.
    monkeypatch.chdir(ROOT)
    os.environ.pop("SANCTIONS_DEBUG", None)


def pytest_configure(config: pytest.Config) -> None:
    """Register every rule id as a marker, so a mistyped rule tag in a feature fails."""
    import yaml

    for path in sorted((ROOT / "rules").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            config.addinivalue_line("markers", f"{data['id']}: {data.get('title', '')}")


from tests.steps.domain_steps import *  # noqa: E402,F401,F403 - pytest-bdd finds steps here
