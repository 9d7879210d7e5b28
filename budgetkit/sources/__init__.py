"""Readers: turn the files of one document into a :class:`budgetkit.model.Document`.

``read_document`` picks the reader by file suffix: ``.txt`` text dumps (one table row a line,
cells separated by tabs) and ``.pdf`` files with a text layer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from budgetkit.errors import UnsupportedFormatError
from budgetkit.kinds import document_kind
from budgetkit.model import Document

__all__ = ["document_kind", "read_document"]


def read_document(paths: list[Path], doc_id: str, metadata: dict[str, Any] | None = None, **options: Any) -> Document:
    """Read one document made of one or several files.

    Args:
        paths: The files in reading order (all text dumps or all PDFs).
        doc_id: The document id.
        metadata: Manifest fields; ``template`` selects the expected tables.
        **options: Passed to the reader (``encoding`` for text, ``backend`` for PDF). With the
            ``tabula`` backend, Java is first tried in a child process
            (:func:`budgetkit.jvm.java_start_problem`); when it cannot start, the PDF is read with
            pdfplumber and the document says so in its warnings (and stderr, once).

    Raises:
        UnsupportedFormatError: A file is neither ``.txt`` nor ``.pdf``.
        budgetkit.errors.BudgetkitError: The reader's own errors (empty, scanned, truncated …).
    """
    metadata = dict(metadata or {})
    suffixes = {Path(p).suffix.lower() for p in paths}
    if suffixes <= {".txt", ".text", ".tsv"}:
        from budgetkit.sources.text import read_text_document

        document = read_text_document(paths, doc_id, metadata, encoding=options.get("encoding"))
        document.kind = document_kind(document)
        return document
    if suffixes == {".pdf"}:
        from budgetkit.sources.pdf import read_pdf_document

        backend = options.get("backend") or "grid"
        note = None
        if backend == "tabula":
            from budgetkit.jvm import java_start_problem, tell_once

            problem = java_start_problem()  # asked of a child process: a failing JVM would end ours
            if problem is not None:
                note = f"{problem}; PDFs are read with pdfplumber instead of tabula"
                tell_once(note)
                backend = "pdfplumber"
        document = read_pdf_document([Path(p) for p in paths], doc_id, metadata, backend=backend)
        if note:
            document.warnings.append(note)
        document.kind = document_kind(document)
        return document
    bad = [str(p) for p in paths if Path(p).suffix.lower() not in {".txt", ".text", ".tsv", ".pdf"}]
    raise UnsupportedFormatError(
        bad[0] if bad else paths[0],
        "not a supported format: budgetkit reads PDF files with a text layer and tab-separated text dumps (.txt); "
        "a document's files must all be of one kind",
    )
