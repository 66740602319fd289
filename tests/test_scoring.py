"""Scoring: the rubric as data, the rules on tiny targets, reasons, the learned models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from qa_pipeline.area_model import target_row
from qa_pipeline.areas import AreaClassifier
from qa_pipeline.deadlines import load_calendar
from qa_pipeline.errors import ConfigError
from qa_pipeline.framework import load_framework
from qa_pipeline.language import language_tools
from qa_pipeline.models import Field, Provenance, Target
from qa_pipeline.rubric import CRITERIA, default_rubric, load_rubric
from qa_pipeline.scoring.features import TargetContext
from qa_pipeline.scoring.models_store import (
    LEVEL_MODELS,
    MODELS_DIR,
    load_area_model,
    load_level_models,
)
from qa_pipeline.scoring.score import Scorer
from qa_pipeline.scoring.training import TRAINING_DATA, load_training, target_from_record, train
from tests.conftest import ROOT

P = Provenance(block=0)
GAP = TargetContext(area_status="gap", has_self_evaluation=True)


def _f(text: str | None) -> Field | None:
    return Field(text=text, provenance=P) if text else None


def target(**fields: str | list[str] | None) -> Target:
    actions = fields.pop("actions", None) or []
    t = Target(actions=[Field(text=a, provenance=P) for a in actions])  # type: ignore[union-attr]
    for name, value in fields.items():
        setattr(t, name, _f(value))  # type: ignore[arg-type]
    return t


def rules_only() -> Scorer:
    return Scorer(default_rubric(), language_tools(), None)


STRONG = target(
    objective="Pupils with SEND in Years 3 to 6 read with a trained adult every day so that "
              "their reading age rises",
    actions=["Train six TAs in precision teaching", "Daily 15-minute reading sessions",
             "Half-termly review of reading ages"],
    lead="Mrs A. Brown (English lead)", resources="£400 books; TA time 6 hours a week",
    deadline_text="Review at Christmas; final check July 2027",
    success_criteria="80% of pupils with SEND gain 6 months in reading age (baseline 30% "
                     "last year, Salford test)",
    monitoring="The SENCo samples reading records each half term and reports to governors "
               "in March and July")
STRONG.deadline = __import__("datetime").date(2027, 7, 31)
STRONG.area_id = "interventions"

WEAK = target(objective="Improve SEND provision", actions=["Staff training"], lead="All staff",
              deadline_text="Ongoing", success_criteria="Staff more confident",
              monitoring="SLT")
WEAK.area_id = "workforce"


def test_strong_target_scores_three_on_the_rules() -> None:
    scores = rules_only().score(STRONG, GAP)
    assert {c: s.rule_level for c, s in scores.items()} == dict.fromkeys(CRITERIA, 3)


@pytest.mark.parametrize(("objective", "level"), [
    ("Close the attendance gap between pupils with SEND and their peers", 3),
    ("Raise the attainment of children with EHCPs in maths", 3),
    ("Better outcomes for SEND pupils", 2),  # asserted, not a measure of anything
    ("Close the attendance gap for all pupils", 2),  # not about learners with SEND
])
def test_relevant_counts_an_aim_at_send_learners_outcomes_as_the_link(objective: str,
                                                                       level: int) -> None:
    t = target(objective=objective)
    t.area_id = "outcomes"
    score = rules_only().score(t, GAP)["relevant"]
    assert score.rule_level == level
    if level == 3:
        assert any(r.startswith("Found aims at an outcome for them") for r in score.reasons)
    else:
        assert "Missing: does not say how learners with SEND will benefit." in score.reasons


def test_weak_target_scores_one_on_the_rules_with_reasons() -> None:
    scores = rules_only().score(WEAK, GAP)
    assert {c: s.rule_level for c, s in scores.items()} == {
        "specific": 1, "measurable": 1, "achievable": 1, "relevant": 2, "time_bound": 1,
        "evidence": 1}
    reasons = scores["measurable"].reasons
    assert reasons[0].startswith("Level 1: success criteria that cannot be measured")
    assert any("'more confident'" in r for r in reasons), reasons
    assert "Missing: no baseline or starting point." in reasons


def test_empty_fields_score_zero() -> None:
    scores = rules_only().score(target(actions=["Buy resources"]), GAP)
    assert scores["specific"].level == 0 and scores["measurable"].level == 0
    assert scores["achievable"].level == 0 and scores["time_bound"].level == 0
    assert scores["evidence"].level == 0


def test_relevance_follows_the_self_evaluation() -> None:
    s = rules_only()
    assert s.score(STRONG, TargetContext("gap", True))["relevant"].level == 3
    assert s.score(STRONG, TargetContext("strength", True))["relevant"].level == 1
    capped = s.score(STRONG, TargetContext("unknown", False))["relevant"]
    assert capped.level == 2
    not_send = target(objective="Restock the library with new fiction")
    assert s.score(not_send, GAP)["relevant"].level == 0


def test_learned_scores_keep_confidence_and_say_when_rules_differ() -> None:
    models = load_level_models()
    assert models is not None, "models/level_models.joblib is committed"
    scores = Scorer(default_rubric(), language_tools(), models).score(WEAK, GAP)
    for s in scores.values():
        assert 0.0 <= s.confidence <= 1.0
        assert s.reasons[0] == f"Level {s.level}: {s.descriptor}."
        if s.level != s.rule_level:
            assert any("rules alone give level" in r for r in s.reasons)


def test_training_is_reproducible_and_cross_validates_well() -> None:
    models, report = train(TRAINING_DATA, out=None)
    committed = load_level_models(LEVEL_MODELS)
    assert committed is not None
    assert models.meta["training_digest"] == committed.meta["training_digest"], (
        "fixtures/training changed: run `qa-pipeline train` and commit models/")
    values = {"has_sc": 1.0, "sc_words": 12.0, "numbers": 1.0, "baseline": 0.0, "sources": 1.0,
              "unmeasurable": 0.0, "countable": 1.0, "sc_change_verbs": 1.0, "percent": 1.0,
              "from_to": 0.0}
    assert models.predict("measurable", values, 2) == committed.predict("measurable", values, 2)
    for criterion, figures in report.items():
        assert figures["blend_qwk"] >= 0.8, criterion


def test_train_command_rebuilds_the_committed_models(tmp_path: Path) -> None:
    """`qa-pipeline train`, run as the command runs (a process of its own), rebuilds
    models that decide exactly as the committed ones: same ids, same areas and the same
    probabilities for every training target, same levels."""
    done = subprocess.run([sys.executable, "-m", "qa_pipeline.cli", "train", "--models-dir",
                           str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    hint = "fixtures/training or the code changed: run `qa-pipeline train`, commit models/"
    new, committed = (load_area_model(d / "area_model.joblib") for d in (tmp_path, MODELS_DIR))
    assert new is not None and committed is not None
    assert new.meta == committed.meta, hint
    rules = AreaClassifier(load_framework())
    calendar = load_calendar()
    targets = [target_from_record(r, calendar) for r in load_training(TRAINING_DATA)]
    rows = [target_row(t, rules) for t in targets]
    assert np.allclose(new.pipeline.predict_proba(rows), committed.pipeline.predict_proba(rows),
                       atol=1e-9), hint
    levels = load_level_models(tmp_path / "level_models.joblib")
    assert levels is not None and levels.meta == load_level_models(LEVEL_MODELS).meta, hint


def test_rubric_unknown_key_is_refused_with_its_path(tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "rubrics" / "rubric.yaml").read_text())
    data["plan"]["ratings"][0]["min_qualty"] = 2.5
    bad = tmp_path / "rubric.yaml"
    bad.write_text(yaml.safe_dump(data))
    with pytest.raises(ConfigError, match=r"plan\.ratings\.0\.min_qualty: unknown key"):
        load_rubric(bad)


def test_rubric_threshold_must_be_a_level(tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "rubrics" / "rubric.yaml").read_text())
    data["plan"]["ratings"][1]["min_quality"] = 4.5
    bad = tmp_path / "rubric.yaml"
    bad.write_text(yaml.safe_dump(data))
    with pytest.raises(ConfigError, match=r"plan\.ratings\.1\.min_quality.*4\.5"):
        load_rubric(bad)


def test_an_expert_can_reword_a_descriptor(tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "rubrics" / "rubric.yaml").read_text())
    data["criteria"]["measurable"]["levels"][1] = "the success criteria are feelings"
    path = tmp_path / "rubric.yaml"
    path.write_text(yaml.safe_dump(data))
    rubric = load_rubric(path)
    scores = Scorer(rubric, language_tools(), None).score(WEAK, GAP)
    assert scores["measurable"].reasons[0] == "Level 1: the success criteria are feelings."
    assert rubric.digest != default_rubric().digest
