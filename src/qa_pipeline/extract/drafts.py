"""Collect a target's pieces as the layout readers find them, then build the Target.

Layouts differ in where a field's words are (a column, a table row, a run-in label, the
heading above) but not in what a target is; every layout fills a :class:`TargetDraft`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qa_pipeline.extract.values import clean_value, split_items
from qa_pipeline.models import Field, Provenance, Target

SINGLE_FIELDS = ("area_text", "objective", "lead", "resources", "deadline_text",
                 "success_criteria", "monitoring", "progress")
AREA_LIKE_TITLES = {"priority", "focus", "focus area", "area", "strand", "theme", "section",
                    "development area", "key area"}


@dataclass
class _Piece:
    text: str
    provenance: Provenance
    label: str | None


@dataclass
class TargetDraft:
    """A target under construction."""

    reflowed: bool = False  # PDF: lines wrap with the column
    pieces: dict[str, list[_Piece]] = field(default_factory=dict)
    actions: list[Field] = field(default_factory=list)
    title: Field | None = None  # "Transition" of "Priority 1: Transition": area or objective
    title_kind: str | None = None  # "priority", "target", ...
    section_area: Field | None = None  # a section heading above the target
    labelled: set[str] = field(default_factory=set)  # fields that came with a label

    def add(self, name: str, text: str, provenance: Provenance, label: str | None = None) -> None:
        if name == "actions":
            self.add_actions(text, provenance, label)
            return
        value = clean_value(text, self.reflowed)
        if value is None:
            return
        self.pieces.setdefault(name, []).append(_Piece(value, provenance, label))
        if label:
            self.labelled.add(name)

    def add_actions(self, text: str, provenance: Provenance, label: str | None = None) -> None:
        for item in split_items(text, self.reflowed):
            self.actions.append(Field(text=item, provenance=provenance, label=label))
        if label:
            self.labelled.add("actions")

    def append_to(self, name: str, text: str, provenance: Provenance) -> None:
        """Carry a value on (a paragraph after a label on its own line)."""
        if name == "actions":
            self.add_actions(text, provenance)
            return
        pieces = self.pieces.get(name)
        value = clean_value(text, self.reflowed)
        if value is None:
            return
        if pieces:
            pieces[-1].text = f"{pieces[-1].text}\n{value}"
        else:
            self.add(name, text, provenance)

    def first(self, name: str) -> tuple[str, Provenance] | None:
        pieces = self.pieces.get(name)
        return (pieces[0].text, pieces[0].provenance) if pieces else None

    def has(self, name: str) -> bool:
        return bool(self.actions) if name == "actions" else bool(self.pieces.get(name))

    def is_substantial(self) -> bool:
        """Enough to be a target: a labelled field or an objective with actions."""
        return bool(self.labelled) or bool(self.pieces) or bool(self.actions)

    def resolve_title(self, plan_uses_objective_labels: bool) -> None:
        """A title names the area when the target states its objective elsewhere (or the
        plan's other targets do and the title reads like an area); otherwise it is the
        objective."""
        title = self.title
        if title is None or not title.text:
            return
        area_like = (self.title_kind or "") in AREA_LIKE_TITLES
        if self.has("objective") or (plan_uses_objective_labels and area_like):
            if not self.has("area_text"):
                self.pieces["area_text"] = [_Piece(title.text, title.provenance, "title")]
        elif not self.has("objective"):
            self.pieces["objective"] = [_Piece(title.text, title.provenance, "title")]
        self.title = None

    def build(self) -> Target:
        target = Target(actions=list(self.actions))
        if not self.has("area_text") and self.section_area is not None:
            self.pieces["area_text"] = [_Piece(self.section_area.text,
                                               self.section_area.provenance, "section")]
        for name in SINGLE_FIELDS:
            pieces = self.pieces.get(name)
            if not pieces:
                continue
            if len(pieces) == 1:
                p = pieces[0]
                setattr(target, name, Field(text=p.text, provenance=p.provenance, label=p.label))
            else:  # several columns for one field: keep each under its own label
                labels = {p.label for p in pieces}
                joined = "\n".join(
                    f"{p.label}: {p.text}" if p.label and len(labels) > 1 else p.text
                    for p in pieces)
                setattr(target, name, Field(text=joined, provenance=pieces[0].provenance,
                                            label=pieces[0].label))
        return target

