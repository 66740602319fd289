"""What the rubric looks for in a target, found field by field with the plan's own words.

Each criterion gets a :class:`CriterionEvidence`: numeric features (for the rule levels
and the learned model) and the quotes that justify them, so every score can say which
words of the plan it rests on. A target is judged as a whole: milestones and monitoring
written in the actions count too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from qa_pipeline.language import LanguageTools, parsed
from qa_pipeline.models import Target

AreaStatus = Literal["gap", "neither", "strength", "unknown"]
YEAR_RE = re.compile(r"^(19|20)\d\d$|^\d\d$")
IN_BRACKETS_BASELINE = re.compile(
    r"\((?:[^()]*\b(?:20\d\d[-/]\d\d|baseline|currently|last year|this year|was|audit|"
    r"so far)\b[^()]*\d[^()]*)\)", re.IGNORECASE)
TOPIC_MAX_WORDS = 4


@dataclass
class CriterionEvidence:
    values: dict[str, float] = field(default_factory=dict)
    found: list[tuple[str, str]] = field(default_factory=list)  # (what, quote)
    missing: list[str] = field(default_factory=list)

    def note(self, what: str, quotes: list[str], field_name: str | None = None) -> None:
        """Record the plan's words behind a finding: whitespace folded, and a quote that
        sits inside a longer one ('from' in 'from 6.1 to') left out."""
        flat = list(dict.fromkeys(" ".join(q.split()) for q in quotes if q.strip()))
        kept = [q for q in flat if not any(q != o and q.lower() in o.lower() for o in flat)]
        if kept:
            where = f" ({field_name})" if field_name else ""
            self.found.append((what + where, "; ".join(f"'{q}'" for q in kept[:3])))


@dataclass
class TargetContext:
    """What scoring needs to know beyond the target: the school's view of its area."""

    area_status: AreaStatus
    has_self_evaluation: bool


def _numbers(tools: LanguageTools, text: str | None) -> list[str]:
    nums = [n for n in tools.find(text, "number") if not YEAR_RE.match(n)]
    nums += tools.find(text, "percent") + tools.find(text, "count_of")
    return [n for n in dict.fromkeys(nums) if n.lower() not in {"each", "half", "no"}]


def _words(text: str | None) -> int:
    return len(re.findall(r"\w+", text or ""))


def _has_verb(text: str) -> bool:
    """Does the objective say something happens (a verb), or only name a topic? A gerund
    that opens a noun phrase ("Screening for dyslexia") names a topic."""
    doc = parsed(text)
    return any(t.pos_ in ("VERB", "AUX") and not (t.i == 0 and t.tag_ == "VBG") for t in doc)


GENERAL_AIMS = {"improve", "improving", "develop", "developing", "continue", "maintain",
                "raise", "better", "promote", "enhance", "strengthen", "support", "embed",
                "prepare", "increase", "work", "focus", "further", "look", "explore",
                "ensure", "more"}
HOW_WORDS = ("so that", "in order to", "using", "through", "by using", "by introducing",
             "by ", "via", "so they", "which will", "at termly", "at each", "at every")
PRECISION = re.compile(r"\d|%|\b(all|every|each|at least|within|termly|weekly|half[- ]termly|"
                       r"three times|twice|before|by the end)\b", re.IGNORECASE)


def specific(t: Target, tools: LanguageTools, area_names: set[str] | None = None
             ) -> CriterionEvidence:
    ev = CriterionEvidence()
    objective = t.text_of("objective") or ""
    substantive = [a for a in t.actions if _words(a.text) >= 3]
    ev.values["has_objective"] = float(bool(objective))
    ev.values["n_actions"] = float(len(t.actions))
    ev.values["concrete_actions"] = float(len(substantive))
    if not objective:
        ev.missing.append("no objective: only activities are listed")
        return ev
    words = _words(objective)
    groups = tools.find(objective, "groups")
    change = tools.find(objective, "change_verbs")
    vague = tools.find(objective, "vague_phrases")
    first = re.sub(r"[^a-z]", "", objective.split()[0].lower()) if objective.split() else ""
    general_aim = first in GENERAL_AIMS
    link = tools.find(objective, "outcome_link")
    how = [w.strip() for w in HOW_WORDS if re.search(rf"\b{w}", objective, re.IGNORECASE)]
    precision = PRECISION.findall(objective)
    has_verb = _has_verb(objective)
    folded = " ".join(re.findall(r"[a-z]+", objective.lower()))
    heading = words <= 3 and not has_verb and (
        folded in (area_names or set()) or "," in objective)
    segments = [seg for seg in objective.split(",") if seg.strip()]
    listing = len(segments) >= 3 and not change and max(_words(seg) for seg in segments) <= 4
    ev.values.update({
        "objective_words": float(min(words, 60)), "groups": float(len(groups)),
        "change_verbs": float(len(change)), "vague_words": float(len(vague)),
        "general_aim": float(general_aim), "how": float(len(how)),
        "outcome_link": float(bool(link)), "has_verb": float(has_verb),
        "topic_only": float(not has_verb and words <= 6),
        "area_heading": float(heading), "listing": float(listing),
        "precision": float(len(precision)),
    })
    ev.note("names who it is for", groups, "objective")
    ev.note("says what will change", change, "objective")
    ev.note("says how or why", how + link, "objective")
    ev.note("general wording", ([first] if general_aim else []) + vague, "objective")
    if substantive:
        ev.note("actions that say how", [a.text for a in substantive], "actions")
    if heading or listing:
        ev.missing.append(f"'{objective}' is a heading or a list, not an aim")
    elif not has_verb:
        ev.missing.append(f"the objective '{objective}' names a topic, not a change")
    if not groups:
        ev.missing.append("no group of learners or staff named in the objective")
    if general_aim:
        ev.missing.append(f"'{objective.split()[0]}' states a general aim, not a concrete change")
    return ev


def measurable(t: Target, tools: LanguageTools) -> CriterionEvidence:
    ev = CriterionEvidence()
    sc = t.text_of("success_criteria") or ""
    ev.values["has_sc"] = float(bool(sc))
    if not sc:
        ev.missing.append("no success criteria")
        return ev
    numbers = _numbers(tools, sc)
    baseline = tools.find(sc, "baseline_cues") + tools.find(sc, "from_to")
    baseline += IN_BRACKETS_BASELINE.findall(sc)
    sources = tools.find(sc, "sources")
    unmeasurable = tools.find(sc, "unmeasurable")
    countable = [w for w in ("all", "every", "each", "100%", "none", "no ")
                 if re.search(rf"(?<!\w){re.escape(w)}", sc, re.IGNORECASE)]
    change = tools.find(sc, "change_verbs")
    ev.values.update({
        "sc_words": float(min(_words(sc), 80)), "numbers": float(len(numbers)),
        "baseline": float(len(baseline)), "sources": float(len(sources)),
        "unmeasurable": float(len(unmeasurable)), "countable": float(len(countable)),
        "sc_change_verbs": float(len(change)),
        "percent": float(bool(tools.find(sc, "percent"))),
        "from_to": float(bool(tools.find(sc, "from_to"))),
    })
    ev.note("a number to reach", numbers, "success criteria")
    ev.note("a starting point", baseline, "success criteria")
    ev.note("where the figures come from", sources, "success criteria")
    ev.note("wording that cannot be measured", unmeasurable, "success criteria")
    if not numbers and not countable:
        ev.missing.append("no number or countable outcome")
    if not baseline:
        ev.missing.append("no baseline or starting point")
    if not sources:
        ev.missing.append("no data source named")
    return ev


def achievable(t: Target, tools: LanguageTools) -> CriterionEvidence:
    ev = CriterionEvidence()
    lead = t.text_of("lead") or ""
    resources = t.text_of("resources") or ""
    roles = tools.find(lead, "roles")
    people = tools.find(lead, "person")
    vague_owner = tools.find(lead, "vague_owners")
    owner_only_vague = bool(lead) and not people and bool(vague_owner) and all(
        r.lower() in {v.lower() for v in vague_owner} for r in roles or vague_owner) \
        and _words(lead) <= 4
    cues = tools.find(resources, "resource_cues") + tools.find(resources, "money")
    vague_res = tools.find(resources, "vague_resources")
    items = [p for p in re.split(r"[;\n+]|, | and (?=\d|£|[A-Z])", resources) if p.strip()]
    ev.values.update({
        "has_lead": float(bool(lead)), "lead_roles": float(len(roles)),
        "lead_people": float(len(people)), "lead_vague": float(owner_only_vague),
        "has_resources": float(bool(resources)), "resource_cues": float(len(cues)),
        "resource_items": float(len(items)) if resources else 0.0,
        "resources_vague": float(bool(vague_res) and len(cues) == 0),
        "money": float(bool(tools.find(resources, "money"))),
        "n_actions": float(len(t.actions)),
    })
    ev.note("a lead", [lead] if lead else [], "lead")
    ev.note("resources", [resources] if resources else [], "resources")
    if not lead:
        ev.missing.append("no lead named")
    elif owner_only_vague:
        ev.missing.append(f"'{lead}' is shared ownership: nobody in particular leads")
    if not resources:
        ev.missing.append("no resources, time or training named")
    elif vague_res and not cues:
        ev.missing.append(f"resources '{resources}' are not yet known")
    return ev


def relevant(t: Target, ctx: TargetContext, tools: LanguageTools) -> CriterionEvidence:
    ev = CriterionEvidence()
    text = " ".join(filter(None, [t.text_of("objective"), t.text_of("success_criteria")]))
    link = tools.find(text, "outcome_link")
    send_groups = [g for g in tools.find(text, "groups")
                   if any(w in g.lower() for w in ("send", "sen ", "ehcp", "autis", "dyslex"))]
    outcomes = tools.find(text, "learner_outcomes") if send_groups else []
    ev.values.update({
        "has_area": float(t.area_id is not None),
        "gap": float(ctx.area_status == "gap"), "neither": float(ctx.area_status == "neither"),
        "strength": float(ctx.area_status == "strength"),
        "unknown": float(ctx.area_status == "unknown"),
        "outcome_link": float(bool(link)), "send_group": float(bool(send_groups)),
        "learner_outcome": float(bool(outcomes)),
    })
    ev.note("says what improves for learners", link)
    ev.note("names learners with SEND", send_groups)
    ev.note("aims at an outcome for them", outcomes)
    if t.area_id is None:
        ev.missing.append("not about SEND provision or any framework area")
    if not link and not outcomes:
        ev.missing.append("does not say how learners with SEND will benefit")
    return ev


def time_bound(t: Target, tools: LanguageTools) -> CriterionEvidence:
    ev = CriterionEvidence()
    deadline_text = t.text_of("deadline_text") or ""
    actions = t.text_of("actions") or ""
    monitoring = t.text_of("monitoring") or ""
    dates_in_deadline = tools.find(deadline_text, "date")
    vague = tools.find(deadline_text, "vague_timing")
    milestones = tools.find(deadline_text, "milestone_cues")
    elsewhere = tools.find(actions, "date") + tools.find(monitoring, "date")
    ev.values.update({
        "has_deadline_text": float(bool(deadline_text)),
        "has_date": float(t.deadline is not None),
        "dates_in_deadline": float(len(dates_in_deadline)),
        "deadline_parts": float(len([p for p in re.split(r"[;,\n]| then ", deadline_text)
                                     if p.strip()])),
        "vague_timing": float(bool(vague)), "milestone_cues": float(len(milestones)),
        "dates_elsewhere": float(len(elsewhere)),
    })
    if deadline_text:
        ev.note("a deadline", [deadline_text], "timescale")
    ev.note("review points", milestones, "timescale")
    ev.note("dates in the actions or monitoring", elsewhere)
    if t.deadline is None:
        ev.missing.append("no definite end date" if deadline_text else "no timing at all")
    if not milestones and len(dates_in_deadline) < 2:
        ev.missing.append("no interim milestone or review point")
    return ev


def evidence(t: Target, tools: LanguageTools) -> CriterionEvidence:
    ev = CriterionEvidence()
    monitoring = t.text_of("monitoring") or ""
    actions = t.text_of("actions") or ""
    who = tools.find(monitoring, "roles") + tools.find(monitoring, "person")
    how = tools.find(monitoring, "monitor_how") + tools.find(monitoring, "sources")
    when = tools.find(monitoring, "monitor_when") + tools.find(monitoring, "date")
    generic = tools.find(monitoring, "generic_monitoring")
    in_actions = tools.find(actions, "monitor_how") if re.search(
        r"\b(review|audit|check|monitor|report)", actions, re.IGNORECASE) else []
    ev.values.update({
        "has_monitoring": float(bool(monitoring)),
        "monitoring_words": float(min(_words(monitoring), 40)),
        "who": float(len(set(who))), "how": float(len(set(how))),
        "when": float(len(set(when))), "generic": float(len(generic)),
        "generic_only": float(bool(monitoring) and _words(monitoring) <= 4 and not when),
        "monitoring_in_actions": float(len(in_actions)),
    })
    ev.note("who checks", who, "monitoring")
    ev.note("how", how, "monitoring")
    ev.note("when", when, "monitoring")
    ev.note("checks written in the actions", in_actions, "actions")
    if not monitoring:
        ev.missing.append("no monitoring or evidence named")
    else:
        if not who:
            ev.missing.append("does not say who monitors")
        if not when:
            ev.missing.append("does not say when progress is checked")
        if not how:
            ev.missing.append("does not say how progress is checked")
    return ev


def target_features(t: Target, ctx: TargetContext, tools: LanguageTools,
                    area_names: set[str] | None = None) -> dict[str, CriterionEvidence]:
    return {
        "specific": specific(t, tools, area_names),
        "measurable": measurable(t, tools),
        "achievable": achievable(t, tools),
        "relevant": relevant(t, ctx, tools),
        "time_bound": time_bound(t, tools),
        "evidence": evidence(t, tools),
    }
