"""Judge the plan as a whole: gap coverage, target quality, overall rating, triage.

Every figure comes with its reason, in the plan's terms ("9 targets: unmanageable",
"scores uncertain on 3 targets", "names a pupil"). Thresholds are the rubric's
(``rubrics/rubric.yaml``), not code.
"""

from __future__ import annotations

from qa_pipeline.framework import Framework
from qa_pipeline.models import PlanJudgement, Target
from qa_pipeline.rubric import CRITERIA, Rubric
from qa_pipeline.selfeval import AreaProfile


def coverage(targets: list[Target], profile: AreaProfile | None, framework: Framework
             ) -> PlanJudgement:
    judgement = PlanJudgement()
    if profile is None:
        judgement.reasons.append("no baseline self-evaluation found for this school: gaps "
                                 "and relevance cannot be checked")
        return judgement
    judgement.area_ratings = profile.ratings
    judgement.gap_areas = list(profile.gaps)
    judgement.strength_areas = list(profile.strengths)
    addressed = {t.area_id for t in targets if t.area_id}
    judgement.unaddressed_gaps = [a for a in profile.gaps if a not in addressed]
    covered = len(profile.gaps) - len(judgement.unaddressed_gaps)
    judgement.coverage = round(covered / len(profile.gaps), 3) if profile.gaps else 1.0
    if judgement.unaddressed_gaps:
        names = ", ".join(framework.area(a).name for a in judgement.unaddressed_gaps)
        judgement.reasons.append(f"gaps no target addresses: {names}")
    return judgement


def target_quality(targets: list[Target], rubric: Rubric) -> float | None:
    total = weight = 0.0
    for t in targets:
        for c in CRITERIA:
            if c in t.scores:
                w = rubric.criteria[c].weight
                total += w * t.scores[c].level
                weight += w
    return round(total / weight, 2) if weight else None


def judge(targets: list[Target], judgement: PlanJudgement, rubric: Rubric,
          pupil_mentions: int = 0) -> PlanJudgement:
    """Fill in quality, overall rating, attention and triage on a coverage judgement."""
    rules = rubric.plan
    quality = target_quality(targets, rubric)
    judgement.quality = quality
    has_zero = any(s.level == 0 for t in targets for s in t.scores.values())
    covered_any = judgement.coverage is None or not judgement.gap_areas or (
        len(judgement.unaddressed_gaps) < len(judgement.gap_areas))
    coverage_value = judgement.coverage if judgement.coverage is not None else 1.0
    overall = "needs_revision"
    why: str
    if not targets:
        why = "no targets found"
    elif len(targets) > rules.max_targets:
        why = f"{len(targets)} targets: unmanageable (more than {rules.max_targets})"
    elif rules.needs_revision_if_no_gap_covered and not covered_any:
        why = "no target addresses any of the school's gap areas"
    else:
        assert quality is not None
        for rating in rules.ratings:
            # thresholds are written to 3 decimals (two thirds = 0.667): compare at that
            if quality >= rating.min_quality and coverage_value + 5e-4 >= rating.min_coverage and (
                    rating.allow_zero_levels or not has_zero):
                overall = rating.id
                break
        why = (f"target quality {quality:.2f} (mean of criterion levels) and gap coverage "
               f"{coverage_value:.0%}" + ("; a criterion at level 0" if has_zero else ""))
    judgement.overall = overall
    judgement.overall_reason = why
    uncertain = [i for i, t in enumerate(targets)
                 if any(s.confidence < rules.uncertain_below for s in t.scores.values())]
    flags: dict[str, str] = {}
    if overall == "needs_revision":
        flags["needs_revision"] = f"needs revision: {why}"
    if pupil_mentions:
        flags["names_a_pupil"] = (f"names a pupil ({pupil_mentions} mention"
                                  f"{'s' if pupil_mentions > 1 else ''}): check before "
                                  "feedback goes out")
    if uncertain:
        flags["uncertain_scores"] = (f"scores uncertain on {len(uncertain)} target"
                                     f"{'s' if len(uncertain) > 1 else ''} "
                                     f"({', '.join(str(i + 1) for i in uncertain)})")
    if quality is not None and overall != "needs_revision" and _borderline(quality, rubric):
        flags["borderline_rating"] = f"target quality {quality:.2f} is close to a rating boundary"
    if judgement.unaddressed_gaps:
        flags["unaddressed_gaps"] = f"{len(judgement.unaddressed_gaps)} gap area(s) unaddressed"
    if judgement.coverage is None:
        flags["no_self_evaluation"] = "no self-evaluation found: relevance capped"
    judgement.flags = flags
    judgement.needs_expert_attention = bool(
        {"needs_revision", "names_a_pupil", "uncertain_scores", "borderline_rating"} & set(flags))
    order = rubric.triage.order
    first = next((rule for rule in order if rule in flags), "confident")
    judgement.triage_rule = first
    judgement.triage_rank = order.index(first)
    judgement.reasons = [flags[r] for r in order if r in flags] or [
        "scores confident, gaps covered: a quick check is enough"]
    return judgement


def _borderline(quality: float, rubric: Rubric) -> bool:
    margin = rubric.plan.borderline_margin
    return any(abs(quality - r.min_quality) < margin
               for r in rubric.plan.ratings if r.min_quality > 0)
