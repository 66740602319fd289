"""Word markup that hides a plan's text from python-docx, undone before reading.

python-docx reads a paragraph's runs and a table's rows only where they are direct
children. Real plans wrap them:

- **content controls** (``w:sdt``), which local authority templates put around whole
  sections, table rows, cells and the answer in a cell;
- **tracked changes** a peer coach left: inserted text (``w:ins``, ``w:moveTo``) is part of
  the plan, deleted text (``w:del``, ``w:moveFrom``) and deleted table rows are not;
- smart tags, custom XML, simple fields and bidirectional runs, which wrap runs too.

:func:`unwrap_hidden_text` rewrites the loaded document in memory (the file is never
written) so that what Word shows is what python-docx reads: wrappers are replaced by
their content, deletions are dropped.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn

_CONTENT = qn("w:sdtContent")
_SDT = qn("w:sdt")
_UNWRAP = frozenset(qn(t) for t in ("w:ins", "w:moveTo", "w:smartTag", "w:customXml",
                                    "w:fldSimple", "w:dir", "w:bdo"))
_DROP = frozenset(qn(t) for t in ("w:del", "w:moveFrom"))
_ROW = qn("w:tr")
_ROW_PROPS = qn("w:trPr")
_RUN_PROPS = qn("w:rPr")
_PARA_PROPS = qn("w:pPr")


def _replace_with(element: Any, children: list[Any]) -> None:
    parent = element.getparent()
    if parent is None:
        return
    at = parent.index(element)
    for offset, child in enumerate(children):
        parent.insert(at + offset, child)
    parent.remove(element)


def unwrap_hidden_text(root: Any) -> None:
    """Unwrap content controls and tracked insertions and drop tracked deletions under
    ``root`` (the document body, a header ...)."""
    # deepest first, so that a wrapper inside a wrapper is handled before its parent
    for element in reversed(list(root.iter(_SDT, *_UNWRAP, *_DROP, _ROW))):
        tag = element.tag
        if tag == _ROW:
            props = element.find(_ROW_PROPS)
            if props is not None and props.find(qn("w:del")) is not None:
                element.getparent().remove(element)  # a row deleted with changes tracked
            continue
        parent = element.getparent()
        if parent is None or parent.tag in (_RUN_PROPS, _PARA_PROPS, _ROW_PROPS):
            continue  # a revision mark on formatting, not text
        if tag == _SDT:
            content = element.find(_CONTENT)
            _replace_with(element, list(content) if content is not None else [])
        elif tag in _DROP:
            parent.remove(element)
        else:
            # keep the runs, not the wrapper's own properties (w:rPr, w:smartTagPr ...)
            _replace_with(element, [c for c in element if not str(c.tag).endswith("Pr")])
