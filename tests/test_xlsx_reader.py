"""The Excel reader on workbooks built in the test: merges, dates, sheets, provenance."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from qa_pipeline.readers import read_document


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
