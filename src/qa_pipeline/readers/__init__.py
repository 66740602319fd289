"""One reader interface: a file in, a :class:`~qa_pipeline.models.Document` out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from qa_pipeline.models import Document
from qa_pipeline.readers.docx_reader import read_docx
from qa_pipeline.readers.pdf_reader import read_pdf
from qa_pipeline.readers.sniff import Kind, sniff
from qa_pipeline.readers.xlsx_reader import read_xlsx

Reader = Callable[[Path], Document]

READERS: dict[Kind, Reader] = {"docx": read_docx, "pdf": read_pdf, "xlsx": read_xlsx}

SUPPORTED_SUFFIXES = (".docx", ".pdf", ".xlsx", ".xlsm")


def read_document(path: Path) -> Document:
    """Read any supported plan file; raises a ``PlanInputError`` for a file that can't be."""
    return READERS[sniff(path)](path)


__all__ = ["READERS", "SUPPORTED_SUFFIXES", "read_document"]
