"""Several readings of a PDF, arbitrated by the tables' own sums.

The first reading is budgetkit's own (``grid``: ruled tables rebuilt from rules and glyph
boxes). A table it did not read reliably — an amount printed in its area did not arrive, or one
of its own identities fails on most rows — is read again by the next method (pdfplumber's
ruled-table finder, then tabula-java's lattice extractor), and the reading kept is the one that
reads more of the printed amounts and breaks fewer of the table's identities. The next method
is tried only when a table failed: most documents are read once.

Where two readings of a table both arrived complete but disagree on a value, the cells are
marked (:data:`DISAGREE`) in the extraction report: a number two readers read differently is
not one a journalist should print without looking.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from budgetkit.amounts import try_parse_amount
from budgetkit.errors import BudgetkitError
from budgetkit.model import Document, RawTable

#: The readings, in the order they are tried (pdfplumber before tabula: it needs no Java VM,
#: whose start costs more than reading the few pages in doubt).
READINGS = ("grid", "pdfplumber", "tabula")
DISAGREE = "readings disagree"


@dataclass(order=True)
class TableScore:
    """How well one reading of one table holds up (higher is better, compared in field order)."""

    complete: bool
    no_layout_doubt: bool
    share_read: float
    identities_held: int
    identities_failed: int = field(compare=False)
    printed: int = field(compare=False)
    read: int = field(compare=False)

    @property
    def reliable(self) -> bool:
        return self.complete and self.no_layout_doubt

    def describe(self) -> str:
        return (f"{self.read}/{self.printed} amounts, {self.identities_held} identities held"
                + ("" if self.no_layout_doubt else ", identities fail on most rows"))


def _alone(document: Document, table: RawTable, reference: RawTable | None = None) -> Document:
    """A document holding one table and the amounts printed in its area (or in ``reference``'s:
    two readings of one table are measured against the same printed amounts)."""
    area = reference or table
    printed = [a for a in document.printed_amounts if a.file == area.file and any(r.holds(a) for r in area.regions)]
    if reference is not None:
        table = RawTable(**{**table.__dict__, "regions": list(reference.regions) + [r for r in table.regions if r not in reference.regions]})
    return Document(document.doc_id, document.metadata, document.files, tables={table.table_id: table}, printed_amounts=printed)


def score_table(document: Document, table: RawTable, reference: RawTable | None = None) -> TableScore:
    """Read one table alone: its reading measure and its within-table identities.

    ``reference``: the first reading of the table, whose area gives the printed amounts this
    reading is measured against (a reading that finds a smaller table must not score better
    for having less to read).
    """
    from budgetkit.checks import RULES, run_checks
    from budgetkit.reading import reading_measure
    from budgetkit.tidy import tidy_document

    alone = _alone(document, table, reference)
    table = next(iter(alone.tables.values()))
    tidy = tidy_document(alone)
    measure = reading_measure(alone, tidy)
    alone.reading = measure
    entry = measure["tables"].get(table.table_id, {"printed": 0, "read": 0, "complete": True})
    findings = run_checks(alone, tidy, rules=[r for r in RULES if r.family == "within_table"])
    ran = findings[findings["status"] != "not_applicable"]
    doubt = bool((ran["status"] == "unreadable").any()) if not ran.empty else False
    held = int(ran["passed"].sum()) if not ran.empty else 0
    failed = int((~ran["passed"].astype(bool)).sum()) if not ran.empty else 0
    printed, read = entry.get("printed", 0), entry.get("read", 0)
    return TableScore(bool(entry.get("complete", True)), not doubt, read / printed if printed else 1.0, held, failed, printed, read)


def _better(candidate: TableScore, current: TableScore) -> bool:
    """Whether another reading should replace the current one.

    It must read more of the printed amounts or hold where the current one's layout is in
    doubt — and not at the price of the table's structure: a reading that finds every amount
    but far fewer of the table's own identities (columns or rows not where the header says)
    is not kept.
    """
    if candidate.reliable and not current.reliable:
        return candidate.identities_held >= 0.8 * current.identities_held or not current.no_layout_doubt
    if candidate.reliable == current.reliable:
        return candidate > current and candidate.identities_held >= current.identities_held
    return False


def _values(table: RawTable) -> Counter:
    out: Counter = Counter()
    for row in table.body_rows:
        for cell in row:
            value = try_parse_amount(cell) if cell else None
            if value is not None:
                out[value.normalize()] += 1
    return out


def _counterpart(alternative: Document, table: RawTable) -> RawTable | None:
    """The same table in another reading: same key, else the table starting on the same page."""
    same = alternative.tables.get(table.table_id)
    if same is not None and same.regions and table.regions and same.regions[0].page == table.regions[0].page:
        return same
    first = table.regions[0].page if table.regions else None
    for other in alternative.tables.values():
        if other.regions and other.regions[0].page == first and other.file == table.file:
            return other
    return None


def arbitrate(document: Document, paths: list[Path], keys: list[str] | None = None, *, first: str = "grid",
              readings: tuple[str, ...] = READINGS) -> dict[str, Any]:
    """Re-read the tables of ``document`` that were not read reliably, keep the best reading.

    Args:
        document: The document as read by ``first`` (changed in place: a better reading of a
            table replaces it, under the same key).
        paths: Its PDF files, in reading order.
        keys: The tables to re-read (default: every table this function finds unreliable).
        first: The method that made ``document``.
        readings: The methods, in the order they are tried.

    Returns:
        The arbitration log for the extraction report: per table, the readings tried with
        their scores, the one kept, and values the readings disagree on.
    """
    from budgetkit.sources.pdf import read_pdf_document

    log: dict[str, Any] = {}
    for table in document.tables.values():
        table.reading = table.reading or first
    keys = list(document.tables) if keys is None else [k for k in keys if k in document.tables]
    scores = {key: score_table(document, document.tables[key]) for key in keys}
    doubtful = [k for k, s in scores.items() if not s.reliable]
    for method in [r for r in readings if r != first]:
        if not doubtful:
            break
        pages: dict[str, set[int]] = {}
        for key in doubtful:
            table = document.tables[key]
            pages.setdefault(table.file or "", set()).update(r.page for r in table.regions)
        try:
            # Only the pages of the tables in doubt are read again.
            alternative = read_pdf_document(paths, document.doc_id, document.metadata, backend=method, pages=pages)
        except BudgetkitError as exc:  # Java missing …: that reading is not available here
            for key in doubtful:
                log.setdefault(key, {"tried": {first: scores[key].describe()}})["tried"][method] = f"not available: {exc.reason if hasattr(exc, 'reason') else exc}"
            continue
        for key in list(doubtful):
            current = document.tables[key]
            candidate = _counterpart(alternative, current)
            entry = log.setdefault(key, {"tried": {first: scores[key].describe()}, "kept": current.reading})
            if candidate is None:
                entry["tried"][method] = "table not found by this reading"
                continue
            candidate_score = score_table(alternative, candidate, reference=current)
            entry["tried"][method] = candidate_score.describe()
            if candidate_score.complete and scores[key].complete:
                mine, theirs = _values(current), _values(candidate)
                differ = sorted(str(v) for v in ((mine - theirs) + (theirs - mine)).elements())
                if differ:
                    entry.setdefault("disagreements", {})[method] = differ[:20]
            if _better(candidate_score, scores[key]):
                candidate.table_id, candidate.title = key, current.title or candidate.title
                # Where the table stands is the first reading's (measured on the displayed page).
                candidate.regions = list(current.regions)
                candidate.label = candidate.label or current.label
                candidate.unit = candidate.unit or current.unit
                candidate.reading = method
                document.tables[key] = candidate
                scores[key] = candidate_score
                entry["kept"] = method
            if scores[key].reliable:
                doubtful.remove(key)
    return log


def marked_cells(log: dict[str, Any]) -> dict[str, set[Decimal]]:
    """Values readings disagree on, per table (to mark them in the report)."""
    out: dict[str, set[Decimal]] = {}
    for key, entry in log.items():
        for values in entry.get("disagreements", {}).values():
            out.setdefault(key, set()).update(Decimal(v) for v in values)
    return out
