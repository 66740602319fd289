"""Feedback for the SENCo: strengths first, few priorities, rewrites that invent nothing."""

from __future__ import annotations

import json
import re

import pytest

from qa_pipeline.feedback import (
    Feedback,
    all_texts,
    build_feedback,
    target_label,
)
from qa_pipeline.framework import load_framework
from qa_pipeline.models import CriterionScore, Field, PlanJudgement, Provenance, Target
from qa_pipeline.rubric import CRITERIA, Rubric, default_rubric

JUDGEMENTAL = re.compile(r"\b(fail\w*|poor\w*|inadequate\w*|weak\w*|must)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return default_rubric()


def f(text: str) -> Field:
    return Field(text, Provenance(block=0))


def score(rubric: Rubric, criterion: str, level: int, *missing: str) -> CriterionScore:
    reasons = [f"Level {level}: {rubric.descriptor(criterion, level)}."]
    reasons += [f"Missing: {m}." for m in missing]
    return CriterionScore(level, 0.8, reasons, rubric.descriptor(criterion, level), level,
                          rubric.criteria[criterion].scorer)


def scores(rubric: Rubric, levels: dict[str, int],
           missing: dict[str, tuple[str, ...]] | None = None) -> dict[str, CriterionScore]:
    missing = missing or {}
    return {c: score(rubric, c, levels[c], *missing.get(c, ())) for c in CRITERIA}


def strong_target(rubric: Rubric) -> Target:
    t = Target(
        area_text=f("Working with families"),
        objective=f("Parents of pupils with SEND help plan their child's support at "
                    "termly meetings so that they feel listened to"),
        actions=[f("Termly structured conversations with every family")],
        lead=f("Mrs Patel (SENCo)"), resources=f("Two INSET sessions; £400 for cover"),
        deadline_text=f("July 2025; review each half term"),
        success_criteria=f("90% of parents (from 55% in the 2024 survey) say they helped "
                           "plan support, in the summer parent survey"),
        monitoring=f("SENCo audits meeting notes each half term and reports to governors"),
        area_id="families")
    t.scores = scores(rubric, {"specific": 3, "measurable": 3, "achievable": 3,
                               "relevant": 3, "time_bound": 3, "evidence": 2})
    return t


def reading_target(rubric: Rubric) -> Target:
    """Measurable at level 1: a number, but no baseline and no source."""
    t = Target(
        area_text=f("Targeted support"),
        objective=f("Pupils with SEND in Y3 read more fluently through daily paired reading"),
        lead=f("Reading lead"), resources=f("TA time, 20 minutes a day"),
        deadline_text=f("July 2025"),
        success_criteria=f("80% of the group reach their reading age"),
        monitoring=f("Reading lead checks the reading log every half term"),
        area_id="interventions")
    t.scores = scores(
        rubric, {"specific": 2, "measurable": 1, "achievable": 2, "relevant": 2,
                 "time_bound": 2, "evidence": 2},
        {"measurable": ("no baseline or starting point", "no data source named"),
         "time_bound": ("no interim milestone or review point",)})
    return t


def pilot_target(rubric: Rubric) -> Target:
    """Names a pupil; no lead, no timing; monitoring without who."""
    t = Target(
        objective=f("Pilot with Jayden (Y5) a daily precision teaching session"),
        actions=[f("Precision teaching every morning")],
        success_criteria=f("Jayden knows more spellings"),
        monitoring=f("Spelling checks each Friday"),
        area_id="interventions")
    t.scores = scores(
        rubric, {"specific": 1, "measurable": 1, "achievable": 0, "relevant": 1,
                 "time_bound": 0, "evidence": 1},
        {"specific": ("'Pilot' states a general aim, not a concrete change",),
         "measurable": ("no number or countable outcome", "no baseline or starting point",
                        "no data source named"),
         "achievable": ("no lead named", "no resources, time or training named"),
         "relevant": ("does not say how learners with SEND will benefit",),
         "time_bound": ("no timing at all", "no interim milestone or review point"),
         "evidence": ("does not say who monitors",)})
    return t


@pytest.fixture()
def targets(rubric: Rubric) -> list[Target]:
    return [strong_target(rubric), reading_target(rubric), pilot_target(rubric)]


def build(targets: list[Target], rubric: Rubric, judgement: PlanJudgement | None = None,
          **kw: object) -> Feedback:
    return build_feedback(targets, judgement or PlanJudgement(), rubric, "Oakfield Primary",
                          **kw)  # type: ignore[arg-type]


def tokens(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9£%]+", text.lower()))


# --------------------------------------------------------------------------- labels


def test_target_label_is_short_with_area_and_ellipsis(rubric: Rubric) -> None:
    t = strong_target(rubric)
    label = target_label(t, 1)
    assert label.startswith("Target 2 (Working with families: 'Parents of pupils")
    assert label.endswith("…')")
    quoted = label.split("'", 1)[1].rsplit("'", 1)[0]
    assert len(quoted) <= 61
    assert target_label(Target(objective=f("Daily reading")), 0) == "Target 1 ('Daily reading')"
    assert target_label(Target(), 4) == "Target 5"


# --------------------------------------------------------------------------- strengths


def test_strengths_come_first_and_reference_level_3(rubric: Rubric,
                                                    targets: list[Target]) -> None:
    fb = build(targets, rubric)
    assert list(fb.to_dict()) == ["opening", "strengths", "priorities", "rewrites", "closing"]
    assert 0 < len(fb.strengths) <= rubric.feedback.max_strengths
    for s in fb.strengths:
        assert targets[s.target_index].scores[s.criterion].level == rubric.feedback.strong_level
        assert rubric.feedback.praise[s.criterion] in s.text
        assert s.target_label in s.text
    # spread across criteria, not the same one listed again and again
    assert len({s.criterion for s in fb.strengths}) == len(fb.strengths)
    # quotes the plan's own words from the field the criterion is about
    measurable = [s for s in fb.strengths if s.criterion == "measurable"]
    assert measurable and "'90% of parents" in measurable[0].text


def test_strengths_fall_back_to_level_2_gently(rubric: Rubric) -> None:
    t = reading_target(rubric)
    fb = build([t], rubric)
    assert fb.strengths
    for s in fb.strengths:
        assert t.scores[s.criterion].level == 2
        assert s.text.startswith("A good start on ")
        assert not JUDGEMENTAL.search(s.text)


def test_covering_every_gap_is_a_strength(rubric: Rubric, targets: list[Target]) -> None:
    judgement = PlanJudgement(gap_areas=["families", "interventions"], unaddressed_gaps=[])
    fb = build(targets, rubric, judgement)
    plan_level = [s for s in fb.strengths if s.target_index == -1]
    assert len(plan_level) == 1
    assert load_framework().area("families").name in plan_level[0].text
    assert len(fb.strengths) <= rubric.feedback.max_strengths


# --------------------------------------------------------------------------- priorities


def test_at_most_three_priorities_lowest_levels_first(rubric: Rubric,
                                                      targets: list[Target]) -> None:
    fb = build(targets, rubric)
    assert 0 < len(fb.priorities) <= 3
    levels = [p.level for p in fb.priorities]
    assert levels == sorted(levels)
    assert levels[0] == 0
    for p in fb.priorities:
        assert p.level <= rubric.feedback.weak_level
        assert targets[p.target_index].scores[p.criterion].level == p.level
        assert rubric.feedback.advice[p.criterion] in p.text
        assert p.target_label in p.text


def test_priorities_spread_across_targets_and_say_what_to_add(rubric: Rubric) -> None:
    a, b = pilot_target(rubric), pilot_target(rubric)
    b.objective = f("Teaching assistants use precision teaching with the Y4 group")
    fb = build([a, b], rubric)
    assert [p.level for p in fb.priorities][:2] == [0, 0]
    assert {p.target_index for p in fb.priorities[:2]} == {0, 1}
    achievable = next(p for p in fb.priorities if p.criterion == "achievable")
    assert "nothing is written yet for the lead and the resources." in achievable.text
    # with the field there, quote it and say what to add
    reading = build([reading_target(rubric)], rubric).priorities
    assert [p.criterion for p in reading] == ["measurable"]
    assert reading[0].text == (
        f"{reading[0].target_label}, measurable: for the success criteria you wrote "
        f"'80% of the group reach their reading age'. {rubric.feedback.advice['measurable']} "
        "Still to add here: a baseline or starting point and where the figures will come from.")


def test_unaddressed_gap_yields_a_priority_naming_the_area(rubric: Rubric,
                                                           targets: list[Target]) -> None:
    judgement = PlanJudgement(gap_areas=["families", "transition"],
                              unaddressed_gaps=["transition"])
    fb = build(targets, rubric, judgement)
    assert len(fb.priorities) <= 3
    gap = [p for p in fb.priorities if p.target_index == -1]
    assert len(gap) == 1
    assert gap[0].criterion == "relevant"
    name = load_framework().area("transition").name
    assert f"Consider a target for {name}" in gap[0].text
    levels = [p.level for p in fb.priorities]
    assert levels == sorted(levels)
    assert not any(s.target_index == -1 for s in fb.strengths)  # gaps are not all covered


# --------------------------------------------------------------------------- rewrites


def test_rewrite_keeps_objective_verbatim_and_adds_baseline(rubric: Rubric,
                                                            targets: list[Target]) -> None:
    fb = build(targets, rubric)
    by_target = {r.target_index: r for r in fb.rewrites}
    assert set(by_target) == {1, 2}  # only the weak targets
    reading = by_target[1]
    original_sc = "80% of the group reach their reading age"
    assert reading.suggested["objective"] == targets[1].objective.text  # type: ignore[union-attr]
    assert reading.suggested["success_criteria"].startswith(original_sc + "; ")
    assert "[baseline:" in reading.suggested["success_criteria"]
    assert "[data source:" in reading.suggested["success_criteria"]
    assert reading.placeholders == ["baseline", "source"]
    assert reading.original["success_criteria"] == original_sc
    # the weak specific objective of the pilot keeps the school's words too
    pilot = by_target[2]
    assert pilot.suggested["objective"].startswith(
        targets[2].objective.text + "; ")  # type: ignore[union-attr]
    assert "[how:" in pilot.suggested["objective"]


def test_no_placeholder_for_a_part_that_is_present(rubric: Rubric,
                                                   targets: list[Target]) -> None:
    fb = build(targets, rubric)
    reading = next(r for r in fb.rewrites if r.target_index == 1)
    text = " ".join(reading.suggested.values())
    # the success criteria have a number: no number placeholder
    assert "[target:" not in text and "number" not in reading.placeholders
    # lead, resources and monitoring are there and not weak: kept exactly, nothing added
    for name in ("lead", "resources", "monitoring", "deadline_text"):
        assert reading.suggested[name] == reading.original[name]
    pilot = next(r for r in fb.rewrites if r.target_index == 2)
    # the pilot's monitoring says how and when but not who: only the 'who' placeholder
    assert pilot.suggested["monitoring"] == (
        f"Spelling checks each Friday; {rubric.feedback.placeholders['monitor_who']}")
    assert "monitor_how" not in pilot.placeholders
    assert pilot.suggested["lead"] == rubric.feedback.placeholders["lead"]


def test_rewrite_contains_only_the_schools_words_and_placeholders(
        rubric: Rubric, targets: list[Target]) -> None:
    fb = build(targets, rubric)
    assert fb.rewrites
    for r in fb.rewrites:
        target = targets[r.target_index]
        allowed: set[str] = {"pupil"}  # the redaction marker
        for name in ("area_text", "objective", "actions", "lead", "resources",
                     "deadline_text", "success_criteria", "monitoring", "progress"):
            allowed |= tokens(target.text_of(name) or "")
        for key in r.placeholders:
            allowed |= tokens(rubric.feedback.placeholders[key])
        for value in r.suggested.values():
            assert tokens(value) <= allowed, tokens(value) - allowed


# --------------------------------------------------------------------------- privacy, tone


def test_pupil_name_never_appears(rubric: Rubric, targets: list[Target]) -> None:
    fb = build(targets, rubric, pupil_names={"Jayden"})
    dumped = json.dumps(fb.to_dict(), ensure_ascii=False)
    assert "Jayden" not in dumped
    assert "[pupil]" in dumped
    assert all("Jayden" not in text for text in all_texts(fb))


def test_opening_and_closing_are_warm(rubric: Rubric, targets: list[Target]) -> None:
    fb = build(targets, rubric)
    assert fb.opening.startswith("Thank you for sharing Oakfield Primary's SEND action plan")
    assert "three targets" in fb.opening
    assert "triad visit" in fb.closing
    for text in (fb.opening, fb.closing):
        assert not JUDGEMENTAL.search(text), text
    anonymous = build_feedback([strong_target(rubric)], PlanJudgement(), rubric, None)
    assert anonymous.opening.startswith("Thank you for sharing your SEND action plan, "
                                        "with its one target.")
    assert not JUDGEMENTAL.search(anonymous.opening)


def test_no_feedback_text_is_judgemental(rubric: Rubric, targets: list[Target]) -> None:
    judgement = PlanJudgement(gap_areas=["transition"], unaddressed_gaps=["transition"])
    fb = build(targets, rubric, judgement)
    for text in all_texts(fb):
        assert not JUDGEMENTAL.search(text), text


def test_a_strong_plan_has_no_rewrites_or_target_priorities(rubric: Rubric) -> None:
    fb = build([strong_target(rubric)], rubric)
    assert fb.rewrites == [] and fb.priorities == []
    assert fb.opening.endswith("Here is what stands out.")
