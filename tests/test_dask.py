"""The batch flow on a local Dask cluster of two worker processes gives the same results
as the plain loop, its task runs are recorded by the one embedded Prefect server (the
workers are given its address), and an unchanged re-run comes from the cache."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from flows.batch_flow import run_batch
from qa_pipeline.cli import main
from tests.conftest import FIXTURES

SE = FIXTURES / "self_evaluations.csv"


def _results(out: Path) -> dict[str, dict]:
    return {p.stem: {k: v for k, v in json.loads(p.read_text()).items() if k != "timings_ms"}
            for p in (out / "results").glob("*.json")}


def _chunk_runs() -> int:
    """Task runs of the chunk task recorded by this process's Prefect server."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return sum(r.name.startswith("qa-chunk") for r in client.read_task_runs(limit=200))


def test_dask_run_matches_the_plain_loop_and_reruns_from_cache(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    for p in sorted((FIXTURES / "plans").iterdir())[::4]:
        shutil.copy(p, plans / p.name)
    assert main(["run", "--engine", "local", "--no-reports", "--plans", str(plans),
                 "--self-evaluations", str(SE), "--out", str(tmp_path / "local")]) == 0
    recorded = _chunk_runs()
    summary = run_batch(plans, tmp_path / "dask", SE, chunk_size=2, dask_workers=2,
                        reports=False)
    assert summary["ok"] == len(list(plans.iterdir()))
    assert _chunk_runs() - recorded == 2, "the chunk task runs are recorded"
    # the workers inherit the embedded server's address instead of starting their own
    from prefect.server.api.server import SubprocessASGIServer

    assert os.environ.get("PREFECT_API_URL") == SubprocessASGIServer().api_url
    assert _results(tmp_path / "dask") == _results(tmp_path / "local")

    written = {p: p.stat().st_mtime_ns for p in (tmp_path / "dask" / "results").glob("*.json")}
    run_batch(plans, tmp_path / "dask", SE, chunk_size=2, dask_workers=2, reports=False)
    again = {p: p.stat().st_mtime_ns for p in (tmp_path / "dask" / "results").glob("*.json")}
    assert again == written, "an unchanged re-run rewrote results instead of using the cache"
