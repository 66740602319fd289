"""Read a text-based PDF plan: ruled tables and the text around them, page by page.

pdfplumber finds ruled tables; text outside them is grouped into lines, then into
paragraphs (a bullet, a heading, a gap or a finished sentence starts a new one). Two text
columns are read left then right. A table that carries on at the top of the next page
with the same columns is joined to the one before (a repeated header row is dropped).
A PDF with no text layer is reported as scanned.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from qa_pipeline.errors import CorruptFile, EncryptedFile, ScannedPdf, TooLarge
from qa_pipeline.models import Block, Cell, Document, Paragraph, Provenance, Table
from qa_pipeline.readers.pdf_guard import MAX_PAGE_CONTENT_BYTES, page_content_size

MAX_PAGES = 60
BULLET = "•"
_BULLET_CHARS = ("\uf0b7", "\uf0a7", "\u25cf", "\u25aa", "\u25e6", "\u00b7", "\u25cb", "\u25a0")
_LIST_START = ("- ", "– ", "* ", BULLET)
_NUMBERED = re.compile(r"^\d{1,2}[.)]\s+\D")


@dataclass
class _Line:
    text: str
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    bold: bool
    edge: bool = False  # in the top or bottom margin band, where running heads sit
    column: int = 0  # 1 for the right-hand column of a two-column page


def read_pdf(path: Path) -> Document:
    try:
        pdf = pdfplumber.open(str(path))
    except (PdfminerException, MalformedPDFException) as exc:
        raise _translate(path, exc) from exc
    with pdf:
        try:
            n_pages = len(pdf.pages)
        except (PdfminerException, MalformedPDFException) as exc:
            raise _translate(path, exc) from exc
        if n_pages > MAX_PAGES:
            raise TooLarge(f"'{path.name}' has {n_pages} pages; a plan of more than {MAX_PAGES} "
                           "pages is not read. Send the action plan pages only.")
        reader = _PdfPages(path.name)
        try:
            for number, page in enumerate(pdf.pages, start=1):
                if page_content_size(page) > MAX_PAGE_CONTENT_BYTES:
                    raise TooLarge(
                        f"Page {number} of '{path.name}' unpacks to more than "
                        f"{MAX_PAGE_CONTENT_BYTES >> 20} MB, far more than any page of text: "
                        "it is not read. Please export the PDF again from the original "
                        "document.")
                reader.add_page(page, number)
                page.close()  # frees pdfminer's layout cache page by page
        except (PdfminerException, MalformedPDFException) as exc:
            raise _translate(path, exc) from exc
    if reader.n_chars == 0:
        raise ScannedPdf(f"'{path.name}' has no text layer: it looks like a scan or photo of "
                         "the plan. Please send the original Word or Excel file, or a PDF "
                         "exported from it.")
    return Document(source=path.name, format="pdf", blocks=reader.blocks(), pages=n_pages)


def _translate(path: Path, exc: Exception) -> Exception:
    inner = exc.args[0] if exc.args else exc
    name = type(inner).__name__
    if "Password" in name or "Encrypt" in name:
        return EncryptedFile(f"'{path.name}' is password-protected. Please send a copy "
                             "without a password.")
    return CorruptFile(f"'{path.name}' is damaged and could not be read as a PDF ({name}). "
                       "Please export the PDF again and resend it.")


class _PdfPages:
    """Collects tables and text lines page by page, then builds the blocks."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[tuple[int, float, Table | _Line]] = []  # (page, top, item)
        # reading order: page, then column, then top
        self.n_chars = 0
        self.n_tables = 0
        self._table_cols: dict[int, list[float]] = {}

    def add_page(self, page: Any, number: int) -> None:
        self.n_chars += len(page.chars)
        if not page.chars:
            return
        tables = [t for t in page.find_tables() if _usable(t)]
        text_page = page
        for t in tables:
            text_page = text_page.outside_bbox(t.bbox)
            table = self._table(t, number)
            self.items.append((number, t.bbox[1], table))
        height = float(page.height)
        for line in _lines(text_page, number):
            line.edge = line.top < height * 0.08 or line.bottom > height * 0.92
            self.items.append((number, line.top, line))

    def _table(self, t: Any, page: int) -> Table:
        rows = t.extract()
        grid: list[list[Cell]] = []
        for r, row in enumerate(rows):
            cells: list[Cell] = []
            for c, value in enumerate(row):
                if value is None:  # covered by a spanning cell
                    source = cells[c - 1] if c > 0 else (grid[r - 1][c] if r > 0 else None)
                    text = source.text if source is not None else ""
                    cells.append(Cell(text=text, row=r, col=c, merged_copy=source is not None))
                else:
                    cells.append(Cell(text=_clean(value), row=r, col=c))
            grid.append(cells)
        table = Table(rows=grid, provenance=Provenance(block=0, page=page, table=self.n_tables))
        self._table_cols[id(table)] = [col[0] for col in _column_edges(t)]
        self.n_tables += 1
        return table

    def blocks(self) -> list[Block]:
        ordered = sorted(self.items, key=lambda x: (
            x[0], x[2].column if isinstance(x[2], _Line) else 0, x[1]))
        ordered = _drop_running_lines(ordered)
        blocks: list[Block] = []
        para_lines: list[_Line] = []
        body = _body_size([i for _, _, i in ordered if isinstance(i, _Line)])

        def flush() -> None:
            if para_lines:
                blocks.append(_paragraph(para_lines, len(blocks), body))
                para_lines.clear()

        for _, _, item in ordered:
            if isinstance(item, Table):
                flush()
                prev = blocks[-1] if blocks else None
                if isinstance(prev, Table) and self._continues(prev, item):
                    _append_table(prev, item)
                    continue
                item.provenance = Provenance(block=len(blocks), page=item.provenance.page,
                                             table=item.provenance.table)
                blocks.append(item)
                continue
            if para_lines and _starts_new_paragraph(para_lines[-1], item, body):
                flush()
            para_lines.append(item)
        flush()
        return blocks

    def _continues(self, prev: Table, nxt: Table) -> bool:
        """Is ``nxt`` the same table carried over to the next page?"""
        last_page = prev.provenance.page or 0
        if prev.page_starts:
            last_page += len(prev.page_starts)
        if nxt.provenance.page != last_page + 1 or nxt.n_cols != prev.n_cols:
            return False
        a = self._table_cols.get(id(prev), [])
        b = self._table_cols.get(id(nxt), [])
        return len(a) == len(b) and all(abs(x - y) < 8 for x, y in zip(a, b, strict=True))


def _usable(table: Any) -> bool:
    rows = table.extract()
    return bool(rows) and any(any((c or "").strip() for c in row) for row in rows)


def _column_edges(table: Any) -> list[tuple[float, float]]:
    first = table.rows[0].cells if table.rows else []
    return [(c[0], c[2]) for c in first if c is not None]


def _append_table(prev: Table, nxt: Table) -> None:
    rows = nxt.rows
    header = [c.text for c in prev.rows[0]] if prev.rows else []
    if rows and [c.text for c in rows[0]] == header:
        rows = rows[1:]
    start = len(prev.rows)
    prev.page_starts.append(start)
    for offset, row in enumerate(rows):
        prev.rows.append([Cell(text=c.text, row=start + offset, col=c.col,
                               merged_copy=c.merged_copy) for c in row])


def _clean(text: str) -> str:
    for ch in _BULLET_CHARS:
        text = text.replace(ch, BULLET)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _lines(page: Any, number: int) -> list[_Line]:
    words = page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False)
    if not words:
        return []
    split = _column_gutter(words, float(page.width))
    columns = [words] if split is None else [[w for w in words if w["x1"] <= split],
                                             [w for w in words if w["x0"] >= split]]
    lines: list[_Line] = []
    for index, col in enumerate(columns):
        for line in _group_lines(col, number):
            line.column = index
            lines.append(line)
    return lines


def _group_lines(words: list[dict[str, Any]], number: int) -> list[_Line]:
    words = sorted(words, key=lambda w: (round(w["top"]), w["x0"]))
    groups: list[list[dict[str, Any]]] = []
    for w in words:
        if groups and abs(groups[-1][0]["top"] - w["top"]) <= 2.5:
            groups[-1].append(w)
        else:
            groups.append([w])
    out: list[_Line] = []
    for g in groups:
        g.sort(key=lambda w: w["x0"])
        text = _clean(" ".join(w["text"] for w in g))
        if not text:
            continue
        out.append(_Line(text=text, page=number, top=min(w["top"] for w in g),
                         bottom=max(w["bottom"] for w in g), x0=g[0]["x0"], x1=g[-1]["x1"],
                         size=statistics.median(w["size"] for w in g),
                         bold=all("bold" in w["fontname"].lower() for w in g)))
    return out


def _column_gutter(words: list[dict[str, Any]], width: float) -> float | None:
    """The x of an empty vertical band between two text columns, if the page has two."""
    lo, hi = int(width * 0.3), int(width * 0.7)
    covered = [0] * (int(width) + 2)
    for w in words:
        for x in range(max(0, int(w["x0"])), min(len(covered), int(w["x1"]) + 1)):
            covered[x] += 1
    best: tuple[int, int] | None = None
    run_start: int | None = None
    for x in range(lo, hi + 1):
        if covered[x] == 0:
            run_start = x if run_start is None else run_start
            if x - run_start >= 12 and (best is None or x - run_start > best[1] - best[0]):
                best = (run_start, x)
        else:
            run_start = None
    if best is None:
        return None
    mid = (best[0] + best[1]) / 2
    left = {round(w["top"]) for w in words if w["x1"] < mid}
    right = {round(w["top"]) for w in words if w["x0"] > mid}
    return mid if len(left) >= 5 and len(right) >= 5 else None


def _drop_running_lines(items: list[tuple[int, float, Table | _Line]]
                        ) -> list[tuple[int, float, Table | _Line]]:
    """Drop page furniture: 'Page N' footers and lines repeated on every page."""
    pages = {p for p, _, _ in items}
    counts: dict[str, set[int]] = {}
    for p, _, item in items:
        if isinstance(item, _Line) and item.edge:
            counts.setdefault(_furniture_key(item.text), set()).add(p)
    repeated = {k for k, ps in counts.items() if len(pages) > 1 and len(ps) == len(pages)}
    return [(p, t, i) for p, t, i in items
            if not (isinstance(i, _Line) and i.edge
                    and (_furniture_key(i.text) in repeated or _is_page_number(i.text)))]


def _furniture_key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalpha())


def _is_page_number(text: str) -> bool:
    words = text.lower().replace("|", " ").split()
    return ("page" in words and any(w.isdigit() for w in words[-3:])
            and len(words) <= 16 and words[-1].isdigit())


def _body_size(lines: list[_Line]) -> float:
    sizes = [round(line.size, 1) for line in lines]
    return statistics.mode(sizes) if sizes else 10.0


def _is_heading(line: _Line, body: float) -> bool:
    return line.size >= body * 1.15 or (line.bold and len(line.text) < 120)


def _starts_new_paragraph(prev: _Line, line: _Line, body: float) -> bool:
    if line.text.startswith(_LIST_START) or _NUMBERED.match(line.text):
        return True
    if _is_heading(prev, body) != _is_heading(line, body) or _has_run_in_label(line.text):
        return True
    if line.page != prev.page:
        return prev.text.rstrip().endswith((".", ":", "?", "!"))
    gap = line.top - prev.bottom
    if gap > max(prev.bottom - prev.top, 6) * 0.9:
        return True
    return bool(prev.text.rstrip().endswith((".", "?", "!", ":")) and line.text[:1].isupper())


def _has_run_in_label(text: str) -> bool:
    head = text.split(":", 1)[0] if ":" in text else ""
    return bool(head) and len(head.split()) <= 6 and head[:1].isupper() and ":" in text[:60]


def _paragraph(lines: list[_Line], index: int, body: float) -> Paragraph:
    first = lines[0]
    text = " ".join(line.text for line in lines)
    heading = 1 if _is_heading(first, body) else None
    is_item = first.text.startswith(_LIST_START)
    if is_item:
        for marker in _LIST_START:
            if text.startswith(marker):
                text = text[len(marker):].strip()
                break
    return Paragraph(text=text, provenance=Provenance(block=index, page=first.page),
                     heading_level=heading, list_level=0 if is_item else None)
