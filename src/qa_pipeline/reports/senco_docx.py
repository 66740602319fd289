"""The SENCo's feedback on their own plan as a Word document.

``OUT/reports/senco/<plan_id>.docx``: the school's name, the opening, what the plan does
well, the (up to three) things to strengthen, the suggested rewrites side by side with
the school's own words (the parts to fill in highlighted), and the closing. It is built
from that one school's result only, with every pupil's name removed; no levels or
scores tables, since the feedback is a supportive peer review.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.blkcntnr import BlockItemContainer
from docx.document import Document as DocumentObject
from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from qa_pipeline.reports.labels import FIELD_LABELS, school_name
from qa_pipeline.reports.redaction import redact_result
from qa_pipeline.reports.rendering import placeholder_spans, write_bytes

DOCUMENT_TITLE = "Feedback on your SEND action plan"
STRENGTHS_HEADING = "What the plan does well"
REWRITES_HEADING = "Suggested rewrites"
_COUNT_WORDS = ("No things", "One thing", "Two things", "Three things", "Four things",
                "Five things")
GREY = RGBColor(0x5B, 0x66, 0x70)
# python-docx finds a style given by name by scanning every style (about 1.5 ms a
# paragraph); the built-in template's ids are looked up once and set directly.
_STYLE_NAMES = ("Title", "Heading 1", "Heading 2", "List Bullet", "List Number")


def _style_ids(doc: DocumentObject) -> dict[str, str]:
    return {name: str(doc.styles[name].style_id) for name in _STYLE_NAMES}


def _paragraph(container: BlockItemContainer, style_id: str, text: str = "") -> Paragraph:
    paragraph = container.add_paragraph(text)
    paragraph._p.style = style_id  # what ``paragraph.style = name`` sets, without the scan
    return paragraph


def priorities_heading(count: int) -> str:
    """"Three things to strengthen" (or one, two ... as many as there are)."""
    words = _COUNT_WORDS[count] if count < len(_COUNT_WORDS) else f"{count} things"
    return f"{words} to strengthen"


def _text_with_placeholders(paragraph: Paragraph, text: str) -> None:
    """Add the text, each placeholder bold and highlighted so the school sees what to fill."""
    for piece, is_placeholder in placeholder_spans(text):
        run = paragraph.add_run(piece)
        if is_placeholder:
            run.bold = True
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _cell_text(cell: _Cell, label: str, text: str | None) -> None:
    first = cell.paragraphs[0]
    first.add_run(label).bold = True
    if not text:
        run = cell.add_paragraph().add_run("(not given)")
        run.italic = True
        run.font.color.rgb = GREY
        return
    for line in text.split("\n"):
        _text_with_placeholders(cell.add_paragraph(), line)


def _rewrite(doc: DocumentObject, item: dict[str, Any], styles: dict[str, str]) -> None:
    _paragraph(doc, styles["Heading 2"], str(item.get("target_label") or "A target"))
    original = item.get("original") or {}
    suggested = item.get("suggested") or {}
    names = [n for n in FIELD_LABELS
             if suggested.get(n) and suggested.get(n) != original.get(n)]
    if not names:
        names = [n for n in FIELD_LABELS if original.get(n) or suggested.get(n)]
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    head = table.rows[0].cells
    head[0].paragraphs[0].add_run("What your plan says").bold = True
    head[1].paragraphs[0].add_run("A possible rewrite").bold = True
    for name in names:
        cells = table.add_row().cells
        _cell_text(cells[0], FIELD_LABELS[name], original.get(name))
        _cell_text(cells[1], FIELD_LABELS[name], suggested.get(name))
    doc.add_paragraph()


def build_senco_document(result: dict[str, Any]) -> DocumentObject:
    """The feedback document for one school's plan (redacted here)."""
    r = redact_result(result)
    fb = r.get("feedback") or {}
    school = school_name(r) or "your school"
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    props = doc.core_properties
    props.title = f"{DOCUMENT_TITLE}: {school}"
    props.subject = "SEND action plan feedback"
    props.author = "SEND action plan quality assurance"
    props.last_modified_by = props.author
    props.comments = ""
    props.keywords = ""
    styles = _style_ids(doc)

    _paragraph(doc, styles["Title"], school)
    subtitle = doc.add_paragraph()
    subtitle.add_run(DOCUMENT_TITLE).bold = True
    date = (r.get("header") or {}).get("date_text")
    if date:
        subtitle.add_run(f" (plan dated {date})")

    if fb.get("opening"):
        doc.add_paragraph(str(fb["opening"]))

    _paragraph(doc, styles["Heading 1"], STRENGTHS_HEADING)
    strengths = fb.get("strengths") or []
    for s in strengths:
        _paragraph(doc, styles["List Bullet"], str(s.get("text") or ""))
    if not strengths:
        doc.add_paragraph("We will talk through the plan's strengths with you at the visit.")

    priorities = fb.get("priorities") or []
    _paragraph(doc, styles["Heading 1"], priorities_heading(len(priorities)))
    for p in priorities:
        _text_with_placeholders(_paragraph(doc, styles["List Number"]), str(p.get("text") or ""))
    if not priorities:
        doc.add_paragraph("Nothing stands out as needing to change: the targets are clear, "
                          "measurable and tied to your self-evaluation.")

    rewrites = fb.get("rewrites") or []
    if rewrites:
        _paragraph(doc, styles["Heading 1"], REWRITES_HEADING)
        intro = doc.add_paragraph("Each rewrite keeps your words and marks what to add ")
        marker = intro.add_run("[like this]")
        marker.bold = True
        marker.font.highlight_color = WD_COLOR_INDEX.YELLOW
        intro.add_run(": fill these in with your own figures and dates, or adapt them to fit.")
        for item in rewrites:
            _rewrite(doc, item, styles)

    if fb.get("closing"):
        doc.add_paragraph(str(fb["closing"]))
    return doc


def senco_path(out_dir: Path, plan_id: str) -> Path:
    return out_dir / "reports" / "senco" / f"{plan_id}.docx"


def write_senco_docx(out_dir: Path, result: dict[str, Any]) -> Path:
    """Write ``OUT/reports/senco/<plan_id>.docx`` for an ok plan and return its path."""
    if result.get("status") != "ok":
        raise ValueError(f"plan {result.get('plan_id')} was rejected: it has no feedback")
    buffer = io.BytesIO()
    build_senco_document(result).save(buffer)
    return write_bytes(senco_path(out_dir, str(result["plan_id"])), buffer.getvalue())
