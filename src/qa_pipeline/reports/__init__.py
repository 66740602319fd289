"""Reports from a run's results, for the three people who read them.

- the project expert: a page per plan explaining every score in the plan's words
  (``reports/expert/<plan_id>.html``) and the triage queue (``reports/triage.html``);
- the SENCo: supportive feedback on their own plan (``reports/senco/<plan_id>.docx``);
- the local authority's SEND lead: the picture across its schools
  (``reports/locality/<la_slug>.html``, ``.csv``, ``.xlsx``).

Everything is written under ``OUT/reports`` atomically, reads offline (inline CSS, SVG and
a little inline JavaScript) and names no pupil: each result is redacted with its own
``pupil_mentions`` before any report sees it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from qa_pipeline.framework import Framework
from qa_pipeline.reports.dashboard import write_dashboard
from qa_pipeline.reports.expert import write_expert
from qa_pipeline.reports.locality import build_locality, write_locality
from qa_pipeline.reports.queue import triage_order
from qa_pipeline.reports.senco_docx import write_senco_docx
from qa_pipeline.selfeval import SelfEvaluations

__all__ = ["build_locality", "load_results", "triage_order", "write_batch_reports",
           "write_plan_reports", "write_reports"]


def load_results(out_dir: Path) -> list[dict[str, Any]]:
    """Every result of a run (``OUT/results/*.json``), in plan id order."""
    folder = Path(out_dir) / "results"
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder of results: run the pipeline first")
    results: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.json")):
        if path.name.startswith("."):
            continue  # a result still being written
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path} is not a result file: {exc}") from exc
        if not isinstance(data, dict) or "plan_id" not in data:
            raise ValueError(f"{path} is not a result file: it has no plan_id")
        results.append(data)
    return results


def write_plan_reports(out_dir: Path, result: dict[str, Any], framework: Framework
                       ) -> tuple[Path, Path | None]:
    """One plan's own reports: the expert's page and, for an ok plan, the SENCo's .docx.

    They depend on that plan's result only, so the batch writes them as each plan is
    done (in parallel, wherever the plan was processed).
    """
    expert = write_expert(Path(out_dir), result, framework)
    ok = result.get("status") == "ok"
    return expert, write_senco_docx(Path(out_dir), result) if ok else None


def write_batch_reports(out_dir: Path, results: list[dict[str, Any]],
                        self_evaluations: SelfEvaluations | None,
                        framework: Framework) -> dict[str, Path | list[Path]]:
    """The reports across plans: the triage queue and the locality summaries.

    Keys: ``triage``, and ``locality``, ``locality_csv``, ``locality_xlsx`` (a file of
    each per local authority).
    """
    out_dir = Path(out_dir)
    locality = [write_locality(out_dir, la, framework)
                for la in build_locality(results, self_evaluations, framework)]
    return {
        "triage": write_dashboard(out_dir, results),
        "locality": [p["html"] for p in locality],
        "locality_csv": [p["csv"] for p in locality],
        "locality_xlsx": [p["xlsx"] for p in locality],
    }


def write_reports(out_dir: Path, results: list[dict[str, Any]],
                  self_evaluations: SelfEvaluations | None,
                  framework: Framework) -> dict[str, Path | list[Path]]:
    """Write every report of a run under ``OUT/reports`` and return their paths.

    Keys: those of :func:`write_batch_reports`, plus ``expert`` (a page per plan, in
    queue order) and ``senco`` (a .docx per ok plan).
    """
    written = [write_plan_reports(out_dir, r, framework) for r in triage_order(results)]
    return {**write_batch_reports(out_dir, results, self_evaluations, framework),
            "expert": [expert for expert, _ in written],
            "senco": [senco for _, senco in written if senco is not None]}
