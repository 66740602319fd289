"""A local authority's schools as a CSV and an XLSX workbook.

One row per school: school, URN, overall rating, quality, gap coverage, gaps, unaddressed
gaps and the baseline rating of each framework area. The workbook adds a second sheet
with the areas down the side and the schools across. Text that a spreadsheet would run
as a formula (``=``, ``+``, ``-``, ``@``) is kept as text.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from qa_pipeline.reports.locality_charts import heat_colour
from qa_pipeline.reports.rendering import write_bytes

if TYPE_CHECKING:
    from pathlib import Path

    from qa_pipeline.reports.locality import Locality, SchoolRow

SCHOOLS_SHEET = "Schools"
AREAS_SHEET = "Area ratings"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _names(locality: Locality, ids: list[str]) -> str:
    names = dict(locality.areas)
    return "; ".join(names.get(a, a) for a in ids)


def headers(locality: Locality) -> list[str]:
    return ["School", "URN", "Overall", "Quality", "Gap coverage (%)", "Gaps",
            "Unaddressed gaps", *(f"{name} (baseline)" for _, name in locality.areas)]


def school_values(locality: Locality, s: SchoolRow) -> list[Any]:
    coverage = None if s.coverage is None else round(s.coverage * 100)
    return [s.school, s.urn, s.overall_label if s.overall else None, s.quality, coverage,
            _names(locality, s.gaps), _names(locality, s.unaddressed),
            *(s.ratings.get(a) for a, _ in locality.areas)]


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_bytes(locality: Locality) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers(locality))
    for s in locality.schools:
        writer.writerow([_csv_cell(v) for v in school_values(locality, s)])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets Excel read accents


def write_csv(path: Path, locality: Locality) -> Path:
    return write_bytes(path, csv_bytes(locality))


def _put(sheet: Any, row: int, column: int, value: Any) -> Any:
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the school wrote
    return cell


def _header_row(sheet: Any, values: list[str]) -> None:
    for column, value in enumerate(values, start=1):
        cell = _put(sheet, 1, column, value)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"


def _widths(sheet: Any, widths: list[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def xlsx_bytes(locality: Locality) -> bytes:
    book = Workbook()
    schools = book.active
    schools.title = SCHOOLS_SHEET
    _header_row(schools, headers(locality))
    for r, s in enumerate(locality.schools, start=2):
        for c, value in enumerate(school_values(locality, s), start=1):
            cell = _put(schools, r, c, value)
            if c == 5 and value is not None:
                cell.value = value / 100
                cell.number_format = "0%"
            elif c == 4 or c > 7:
                cell.number_format = "0.00"
    _widths(schools, [34, 10, 14, 9, 11, 40, 30, *([16] * len(locality.areas))])

    areas = book.create_sheet(AREAS_SHEET)
    _header_row(areas, ["Area", *(s.school for s in locality.schools)])
    for r, (area_id, name) in enumerate(locality.areas, start=2):
        _put(areas, r, 1, name)
        for c, s in enumerate(locality.schools, start=2):
            value = s.ratings.get(area_id)
            cell = _put(areas, r, c, value)
            cell.number_format = "0.00"
            if value is not None:
                colour = heat_colour(value).lstrip("#").upper()
                cell.fill = PatternFill("solid", start_color=colour, end_color=colour)
    _widths(areas, [40, *([18] * len(locality.schools))])

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_xlsx(path: Path, locality: Locality) -> Path:
    return write_bytes(path, xlsx_bytes(locality))
