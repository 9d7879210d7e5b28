"""Readers: turn the files of one document into a :class:`budgetkit.model.Document`.

``read_document`` picks the reader by file suffix: ``.txt`` text dumps (one table row a line,
cells separated by tabs) and ``.pdf`` files with a text layer.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from budgetkit.errors import UnsupportedFormatError
from budgetkit.model import Document


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


_FINAL_WORDS = re.compile(r"(?:部门|单位)?决算")
_BUDGET_WORDS = re.compile(r"(?:部门|单位)?预算(?:公开|表|编制)")


def document_kind(document: Document) -> str:
    """``final`` for a 部门决算, ``budget`` for a 部门预算: by the tables it prints (the
    catalog's kind of each standard table found), else by its own words (决算 in its titles and
    first narrative lines against 预算公开 / 预算表)."""
    from budgetkit.catalog import load_catalog

    catalog = load_catalog()
    kinds = [catalog.table(t).kind for t in document.tables if catalog.knows(t)]
    finals, budgets = kinds.count("final"), kinds.count("budget")
    if finals and finals >= budgets:
        return "final"
    if budgets and not finals:
        return "budget"
    text = " ".join([t.title for t in document.tables.values()] + [line.text for line in document.narrative[:40]])
    return "final" if len(_FINAL_WORDS.findall(text)) > len(_BUDGET_WORDS.findall(text)) else "budget"
