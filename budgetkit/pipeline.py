"""Run documents end to end: read → tidy → check → write ``<out>/<doc_id>/`` atomically.

What one document's folder holds, and how each file is written and read, is decided in
:mod:`budgetkit.processed`; ``narrative_coverage.csv`` / ``.json`` say, for each amount and rate
the narrative states, whether it was checked and why not (:mod:`budgetkit.checks.coverage`).

Everything is written to a temporary folder first and moved into place only when complete, so
a failed document leaves nothing half-written and an earlier good output is kept. Two runs
writing the same document at once both succeed (the last one's output stays); temporary
folders left by a killed run are removed by the next one (:func:`clean_leftovers`). An output
folder that cannot be written (full disk, read-only, no permission) gives one line naming it
(:class:`budgetkit.errors.OutputError`), never a traceback.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from budgetkit.amounts import is_blank
from budgetkit.catalog import load_catalog
from budgetkit.errors import BudgetkitError, OutputError
from budgetkit.ids import check_doc_id, is_safe_doc_id
from budgetkit.kinds import template_for
from budgetkit.manifest import DocumentSpec
from budgetkit import processed
from budgetkit.model import Document
from budgetkit.processed import DocumentFolder
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
    template = template_for(document.metadata, document.kind, [t.title for t in document.tables.values()])
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
        "kind": document.kind,
        "content": _content(document),
        "reading": {k: v for k, v in measure.items() if k != "tables"},
        "template": template.id,
        "tables_expected": list(template.expected),
        "tables_found": list(document.tables),
        "tables_listed": (document.metadata.get("toc") or {}).get("titles", []),
        "tables_missing": _missing(document, template),
        "tables_empty": [t.table_id for t in document.tables.values() if t.empty],
        "tables": tables,
        "narrative_lines": len(document.narrative),
        "performance_blocks": len(document.performance_blocks),
        "warnings": document.warnings,
    }


def _missing(document: Document, template) -> list[str]:
    """Standard tables the document should print and does not: those its table of contents (目录)
    lists when it has one, else those its template prints; none for a file of prose only."""
    if _content(document) == "narrative only":
        return []
    toc = document.metadata.get("toc") or {}
    expected = toc.get("tables") or list(template.expected)
    found = {t.split("~")[0] for t in document.tables}
    return [t for t in expected if t not in found]


def _content(document: Document) -> str:
    """``tables and narrative``, ``narrative only`` (its tables published in another file?) or ``tables only``."""
    # Amounts printed as tables that no table holds (an unread table) make a table file too.
    has_tables = any(not t.empty for t in document.tables.values()) or bool(document.printed_amounts)
    if has_tables and document.narrative:
        return "tables and narrative"
    if has_tables:
        return "tables only"
    return "narrative only" if document.narrative else "empty"


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


def write_document(
    document: Document,
    out_root: Path,
    extra: Callable[[Document, pd.DataFrame, Path], pd.DataFrame | None] | None = None,
    reread: Callable[[Document, list[str]], dict] | None = None,
    workbook: bool = True,
) -> Path:
    """Write one document's outputs under ``out_root/<doc_id>/``, atomically.

    Args:
        document: The document as read.
        out_root: The processed-data folder.
        extra: Called with ``(document, tidy, tmp_dir)`` to add more outputs (checks) before
            the folder is moved into place; what it returns (the findings) feeds the extraction report.
        reread: Called with ``(document, table keys)`` for the tables not read reliably: reads
            them again by other methods and keeps the better reading in ``document``
            (:func:`budgetkit.arbitration.arbitrate`); returns its log for the report.
        workbook: Also write the Excel workbook (a third of a document's time: ``batch``,
            which builds a corpus, leaves it out).

    Returns:
        The document's output folder.
    """
    out_root = Path(out_root)
    out_root.mkdir(parents=True, exist_ok=True)
    final = out_root / check_doc_id(document.doc_id)
    tmp = Path(tempfile.mkdtemp(prefix=f".{document.doc_id}.{TMP_TAG}{os.getpid()}-", dir=out_root))
    os.chmod(tmp, 0o777 & ~_UMASK)  # mkdtemp makes 0700; the output is as readable as any folder
    try:
        where = DocumentFolder(tmp, document.doc_id)
        catalog = load_catalog()
        _write_claims(document, where)  # the narrative checks read them
        columns, tidy, findings, report = _tidy_and_check(document, catalog, extra, tmp)
        doubtful = [t["table_id"] for t in report["tables"] if t["reading_status"] == "unreadable"]
        if reread is not None and doubtful:
            log = reread(document, doubtful)
            if any(entry.get("kept") not in (None, "grid") for entry in log.values()):
                columns, tidy, findings, report = _tidy_and_check(document, catalog, extra, tmp)
            report["arbitration"] = log
        processed.write_tidy(tidy, where)
        where.tables_dir.mkdir()
        for table in document.tables.values():
            processed.write_csv(wide_table(table, columns[table.table_id]), where.table_csv(table.table_id))
        processed.write_lines(document, where)
        processed.write_json(document.summary(), where.document_json)
        processed.write_json(report, where.extraction_json)
        if workbook:
            from budgetkit.workbook import write_workbook

            write_workbook(where)
        _replace_dir(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def _tidy_and_check(document: Document, catalog, extra, tmp: Path):
    """Tidy the document, measure its reading, run the checks: (columns, tidy, findings, report)."""
    columns = {t.table_id: map_columns(t, catalog.table(t.table_id)) for t in document.tables.values()}
    tidy = tidy_document(document, catalog, columns)
    document.reading = reading_measure(document, tidy)
    findings = extra(document, tidy, tmp) if extra is not None else None
    return columns, tidy, findings, extraction_report(document, tidy, findings)


def _write_claims(document: Document, where: DocumentFolder) -> None:
    """The numbers the narrative states (claims.csv) and the prior-year values they imply."""
    from budgetkit.narrative import claims_frame, document_claims, implied_prior_year, prior_year_frame

    claims = document_claims(document)
    processed.write_csv(claims_frame(claims), where.claims_csv)
    processed.write_csv(prior_year_frame(implied_prior_year(claims)), where.prior_year_csv)


def _replace_dir(tmp: Path, final: Path) -> None:
    """Move ``tmp`` to ``final``; an existing ``final`` is kept aside until the move succeeded.

    Safe against another run replacing the same folder at the same time: each run keeps the
    old folder aside under a name of its own, and if the other run put its folder in place
    between our two renames, that one is set aside in turn (the last run's output stays).
    """
    for _ in range(20):
        backup = final.with_name(f".{final.name}.{TMP_TAG}{os.getpid()}-old-{uuid.uuid4().hex[:8]}")
        try:
            final.rename(backup)
        except FileNotFoundError:
            backup = None
        try:
            tmp.rename(final)
        except OSError as exc:
            if backup is not None and not final.exists():
                backup.rename(final)  # put the earlier output back
            elif backup is not None:
                shutil.rmtree(backup, ignore_errors=True)
            if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):  # another run got in between: again
                continue
            raise
        if backup is not None:
            shutil.rmtree(backup, ignore_errors=True)
        return
    raise OutputError(final, "another run keeps replacing this folder at the same time; run again")


#: Marks budgetkit's temporary names (``.<doc_id>.~tmp-<pid>-…``) so leftovers can be found.
TMP_TAG = "~tmp-"
_UMASK = os.umask(0)
os.umask(_UMASK)
#: A temporary folder older than this is a leftover even if its pid is alive again (pid reuse).
LEFTOVER_AGE_S = 6 * 3600


def clean_leftovers(out_root: Path) -> list[Path]:
    """Remove temporary folders and files left in ``out_root`` by a killed run.

    A leftover is a ``.<name>.~tmp-<pid>-…`` entry whose process is gone (or that is older than
    :data:`LEFTOVER_AGE_S`); a live run's temporary folder is left alone.

    Returns:
        What was removed.
    """
    removed = []
    try:
        entries = list(Path(out_root).iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = re.match(rf"^\..*\.{re.escape(TMP_TAG)}(\d+)-", entry.name)
        if not match:
            continue
        try:
            old = time.time() - entry.lstat().st_mtime > LEFTOVER_AGE_S
        except OSError:
            continue
        if _alive(int(match.group(1))) and not old:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def prepare_output(out_root: Path) -> Path:
    """Create ``out_root`` if needed, check it can be written, and clean leftovers of killed runs.

    Raises:
        OutputError: It cannot be created or written (read-only, no permission, full disk).
    """
    out_root = Path(out_root)
    try:
        out_root.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=f".probe.{TMP_TAG}{os.getpid()}-", dir=out_root)
        try:
            os.write(fd, b"budgetkit")
        finally:
            os.close(fd)
            os.unlink(probe)
    except OSError as exc:
        raise output_error(exc, out_root) from None
    clean_leftovers(out_root)
    return out_root


#: What an OSError while writing means, in words.
_WRITE_REASONS = {
    errno.ENOSPC: "no space left on device — free some space and run again",
    errno.EDQUOT: "disk quota exceeded — free some space and run again",
    errno.EROFS: "read-only file system — choose another output folder (--out)",
    errno.EACCES: "permission denied — choose an output folder you can write (--out)",
    errno.EPERM: "operation not permitted — choose an output folder you can write (--out)",
    errno.ENAMETOOLONG: "file name too long",
    errno.ENOTDIR: "a path component is not a folder",
}


def output_error(exc: OSError, default: Path | str) -> OutputError:
    """An :class:`OutputError` naming the path ``exc`` is about (else ``default``) and the reason."""
    where = exc.filename or default
    reason = _WRITE_REASONS.get(exc.errno, exc.strerror or str(exc))
    error = OutputError(where, reason)
    error.errno = exc.errno
    return error


def is_fatal_output_error(error: BaseException | str | None) -> bool:
    """Whether an output error means every later document will fail too (disk full, read-only)."""
    if isinstance(error, OutputError):
        return getattr(error, "errno", None) in (errno.ENOSPC, errno.EDQUOT, errno.EROFS)
    text = str(error or "")
    return any(_WRITE_REASONS[e] in text for e in (errno.ENOSPC, errno.EDQUOT, errno.EROFS))


def read_spec(spec: DocumentSpec, **options: Any) -> Document:
    """Verify a manifest document's checksums, read it, drop repeated content, record each file's sha256."""
    from budgetkit.repeats import drop_repeats

    hashes = spec.verify()
    document = read_document(spec.files, spec.doc_id, spec.metadata, **options)
    drop_repeats(document)  # a page printed twice is the file's fault: keep one copy, say so
    for source, digest in zip(document.files, hashes):
        source.sha256 = digest
    return document


def process_document(spec: DocumentSpec, out_root: Path, *, with_checks: bool = True, **options: Any) -> DocumentResult:
    """Read, tidy, check and write one document; record its status in ``out_root/_status/``.

    Errors are caught and returned in the result, never raised: one bad document never stops
    a batch.
    """
    result = _process(spec, out_root, with_checks=with_checks, **options)
    status = {"doc_id": result.doc_id, "ok": result.ok, "error": result.error, "error_kind": result.error_kind, "files": result.files}
    text = json.dumps(status, ensure_ascii=False, indent=2)
    if not is_safe_doc_id(result.doc_id):  # never a path from an unchecked id
        return result
    try:
        from budgetkit.corpus import atomic_write_bytes

        atomic_write_bytes(processed.status_path(out_root, result.doc_id), lambda tmp: tmp.write_text(text, encoding="utf-8"))
    except OSError as exc:  # the status is a convenience: its failure is reported, never raised
        if result.ok:
            error = output_error(exc, Path(out_root) / "_status")
            return DocumentResult(result.doc_id, False, error=str(error), error_kind=error.kind, files=result.files)
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
        reread = None
        if all(Path(p).suffix.lower() == ".pdf" for p in spec.files) and options.get("backend") in (None, "grid") and options.get("arbitrate", True):
            from budgetkit.arbitration import arbitrate

            def reread(doc: Document, keys: list[str]) -> dict:
                return arbitrate(doc, [Path(p) for p in spec.files], keys)
        try:
            out_dir = write_document(document, out_root, extra, reread, workbook=options.get("workbook", True))
        except OSError as exc:
            raise output_error(exc, out_root) from None
        summary = processed.load_extraction(DocumentFolder(out_dir))
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
    from budgetkit.checks.coverage import write_coverage

    claims = processed.load_claims(DocumentFolder(out_dir))
    write_coverage(claims, findings, out_dir, document.doc_id)
    return findings
