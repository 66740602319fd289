"""What a file really is, decided from its bytes: one test per kind of bad input."""

from __future__ import annotations

import importlib
import zipfile
from pathlib import Path

import pytest

from qa_pipeline.errors import (
    CorruptFile,
    EmptyFile,
    EncryptedFile,
    PlanInputError,
    TooLarge,
    UnsupportedFormat,
)
from qa_pipeline.readers import read_document

sniff_module = importlib.import_module("qa_pipeline.readers.sniff")

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "error", "words"),
    [
        ("empty.docx", b"", EmptyFile, "empty"),
        ("plan.docx", b"%PDF-1.4 rest", CorruptFile, "really a PDF"),
        ("plan.docx", b"Just some text typed in Notepad", CorruptFile, "not a real .docx"),
        ("plan.doc", OLE + b"\0" * 600, UnsupportedFormat, "Word 97-2003"),
        ("plan.docx", OLE + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le"), EncryptedFile,
         "password"),
        ("plan.txt", b"Objective: read more", UnsupportedFormat, "plain text"),
        ("plan.xlsx", b"PK\x03\x04 broken zip", CorruptFile, "damaged"),
    ],
)
def test_bad_input_is_named(tmp_path: Path, name: str, data: bytes,
                            error: type[PlanInputError], words: str) -> None:
    path = _write(tmp_path, name, data)
    with pytest.raises(error) as info:
        read_document(path)
    assert words in info.value.message
    assert name in info.value.message  # the message names the file


def test_word_file_saved_as_xlsx_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(CorruptFile, match=r"really a \.docx"):
        read_document(path)


def test_zip_bomb_is_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    monkeypatch.setattr(sniff_module, "MAX_UNZIPPED_BYTES", 1_000_000)
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", "a" * 5_000_000)
    with pytest.raises(TooLarge, match="expands"):
        read_document(path)


def test_oversized_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sniff_module, "MAX_FILE_BYTES", 100)
    path = _write(tmp_path, "big.pdf", b"%PDF" + b"0" * 200)
    with pytest.raises(TooLarge, match="MB"):
        read_document(path)
