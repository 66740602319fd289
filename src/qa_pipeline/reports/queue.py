"""The expert's queue: the order plans are worked through.

Rejected plans come first (rank 0, the rubric's ``rejected`` rule), then the plan's
triage rank (the first rubric rule it meets), then the plan with more flags before the
one with fewer, then the lower target quality, then the plan id so the order is stable.
"""

from __future__ import annotations

from typing import Any

from qa_pipeline.reports.labels import rubric

REJECTED_RANK = 0


def triage_rank(result: dict[str, Any]) -> int:
    """The plan's rank in the rubric's triage order; 0 for a rejected plan."""
    if result.get("status") != "ok":
        return REJECTED_RANK
    rank = ((result.get("plan") or {}).get("triage") or {}).get("rank")
    return int(rank) if rank is not None else len(rubric().triage.order)


def triage_rule(result: dict[str, Any]) -> str:
    if result.get("status") != "ok":
        return "rejected"
    rule = ((result.get("plan") or {}).get("triage") or {}).get("rule")
    return str(rule) if rule else "unranked"


def flags(result: dict[str, Any]) -> dict[str, str]:
    """The plan's triage flags (rule id: why); a rejected plan's is its error."""
    if result.get("status") != "ok":
        error = result.get("error") or {}
        return {"rejected": f"{error.get('code', 'rejected')}: {error.get('message', '')}"}
    return dict(((result.get("plan") or {}).get("triage") or {}).get("flags") or {})


def queue_key(result: dict[str, Any]) -> tuple[int, int, float, str]:
    quality = (result.get("plan") or {}).get("quality")
    return (triage_rank(result), -len(flags(result)),
            float(quality) if quality is not None else -1.0, str(result.get("plan_id", "")))


def triage_order(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The results in the order the expert should look at them."""
    return sorted(results, key=queue_key)
