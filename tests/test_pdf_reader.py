"""The PDF reader on PDFs drawn in the test with fpdf2 (tables over pages, text, scans) and
written by hand (a page that unpacks to a flood)."""

from __future__ import annotations

import sys
from pathlib import Path

import pdfplumber
import pytest
from fpdf import FPDF
from PIL import Image

from qa_pipeline.errors import EncryptedFile, ScannedPdf, TooLarge
from qa_pipeline.models import Paragraph, Table
from qa_pipeline.readers import read_document
from qa_pipeline.readers.pdf_guard import MAX_PAGE_CONTENT_BYTES, page_content_size
from qa_pipeline.readers.pdf_reader import read_pdf
from tests.conftest import FIXTURES

sys.path.insert(0, str(FIXTURES))
from build_fixtures import FLOOD_TEXT, one_page_pdf

HEADER = ("Objective", "Actions", "Lead", "By when")


def _table_pdf(path: Path, rows: int) -> None:
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_font("Helvetica", size=10)
    pdf.add_page()
    pdf.cell(0, 8, "Test Primary School - SEND Action Plan", new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=(70, 90, 40, 40), repeat_headings=1) as table:
        table.row(HEADER)
        for i in range(rows):
            table.row((f"Objective number {i}", f"- Action {i}a\n- Action {i}b",
                       "SENCo", "Spring 2"))
    pdf.output(str(path))


def test_table_running_over_pages_is_joined_and_repeated_header_dropped(tmp_path: Path) -> None:
    path = tmp_path / "wide.pdf"
    _table_pdf(path, rows=14)
    doc = read_document(path)
    assert doc.pages is not None and doc.pages >= 2
    tables = doc.tables()
    assert len(tables) == 1
    table = tables[0]
    assert isinstance(table, Table)
    assert [c.text for c in table.rows[0]] == list(HEADER)
    objectives = [r[0].text for r in table.rows[1:]]
    assert objectives == [f"Objective number {i}" for i in range(14)]
    assert table.page_starts, "the continuation page is recorded"


def test_text_lines_become_paragraphs_with_bullets_and_headings(tmp_path: Path) -> None:
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 10, "Priority 1: Working with families", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(60, 5, "Intended outcome: parents help plan and review their child's "
                          "support three times a year.", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, "- Termly meetings", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, "- Parent survey", new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "text.pdf"
    pdf.output(str(path))
    paras = [b for b in read_document(path).blocks if isinstance(b, Paragraph)]
    texts = [p.text for p in paras]
    assert texts[0] == "Priority 1: Working with families"
    assert paras[0].heading_level == 1
    assert texts[1].startswith("Intended outcome: parents help plan") and texts[1].endswith(
        "three times a year.")
    assert texts[2:] == ["Termly meetings", "Parent survey"]
    assert [p.list_level for p in paras[2:]] == [0, 0]


def test_pdf_without_text_layer_is_scanned(tmp_path: Path) -> None:
    img = tmp_path / "scan.png"
    Image.new("RGB", (200, 100), "white").save(img)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(img), x=10, y=10, w=100)
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(ScannedPdf, match="no text layer"):
        read_document(path)


def test_password_protected_pdf_is_encrypted(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 10, "secret plan")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    with pytest.raises(EncryptedFile, match="password"):
        read_document(path)


def test_two_text_columns_are_read_left_then_right(tmp_path: Path) -> None:
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    left = [f"Left column line {i} about the first priority." for i in range(8)]
    right = [f"Right column line {i} about the second." for i in range(8)]
    for i, (a, b) in enumerate(zip(left, right, strict=True)):
        pdf.text(12, 30 + i * 12, a)
        pdf.text(112, 30 + i * 12, b)
    path = tmp_path / "columns.pdf"
    pdf.output(str(path))
    texts = [p.text for p in read_document(path).paragraphs()]
    assert texts == [*left, *right]


def test_page_that_unpacks_to_a_flood_is_refused_before_parsing(tmp_path: Path) -> None:
    small = tmp_path / "small.pdf"
    small.write_bytes(one_page_pdf(FLOOD_TEXT))
    with pdfplumber.open(str(small)) as pdf:
        assert page_content_size(pdf.pages[0]) == len(FLOOD_TEXT)
    assert "SEND Action Plan" in read_pdf(small).blocks[0].text

    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(one_page_pdf(FLOOD_TEXT + b" " * (MAX_PAGE_CONTENT_BYTES + (1 << 20))))
    assert bomb.stat().st_size < 200_000
    with pytest.raises(TooLarge, match=r"Page 1 of 'bomb\.pdf' unpacks to more than"):
        read_pdf(bomb)
