"""The command line: a thin edge over the library.

``qa-pipeline run`` processes a folder of plans through the Prefect batch flow (an
embedded temporary Prefect server: nothing to start by hand) or, with
``--engine local``, a plain loop. Library errors become messages and exit codes here.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

from qa_pipeline.errors import ConfigError, SelfEvaluationError

EXIT_OK, EXIT_USAGE, EXIT_CONFIG = 0, 2, 3


def _prefect_environment(out: Path) -> None:
    """Settings that keep the embedded Prefect server local, offline and quiet. Set before
    Prefect is imported; a user's own settings (e.g. PREFECT_API_URL) are left alone."""
    home = Path(os.environ.get("QA_PIPELINE_PREFECT_HOME", Path.home() / ".qa-pipeline" /
                               "prefect"))
    os.environ.setdefault("PREFECT_HOME", str(home))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")
    home.mkdir(parents=True, exist_ok=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa-pipeline", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="quality-assure a folder of action plans")
    run.add_argument("--plans", type=Path, required=True, help="folder of plan files")
    run.add_argument("--self-evaluations", type=Path, default=None,
                     help="self-evaluation export (.csv or .xlsx) for the schools")
    run.add_argument("--out", type=Path, required=True, help="output folder")
    run.add_argument("--engine", choices=("prefect", "local"), default="prefect",
                     help="run through the Prefect flow (default) or a plain loop")
    run.add_argument("--chunk-size", type=int, default=8, help="plans per task")
    run.add_argument("--workers", type=int, default=1,
                     help="tasks run at once in this process (threads; for more cores use "
                          "--dask-workers)")
    run.add_argument("--dask-address", default=None,
                     help="run the tasks on the Dask scheduler at this address")
    run.add_argument("--dask-workers", type=int, default=None,
                     help="run the tasks on a local Dask cluster of this many processes")
    run.add_argument("--no-reports", action="store_true",
                     help="write the results only, not the reports")
    ev = sub.add_parser("evaluate", help="agreement of results with an expert's labelled plans")
    ev.add_argument("gold_dir", type=Path, help="folder of <plan_id>.gold.json files")
    ev.add_argument("results_dir", type=Path, help="OUT/results of a run")
    ev.add_argument("--json", action="store_true", help="print the figures as JSON")
    tr = sub.add_parser("train", help="rebuild the scoring and area models from labelled targets")
    tr.add_argument("--data", type=Path, default=None,
                    help="labelled targets (.jsonl); default fixtures/training/targets.jsonl")
    tr.add_argument("--models-dir", type=Path, default=None,
                    help="where to write the models; default models/")
    return parser


def _run(args: argparse.Namespace) -> int:
    if not args.plans.is_dir():
        print(f"error: --plans {args.plans} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    if args.self_evaluations is not None and not args.self_evaluations.is_file():
        print(f"error: --self-evaluations {args.self_evaluations} does not exist",
              file=sys.stderr)
        return EXIT_USAGE
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        summary = _run_engine(args)
    except (ConfigError, SelfEvaluationError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    elapsed = time.perf_counter() - started
    _print_summary(summary, elapsed)
    return EXIT_OK


def _run_engine(args: argparse.Namespace) -> dict[str, Any]:
    if args.engine == "local":
        from qa_pipeline.batch import chunked, process_chunk, reports_for, summarise
        from qa_pipeline.pipeline import plan_files
        from qa_pipeline.progress import BatchProgress

        se = str(args.self_evaluations) if args.self_evaluations else None
        files = plan_files(args.plans)
        progress = BatchProgress(total=len(files))
        summaries = []
        for chunk in chunked(files, args.chunk_size):
            done = process_chunk(chunk, se, str(args.out), reports=not args.no_reports)
            progress.advance(done)
            summaries.extend(done)
        progress.close()
        started = time.perf_counter()
        batch_reports = {} if args.no_reports else reports_for(args.out, se)
        summary = summarise(summaries, args.out, time.perf_counter() - started)
        summary["reports"] = batch_reports
        return summary
    _prefect_environment(args.out)
    from flows.batch_flow import run_batch

    return run_batch(plans_dir=args.plans, out_dir=args.out,
                     self_evaluations=args.self_evaluations, chunk_size=args.chunk_size,
                     workers=args.workers, dask_address=args.dask_address,
                     dask_workers=args.dask_workers, show_progress=True,
                     reports=not args.no_reports)


def _print_summary(summary: dict[str, Any], elapsed: float) -> None:
    codes = ", ".join(f"{k} {v}" for k, v in summary["rejected_by_code"].items())
    print(f"{summary['plans']} plans in {elapsed:.1f} s: {summary['ok']} ok, "
          f"{summary['rejected']} rejected{f' ({codes})' if codes else ''}, "
          f"{summary['needing_attention']} needing the expert's attention; "
          f"{summary['targets']} targets.")
    stages = summary.get("stage_seconds", {})
    work = sum(stages.values())
    split = ", ".join(f"{k} {v:.2f} s" for k, v in stages.items())
    print(f"time: {split}; start-up and orchestration {max(0.0, elapsed - work):.2f} s")
    print(f"results: {summary['results_dir']}")
    reports = summary.get("reports") or {}
    if reports.get("triage"):
        print(f"triage dashboard: {reports['triage']}")
        print(f"reports: {Path(reports['triage']).parent}")


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    if args.command == "run":
        return _run(args)
    if args.command == "evaluate":
        return _evaluate(args)
    if args.command == "train":
        return _train(args)
    return EXIT_USAGE


def _evaluate(args: argparse.Namespace) -> int:
    from qa_pipeline.evaluation import evaluate, format_report

    for folder in (args.gold_dir, args.results_dir):
        if not folder.is_dir():
            print(f"error: {folder} is not a folder", file=sys.stderr)
            return EXIT_USAGE
    figures = evaluate(args.gold_dir, args.results_dir)
    print(json.dumps(figures, indent=1) if args.json else format_report(figures))
    return EXIT_OK


def _train(args: argparse.Namespace) -> int:
    from qa_pipeline.scoring import models_store
    from qa_pipeline.scoring.training import TRAINING_DATA, train, train_areas

    data = args.data or TRAINING_DATA
    folder = args.models_dir or models_store.MODELS_DIR
    _, report = train(data, folder / models_store.LEVEL_MODELS.name)
    print(f"level models from {data} ({sum(1 for _ in data.open())} targets), "
          "5-fold cross-validated agreement with the labels:")
    print("criterion     rules QWK  learned QWK  blend QWK  blend exact")
    for c, v in report.items():
        print(f"  {c:11s} {v['rules_qwk']:9.3f}  {v['learned_qwk']:11.3f}  {v['blend_qwk']:9.3f}"
              f"  {v['blend_exact']:11.3f}")
    from qa_pipeline.framework import load_framework
    from qa_pipeline.scoring.learned import load_training

    _, areas = train_areas(load_training(data), load_framework(),
                           folder / models_store.AREA_MODEL.name)
    print(f"area classifier: cross-validated accuracy {areas['learned_accuracy']:.3f} "
          f"(rules alone {areas['rules_accuracy']:.3f}) on {areas['examples']} targets")
    print(f"models written to {folder}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
