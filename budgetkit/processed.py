"""The processed folder of one document — ``data/processed/<doc_id>/`` — in one place.

This module alone knows the folder's layout, how each file is written and how it is read back;
every other module asks it. A document's folder holds:

=========================== ==============================================================
``tidy.parquet``            every amount cell, long and exact (``amount``/``amount_yuan`` Decimal)
``tidy.csv``                the same as CSV (UTF-8 with BOM: opens right in Excel on Windows)
``tables/<table_id>.csv``   each table as printed (wide), with page/line
``narrative.csv``           the 情况说明 lines with file, page and line
``claims.csv``              every number the narrative states
``prior_year.csv``          the prior-year values its stated changes imply
``performance_lines.csv``   the 绩效目标表 lines, block by block
``findings.parquet/.csv``   every check run, its status and the numbers it rests on
``narrative_coverage.*``    each amount and rate the narrative states: checked or not, and why
``document.json``           metadata, files, tables (title, unit, notes, where), blocks
``extraction.json``         tables expected/found, cells parsed, reader warnings
``build.json``              the source files (absolute paths) and their fingerprint (``budgetkit report``)
``<doc_id>.xlsx``           the workbook: one sheet per table as printed, tidy, findings
=========================== ==============================================================

Loading: :func:`load_processed` (everything, for the notebooks), :func:`load_tidy` (exact; with
``floats=True`` the amounts as ``float64`` for analysis — ``describe()``, plotting — never for
checks), :func:`load_document` (the document rebuilt from the folder, so the checks run again
without reading the PDF: ``budgetkit check data/processed/<doc_id>``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

TIDY_PARQUET = "tidy.parquet"
TIDY_CSV = "tidy.csv"
TABLES_DIR = "tables"
NARRATIVE_CSV = "narrative.csv"
CLAIMS_CSV = "claims.csv"
PRIOR_YEAR_CSV = "prior_year.csv"
PERFORMANCE_CSV = "performance_lines.csv"
NARRATIVE_COVERAGE_CSV = "narrative_coverage.csv"
NARRATIVE_COVERAGE_JSON = "narrative_coverage.json"
FINDINGS_PARQUET = "findings.parquet"
FINDINGS_CSV = "findings.csv"
DOCUMENT_JSON = "document.json"
EXTRACTION_JSON = "extraction.json"
#: What the document was extracted from (absolute file paths, metadata) and a fingerprint of it,
#: written by ``budgetkit report`` so that it re-extracts only what changed.
SOURCES_JSON = "build.json"
#: Per-document run status beside the documents (``<processed>/_status/<doc_id>.json``).
STATUS_DIR = "_status"
#: CSV encoding: UTF-8 with a byte-order mark, so Excel on Windows reads the Chinese right.
CSV_ENCODING = "utf-8-sig"

PERFORMANCE_COLUMNS = ["block", "kind", "file", "page", "line", "text"]
LINE_COLUMNS = ["file", "page", "line", "text"]


@dataclass(frozen=True)
class DocumentFolder:
    """The paths of one document's processed folder.

    Args:
        root: ``data/processed/<doc_id>`` (or a temporary folder being filled).
        doc_id: The document id (default: the folder name).
    """

    root: Path
    doc_id: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))
        if not self.doc_id:
            object.__setattr__(self, "doc_id", self.root.name)

    def __truediv__(self, name: str) -> Path:
        return self.root / name

    @property
    def tidy_parquet(self) -> Path:
        return self.root / TIDY_PARQUET

    @property
    def tidy_csv(self) -> Path:
        return self.root / TIDY_CSV

    @property
    def tables_dir(self) -> Path:
        return self.root / TABLES_DIR

    def table_csv(self, table_id: str) -> Path:
        return self.tables_dir / f"{table_id}.csv"

    @property
    def narrative_csv(self) -> Path:
        return self.root / NARRATIVE_CSV

    @property
    def claims_csv(self) -> Path:
        return self.root / CLAIMS_CSV

    @property
    def prior_year_csv(self) -> Path:
        return self.root / PRIOR_YEAR_CSV

    @property
    def performance_csv(self) -> Path:
        return self.root / PERFORMANCE_CSV

    @property
    def coverage_csv(self) -> Path:
        return self.root / NARRATIVE_COVERAGE_CSV

    @property
    def coverage_json(self) -> Path:
        return self.root / NARRATIVE_COVERAGE_JSON

    @property
    def findings_parquet(self) -> Path:
        return self.root / FINDINGS_PARQUET

    @property
    def findings_csv(self) -> Path:
        return self.root / FINDINGS_CSV

    @property
    def document_json(self) -> Path:
        return self.root / DOCUMENT_JSON

    @property
    def extraction_json(self) -> Path:
        return self.root / EXTRACTION_JSON

    @property
    def sources_json(self) -> Path:
        return self.root / SOURCES_JSON

    def source_paths(self) -> list[Path]:
        """The files the document was extracted from, where ``budgetkit report`` recorded them."""
        if not self.sources_json.exists():
            return []
        return [Path(p) for p in read_json(self.sources_json).get("files", [])]

    @property
    def workbook(self) -> Path:
        return self.root / f"{self.doc_id}.xlsx"

    def exists(self) -> bool:
        """True when the document was extracted (its ``document.json`` is there)."""
        return self.document_json.exists()

    def has_findings(self) -> bool:
        return self.findings_parquet.exists() or self.findings_csv.exists()

    def files(self) -> list[Path]:
        """Every file of the folder, sorted (what a report is built from)."""
        return sorted(p for p in self.root.rglob("*") if p.is_file())


def folder(processed_dir: str | Path, doc_id: str) -> DocumentFolder:
    """The folder of ``doc_id`` under a processed folder (``data/processed``)."""
    return DocumentFolder(Path(processed_dir) / doc_id, doc_id)


def status_path(processed_dir: str | Path, doc_id: str) -> Path:
    """``<processed>/_status/<doc_id>.json``: how the latest extraction of a document went."""
    return Path(processed_dir) / STATUS_DIR / f"{doc_id}.json"


def processed_ids(processed_dir: str | Path) -> list[str]:
    """The ids of the documents extracted into a processed folder, sorted."""
    root = Path(processed_dir)
    if not root.is_dir():
        return []
    return sorted(p.parent.name for p in root.glob(f"*/{DOCUMENT_JSON}") if not p.parent.name.startswith((".", "_")))


# --------------------------------------------------------------------------- writing and reading files


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write a CSV the way every processed CSV is written: UTF-8 with BOM, no index."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, encoding=CSV_ENCODING)
    return path


def read_csv(path: Path, *, text: bool = True) -> pd.DataFrame:
    """Read a processed CSV (BOM or not), blank cells as ``""``; every column as text unless ``text=False``."""
    return pd.read_csv(path, dtype=str if text else None, keep_default_na=False, encoding=CSV_ENCODING)


def write_json(data: Any, path: Path) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path


def read_json(path: Path) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def lines_frame(lines) -> pd.DataFrame:
    """Text lines (narrative, 绩效目标表) as a frame: file, page, line, text."""
    return pd.DataFrame(
        [{"file": l.location.file, "page": l.location.page, "line": l.location.line, "text": l.text} for l in lines],
        columns=LINE_COLUMNS,
    )


def write_tidy(tidy: pd.DataFrame, where: DocumentFolder) -> None:
    """``tidy.parquet`` (exact) and ``tidy.csv`` (BOM)."""
    tidy.to_parquet(where.tidy_parquet, index=False)
    write_csv(tidy, where.tidy_csv)


def write_lines(document, where: DocumentFolder) -> None:
    """``narrative.csv`` and ``performance_lines.csv`` of a document."""
    write_csv(lines_frame(document.narrative), where.narrative_csv)
    perf = [
        {"block": i, "kind": b.kind, **row}
        for i, b in enumerate(document.performance_blocks, start=1)
        for row in lines_frame(b.lines).to_dict("records")
    ]
    write_csv(pd.DataFrame(perf, columns=PERFORMANCE_COLUMNS), where.performance_csv)


# --------------------------------------------------------------------------- loading


def load_tidy(source: str | Path | DocumentFolder, doc_id: str | None = None, *, floats: bool = False) -> pd.DataFrame:
    """A document's tidy table.

    Args:
        source: The document's folder, or the processed folder with ``doc_id``.
        doc_id: The document id when ``source`` is the processed folder.
        floats: Give ``amount`` and ``amount_yuan`` as ``float64`` (``NaN`` for a blank cell) for
            analysis — ``describe()``, ``groupby().sum()``, plotting. Floats carry binary rounding
            noise: use the exact default (``Decimal``) to decide anything, as the checks do.

    Example:
        >>> tidy = load_tidy("data/processed", "qinshui-police-2025", floats=True)  # doctest: +SKIP
        >>> tidy.query("table_id == 'general_expenditure' and row_role == 'line'")["amount_yuan"].sum()  # doctest: +SKIP
    """
    where = _folder(source, doc_id)
    if not where.tidy_parquet.exists():
        raise FileNotFoundError(f"{where.root}: not extracted yet — run `budgetkit extract` (or `make data`) first")
    tidy = pd.read_parquet(where.tidy_parquet)
    if floats:
        for column in ("amount", "amount_yuan"):
            tidy[column] = pd.to_numeric(tidy[column].map(lambda v: None if v is None else float(v)), errors="coerce").astype("float64")
    return tidy


def _folder(source: str | Path | DocumentFolder, doc_id: str | None) -> DocumentFolder:
    if isinstance(source, DocumentFolder):
        return source
    return folder(source, doc_id) if doc_id else DocumentFolder(Path(source))


def load_summary(where: DocumentFolder) -> dict[str, Any]:
    """``document.json``: metadata, files, tables."""
    return read_json(where.document_json)


def load_extraction(where: DocumentFolder) -> dict[str, Any]:
    """``extraction.json``: tables expected and found, cells parsed."""
    return read_json(where.extraction_json)


def load_lines(where: DocumentFolder) -> pd.DataFrame:
    """``narrative.csv`` as text."""
    return read_csv(where.narrative_csv) if where.narrative_csv.exists() else pd.DataFrame(columns=LINE_COLUMNS)


def load_claims(where: DocumentFolder) -> pd.DataFrame:
    """``claims.csv`` (the narrative's stated numbers, as written), or an empty frame."""
    if not where.claims_csv.exists():
        return pd.DataFrame(columns=["kind", "subject", "value", "unit", "section", "sentence", "line"])
    return read_csv(where.claims_csv)


def load_findings(where: DocumentFolder) -> pd.DataFrame | None:
    """The findings of the checks, or ``None`` when the checks did not run."""
    if not where.has_findings():
        return None
    from budgetkit.checks import read_findings

    return read_findings(where.root)


def load_table(where: DocumentFolder, table_id: str) -> pd.DataFrame:
    """One table as printed (``tables/<table_id>.csv``), cells as text."""
    return read_csv(where.table_csv(table_id))


@dataclass
class ProcessedDocument:
    """Everything written for one document under ``data/processed/<doc_id>/``."""

    doc_id: str
    path: Path
    summary: dict[str, Any]
    extraction: dict[str, Any]
    tidy: pd.DataFrame
    narrative: pd.DataFrame
    findings: pd.DataFrame | None = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def folder(self) -> DocumentFolder:
        return DocumentFolder(self.path, self.doc_id)

    @property
    def title(self) -> str:
        return self.summary.get("metadata", {}).get("title") or self.doc_id

    @property
    def metadata(self) -> dict[str, Any]:
        return self.summary.get("metadata", {})

    def table_meta(self, table_id: str) -> dict[str, Any]:
        return next(t for t in self.summary["tables"] if t["table_id"] == table_id)


def load_processed(doc_id: str, processed_dir: str | Path = "data/processed") -> ProcessedDocument:
    """Load a processed document (tidy data, tables as printed, narrative, findings).

    Raises:
        FileNotFoundError: The document was not extracted (run ``budgetkit extract`` first).
    """
    where = folder(processed_dir, doc_id)
    if not where.exists():
        raise FileNotFoundError(f"{where.root}: not extracted yet — run `budgetkit extract` (or `make data`) first")
    summary = load_summary(where)
    tables = {t["table_id"]: load_table(where, t["table_id"]) for t in summary["tables"] if where.table_csv(t["table_id"]).exists()}
    return ProcessedDocument(doc_id, where.root, summary, load_extraction(where), load_tidy(where), load_lines(where),
                             load_findings(where), tables)


def load_document(source: str | Path | DocumentFolder, doc_id: str | None = None):
    """The document rebuilt from its processed folder — enough for the checks, without the PDF.

    Tables keep their title, label, unit, notes, department, location and body rows as printed;
    narrative and 绩效目标表 lines keep file, page and line.
    """
    from budgetkit.model import Document, Location, RawTable, SourceFile, TextBlock, TextLine

    where = _folder(source, doc_id)
    summary = load_summary(where)
    files = [SourceFile(**{k: v for k, v in f.items() if k in ("path", "sha256", "role", "part")}) for f in summary.get("files", [])]
    document = Document(summary["doc_id"], summary.get("metadata", {}), files)
    for meta in summary.get("tables", []):
        source_place = meta.get("source") or {}
        location = Location(source_place.get("file", meta.get("location", "?")), source_place.get("page"), source_place.get("line"))
        table = RawTable(meta["table_id"], meta["title"], location, label=meta.get("label"), unit=meta.get("unit"),
                         empty=bool(meta.get("empty")), notes=list(meta.get("notes") or []), department=meta.get("department"))
        if where.table_csv(meta["table_id"]).exists():
            printed = load_table(where, meta["table_id"])
            cells = printed.drop(columns=[c for c in ("page", "line") if c in printed.columns])
            table.header_rows = [list(cells.columns)]
            table.body_rows = cells.values.tolist()
            table.body_locations = [Location(location.file, _int(p), _int(l)) for p, l in
                                    zip(printed.get("page", [""] * len(printed)), printed.get("line", [""] * len(printed)))]
        document.tables[meta["table_id"]] = table
    document.narrative = [TextLine(r.text, Location(r.file, _int(r.page), _int(r.line))) for r in load_lines(where).itertuples()]
    blocks = summary.get("blocks") or []
    if where.performance_csv.exists():
        lines = read_csv(where.performance_csv)
        for number, rows in lines.groupby("block", sort=False):
            meta = blocks[int(number) - 1] if int(number) - 1 < len(blocks) else {}
            document.performance_blocks.append(TextBlock(
                meta.get("kind") or rows["kind"].iloc[0], meta.get("title", ""),
                [TextLine(r.text, Location(r.file, _int(r.page), _int(r.line))) for r in rows.itertuples()]))
    document.parts = {int(k): v for k, v in (summary.get("parts") or {}).items()}
    document.warnings = list(summary.get("warnings") or [])
    if where.extraction_json.exists():
        # The reading measure, so a table not read in full is again never reported as in error.
        extraction = load_extraction(where)
        document.reading = {**(extraction.get("reading") or {}), "tables": {
            t["table_id"]: {"printed": t.get("printed"), "read": t.get("read"), "pages": t.get("pages", []),
                            "complete": t.get("printed") is None or (t.get("read") or 0) >= (t.get("printed") or 0)}
            for t in extraction.get("tables", [])}}
    return document


def _int(value: Any) -> int | None:
    text = str(value).strip() if value is not None else ""
    return int(float(text)) if text and text.lower() not in ("nan", "<na>", "none") else None


def check_folder(source: str | Path | DocumentFolder) -> pd.DataFrame:
    """Run every check again on a processed folder (no PDF read) and write the findings there."""
    from budgetkit.checks import run_checks, write_findings

    where = _folder(source, None)
    findings = run_checks(load_document(where), load_tidy(where))
    write_findings(findings, where.root)
    return findings
