"""The local authority's picture: how its schools' plans and self-evaluations compare.

:func:`build_locality` groups results by ``header.local_authority`` ("Unknown LA" when a
plan does not say) and works out school-level figures only: each school's overall rating,
quality, gap coverage and baseline area ratings; the spread of ratings; the areas that
are gaps or strengths across schools; gaps no plan addresses; and, where schools have a
final self-evaluation, the mean baseline and final rating of each area. No plan text
reaches these reports, and school and LA names are redacted like everything else.
:func:`write_locality` writes ``OUT/reports/locality/<la_slug>.html`` (inline SVG charts,
a heatmap) with ``.csv`` and ``.xlsx`` beside it (``locality_tables``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa_pipeline.framework import Framework
from qa_pipeline.reports.labels import (
    RATINGS,
    UNKNOWN_LA,
    local_authority,
    rating_label,
    school_name,
    school_urn,
)
from qa_pipeline.reports.locality_charts import heat_colour, progress_chart, spread_chart
from qa_pipeline.reports.locality_tables import write_csv, write_xlsx
from qa_pipeline.reports.redaction import redact_result
from qa_pipeline.reports.rendering import render, write_text
from qa_pipeline.selfeval import SelfEvaluations, profile

TEMPLATE = "locality.html.j2"
BASELINE_SOURCE = "baseline self-evaluation"
PLAN_SOURCE = "area ratings in the plan's result"


@dataclass
class SchoolRow:
    """One school (one ok plan) of the local authority, as figures."""

    school: str
    urn: str | None
    overall: str | None
    quality: float | None
    coverage: float | None
    ratings: dict[str, float | None]
    gaps: list[str]
    strengths: list[str]
    unaddressed: list[str]
    final: dict[str, float | None] | None = None

    @property
    def overall_label(self) -> str:
        return rating_label(self.overall)


@dataclass
class AreaFigures:
    """One framework area across the local authority's schools."""

    id: str
    name: str
    gap_schools: int = 0
    strength_schools: int = 0
    unaddressed_schools: int = 0
    rated_schools: int = 0


@dataclass
class AreaProgress:
    """Mean baseline and final rating of one area over the schools rated at both."""

    id: str
    name: str
    schools: int
    baseline: float | None
    final: float | None

    @property
    def change(self) -> float | None:
        if self.baseline is None or self.final is None:
            return None
        return round(self.final - self.baseline, 2)

    @property
    def arrow(self) -> str:
        change = self.change
        if change is None:
            return ""
        return "↑" if change > 0 else "↓" if change < 0 else "→"


@dataclass
class Locality:
    """Everything one local authority's reports show."""

    name: str
    slug: str
    areas: list[tuple[str, str]]  # (id, name) in framework order
    schools: list[SchoolRow]
    rejected: int
    spread: dict[str, int]
    area_figures: list[AreaFigures]
    rating_source: str
    progress: list[AreaProgress] | None = None
    progress_note: str | None = None
    without_ratings: list[str] = field(default_factory=list)

    @property
    def unaddressed(self) -> list[AreaFigures]:
        return [a for a in self.area_figures if a.unaddressed_schools]


def slugify(name: str) -> str:
    """A file name for an LA: "Bath & North East Somerset" gives "bath-north-east-somerset"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unknown-la"


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _matched_urn(result: dict[str, Any]) -> str | None:
    school = result.get("school") or {}
    matched = (school.get("self_evaluation") or {}).get("urn")
    return str(matched) if matched else school_urn(result)


def _school(result: dict[str, Any], self_evaluations: SelfEvaluations | None,
            framework: Framework) -> SchoolRow:
    """A school's row; ratings from its baseline self-evaluation when there is one, else
    from the plan's result."""
    plan = result.get("plan") or {}
    ids = framework.area_ids()
    ratings: dict[str, float | None] = {a: None for a in ids}
    final: dict[str, float | None] | None = None
    urn = _matched_urn(result)
    baseline = self_evaluations.evaluation(urn, "baseline") if self_evaluations and urn else None
    if baseline is not None:
        ratings = dict(profile(baseline, framework).ratings)
    else:
        given = plan.get("area_ratings") or {}
        ratings.update({a: given.get(a) for a in ids})
    if self_evaluations is not None and urn:
        last = self_evaluations.evaluation(urn, "final")
        if last is not None:
            final = dict(profile(last, framework).ratings)
    t = framework.thresholds
    gaps = [a for a in ids if (v := ratings[a]) is not None and v < t.gap_below]
    strengths = [a for a in ids if (v := ratings[a]) is not None and v >= t.strength_at_or_above]
    addressed = {target.get("area_id") for target in result.get("targets") or []}
    return SchoolRow(
        school=school_name(result) or "School not identified", urn=school_urn(result),
        overall=plan.get("overall"), quality=plan.get("quality"), coverage=plan.get("coverage"),
        ratings=ratings, gaps=gaps, strengths=strengths,
        unaddressed=[a for a in gaps if a not in addressed], final=final)


def _progress(schools: list[SchoolRow], framework: Framework) -> list[AreaProgress]:
    out: list[AreaProgress] = []
    for area in framework.areas:
        pairs = [(s.ratings[area.id], s.final[area.id]) for s in schools
                 if s.final is not None and s.ratings.get(area.id) is not None
                 and s.final.get(area.id) is not None]
        out.append(AreaProgress(
            id=area.id, name=area.name, schools=len(pairs),
            baseline=_mean([b for b, _ in pairs if b is not None]),
            final=_mean([f for _, f in pairs if f is not None])))
    return out


def _locality(name: str, results: list[dict[str, Any]],
              self_evaluations: SelfEvaluations | None, framework: Framework) -> Locality:
    ok = [r for r in results if r.get("status") == "ok"]
    schools = sorted((_school(r, self_evaluations, framework) for r in ok),
                     key=lambda s: (s.school.casefold(), s.urn or ""))
    figures = [AreaFigures(id=a.id, name=a.name) for a in framework.areas]
    for s in schools:
        for f in figures:
            f.gap_schools += f.id in s.gaps
            f.strength_schools += f.id in s.strengths
            f.unaddressed_schools += f.id in s.unaddressed
            f.rated_schools += s.ratings.get(f.id) is not None
    spread = Counter(s.overall for s in schools if s.overall)
    locality = Locality(
        name=name, slug=slugify(name), areas=[(a.id, a.name) for a in framework.areas],
        schools=schools, rejected=len(results) - len(ok),
        spread={r: spread.get(r, 0) for r in RATINGS}, area_figures=figures,
        rating_source=BASELINE_SOURCE if self_evaluations is not None else PLAN_SOURCE,
        without_ratings=[s.school for s in schools
                         if all(v is None for v in s.ratings.values())])
    if self_evaluations is None:
        locality.progress_note = ("Self-evaluations were not supplied for these reports, so "
                                  "baseline and final self-evaluations cannot be compared; "
                                  "area ratings are those recorded with each plan's result.")
    elif not any(s.final is not None for s in schools):
        locality.progress_note = ("No school in this local authority has a final "
                                  "self-evaluation yet, so there is no change to show.")
    else:
        locality.progress = _progress(schools, framework)
    return locality


def build_locality(results: list[dict[str, Any]], self_evaluations: SelfEvaluations | None,
                   framework: Framework) -> list[Locality]:
    """One :class:`Locality` per local authority with at least one readable plan, in name
    order ("Unknown LA" last). Results are redacted first."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for result in results:
        r = redact_result(result)
        groups.setdefault(local_authority(r), []).append(r)
    localities: list[Locality] = []
    slugs: Counter[str] = Counter()
    for name in sorted(groups, key=lambda n: (n == UNKNOWN_LA, n.casefold())):
        if not any(r.get("status") == "ok" for r in groups[name]):
            continue
        locality = _locality(name, groups[name], self_evaluations, framework)
        slugs[locality.slug] += 1
        if slugs[locality.slug] > 1:  # two names with one slug ("St Helens", "St. Helens")
            locality.slug = f"{locality.slug}-{slugs[locality.slug]}"
        localities.append(locality)
    return localities


def render_locality(locality: Locality, framework: Framework) -> str:
    t = framework.thresholds
    return render(TEMPLATE, la=locality, spread_svg=spread_chart(locality.spread),
                  progress_svg=progress_chart(locality.progress or [], framework),
                  heat_colour=heat_colour, gap_below=t.gap_below,
                  strength_at=t.strength_at_or_above,
                  scale=[(lv.value, lv.label) for lv in framework.rating_scale.levels])


def locality_paths(out_dir: Path, locality: Locality) -> dict[str, Path]:
    folder = out_dir / "reports" / "locality"
    return {ext: folder / f"{locality.slug}.{ext}" for ext in ("html", "csv", "xlsx")}


def write_locality(out_dir: Path, locality: Locality, framework: Framework) -> dict[str, Path]:
    """Write one LA's HTML, CSV and XLSX; their paths by extension."""
    paths = locality_paths(out_dir, locality)
    write_text(paths["html"], render_locality(locality, framework))
    write_csv(paths["csv"], locality)
    write_xlsx(paths["xlsx"], locality)
    return paths
