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
