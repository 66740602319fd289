"""Geometry for the locality page's inline SVG charts and heatmap colours.

Only numbers and colours are worked out here; the template draws them, so every label
is escaped like any other text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa_pipeline.reports.labels import rating_label

if TYPE_CHECKING:
    from qa_pipeline.framework import Framework
    from qa_pipeline.reports.locality import AreaProgress

RATING_COLOURS = {"strong": "#4c9a5a", "secure": "#9ccf8f", "developing": "#f2cc5b",
                  "needs_revision": "#e0735f"}
# a 1-4 area rating, rounded half up, as a cell colour (light enough for dark numbers)
HEAT_COLOURS = {1: "#f4a99b", 2: "#fbd89a", 3: "#cde8b5", 4: "#8fcf9b"}
NO_RATING = "#eeeeee"


def heat_level(value: float | None) -> int | None:
    if value is None:
        return None
    return min(4, max(1, int(value + 0.5)))


def heat_colour(value: float | None) -> str:
    level = heat_level(value)
    return NO_RATING if level is None else HEAT_COLOURS[level]


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    y: int
    width: float
    colour: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar]


def spread_chart(spread: dict[str, int], width: int = 520, bar_height: int = 26
                 ) -> BarChart:
    """Horizontal bars: how many schools' plans have each overall rating."""
    label_width, gap = 130, 8
    room = width - label_width - 40
    top = max(spread.values(), default=0) or 1
    bars = [Bar(label=rating_label(r), count=n, y=i * (bar_height + gap),
                width=round(room * n / top, 1), colour=RATING_COLOURS.get(r, "#999999"))
            for i, (r, n) in enumerate(spread.items())]
    return BarChart(width=width, height=len(bars) * (bar_height + gap), label_width=label_width,
                    bar_height=bar_height, bars=bars)


@dataclass(frozen=True)
class Dumbbell:
    name: str
    schools: int
    y: int
    x_baseline: float | None
    x_final: float | None
    baseline: float | None
    final: float | None
    arrow: str


@dataclass(frozen=True)
class DumbbellChart:
    width: int
    height: int
    label_width: int
    ticks: list[tuple[int, float]]  # (scale value, x)
    rows: list[Dumbbell]


def progress_chart(progress: list[AreaProgress], framework: Framework,
                   width: int = 720, row_height: int = 26) -> DumbbellChart:
    """Each area's mean baseline (grey dot) and final (green dot) on the rating scale."""
    label_width, right = 300, 30
    lo, hi = framework.rating_scale.minimum, framework.rating_scale.maximum
    span = max(1, hi - lo)

    def x(value: float | None) -> float | None:
        if value is None:
            return None
        return round(label_width + (width - label_width - right) * (value - lo) / span, 1)

    rows = [Dumbbell(name=p.name, schools=p.schools, y=30 + i * row_height,
                     x_baseline=x(p.baseline), x_final=x(p.final), baseline=p.baseline,
                     final=p.final, arrow=p.arrow) for i, p in enumerate(progress)]
    ticks = [(v, x(v) or 0.0) for v in range(lo, hi + 1)]
    return DumbbellChart(width=width, height=40 + len(rows) * row_height,
                         label_width=label_width, ticks=ticks, rows=rows)
