"""Targets from tables, in the three shapes schools use.

- **wide**: a header row names the fields, each further row is a target (merged area
  cells, section rows such as "Area 2: Outcomes", repeated header rows and rows split over
  a page break are handled);
- **key-value**: one target per table, a label column and a value column;
- **transposed**: labels down the first column, one target per further column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from qa_pipeline.extract.drafts import TargetDraft
from qa_pipeline.extract.labels import IGNORE, LabelMatch, Vocabulary
from qa_pipeline.extract.values import is_item_start, strip_numbering
from qa_pipeline.models import Cell, Provenance, Table

KEY_FIELDS = {"objective", "actions", "success_criteria"}
MAX_KV_EXTRA_WORDS = 2

Shape = Literal["wide", "kv", "transposed", "header", "other"]


@dataclass
class TableShape:
    kind: Shape
    header_row: int | None = None
    columns: dict[int, LabelMatch] | None = None  # wide: column -> field
    label_col: int = 0  # kv / transposed


def _distinct_cells(row: list[Cell]) -> list[Cell]:
    """A row's cells without horizontal merge copies."""
    out: list[Cell] = []
    for c in row:
        if out and c.merged_copy and c.text == out[-1].text:
            continue
        out.append(c)
    return out


def _row_fields(row: list[Cell], vocab: Vocabulary, max_extra: int = 3) -> dict[int, LabelMatch]:
    found: dict[int, LabelMatch] = {}
    for c in _distinct_cells(row):
        text = c.text.strip()
        if not text or len(text) > 80:
            continue
        m = vocab.target.match(text, max_extra)
        if m is not None:
            found[c.col] = m
    return found


def classify_table(table: Table, vocab: Vocabulary) -> TableShape:
    best: tuple[int, int, dict[int, LabelMatch]] | None = None
    for r, row in enumerate(table.rows[:12]):
        cols = _row_fields(row, vocab)
        fields = {m.field for m in cols.values()} - {IGNORE}
        if len(fields) >= 3 and fields & KEY_FIELDS and (best is None or len(fields) > best[0]):
            best = (len(fields), r, cols)
    kv_rows = _kv_rows(table, vocab)
    kv_fields = {m.field for _, m in kv_rows} - {IGNORE}
    if best is not None and not (len(kv_fields) > best[0] and table.n_rows > table.n_cols):
        return TableShape("wide", header_row=best[1], columns=best[2])
    if len(kv_fields) >= 3 and kv_fields & KEY_FIELDS:
        value_cols = _value_columns(table, [r for r, _ in kv_rows])
        return TableShape("transposed" if len(value_cols) > 1 else "kv")
    if _header_label_count(table, vocab) >= 2:
        return TableShape("header")
    return TableShape("other")


def _kv_rows(table: Table, vocab: Vocabulary) -> list[tuple[int, LabelMatch]]:
    rows: list[tuple[int, LabelMatch]] = []
    for r, row in enumerate(table.rows):
        if not row:
            continue
        text = row[0].text.strip()
        if text and len(text) <= 80:
            m = vocab.target.match(text, MAX_KV_EXTRA_WORDS)
            if m is not None:
                rows.append((r, m))
    return rows


def _value_columns(table: Table, rows: list[int]) -> list[int]:
    """Columns right of the labels holding their own (not merged-copy) text."""
    cols: list[int] = []
    for c in range(1, table.n_cols):
        if any(c < len(table.rows[r]) and table.rows[r][c].text.strip()
               and not table.rows[r][c].merged_copy for r in rows):
            cols.append(c)
    return cols


def _header_label_count(table: Table, vocab: Vocabulary) -> int:
    n = 0
    for row in table.rows:
        for c in _distinct_cells(row):
            text = c.text.strip().rstrip(":")
            if text and len(text) < 40 and vocab.header.match(text, 1) is not None:
                n += 1
    return n


# --------------------------------------------------------------------------- wide


def wide_targets(table: Table, shape: TableShape, reflowed: bool,
                 section: str | None = None) -> list[TargetDraft]:
    assert shape.header_row is not None and shape.columns is not None
    columns = {c: m for c, m in shape.columns.items() if m.field != IGNORE}
    header_texts = [c.text for c in table.rows[shape.header_row]]
    area_cols = [c for c, m in columns.items() if m.field == "area_text"]
    objective_cols = [c for c, m in columns.items() if m.field == "objective"]
    drafts: list[TargetDraft] = []
    section_area: str | None = section
    last_area: tuple[str, Provenance] | None = None  # an empty area cell means "as above"
    for r in range(shape.header_row + 1, table.n_rows):
        row = table.rows[r]
        texts = [c.text.strip() for c in row]
        if not any(texts) or texts == header_texts:
            continue
        own = {c: row[c] for c in columns if c < len(row)}
        if drafts and r in table.page_starts and _blank(own, area_cols + objective_cols):
            _continue_row(drafts[-1], table, r, columns, own)
            continue
        title = _section_title(row, table.n_cols)
        if title is not None:
            section_area, last_area = title, None
            continue
        if _is_repeated_header(row, columns):
            continue
        draft = TargetDraft(reflowed=reflowed)
        for c, m in columns.items():
            cell = own.get(c)
            if cell is None or not cell.text.strip():
                continue
            if cell.merged_copy and c > 0 and row[c - 1].text == cell.text \
                    and row[c - 1].merged_copy is False and c not in area_cols:
                continue  # a cell spanning two columns: counted once
            draft.add(m.field, cell.text, table.cell_provenance(r, c),
                      label=_label(table, shape.header_row, c))
        if not draft.is_substantial():
            continue
        if area_cols and not draft.has("area_text") and last_area is not None:
            draft.add("area_text", last_area[0], last_area[1], label="same as above")
        elif section_area and not draft.has("area_text"):
            draft.add("area_text", section_area, table.cell_provenance(r, 0), label="section")
        last_area = draft.first("area_text")
        drafts.append(draft)
    return drafts


def _section_title(row: list[Cell], n_cols: int) -> str | None:
    """A row that only names a section ('Area 2: Outcomes'): text in the first column,
    nothing else but merged copies of it."""
    distinct = [c for c in _distinct_cells(row) if c.text.strip()]
    if n_cols < 4 or not distinct or distinct[0].col != 0:
        return None
    if len({c.text for c in distinct}) == 1 and all(c.merged_copy for c in distinct[1:]):
        return strip_numbering(distinct[0].text.replace("\n", " "))
    return None


def _label(table: Table, header_row: int, col: int) -> str:
    return " ".join(table.rows[header_row][col].text.split())


def _blank(cells: dict[int, Cell], cols: list[int]) -> bool:
    return all(not cells[c].text.strip() for c in cols if c in cells)


def _is_repeated_header(row: list[Cell], columns: dict[int, LabelMatch]) -> bool:
    same = 0
    for c, m in columns.items():
        if c < len(row):
            text = row[c].text.strip()
            if text and len(text) <= 80 and text.lower().startswith(m.wording.split()[0]):
                same += 1
    return same >= 3


def _continue_row(draft: TargetDraft, table: Table, r: int, columns: dict[int, LabelMatch],
                  own: dict[int, Cell]) -> None:
    """A row split by a page break: its cells carry on the previous target's fields."""
    for c, m in columns.items():
        cell = own.get(c)
        if cell is None or not cell.text.strip() or cell.merged_copy:
            continue
        prov = table.cell_provenance(r, c)
        if m.field == "actions":
            lines = cell.text.split("\n")
            if draft.actions and not is_item_start(lines[0]):  # the last action carries on
                carried = []
                while lines and not is_item_start(lines[0]):
                    carried.append(lines.pop(0).strip())
                last = draft.actions[-1]
                last.text = " ".join([last.text, *carried])
            draft.add_actions("\n".join(lines), prov)
        else:
            pieces = draft.pieces.get(m.field)
            if pieces:
                joined = "\n".join([pieces[-1].text, cell.text])
                pieces[-1].text = joined.replace("\n", " ") if draft.reflowed else joined
            else:
                draft.add(m.field, cell.text, prov, label=_label(table, 0, c))


# --------------------------------------------------------------------------- key-value


def kv_targets(table: Table, vocab: Vocabulary, reflowed: bool) -> list[TargetDraft]:
    drafts: list[TargetDraft] = []
    draft = TargetDraft(reflowed=reflowed)
    last: str | None = None  # the field of the last labelled row
    for r, row in enumerate(table.rows):
        cells = _distinct_cells(row)
        label = cells[0].text.strip() if cells else ""
        values = [c for c in cells[1:] if c.text.strip()]
        if not values:
            continue
        if not label:  # a row with no label carries on the field above (one action a row)
            if last is not None:
                for v in values:
                    draft.append_to(last, v.text, table.cell_provenance(r, v.col))
            continue
        m = vocab.target.match(label, MAX_KV_EXTRA_WORDS) if len(label) <= 80 else None
        if m is None or m.field == IGNORE:
            last = None
            continue
        if m.field in ("objective", "area_text") and draft.has(m.field):
            drafts.append(draft)
            draft = TargetDraft(reflowed=reflowed)
        for v in values:
            draft.add(m.field, v.text, table.cell_provenance(r, v.col),
                      label=" ".join(label.split()))
        last = m.field
    if draft.is_substantial():
        drafts.append(draft)
    return drafts


def transposed_targets(table: Table, vocab: Vocabulary, reflowed: bool) -> list[TargetDraft]:
    rows = _kv_rows(table, vocab)
    drafts: list[TargetDraft] = []
    for c in _value_columns(table, [r for r, _ in rows]):
        draft = TargetDraft(reflowed=reflowed)
        for r, m in rows:
            if m.field == IGNORE or c >= len(table.rows[r]):
                continue
            cell = table.rows[r][c]
            if cell.text.strip():
                draft.add(m.field, cell.text, table.cell_provenance(r, c),
                          label=" ".join(table.rows[r][0].text.split()))
        if draft.is_substantial():
            drafts.append(draft)
    return drafts
