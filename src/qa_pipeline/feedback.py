"""Feedback for the SENCo: strengths first, a few priorities, and suggested rewrites.

The tone is a supportive peer review, not an inspection. For each plan the feedback names
what the plan does well (with the target it refers to), then at most
``rubric.feedback.max_priorities`` priorities to strengthen, each tied to a criterion and a
target, and for each weak target a suggested rewrite. A rewrite keeps the school's own
words verbatim and fills only the missing SMART parts with the rubric's clearly marked
placeholders (``[baseline: ...]``): it never invents a fact. Which parts are missing is
read from the score's ``"Missing: ..."`` reasons (``scoring/features.py``). All wording
comes from ``rubrics/rubric.yaml`` (``feedback:``) or from the plan itself, and every
piece of text passes through :func:`qa_pipeline.privacy.redact` so no pupil is named.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from qa_pipeline.framework import Framework, load_framework
from qa_pipeline.models import TARGET_FIELDS, PlanJudgement, Target
from qa_pipeline.privacy import redact
from qa_pipeline.rubric import CRITERIA, Rubric

LABEL_CHARS = 60
QUOTE_CHARS = 90
PLAN_LABEL = "The plan as a whole"
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight",
                "nine", "ten", "eleven", "twelve")

# the field(s) whose words show each criterion, in the plan's own terms
CRITERION_FIELDS: dict[str, tuple[str, ...]] = {
    "specific": ("objective",),
    "measurable": ("success_criteria",),
    "achievable": ("lead", "resources"),
    "relevant": ("objective",),
    "time_bound": ("deadline_text",),
    "evidence": ("monitoring",),
}
FIELD_NAMES: dict[str, str] = {
    "objective": "the objective", "success_criteria": "the success criteria",
    "lead": "the lead", "resources": "the resources", "deadline_text": "the timescale",
    "monitoring": "the monitoring",
}
# each placeholder key and the field it is added to, in the order they are written
PLACEHOLDER_FIELD: dict[str, str] = {
    "objective": "objective", "group": "objective", "how": "objective",
    "outcome_link": "objective",
    "number": "success_criteria", "baseline": "success_criteria", "source": "success_criteria",
    "lead": "lead", "resources": "resources",
    "deadline": "deadline_text", "milestone": "deadline_text",
    "monitor_who": "monitoring", "monitor_how": "monitoring",
}


@dataclass(frozen=True)
class MissingPart:
    """How one ``Missing:`` reason of a score reads as feedback: the placeholders that
    fill it and the phrase that says what to add."""

    needle: str  # a case-insensitive piece of the reason written by scoring/features.py
    placeholders: tuple[str, ...]
    phrase: str


MISSING_PARTS: dict[str, tuple[MissingPart, ...]] = {
    "specific": (
        MissingPart("no objective", ("objective",),
                    "an objective saying what will change, and for whom"),
        MissingPart("heading or a list", ("objective",),
                    "what will be different, and for whom"),
        MissingPart("names a topic", ("objective",), "what will change, not only the topic"),
        MissingPart("no group", ("group",), "which learners or staff it is for"),
        MissingPart("general aim", ("how",),
                    "the change in practice that will make the difference"),
    ),
    "measurable": (
        MissingPart("no success criteria", ("number", "baseline", "source"),
                    "success criteria with a number, a starting point and a source"),
        MissingPart("no number", ("number",), "a number or countable outcome to reach"),
        MissingPart("no baseline", ("baseline",), "a baseline or starting point"),
        MissingPart("no data source", ("source",), "where the figures will come from"),
    ),
    "achievable": (
        MissingPart("no lead", ("lead",), "a named lead"),
        MissingPart("shared ownership", ("lead",), "one named person or role to lead it"),
        MissingPart("no resources", ("resources",), "the time, training or budget"),
        MissingPart("not yet known", ("resources",), "the resources, once they are known"),
    ),
    "relevant": (
        MissingPart("not about send", ("outcome_link",),
                    "the link to provision for learners with SEND"),
        MissingPart("will benefit", ("outcome_link",),
                    "what will be better for learners with SEND"),
    ),
    "time_bound": (
        MissingPart("no definite end date", ("deadline",), "a definite end date"),
        MissingPart("no timing", ("deadline",), "an end date"),
        MissingPart("no interim milestone", ("milestone",), "a review point on the way"),
    ),
    "evidence": (
        MissingPart("no monitoring", ("monitor_who", "monitor_how"),
                    "who checks progress, how and when"),
        MissingPart("who monitors", ("monitor_who",), "who checks progress"),
        MissingPart("when progress", ("monitor_how",), "when progress is checked"),
        MissingPart("how progress", ("monitor_how",), "how progress is checked"),
    ),
}
# placeholders for a weak criterion whose field is absent and whose reasons name nothing
ABSENT_FIELD_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "objective": ("objective",), "success_criteria": ("number", "baseline", "source"),
    "lead": ("lead",), "resources": ("resources",), "deadline_text": ("deadline",),
    "monitoring": ("monitor_who", "monitor_how"),
}


# --------------------------------------------------------------------------- results


@dataclass
class Strength:
    """Something the plan does well, and the target it refers to (-1: the whole plan)."""

    target_index: int
    target_label: str
    criterion: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Priority:
    """One thing to strengthen: a criterion of a target (-1: the whole plan)."""

    target_index: int
    target_label: str
    criterion: str
    level: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Rewrite:
    """A weak target as written and as it could read: the school's words kept verbatim,
    the missing parts left as placeholders for the school to fill."""

    target_index: int
    target_label: str
    original: dict[str, str | None]
    suggested: dict[str, str]
    placeholders: list[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Feedback:
    """The feedback for one plan, in the order it is read."""

    opening: str
    strengths: list[Strength]
    priorities: list[Priority]
    rewrites: list[Rewrite]
    closing: str

    def to_dict(self) -> dict[str, Any]:
        return {"opening": self.opening,
                "strengths": [s.to_dict() for s in self.strengths],
                "priorities": [p.to_dict() for p in self.priorities],
                "rewrites": [r.to_dict() for r in self.rewrites],
                "closing": self.closing}


# --------------------------------------------------------------------------- text helpers


def shorten(text: str, limit: int) -> str:
    """Collapse whitespace and cut at a word boundary near ``limit``, adding an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:.-–—") + "…"


def target_label(target: Target, index: int) -> str:
    """A short name for a target: ``Target 2 (Working with families: 'Parents help…')``.

    ``index`` is the target's position in the plan (0-based); the label counts from 1.
    """
    area = " ".join(target.area_text.text.split()) if target.area_text else ""
    objective = shorten(target.objective.text, LABEL_CHARS) if target.objective else ""
    inner = ": ".join(p for p in (area, f"'{objective}'" if objective else "") if p)
    return f"Target {index + 1} ({inner})" if inner else f"Target {index + 1}"


def _join(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _count(n: int, noun: str) -> str:
    word = NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)
    return f"{word} {noun}{'' if n == 1 else 's'}"


def _quotes(target: Target, criterion: str) -> list[str]:
    """The plan's own words from the field(s) a criterion is about, shortened."""
    texts = (target.text_of(name) for name in CRITERION_FIELDS[criterion])
    return [f"'{shorten(t, QUOTE_CHARS)}'" for t in texts if t and t.strip()]


def _missing(target: Target, criterion: str) -> list[str]:
    """The ``Missing: ...`` reasons of a target's score on a criterion, without the prefix."""
    score = target.scores.get(criterion)
    if score is None:
        return []
    return [r[len("Missing: "):].rstrip(".") for r in score.reasons
            if r.startswith("Missing: ")]


def missing_parts(target: Target, criterion: str) -> list[MissingPart]:
    """The parts a criterion lacks on a target, as the score's reasons name them."""
    found: list[MissingPart] = []
    for reason in _missing(target, criterion):
        for part in MISSING_PARTS[criterion]:
            if part.needle in reason.lower() and part not in found:
                found.append(part)
                break
    return found


def _weight_rank(rubric: Rubric) -> dict[str, int]:
    """Criteria by weight, heaviest first; ties in the rubric's criterion order."""
    ordered = sorted(CRITERIA, key=lambda c: (-rubric.criteria[c].weight, CRITERIA.index(c)))
    return {c: i for i, c in enumerate(ordered)}


def _spread(candidates: list[tuple[int, str, int]], limit: int, rank: dict[str, int]
            ) -> list[tuple[int, str, int]]:
    """Pick up to ``limit`` (level, criterion, target index) candidates, lowest level
    first, then preferring a target and a criterion not picked yet, then by weight."""
    chosen: list[tuple[int, str, int]] = []
    left = list(candidates)
    while left and len(chosen) < limit:
        targets = [i for _, _, i in chosen]
        criteria = [c for _, c, _ in chosen]
        best = min(left, key=lambda x: (x[0], targets.count(x[2]), criteria.count(x[1]),
                                        rank[x[1]], x[2]))
        chosen.append(best)
        left.remove(best)
    return chosen


@lru_cache(maxsize=1)
def _default_framework() -> Framework:
    return load_framework()


def _area_name(framework: Framework, area_id: str) -> str:
    try:
        return framework.area(area_id).name
    except KeyError:
        return area_id.replace("_", " ")


# --------------------------------------------------------------------------- strengths


def strengths(targets: list[Target], judgement: PlanJudgement, rubric: Rubric,
              framework: Framework) -> list[Strength]:
    """What the plan does well: criteria at the strong level (or, if none, the level
    below, named gently), spread across targets and criteria; and gap coverage."""
    fb = rubric.feedback
    out: list[Strength] = []
    if judgement.gap_areas and not judgement.unaddressed_gaps and fb.max_strengths:
        names = _join([_area_name(framework, a) for a in judgement.gap_areas])
        out.append(Strength(-1, PLAN_LABEL, "relevant",
                            f"Every area your self-evaluation picks out to develop ({names}) "
                            "has a target in the plan."))
    rank = _weight_rank(rubric)
    levels = [fb.strong_level] + ([fb.strong_level - 1] if fb.strong_level > fb.weak_level + 1
                                  else [])
    for level in levels:
        candidates = [(0, c, i) for i, t in enumerate(targets) for c in CRITERIA
                      if c in t.scores and t.scores[c].level == level]
        if candidates:
            picked = _spread(candidates, fb.max_strengths - len(out), rank)
            out += [_strength(targets[i], i, c, level == fb.strong_level, rubric)
                    for _, c, i in picked]
            break
    return out


def _strength(target: Target, index: int, criterion: str, strong: bool, rubric: Rubric
              ) -> Strength:
    label = target_label(target, index)
    quote = _join(_quotes(target, criterion))
    if strong:
        text = f"{label}: {rubric.feedback.praise[criterion]}"
    else:
        text = f"A good start on {rubric.criteria[criterion].name.lower()} in {label}"
    text += f" ({quote})." if quote else "."
    return Strength(index, label, criterion, text)


# --------------------------------------------------------------------------- priorities


def priorities(targets: list[Target], judgement: PlanJudgement, rubric: Rubric,
               framework: Framework) -> list[Priority]:
    """At most ``max_priorities`` things to strengthen: the weakest criterion-target pairs
    (lowest level first, then weight, spread across targets), and one place for the
    self-evaluation gaps no target addresses."""
    fb = rubric.feedback
    gap = _gap_priority(judgement, framework)
    room = fb.max_priorities - (1 if gap else 0)
    candidates = [(t.scores[c].level, c, i) for i, t in enumerate(targets) for c in CRITERIA
                  if c in t.scores and t.scores[c].level <= fb.weak_level]
    picked = _spread(candidates, max(room, 0), _weight_rank(rubric))
    out = [_priority(targets[i], i, c, level, rubric) for level, c, i in picked]
    if gap:
        # plan-level, at level 0: first among the lowest levels
        at = next((k for k, p in enumerate(out) if p.level >= gap.level), len(out))
        out.insert(at, gap)
    return out[:fb.max_priorities]


def _gap_priority(judgement: PlanJudgement, framework: Framework) -> Priority | None:
    if not judgement.unaddressed_gaps:
        return None
    names = [_area_name(framework, a) for a in judgement.unaddressed_gaps]
    it, areas = ("it", "an area") if len(names) == 1 else ("them", "areas")
    return Priority(-1, PLAN_LABEL, "relevant", 0,
                    f"Consider a target for {_join(names)}: your self-evaluation names {it} "
                    f"as {areas} to develop, and no target in the plan covers {it} yet.")


def _priority(target: Target, index: int, criterion: str, level: int, rubric: Rubric
              ) -> Priority:
    label = target_label(target, index)
    name = rubric.criteria[criterion].name.lower()
    fields = CRITERION_FIELDS[criterion]
    there = [f"for {FIELD_NAMES[f]} you wrote '{shorten(t, QUOTE_CHARS)}'"
             for f in fields if (t := target.text_of(f)) and t.strip()]
    text = f"{label}, {name}: "
    text += (_join(there) + ". ") if there else \
        f"nothing is written yet for {_join([FIELD_NAMES[f] for f in fields])}. "
    text += rubric.feedback.advice[criterion]
    phrases = [p.phrase for p in missing_parts(target, criterion)]
    if phrases and there:  # with nothing written, the advice already says it all
        text += f" Still to add here: {_join(phrases)}."
    return Priority(index, label, criterion, level, text)


# --------------------------------------------------------------------------- rewrites


def rewrite(target: Target, index: int, rubric: Rubric) -> Rewrite | None:
    """A suggested rewrite of a weak target, or None if it is not weak or nothing
    concrete is missing (the score names no missing part and every field is there).

    The school's text is kept verbatim; each missing part of a weak criterion appends its
    placeholder to the field it belongs to: ``"<their text>; [baseline: ...]"``.
    """
    fb = rubric.feedback
    weak = [c for c in CRITERIA if c in target.scores and target.scores[c].level <= fb.weak_level]
    if not weak:
        return None
    keys: list[str] = []
    for criterion in weak:
        for key in _placeholder_keys(target, criterion):
            if key not in keys and key in fb.placeholders:
                keys.append(key)
    if not keys:
        return None
    keys.sort(key=list(PLACEHOLDER_FIELD).index)
    original = {name: target.text_of(name) for name in TARGET_FIELDS}
    suggested = {name: text for name, text in original.items() if text}
    for name in dict.fromkeys(PLACEHOLDER_FIELD[k] for k in keys):
        added = " ".join(fb.placeholders[k] for k in keys if PLACEHOLDER_FIELD[k] == name)
        suggested[name] = f"{suggested[name]}; {added}" if name in suggested else added
    ordered = {name: suggested[name] for name in TARGET_FIELDS if name in suggested}
    return Rewrite(index, target_label(target, index), original, ordered, keys)


def _placeholder_keys(target: Target, criterion: str) -> list[str]:
    """The placeholders a weak criterion needs: those of the missing parts its score
    names; if it names none, those of its fields that are absent altogether."""
    parts = missing_parts(target, criterion)
    if parts:
        keys = [k for p in parts for k in p.placeholders]
    else:
        keys = [k for f in CRITERION_FIELDS[criterion] if not target.text_of(f)
                for k in ABSENT_FIELD_PLACEHOLDERS[f]]
        if criterion == "relevant" and keys:
            keys.append("outcome_link")
    return list(dict.fromkeys(keys))


# --------------------------------------------------------------------------- opening


def opening(school_name: str | None, n_targets: int, has_priorities: bool) -> str:
    """One or two warm sentences naming the school (if known) and the number of targets."""
    school = " ".join((school_name or "").split())
    owner = (f"{school}'" if school.endswith("s") else f"{school}'s") if school else "your"
    text = f"Thank you for sharing {owner} SEND action plan"
    text += f", with its {_count(n_targets, 'target')}." if n_targets else "."
    text += (" Here is what stands out, and a few suggestions to make it even easier to "
             "track." if has_priorities else " Here is what stands out.")
    return text


def closing() -> str:
    """One supportive sentence pointing to the next triad visit."""
    return ("We look forward to talking these through with you at the next triad visit; "
            "do adapt any suggestion so that it fits your school.")


# --------------------------------------------------------------------------- assembly


def build_feedback(targets: list[Target], judgement: PlanJudgement, rubric: Rubric,
                   school_name: str | None, pupil_names: Set[str] = frozenset(),
                   framework: Framework | None = None) -> Feedback:
    """The feedback for one plan: opening, strengths, priorities, rewrites, closing.

    Every text (labels, quotes, rewrites) has the pupils' names replaced by ``[pupil]``.
    ``framework`` names the self-evaluation areas; the project's framework by default.
    """
    framework = framework or _default_framework()
    names = set(pupil_names)
    found = strengths(targets, judgement, rubric, framework)
    todo = priorities(targets, judgement, rubric, framework)
    rewrites = [r for i, t in enumerate(targets) if (r := rewrite(t, i, rubric)) is not None]
    return Feedback(
        opening=redact(opening(school_name, len(targets), bool(todo or rewrites)), names),
        strengths=[_redact_strength(s, names) for s in found],
        priorities=[_redact_priority(p, names) for p in todo],
        rewrites=[_redact_rewrite(r, names) for r in rewrites],
        closing=redact(closing(), names),
    )


def _redact_strength(s: Strength, names: set[str]) -> Strength:
    return Strength(s.target_index, redact(s.target_label, names), s.criterion,
                    redact(s.text, names))


def _redact_priority(p: Priority, names: set[str]) -> Priority:
    return Priority(p.target_index, redact(p.target_label, names), p.criterion, p.level,
                    redact(p.text, names))


def _redact_rewrite(r: Rewrite, names: set[str]) -> Rewrite:
    return Rewrite(r.target_index, redact(r.target_label, names),
                   {k: (redact(v, names) if v is not None else None)
                    for k, v in r.original.items()},
                   {k: redact(v, names) for k, v in r.suggested.items()},
                   list(r.placeholders))


def all_texts(feedback: Feedback) -> Iterable[str]:
    """Every piece of text in the feedback, for checks such as 'no pupil is named'."""
    yield feedback.opening
    for s in feedback.strengths:
        yield from (s.target_label, s.text)
    for p in feedback.priorities:
        yield from (p.target_label, p.text)
    for r in feedback.rewrites:
        yield r.target_label
        yield from (v for v in r.original.values() if v is not None)
        yield from r.suggested.values()
    yield feedback.closing
