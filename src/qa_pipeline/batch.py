"""A batch of plans: process a chunk, write each result, summarise the batch.

Library functions the Prefect flow (``flows/``) sequences; they also run without Prefect
(``qa-pipeline run --engine local``) and in tests.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from qa_pipeline.language import trained_pipeline
from qa_pipeline.pipeline import PlanContext, process_plan
from qa_pipeline.results import result_to_dict, write_json_atomic, write_result

log = logging.getLogger(__name__)


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


_CONTEXT_LOCK = threading.Lock()


def cached_context(self_evaluations: str | None) -> PlanContext:
    """Load the framework, calendar, vocabulary, models and self-evaluations once per
    process (a lock, so that two worker threads do not both load them)."""
    with _CONTEXT_LOCK:
        return _load_context(self_evaluations)


@lru_cache(maxsize=4)
def _load_context(self_evaluations: str | None) -> PlanContext:
    context = PlanContext.load(Path(self_evaluations) if self_evaluations else None)
    trained_pipeline()  # load the spaCy model now, not inside the first plan's timing
    return context


def process_chunk(paths: list[str], self_evaluations: str | None, out_dir: str,
                  reports: bool = True) -> list[PlanSummary]:
    """Read, extract, score and judge each plan, write its result and (with ``reports``)
    its own reports: the expert's page and the SENCo's feedback."""
    ctx = cached_context(self_evaluations)
    out = Path(out_dir)
    summaries: list[PlanSummary] = []
    for p in paths:
        result = process_plan(Path(p), ctx)
        data = result_to_dict(result)
        written = write_result(out, data)
        timings = dict(result.timings_ms)
        if reports:
            timings["report"] = _plan_reports(out, data, ctx)
        summaries.append(PlanSummary(
            plan_id=result.plan_id, status=result.status,
            error_code=result.error.code if result.error else None,
            targets=len(result.targets), overall=result.plan.overall,
            needs_expert_attention=result.status != "ok" or result.plan.needs_expert_attention,
            result_path=str(written), timings_ms=timings))
    return summaries


def _plan_reports(out: Path, data: dict[str, Any], ctx: PlanContext) -> float:
    """Write one plan's reports; a failure is logged (no plan text) and never stops the
    batch: the plan's result is already safely written."""
    from qa_pipeline.reports import write_plan_reports

    start = time.perf_counter()
    try:
        write_plan_reports(out, data, ctx.framework)
    except Exception as exc:  # one plan's report must not stop the batch
        log.warning("reports for plan %s could not be written (%s)", data["plan_id"],
                    type(exc).__name__)
    return round((time.perf_counter() - start) * 1000, 1)


def chunked(items: list[Path], size: int) -> list[list[str]]:
    return [[str(p) for p in items[i:i + size]] for i in range(0, len(items), max(1, size))]


def summarise(summaries: list[PlanSummary], out_dir: Path, batch_report_seconds: float = 0.0
              ) -> dict[str, Any]:
    """The batch's counts and time per stage (``report`` includes the reports across
    plans, ``batch_report_seconds``), written to ``OUT/summary.json``."""
    status = Counter(s.status for s in summaries)
    codes = Counter(s.error_code for s in summaries if s.error_code)
    stage_ms: Counter[str] = Counter()
    for s in summaries:
        stage_ms.update(s.timings_ms)
    if batch_report_seconds:
        stage_ms["report"] += batch_report_seconds * 1000
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


def outputs_exist(chunk: list[str], out_dir: Path, reports: bool = True) -> bool:
    """Are the results (and, with ``reports``, the expert's pages) of every plan of a chunk
    on disk, so that a cached run may skip it?"""
    out = Path(out_dir)
    return all((out / "results" / f"{Path(p).stem}.json").exists()
               and (not reports or (out / "reports" / "expert" / f"{Path(p).stem}.html").exists())
               for p in chunk)


def load_results(out_dir: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((Path(out_dir) / "results").glob("*.json"))]


def reports_for(out_dir: Path, self_evaluations: str | None) -> dict[str, Any]:
    """Write the reports across a batch's results: the triage queue and the locality
    summaries (each plan's own reports are written with its result)."""
    from qa_pipeline.reports import write_batch_reports

    ctx = cached_context(self_evaluations)
    paths = write_batch_reports(out_dir, load_results(out_dir), ctx.self_evaluations,
                                ctx.framework)
    return {k: ([str(x) for x in v] if isinstance(v, list) else str(v)) for k, v in paths.items()}


def triage_rows(out_dir: Path) -> list[dict[str, Any]]:
    """The triage queue as table rows: most urgent first, each with its reason."""
    rows = []
    for r in load_results(out_dir):
        plan = r.get("plan") or {}
        triage = plan.get("triage") or {}
        rejected = r["status"] != "ok"
        rows.append({
            "rank": 0 if rejected else triage.get("rank"),
            "plan": r["plan_id"],
            "school": (r.get("school") or {}).get("name") or r["plan_id"],
            "overall": "rejected" if rejected else plan.get("overall"),
            "quality": plan.get("quality"),
            "coverage": plan.get("coverage"),
            "why": (r["error"]["message"] if rejected else "; ".join(plan.get("reasons") or [])),
        })
    rows.sort(key=lambda x: (x["rank"] if x["rank"] is not None else 99,
                             x["quality"] if x["quality"] is not None else -1))
    return rows
