"""Run documents end to end: read → tidy → write ``<out>/<doc_id>/`` atomically.

Output of one document (``data/processed/<doc_id>/``):

* ``tidy.parquet`` / ``tidy.csv`` — every amount cell, long and exact (:mod:`budgetkit.tidy`);
* ``tables/<table_id>.csv`` — each table as printed (wide);
* ``narrative.csv`` — the 情况说明 lines with their location;
* ``claims.csv`` / ``prior_year.csv`` — every number the narrative states, and the prior-year
  values its stated changes imply (:mod:`budgetkit.narrative`);
* ``performance_lines.csv`` — the rows of the 绩效目标表 blocks with their location;
* ``document.json`` — metadata, tables found, rows per table;
* ``extraction.json`` — the extraction report (tables expected/found, cells parsed).

Everything is written to a temporary folder first and moved into place only when complete, so
a failed document leaves nothing half-written and an earlier good output is kept.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from budgetkit.amounts import is_blank
from budgetkit.catalog import load_catalog
from budgetkit.errors import BudgetkitError
from budgetkit.kinds import kind_of, template_for
from budgetkit.manifest import DocumentSpec
from budgetkit.model import Document
from budgetkit.reading import reading_measure
from budgetkit.sources import read_document
from budgetkit.tidy import map_columns, tidy_document, wide_table


@dataclass
class DocumentResult:
    """What happened to one document of a run."""

    doc_id: str
    ok: bool
    out_dir: Path | None = None
    error: str | None = None
    error_kind: str | None = None
    files: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


def extraction_report(document: Document, tidy: pd.DataFrame, findings: pd.DataFrame | None = None) -> dict[str, Any]:
    """Tables expected and found, rows and numeric cells per table.

    Args:
        document: The document as read.
        tidy: Its tidy frame.
        findings: Its findings, when the checks ran: each table's identities (within-table
            checks) are counted, and a table whose identities fail systematically is
            ``unreadable`` like one whose printed amounts did not all arrive.
    """
    kind = kind_of(document)
    template = template_for(document.metadata, kind, [t.title for t in document.tables.values()])
    # One pass over the tidy columns (no per-table DataFrame filtering): cells, printed, unparsed.
    counts: dict[Any, list] = {}
    for table_id, text, amount in zip(tidy["table_id"].tolist(), tidy["value_text"].tolist(), tidy["amount"].tolist()):
        entry = counts.setdefault(table_id, [0, 0, 0, []])
        entry[0] += 1
        if is_blank(text):
            continue
        entry[1] += 1
        if pd.isna(amount):
            entry[3].append(text)
        else:
            entry[2] += 1
    measure = document.reading or reading_measure(document, tidy)
    identities = _identities_by_table(findings)
    tables = []
    for table in document.tables.values():
        n_cells, n_printed, n_parsed, unparsed = counts.get(table.table_id, (0, 0, 0, []))
        read = measure["tables"].get(table.table_id, {})
        complete = read.get("complete", True) and not (measure["applicable"] and n_printed > n_parsed)
        held, run, systematic = identities.get(table.table_id, (0, 0, 0))
        reasons = []
        if not complete:
            reasons.append(f"{read.get('read', 0)}/{read.get('printed', 0)} printed amounts read" if read else "unparsed cells")
        if systematic:
            reasons.append(f"{systematic} identities fail on most rows")
        tables.append(
            {
                "table_id": table.table_id,
                "title": table.title,
                "label": table.label,
                "unit": table.unit,
                "empty": table.empty,
                "body_rows": len(table.body_rows),
                "amount_cells": n_cells,
                "numeric_cells_printed": n_printed,
                "numeric_cells_parsed": n_parsed,
                "unparsed_values": sorted(set(unparsed))[:10],
                "location": str(table.location),
                "pages": read.get("pages", []),
                "printed": read.get("printed"),
                "read": read.get("read"),
                "missing": read.get("missing", []),
                "reading": table.reading,
                "identities_held": held,
                "identities_run": run,
                "reading_status": "unreadable" if reasons else "read",
                "reading_problem": "; ".join(reasons) or None,
            }
        )
    return {
        "doc_id": document.doc_id,
        "kind": kind,
        "reading": {k: v for k, v in measure.items() if k != "tables"},
        "template": template.id,
        "tables_expected": list(template.expected),
        "tables_found": list(document.tables),
        "tables_missing": [t for t in template.expected if t not in document.tables],
        "tables_empty": [t.table_id for t in document.tables.values() if t.empty],
        "tables": tables,
        "narrative_lines": len(document.narrative),
        "performance_blocks": len(document.performance_blocks),
        "warnings": document.warnings,
    }


def _identities_by_table(findings: pd.DataFrame | None) -> dict[str, tuple[int, int, int]]:
    """(held, run, failed systematically) within-table identities per table."""
    out: dict[str, list[int]] = {}
    if findings is None or findings.empty:
        return {}
    within = findings[(findings["family"] == "within_table") & (findings["status"] != "not_applicable")]
    for tables, passed, status in zip(within["tables"], within["passed"], within["status"]):
        for table_id in str(tables).split(","):
            entry = out.setdefault(table_id, [0, 0, 0])
            entry[1] += 1
            entry[0] += bool(passed)
            entry[2] += status == "unreadable"
    return {k: tuple(v) for k, v in out.items()}


def write_document(document: Document, out_root: Path, extra: Callable[[Document, pd.DataFrame, Path], pd.DataFrame | None] | None = None) -> Path:
    """Write one document's outputs under ``out_root/<doc_id>/``, atomically.

    Args:
        document: The document as read.
        out_root: The processed-data folder.
        extra: Called with ``(document, tidy, tmp_dir)`` to add more outputs (checks) before
            the folder is moved into place; what it returns (the findings) feeds the extraction report.

    Returns:
        The document's output folder.
    """
    out_root = Path(out_root)
    out_root.mkdir(parents=True, exist_ok=True)
    final = out_root / document.doc_id
    tmp = Path(tempfile.mkdtemp(prefix=f".{document.doc_id}.", dir=out_root))
    try:
        catalog = load_catalog()
        columns = {t.table_id: map_columns(t, catalog.table(t.table_id)) for t in document.tables.values()}
        tidy = tidy_document(document, catalog, columns)
        tidy.to_parquet(tmp / "tidy.parquet", index=False)
        tidy.to_csv(tmp / "tidy.csv", index=False)
        (tmp / "tables").mkdir()
        for table in document.tables.values():
            wide_table(table, columns[table.table_id]).to_csv(tmp / "tables" / f"{table.table_id}.csv", index=False)
        _lines_frame(document.narrative).to_csv(tmp / "narrative.csv", index=False)
        perf = [
            {"block": i, "kind": b.kind, **row}
            for i, b in enumerate(document.performance_blocks, start=1)
            for row in _lines_frame(b.lines).to_dict("records")
        ]
        pd.DataFrame(perf, columns=["block", "kind", "file", "page", "line", "text"]).to_csv(tmp / "performance_lines.csv", index=False)
        _write_claims(document, tmp)
        summary = {**document.summary(), "kind": kind_of(document)}
        (tmp / "document.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        document.reading = reading_measure(document, tidy)
        findings = extra(document, tidy, tmp) if extra is not None else None
        report = extraction_report(document, tidy, findings)
        (tmp / "extraction.json").write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        _replace_dir(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def _write_claims(document: Document, out_dir: Path) -> None:
    """The numbers the narrative states (claims.csv) and the prior-year values they imply."""
    from budgetkit.narrative import claims_frame, extract_claims, implied_prior_year, prior_year_frame

    department = document.metadata.get("publisher") or None
    claims = extract_claims(document.narrative, department=department)
    claims_frame(claims).to_csv(out_dir / "claims.csv", index=False)
    prior_year_frame(implied_prior_year(claims)).to_csv(out_dir / "prior_year.csv", index=False)


def _lines_frame(lines) -> pd.DataFrame:
    return pd.DataFrame(
        [{"file": l.location.file, "page": l.location.page, "line": l.location.line, "text": l.text} for l in lines],
        columns=["file", "page", "line", "text"],
    )


def _replace_dir(tmp: Path, final: Path) -> None:
    """Move ``tmp`` to ``final``; an existing ``final`` is kept aside until the move succeeded."""
    backup = None
    if final.exists():
        backup = final.with_name(f".{final.name}.old")
        if backup.exists():
            shutil.rmtree(backup)
        final.rename(backup)
    try:
        tmp.rename(final)
    except BaseException:
        if backup is not None:
            backup.rename(final)
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


def read_spec(spec: DocumentSpec, **options: Any) -> Document:
    """Verify a manifest document's checksums, read it, and record each file's sha256."""
    hashes = spec.verify()
    document = read_document(spec.files, spec.doc_id, spec.metadata, **options)
    for source, digest in zip(document.files, hashes):
        source.sha256 = digest
    return document


def process_document(spec: DocumentSpec, out_root: Path, *, with_checks: bool = True, **options: Any) -> DocumentResult:
    """Read, tidy, check and write one document; record its status in ``out_root/_status/``.

    Errors are caught and returned in the result, never raised: one bad document never stops
    a batch.
    """
    result = _process(spec, out_root, with_checks=with_checks, **options)
    status_dir = Path(out_root) / "_status"
    status_dir.mkdir(parents=True, exist_ok=True)
    status = {"doc_id": result.doc_id, "ok": result.ok, "error": result.error, "error_kind": result.error_kind, "files": result.files}
    (status_dir / f"{result.doc_id}.json").write_text(json.dumps(status, ensure_ascii=False, indent=2), encoding="utf-8")
    return result


def _process(spec: DocumentSpec, out_root: Path, *, with_checks: bool = True, **options: Any) -> DocumentResult:
    """Process one document.

    Args:
        spec: The document (from the manifest or from paths).
        out_root: The processed-data folder.
        with_checks: Also run the reconciliation rules and write ``findings``.
        **options: Reader options (``encoding``, ``backend``).
    """
    try:
        document = read_spec(spec, **options)
        extra = _write_findings if with_checks else None
        out_dir = write_document(document, out_root, extra)
        summary = json.loads((out_dir / "extraction.json").read_text(encoding="utf-8"))
        return DocumentResult(spec.doc_id, True, out_dir, files=[str(p) for p in spec.files], summary=summary)
    except BudgetkitError as exc:
        return DocumentResult(spec.doc_id, False, error=str(exc), error_kind=exc.kind, files=[str(p) for p in spec.files])
    except Exception as exc:  # one bad document never stops a batch
        return DocumentResult(
            spec.doc_id, False, error=f"{spec.files[0]}: unexpected {type(exc).__name__}: {exc}", error_kind="internal error",
            files=[str(p) for p in spec.files],
        )


def _write_findings(document: Document, tidy: pd.DataFrame, out_dir: Path) -> pd.DataFrame:
    from budgetkit.checks import run_checks, write_findings

    findings = run_checks(document, tidy)
    write_findings(findings, out_dir)
    return findings
