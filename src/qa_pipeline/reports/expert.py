"""The expert's page for one plan: every score explained in the plan's own words.

``OUT/reports/expert/<plan_id>.html`` shows the school, the overall rating and why, the
triage flags, gap coverage, then each target: every field with where it was found, the
six criterion scores with their confidence and reasons, and the feedback drafted for it.
A rejected plan's page shows the error. Pupils' names read ``[pupil]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa_pipeline.framework import Framework
from qa_pipeline.reports.labels import (
    FIELD_LABELS,
    criteria,
    criterion_name,
    local_authority,
    rating_label,
    rating_of,
    school_name,
    school_urn,
    uncertain_below,
)
from qa_pipeline.reports.queue import flags, triage_rank, triage_rule
from qa_pipeline.reports.redaction import redact_result
from qa_pipeline.reports.rendering import render, write_text

TEMPLATE = "expert.html.j2"
HEADER_FIELDS = ("senco", "headteacher", "coach", "date_text")


@dataclass
class FieldRow:
    name: str
    label: str
    texts: list[str]
    wheres: list[str]

    @property
    def missing(self) -> bool:
        return not self.texts


@dataclass
class ScoreRow:
    criterion: str
    name: str
    level: int | None
    confidence: float | None
    uncertain: bool
    descriptor: str
    rule_level: int | None
    scorer: str
    reasons: list[str]


@dataclass
class RewriteRow:
    label: str
    original: str | None
    suggested: str | None
    changed: bool


@dataclass
class Rewrite:
    target_label: str
    rows: list[RewriteRow]
    placeholders: list[str]


@dataclass
class TargetView:
    number: int
    objective: str | None
    area_text: str | None
    area_id: str | None
    area_name: str | None
    area_reason: str | None
    deadline: str | None
    deadline_reason: str | None
    fields: list[FieldRow]
    scores: list[ScoreRow]
    strengths: list[dict[str, Any]] = field(default_factory=list)
    priorities: list[dict[str, Any]] = field(default_factory=list)
    rewrites: list[Rewrite] = field(default_factory=list)


@dataclass
class AreaRow:
    id: str
    name: str
    rating: float | None
    gap: bool
    strength: bool
    targets: list[int]
    unaddressed: bool


def _fields(target: dict[str, Any]) -> list[FieldRow]:
    provenance = target.get("provenance") or {}
    rows: list[FieldRow] = []
    for name, label in FIELD_LABELS.items():
        value = target.get(name)
        where = provenance.get(name)
        if name == "actions":
            texts = [str(a) for a in value or []]
            wheres = [str(w) for w in where] if isinstance(where, list) else []
            wheres += [""] * (len(texts) - len(wheres))
        else:
            texts = [str(value)] if value else []
            wheres = [str(where)] if value and where else [""] * len(texts)
        rows.append(FieldRow(name=name, label=label, texts=texts, wheres=wheres))
    return rows


def _scores(target: dict[str, Any]) -> list[ScoreRow]:
    scores = target.get("scores") or {}
    threshold = uncertain_below()
    rows: list[ScoreRow] = []
    for c in criteria():
        s = scores.get(c) or {}
        confidence = s.get("confidence")
        rows.append(ScoreRow(
            criterion=c, name=criterion_name(c), level=s.get("level"), confidence=confidence,
            uncertain=confidence is not None and confidence < threshold,
            descriptor=s.get("descriptor") or ("not scored" if not s else ""),
            rule_level=s.get("rule_level"), scorer=s.get("scorer") or "",
            reasons=[str(r) for r in s.get("reasons") or []]))
    return rows


def _rewrite(item: dict[str, Any]) -> Rewrite:
    original = item.get("original") or {}
    suggested = item.get("suggested") or {}
    rows: list[RewriteRow] = []
    for name, label in FIELD_LABELS.items():
        before, after = original.get(name), suggested.get(name)
        if before is None and after is None:
            continue
        rows.append(RewriteRow(label=label, original=before, suggested=after,
                               changed=before != after))
    return Rewrite(target_label=str(item.get("target_label") or ""), rows=rows,
                   placeholders=[str(p) for p in item.get("placeholders") or []])


def _item(item: dict[str, Any]) -> dict[str, Any]:
    """A strength or priority with every key the template reads."""
    return {"target_index": item.get("target_index"), "criterion": item.get("criterion") or "",
            "level": item.get("level"), "text": item.get("text") or "",
            "target_label": item.get("target_label") or ""}


def _feedback(result: dict[str, Any]) -> dict[str, Any]:
    fb = result.get("feedback") or {}
    return {
        "opening": fb.get("opening"), "closing": fb.get("closing"),
        "strengths": [_item(s) for s in fb.get("strengths") or []],
        "priorities": [_item(p) for p in fb.get("priorities") or []],
        "rewrites": [_rewrite(r) for r in fb.get("rewrites") or []],
    }


def _targets(result: dict[str, Any], framework: Framework) -> list[TargetView]:
    fb = result.get("feedback") or {}
    views: list[TargetView] = []
    for i, t in enumerate(result.get("targets") or []):
        area_id = t.get("area_id")
        explanations = t.get("explanations") or {}
        views.append(TargetView(
            number=i + 1, objective=t.get("objective"), area_text=t.get("area_text"),
            area_id=area_id, area_name=_area_name(framework, area_id),
            area_reason=explanations.get("area_id"), deadline=t.get("deadline"),
            deadline_reason=explanations.get("deadline"), fields=_fields(t),
            scores=_scores(t),
            strengths=[_item(s) for s in fb.get("strengths") or []
                       if s.get("target_index") == i],
            priorities=[_item(p) for p in fb.get("priorities") or []
                        if p.get("target_index") == i],
            rewrites=[_rewrite(r) for r in fb.get("rewrites") or []
                      if r.get("target_index") == i]))
    return views


def _area_name(framework: Framework, area_id: str | None) -> str | None:
    if not area_id:
        return None
    try:
        return framework.area(area_id).name
    except KeyError:
        return area_id


def _coverage(result: dict[str, Any], framework: Framework) -> list[AreaRow]:
    plan = result.get("plan") or {}
    ratings = plan.get("area_ratings") or {}
    gaps = set(plan.get("gap_areas") or [])
    strengths = set(plan.get("strength_areas") or [])
    unaddressed = set(plan.get("unaddressed_gaps") or [])
    by_area: dict[str, list[int]] = {}
    for i, t in enumerate(result.get("targets") or []):
        if t.get("area_id"):
            by_area.setdefault(t["area_id"], []).append(i + 1)
    ids = framework.area_ids() + [a for a in by_area if a not in framework.area_ids()]
    return [AreaRow(id=a, name=_area_name(framework, a) or a, rating=ratings.get(a),
                    gap=a in gaps, strength=a in strengths, targets=by_area.get(a, []),
                    unaddressed=a in unaddressed) for a in ids]


def expert_context(result: dict[str, Any], framework: Framework) -> dict[str, Any]:
    """Everything the expert template shows, from a result (redacted here)."""
    r = redact_result(result)
    plan = r.get("plan") or {}
    header = r.get("header") or {}
    school = r.get("school") or {}
    rating = rating_of(r)
    return {
        "result": r,
        "plan_id": r.get("plan_id"),
        "ok": r.get("status") == "ok",
        "error": r.get("error") or {},
        "school_name": school_name(r) or "School not identified",
        "urn": school_urn(r),
        "match_message": (school.get("self_evaluation") or {}).get("match_message"),
        "la": local_authority(r),
        "header": {k: header.get(k) for k in HEADER_FIELDS},
        "source": r.get("source"),
        "layout": r.get("layout"),
        "rating": rating or "unrated",
        "rating_label": rating_label(rating),
        "overall_reason": plan.get("overall_reason"),
        "quality": plan.get("quality"),
        "coverage": plan.get("coverage"),
        "rank": triage_rank(r),
        "rule": triage_rule(r),
        "flags": flags(r),
        "reasons": list(plan.get("reasons") or []),
        "attention": bool(plan.get("needs_expert_attention")) or r.get("status") != "ok",
        "pupil_mentions": list(r.get("pupil_mentions") or []),
        "areas": _coverage(r, framework),
        "unaddressed": [_area_name(framework, a) or a for a in plan.get("unaddressed_gaps") or []],
        "targets": _targets(r, framework),
        "feedback": _feedback(r),
        "criteria": [(c, criterion_name(c)) for c in criteria()],
        "uncertain_below": uncertain_below(),
        "versions": r.get("versions") or {},
        "notes": list(r.get("notes") or []),
    }


def render_expert(result: dict[str, Any], framework: Framework) -> str:
    return render(TEMPLATE, **expert_context(result, framework))


def expert_path(out_dir: Path, plan_id: str) -> Path:
    return out_dir / "reports" / "expert" / f"{plan_id}.html"


def write_expert(out_dir: Path, result: dict[str, Any], framework: Framework) -> Path:
    """Write ``OUT/reports/expert/<plan_id>.html`` and return its path."""
    return write_text(expert_path(out_dir, str(result["plan_id"])),
                      render_expert(result, framework))
