"""Compare extraction of the project's fixture plans with their expected JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from qa_pipeline.batch import cached_context
from qa_pipeline.models import TARGET_FIELDS
from qa_pipeline.pipeline import process_plan
from qa_pipeline.results import result_to_dict

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def norm(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = " ".join(value)
    return " ".join(re.sub(r"[•\-–—*]", " ", str(value)).split()).lower()


def compare(plan: Path) -> list[str]:
    expected = json.loads((FIXTURES / "expected" / f"{plan.stem}.expected.json").read_text())
    ctx = cached_context(str(FIXTURES / "self_evaluations.csv"))
    got = result_to_dict(process_plan(plan, ctx))
    problems: list[str] = []
    if got["status"] != "ok":
        return [f"status {got['status']}: {got['error']}"]
    if (got["school"]["urn"] or None) != expected["school"]["urn"]:
        problems.append(f"urn {got['school']['urn']!r} != {expected['school']['urn']!r}")
    if len(got["targets"]) != len(expected["targets"]):
        problems.append(f"{len(got['targets'])} targets, expected {len(expected['targets'])}")
    for i, (g, e) in enumerate(zip(got["targets"], expected["targets"], strict=False)):
        for f in (*TARGET_FIELDS, "deadline", "area_id"):
            if norm(g.get(f)) != norm(e.get(f)):
                problems.append(f"t{i + 1}.{f}: got {g.get(f)!r} expected {e.get(f)!r}")
    return problems
