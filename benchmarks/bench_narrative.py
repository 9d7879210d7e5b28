"""Benchmark narrative coverage: the share of stated amounts and rates linked and checked.

Usage::

    .venv/bin/python benchmarks/bench_narrative.py                       # bundled + wild documents
    .venv/bin/python benchmarks/bench_narrative.py --wild ../shared/data/wild --out /tmp/bench-narrative
    .venv/bin/python benchmarks/bench_narrative.py --no-extract --out /tmp/bench-narrative   # re-read a run

Every document is extracted and checked as a new user would (``budgetkit extract``: bundled
documents through ``data/raw/manifest.csv``, wild PDFs as plain files — their fiscal year and
kind are read from the titles they print). For each, ``narrative_coverage.json``
(:mod:`budgetkit.checks.coverage`) gives the stated amounts and rates, how many a rule held
against a table cell or against other printed numbers, and why the rest are not checked.

Prints one markdown row per document and the overall share (checked / stated, summed over all
documents), then every narrative ``error`` with where to look — each must be confirmed against
the PDF before it is reported.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MANIFEST = ROOT / "data" / "raw" / "manifest.csv"
WILD = ROOT.parent / "shared" / "data" / "wild"


def extract(paths: list[Path], out: Path) -> list[str]:
    """Extract and check the documents of ``paths`` into ``out``; return their ids."""
    from budgetkit.cli import collect_documents
    from budgetkit.pipeline import process_document

    ids = []
    for spec in collect_documents(paths):
        result = process_document(spec, out, with_checks=True)
        if result.ok:
            ids.append(spec.doc_id)
        else:
            print(f"FAILED {spec.doc_id}: {result.error}", file=sys.stderr)
    return ids


def summaries(out: Path, ids: list[str]) -> list[dict]:
    rows = []
    for doc_id in ids:
        path = out / doc_id / "narrative_coverage.json"
        if path.exists():
            rows.append(json.loads(path.read_text(encoding="utf-8")))
    return rows


def table(rows: list[dict], title: str) -> tuple[int, int]:
    from budgetkit.checks.coverage import reason_labels

    labels = reason_labels()
    print(f"\n### {title}\n")
    print("| document | stated | checked | share | vs table | within narrative | errors | unchecked (main reasons) |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    stated = checked = 0
    for row in rows:
        stated += row["stated"]
        checked += row["checked"]
        share = f"{row['share_checked'] * 100:.1f}%" if row["share_checked"] is not None else "–"
        reasons = ", ".join(f"{r} {n}" for r, n in sorted(row["unchecked_by_reason"].items(), key=lambda kv: -kv[1])[:3])
        print(f"| {row['doc_id']} | {row['stated']} | {row['checked']} | {share} | {row['checked_against_table']} | "
              f"{row['checked_within_narrative']} | {row['errors']} | {reasons} |")
    share = f"{checked / stated * 100:.1f}%" if stated else "–"
    print(f"| **all {len(rows)}** | **{stated}** | **{checked}** | **{share}** | | | | |")
    print("\nreasons: " + "; ".join(f"{code} = {label}" for code, label in labels.items()))
    return stated, checked


def errors(out: Path, ids: list[str]) -> None:
    from budgetkit.checks import read_findings

    print("\n### Narrative errors\n")
    for doc_id in ids:
        findings = read_findings(out / doc_id)
        bad = findings[(findings["family"] == "narrative") & (findings["severity"] == "error")]
        for _, row in bad.iterrows():
            print(f"- {doc_id} [{row['rule_id']}] {row['message']}\n  at: {row['location']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wild", type=Path, default=WILD, help="folder of wild PDFs (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: a temporary folder)")
    parser.add_argument("--no-extract", action="store_true", help="read the coverage of an earlier run in --out")
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="bench-narrative-"))
    bundled_dir, wild_dir = out / "bundled", out / "wild"
    started = time.perf_counter()
    if args.no_extract:
        bundled = sorted(p.parent.name for p in bundled_dir.glob("*/narrative_coverage.json"))
        wild = sorted(p.parent.name for p in wild_dir.glob("*/narrative_coverage.json"))
    else:
        bundled = extract([MANIFEST], bundled_dir)
        wild = extract(sorted(args.wild.glob("*.pdf")), wild_dir) if args.wild.exists() else []
    print(f"narrative coverage — {len(bundled)} bundled, {len(wild)} wild documents ({time.perf_counter() - started:.0f} s) → {out}")
    b_stated, b_checked = table(summaries(bundled_dir, bundled), "Bundled documents")
    w_stated, w_checked = table(summaries(wild_dir, wild), f"Wild documents ({args.wild})")
    stated, checked = b_stated + w_stated, b_checked + w_checked
    print(f"\n**Overall: {checked} of {stated} stated amounts and rates linked and checked = "
          f"{checked / stated * 100 if stated else 0:.1f}%** (bundled {b_checked}/{b_stated}, wild {w_checked}/{w_stated})")
    errors(bundled_dir, bundled)
    errors(wild_dir, wild)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
