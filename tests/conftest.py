"""Shared test set-up: the project's fixtures, and a private, offline Prefect home.

Prefect reads its settings when first imported, so they are set here, before any test
imports it: a temporary PREFECT_HOME (its embedded server's database), no analytics call
(offline it can fail and lock the fresh database), and a start-up timeout long enough
for a cold CI machine.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="qa-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES
