"""Read a Word plan: paragraphs and tables in document order.

``Document.iter_inner_content()`` keeps tables in their place between paragraphs (plans
live in tables; ``.paragraphs`` alone loses them). Merged cells are resolved to a grid
(python-docx repeats a merged ``w:tc`` in ``row.cells``; repeats are flagged), nested
tables are flattened into their cell's lines, and list paragraphs are marked with a
bullet so that extraction can tell items from wrapped text. Content controls and tracked
changes are undone first (``docx_markup``): Word shows their text, python-docx would not.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from qa_pipeline.errors import CorruptFile
from qa_pipeline.models import Block, Cell, Document, Paragraph, Provenance, Table
from qa_pipeline.readers.docx_markup import unwrap_hidden_text

BULLET = "•"
_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre)\s*(\d)$", re.IGNORECASE)


def read_docx(path: Path) -> Document:
    try:
        word = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
        raise CorruptFile(f"'{path.name}' could not be opened as a Word document ({exc}). "
                          "Please open it in Word, save it as .docx and send it again.") from exc
    except ValueError as exc:  # e.g. a package whose main part is not a document
        raise CorruptFile(f"'{path.name}' is not a usable Word document ({exc}). Please save "
                          "it again as .docx.") from exc
    unwrap_hidden_text(word.element.body)  # content controls, tracked changes
    styles = _StyleNames(word)
    blocks: list[Block] = []
    n_tables = 0
    for item in word.iter_inner_content():
        index = len(blocks)
        if isinstance(item, DocxParagraph):
            para = _paragraph(item, index, styles)
            if para is not None:
                blocks.append(para)
        else:
            blocks.append(_table(item, index, n_tables, styles))
            n_tables += 1
    return Document(source=path.name, format="docx", blocks=blocks)


class _StyleNames:
    """Paragraph style names by id, read once: ``Paragraph.style`` looks the default
    style up by scanning every style, which made reading a plan ten times slower."""

    def __init__(self, word: docx.document.Document) -> None:
        self.names: dict[str, str] = {}
        self.default = ""
        for style in word.styles.element.style_lst:
            name = style.name_val or style.styleId or ""
            if style.styleId:
                self.names[style.styleId] = name
            if style.type == WD_STYLE_TYPE.PARAGRAPH and style.default:
                self.default = name

    def of(self, p: DocxParagraph) -> str:
        style_id = p._p.style
        return self.names.get(style_id, style_id) if style_id else self.default


def _heading_level(p: DocxParagraph, style: str) -> int | None:
    if style.lower() == "title":
        return 0
    m = _HEADING_STYLE.match(style.strip())
    if m:
        return int(m.group(1))
    outline = p._p.pPr.find(docx.oxml.ns.qn("w:outlineLvl")) if p._p.pPr is not None else None
    if outline is not None:
        return int(outline.get(docx.oxml.ns.qn("w:val"), "0")) + 1
    return None


def _list_level(p: DocxParagraph, style: str) -> int | None:
    ppr = p._p.pPr
    if ppr is not None and ppr.numPr is not None:
        ilvl = ppr.numPr.ilvl
        return int(ilvl.val) if ilvl is not None else 0
    if style.lower().startswith(("list bullet", "list number", "list paragraph")):
        digits = re.findall(r"\d", style)
        return int(digits[0]) - 1 if digits else 0
    return None


def _paragraph(p: DocxParagraph, index: int, styles: _StyleNames) -> Paragraph | None:
    text = p.text.strip()
    if not text:
        return None
    style = styles.of(p)
    return Paragraph(text=text, provenance=Provenance(block=index), style=style or None,
                     heading_level=_heading_level(p, style), list_level=_list_level(p, style))


def _cell_lines(cell: _Cell, styles: _StyleNames) -> list[str]:
    """The lines of a cell: its paragraphs (list items marked), nested tables row by row."""
    lines: list[str] = []
    for item in cell.iter_inner_content():
        if isinstance(item, DocxParagraph):
            for line in item.text.split("\n"):
                line = line.strip()
                if not line:
                    continue
                if _list_level(item, styles.of(item)) is not None \
                        and not line.startswith(BULLET):
                    line = f"{BULLET} {line}"
                lines.append(line)
        elif isinstance(item, DocxTable):
            lines.extend(_nested_table_lines(item, styles))
    return lines


def _nested_table_lines(table: DocxTable, styles: _StyleNames) -> list[str]:
    """A nested table becomes one bulleted line per row (its distinct cells joined)."""
    out: list[str] = []
    for row in table.rows:
        seen: list[object] = []
        parts: list[str] = []
        for cell in row.cells:
            if cell._tc in seen:
                continue
            seen.append(cell._tc)
            text = " ".join(_cell_lines(cell, styles)).strip()
            if text:
                parts.append(text)
        if parts:
            out.append(f"{BULLET} " + " – ".join(parts))
    return out


def _table(table: DocxTable, index: int, table_no: int, styles: _StyleNames) -> Table:
    grid: list[list[Cell]] = []
    above: list[object] = []
    for r, row in enumerate(table.rows):
        cells: list[Cell] = []
        tcs: list[object] = []
        before = [None] * (row.grid_cols_before or 0)
        for c, item in enumerate([*before, *row.cells]):
            if item is None:
                cells.append(Cell(text="", row=r, col=c))
                tcs.append(None)
                continue
            tc = item._tc
            copy = (bool(tcs) and tcs[-1] is tc) or (c < len(above) and above[c] is tc)
            text = cells[-1].text if copy and cells and tcs[-1] is tc else "\n".join(
                _cell_lines(item, styles))
            cells.append(Cell(text=text, row=r, col=c, merged_copy=copy))
            tcs.append(tc)
        grid.append(cells)
        above = tcs
    width = max((len(r) for r in grid), default=0)
    for r, cells in enumerate(grid):
        cells.extend(Cell(text="", row=r, col=c) for c in range(len(cells), width))
    return Table(rows=grid, provenance=Provenance(block=index, table=table_no))
