"""Opening a PDF with pypdfium2, and the one-line errors for files that cannot be read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from budgetkit.errors import CorruptFileError, EncryptedPdfError, ScannedPdfError, UnsupportedFormatError
from budgetkit.limits import check_pdf


def _open_pdfium(path: Path):
    import pypdfium2 as pdfium

    if not path.exists():
        raise CorruptFileError(path, "file not found")
    if path.stat().st_size == 0:
        raise CorruptFileError(path, "the file is empty")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF" not in head:
        raise UnsupportedFormatError(path, "not a PDF file (no %PDF header)")
    check_pdf(path)  # size and inflation bounds, before pdfium inflates anything
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message or "security" in message:
            raise EncryptedPdfError(path, "the PDF is encrypted (password protected); decrypt it first, e.g. `qpdf --decrypt in.pdf out.pdf`") from exc
        raise CorruptFileError(path, f"the PDF is truncated or corrupt and cannot be opened ({exc})") from exc


def _page_texts(pdf, path: Path) -> list[tuple[Any, Any]]:
    """(page, textpage) for every page; raise ScannedPdfError without a text layer."""
    pages = []
    chars = 0
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            chars += textpage.count_chars()
            pages.append((page, textpage))
    except Exception as exc:  # pdfium raises on damaged page trees
        raise CorruptFileError(path, f"the PDF is truncated or corrupt: a page cannot be read ({exc})") from exc
    if not pages:
        raise CorruptFileError(path, "the PDF has no pages")
    if chars == 0:
        raise ScannedPdfError(path, "no text layer — scanned? OCR is not supported")
    return pages

