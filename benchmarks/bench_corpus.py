"""Benchmark the corpus batch: documents/second and peak memory for growing N and 1–2 workers.

Builds a folder of N documents — the bundled disclosures (data/raw/manifest.csv: the seed text
dump and the real PDFs) copied round-robin under new ids, with their own manifest so multi-file
documents stay whole — then runs :func:`budgetkit.batch.run_batch` into a fresh corpus for each
(scheduler, workers, N) and prints a markdown table.

Peak memory is the largest ``ru_maxrss`` any worker process reported (each ledger line carries
its worker's peak, so a leak shows as growth with N) and the driver's own peak.

Usage::

    .venv/bin/python benchmarks/bench_corpus.py                      # N = 9, 27, 54; 1 and 2 workers
    .venv/bin/python benchmarks/bench_corpus.py --sizes 9 27 --workers 2 --schedulers processes local
    .venv/bin/python benchmarks/bench_corpus.py --pdf-only           # only the 8 real PDF documents
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


def build_folder(folder: Path, n_documents: int, pdf_only: bool = False) -> int:
    """Copy the bundled documents round-robin under new ids into ``folder`` (with a manifest)."""
    with open(RAW / "manifest.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_doc: dict[str, list[dict]] = {}
    for row in rows:
        if pdf_only and not row["file"].endswith(".pdf"):
            continue
        by_doc.setdefault(row["doc_id"], []).append(row)
    originals = list(by_doc)
    folder.mkdir(parents=True, exist_ok=True)
    out_rows = []
    for k in range(n_documents):
        original = originals[k % len(originals)]
        new_id = f"{original}-copy{k:04d}"
        for row in by_doc[original]:
            name = f"{new_id}-{row['part']}{Path(row['file']).suffix}"
            shutil.copyfile(RAW / row["file"], folder / name)
            out_rows.append({**row, "doc_id": new_id, "file": name})
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(out_rows)
    return n_documents


def run_once(n_documents: int, workers: int, scheduler: str, pdf_only: bool) -> dict:
    from budgetkit.batch import read_ledger, run_batch

    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        folder = Path(tmp) / "raw"
        build_folder(folder, n_documents, pdf_only)
        out = Path(tmp) / "corpus"
        started = time.perf_counter()
        code = run_batch([folder], out=out, workers=workers, scheduler=scheduler, progress=False, stream=io.StringIO())
        elapsed = time.perf_counter() - started
        ledger = read_ledger(out)
        ok = int((ledger["status"] == "ok").sum())
        peaks = [float(v) for v in ledger["peak_rss_mb"] if v]
        seconds = [float(v) for v in ledger["seconds"] if v]
    return {
        "scheduler": scheduler,
        "workers": workers,
        "documents": n_documents,
        "ok": ok,
        "exit": code,
        "wall_s": elapsed,
        "docs_per_s": n_documents / elapsed,
        "docs_per_s_per_worker": n_documents / elapsed / workers,
        "mean_doc_s": sum(seconds) / len(seconds) if seconds else float("nan"),
        "worker_peak_mb": max(peaks) if peaks else float("nan"),
        "driver_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[9, 27, 54])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--schedulers", nargs="+", default=["processes"], help="processes | local | serial | ADDRESS")
    parser.add_argument("--pdf-only", action="store_true", help="copy only the real PDF documents (not the text seed)")
    args = parser.parse_args(argv)
    print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    results = []
    for scheduler in args.schedulers:
        for workers in args.workers:
            for size in args.sizes:
                result = run_once(size, workers, scheduler, args.pdf_only)
                results.append(result)
                print(f"  {scheduler} w={workers} N={size}: {result['docs_per_s']:.2f} doc/s, worker peak {result['worker_peak_mb']:.0f} MB", file=sys.stderr)
    print("| scheduler | workers | N | ok | wall s | docs/s | docs/s/worker | mean s/doc (in worker) | worker peak RSS MB | driver peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['scheduler']} | {r['workers']} | {r['documents']} | {r['ok']} | {r['wall_s']:.1f} | {r['docs_per_s']:.2f} | "
            f"{r['docs_per_s_per_worker']:.2f} | {r['mean_doc_s']:.2f} | {r['worker_peak_mb']:.0f} | {r['driver_peak_mb']:.0f} |"
        )
    print(f"\nload average after: {os.getloadavg()[0]:.2f} (other processes share the {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
