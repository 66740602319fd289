"""Extraction on tiny documents made of the model's own blocks: exact expectations."""

from __future__ import annotations

from qa_pipeline.extract import extract_plan
from qa_pipeline.models import Cell, Document, Paragraph, Provenance, Table


def _table(rows: list[list[str]], page_starts: list[int] | None = None,
           copies: set[tuple[int, int]] | None = None) -> Table:
    copies = copies or set()
    grid = [[Cell(text=t, row=r, col=c, merged_copy=(r, c) in copies)
             for c, t in enumerate(row)] for r, row in enumerate(rows)]
    return Table(rows=grid, provenance=Provenance(block=0, table=0),
                 page_starts=page_starts or [])


def _para(text: str, i: int, heading: int | None = None, item: bool = False) -> Paragraph:
    return Paragraph(text=text, provenance=Provenance(block=i), heading_level=heading,
                     list_level=0 if item else None)


def _doc(*blocks: Paragraph | Table, fmt: str = "docx") -> Document:
    return Document(source="t.docx", format=fmt, blocks=list(blocks))  # type: ignore[arg-type]


HEADER = ["Ref", "Objective", "Actions", "Who", "By when", "How will we know it has worked?",
          "How will we know?"]


def test_wide_table_with_section_rows_and_a_repeated_header() -> None:
    table = _table([
        HEADER,
        ["Area 1: Working with families"] * 7,
        ["1.1", "Parents help plan support", "• Termly meetings\n• Survey", "SENCo",
         "Spring 2", "90% attend (baseline 48%)", "SENCo log each term"],
        HEADER,
        ["1.2", "Families know the Local Offer", "Leaflet", "Office", "Autumn 2", "", ""],
    ], copies={(1, c) for c in range(1, 7)})
    targets = extract_plan(_doc(table)).targets
    assert [t.text_of("objective") for t in targets] == ["Parents help plan support",
                                                         "Families know the Local Offer"]
    first = targets[0]
    assert first.text_of("area_text") == "Working with families"
    assert [a.text for a in first.actions] == ["Termly meetings", "Survey"]
    assert first.text_of("success_criteria") == "90% attend (baseline 48%)"
    assert first.text_of("monitoring") == "SENCo log each term"
    assert first.success_criteria is not None
    assert first.success_criteria.provenance.describe() == "table 1, row 3, column 6"
    assert targets[1].text_of("area_text") == "Working with families"


def test_row_split_over_a_page_break_continues_the_target() -> None:
    table = _table([
        ["Area", "Objective", "Actions", "Lead", "Progress"],
        ["Outcomes", "Attendance gap closes", "• Weekly tracking\n• Early help for", "AHT",
         "Amber"],
        ["", "", "pupils below 90%\n• Reward scheme", "", "on track"],
    ], page_starts=[2])
    (target,) = extract_plan(_doc(table, fmt="pdf")).targets
    assert [a.text for a in target.actions] == ["Weekly tracking",
                                                "Early help for pupils below 90%",
                                                "Reward scheme"]
    assert target.text_of("progress") == "Amber on track"


def test_priority_title_names_the_area_when_the_target_has_an_aim() -> None:
    doc = _doc(_para("Priority 1: SEN register", 0, heading=2),
               _para("Aim: Keep the register current", 1),
               _para("Update it each term", 2, item=True),
               _para("Lead: SENCo", 3),
               _para("Priority 2: Training", 4, heading=2),
               _para("Autism training", 5, item=True),
               _para("When: Spring term", 6))
    first, second = extract_plan(doc).targets
    assert (first.text_of("area_text"), first.text_of("objective")) == (
        "SEN register", "Keep the register current")
    assert [a.text for a in first.actions] == ["Update it each term"]
    assert first.text_of("lead") == "SENCo"
    assert (second.text_of("area_text"), second.text_of("objective")) == ("Training", None)


def test_target_title_is_the_objective_when_no_target_states_one() -> None:
    doc = _doc(_para("Target 1: Develop student voice", 0, heading=2),
               _para("Student questionnaire", 1, item=True),
               _para("Lead – Head of Year 7", 2),
               _para("Timescale – Sept – March", 3))
    (target,) = extract_plan(doc).targets
    assert target.text_of("objective") == "Develop student voice"
    assert target.text_of("area_text") is None
    assert target.text_of("lead") == "Head of Year 7"
    assert target.text_of("deadline_text") == "Sept – March"


def test_narrative_paragraphs_after_a_title_are_the_actions() -> None:
    doc = _doc(_para("Priority 3: Pupil voice", 0, heading=1),
               _para("Pupils will have a say in their plans.", 1),
               _para("We will start a pupil forum.", 2),
               _para("Who: Class teachers", 3),
               _para("Agreed by: the head", 4),
               _para("A closing remark that belongs to nobody.", 5))
    (target,) = extract_plan(doc).targets
    assert target.text_of("objective") == "Pupil voice"
    assert [a.text for a in target.actions] == ["Pupils will have a say in their plans.",
                                                "We will start a pupil forum."]
    assert target.text_of("lead") == "Class teachers"


def test_sections_named_by_a_heading_above_numbered_objectives() -> None:
    doc = _doc(_para("1. Working with parents and carers", 0, heading=1),
               _para("Objective 1a", 1, heading=2),
               _para("What we want to achieve", 2),
               _para("Parents help review support", 3),
               _para("Update (Feb 2027): Round 1 done", 4))
    (target,) = extract_plan(doc).targets
    assert target.text_of("area_text") == "Working with parents and carers"
    assert target.text_of("objective") == "Parents help review support"
    assert target.text_of("progress") == "Round 1 done"


def test_transposed_table_has_a_target_per_column() -> None:
    table = _table([["", "Priority 1", "Priority 2"],
                    ["Target", "Pupils join clubs", "TAs trained"],
                    ["Steps", "Audit registers", "Twilight sessions"],
                    ["Person responsible", "PE lead", "SENCo"],
                    ["Target date", "July 2027", "Spring 1"]])
    targets = extract_plan(_doc(table)).targets
    assert [(t.text_of("objective"), t.text_of("lead"), t.text_of("deadline_text"))
            for t in targets] == [("Pupils join clubs", "PE lead", "July 2027"),
                                  ("TAs trained", "SENCo", "Spring 1")]
