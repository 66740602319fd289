"""The typed domain model: documents as read, targets as extracted, results as written.

Data flows one way: a reader turns a file into a :class:`Document`; extraction turns the
document into a :class:`PlanExtraction`; scoring and judgement add to it; the result
module serialises a :class:`PlanResult`. Every extracted value is a :class:`Field` that
keeps the :class:`Provenance` of the text it came from, so a report can quote the plan
and say where the words were.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

# --------------------------------------------------------------------------- provenance


@dataclass(frozen=True)
class Provenance:
    """Where a piece of text sits in the source document."""

    block: int
    page: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    sheet: str | None = None

    def describe(self) -> str:
        parts: list[str] = []
        if self.sheet is not None:
            parts.append(f"sheet '{self.sheet}'")
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.table is not None:
            parts.append(f"table {self.table + 1}")
            if self.row is not None:
                parts.append(f"row {self.row + 1}")
            if self.col is not None:
                parts.append(f"column {self.col + 1}")
        else:
            parts.append(f"paragraph {self.block + 1}")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Provenance:
        return cls(**data)


# --------------------------------------------------------------------------- documents


@dataclass
class Paragraph:
    """A run of text outside tables: a heading, a body paragraph or a list item."""

    text: str
    provenance: Provenance
    style: str | None = None
    heading_level: int | None = None  # 1 = top heading; None = not a heading
    list_level: int | None = None  # 0 = top-level bullet; None = not a list item

    @property
    def is_heading(self) -> bool:
        return self.heading_level is not None

    @property
    def is_list_item(self) -> bool:
        return self.list_level is not None


@dataclass
class Cell:
    """One grid position of a table. Merged cells are resolved: every position of a merge
    holds the text, and all but the origin have ``merged_copy`` set."""

    text: str
    row: int
    col: int
    merged_copy: bool = False

    @property
    def lines(self) -> list[str]:
        return [line for line in self.text.split("\n") if line.strip()]


@dataclass
class Table:
    """A rectangular grid of cells in reading order."""

    rows: list[list[Cell]]
    provenance: Provenance
    # indices of rows that start a new page (a table continued over a page break)
    page_starts: list[int] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def cell_provenance(self, row: int, col: int) -> Provenance:
        p = self.provenance
        return Provenance(block=p.block, page=p.page, table=p.table, row=row, col=col,
                          sheet=p.sheet)

    def texts(self) -> list[list[str]]:
        return [[c.text for c in r] for r in self.rows]


Block = Paragraph | Table


@dataclass
class Document:
    """A plan as read: blocks in reading order, whatever the source format."""

    source: str  # file name
    format: Literal["docx", "pdf", "xlsx"]
    blocks: list[Block]
    pages: int | None = None

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def plain_text(self) -> str:
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, Paragraph):
                out.append(b.text)
            else:
                out.extend(" | ".join(r) for r in b.texts())
        return "\n".join(out)


# --------------------------------------------------------------------------- extraction


@dataclass
class Field:
    """An extracted value with where it came from."""

    text: str
    provenance: Provenance
    label: str | None = None  # the header or label the value sat under, as written

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"text": self.text, "where": self.provenance.describe(),
                             "provenance": self.provenance.to_dict()}
        if self.label:
            d["label"] = self.label
        return d


TARGET_FIELDS: tuple[str, ...] = (
    "area_text", "objective", "actions", "lead", "resources", "deadline_text",
    "success_criteria", "monitoring", "progress",
)


@dataclass
class CriterionScore:
    """A level on one rubric criterion, with how sure the pipeline is and why."""

    level: int
    confidence: float
    reasons: list[str]
    descriptor: str  # the rubric descriptor of the level given
    rule_level: int  # what the rubric rules alone gave
    scorer: str  # the registered scorer, e.g. "qa.measurable.v1"

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "confidence": self.confidence, "reasons": self.reasons,
                "descriptor": self.descriptor, "rule_level": self.rule_level,
                "scorer": self.scorer}


@dataclass
class Target:
    """One objective of a plan with everything that belongs to it."""

    area_text: Field | None = None
    objective: Field | None = None
    actions: list[Field] = field(default_factory=list)
    lead: Field | None = None
    resources: Field | None = None
    deadline_text: Field | None = None
    success_criteria: Field | None = None
    monitoring: Field | None = None
    progress: Field | None = None
    # derived
    deadline: date | None = None
    deadline_reason: str | None = None
    area_id: str | None = None
    area_reason: str | None = None
    area_confidence: float | None = None
    scores: dict[str, CriterionScore] = field(default_factory=dict)

    def text_of(self, name: str) -> str | None:
        value = getattr(self, name)
        if value is None:
            return None
        if isinstance(value, list):
            return "\n".join(f.text for f in value) if value else None
        return value.text

    def is_empty(self) -> bool:
        return all(not getattr(self, n) for n in TARGET_FIELDS)

    def filled_fields(self) -> list[str]:
        return [n for n in TARGET_FIELDS if getattr(self, n)]


@dataclass
class PlanHeader:
    """The plan's header block: who and when."""

    school_name: Field | None = None
    urn: Field | None = None
    local_authority: Field | None = None
    senco: Field | None = None
    headteacher: Field | None = None
    coach: Field | None = None
    date_text: Field | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: (v.text if v else None) for k, v in self.__dict__.items()}


@dataclass
class PlanExtraction:
    """What extraction found in one document."""

    header: PlanHeader
    targets: list[Target]
    layout: str  # which layout reader found the targets, e.g. "wide_table"
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- results


@dataclass
class PlanError:
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass
class SchoolMatch:
    """How a plan was matched to a school in the self-evaluation export."""

    name: str | None
    urn: str | None
    method: Literal["urn", "name", "none", "ambiguous", "no_self_evaluation"]
    message: str
    candidates: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "urn": self.urn, "match": self.method,
                "match_message": self.message, "candidates": self.candidates}


@dataclass
class PlanJudgement:
    """The plan as a whole: gap coverage now; quality, rating and triage with scoring."""

    gap_areas: list[str] = field(default_factory=list)
    strength_areas: list[str] = field(default_factory=list)
    unaddressed_gaps: list[str] = field(default_factory=list)
    coverage: float | None = None
    area_ratings: dict[str, float | None] = field(default_factory=dict)
    quality: float | None = None
    overall: str | None = None
    overall_reason: str | None = None
    needs_expert_attention: bool = True
    flags: dict[str, str] = field(default_factory=dict)
    triage_rule: str | None = None
    triage_rank: int | None = None
    reasons: list[str] = field(default_factory=list)


@dataclass
class PlanResult:
    """Everything the pipeline says about one plan file."""

    plan_id: str
    source: str
    status: Literal["ok", "rejected"]
    error: PlanError | None = None
    school: SchoolMatch | None = None
    header: PlanHeader | None = None
    layout: str | None = None
    targets: list[Target] = field(default_factory=list)
    plan: PlanJudgement = field(default_factory=PlanJudgement)
    notes: list[str] = field(default_factory=list)
    pupil_mentions: list[dict[str, str]] = field(default_factory=list)
    feedback: dict[str, Any] | None = None  # qa_pipeline.feedback.Feedback.to_dict()
    versions: dict[str, str] = field(default_factory=dict)
    timings_ms: dict[str, float] = field(default_factory=dict)
