"""The project's realistic fixture plans (fixtures/plans, built by fixtures/build_fixtures.py)
extract to exactly what their expected JSON says, field by field."""

from __future__ import annotations

import pytest

from tests.fixture_compare import FIXTURES, compare

PLANS = sorted((FIXTURES / "plans").iterdir())


def test_there_is_a_fixture_for_every_layout_and_format() -> None:
    assert len(PLANS) >= 10
    assert {p.suffix for p in PLANS} == {".docx", ".pdf", ".xlsx"}


@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
def test_fixture_plan_extracts_as_expected(plan) -> None:
    assert compare(plan) == []
