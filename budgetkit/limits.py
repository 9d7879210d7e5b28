"""Limits per document, checked before a reader opens a file.

A disclosure is a few dozen pages of tables and prose: a few MB on disk, a few MB of page
content once inflated. A file far beyond that is refused in seconds, with one line, before a
PDF library inflates it — a 1 MB PDF whose content streams inflate to 1 GiB (a decompression
bomb) would otherwise take minutes and gigabytes.

Checked by :func:`check_pdf` (called when a PDF is opened):

* file size at most :data:`MAX_FILE_BYTES`;
* every Flate stream that is not an image (page content, forms, fonts, object streams) is
  inflated in chunks, without keeping the output, and the total must stay within
  :data:`MAX_INFLATED_BYTES` (and each stream within :data:`MAX_STREAM_BYTES`), so the check
  itself needs only a few MB and stops as soon as a limit is passed.

Text dumps are read whole: they are limited to :data:`MAX_TEXT_BYTES` (:func:`check_text`).
"""

from __future__ import annotations

import mmap
import os
import re
import zlib
from pathlib import Path

from budgetkit.errors import TooLargeError

#: Largest PDF read (the biggest bundled or wild disclosure is ~12 MB).
MAX_FILE_BYTES = 200 * 1024 * 1024
#: Largest text dump read.
MAX_TEXT_BYTES = 50 * 1024 * 1024
#: Most bytes all non-image Flate streams of one PDF may inflate to (53 real disclosures: at
#: most 11 MB, typically 1–5 MB).
MAX_INFLATED_BYTES = 128 * 1024 * 1024
#: Most bytes one such stream may inflate to.
MAX_STREAM_BYTES = 32 * 1024 * 1024

_CHUNK = 1 << 20
_STREAM = re.compile(rb"stream\r?\n")
_DICT_WINDOW = 4096


def check_pdf(path: Path) -> None:
    """Refuse a PDF that is too large or inflates beyond the limits.

    Args:
        path: The PDF file.

    Raises:
        TooLargeError: One line naming the file and the limit passed.
    """
    path = Path(path)
    size = os.path.getsize(path)
    if size > MAX_FILE_BYTES:
        raise TooLargeError(path, f"the file is {size / 2**20:.0f} MB; budgetkit reads PDFs up to {MAX_FILE_BYTES // 2**20} MB")
    if size == 0:
        return
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        total = 0
        for match in _STREAM.finditer(data):
            start = match.end()
            head = data[max(0, match.start() - _DICT_WINDOW):match.start()]
            head = head[head.rfind(b"obj") + 3:] if b"obj" in head else head
            if b"/FlateDecode" not in head and b"/Fl " not in head and b"/Fl]" not in head and b"/Fl/" not in head:
                continue
            if re.search(rb"/Subtype\s*/Image", head):
                continue  # images are not inflated to read text and tables
            end = data.find(b"endstream", start)
            if end < 0:
                end = len(data)
            inflated = _inflated_size(data, start, end, MAX_STREAM_BYTES)
            total += inflated
            if inflated > MAX_STREAM_BYTES or total > MAX_INFLATED_BYTES:
                raise TooLargeError(
                    path,
                    f"suspicious: a {size / 2**20:.1f} MB PDF whose content inflates to more than "
                    f"{(MAX_STREAM_BYTES if inflated > MAX_STREAM_BYTES else MAX_INFLATED_BYTES) // 2**20} MB "
                    "(a decompression bomb?); not read",
                )


def _inflated_size(data: mmap.mmap, start: int, end: int, limit: int) -> int:
    """Bytes the Flate stream ``data[start:end]`` inflates to, counting stops just past ``limit``.

    A damaged or encrypted stream counts what inflated before the damage: reading it is the
    reader's business, and the reader says so.
    """
    inflater = zlib.decompressobj()
    produced = 0
    position = start
    try:
        while position < end and produced <= limit:
            chunk = data[position:min(end, position + _CHUNK)]
            position += len(chunk)
            out = inflater.decompress(chunk, _CHUNK)
            produced += len(out)
            while inflater.unconsumed_tail and produced <= limit and not inflater.eof:
                out = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
                produced += len(out)
                if not out:  # nothing more comes out of what is left
                    break
            if inflater.eof:
                break
    except zlib.error:
        pass
    return produced


def check_text(path: Path) -> None:
    """Refuse a text dump larger than :data:`MAX_TEXT_BYTES`.

    Raises:
        TooLargeError: One line naming the file and the limit.
    """
    size = os.path.getsize(path)
    if size > MAX_TEXT_BYTES:
        raise TooLargeError(path, f"the file is {size / 2**20:.0f} MB; budgetkit reads text dumps up to {MAX_TEXT_BYTES // 2**20} MB")
