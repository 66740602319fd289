"""The SEND self-evaluation framework: rating scale, thresholds, areas and statements.

The framework is data (``rubrics/framework.yaml``); this module loads it into validated
pydantic models and answers the questions the rest of the pipeline asks of it: which
areas there are, which area a statement belongs to, and what a rating cell means.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from qa_pipeline.config import load_yaml_model

DEFAULT_FRAMEWORK_PATH = Path(__file__).resolve().parents[2] / "rubrics" / "framework.yaml"

_ID_PATTERN = r"^[a-z][a-z0-9_]*$"
_STATEMENT_ID_PATTERN = r"^[A-Z][A-Z0-9]*$"
_NUMBER = r"(\d+(?:\.0+)?)"
_LABEL = r"([^\d()]+?)"
# (pattern, group of the number, group of the label) for ratings written as both
_NUMBER_AND_LABEL = (
    (rf"{_NUMBER}\s*[-–—:.=]?\s*\(?\s*{_LABEL}\s*\)?", 1, 2),
    (rf"{_LABEL}\s*[-–—:=]?\s*\(?\s*{_NUMBER}\s*\)?", 2, 1),
)


def _clean(text: str) -> str:
    """Case-fold and collapse whitespace, for comparing labels and markers."""
    return " ".join(text.split()).casefold()


class Statement(BaseModel):
    """One statement of an area, e.g. ``L2``."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=_STATEMENT_ID_PATTERN)
    text: str = Field(min_length=1)


class Area(BaseModel):
    """One area of the framework with the names schools use for it and its statements."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=_ID_PATTERN)
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    statements: list[Statement] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_statements(self) -> Area:
        ids = [s.id for s in self.statements]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"statement ids must be unique within an area; repeated: "
                             f"{', '.join(dupes)}")
        return self

    def statement_ids(self) -> list[str]:
        return [s.id for s in self.statements]


class RatingLevel(BaseModel):
    """One point of the rating scale: a whole number and its label."""

    model_config = ConfigDict(extra="forbid")

    value: int
    label: str = Field(min_length=1)


class RatingScale(BaseModel):
    """The rating scale and the markers exports use for "not rated"."""

    model_config = ConfigDict(extra="forbid")

    levels: list[RatingLevel] = Field(min_length=2)
    not_rated: list[str] = Field(default_factory=lambda: ["N/A", "NA", ""])

    @model_validator(mode="after")
    def _check_levels(self) -> RatingScale:
        values = [lv.value for lv in self.levels]
        if values != sorted(set(values)):
            raise ValueError(f"level values must be unique and in ascending order; "
                             f"found {values}")
        labels = [_clean(lv.label) for lv in self.levels]
        if len(set(labels)) != len(labels):
            raise ValueError("level labels must be unique (ignoring case)")
        clash = {_clean(m) for m in self.not_rated} & set(labels)
        if clash:
            raise ValueError(f"not_rated markers must differ from level labels; both: "
                             f"{', '.join(sorted(clash))}")
        return self

    @property
    def values(self) -> list[int]:
        return [lv.value for lv in self.levels]

    @property
    def minimum(self) -> int:
        return self.levels[0].value

    @property
    def maximum(self) -> int:
        return self.levels[-1].value

    def label(self, value: int) -> str:
        for lv in self.levels:
            if lv.value == value:
                return lv.label
        raise KeyError(f"{value} is not a value of the rating scale ({self.describe()})")

    def describe(self) -> str:
        """E.g. ``1 Not yet in place, 2 Emerging, 3 Established, 4 Embedded``."""
        return ", ".join(f"{lv.value} {lv.label}" for lv in self.levels)


class Thresholds(BaseModel):
    """Where an area's mean rating makes it a gap or a strength."""

    model_config = ConfigDict(extra="forbid")

    gap_below: float
    strength_at_or_above: float

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.gap_below > self.strength_at_or_above:
            raise ValueError(f"gap_below ({self.gap_below}) must not be above "
                             f"strength_at_or_above ({self.strength_at_or_above})")
        return self


class Framework(BaseModel):
    """The whole framework as loaded from ``framework.yaml``."""

    model_config = ConfigDict(extra="forbid")

    rating_scale: RatingScale
    thresholds: Thresholds
    areas: list[Area] = Field(min_length=1)

    _areas_by_id: dict[str, Area] = PrivateAttr(default_factory=dict)
    _statement_areas: dict[str, str] = PrivateAttr(default_factory=dict)
    _labels: dict[str, int] = PrivateAttr(default_factory=dict)
    _not_rated: set[str] = PrivateAttr(default_factory=set)

    @model_validator(mode="after")
    def _check(self) -> Framework:
        area_ids = [a.id for a in self.areas]
        dupes = sorted({i for i in area_ids if area_ids.count(i) > 1})
        if dupes:
            raise ValueError(f"area ids must be unique; repeated: {', '.join(dupes)}")
        statement_ids = [s.id for a in self.areas for s in a.statements]
        dupes = sorted({i for i in statement_ids if statement_ids.count(i) > 1})
        if dupes:
            raise ValueError(f"statement ids must be unique across areas; repeated: "
                             f"{', '.join(dupes)}")
        low, high = self.rating_scale.minimum, self.rating_scale.maximum
        for key in ("gap_below", "strength_at_or_above"):
            value = getattr(self.thresholds, key)
            if not low <= value <= high:
                raise ValueError(f"thresholds.{key} ({value}) must lie within the rating "
                                 f"scale, {low} to {high}")
        return self

    def model_post_init(self, __context: Any) -> None:
        self._areas_by_id = {a.id: a for a in self.areas}
        self._statement_areas = {s.id.casefold(): a.id for a in self.areas for s in a.statements}
        self._labels = {_clean(lv.label): lv.value for lv in self.rating_scale.levels}
        self._not_rated = {_clean(m) for m in self.rating_scale.not_rated} | {""}

    # ----------------------------------------------------------------------- lookups

    def folded_area_names(self) -> frozenset[str]:
        """Every area's name, id and aliases in lower case, words only ('pupil voice')."""
        names: set[str] = set()
        for area in self.areas:
            for name in (area.name, area.id.replace("_", " "), *area.aliases):
                names.add(" ".join(re.findall(r"[a-z]+", name.lower())))
        return frozenset(names)

    def area_ids(self) -> list[str]:
        """Area ids in framework order."""
        return [a.id for a in self.areas]

    def area(self, area_id: str) -> Area:
        """The area with this id; ``KeyError`` naming the known ids if there is none."""
        try:
            return self._areas_by_id[area_id]
        except KeyError:
            raise KeyError(f"unknown area {area_id!r}; the framework's areas are "
                           f"{', '.join(self.area_ids())}") from None

    def statement_area(self, statement_id: str) -> str | None:
        """The id of the area a statement (e.g. ``"L2"``, any case) belongs to, or None."""
        return self._statement_areas.get(str(statement_id).strip().casefold())

    def statement(self, statement_id: str) -> Statement | None:
        area_id = self.statement_area(statement_id)
        if area_id is None:
            return None
        wanted = str(statement_id).strip().casefold()
        return next(s for s in self.area(area_id).statements if s.id.casefold() == wanted)

    # ----------------------------------------------------------------------- ratings

    def describe_allowed_ratings(self) -> str:
        scale = self.rating_scale
        labels = ", ".join(lv.label for lv in scale.levels)
        values = scale.values
        if values == list(range(scale.minimum, scale.maximum + 1)):
            numbers = f"{scale.minimum}-{scale.maximum}"
        else:
            numbers = "one of " + ", ".join(str(v) for v in values)
        return f"{numbers}, a scale label ({labels}) or N/A for not rated"

    def parse_rating(self, value: object) -> int | None:
        """A rating cell as a scale value, or None when the statement is not rated.

        Accepts whole numbers of the scale (``3``, ``3.0``, ``"3"``, ``"3.0"``), labels in
        any case and spacing (``"established"``), a number with its matching label
        (``"3 - Established"``), and the not-rated markers (``"N/A"``, ``"NA"``, an empty
        cell). Anything else raises ``ValueError`` saying what is allowed.
        """
        if value is None:
            return None
        if isinstance(value, bool):
            raise ValueError(self._bad_rating(value))
        if isinstance(value, int):
            if value in self.rating_scale.values:
                return value
            raise ValueError(self._bad_rating(value))
        if isinstance(value, float):
            return self._scale_number(value, value)
        if not isinstance(value, str):
            raise ValueError(self._bad_rating(value))
        text = _clean(value)
        if text in self._not_rated:
            return None
        if text in self._labels:
            return self._labels[text]
        if re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
            return self._scale_number(float(text), value)
        # a number with its label: "3 - Established", "3: established", "Established (3)"
        for pattern, num, lab in _NUMBER_AND_LABEL:
            m = re.fullmatch(pattern, text)
            if m and _clean(m.group(lab)) in self._labels:
                label_value = self._labels[_clean(m.group(lab))]
                if float(m.group(num)) == label_value:
                    return label_value
        raise ValueError(self._bad_rating(value))

    def _scale_number(self, number: float, original: object) -> int:
        if math.isfinite(number) and number.is_integer() and int(number) in set(
                self.rating_scale.values):
            return int(number)
        raise ValueError(self._bad_rating(original))

    def _bad_rating(self, value: object) -> str:
        return f"rating {value!r} is not {self.describe_allowed_ratings()}"


# --------------------------------------------------------------------------- loading


def load_framework(path: Path | None = None) -> Framework:
    """Load and validate the framework; ``ConfigError`` names the file, key and problem."""
    return load_yaml_model(Path(path) if path is not None else DEFAULT_FRAMEWORK_PATH,
                           Framework, "Framework")
