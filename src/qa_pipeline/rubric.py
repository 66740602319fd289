"""The expert rubric as validated data (``rubrics/rubric.yaml``).

Unknown keys and bad values are refused with the file, the key path and what is allowed,
so an expert who edits a threshold or a descriptor learns at once if the edit is wrong.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from qa_pipeline.config import RUBRICS_DIR, load_yaml_model

CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound", "evidence")
Level = Literal[0, 1, 2, 3]
TriageRule = Literal["rejected", "needs_revision", "names_a_pupil", "uncertain_scores",
                     "borderline_rating", "unaddressed_gaps", "no_self_evaluation",
                     "confident"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Criterion(_Strict):
    name: str
    scorer: str = Field(pattern=r"^qa\.[a-z_]+\.v\d+$")
    weight: float = Field(gt=0)
    levels: dict[Level, str]
    cap_without_self_evaluation: Level | None = None

    @model_validator(mode="after")
    def _all_levels(self) -> Criterion:
        if set(self.levels) != {0, 1, 2, 3}:
            raise ValueError("levels must describe each of 0, 1, 2 and 3")
        return self


class Rating(_Strict):
    id: Literal["strong", "secure", "developing", "needs_revision"]
    label: str
    min_quality: float = Field(ge=0, le=3)
    min_coverage: float = Field(ge=0, le=1)
    allow_zero_levels: bool


class PlanRules(_Strict):
    ratings: list[Rating]
    max_targets: int = Field(gt=0)
    needs_revision_if_no_gap_covered: bool
    uncertain_below: float = Field(ge=0, le=1)
    borderline_margin: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _ends_with_needs_revision(self) -> PlanRules:
        if not self.ratings or self.ratings[-1].id != "needs_revision":
            raise ValueError("the last rating must be needs_revision (the fallback)")
        return self


class Triage(_Strict):
    order: list[TriageRule]


class Feedback(_Strict):
    max_priorities: int = Field(ge=1, le=10)
    weak_level: Level
    strong_level: Level
    max_strengths: int = Field(ge=0, le=10)
    placeholders: dict[str, str]
    advice: dict[str, str]
    praise: dict[str, str]


class Rubric(_Strict):
    version: str
    criteria: dict[str, Criterion]
    plan: PlanRules
    triage: Triage
    feedback: Feedback
    digest: str = ""  # set on load: a hash of the file, recorded in results and cache keys

    @model_validator(mode="after")
    def _known_criteria(self) -> Rubric:
        unknown = set(self.criteria) - set(CRITERIA)
        missing = set(CRITERIA) - set(self.criteria)
        if unknown or missing:
            raise ValueError(f"criteria must be exactly {', '.join(CRITERIA)}"
                             + (f"; unknown: {', '.join(sorted(unknown))}" if unknown else "")
                             + (f"; missing: {', '.join(sorted(missing))}" if missing else ""))
        for name in ("advice", "praise"):
            lacking = set(CRITERIA) - set(getattr(self.feedback, name))
            if lacking:
                raise ValueError(f"feedback.{name} lacks {', '.join(sorted(lacking))}")
        return self

    def descriptor(self, criterion: str, level: int) -> str:
        return self.criteria[criterion].levels[level]  # type: ignore[index]


def load_rubric(path: Path | None = None) -> Rubric:
    return load_yaml_model(path or RUBRICS_DIR / "rubric.yaml", Rubric, "Rubric",
                           extra={"digest": "$digest"})


@lru_cache(maxsize=4)
def default_rubric() -> Rubric:
    return load_rubric()
