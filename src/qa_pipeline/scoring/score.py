"""Score a target on every criterion: rule level, learned level, confidence and reasons.

The rules (``rules.py``) read the rubric's descriptors; the learned model
(``learned.py``), trained on the project's labelled targets, weighs the same evidence
and gives a probability for each level. The level given is the model's when it is
available, and its probability is the confidence; the reasons quote the plan and name
the descriptor matched, and say so when the rules would have given another level.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_pipeline.language import LanguageTools
from qa_pipeline.models import CriterionScore, Target
from qa_pipeline.rubric import CRITERIA, Rubric
from qa_pipeline.scoring.features import CriterionEvidence, TargetContext, target_features
from qa_pipeline.scoring.learned import LevelModels
from qa_pipeline.scoring.rules import SCORERS

RULE_CONFIDENCE = 0.7


@dataclass
class Scorer:
    rubric: Rubric
    tools: LanguageTools
    models: LevelModels | None = None
    area_names: frozenset[str] = frozenset()  # the framework's area names, folded

    def score(self, target: Target, ctx: TargetContext) -> dict[str, CriterionScore]:
        evidence = target_features(target, ctx, self.tools, set(self.area_names))
        scores: dict[str, CriterionScore] = {}
        for criterion in CRITERIA:
            ev = evidence[criterion]
            spec = self.rubric.criteria[criterion]
            rule_level = SCORERS[spec.scorer](ev, ctx)
            level, confidence = rule_level, RULE_CONFIDENCE
            if self.models is not None and criterion in self.models.models:
                level, confidence = self.models.predict(criterion, ev.values, rule_level)
            cap = spec.cap_without_self_evaluation
            capped = cap is not None and not ctx.has_self_evaluation and level > cap
            if capped:
                level = int(cap)  # type: ignore[arg-type]
            scores[criterion] = CriterionScore(
                level=level, confidence=round(confidence, 2),
                reasons=reasons(criterion, level, rule_level, ev, self.rubric, capped),
                descriptor=self.rubric.descriptor(criterion, level),
                rule_level=rule_level, scorer=spec.scorer)
        return scores


def reasons(criterion: str, level: int, rule_level: int, ev: CriterionEvidence,
            rubric: Rubric, capped: bool) -> list[str]:
    out = [f"Level {level}: {rubric.descriptor(criterion, level)}."]
    out += [f"Found {what}: {quote}." for what, quote in ev.found]
    out += [f"Missing: {m}." for m in ev.missing]
    if capped:
        out.append("No self-evaluation was found for this school, so relevance is judged on "
                   "the SEND link alone and capped at level "
                   f"{rubric.criteria[criterion].cap_without_self_evaluation}.")
    if rule_level != level and not capped:
        out.append(f"The rubric rules alone give level {rule_level} "
                   f"({rubric.descriptor(criterion, rule_level)}); the model trained on "
                   "labelled targets weighs the same evidence differently: worth a look.")
    return out
