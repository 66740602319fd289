"""Area classification learned with scikit-learn: target -> framework area, or none.

Trained on the framework's own statements and area names and on the project's labelled
targets. Each target is seen per field (the area the school wrote; the objective,
actions and success criteria) beside the rule signals of :mod:`qa_pipeline.areas` (the
area named, the keyword scores, a SEND word at all), so the model learns when the words
of a target outweigh the heading it sits under. A statement code the plan cites
("Identification (I2, I3)") still decides on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from qa_pipeline.areas import AreaClassifier, AreaDecision
from qa_pipeline.errors import ConfigError
from qa_pipeline.framework import Framework
from qa_pipeline.models import Target
from qa_pipeline.results import dump_atomic

AREA_MODEL_VERSION = "areas.v1"
NONE = "none"


def _pick(rows: list[dict[str, Any]], key: str) -> list[Any]:
    return [r[key] for r in rows]


def _select(key: str) -> Callable[[list[dict[str, Any]]], list[Any]]:
    return partial(_pick, key=key)  # a partial of a module function pickles; a closure not


def make_pipeline(C: float = 4.0) -> Pipeline:
    return Pipeline([
        ("features", FeatureUnion([
            ("area_text", Pipeline([
                ("select", FunctionTransformer(_select("area_text"))),
                ("tfidf", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            ])),
            ("body", Pipeline([
                ("select", FunctionTransformer(_select("body"))),
                ("tfidf", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True,
                                          min_df=1)),
            ])),
            ("rules", Pipeline([
                ("select", FunctionTransformer(_select("rules"))),
                ("vectorise", DictVectorizer()),
            ])),
        ])),
        ("model", LogisticRegression(C=C, max_iter=4000)),
    ])


def target_row(target: Target, rules: AreaClassifier) -> dict[str, Any]:
    area_text = target.text_of("area_text") or ""
    body = " ".join(filter(None, (target.text_of(f) for f in
                                  ("objective", "actions", "success_criteria"))))
    return {"area_text": area_text, "body": body, "rules": rules.signals(target)}


@dataclass
class AreaModel:
    pipeline: Pipeline
    meta: dict[str, Any]

    def decide(self, target: Target, rules: AreaClassifier) -> AreaDecision:
        return self.decide_all([target], rules)[0]

    def decide_all(self, targets: list[Target], rules: AreaClassifier) -> list[AreaDecision]:
        """A plan's targets in one model call."""
        if not targets:
            return []
        probas = self.pipeline.predict_proba([target_row(t, rules) for t in targets])
        return [self._decision(t, list(p), rules) for t, p in zip(targets, probas, strict=True)]

    def _decision(self, target: Target, proba: list[float], rules: AreaClassifier
                  ) -> AreaDecision:
        coded = rules.cited_statements(target)
        if coded is not None:
            return coded
        classes = list(self.pipeline.classes_)
        best = int(np.argmax(proba))
        label, p = classes[best], float(proba[best])
        why = rules.classify(target)
        runner = sorted(zip(proba, classes, strict=True), reverse=True)[1]
        detail = f"learned classifier p={p:.2f} (next: {runner[1]} {runner[0]:.2f})"
        if label == NONE:
            return AreaDecision(None, f"not about SEND provision: {detail}", round(p, 2))
        words = why.reason if why.area_id == label else f"{detail}; rules said {why.area_id}"
        return AreaDecision(label, f"{detail}; {words}", round(p, 2))

    def save(self, path: Path) -> None:
        """Write the model. scikit-learn's text vectorisers keep the memory address of
        their stop-word list, which changes on every fit and is used while fitting only:
        it is dropped, so that a file retrained from the same data differs less."""
        for step in self.pipeline.get_params(deep=True).values():
            if isinstance(step, CountVectorizer):
                step.__dict__.pop("_stop_words_id", None)
        dump_atomic({"pipeline": self.pipeline, "meta": self.meta}, path)

    @classmethod
    def load(cls, path: Path) -> AreaModel:
        data = joblib.load(path)
        meta = data["meta"]
        if meta.get("sklearn") != sklearn.__version__ or meta.get("version") != AREA_MODEL_VERSION:
            raise ConfigError(f"the area model {path} was built with scikit-learn "
                              f"{meta.get('sklearn')}; rebuild it with `qa-pipeline train`")
        return cls(pipeline=data["pipeline"], meta=meta)


def framework_rows(framework: Framework, rules: AreaClassifier) -> tuple[list[dict[str, Any]],
                                                                          list[str]]:
    """The framework's statements and names as labelled examples."""
    rows: list[dict[str, Any]] = []
    labels: list[str] = []
    for area in framework.areas:
        for text in [s.text for s in area.statements]:
            t = Target()
            t.objective = _field(text)
            rows.append(target_row(t, rules))
            labels.append(area.id)
        for name in (area.name, *area.aliases):
            t = Target()
            t.area_text = _field(name)
            rows.append(target_row(t, rules))
            labels.append(area.id)
    return rows, labels


def _field(text: str) -> Any:
    from qa_pipeline.models import Field, Provenance

    return Field(text=text, provenance=Provenance(block=0))


def cross_validate_areas(rows: list[dict[str, Any]], labels: list[str],
                         extra_rows: list[dict[str, Any]], extra_labels: list[str],
                         folds: int = 5, seed: int = 20261203) -> dict[str, float]:
    """Out-of-fold accuracy on the labelled targets (the framework rows always train)."""
    y = np.array(labels)
    learned_ok = rules_ok = 0
    split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in split.split(np.zeros(len(y)), y):
        model = make_pipeline().fit([rows[i] for i in train_idx] + extra_rows,
                                    [labels[i] for i in train_idx] + extra_labels)
        predicted = model.predict([rows[i] for i in test_idx])
        learned_ok += int(sum(p == y[i] for p, i in zip(predicted, test_idx, strict=True)))
        rules_ok += sum(rows[i]["rules"].get("rule_area=" + labels[i], 0) == 1.0
                        for i in test_idx)
    return {"learned_accuracy": round(learned_ok / len(y), 3),
            "rules_accuracy": round(rules_ok / len(y), 3), "examples": len(y)}
