"""Shared fixtures: the seed disclosure read once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SEED = RAW / "qinshui-police-2025.txt"
SEED_ID = "qinshui-police-2025"


@pytest.fixture(scope="session")
def seed_document():
    from budgetkit.manifest import read_manifest
    from budgetkit.pipeline import read_spec

    spec = next(s for s in read_manifest(RAW / "manifest.csv") if s.doc_id == SEED_ID)
    return read_spec(spec)


@pytest.fixture(scope="session")
def seed_tidy(seed_document):
    from budgetkit.tidy import tidy_document

    return tidy_document(seed_document)


# Builders for small documents made of real excerpts (the checks tests).


def raw_table(table_id, columns, rows, unit="万元", empty=False, notes=(), start_line=10, file="t.txt"):
    """A RawTable whose body columns are already mapped to catalog ids, rows on consecutive lines."""
    from budgetkit.model import Location, RawTable

    return RawTable(
        table_id=table_id, title=f"表 {table_id}", location=Location(file, line=start_line - 2), unit=unit,
        body_rows=[list(r) for r in rows], body_locations=[Location(file, line=start_line + i) for i in range(len(rows))],
        columns=list(columns), empty=empty, notes=list(notes),
    )


def small_document(*tables, narrative=(), file="t.txt"):
    """A Document of the given tables and narrative lines (from line 500)."""
    from budgetkit.model import Document, Location, TextLine

    doc = Document(doc_id="t", metadata={}, files=[])
    for t in tables:
        doc.tables[t.table_id] = t
    doc.narrative = [TextLine(text, Location(file, line=500 + i)) for i, text in enumerate(narrative)]
    return doc



@pytest.fixture(scope="session")
def bundled_documents():
    """Every document of the manifest, read once per session: ``{doc_id: Document}``."""
    from budgetkit.manifest import read_manifest
    from budgetkit.pipeline import read_spec

    return {spec.doc_id: read_spec(spec) for spec in read_manifest(RAW / "manifest.csv")}


@pytest.fixture(scope="session")
def bundled_tidy(bundled_documents):
    """The tidy frame of every bundled document: ``{doc_id: DataFrame}``."""
    from budgetkit.tidy import tidy_document

    return {doc_id: tidy_document(document) for doc_id, document in bundled_documents.items()}


@pytest.fixture(scope="session")
def bundled_findings(bundled_documents, bundled_tidy):
    """The findings of every bundled document: ``{doc_id: DataFrame}``."""
    from budgetkit.checks import run_checks

    return {doc_id: run_checks(document, bundled_tidy[doc_id]) for doc_id, document in bundled_documents.items()}


@pytest.fixture(scope="session")
def bundled_reading(bundled_documents, bundled_tidy, bundled_findings):
    """Per bundled document, how each table was read: ``{doc_id: {table_id: "read" | "unreadable"}}``."""
    from budgetkit.pipeline import extraction_report

    out = {}
    for doc_id, document in bundled_documents.items():
        report = extraction_report(document, bundled_tidy[doc_id], bundled_findings[doc_id])
        out[doc_id] = {t["table_id"]: t.get("reading_status", "read") for t in report["tables"]}
    return out


def _manifest_ids() -> list[str]:
    import csv

    with open(RAW / "manifest.csv", encoding="utf-8", newline="") as handle:
        return list(dict.fromkeys(row["doc_id"] for row in csv.DictReader(handle)))


#: Every document of the bundled manifest (for tests parametrized by document).
BUNDLED_IDS = _manifest_ids()
