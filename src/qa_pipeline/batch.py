"""A batch of plans: process a chunk, write each result, summarise the batch.

Library functions the Prefect flow (``flows/``) sequences; they also run without Prefect
(``qa-pipeline run --engine local``) and in tests.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from qa_pipeline.pipeline import PlanContext, process_plan
from qa_pipeline.results import write_json_atomic, write_result


@dataclass(frozen=True)
class PlanSummary:
    """What a batch keeps of each plan: small, so an orchestrator can hold thousands."""

    plan_id: str
    status: str
    error_code: str | None
    targets: int
    overall: str | None
    needs_expert_attention: bool
    result_path: str
    timings_ms: dict[str, float]


@lru_cache(maxsize=4)
def cached_context(self_evaluations: str | None) -> PlanContext:
    """Load the framework, calendar, vocabulary and self-evaluations once per process."""
    return PlanContext.load(Path(self_evaluations) if self_evaluations else None)


def process_chunk(paths: list[str], self_evaluations: str | None, out_dir: str
                  ) -> list[PlanSummary]:
    ctx = cached_context(self_evaluations)
    summaries: list[PlanSummary] = []
    for p in paths:
        result = process_plan(Path(p), ctx)
        written = write_result(Path(out_dir), result)
        summaries.append(PlanSummary(
            plan_id=result.plan_id, status=result.status,
            error_code=result.error.code if result.error else None,
            targets=len(result.targets), overall=result.plan.overall,
            needs_expert_attention=result.status != "ok" or result.plan.needs_expert_attention,
            result_path=str(written), timings_ms=dict(result.timings_ms)))
    return summaries


def chunked(items: list[Path], size: int) -> list[list[str]]:
    return [[str(p) for p in items[i:i + size]] for i in range(0, len(items), max(1, size))]


def summarise(summaries: list[PlanSummary], out_dir: Path) -> dict[str, Any]:
    status = Counter(s.status for s in summaries)
    codes = Counter(s.error_code for s in summaries if s.error_code)
    stage_ms: Counter[str] = Counter()
    for s in summaries:
        stage_ms.update(s.timings_ms)
    summary = {
        "plans": len(summaries),
        "ok": status.get("ok", 0),
        "rejected": status.get("rejected", 0),
        "rejected_by_code": dict(codes),
        "needing_attention": sum(s.needs_expert_attention for s in summaries),
        "targets": sum(s.targets for s in summaries),
        "results_dir": str(out_dir / "results"),
        "stage_seconds": {k: round(v / 1000, 3) for k, v in stage_ms.items()},
        "plans_detail": [asdict(s) for s in summaries],
    }
    write_json_atomic(out_dir / "summary.json", summary)
    return summary
