"""Train and cross-validate the level models on the project's labelled targets.

``qa-pipeline train`` runs :func:`train`: it turns each labelled target of
``fixtures/training/targets.jsonl`` into the same evidence features the pipeline uses,
cross-validates the learned model against the rules alone (quadratic weighted kappa,
exact and within-one agreement), fits on all of it and saves the models with their
versions. Deterministic: the same data and versions give the same models.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from sklearn.model_selection import StratifiedKFold

from qa_pipeline.area_model import (
    AREA_MODEL_VERSION,
    NONE,
    AreaModel,
    cross_validate_areas,
    framework_rows,
    make_pipeline,
    target_row,
)
from qa_pipeline.areas import AreaClassifier
from qa_pipeline.deadlines import AcademicCalendar, load_calendar, normalise_deadline
from qa_pipeline.evaluation import agreement
from qa_pipeline.framework import Framework, load_framework
from qa_pipeline.language import LanguageTools, language_tools
from qa_pipeline.models import Field, Provenance, Target
from qa_pipeline.rubric import CRITERIA, Rubric, default_rubric
from qa_pipeline.scoring.features import CriterionEvidence, TargetContext, target_features
from qa_pipeline.scoring.learned import (
    MODEL_VERSION,
    LevelClassifier,
    LevelModels,
    blend,
    data_digest,
    feature_row,
    load_training,
)
from qa_pipeline.scoring.rules import SCORERS

TRAINING_DATA = Path(__file__).resolve().parents[3] / "fixtures" / "training" / "targets.jsonl"
FOLDS = 5
SEED = 20261203


@dataclass
class Example:
    rows: dict[str, dict[str, float]]  # criterion -> feature row (with the rule level)
    rule_levels: dict[str, int]
    levels: dict[str, int]


def target_from_record(rec: dict[str, Any], calendar: AcademicCalendar) -> Target:
    prov = Provenance(block=0)

    def f(name: str) -> Field | None:
        value = rec.get(name)
        return Field(text=value, provenance=prov) if value else None

    target = Target(area_text=f("area_text"), objective=f("objective"),
                    actions=[Field(text=a, provenance=prov) for a in rec.get("actions") or []],
                    lead=f("lead"), resources=f("resources"), deadline_text=f("deadline_text"),
                    success_criteria=f("success_criteria"), monitoring=f("monitoring"),
                    progress=f("progress"), area_id=rec.get("area_id"))
    target.deadline = normalise_deadline(rec.get("deadline_text"), calendar).date
    return target


def build_examples(records: list[dict[str, Any]], rubric: Rubric, tools: LanguageTools,
                   area_names: set[str]) -> list[Example]:
    calendar = load_calendar()
    examples: list[Example] = []
    for rec in records:
        target = target_from_record(rec, calendar)
        status = rec.get("area_status", "unknown")
        ctx = TargetContext(area_status=status, has_self_evaluation=status != "unknown")
        evidence: dict[str, CriterionEvidence] = target_features(target, ctx, tools, area_names)
        rows, rules = {}, {}
        for c in CRITERIA:
            rule = SCORERS[rubric.criteria[c].scorer](evidence[c], ctx)
            rules[c] = rule
            rows[c] = feature_row(evidence[c].values, rule)
        examples.append(Example(rows=rows, rule_levels=rules,
                                levels={c: int(rec["levels"][c]) for c in CRITERIA}))
    return examples


def cross_validate(examples: list[Example], C: float = 1.0,
                   rule_weight: float = 0.5) -> dict[str, dict[str, float]]:
    """Out-of-fold agreement per criterion of the rules alone, the learned model alone
    and the blend the pipeline uses."""
    report: dict[str, dict[str, float]] = {}
    for c in CRITERIA:
        y = [e.levels[c] for e in examples]
        X = [e.rows[c] for e in examples]
        learned, blended = [0] * len(y), [0] * len(y)
        folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
        for train_idx, test_idx in folds.split(np.zeros(len(y)), y):
            model = LevelClassifier(C=C).fit([X[i] for i in train_idx],
                                             [y[i] for i in train_idx])
            proba = model.predict_proba([X[i] for i in test_idx])
            for i, p in zip(test_idx, proba, strict=True):
                learned[i] = int(model.classes_[int(np.argmax(p))])
                blended[i] = blend(examples[i].rule_levels[c], list(model.classes_), list(p),
                                   rule_weight)[0]
        rules = [e.rule_levels[c] for e in examples]
        for name, predicted in (("rules", rules), ("learned", learned), ("blend", blended)):
            ag = agreement(y, predicted)
            report.setdefault(c, {}).update({f"{name}_qwk": round(ag.qwk or 0.0, 3),
                                             f"{name}_exact": round(ag.exact or 0.0, 3),
                                             f"{name}_within1": round(ag.within1 or 0.0, 3)})
    return report


def train_areas(records: list[dict[str, Any]], framework: Framework, out: Path | None = None
                ) -> tuple[AreaModel, dict[str, float]]:
    """The area classifier: cross-validated on the labelled targets, then fitted on them
    and on the framework's statements and area names."""
    rules = AreaClassifier(framework)
    calendar = load_calendar()
    rows = [target_row(target_from_record(r, calendar), rules) for r in records]
    labels = [r.get("area_id") or NONE for r in records]
    frows, flabels = framework_rows(framework, rules)
    report = cross_validate_areas(rows, labels, frows, flabels, FOLDS, SEED)
    pipeline = make_pipeline().fit(rows + frows, labels + flabels)
    model = AreaModel(pipeline, {"version": AREA_MODEL_VERSION, "sklearn": sklearn.__version__,
                                 "id": f"{AREA_MODEL_VERSION}+{data_digest(TRAINING_DATA)}",
                                 "cv": report, "examples": len(rows) + len(frows)})
    if out is not None:
        model.save(out)
    return model, report


def train(data: Path = TRAINING_DATA, out: Path | None = None, C: float = 1.0,
          rule_weight: float = 0.5) -> tuple[LevelModels, dict[str, dict[str, float]]]:
    rubric = default_rubric()
    tools = language_tools()
    framework = load_framework()
    records = load_training(data)
    examples = build_examples(records, rubric, tools, set(framework.folded_area_names()))
    report = cross_validate(examples, C, rule_weight)
    models = {c: LevelClassifier(C=C).fit([e.rows[c] for e in examples],
                                          [e.levels[c] for e in examples]) for c in CRITERIA}
    digest = data_digest(data)
    meta = {"version": MODEL_VERSION, "id": f"{MODEL_VERSION}+{digest}",
            "sklearn": sklearn.__version__, "training_data": data.name,
            "training_digest": digest, "examples": len(examples),
            "lexicon": tools.lexicon.version, "rubric": rubric.version,
            "cv": report, "C": C,
            "rule_weight": rule_weight}
    level_models = LevelModels(models=models, meta=meta)
    if out is not None:
        level_models.save(out)
    return level_models, report
