"""Reading benchmark on real disclosures: how much of what the PDFs print reaches the tidy table.

For every PDF document of the given folders (default: ``../shared/data/wild`` and the bundled
``data/raw``), extract, tidy and check it, then print one line per document:

* printed amounts read (the label-free measure of :mod:`budgetkit.reading`),
* core standard tables found (of the seven every template prints) and all tables read,
* table identities holding (within-table checks: passed / run),
* errors reported, tables ``unreadable``, seconds (processed as ``budgetkit batch`` does: no
  Excel workbook).

and the totals. ``--json FILE`` also writes the rows. Run from the repository root::

    .venv/bin/python benchmarks/bench_wild.py            # wild + bundled
    .venv/bin/python benchmarks/bench_wild.py --only wuxi  # documents whose id contains "wuxi"
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CORE = ("summary", "income", "expenditure", "fiscal_summary", "general_expenditure", "general_basic_economic", "three_public")
#: The seven a 决算 prints in every template but the 高等学校 one (which prints the first three).
CORE_FINAL = ("final_summary", "final_income", "final_expenditure", "final_fiscal_summary", "final_general_expenditure",
              "final_general_basic", "final_three_public")


def _one(args: tuple[list[str], str, dict, str]) -> dict:
    paths, doc_id, metadata, out = args
    import pandas as pd

    from budgetkit.manifest import DocumentSpec
    from budgetkit.pipeline import process_document

    start, cpu = time.perf_counter(), time.process_time()
    spec = DocumentSpec(doc_id=doc_id, files=[Path(p) for p in paths], metadata=metadata)
    # As ``budgetkit batch`` processes a document: no Excel workbook (a corpus does not need
    # one, and it is a third of a document's time), so documents per CPU-second is batch's rate.
    result = process_document(spec, Path(out), workbook=False)
    seconds = time.perf_counter() - start
    row = {"doc_id": doc_id, "ok": result.ok, "seconds": round(seconds, 2), "cpu": round(time.process_time() - cpu, 2), "error": result.error}
    if not result.ok:
        return row
    report = result.summary
    reading = report.get("reading", {})
    tables = report.get("tables", [])
    findings = pd.read_csv(result.out_dir / "findings.csv") if (result.out_dir / "findings.csv").exists() else pd.DataFrame()
    within = findings[findings["family"] == "within_table"] if not findings.empty else findings
    ran = within[within["status"] != "not_applicable"] if not within.empty else within
    row.update(
        kind=report.get("kind"),
        printed=reading.get("printed", 0),
        read=reading.get("read", 0),
        core=sum(1 for t in (CORE_FINAL if report.get("kind") == "final" else CORE) if t in report.get("tables_found", [])),
        tables=len(tables),
        identities_run=len(ran),
        identities_held=int((ran["passed"] == True).sum()) if not ran.empty else 0,  # noqa: E712
        errors=int((findings["severity"] == "error").sum()) if not findings.empty else 0,
        table_errors=int(((findings["severity"] == "error") & findings["family"].isin(["within_table", "across_tables"])).sum()) if not findings.empty else 0,
        unreadable=sum(1 for t in tables if t.get("reading_status") == "unreadable"),
    )
    return row


def documents(folders: list[Path], only: str | None) -> list[tuple[list[str], str, dict]]:
    from budgetkit.manifest import read_manifest

    out = []
    for folder in folders:
        if (folder / "manifest.csv").exists():
            for spec in read_manifest(folder / "manifest.csv"):
                if all(str(p).lower().endswith(".pdf") for p in spec.files):
                    out.append(([str(p) for p in spec.files], spec.doc_id, dict(spec.metadata)))
        else:
            for pdf in sorted(folder.glob("*.pdf")):
                out.append(([str(pdf)], pdf.stem, {}))
    return [d for d in out if not only or only in d[1]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[ROOT.parent / "shared" / "data" / "wild", ROOT / "data" / "raw"])
    parser.add_argument("--only", help="only documents whose id contains this text")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the rows as JSON")
    parser.add_argument("--markdown", type=Path, help="also write the table as Markdown (for the README)")
    args = parser.parse_args()
    docs = documents(args.folders, args.only)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        jobs = [(p, d, m, out) for p, d, m in docs]
        with ProcessPoolExecutor(max_workers=args.workers, mp_context=get_context("spawn")) as pool:
            rows = list(pool.map(_one, jobs))
    wall = time.perf_counter() - start
    header = f"{'document':48} {'kind':6} {'read/printed':>15} {'%':>6} {'core':>4} {'tbl':>4} {'ident':>9} {'err':>4} {'tErr':>4} {'unrd':>4} {'s':>6}"
    print(header)
    print("-" * len(header))
    for r in rows:
        if not r["ok"]:
            print(f"{r['doc_id'][:48]:48} FAILED {r['error']}")
            continue
        share = 100 * r["read"] / r["printed"] if r["printed"] else 100.0
        print(
            f"{r['doc_id'][:48]:48} {r['kind'] or '':6} {r['read']:>7}/{r['printed']:<7} {share:6.1f} {r['core']:>4} {r['tables']:>4} "
            f"{r['identities_held']:>4}/{r['identities_run']:<4} {r['errors']:>4} {r['table_errors']:>4} {r['unreadable']:>4} {r['seconds']:>6.1f}"
        )
    ok = [r for r in rows if r["ok"]]
    printed = sum(r["printed"] for r in ok)
    read = sum(r["read"] for r in ok)
    below = [r["doc_id"] for r in ok if r["printed"] and r["read"] < 0.95 * r["printed"]]
    print("-" * len(header))
    print(
        f"{len(rows)} documents ({len(rows) - len(ok)} failed), {read}/{printed} printed amounts read "
        f"({100 * read / max(printed, 1):.2f} %), {len(below)} below 95 %; "
        f"identities {sum(r['identities_held'] for r in ok)}/{sum(r['identities_run'] for r in ok)} held; "
        f"{sum(r['errors'] for r in ok)} errors ({sum(r['table_errors'] for r in ok)} table arithmetic), "
        f"{sum(r['unreadable'] for r in ok)} unreadable tables; {wall:.1f} s wall, {sum(r['seconds'] for r in rows):.1f} s in workers "
        f"({len(rows) / wall:.2f} documents/s with {args.workers} workers; "
        f"{len(rows) / max(sum(r['cpu'] for r in rows), 1e-9):.2f} documents per CPU-second, the rate one busy core gives)"
    )
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.markdown:
        lines = ["| document | kind | printed amounts read | core tables | tables | identities held | errors (table arithmetic) | unreadable tables | s |",
                 "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
        for r in ok:
            lines.append(f"| {r['doc_id']} | {r['kind']} | {r['read']}/{r['printed']} | {r['core']} | {r['tables']} | "
                         f"{r['identities_held']}/{r['identities_run']} | {r['errors']} ({r['table_errors']}) | {r['unreadable']} | {r['seconds']:.1f} |")
        lines.append(f"| **{len(ok)} documents** | | **{read}/{printed}** | | | **{sum(r['identities_held'] for r in ok)}/{sum(r['identities_run'] for r in ok)}** | "
                     f"**{sum(r['errors'] for r in ok)} ({sum(r['table_errors'] for r in ok)})** | **{sum(r['unreadable'] for r in ok)}** | {wall:.0f} wall |")
        args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
