"""``python -m qa_pipeline.reports OUT [--self-evaluations FILE]``: write the reports of a
run from its ``OUT/results``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qa_pipeline.errors import ConfigError, SelfEvaluationError
from qa_pipeline.framework import load_framework
from qa_pipeline.reports import load_results, write_reports
from qa_pipeline.selfeval import load_self_evaluations


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qa_pipeline.reports",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="the run's output folder (with results/)")
    parser.add_argument("--self-evaluations", type=Path, default=None,
                        help="self-evaluation export, for baseline and final ratings")
    args = parser.parse_args(argv)
    try:
        framework = load_framework()
        se = (load_self_evaluations(args.self_evaluations, framework)
              if args.self_evaluations else None)
        results = load_results(args.out)
    except (ConfigError, SelfEvaluationError, FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    paths = write_reports(args.out, results, se, framework)
    counts = ", ".join(f"{len(v)} {k}" for k, v in paths.items() if isinstance(v, list))
    print(f"{len(results)} results: {counts}; triage queue {paths['triage']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
