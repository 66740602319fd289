"""The expert's triage queue: every plan of a run on one page, most urgent first.

``OUT/reports/triage.html`` lists the plans in :func:`~qa_pipeline.reports.queue.
triage_order` with why each is where it is, a link to its expert page, and column sorting
and filters by local authority and rating (a few lines of inline JavaScript; the page
works offline and, without JavaScript, still shows the queue in order).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from qa_pipeline.reports.labels import (
    RATINGS,
    REJECTED,
    local_authority,
    rating_label,
    rating_of,
    school_name,
    school_urn,
)
from qa_pipeline.reports.queue import flags, triage_order, triage_rank, triage_rule
from qa_pipeline.reports.redaction import redact_result
from qa_pipeline.reports.rendering import render, write_text

TEMPLATE = "triage.html.j2"
_RATING_ORDER = {r: i for i, r in enumerate((REJECTED, *reversed(RATINGS)))}


@dataclass
class QueueRow:
    position: int
    rank: int
    rule: str
    plan_id: str
    school: str
    urn: str | None
    la: str
    rating: str
    rating_label: str
    rating_order: int  # worst first, for sorting the column
    quality: float | None
    coverage: float | None
    flags: dict[str, str]
    reasons: list[str]
    targets: int
    attention: bool
    href: str


def queue_rows(results: list[dict[str, Any]]) -> list[QueueRow]:
    rows: list[QueueRow] = []
    for position, result in enumerate(triage_order(results), start=1):
        r = redact_result(result)
        plan = r.get("plan") or {}
        rating = rating_of(r) or "unrated"
        plan_flags = flags(r)
        rows.append(QueueRow(
            position=position, rank=triage_rank(r), rule=triage_rule(r),
            plan_id=str(r["plan_id"]),
            school=school_name(r) or (f"({r.get('source')})" if r.get("source")
                                      else "School not identified"),
            urn=school_urn(r), la=local_authority(r), rating=rating,
            rating_label=rating_label(rating_of(r)), rating_order=_RATING_ORDER.get(rating, 5),
            quality=plan.get("quality"),
            coverage=plan.get("coverage"), flags=plan_flags,
            reasons=[] if plan_flags else list(plan.get("reasons") or []),
            targets=len(r.get("targets") or []),
            attention=r.get("status") != "ok" or bool(plan.get("needs_expert_attention")),
            href=f"expert/{quote(str(r['plan_id']))}.html"))
    return rows


def render_dashboard(results: list[dict[str, Any]]) -> str:
    rows = queue_rows(results)
    present = {row.rating for row in rows}
    ratings = [(r, rating_label(r)) for r in (REJECTED, *RATINGS) if r in present]
    ratings += [(r, rating_label(None)) for r in sorted(present - {REJECTED, *RATINGS})]
    return render(TEMPLATE, rows=rows, las=sorted({row.la for row in rows}), ratings=ratings,
                  total=len(rows), rejected=sum(row.rating == REJECTED for row in rows),
                  attention=sum(row.attention for row in rows))


def dashboard_path(out_dir: Path) -> Path:
    return out_dir / "reports" / "triage.html"


def write_dashboard(out_dir: Path, results: list[dict[str, Any]]) -> Path:
    """Write ``OUT/reports/triage.html`` and return its path."""
    return write_text(dashboard_path(out_dir), render_dashboard(results))
