"""Benchmark the PDF backends: accuracy and speed on every bundled PDF.

Usage::

    .venv/bin/python benchmarks/bench_pdf.py            # both backends, markdown table
    .venv/bin/python benchmarks/bench_pdf.py --repeat 5

Accuracy:
    * cells — expected cells of tests/fixtures/pdf/expected/cells.csv (read off the PDFs'
      text) found with the same value in the excerpts;
    * tables — standard tables found per bundled document (of the 7 the templates print);
    * sums — code tables whose 合计 equals the sum of their 类 rows (income, expenditure,
      general_expenditure, general_basic_economic where printed with codes).

Speed: seconds per page. *cold* = first document read in a fresh interpreter (imports, JVM
start for tabula); *warm* = best of ``--repeat`` further reads in the same process.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RAW = ROOT / "data" / "raw"
FIXTURES = ROOT / "tests" / "fixtures" / "pdf"
STANDARD = ["summary", "income", "expenditure", "fiscal_summary", "general_expenditure", "general_basic_economic", "three_public"]


def documents() -> dict[str, list[Path]]:
    docs: dict[str, list[Path]] = {}
    with open(RAW / "manifest.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["file"].endswith(".pdf"):
                docs.setdefault(row["doc_id"], []).append(RAW / row["file"])
    return docs


def pages_of(paths: list[Path]) -> int:
    import pypdfium2 as pdfium

    return sum(len(pdfium.PdfDocument(str(p))) for p in paths)


def cold_seconds(paths: list[Path], backend: str) -> float:
    code = (
        "import sys,time;sys.path.insert(0,%r);t=time.perf_counter();"
        "from budgetkit.sources.pdf import read_pdf_document;from pathlib import Path;"
        "read_pdf_document([Path(p) for p in %r],'x',{},backend=%r);print(time.perf_counter()-t)"
    ) % (str(ROOT), [str(p) for p in paths], backend)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def accuracy_cells(backend: str) -> tuple[int, int]:
    from budgetkit.amounts import parse_amount
    from budgetkit.sources.pdf import cell_value, read_pdf_document

    rows = list(csv.DictReader(open(FIXTURES / "expected" / "cells.csv", encoding="utf-8")))
    docs = {}
    ok = 0
    for row in rows:
        name = row["fixture"]
        if name not in docs:
            docs[name] = read_pdf_document([FIXTURES / name], name, {}, backend=backend)
        table = docs[name].tables.get(row["table_id"])
        found = cell_value(table, row["key"], row["column_id"]) if table else None
        if found and table.unit == row["unit"] and parse_amount(found[0]) == parse_amount(row["value_text"]):
            ok += 1
    return ok, len(rows)


def document_checks(doc, doc_id: str) -> tuple[int, int, int]:
    from budgetkit.tidy import tidy_table

    found = sum(1 for t in STANDARD if t in doc.tables)
    sums_ok = sums = 0
    for table_id in ("income", "expenditure", "general_expenditure", "general_basic_economic"):
        table = doc.tables.get(table_id)
        if table is None or "code" not in (table.columns or []):
            continue
        df = tidy_table(table, doc_id)
        total = [a for a in df[(df.row_kind == "total") & (df.column_id == "total")].amount if a is not None]
        classes = df[(df.code_level == "类") & (df.column_id == "total")].amount
        sums += 1
        if total and sum((a for a in classes if a is not None), Decimal(0)) == total[-1]:
            sums_ok += 1
    return found, sums_ok, sums


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backends", default="tabula,pdfplumber")
    args = parser.parse_args()

    from budgetkit.sources.pdf import read_pdf_document

    results = []
    for backend in args.backends.split(","):
        cells_ok, cells_n = accuracy_cells(backend)
        for doc_id, paths in documents().items():
            n_pages = pages_of(paths)
            cold = cold_seconds(paths, backend)
            best = float("inf")
            doc = None
            for _ in range(args.repeat):
                t = time.perf_counter()
                doc = read_pdf_document(paths, doc_id, {}, backend=backend)
                best = min(best, time.perf_counter() - t)
            found, sums_ok, sums = document_checks(doc, doc_id)
            results.append(
                {
                    "backend": backend, "doc_id": doc_id, "pages": n_pages, "cold_s": cold, "warm_s": best,
                    "tables": found, "sums_ok": sums_ok, "sums": sums, "cells_ok": cells_ok, "cells": cells_n,
                }
            )

    print("| backend | document | pages | cold s | warm s | warm s/page | warm s / 30 pages | standard tables | 合计 = Σ类 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['backend']} | {r['doc_id']} | {r['pages']} | {r['cold_s']:.2f} | {r['warm_s']:.2f} | "
            f"{r['warm_s'] / r['pages']:.3f} | {30 * r['warm_s'] / r['pages']:.2f} | {r['tables']}/7 | {r['sums_ok']}/{r['sums']} |"
        )
    print()
    print("| backend | expected cells equal | pages | warm s total | warm s/page | cold s/page |")
    print("|---|---:|---:|---:|---:|---:|")
    for backend in args.backends.split(","):
        rs = [r for r in results if r["backend"] == backend]
        pages = sum(r["pages"] for r in rs)
        warm = sum(r["warm_s"] for r in rs)
        cold = sum(r["cold_s"] for r in rs)
        print(f"| {backend} | {rs[0]['cells_ok']}/{rs[0]['cells']} | {pages} | {warm:.2f} | {warm / pages:.3f} | {cold / pages:.3f} |")
    if "--json" in sys.argv:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
