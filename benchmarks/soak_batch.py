"""Soak: `budgetkit batch` with two workers while a worker is killed at random, against a clean run.

Runs ``budgetkit batch data/raw <wild>/ --workers 2`` twice into fresh corpora:

1. clean — undisturbed;
2. soak — the same, while this script SIGKILLs a random pool worker (a child of the batch's
   forkserver) ``--kills`` times at random moments (as the kernel's OOM killer would).

Then it checks that the soak run ended with every document done or listed as failed, that a
third run on the soak corpus has nothing left to do, and that the soak corpus equals the clean
one: the same documents table (less ``processed_at``), the same failures, and the same tidy rows
cell for cell (exact Decimals). Prints the numbers; exit 0 when all hold, 1 otherwise.

Usage::

    .venv/bin/python benchmarks/soak_batch.py [--wild /work/shared/data/wild] [--kills 3] [--seed N] [--keep DIR]

A benchmark, not a test: it takes a few minutes and needs Java (falls back to pdfplumber without).
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parents[1]
BUDGETKIT = [sys.executable, "-m", "budgetkit"]


def batch_command(out: Path, wild: Path) -> list[str]:
    return [*BUDGETKIT, "batch", str(ROOT / "data" / "raw"), str(wild), "--workers", "2", "--scheduler", "processes",
            "--out", str(out)]


def run(command: list[str], log: Path) -> tuple[int, float]:
    started = time.perf_counter()
    with open(log, "w", encoding="utf-8") as handle:
        code = subprocess.run(command, stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT).returncode
    return code, time.perf_counter() - started


def pool_workers(driver: psutil.Process) -> list[psutil.Process]:
    """The batch's pool workers: the children of its forkserver."""
    workers = []
    try:
        for child in driver.children():
            if "forkserver" in " ".join(child.cmdline()):
                workers.extend(child.children())
    except psutil.Error:
        pass
    return workers


def run_with_kills(command: list[str], log: Path, kills: int, window: float, rng: random.Random) -> tuple[int, float, list[str]]:
    """Run ``command``; kill a random pool worker ``kills`` times within ``window`` seconds."""
    moments = sorted(rng.uniform(0.15, 0.85) * window for _ in range(kills))
    done: list[str] = []
    started = time.perf_counter()
    with open(log, "w", encoding="utf-8") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT)
        driver = psutil.Process(process.pid)
        for moment in moments:
            while process.poll() is None and time.perf_counter() - started < moment:
                time.sleep(0.05)
            victim = None
            while process.poll() is None and victim is None:  # a pool may be restarting: wait for workers
                workers = pool_workers(driver)
                victim = rng.choice(workers) if workers else None
                if victim is None:
                    time.sleep(0.05)
            if victim is None:
                break
            try:
                victim.send_signal(signal.SIGKILL)
                done.append(f"pid {victim.pid} at {time.perf_counter() - started:.1f} s")
            except psutil.Error:
                pass
        code = process.wait()
    return code, time.perf_counter() - started, done


def corpus_tables(out: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    from budgetkit.corpus import load_corpus, load_documents, load_failures

    documents = load_documents(out).drop(columns=["processed_at"]).sort_values("doc_id").reset_index(drop=True)
    failures = load_failures(out)[["doc_id", "error_kind"]].sort_values("doc_id").reset_index(drop=True)
    tidy = load_corpus(out)
    tidy = tidy.sort_values(["doc_id", "table_id", "row_number", "column_id", "side"], na_position="first").reset_index(drop=True)
    return documents, failures, tidy


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wild", type=Path, default=ROOT.parent / "shared" / "data" / "wild")
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: from the clock; printed)")
    parser.add_argument("--keep", type=Path, help="keep the corpora and logs here")
    args = parser.parse_args()
    if not args.wild.is_dir():
        args.wild = Path("/work/shared/data/wild")
    seed = args.seed if args.seed is not None else int(time.time())
    rng = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="budgetkit-soak-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    n_inputs = len(list(args.wild.glob("*.pdf")))
    print(f"soak: data/raw + {n_inputs} PDFs of {args.wild}, 2 workers, {args.kills} kills, seed {seed}; work in {work}")

    clean_code, clean_s = run(batch_command(work / "clean", args.wild), work / "clean.log")
    print(f"clean run: exit {clean_code} in {clean_s:.1f} s — {last_line(work / 'clean.log')}")
    soak_code, soak_s, kills = run_with_kills(batch_command(work / "soak", args.wild), work / "soak.log", args.kills, clean_s, rng)
    print(f"soak run:  exit {soak_code} in {soak_s:.1f} s — {last_line(work / 'soak.log')}")
    print(f"kills: {len(kills)} ({'; '.join(kills)})")
    from budgetkit.batch import read_ledger
    from budgetkit.cli import collect_documents
    from budgetkit.corpus import load_documents, load_failures

    # The soak run's own end state: every document done or listed as failed.
    expected = {s.doc_id for s in collect_documents([ROOT / "data" / "raw", args.wild])}
    after_soak_done = set(load_documents(work / "soak")["doc_id"])
    after_soak_failed = load_failures(work / "soak")
    accounted = after_soak_done | set(after_soak_failed["doc_id"])
    crashed = read_ledger(work / "soak").query("error_kind == 'worker crashed'")
    print(f"after the soak run: {len(after_soak_done)} done, {len(after_soak_failed)} failed "
          f"({', '.join(f'{k} {v}' for k, v in after_soak_failed['error_kind'].value_counts().items()) or 'none'}); "
          f"{len(crashed)} marked 'worker crashed' (killed again during its retry alone)")
    # A second run retries what failed and skips the rest.
    resume_code, resume_s = run(batch_command(work / "soak", args.wild), work / "resume.log")
    print(f"resume run: exit {resume_code} in {resume_s:.1f} s — {last_line(work / 'resume.log')}")

    clean_docs, clean_failures, clean_tidy = corpus_tables(work / "clean")
    soak_docs, soak_failures, soak_tidy = corpus_tables(work / "soak")
    checks = {
        f"every document done or listed as failed after the soak run ({len(accounted)}/{len(expected)})": accounted == expected,
        f"the resume run retried only those ({len(after_soak_failed)})":
            f"{len(after_soak_failed)} processed, {len(expected) - len(after_soak_failed)} skipped" in last_line(work / "resume.log"),
        f"documents table equal to the clean run's ({len(soak_docs)} vs {len(clean_docs)})": soak_docs.equals(clean_docs),
        f"failures equal to the clean run's ({len(soak_failures)} vs {len(clean_failures)})": soak_failures.equals(clean_failures),
        f"tidy rows equal, cell for cell ({len(soak_tidy)} vs {len(clean_tidy)})": soak_tidy.equals(clean_tidy),
        f"kills landed ({len(kills)}/{args.kills})": len(kills) == args.kills,
    }
    print(f"slowdown from {len(kills)} kills: {soak_s - clean_s:+.1f} s ({soak_s / clean_s:.2f}×)")
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")
    if args.keep is None and all(checks.values()):
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(checks.values()) else 1


def last_line(log: Path) -> str:
    lines = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if line.startswith("budgetkit batch:")]
    return lines[-1] if lines else "(no summary line)"


if __name__ == "__main__":
    sys.exit(main())
