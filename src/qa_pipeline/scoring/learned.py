"""The learned part of scoring: one scikit-learn model a criterion, trained on the
project's own labelled targets (``fixtures/training/targets.jsonl``).

Each model sees the criterion's evidence features (per field, not one bag of words) and
the level the rules gave, and predicts the expert's level with a probability. Models are
built by ``qa-pipeline train`` and saved with their versions; loading needs no network.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from qa_pipeline.errors import ConfigError
from qa_pipeline.results import dump_atomic

MODEL_VERSION = "levels.v1"
LEVELS = (0, 1, 2, 3)


def feature_row(values: dict[str, float], rule_level: int) -> dict[str, float]:
    row = dict(values)
    row[f"rule_level={rule_level}"] = 1.0
    row["rule_level"] = float(rule_level)
    return row


class LevelClassifier(ClassifierMixin, BaseEstimator):
    """Ordinal-aware level classifier: logistic regression over evidence features, with
    the expected level rounded when no single level is probable enough."""

    def __init__(self, C: float = 1.0) -> None:
        self.C = C

    def fit(self, X: list[dict[str, float]], y: list[int]) -> LevelClassifier:
        self.pipeline_ = Pipeline([
            ("vectorise", DictVectorizer(sparse=False)),
            ("scale", StandardScaler()),
            ("model", LogisticRegression(C=self.C, max_iter=2000)),
        ])
        self.pipeline_.fit(X, y)
        self.classes_ = self.pipeline_.classes_
        return self

    def predict_proba(self, X: list[dict[str, float]]) -> np.ndarray:
        return self.pipeline_.predict_proba(X)

    def predict(self, X: list[dict[str, float]]) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


@dataclass
class LevelModels:
    models: dict[str, LevelClassifier]
    meta: dict[str, Any]

    def predict(self, criterion: str, values: dict[str, float], rule_level: int
                ) -> tuple[int, float]:
        """The level: the rule level and the model's expected level, weighed together
        (``rule_weight`` in the metadata). The confidence is half the model's probability
        of that level and half whether the rules agree: two readings that disagree are
        what the expert should look at."""
        return self.predict_many(criterion, [values], [rule_level])[0]

    def predict_many(self, criterion: str, values: list[dict[str, float]],
                     rule_levels: list[int]) -> list[tuple[int, float]]:
        if not values:
            return []
        model = self.models[criterion]
        rows = [feature_row(v, r) for v, r in zip(values, rule_levels, strict=True)]
        weight = float(self.meta.get("rule_weight", 0.5))
        classes = list(model.classes_)
        return [blend(r, classes, list(p), weight)
                for r, p in zip(rule_levels, model.predict_proba(rows), strict=True)]

    def save(self, path: Path) -> None:
        dump_atomic({"models": self.models, "meta": self.meta}, path)

    @classmethod
    def load(cls, path: Path) -> LevelModels:
        try:
            data = joblib.load(path)
        except (OSError, EOFError, ValueError) as exc:
            raise ConfigError(f"the scoring model {path} cannot be loaded ({exc}); rebuild it "
                              "with `qa-pipeline train`") from exc
        meta = data["meta"]
        if meta.get("sklearn") != sklearn.__version__ or meta.get("version") != MODEL_VERSION:
            raise ConfigError(f"the scoring model {path} was built with scikit-learn "
                              f"{meta.get('sklearn')} ({meta.get('version')}); this is "
                              f"{sklearn.__version__} ({MODEL_VERSION}): rebuild it with "
                              "`qa-pipeline train`")
        return cls(models=data["models"], meta=meta)


def blend(rule_level: int, classes: list[int], proba: list[float], rule_weight: float
          ) -> tuple[int, float]:
    classes = [int(c) for c in classes]
    expected = sum(c * p for c, p in zip(classes, proba, strict=True))
    mixed = rule_weight * rule_level + (1 - rule_weight) * expected
    level = int(np.floor(mixed + 0.5))
    level = int(max(min(classes), min(max(classes), level)))
    by_class = dict(zip(classes, proba, strict=True))
    confidence = 0.5 * float(by_class.get(level, 0.0)) + 0.5 * float(level == rule_level)
    return level, confidence


def data_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def load_training(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
