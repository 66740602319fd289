"""Plan judgement, triage and pupils' names."""

from __future__ import annotations

from qa_pipeline.judge import coverage, judge
from qa_pipeline.models import CriterionScore, Field, PlanJudgement, Provenance, Target
from qa_pipeline.privacy import find_pupil_mentions, redact
from qa_pipeline.rubric import CRITERIA, default_rubric

P = Provenance(block=0)


def scored(level: int, confidence: float = 0.9, area: str | None = "families") -> Target:
    t = Target(objective=Field(text="Parents help plan support", provenance=P), area_id=area)
    t.scores = {c: CriterionScore(level, confidence, [], "", level, "x") for c in CRITERIA}
    return t


def covered(gaps: list[str], unaddressed: list[str]) -> PlanJudgement:
    return PlanJudgement(gap_areas=gaps, unaddressed_gaps=unaddressed,
                         coverage=(len(gaps) - len(unaddressed)) / len(gaps) if gaps else 1.0)


def test_strong_plan() -> None:
    j = judge([scored(3), scored(3)], covered(["families"], []), default_rubric())
    assert (j.overall, j.quality, j.needs_expert_attention) == ("strong", 3.0, False)
    assert j.triage_rule == "confident"


def test_too_many_targets_need_revision_whatever_their_quality() -> None:
    j = judge([scored(3) for _ in range(9)], covered(["families"], []), default_rubric())
    assert j.overall == "needs_revision"
    assert "9 targets: unmanageable" in j.overall_reason  # type: ignore[operator]
    assert j.triage_rule == "needs_revision" and j.triage_rank == 1


def test_no_gap_covered_needs_revision() -> None:
    j = judge([scored(3, area="leadership")], covered(["families", "outcomes"],
                                                      ["families", "outcomes"]),
              default_rubric())
    assert j.overall == "needs_revision"
    assert "no target addresses" in (j.overall_reason or "")


def test_secure_needs_two_thirds_coverage_and_quality_two() -> None:
    rubric = default_rubric()
    assert judge([scored(2)], covered(["a", "b", "c"], ["c"]), rubric).overall == "secure"
    assert judge([scored(2)], covered(["a", "b", "c"], ["b", "c"]), rubric).overall == \
        "developing"


def test_uncertain_scores_and_pupil_names_raise_the_plan_in_the_queue() -> None:
    j = judge([scored(3, confidence=0.3), scored(3)], covered(["families"], []),
              default_rubric(), pupil_mentions=1)
    assert j.needs_expert_attention
    assert j.triage_rule == "names_a_pupil"
    assert "scores uncertain on 1 target (1)" in j.reasons


def test_coverage_lists_unaddressed_gaps_by_name() -> None:
    from qa_pipeline.framework import load_framework
    from qa_pipeline.selfeval import AreaProfile

    profile = AreaProfile(ratings={}, gaps=["families", "transition"], strengths=[])
    j = coverage([scored(2, area="families")], profile, load_framework())
    assert j.unaddressed_gaps == ["transition"] and j.coverage == 0.5
    assert any("Transition and preparing for adulthood" in r for r in j.reasons)


def test_pupil_names_are_found_everywhere_and_redacted() -> None:
    t = Target(objective=Field(text="Jayden (Y5) to have a visual timetable", provenance=P),
               actions=[Field(text="Screen J.S. in Y4 first", provenance=P),
                        Field(text="Share the timetable with Jayden's parents", provenance=P)],
               lead=Field(text="Mrs K. Patel (SENCo)", provenance=P))
    mentions = find_pupil_mentions([t])
    names = {m.text for m in mentions}
    assert names == {"Jayden", "J.S."}
    assert len([m for m in mentions if m.text == "Jayden"]) == 2
    assert redact("Share the timetable with Jayden's parents", names) == \
        "Share the timetable with [pupil]'s parents"
