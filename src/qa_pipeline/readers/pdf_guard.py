"""A guard against PDF pages whose compressed text stream inflates to gigabytes.

pdfminer inflates a page's whole content stream before pdfplumber sees a character, so a
small file can cost gigabytes of memory (jsvine/pdfplumber#1339). Each page's Flate
streams are inflated here first, piece by piece and discarded, only to count the bytes:
a page over :data:`MAX_PAGE_CONTENT_BYTES` is refused before pdfminer touches it.
"""

from __future__ import annotations

import zlib
from typing import Any

from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psparser import LIT

MAX_PAGE_CONTENT_BYTES = 32 * 1024 * 1024  # a dense page of text is well under 1 MB
_FLATE = {LIT("FlateDecode"), LIT("Fl")}
_PIECE = 1 << 20


def inflated_size(stream: PDFStream, limit: int) -> int:
    """The stream's size once decoded, counted up to just past ``limit``.

    Only Flate is inflated (what page text is compressed with); a stream with another
    filter, or one that does not inflate (e.g. encrypted), counts its stored length.
    """
    raw = stream.rawdata if stream.rawdata is not None else (stream.data or b"")
    filters = [f for f, _ in stream.get_filters()]
    if not filters or filters[0] not in _FLATE or stream.decipher is not None:
        return len(raw)
    inflater = zlib.decompressobj()
    size, pending = 0, raw
    try:
        while pending and size <= limit:
            size += len(inflater.decompress(pending, _PIECE))
            pending = inflater.unconsumed_tail
    except zlib.error:
        return len(raw)  # pdfminer will report the damage itself
    return size


def page_content_size(page: Any, limit: int = MAX_PAGE_CONTENT_BYTES) -> int:
    """The decoded size of a pdfplumber page's content streams, up to just past ``limit``."""
    contents = resolve1(page.page_obj.attrs.get("Contents"))
    streams = contents if isinstance(contents, list) else [contents]
    total = 0
    for item in streams:
        stream = resolve1(item)
        if isinstance(stream, PDFStream):
            total += inflated_size(stream, limit - total)
            if total > limit:
                break
    return total
