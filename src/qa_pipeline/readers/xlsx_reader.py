"""Read an Excel plan: each sheet's used range as a table, merged cells resolved.

Title blocks, header key-value rows and the plan grid all sit in one sheet grid; the
extraction stage tells them apart. Empty sheets are skipped; every cell keeps its sheet,
row and column for provenance. Dates are written day first, as a school would.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from qa_pipeline.errors import CorruptFile, TooLarge
from qa_pipeline.models import Block, Cell, Document, Provenance, Table

MAX_CELLS = 200_000


def read_xlsx(path: Path) -> Document:
    try:
        wb = openpyxl.load_workbook(str(path), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise CorruptFile(f"'{path.name}' could not be opened as an Excel workbook ({exc}). "
                          "Please save it again as .xlsx and resend it.") from exc
    blocks: list[Block] = []
    try:
        for ws in wb.worksheets:
            table = _sheet_table(ws, len(blocks))
            if table is not None:
                blocks.append(table)
    finally:
        wb.close()
    return Document(source=path.name, format="xlsx", blocks=blocks)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y") if value.time() == dt.time() else str(value)
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    lines = [" ".join(line.split()) for line in str(value).replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def _valued_extent(ws: Any) -> tuple[int, int]:
    """The last row and column holding a value (borders or fills on empty cells further
    out, as when a whole block is formatted, do not count)."""
    last_row = last_col = 0
    for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
        for c, value in enumerate(row, start=1):
            if value is not None and str(value).strip():
                last_row, last_col = r, max(last_col, c)
    return last_row, last_col


def _sheet_table(ws: Any, index: int) -> Table | None:
    max_row, max_col = ws.max_row or 0, ws.max_column or 0
    if max_row * max_col > MAX_CELLS:
        max_row, max_col = _valued_extent(ws)
        if max_row * max_col > MAX_CELLS:
            raise TooLarge(f"Sheet '{ws.title}' has text in {max_row} rows x {max_col} "
                           "columns, far more than an action plan. Send the plan's sheets "
                           "only.")
    values = [[_text(v) for v in row]
              for row in ws.iter_rows(max_row=max(max_row, 1), max_col=max(max_col, 1),
                                      values_only=True)]
    if not any(any(row) for row in values):
        return None
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    origin[(r - 1, c - 1)] = (rng.min_row - 1, rng.min_col - 1)
    # keep Excel's own row and column positions (for provenance); trim only the empty tail
    n_rows = max(r for r, row in enumerate(values) if any(row)) + 1
    n_cols = max(c for row in values for c, v in enumerate(row) if v) + 1
    grid: list[list[Cell]] = []
    for r in range(n_rows):
        row: list[Cell] = []
        for c in range(n_cols):
            src = origin.get((r, c))
            text = values[src[0]][src[1]] if src else (values[r][c] if c < len(values[r]) else "")
            row.append(Cell(text=text, row=r, col=c, merged_copy=src is not None))
        grid.append(row)
    return Table(rows=grid, provenance=Provenance(block=index, table=index, sheet=ws.title))
