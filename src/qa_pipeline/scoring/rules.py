"""The rubric's descriptors as rules: evidence in, level out.

Each criterion's scorer is registered under a versioned name that ``rubrics/rubric.yaml``
refers to (``qa.measurable.v1``), so a changed rule gets a new name and old results stay
explainable. Each rule reads the descriptors of rubric.md literally.
"""

from __future__ import annotations

from collections.abc import Callable

from qa_pipeline.scoring.features import CriterionEvidence, TargetContext

RuleScorer = Callable[[CriterionEvidence, TargetContext], int]
SCORERS: dict[str, RuleScorer] = {}


def register(name: str) -> Callable[[RuleScorer], RuleScorer]:
    def wrap(fn: RuleScorer) -> RuleScorer:
        SCORERS[name] = fn
        return fn
    return wrap


@register("qa.specific.v1")
def specific(ev: CriterionEvidence, ctx: TargetContext) -> int:
    v = ev.values
    if not v.get("has_objective") or v["area_heading"] or v["listing"]:
        return 0
    if v["topic_only"]:
        return 1
    if v["general_aim"]:
        return 2 if (v["how"] or v["outcome_link"]) and v["groups"] else 1
    detailed = v["precision"] or v["how"] or v["outcome_link"]
    if (v["groups"] or v["objective_words"] >= 10) and detailed \
            and v["concrete_actions"] >= 2:
        return 3
    return 2


@register("qa.measurable.v1")
def measurable(ev: CriterionEvidence, ctx: TargetContext) -> int:
    v = ev.values
    if not v.get("has_sc"):
        return 0
    counted = v["numbers"] > 0 or v["percent"] > 0
    if counted and (v["baseline"] or v["from_to"]) and v["sources"]:
        return 3
    if counted or (v["countable"] and not v["unmeasurable"]):
        return 2
    if v["sc_change_verbs"] and not v["unmeasurable"] and v["sc_words"] >= 6:
        return 2
    return 1


@register("qa.achievable.v1")
def achievable(ev: CriterionEvidence, ctx: TargetContext) -> int:
    v = ev.values
    lead, resources = v["has_lead"], v["has_resources"] and not v["resources_vague"]
    if not lead and not v["has_resources"]:
        return 0
    if not lead or v["lead_vague"] or not resources:
        return 1
    if (v["lead_roles"] or v["lead_people"]) and v["resource_items"] >= 2 \
            and v["resource_cues"] >= 2:
        return 3
    return 2


@register("qa.relevant.v1")
def relevant(ev: CriterionEvidence, ctx: TargetContext) -> int:
    v = ev.values
    if not v["has_area"]:
        return 0
    if ctx.area_status == "unknown":
        return 2 if (v["outcome_link"] or v["send_group"]) else 1
    if ctx.area_status in ("strength", "neither"):
        return 1
    return 3 if v["outcome_link"] or v["learner_outcome"] else 2


@register("qa.time_bound.v1")
def time_bound(ev: CriterionEvidence, ctx: TargetContext) -> int:
    v = ev.values
    if not v["has_deadline_text"]:
        return 1 if v["dates_elsewhere"] else 0
    if not v["has_date"]:
        return 1
    staged = v["milestone_cues"] or v["dates_in_deadline"] >= 2 or v["deadline_parts"] >= 2
    return 3 if staged else 2


@register("qa.evidence.v1")
def evidence(ev: CriterionEvidence, ctx: TargetContext) -> int:
    v = ev.values
    if not v["has_monitoring"]:
        return 0
    if not v["how"]:  # only a role or a generic phrase
        return 1
    return 3 if v["who"] and v["when"] else 2
