"""Table finders of other libraries: tabula-java (lattice, through jpype) and pdfplumber (ruled tables).

Java, tabula and jpype are imported lazily: the rest of budgetkit works without them.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path
from typing import Any

from budgetkit.errors import CorruptFileError, JavaMissingError
from budgetkit.jvm import JAVA_OPTIONS
from budgetkit.sources.pdf.page import Cell, PageTable, _clean_cell_text

_JVM_LOCK = threading.Lock()
_JAVA: dict[str, Any] = {}


def _java_classes(path: Path) -> dict[str, Any]:
    """Start (once) the JVM tabula-py uses and return the tabula-java classes we call."""
    with _JVM_LOCK:
        if _JAVA:
            return _JAVA
        java_home = os.environ.get("JAVA_HOME")
        if shutil.which("java") is None and not (java_home and Path(java_home, "bin", "java").exists()):
            raise JavaMissingError(
                path,
                "Java is needed for the tabula backend but was not found. Install it "
                "(`apt-get install default-jre` or `conda install openjdk`), or use backend='pdfplumber'.",
            )
        try:
            import jpype  # noqa: F401
            import tabula.io as tio
            from tabula.backend import TabulaVm
        except ImportError as exc:
            raise JavaMissingError(path, f"tabula-py/jpype1 are not installed ({exc}); `pip install tabula-py jpype1` or use backend='pdfplumber'") from exc
        try:
            if tio._tabula_vm is None or not getattr(tio._tabula_vm, "tabula", None):
                # Share the JVM with tabula.read_pdf: one JVM per process; its options (and why)
                # in budgetkit.jvm, which probes Java with the same ones first.
                tio._tabula_vm = TabulaVm(java_options=JAVA_OPTIONS, silent=True)
            if not getattr(tio._tabula_vm, "tabula", None):
                raise JavaMissingError(path, "jpype could not load tabula-java; install jpype1")
            from java.io import File
            from java.lang import StringBuilder
            from org.apache.pdfbox.pdmodel import PDDocument
            from technology.tabula import ObjectExtractor
            from technology.tabula.extractors import SpreadsheetExtractionAlgorithm
            from technology.tabula.writers import JSONWriter
        except JavaMissingError:
            raise
        except Exception as exc:  # jpype.JVMNotFoundException and friends
            raise JavaMissingError(
                path,
                f"the Java VM could not be started ({exc}); install Java (`apt-get install default-jre` "
                "or `conda install openjdk`) or use backend='pdfplumber'",
            ) from exc
        _JAVA.update(
            File=File, StringBuilder=StringBuilder, PDDocument=PDDocument, ObjectExtractor=ObjectExtractor,
            Spreadsheet=SpreadsheetExtractionAlgorithm, JSONWriter=JSONWriter,
        )
        return _JAVA


def _tables_tabula(path: Path, pages: set[int] | None = None) -> dict[int, list[PageTable]]:
    """All lattice tables of a PDF (or of the given page numbers), by page, in one pass over the document."""
    java = _java_classes(path)
    out: dict[int, list[PageTable]] = {}
    try:
        document = java["PDDocument"].load(java["File"](str(path)))
    except Exception as exc:
        raise CorruptFileError(path, f"tabula could not open the PDF ({exc})") from exc
    try:
        extractor = java["ObjectExtractor"](document)
        algorithm = java["Spreadsheet"]()
        writer = java["JSONWriter"]()
        wanted = pages
        pages = extractor.extract()
        while pages.hasNext():
            page = pages.next()
            if wanted is not None and int(page.getPageNumber()) not in wanted:
                continue
            tables = algorithm.extract(page)
            if tables.isEmpty():
                continue
            buffer = java["StringBuilder"]()
            writer.write(buffer, tables)
            number = int(page.getPageNumber())
            for table in json.loads(str(buffer.toString())):
                rows = [
                    [
                        Cell(_clean_cell_text(c["text"]), c["left"], c["top"], c["width"], c["height"])
                        for c in row
                        if c["width"] > 0
                    ]
                    for row in table["data"]
                ]
                rows = [r for r in rows if r]
                if rows:
                    out.setdefault(number, []).append(
                        PageTable(number, table["top"], table["bottom"], table["left"], table["right"], rows)
                    )
    finally:
        document.close()
    return {page: _dedupe(tables) for page, tables in out.items()}


def _dedupe(tables: list[PageTable]) -> list[PageTable]:
    """tabula reports nested rulings twice: keep one table per ruled area and content."""
    kept: list[PageTable] = []
    for table in tables:
        key = (round(table.top), round(table.left), round(table.bottom), round(table.right), len(table.rows))
        if any((round(k.top), round(k.left), round(k.bottom), round(k.right), len(k.rows)) == key for k in kept):
            continue
        kept.append(table)
    return kept


# --------------------------------------------------------------------------- pdfplumber backend


def _tables_pdfplumber(path: Path, pages: set[int] | None = None) -> dict[int, list[PageTable]]:
    """The ruled tables pdfplumber finds, by page (only the given page numbers, when given)."""
    import pdfplumber

    out: dict[int, list[PageTable]] = {}
    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:
        raise CorruptFileError(path, f"pdfplumber could not open the PDF ({exc})") from exc
    with pdf:
        for number, page in enumerate(pdf.pages, start=1):
            if pages is not None and number not in pages:
                continue
            for table in page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"}):
                texts = table.extract()
                rows: list[list[Cell]] = []
                for row, row_texts in zip(table.rows, texts):
                    cells = []
                    for bbox, text in zip(row.cells, row_texts):
                        if bbox is None:
                            continue
                        x0, top, x1, bottom = bbox
                        cells.append(Cell(_clean_cell_text(text), x0, top, x1 - x0, bottom - top))
                    if cells:
                        rows.append(cells)
                if rows:
                    x0, top, x1, bottom = table.bbox
                    out.setdefault(number, []).append(PageTable(number, top, bottom, x0, x1, rows))
    for tables in out.values():
        tables.sort(key=lambda t: t.top)
    return out

