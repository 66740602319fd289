"""Targets from paragraphs: headings, bullets, run-in labels and narrative.

A target starts at a title ("Priority 2: Pupil voice", "Target 1 - ...", "Objective 1a")
or a heading; a heading followed straight away by titles is a section (the area). Within a
target, a label alone on its line ("How we will do it") opens a field that the following
paragraphs fill; a run-in label ("Lead: Mrs Patel", "By when? Spring 2", "Lead – SENCo")
gives a value in place; bullets are actions; prose straight after the title is narrative
that describes the actions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa_pipeline.extract.drafts import TargetDraft
from qa_pipeline.extract.labels import IGNORE, Vocabulary
from qa_pipeline.extract.values import strip_numbering
from qa_pipeline.models import Field, Paragraph

TITLE_RE = re.compile(
    r"^\s*(priority|target|objective|focus area|focus|area|aim|goal|strand|theme|section|"
    r"outcome|action area|development area|key area)\s*(?:no\.?\s*)?(\d+[a-z]?)"
    r"(?:\s*of\s*\d+)?\s*(?:[:.\-–—)]\s*|\s+|$)(.*)$",
    re.IGNORECASE,
)
NUMBERED_RE = re.compile(r"^\s*(\d{1,2})[.)]\s+(\D.*)$")
RUN_IN_SEPARATORS = (":", " – ", " - ", " — ", "?")
MAX_LABEL_WORDS = 8


@dataclass
class Title:
    kind: str | None  # "priority", "target"... None for a numbered heading
    rest: str


def parse_title(text: str) -> Title | None:
    m = TITLE_RE.match(text)
    if m:
        return Title(kind=" ".join(m.group(1).lower().split()), rest=m.group(3).strip())
    return None


@dataclass
class RunIn:
    field: str
    label: str
    value: str


def parse_run_in(text: str, vocab: Vocabulary) -> RunIn | None:
    """'Lead: Mrs Patel' -> (lead, 'Mrs Patel'); a label-like head that is no field gives
    field '' (it closes the field before it, e.g. 'Signed:' or 'Agreed by:')."""
    best: tuple[int, str, str] | None = None
    for sep in RUN_IN_SEPARATORS:
        i = text.find(sep)
        if i > 0 and (best is None or i < best[0]):
            best = (i, sep, text[:i])
    if best is None:
        return None
    i, sep, head = best
    head = head.strip()
    if not head or len(head.split()) > MAX_LABEL_WORDS or not head[:1].isalpha():
        return None
    value = text[i + len(sep):].strip()
    m = vocab.target.match(head, 3 if sep == ":" else 1)
    if m is None or m.field == IGNORE:
        if sep == ":" and head[:1].isupper() and len(head.split()) <= 4:
            return RunIn(field="", label=head, value=value)
        return None
    return RunIn(field=m.field, label=head, value=value)


def _label_alone(text: str, vocab: Vocabulary) -> str | None:
    """A paragraph that is only a label ('What we want to achieve', 'Actions:')."""
    stripped = text.strip().rstrip(":?").strip()
    if not stripped or len(stripped.split()) > MAX_LABEL_WORDS:
        return None
    m = vocab.target.match(stripped, 0)
    return m.field if m is not None and m.field != IGNORE else None


class TextTargets:
    """Reads targets from a run of paragraphs, one paragraph at a time."""

    def __init__(self, vocab: Vocabulary, reflowed: bool) -> None:
        self.vocab = vocab
        self.reflowed = reflowed
        self.drafts: list[TargetDraft] = []
        self.current: TargetDraft | None = None
        self.open_field: str | None = None  # a label alone on its line opened this field
        self.section: Field | None = None
        self.pending_heading: Paragraph | None = None  # a heading that may be a section
        self.found_text_targets = False
        self._from_tables: set[int] = set()

    # the plan reader calls these -------------------------------------------------------

    def paragraph(self, p: Paragraph) -> None:
        text = p.text.strip()
        title = parse_title(text)
        if title is not None and (p.is_heading or title.rest or _looks_like_title(p)):
            self._promote_pending_to_section()
            self._start(p, title)
            return
        label_field = _label_alone(text, self.vocab)
        if label_field is not None and self.current is not None:
            self.open_field = label_field
            return
        if p.is_heading and not p.is_list_item:
            self._heading(p)
            return
        run_in = parse_run_in(text, self.vocab)
        if run_in is not None and self.current is not None:
            self._run_in(run_in, p)
            return
        self._body(p)

    def take_title(self) -> tuple[Field | None, str | None, Field | None]:
        """A table follows: it is the body of the target the last title started."""
        draft = self.current
        if draft is not None and not draft.is_substantial():
            self.drafts.remove(draft)
            self.current = None
            return draft.title, draft.title_kind, draft.section_area
        if self.pending_heading is not None:
            p = self.pending_heading
            self.pending_heading = None
            return Field(text=strip_numbering(p.text), provenance=p.provenance), None, \
                self.section
        return None, None, self.section

    def has_targets(self) -> bool:
        """Has a target been read yet (a table's, or one with labelled fields)?"""
        return any(id(d) in self._from_tables or d.labelled for d in self.drafts)

    def add_table_drafts(self, drafts: list[TargetDraft]) -> None:
        """Targets read from a table, kept in document order with the text's own."""
        self.drafts.extend(drafts)
        self._from_tables.update(id(d) for d in drafts)
        self.current = None
        self.open_field = None

    def finish(self) -> list[TargetDraft]:
        self.current = None
        kept = [d for d in self.drafts if id(d) in self._from_tables or _is_target(d)]
        self.found_text_targets = any(id(d) not in self._from_tables for d in kept)
        return kept

    # internals ---------------------------------------------------------------------

    def _start(self, p: Paragraph, title: Title) -> None:
        draft = TargetDraft(reflowed=self.reflowed, title_kind=title.kind,
                            section_area=self.section)
        if title.rest:
            draft.title = Field(text=title.rest, provenance=p.provenance, label=title.kind)
        self.drafts.append(draft)
        self.current = draft
        self.open_field = None

    def _heading(self, p: Paragraph) -> None:
        """A heading that is not a numbered title: a section or an untitled target."""
        if self.current is not None and not self.current.is_substantial():
            # two headings in a row: the first was a title line, not a target
            self.drafts.remove(self.current)
            self.current = None
        self.pending_heading = None
        numbered = NUMBERED_RE.match(p.text)
        if numbered is None and p.heading_level is not None and p.heading_level <= 0:
            return  # the document title
        self.pending_heading = p
        draft = TargetDraft(reflowed=self.reflowed, section_area=self.section)
        draft.title = Field(text=strip_numbering(p.text), provenance=p.provenance)
        self.drafts.append(draft)
        self.current = draft
        self.open_field = None

    def _promote_pending_to_section(self) -> None:
        """A heading followed by a title (not by content) names the section."""
        p = self.pending_heading
        self.pending_heading = None
        if p is None or self.current is None:
            return
        if self.current.title is not None and self.current.title.provenance == p.provenance \
                and not self.current.is_substantial():
            self.drafts.remove(self.current)
            self.section = Field(text=strip_numbering(p.text), provenance=p.provenance)
            self.current = None

    def _run_in(self, run_in: RunIn, p: Paragraph) -> None:
        assert self.current is not None
        self.pending_heading = None
        if not run_in.field:
            self.open_field = None
            return
        if run_in.value:
            self.current.add(run_in.field, run_in.value, p.provenance, label=run_in.label)
            self.open_field = None
        else:
            self.open_field = run_in.field
            self.current.labelled.add(run_in.field)

    def _body(self, p: Paragraph) -> None:
        draft = self.current
        if draft is None:
            return
        self.pending_heading = None
        if self.open_field is not None:
            draft.append_to(self.open_field, p.text, p.provenance)
        elif p.is_list_item or not draft.labelled:
            draft.add_actions(p.text, p.provenance)


def _looks_like_title(p: Paragraph) -> bool:
    return len(p.text.split()) <= 14


def _is_target(d: TargetDraft) -> bool:
    if d.labelled - {"actions"}:
        return True
    return bool(d.actions) and d.title is not None and d.title_kind is not None
