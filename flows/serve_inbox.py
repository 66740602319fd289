"""A deployment that quality-assures new submissions dropped into a folder.

    .venv/bin/python -m flows.serve_inbox --inbox submissions/ --out qa-out/ \
        --self-evaluations self_evaluations.csv [--every 300]

serves the ``qa-inbox`` deployment: every ``--every`` seconds it runs the batch flow on
the inbox. Plans already processed come from the cache (their bytes and the settings
are unchanged), so each run does the work of the new or changed files only, and the
triage dashboard and locality reports are rebuilt. Runs on the embedded Prefect server,
or on your server when ``PREFECT_API_URL`` is set (then the runs show in its UI).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from prefect import flow

from flows.batch_flow import qa_batch


@flow(name="qa-inbox")
def qa_inbox(inbox: Path, out_dir: Path, self_evaluations: Path | None = None,
             chunk_size: int = 8) -> dict[str, Any]:
    return qa_batch(plans_dir=inbox, out_dir=out_dir, self_evaluations=self_evaluations,
                    chunk_size=chunk_size)


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the qa-inbox deployment.")
    parser.add_argument("--inbox", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--self-evaluations", type=Path, default=None)
    parser.add_argument("--every", type=int, default=300, help="seconds between runs")
    args = parser.parse_args()
    args.inbox.mkdir(parents=True, exist_ok=True)
    qa_inbox.serve(name="qa-inbox", interval=args.every,
                   parameters={"inbox": str(args.inbox.resolve()),
                               "out_dir": str(args.out.resolve()),
                               "self_evaluations": (str(args.self_evaluations.resolve())
                                                    if args.self_evaluations else None)})


if __name__ == "__main__":
    main()
