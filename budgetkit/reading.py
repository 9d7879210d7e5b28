"""How well a document was read, measured without labels.

The reference is what the PDF itself prints: every amount on a table page, taken straight
from the text layer (:mod:`budgetkit.sources.pdf.printed`). A table was read when each amount
printed inside its area arrived in the tidy table with the same value on the same page; the
document was read when every amount printed on its table pages did. Amounts compare as exact
numbers (``2,776.75`` = ``2776.75``), as multisets per page: a value printed three times must
arrive three times.

Whether what arrived also sits in the right row and column is the job of the table's own
identities (合计 = Σ lines …), judged by the checks; :func:`table_identities` summarises them
per table for the extraction report.

Text dumps have no text layer to measure against: their tables are tab-separated cells read
as printed, and the measure reports ``applicable: false``.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import pandas as pd

from budgetkit.amounts import try_parse_amount
from budgetkit.model import Document, PrintedAmount

#: A table counts as read when this share of its printed amounts arrived (all of them).
COMPLETE = 1.0


def _value(text: str) -> Decimal | None:
    value = try_parse_amount(text)
    return None if value is None else value.normalize()


def _tidy_values(tidy: pd.DataFrame) -> dict[tuple[str, str, int], Counter]:
    """Values read per (table, file, page)."""
    out: dict[tuple[str, str, int], Counter] = {}
    if tidy.empty:
        return out
    for table_id, file, page, text in zip(tidy["table_id"], tidy["source_file"], tidy["page"], tidy["value_text"]):
        if page is None or pd.isna(page) or not isinstance(text, str):
            continue
        value = _value(text)
        if value is None:
            continue
        out.setdefault((table_id, file, int(page)), Counter())[value] += 1
    return out


def _matched(printed: list[PrintedAmount], read: Counter) -> tuple[int, list[PrintedAmount]]:
    """How many printed amounts the read values account for, and the ones they do not."""
    left = Counter(read)
    missing = []
    hits = 0
    for amount in printed:
        value = _value(amount.text)
        if value is not None and left[value] > 0:
            left[value] -= 1
            hits += 1
        else:
            missing.append(amount)
    return hits, missing


def reading_measure(document: Document, tidy: pd.DataFrame) -> dict[str, Any]:
    """Printed amounts vs amounts read, per table, per page and for the document.

    Args:
        document: The document as read (its ``printed_amounts`` and tables' ``regions``).
        tidy: Its tidy table.

    Returns:
        A JSON-ready dict: ``applicable``, ``printed``, ``read``, ``share``, ``complete``,
        ``tables`` (per table id: printed, read, pages, the first missing amounts with page),
        ``pages`` (per table page) and ``outside_tables`` (amounts printed where no table was read).
    """
    if not document.printed_amounts:
        has_pdf = any(str(f.path).lower().endswith(".pdf") for f in document.files)
        return {"applicable": has_pdf, "printed": 0, "read": 0, "share": None, "complete": True, "tables": {}, "pages": [], "outside_tables": []}
    values = _tidy_values(tidy)
    by_page: dict[tuple[str, int], list[PrintedAmount]] = {}
    for amount in document.printed_amounts:
        by_page.setdefault((amount.file, amount.page), []).append(amount)

    claimed: set[int] = set()  # ids of printed amounts inside some table's area
    tables: dict[str, Any] = {}
    for table in document.tables.values():
        printed_here: list[PrintedAmount] = []
        read_here: Counter = Counter()
        pages = sorted({r.page for r in table.regions})
        for page in pages:
            regions = [r for r in table.regions if r.page == page]
            inside = [a for a in by_page.get((table.file, page), []) if any(r.holds(a) for r in regions)]
            printed_here.extend(inside)
            claimed.update(id(a) for a in inside)
            read_here.update(values.get((table.table_id, table.file, page), Counter()))
        hits, missing = _matched(printed_here, read_here)
        tables[table.table_id] = {
            "title": table.title,
            "file": table.file,
            "pages": pages,
            "printed": len(printed_here),
            "read": hits,
            "complete": hits >= COMPLETE * len(printed_here),
            "missing": [{"page": a.page, "text": a.text} for a in missing[:20]],
        }

    page_rows = []
    total_hits = 0
    outside: list[dict[str, Any]] = []
    for (file, page), printed in sorted(by_page.items()):
        read_page: Counter = Counter()
        for (_table_id, f, p), counter in values.items():
            if f == file and p == page:
                read_page.update(counter)
        hits, missing = _matched(printed, read_page)
        total_hits += hits
        page_rows.append({"file": file, "page": page, "printed": len(printed), "read": hits, "missing": [a.text for a in missing[:20]]})
        outside.extend({"file": file, "page": page, "text": a.text} for a in missing if id(a) not in claimed)
    total = len(document.printed_amounts)
    return {
        "applicable": True,
        "printed": total,
        "read": total_hits,
        "share": round(total_hits / total, 4) if total else None,
        "complete": total_hits >= COMPLETE * total,
        "tables": tables,
        "pages": page_rows,
        "outside_tables": outside[:50],
        "outside_tables_count": len(outside),
    }


def reading_line(doc_id: str, report: dict[str, Any]) -> str:
    """The one line ``extract`` prints for a document.

    ``ok  <doc>: 9 tables, 412/412 printed amounts read`` or
    ``PARTIAL <doc>: 3 of 9 tables not read reliably (表3 p.12: 37/88 amounts)``.
    """
    tables = report.get("tables", [])
    kind = report.get("kind")
    kind_text = f" [{kind}]" if kind and kind != "budget" else ""
    reading = report.get("reading") or {}
    if report.get("content") == "narrative only":
        return f"ok      {doc_id}{kind_text}: narrative only — no table in this file (its tables may be published as a separate file)"
    if not reading.get("applicable") or not reading.get("printed"):
        return f"ok      {doc_id}{kind_text}: {len(tables)} tables"
    unreliable = [t for t in tables if t.get("reading_status") == "unreadable"]
    printed, read = reading["printed"], reading["read"]
    if read >= printed and not unreliable:
        return f"ok      {doc_id}{kind_text}: {len(tables)} tables, {read}/{printed} printed amounts read"
    worst = sorted(unreliable, key=lambda t: (t.get("read", 0) / max(t.get("printed", 1), 1)))[:3]
    where = "; ".join(f"{t.get('label') or t['title'] or t['table_id']} p.{_pages(t.get('pages', []))}: {t.get('read', 0)}/{t.get('printed', 0)} amounts" for t in worst)
    outside = reading.get("outside_tables_count", 0)
    extra = f"; {outside} amounts printed outside any table read" if outside else ""
    return (
        f"PARTIAL {doc_id}{kind_text}: {len(unreliable)} of {len(tables)} tables not read reliably"
        + (f" ({where})" if where else "")
        + f"{extra}; {read}/{printed} printed amounts read"
    )


def _pages(pages: list[int]) -> str:
    if not pages:
        return "?"
    return str(pages[0]) if len(pages) == 1 else f"{pages[0]}–{pages[-1]}"
