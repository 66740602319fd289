"""Tell what a file really is from its bytes, before a parser sees it.

Schools rename files, save old ``.doc`` as ``.docx``, password-protect them or send a
PDF with the wrong extension. Parsers then fail with messages nobody can act on
(``PackageNotFoundError``, ``BadZipFile``); this module names the real problem first.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Literal

from qa_pipeline.errors import (
    CorruptFile,
    EmptyFile,
    EncryptedFile,
    TooLarge,
    UnsupportedFormat,
)

Kind = Literal["docx", "pdf", "xlsx"]

MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # guards against zip bombs
MAX_ZIP_RATIO = 1000  # XML packs about 10:1; a bomb packs 1000:1 or more

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_SUFFIX_KIND: dict[str, Kind] = {".docx": "docx", ".pdf": "pdf", ".xlsx": "xlsx", ".xlsm": "xlsx"}
_LEGACY = {".doc": "Word 97-2003 (.doc)", ".xls": "Excel 97-2003 (.xls)",
           ".docx": "the old Word 97-2003", ".xlsx": "the old Excel 97-2003",
           ".odt": "OpenDocument", ".rtf": "Rich Text", ".pages": "Apple Pages",
           ".txt": "plain text", ".ods": "OpenDocument spreadsheet"}

_SAVE_AS = "Please save it as .docx, .xlsx or a text-based .pdf and submit it again."


def sniff(path: Path) -> Kind:
    """Return the format to read ``path`` with, or raise a :class:`PlanInputError`."""
    suffix = path.suffix.lower()
    size = path.stat().st_size
    if size == 0:
        raise EmptyFile(f"'{path.name}' is empty (0 bytes): the upload may have failed. "
                        "Please send the plan again.")
    if size > MAX_FILE_BYTES:
        raise TooLarge(f"'{path.name}' is {size / 1e6:.1f} MB, more than the "
                       f"{MAX_FILE_BYTES // 1_000_000} MB a plan may be. Remove pictures or "
                       "scans and send the plan again.")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(_OLE_MAGIC):
        return _ole_kind(path, suffix)
    if head.startswith(b"%PDF"):
        if suffix != ".pdf":
            raise CorruptFile(f"'{path.name}' is really a PDF saved with a '{suffix}' "
                              "extension. Rename it to .pdf, or send the original "
                              "Word/Excel file.")
        return "pdf"
    if head.startswith(b"PK"):
        return _zip_kind(path, suffix)
    if suffix in _SUFFIX_KIND:
        raise CorruptFile(f"'{path.name}' is not a real {suffix} file (its contents are not "
                          f"in that format). {_SAVE_AS}")
    what = _LEGACY.get(suffix, f"'{suffix or 'no extension'}'")
    raise UnsupportedFormat(f"'{path.name}' is in {what} format, which the QA pipeline cannot "
                            f"read. {_SAVE_AS}")


def _ole_kind(path: Path, suffix: str) -> Kind:
    data = path.read_bytes()
    if _ENCRYPTED_PACKAGE in data:
        raise EncryptedFile(f"'{path.name}' is password-protected. Please remove the password "
                            "(File > Info > Protect Document) and send it again.")
    what = _LEGACY.get(suffix, "the old Office 97-2003")
    raise UnsupportedFormat(f"'{path.name}' is in {what} format, which the QA pipeline cannot "
                            f"read. {_SAVE_AS}")


def _zip_kind(path: Path, suffix: str) -> Kind:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise CorruptFile(f"'{path.name}' is damaged (incomplete or corrupt archive: {exc}). "
                          "Please save the plan again and resend it.") from exc
    names = {i.filename for i in infos}
    unzipped = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if unzipped > MAX_UNZIPPED_BYTES or unzipped / packed > MAX_ZIP_RATIO:
        raise TooLarge(f"'{path.name}' expands to {unzipped / 1e6:.0f} MB when opened, far "
                       "more than a plan should. Please resend a plain copy of the plan.")
    if "word/document.xml" in names:
        kind: Kind = "docx"
    elif "xl/workbook.xml" in names:
        kind = "xlsx"
    else:
        raise UnsupportedFormat(f"'{path.name}' is a zip archive, not a Word or Excel "
                                f"document. {_SAVE_AS}")
    if suffix in _SUFFIX_KIND and _SUFFIX_KIND[suffix] != kind:
        raise CorruptFile(f"'{path.name}' is really a .{kind} file saved with a '{suffix}' "
                          f"extension. Rename it to .{kind} and send it again.")
    return kind
