"""The batch flow: one local authority's folder of plans, a task per chunk of plans.

Tasks are coarse (a chunk of plans each) and return small summaries, so orchestration
stays a small share of the run; results are written by the tasks themselves. Only I/O
errors are retried: a bad plan is not an error here, it is a rejected result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.task_runners import ThreadPoolTaskRunner

from qa_pipeline.batch import PlanSummary, chunked, process_chunk, summarise
from qa_pipeline.pipeline import plan_files


def _retry_on_io(task: Any, task_run: Any, state: Any) -> bool:
    try:
        state.result()
    except OSError:
        return True
    except Exception:
        return False
    return False


@task(name="qa-chunk", retries=2, retry_delay_seconds=1, retry_condition_fn=_retry_on_io)
def qa_chunk(paths: list[str], self_evaluations: str | None, out_dir: str) -> list[PlanSummary]:
    return process_chunk(paths, self_evaluations, out_dir)


@flow(name="qa-batch", task_runner=ThreadPoolTaskRunner(max_workers=2), log_prints=False)
def qa_batch(plans_dir: Path, out_dir: Path, self_evaluations: Path | None = None,
             chunk_size: int = 8) -> dict[str, Any]:
    files = plan_files(plans_dir)
    se = str(self_evaluations) if self_evaluations else None
    futures = [qa_chunk.submit(chunk, se, str(out_dir)) for chunk in chunked(files, chunk_size)]
    summaries = [s for f in futures for s in f.result()]
    return summarise(summaries, out_dir)
