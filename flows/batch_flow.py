"""The batch flow: one local authority's folder of plans, a task per chunk of plans.

Tasks are coarse (a chunk of plans each) and return small summaries, so orchestration
stays a small share of the run; results are written by the tasks themselves. Each
chunk's result is cached on the plans' bytes and on everything that decides a result
(rubric, framework, calendar, word lists, models, self-evaluations, code): an unchanged
batch re-runs from the cache, a changed rubric redoes everything. Only I/O errors are
retried: a bad plan is not an error here, it is a rejected result. The triage table and
a summary are published as Prefect artifacts.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from qa_pipeline.batch import (
    PlanSummary,
    chunked,
    outputs_exist,
    process_chunk,
    reports_for,
    summarise,
    triage_rows,
)
from qa_pipeline.fingerprint import chunk_key, reports_key
from qa_pipeline.pipeline import plan_files
from qa_pipeline.progress import BatchProgress


def _retry_on_io(task: Any, task_run: Any, state: Any) -> bool:
    try:
        state.result()
    except OSError:
        return True
    except Exception:
        return False
    return False


def _chunk_cache_key(context: Any, parameters: dict[str, Any]) -> str:
    return chunk_key(parameters["paths"], parameters["self_evaluations"], parameters["out_dir"],
                     parameters.get("reports", True))


def _reports_cache_key(context: Any, parameters: dict[str, Any]) -> str:
    return reports_key(parameters["out_dir"], parameters["self_evaluations"])


@task(name="qa-chunk", retries=2, retry_delay_seconds=1, retry_condition_fn=_retry_on_io,
      cache_key_fn=_chunk_cache_key, persist_result=True, cache_expiration=timedelta(days=60))
def qa_chunk(paths: list[str], self_evaluations: str | None, out_dir: str,
             reports: bool = True) -> list[PlanSummary]:
    return process_chunk(paths, self_evaluations, out_dir, reports)


@task(name="qa-reports", retries=1, retry_condition_fn=_retry_on_io,
      cache_key_fn=_reports_cache_key, persist_result=True, cache_expiration=timedelta(days=60))
def qa_reports(out_dir: str, self_evaluations: str | None) -> dict[str, Any]:
    """The triage queue and locality summaries, from every result of the batch."""
    return reports_for(Path(out_dir), self_evaluations)


def _unless_deleted(task: Any, outputs_present: bool) -> Any:
    """The task as it is, or, when its outputs were deleted since it ran, one that computes
    again even though a cache entry exists."""
    return task if outputs_present else task.with_options(refresh_cache=True)


@flow(name="qa-batch", task_runner=ThreadPoolTaskRunner(max_workers=1), log_prints=False)
def qa_batch(plans_dir: Path, out_dir: Path, self_evaluations: Path | None = None,
             chunk_size: int = 8, show_progress: bool = False, reports: bool = True
             ) -> dict[str, Any]:
    files = plan_files(plans_dir)
    se = str(self_evaluations) if self_evaluations else None
    out = str(out_dir)
    futures = []
    for chunk in chunked(files, chunk_size):
        runner = _unless_deleted(qa_chunk, outputs_exist(chunk, out_dir, reports))
        futures.append(runner.submit(chunk, se, out, reports))  # small lists of paths
    progress = BatchProgress(total=len(files), enabled=show_progress)
    summaries: list[PlanSummary] = []
    for future in as_completed(futures):
        done = future.result()
        summaries.extend(done)
        progress.advance(done)
    progress.close()
    summaries.sort(key=lambda s: s.plan_id)
    batch_reports: dict[str, Any] = {}
    started = time.perf_counter()
    if reports:
        triage_page = Path(out_dir) / "reports" / "triage.html"
        batch_reports = _unless_deleted(qa_reports, triage_page.exists())(out, se)
    summary = summarise(summaries, out_dir, time.perf_counter() - started)
    summary["reports"] = batch_reports
    create_table_artifact(key="qa-triage", table=triage_rows(out_dir),
                          description="Plans in the order the expert should look at them")
    create_markdown_artifact(key="qa-summary", markdown=_summary_markdown(summary),
                             description="QA batch summary")
    return summary


def _summary_markdown(summary: dict[str, Any]) -> str:
    codes = ", ".join(f"{k}: {v}" for k, v in summary["rejected_by_code"].items()) or "none"
    return "\n".join([
        "# SEND action plan QA",
        f"- plans: {summary['plans']} ({summary['ok']} ok, {summary['rejected']} rejected: "
        f"{codes})",
        f"- needing the expert's attention: {summary['needing_attention']}",
        f"- targets read: {summary['targets']}",
        f"- results: `{summary['results_dir']}`",
        f"- triage dashboard: `{(summary.get('reports') or {}).get('triage', '-')}`",
    ])


def run_batch(plans_dir: Path, out_dir: Path, self_evaluations: Path | None = None,
              chunk_size: int = 8, workers: int = 1, dask_address: str | None = None,
              dask_workers: int | None = None, show_progress: bool = False,
              reports: bool = True) -> dict[str, Any]:
    """Run the batch flow on threads (default), a local Dask cluster of ``dask_workers``
    processes, or the Dask scheduler at ``dask_address`` (machines beyond this one)."""
    if dask_address or dask_workers:
        from prefect_dask import DaskTaskRunner

        if dask_workers and not dask_address:
            _share_embedded_server()
        runner: Any = (DaskTaskRunner(address=dask_address) if dask_address else
                       DaskTaskRunner(cluster_kwargs={"n_workers": dask_workers,
                                                      "threads_per_worker": 1,
                                                      "processes": True}))
    else:
        runner = ThreadPoolTaskRunner(max_workers=workers)
    return qa_batch.with_options(task_runner=runner)(
        plans_dir=plans_dir, out_dir=out_dir, self_evaluations=self_evaluations,
        chunk_size=chunk_size, show_progress=show_progress, reports=reports)


def _share_embedded_server() -> None:
    """Hand the embedded Prefect server's address to local Dask workers.

    The workers are separate processes: without ``PREFECT_API_URL`` each would start an
    embedded server of its own (about 8 s and 200 MB each, all on one database). So the
    server is started here, once, and its address put in the environment the workers
    inherit. A configured server (``PREFECT_API_URL`` set) is left as it is.
    """
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import get_current_settings

    if get_current_settings().api.url or os.environ.get("PREFECT_API_URL"):
        return
    server = SubprocessASGIServer()  # the same instance Prefect's own client starts
    server.start()
    os.environ["PREFECT_API_URL"] = server.api_url
