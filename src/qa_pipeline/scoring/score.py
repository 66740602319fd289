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
        return self.score_all([target], [ctx])[0]

    def score_all(self, targets: list[Target], contexts: list[TargetContext]
                  ) -> list[dict[str, CriterionScore]]:
        """Score a plan's targets together (one model call a criterion for the plan)."""
        evidence = [target_features(t, c, self.tools, set(self.area_names))
                    for t, c in zip(targets, contexts, strict=True)]
        out: list[dict[str, CriterionScore]] = [{} for _ in targets]
        for criterion in CRITERIA:
            spec = self.rubric.criteria[criterion]
            rules = [SCORERS[spec.scorer](ev[criterion], c)
                     for ev, c in zip(evidence, contexts, strict=True)]
            if self.models is not None and criterion in self.models.models:
                learned = self.models.predict_many(
                    criterion, [ev[criterion].values for ev in evidence], rules)
            else:
                learned = [(r, RULE_CONFIDENCE) for r in rules]
            for i, ((level, confidence), rule_level) in enumerate(zip(learned, rules,
                                                                      strict=True)):
                cap = spec.cap_without_self_evaluation
                capped = cap is not None and not contexts[i].has_self_evaluation and level > cap
                if capped:
                    level = int(cap)  # type: ignore[arg-type]
                out[i][criterion] = CriterionScore(
                    level=level, confidence=round(confidence, 2),
                    reasons=reasons(criterion, level, rule_level, evidence[i][criterion],
                                    self.rubric, capped),
                    descriptor=self.rubric.descriptor(criterion, level),
                    rule_level=rule_level, scorer=spec.scorer)
        return out


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
