"""Extract a plan: walk the document's blocks once, in reading order.

Paragraphs go to the header (until the first target) and to the text-layout reader;
each table is classified (wide, key-value, transposed, header) and read by its shape. A
heading just above a table titles the targets in it.
"""

from __future__ import annotations

from qa_pipeline.extract.drafts import TargetDraft
from qa_pipeline.extract.header import HeaderBuilder
from qa_pipeline.extract.labels import Vocabulary, vocabulary
from qa_pipeline.extract.tables import (
    classify_table,
    kv_targets,
    transposed_targets,
    wide_targets,
)
from qa_pipeline.extract.text_layout import TextTargets
from qa_pipeline.models import Document, Paragraph, PlanExtraction, Table

LAYOUT_NAMES = {"wide": "wide_table", "kv": "key_value_tables", "transposed": "transposed_table",
                "text": "headings_and_labels"}


def extract_plan(doc: Document, vocab: Vocabulary | None = None) -> PlanExtraction:
    vocab = vocab or vocabulary()
    reflowed = doc.format == "pdf"
    header = HeaderBuilder(vocab)
    text = TextTargets(vocab, reflowed)
    layouts: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            if not text.has_targets():
                header.line(block.text, block.provenance)
            text.paragraph(block)
            continue
        layout = _table(block, vocab, reflowed, header, text)
        if layout and layout not in layouts:
            layouts.append(layout)
    drafts = text.finish()
    if text.found_text_targets:
        layouts.append("text")
    with_objective = sum(1 for d in drafts if "objective" in d.labelled)
    uses_objective_labels = bool(drafts) and with_objective * 2 >= len(drafts)
    for d in drafts:
        d.resolve_title(uses_objective_labels)
    targets = [t for t in (d.build() for d in drafts) if not t.is_empty()]
    return PlanExtraction(header=header.finish(), targets=targets,
                          layout="+".join(LAYOUT_NAMES[x] for x in layouts) or "none")


def _table(table: Table, vocab: Vocabulary, reflowed: bool, header: HeaderBuilder,
           text: TextTargets) -> str | None:
    shape = classify_table(table, vocab)
    if shape.kind in ("header", "other"):
        if shape.kind == "header" or not text.has_targets():
            header.table(table)
        return None
    title, kind, section = text.take_title()
    drafts: list[TargetDraft]
    if shape.kind == "wide":
        assert shape.header_row is not None
        header.table(table, range(shape.header_row))  # a spreadsheet's title block
        drafts = wide_targets(table, shape, reflowed,
                              section=section.text if section is not None else None)
    elif shape.kind == "kv":
        drafts = kv_targets(table, vocab, reflowed)
    else:
        drafts = transposed_targets(table, vocab, reflowed)
    for d in drafts:
        if title is not None:
            d.title, d.title_kind = title, kind
        if section is not None and d.section_area is None:
            d.section_area = section
    text.add_table_drafts(drafts)
    return shape.kind
