"""The Excel reader on workbooks built in the test: merges, dates, sheets, provenance."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import PatternFill

from qa_pipeline.errors import TooLarge
from qa_pipeline.readers import read_document, xlsx_reader


def test_sheets_merged_cells_and_dates(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws["A1"] = "Oak Primary - SEND Action Plan"
    ws.merge_cells("A1:C1")
    ws.append(["Area", "Objective", "Deadline"])
    ws.append(["Parents", "Termly meetings", dt.datetime(2027, 3, 26)])
    ws.append([None, "Local Offer on website", 45000.0])
    ws.merge_cells("A3:A4")
    notes = wb.create_sheet("Notes")
    notes["A1"] = "Coach visit 1: good start"
    wb.create_sheet("Empty")
    path = tmp_path / "plan.xlsx"
    wb.save(path)

    doc = read_document(path)
    assert [t.provenance.sheet for t in doc.tables()] == ["Plan", "Notes"]
    plan = doc.tables()[0]
    assert plan.rows[0][1].text == "Oak Primary - SEND Action Plan"
    assert plan.rows[0][1].merged_copy
    assert plan.rows[2][2].text == "26/03/2027"
    assert plan.rows[3][0].text == "Parents" and plan.rows[3][0].merged_copy
    assert plan.rows[3][2].text == "45000"
    assert plan.cell_provenance(3, 1).describe() == "sheet 'Plan', table 1, row 4, column 2"


def test_formatted_empty_cells_do_not_make_a_sheet_too_large(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_reader, "MAX_CELLS", 1_000)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Objective", "Lead", "By when"])
    ws.append(["Screen every Year 1 pupil for SLCN", "SENCo", "Autumn 2"])
    grey = PatternFill("solid", fgColor="DDDDDD")
    for row in ws.iter_rows(min_row=1, max_row=200, max_col=20):  # a formatted block
        for cell in row:
            cell.fill = grey
    path = tmp_path / "formatted.xlsx"
    wb.save(path)
    table = read_document(path).blocks[0]
    assert len(table.rows) == 2 and len(table.rows[0]) == 3
    assert table.rows[1][2].text == "Autumn 2"

    for r in range(3, 60):  # but text in 57 more rows x 20 columns is too much
        for c in range(1, 21):
            ws.cell(row=r, column=c, value=f"note {r}.{c}")
    wb.save(path)
    with pytest.raises(TooLarge, match="has text in 59 rows x 20 columns"):
        read_document(path)
