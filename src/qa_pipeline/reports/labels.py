"""The words reports use for criteria, ratings, fields and areas (from the rubric)."""

from __future__ import annotations

from functools import lru_cache

from qa_pipeline.rubric import CRITERIA, Rubric, default_rubric

FIELD_LABELS: dict[str, str] = {
    "area_text": "Area", "objective": "Objective", "actions": "Actions", "lead": "Lead",
    "resources": "Resources", "deadline_text": "Timescale",
    "success_criteria": "Success criteria", "monitoring": "Monitoring",
    "progress": "Progress",
}
# best first; "rejected" is a status, shown beside the ratings in filters and charts
RATINGS: tuple[str, ...] = ("strong", "secure", "developing", "needs_revision")
REJECTED = "rejected"
UNKNOWN_LA = "Unknown LA"


@lru_cache(maxsize=1)
def rubric() -> Rubric:
    return default_rubric()


def criterion_name(criterion: str) -> str:
    c = rubric().criteria.get(criterion)
    return c.name if c else criterion.replace("_", " ").capitalize()


def criteria() -> tuple[str, ...]:
    return CRITERIA


def rating_label(rating: str | None) -> str:
    """"Secure" for ``secure``, "Rejected" for ``rejected``, "Not rated" for None."""
    if rating is None:
        return "Not rated"
    if rating == REJECTED:
        return "Rejected"
    for r in rubric().plan.ratings:
        if r.id == rating:
            return r.label
    return rating.replace("_", " ").capitalize()


def rating_of(result: dict[str, object]) -> str | None:
    """The plan's overall rating id, ``rejected`` for a rejected plan."""
    if result.get("status") != "ok":
        return REJECTED
    plan = result.get("plan")
    overall = plan.get("overall") if isinstance(plan, dict) else None
    return overall if isinstance(overall, str) else None


def uncertain_below() -> float:
    return rubric().plan.uncertain_below


def local_authority(result: dict[str, object]) -> str:
    header = result.get("header")
    la = header.get("local_authority") if isinstance(header, dict) else None
    return la.strip() if isinstance(la, str) and la.strip() else UNKNOWN_LA


def school_name(result: dict[str, object]) -> str | None:
    school = result.get("school")
    name = school.get("name") if isinstance(school, dict) else None
    return name if isinstance(name, str) and name.strip() else None


def school_urn(result: dict[str, object]) -> str | None:
    school = result.get("school")
    urn = school.get("urn") if isinstance(school, dict) else None
    return str(urn) if urn else None
