"""Benchmark: N generated plans of mixed formats and layouts through the whole pipeline.

    .venv/bin/python bench/bench.py --plans 200 [--dask-workers 2] [--workers 2]

Generates N plans (variants of the 13 fixture layouts: new school names, URNs, figures
and target order, so no two are alike), then measures and prints:
- the floor: merely reading the same files with the same libraries (no extraction);
- the plain loop (``--engine local``): the work itself, split by stage;
- the Prefect flow (embedded server), first run and an unchanged re-run (cached);
- optionally the same flow on a local Dask cluster;
- plans per second, peak memory, and orchestration as a share of the run: the flow's
  wall time minus the time spent inside the plans' stages and the reports.
Figures are printed, not asserted: speed is measured here, never in the tests.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "fixtures"))
os.environ.setdefault("PREFECT_HOME", str(Path(tempfile.gettempdir()) / "qa-bench-prefect"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

PLACES = ["Ashby", "Bexley", "Carrow", "Dunmore", "Eastwick", "Fairholme", "Glenrae", "Hilltop",
          "Ivybridge", "Jessop", "Kirkby", "Longford", "Meadowbank", "Netherby", "Oakhurst",
          "Pendle", "Quarry Hill", "Redbrook", "Southfield", "Thistle", "Underwood", "Valley",
          "Westfield", "Yewtree"]
KINDS = ["Primary School", "Academy", "Junior School", "High School", "CofE Primary"]


def generate(n: int, folder: Path, seed: int = 7) -> list[Path]:
    """N plan files: each a fixture layout with a new school and altered figures."""
    import build_fixtures as bf

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    for i in range(n):
        base = bf.PLANS[i % len(bf.PLANS)]
        name = f"{rng.choice(PLACES)} {rng.choice(PLACES)} {rng.choice(KINDS)}"
        header = dataclasses.replace(base.header, school_name=name,
                                     urn=f"15{i:04d}" if base.header.urn else None)
        targets = [dataclasses.replace(t, success_criteria=_shift_numbers(t.success_criteria,
                                                                          rng))
                   for t in base.targets]
        rng.shuffle(targets)
        plan = dataclasses.replace(base, plan_id=f"b{i:05d}_{base.plan_id[4:]}",
                                   header=header, targets=tuple(targets))
        path = folder / plan.filename
        bf.BUILDERS[base.plan_id](plan, path)
        files.append(path)
    return files


def _shift_numbers(text: str | None, rng: random.Random) -> str | None:
    if not text:
        return text
    return re.sub(r"\b(\d{1,2})%", lambda m: f"{min(100, int(m.group(1)) + rng.randint(0, 9))}%",
                  text)


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def floor(files: list[Path]) -> float:
    from qa_pipeline.errors import PlanInputError
    from qa_pipeline.readers import read_document

    start = time.perf_counter()
    for f in files:
        with contextlib.suppress(PlanInputError):
            read_document(f)
    return time.perf_counter() - start


def local(files_dir: Path, out: Path) -> tuple[float, dict[str, Any]]:
    from qa_pipeline.batch import cached_context, chunked, process_chunk, reports_for, summarise
    from qa_pipeline.pipeline import plan_files

    cached_context(None)  # model loading is start-up, not per-plan work
    start = time.perf_counter()
    summaries = [s for chunk in chunked(plan_files(files_dir), 25)
                 for s in process_chunk(chunk, None, str(out))]
    t = time.perf_counter()
    reports_for(out, None)  # the triage queue and locality pages, across plans
    summary = summarise(summaries, out, time.perf_counter() - t)
    return time.perf_counter() - start, summary


def prefect_start_up() -> float:
    """Start Prefect's embedded server (once per process) with an empty flow run."""
    from prefect import flow

    @flow(name="bench-warm-up")
    def warm_up() -> None:
        return None

    start = time.perf_counter()
    warm_up()
    return time.perf_counter() - start


def flow_run(files_dir: Path, out: Path, **kwargs: Any) -> tuple[float, dict[str, Any]]:
    from flows.batch_flow import run_batch

    start = time.perf_counter()
    summary = run_batch(files_dir, out, None, reports=True, **kwargs)
    return time.perf_counter() - start, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--chunk-size", type=int, default=25)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--dask-workers", type=int, default=0)
    parser.add_argument("--keep", type=Path, default=None, help="keep the generated plans here")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="qa-bench-"))
    plans_dir = args.keep or work / "plans"
    t = time.perf_counter()
    files = generate(args.plans, plans_dir)
    formats = {s: sum(f.suffix == s for f in files) for s in (".docx", ".pdf", ".xlsx")}
    print(f"generated {len(files)} plans {formats} in {time.perf_counter() - t:.1f} s")

    read_s = floor(files)
    local_s, local_summary = local(plans_dir, work / "local")
    stages = local_summary["stage_seconds"]
    start_up_s = prefect_start_up()
    first_s, first_summary = flow_run(plans_dir, work / "flow", chunk_size=args.chunk_size,
                          workers=args.workers)
    again_s, _ = flow_run(plans_dir, work / "flow", chunk_size=args.chunk_size,
                          workers=args.workers)
    n = len(files)
    print(f"\n{'':32s}{'seconds':>9s} {'plans/s':>8s}")
    print(f"{'floor: reading only':32s}{read_s:9.1f} {n / read_s:8.1f}")
    print(f"{'plain loop (the work)':32s}{local_s:9.1f} {n / local_s:8.1f}")
    print(f"{'Prefect embedded server start':32s}{start_up_s:9.1f}   (once per process)")
    print(f"{'Prefect flow, first run':32s}{first_s:9.1f} {n / first_s:8.1f}")
    print(f"{'Prefect flow, unchanged re-run':32s}{again_s:9.1f} {n / again_s:8.1f}"
          f"   ({first_s / again_s:.1f}x faster)")
    if args.dask_workers:
        dask_s, _ = flow_run(plans_dir, work / "dask", chunk_size=args.chunk_size,
                             dask_workers=args.dask_workers)
        print(f"{f'Prefect on Dask ({args.dask_workers} workers)':32s}{dask_s:9.1f} "
              f"{n / dask_s:8.1f}")
    total = sum(stages.values())
    print("\nstage split of the work (plain loop): " + ", ".join(
        f"{k} {v:.1f} s ({v / total:.0%})" for k, v in stages.items()))
    print(f"ratio to the reading floor: {local_s / read_s:.1f}x (plain loop), "
          f"{first_s / read_s:.1f}x (Prefect flow)")
    # The flow's own work is the time spent inside the plans' stages and the reports
    # (one thread runs the tasks, so they add up); the rest of its wall time is Prefect.
    flow_work = sum(first_summary["stage_seconds"].values())
    overhead = first_s - flow_work
    print(f"orchestration overhead (flow run minus the work inside it): {overhead:.1f} s = "
          f"{overhead / first_s:.1%} of the flow run; with the server start: "
          f"{overhead + start_up_s:.1f} s = {(overhead + start_up_s) / (first_s + start_up_s):.1%}")
    print(f"flow run against the plain loop: {first_s - local_s:+.1f} s")
    own, children = peak_mb()
    print(f"peak memory: {own:.0f} MB this process, {children:.0f} MB largest child")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
