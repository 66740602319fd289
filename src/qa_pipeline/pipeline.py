"""The stages for one plan, as plain functions: read -> extract -> normalise -> judge.

No orchestration here (that is ``flows/``); each stage takes the previous stage's typed
value. ``process_plan`` runs them for one file and turns bad input into a rejected result
instead of an exception, so one bad file never stops a batch.
"""

from __future__ import annotations

import glob
import logging
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from qa_pipeline.area_model import AreaModel
from qa_pipeline.areas import AreaClassifier
from qa_pipeline.deadlines import AcademicCalendar, load_calendar, normalise_deadline
from qa_pipeline.errors import NoTargets, PlanInputError
from qa_pipeline.extract import extract_plan
from qa_pipeline.extract.labels import Vocabulary, vocabulary
from qa_pipeline.feedback import build_feedback
from qa_pipeline.framework import Framework, load_framework
from qa_pipeline.judge import coverage, judge
from qa_pipeline.language import language_tools, parsed
from qa_pipeline.models import PlanError, PlanExtraction, PlanResult, SchoolMatch, Target
from qa_pipeline.privacy import find_pupil_mentions
from qa_pipeline.readers import read_document
from qa_pipeline.rubric import Rubric, default_rubric
from qa_pipeline.scoring.features import AreaStatus, TargetContext
from qa_pipeline.scoring.models_store import load_area_model, load_level_models
from qa_pipeline.scoring.score import Scorer
from qa_pipeline.selfeval import AreaProfile, SelfEvaluations, load_self_evaluations, profile

log = logging.getLogger(__name__)


@dataclass
class PlanContext:
    """What every plan of a batch is judged against, loaded once."""

    framework: Framework
    calendar: AcademicCalendar
    vocab: Vocabulary
    areas: AreaClassifier
    rubric: Rubric
    scorer: Scorer
    area_model: AreaModel | None = None
    self_evaluations: SelfEvaluations | None = None

    @classmethod
    def load(cls, self_evaluations: Path | None = None, use_models: bool = True
             ) -> PlanContext:
        framework = load_framework()
        selfevals = load_self_evaluations(self_evaluations, framework) if self_evaluations \
            else None
        rubric = default_rubric()
        models = load_level_models() if use_models else None
        return cls(framework=framework, calendar=load_calendar(), vocab=vocabulary(),
                   areas=AreaClassifier(framework), rubric=rubric,
                   scorer=Scorer(rubric, language_tools(), models,
                                 area_names=framework.folded_area_names()),
                   area_model=load_area_model() if use_models else None,
                   self_evaluations=selfevals)

    def versions(self) -> dict[str, str]:
        models = self.scorer.models
        return {"rubric": f"{self.rubric.version}+{self.rubric.digest}",
                "lexicon": self.scorer.tools.lexicon.version,
                "fields": self.vocab.version,
                "level_models": models.meta["id"] if models else "rules-only",
                "area_model": self.area_model.meta["id"] if self.area_model else "rules-only"}


# When one plan id (the file name without its extension) names two files, the one read:
# the editable original before an export of it, a format the pipeline reads before one it
# does not.
_FORMAT_PREFERENCE = {".docx": 0, ".xlsx": 1, ".xlsm": 2, ".pdf": 3}


def _is_candidate(p: Path) -> bool:
    return p.is_file() and not p.name.startswith((".", "~$"))


def plan_files(folder: Path) -> list[Path]:
    """Every file of the folder that could be a plan (hidden and temp files skipped).

    A result is named by its plan id, so of two files with the same id ("plan.docx" and
    "plan.pdf") one is read and its result says the other was not (:func:`other_copies`).
    """
    chosen: dict[str, Path] = {}
    for p in sorted((p for p in folder.iterdir() if _is_candidate(p)),
                    key=lambda p: (_FORMAT_PREFERENCE.get(p.suffix.lower(), 9), p.name)):
        chosen.setdefault(p.stem, p)
    return sorted(chosen.values())


def other_copies(path: Path) -> list[str]:
    """Other files beside this plan with its plan id, which :func:`plan_files` left out."""
    pattern = glob.escape(str(path.parent / path.stem)) + ".*"
    return sorted(Path(q).name for q in glob.glob(pattern)
                  if Path(q).stem == path.stem and Path(q) != path and _is_candidate(Path(q)))


def normalise_targets(extraction: PlanExtraction, ctx: PlanContext) -> None:
    """Deadlines to dates and targets to framework areas, each with its reason."""
    targets = extraction.targets
    decisions = (ctx.area_model.decide_all(targets, ctx.areas) if ctx.area_model is not None
                 else [ctx.areas.classify(t) for t in targets])
    for target, decision in zip(targets, decisions, strict=True):
        deadline = normalise_deadline(target.text_of("deadline_text"), ctx.calendar)
        target.deadline, target.deadline_reason = deadline.date, deadline.reason
        target.area_id, target.area_reason = decision.area_id, decision.reason
        target.area_confidence = decision.confidence


def match_school(extraction: PlanExtraction, ctx: PlanContext) -> SchoolMatch:
    header = extraction.header
    name = header.school_name.text if header.school_name else None
    urn = header.urn.text if header.urn else None
    if ctx.self_evaluations is None:
        return SchoolMatch(name=name, urn=urn, method="no_self_evaluation",
                           message="No self-evaluation export was given, so gaps cannot be "
                                   "checked.")
    return ctx.self_evaluations.match(name, urn)


def school_profile(result: PlanResult, ctx: PlanContext) -> AreaProfile | None:
    school = result.school
    if ctx.self_evaluations is None or school is None or not school.urn:
        return None
    evaluation = ctx.self_evaluations.evaluation(school.urn)
    return profile(evaluation, ctx.framework) if evaluation is not None else None


def score_targets(targets: list[Target], prof: AreaProfile | None, ctx: PlanContext) -> None:
    parsed.prefetch([t.objective.text for t in targets if t.objective is not None])
    contexts: list[TargetContext] = []
    for target in targets:
        status: AreaStatus = "unknown"
        if prof is not None and target.area_id is not None:
            status = ("gap" if target.area_id in prof.gaps else
                      "strength" if target.area_id in prof.strengths else "neither")
        contexts.append(TargetContext(area_status=status, has_self_evaluation=prof is not None))
    for target, scores in zip(targets, ctx.scorer.score_all(targets, contexts), strict=True):
        target.scores = scores


def process_plan(path: Path, ctx: PlanContext) -> PlanResult:
    """Read, extract and judge one plan; bad input becomes a rejected result."""
    plan_id = path.stem
    notes = [f"'{name}' has the same name as this file and was not read: if it is a "
             "different plan, give it a name of its own and submit it again."
             for name in other_copies(path)]
    timings: dict[str, float] = {}
    start = time.perf_counter()
    try:
        doc = read_document(path)
        timings["read"] = _ms(start)
        t = time.perf_counter()
        extraction = extract_plan(doc, ctx.vocab)
        if not extraction.targets:
            raise NoTargets(f"No targets were found in '{path.name}'. The pipeline looks for "
                            "objectives with actions, a lead, timescales and success criteria "
                            "(a table with those columns, a table per priority, or headings "
                            "with labelled lines). Please check this is the action plan.")
        normalise_targets(extraction, ctx)
        timings["extract"] = _ms(t)
    except PlanInputError as exc:
        log.info("rejected %s: %s", path.name, exc.code)
        return PlanResult(plan_id=plan_id, source=path.name, status="rejected",
                          error=PlanError(exc.code, exc.message), notes=notes,
                          timings_ms=timings)
    except Exception as exc:  # a bug: record it on this plan and let the batch go on
        log.error("internal error on %s\n%s", path.name, traceback.format_exc())
        message = (f"The QA pipeline failed on this plan ({type(exc).__name__}). This is a "
                   "fault in the pipeline, not the plan: please pass it to the project team.")
        return PlanResult(plan_id=plan_id, source=path.name, status="rejected",
                          error=PlanError("internal_error", message), notes=notes,
                          timings_ms=timings)
    result = PlanResult(plan_id=plan_id, source=path.name, status="ok", header=extraction.header,
                        layout=extraction.layout, targets=extraction.targets,
                        notes=[*notes, *extraction.notes])
    result.school = match_school(extraction, ctx)
    prof = school_profile(result, ctx)
    t = time.perf_counter()
    score_targets(result.targets, prof, ctx)
    timings["score"] = _ms(t)
    t = time.perf_counter()
    mentions = find_pupil_mentions(result.targets)
    result.pupil_mentions = [m.__dict__ for m in mentions]
    result.plan = judge(result.targets, coverage(result.targets, prof, ctx.framework),
                        ctx.rubric, pupil_mentions=len(mentions))
    timings["judge"] = _ms(t)
    t = time.perf_counter()
    name = extraction.header.school_name.text if extraction.header.school_name else None
    result.feedback = build_feedback(result.targets, result.plan, ctx.rubric, name,
                                     pupil_names={m.text for m in mentions},
                                     framework=ctx.framework).to_dict()
    timings["feedback"] = _ms(t)
    result.versions = ctx.versions()
    result.timings_ms = timings
    return result


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)
