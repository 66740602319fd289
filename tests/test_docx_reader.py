"""The Word reader on tiny documents built in the test: order, merges, nesting, lists,
content controls and tracked changes."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from qa_pipeline.models import Paragraph, Table
from qa_pipeline.readers import read_document


def _save(d: docx.document.Document, tmp_path: Path, name: str = "plan.docx") -> Path:
    path = tmp_path / name
    d.save(str(path))
    return path


def test_paragraphs_and_tables_keep_document_order(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_heading("Priority 1", level=2)
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Objective:", "Pupils read more"
    t.cell(1, 0).text, t.cell(1, 1).text = "Lead:", "SENCo"
    d.add_paragraph("Signed by the head")
    doc = read_document(_save(d, tmp_path))
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Table", "Paragraph"]
    heading = doc.blocks[0]
    assert isinstance(heading, Paragraph) and heading.heading_level == 2
    table = doc.blocks[1]
    assert isinstance(table, Table)
    assert table.texts() == [["Objective:", "Pupils read more"], ["Lead:", "SENCo"]]
    assert table.cell_provenance(1, 1).describe() == "table 1, row 2, column 2"


def test_vertically_merged_area_cell_is_repeated_and_flagged(tmp_path: Path) -> None:
    d = docx.Document()
    t = d.add_table(rows=3, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Area", "Objective"
    t.cell(1, 0).merge(t.cell(2, 0)).text = "Parents"
    t.cell(1, 1).text, t.cell(2, 1).text = "First", "Second"
    table = read_document(_save(d, tmp_path)).tables()[0]
    assert [r[0].text for r in table.rows] == ["Area", "Parents", "Parents"]
    assert [r[0].merged_copy for r in table.rows] == [False, False, True]


def test_horizontally_merged_title_row_is_flagged(tmp_path: Path) -> None:
    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "PRIORITY 1"
    t.cell(1, 0).text, t.cell(1, 1).text = "Target:", "x"
    table = read_document(_save(d, tmp_path)).tables()[0]
    assert [c.text for c in table.rows[0]] == ["PRIORITY 1", "PRIORITY 1"]
    assert [c.merged_copy for c in table.rows[0]] == [False, True]


def test_lines_bullets_and_nested_tables_inside_a_cell(tmp_path: Path) -> None:
    d = docx.Document()
    t = d.add_table(rows=1, cols=2)
    cell = t.cell(0, 0)
    cell.text = "First line"
    cell.add_paragraph("Bulleted action", style="List Bullet")
    nested = t.cell(0, 1).add_table(rows=2, cols=2)
    nested.cell(0, 0).text, nested.cell(0, 1).text = "Audit", "Sept"
    nested.cell(1, 0).text, nested.cell(1, 1).text = "Train TAs", "Oct"
    table = read_document(_save(d, tmp_path)).tables()[0]
    assert table.rows[0][0].lines == ["First line", "• Bulleted action"]
    assert table.rows[0][1].lines == ["• Audit – Sept", "• Train TAs – Oct"]


def test_list_paragraphs_carry_their_level(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("Update the register", style="List Bullet")
    d.add_paragraph("Sub point", style="List Bullet 2")
    d.add_paragraph("Plain text")
    paras = read_document(_save(d, tmp_path)).paragraphs()
    assert [p.list_level for p in paras] == [0, 1, None]


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
REVISION = 'w:author="Peer coach" w:date="2026-10-01T09:00:00Z"'


def _control(*children: object) -> object:
    """A content control (w:sdt) holding the given elements, as templates use them."""
    sdt = parse_xml(f"<w:sdt {W}><w:sdtPr><w:alias w:val='Answer'/></w:sdtPr>"
                    "<w:sdtContent/></w:sdt>")
    content = sdt.find(qn("w:sdtContent"))
    for child in children:
        content.append(child)
    return sdt


def _run(text: str, deleted: bool = False) -> object:
    tag = "w:delText" if deleted else "w:t"
    return parse_xml(f'<w:r {W}><{tag} xml:space="preserve">{text}</{tag}></w:r>')


def test_template_content_controls_and_tracked_changes_read_as_word_shows_them(
        tmp_path: Path) -> None:
    d = docx.Document()
    section = d.add_paragraph("Priority 1: Early identification")
    d.element.body.remove(section._p)
    d.element.body.insert(0, _control(section._p))  # a whole section in a control

    t = d.add_table(rows=4, cols=2)
    for r, label in enumerate(("Objective", "Lead", "Deadline", "Resources")):
        t.cell(r, 0).text = label
    # the answer in a control inside the cell
    objective = t.cell(0, 1).paragraphs[0]._p
    objective.append(_control(_run("Screen every Year 1 pupil for SLCN")))
    # a coach's tracked change: one lead deleted, another inserted
    lead = t.cell(1, 1).paragraphs[0]._p
    lead.append(_run("SENCo"))
    lead.append(parse_xml(f'<w:del {W} w:id="1" {REVISION}>{_xml(_run(" and deputy", True))}'
                          "</w:del>"))
    lead.append(parse_xml(f'<w:ins {W} w:id="2" {REVISION}>{_xml(_run(" and EYFS lead"))}'
                          "</w:ins>"))
    t.cell(2, 1).text = "Autumn 2"
    # a repeating-section control around a row, and a row deleted with changes tracked
    rows = t._tbl.tr_lst
    t._tbl.remove(rows[2])
    t._tbl.insert(t._tbl.index(rows[1]) + 1, _control(rows[2]))
    rows[3].get_or_add_trPr().append(parse_xml(f'<w:del {W} w:id="3" {REVISION}/>'))

    doc = read_document(_save(d, tmp_path))
    heading, table = doc.blocks
    assert isinstance(heading, Paragraph) and heading.text == "Priority 1: Early identification"
    assert isinstance(table, Table)
    assert table.texts() == [["Objective", "Screen every Year 1 pupil for SLCN"],
                             ["Lead", "SENCo and EYFS lead"],
                             ["Deadline", "Autumn 2"]]


def _xml(element: object) -> str:
    from lxml import etree

    text = etree.tostring(element, encoding="unicode")
    return text.replace(f" {W}", "")
