"""The in-memory model every reader produces and every later stage consumes.

A reader (:mod:`budgetkit.sources`) turns one document — one or several files — into a
:class:`Document`: its tables as printed (:class:`RawTable`), its narrative lines and its
performance-target blocks, each piece with its :class:`Location` in the source.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Location:
    """Where something stands in the source: file, and page and/or line (1-based)."""

    file: str
    page: int | None = None
    line: int | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.page is not None:
            parts.append(f"p.{self.page}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        return " ".join(parts)


@dataclass
class TextLine:
    """One line of text with its location; ``cells`` splits tab-separated table rows."""

    text: str
    location: Location

    @property
    def cells(self) -> list[str]:
        return self.text.split("\t")


@dataclass(frozen=True)
class PrintedAmount:
    """An amount printed on a table page, read straight off the PDF's text layer.

    The reference of the reading measure: every one of them should reach the tidy table.

    Attributes:
        file: The file name.
        page: 1-based page number.
        text: The word as printed (``2,776.75``).
        x0, top, x1, bottom: Its box on the displayed page (points, y from the top).
        in_ruled_table: Whether it stands inside a ruled table area.
    """

    file: str
    page: int
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    in_ruled_table: bool = False


@dataclass(frozen=True)
class Region:
    """Where a table (or one page of it) stands: page and box (points, y from the top)."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float

    def holds(self, amount: PrintedAmount, tolerance: float = 1.0) -> bool:
        cx, cy = (amount.x0 + amount.x1) / 2, (amount.top + amount.bottom) / 2
        return (
            amount.page == self.page
            and self.x0 - tolerance <= cx <= self.x1 + tolerance
            and self.top - tolerance <= cy <= self.bottom + tolerance
        )


@dataclass
class RawTable:
    """A standard table as printed, before tidying.

    Attributes:
        table_id: Canonical id from the catalog (``"summary"``, ``"income"`` …).
        title: The title as printed (``"2025年预算收支总表"``).
        label: The table label as printed (``"预算公开表1"``, ``"表一"``), if any.
        unit: The unit from the table's own 单位 line (``"万元"``, ``"元"``), if any.
        header_rows: Header rows as printed, one list of cell texts a row.
        body_rows: Body rows, one list of cell texts a row (wrapped cells already joined).
        body_locations: The location of each body row.
        location: Where the title stands.
        empty: True when the table is printed without data (注：本表无数据 or no body rows).
        notes: Notes printed under the table (``注：…``).
        department: The 部门名称/单位名称 line, if printed.
        columns: Canonical column ids for the body columns when the reader already knows them
            (PDF readers mapping by geometry); ``None`` lets :mod:`budgetkit.tidy` map them from
            the header rows through the catalog.
        regions: Where the table stands on each page it covers (PDF readers).
        file: The file the table was read from.
        reading: The method whose reading was kept (``grid``, ``tabula`` …), PDF readers only.
    """

    table_id: str
    title: str
    location: Location
    label: str | None = None
    unit: str | None = None
    header_rows: list[list[str]] = field(default_factory=list)
    body_rows: list[list[str]] = field(default_factory=list)
    body_locations: list[Location] = field(default_factory=list)
    empty: bool = False
    notes: list[str] = field(default_factory=list)
    department: str | None = None
    columns: list[str] | None = None
    regions: list[Region] = field(default_factory=list)
    file: str | None = None
    reading: str | None = None

    @property
    def n_columns(self) -> int:
        widths = [len(r) for r in self.body_rows + self.header_rows]
        return max(widths) if widths else 0


@dataclass
class TextBlock:
    """A block of lines that belong together (a 绩效目标表, an appendix table)."""

    kind: str
    title: str
    lines: list[TextLine]

    @property
    def location(self) -> Location:
        return self.lines[0].location if self.lines else Location("?")


@dataclass
class SourceFile:
    """One file of a document as listed in the manifest."""

    path: str
    sha256: str | None = None
    role: str = "document"
    part: int = 1


@dataclass
class Document:
    """A disclosure: metadata, files, tables, narrative and performance-target blocks.

    Attributes:
        doc_id: Stable id (the manifest's, or the file stem).
        metadata: Manifest fields (title, publisher, region, level, fiscal_year, template …).
        files: The source files in reading order.
        tables: Standard tables found, keyed by canonical table id, in printed order.
        narrative: Lines of the 情况说明 (the part that restates numbers), in order.
        performance_blocks: 绩效目标表 blocks (整体支出 and 项目支出), in order.
        other_blocks: Other tabular blocks (appendices) kept for completeness.
        parts: Title of each 第N部分 found, keyed by its number.
        warnings: Things the reader noticed but could work around.
        repeats: Repeated content dropped after reading (:mod:`budgetkit.repeats`), one sentence each.
        printed_amounts: Every amount printed on the table pages of the PDF files, as the text
            layer has it (the reference of the reading measure; empty for text dumps).
        reading: The reading measure once computed (:func:`budgetkit.reading.reading_measure`):
            the checks report nothing as an error on a table that was not read in full.
        kind: ``budget`` (部门预算) or ``final`` (部门决算), as the document shows itself
            (:func:`budgetkit.kinds.document_kind`).
    """

    doc_id: str
    metadata: dict[str, Any]
    files: list[SourceFile]
    tables: dict[str, RawTable] = field(default_factory=dict)
    narrative: list[TextLine] = field(default_factory=list)
    performance_blocks: list[TextBlock] = field(default_factory=list)
    other_blocks: list[TextBlock] = field(default_factory=list)
    parts: dict[int, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    repeats: list[str] = field(default_factory=list)
    printed_amounts: list[PrintedAmount] = field(default_factory=list)
    reading: dict[str, Any] = field(default_factory=dict)
    kind: str = "budget"

    def summary(self) -> dict[str, Any]:
        """A JSON-ready description (the ``document.json`` written beside the tidy data)."""
        return {
            "doc_id": self.doc_id,
            "metadata": self.metadata,
            "files": [asdict(f) for f in self.files],
            "parts": {str(k): v for k, v in self.parts.items()},
            "tables": [
                {
                    "table_id": t.table_id,
                    "title": t.title,
                    "label": t.label,
                    "unit": t.unit,
                    "empty": t.empty,
                    "body_rows": len(t.body_rows),
                    "location": str(t.location),
                    "source": {"file": t.location.file, "page": t.location.page, "line": t.location.line},
                    "notes": t.notes,
                    "department": t.department,
                }
                for t in self.tables.values()
            ],
            "kind": self.kind,
            "narrative_lines": len(self.narrative),
            "performance_blocks": len(self.performance_blocks),
            "blocks": [{"kind": b.kind, "title": b.title} for b in self.performance_blocks],
            "warnings": self.warnings,
            "repeats": self.repeats,
        }
