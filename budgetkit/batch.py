"""Batch: extract, tidy and check many documents on all cores, resumably, into a corpus.

:func:`run_batch` (``budgetkit batch PATHS --out data/corpus``) turns folders, files and
manifests into documents (:func:`budgetkit.cli.collect_documents`), skips the documents whose
files (by sha256) were already processed successfully, runs the others in parallel and writes
the corpus described in :mod:`budgetkit.corpus`:

* ``processed/<doc_id>/`` — the pipeline's outputs (atomic per document);
* ``tidy/doc_id=<doc_id>/part.parquet`` — the document's exact tidy rows (atomic);
* ``ledger.csv`` — an append-only journal, one line per attempt, written only by the driver and
  fsync'ed line by line; the latest line of a document decides. A torn last line (a crash
  while writing) is recognised by its missing end marker and ignored;
* ``documents.parquet``/``.csv`` and ``failures.parquet``/``.csv`` — rebuilt from the ledger at
  the end of every run (atomically).

A failing document never stops the batch: its error kind and message go to the failures table
and are printed at the end; an earlier good output of the same document is kept.

Schedulers (``scheduler=``):

* ``None`` (default): a local Dask cluster of ``workers`` processes (one thread each), or — for
  batches of at most :data:`SMALL_BATCH` documents, where a plain process pool was measured to be
  faster (``benchmarks/bench_corpus.py``) — a process pool (forkserver, workers recycled after
  :data:`MAX_TASKS_PER_WORKER` documents);
* ``"local"``: always the local Dask cluster; ``"processes"``: always the process pool;
* ``"serial"``: in this process, one after the other (debugging, tests);
* any other string: the address of a running Dask scheduler (``tcp://host:8786``). Its workers
  must see the same paths (shared file system) and have budgetkit installed.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

import pandas as pd

from budgetkit.processed import load_tidy
from budgetkit.corpus import (
    DOCUMENT_COLUMNS,
    FAILURE_COLUMNS,
    PROCESSED_DIR,
    document_record,
    partition_path,
    write_partition,
    write_table,
)
from budgetkit.manifest import DocumentSpec, sha256_of

#: Ledger columns; ``end`` is a marker ("." ) that proves the line was written whole.
LEDGER_COLUMNS = [
    "doc_id", "status", "files", "sha256", "error_kind", "message", "seconds", "peak_rss_mb", "pid", "finished_at",
    "record", "end",
]
LEDGER_NAME = "ledger.csv"
LOCK_NAME = ".batch.lock"

#: Up to this many documents to process, the default scheduler uses a plain process pool: on the
#: 2-core test machine it beat the local Dask cluster at every size measured (N = 27: 1.05 vs
#: 0.64 doc/s; N = 54: 1.20 vs 0.89 doc/s, 2 workers, benchmarks/bench_corpus.py).
SMALL_BATCH = 100

#: A pool worker is replaced after this many documents (bounds any slow leak; costs one JVM start).
MAX_TASKS_PER_WORKER = 200


# --------------------------------------------------------------------------- ledger


def read_ledger(out: Path) -> pd.DataFrame:
    """All complete lines of ``out/ledger.csv`` (empty frame if there is none)."""
    path = Path(out) / LEDGER_NAME
    if not path.exists():
        return pd.DataFrame(columns=LEDGER_COLUMNS)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, on_bad_lines="skip", engine="python")
    if "end" not in frame.columns:
        return pd.DataFrame(columns=LEDGER_COLUMNS)
    return frame[frame["end"] == "."].reset_index(drop=True)


def append_ledger(out: Path, row: dict[str, Any]) -> None:
    """Append one attempt to the ledger and fsync it (the driver is the only writer)."""
    path = Path(out) / LEDGER_NAME
    new = not path.exists() or path.stat().st_size == 0
    with open(path, "a", encoding="utf-8", newline="") as handle:
        if not new:
            # A torn last line (crash mid-write) must not swallow this one.
            with open(path, "rb") as check:
                check.seek(-1, os.SEEK_END)
                if check.read(1) not in (b"\n", b"\r"):
                    handle.write("\n")
        writer = csv.DictWriter(handle, fieldnames=LEDGER_COLUMNS, extrasaction="ignore")
        if new:
            writer.writeheader()
        writer.writerow({**{c: "" for c in LEDGER_COLUMNS}, **{k: "" if v is None else v for k, v in row.items()}, "end": "."})
        handle.flush()
        os.fsync(handle.fileno())


def latest_attempts(ledger: pd.DataFrame) -> pd.DataFrame:
    """The latest line of each document."""
    if ledger.empty:
        return ledger
    return ledger.groupby("doc_id", sort=False).tail(1).reset_index(drop=True)


def done_keys(ledger: pd.DataFrame, out: Path) -> dict[str, str]:
    """``doc_id → sha256 key`` of documents whose latest successful attempt's partition exists."""
    ok = ledger[ledger["status"] == "ok"]
    keys: dict[str, str] = {}
    for row in ok.itertuples():
        if partition_path(out, row.doc_id).exists():
            keys[row.doc_id] = row.sha256
    return keys


# --------------------------------------------------------------------------- one document (runs in a worker)


def process_one(spec: DocumentSpec, out: str, sha256: list[str], options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Extract, tidy, check and add one document to the corpus; never raises.

    Args:
        spec: The document.
        out: Corpus folder.
        sha256: The sha256 of its files (the ledger key).
        options: Reader options (``encoding``, ``backend``).

    Returns:
        A ledger row (``status`` ``ok`` or ``failed``) with time and the worker's peak memory.
    """
    from budgetkit.pipeline import process_document

    started = time.perf_counter()
    row: dict[str, Any] = {
        "doc_id": spec.doc_id,
        "files": ";".join(str(p) for p in spec.files),
        "sha256": ";".join(sha256),
        "pid": os.getpid(),
    }
    try:
        result = process_document(spec, Path(out) / PROCESSED_DIR, with_checks=True, **(options or {}))
        if result.ok:
            tidy = load_tidy(result.out_dir)
            write_partition(tidy, Path(out), spec.doc_id)
            record = document_record(result.out_dir, sha256)
            row.update(status="ok", record=json.dumps(record, ensure_ascii=False, default=str))
        else:
            row.update(status="failed", error_kind=result.error_kind, message=result.error)
    except Exception as exc:  # the corpus write itself failed: isolate it like a reader error
        row.update(status="failed", error_kind="internal error", message=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}")
    row["seconds"] = f"{time.perf_counter() - started:.3f}"
    row["peak_rss_mb"] = f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}"
    row["finished_at"] = _now()
    return row


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


#: Imported once by the forkserver, so that every pool worker forks with them already loaded
#: (pandas, pyarrow, the catalog …: ~0.6 s per worker otherwise). Java is started lazily in each
#: worker, on its first PDF (a JVM does not survive a fork).
PRELOAD = ["__main__", "budgetkit.pipeline", "budgetkit.checks", "budgetkit.corpus"]


def _warm_up() -> None:
    """Process-pool initializer: import the pipeline and the checks once per worker (no-ops when preloaded)."""
    import budgetkit.checks  # noqa: F401
    import budgetkit.pipeline  # noqa: F401


# --------------------------------------------------------------------------- executors


def _execute(tasks: list[tuple], workers: int, scheduler: str | None) -> Iterator[dict[str, Any]]:
    """Run ``process_one(*task)`` for every task; yield ledger rows as they complete."""
    kind = scheduler or ("processes" if len(tasks) <= SMALL_BATCH else "local")
    if kind == "serial" or not tasks:
        for task in tasks:
            yield process_one(*task)
        return
    if kind == "processes":
        import multiprocessing

        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)  # takes effect when this process starts its forkserver
        with ProcessPoolExecutor(
            max_workers=min(workers, len(tasks)), mp_context=context, initializer=_warm_up, max_tasks_per_child=MAX_TASKS_PER_WORKER,
        ) as pool:
            futures = {pool.submit(process_one, *task): task for task in tasks}
            for future in as_completed(futures):
                yield _result_or_crash(future, futures[future])
        return
    yield from _execute_dask(tasks, workers, None if kind == "local" else kind)


def _execute_dask(tasks: list[tuple], workers: int, address: str | None) -> Iterator[dict[str, Any]]:
    import logging

    from dask.distributed import Client, LocalCluster
    from dask.distributed import as_completed as dask_completed

    cluster = None
    if address is None:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR,
        )
        client = Client(cluster)
    else:
        client = Client(address)
    try:
        futures = client.map(process_one, *zip(*tasks), pure=False, key=[f"budgetkit-{t[0].doc_id}-{i}" for i, t in enumerate(tasks)])
        by_key = {f.key: t for f, t in zip(futures, tasks)}
        for future in dask_completed(futures):
            yield _result_or_crash(future, by_key[future.key])
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _result_or_crash(future: Any, task: tuple) -> dict[str, Any]:
    """The future's row, or a failure row when the worker died (segfault, out of memory)."""
    try:
        return future.result()
    except Exception as exc:
        spec, _, sha256 = task[0], task[1], task[2]
        return {
            "doc_id": spec.doc_id, "status": "failed", "files": ";".join(str(p) for p in spec.files),
            "sha256": ";".join(sha256), "error_kind": "worker crashed", "message": f"{type(exc).__name__}: {exc}",
            "finished_at": _now(),
        }


# --------------------------------------------------------------------------- the batch


def run_batch(
    paths: Iterable[Path | str],
    out: Path | str = Path("data/corpus"),
    workers: int | None = None,
    scheduler: str | None = None,
    force: bool = False,
    *,
    options: dict[str, Any] | None = None,
    progress: bool = True,
    stream=None,
) -> int:
    """Process every document found in ``paths`` into the corpus at ``out``.

    Args:
        paths: Folders, files or manifest CSVs (as for ``budgetkit extract``).
        out: Corpus folder.
        workers: Worker processes (default: all cores).
        scheduler: ``None`` (auto), ``"local"``, ``"processes"``, ``"serial"`` or a Dask scheduler address.
        force: Reprocess documents already done with the same files.
        options: Reader options (``encoding``, ``backend``).
        progress: Show a tqdm progress bar (on stderr).
        stream: Where the summary and the failures are printed (default: stdout).

    Returns:
        Exit code: 0 when no document failed in this run, 1 otherwise, 2 when nothing was found
        or another batch holds ``out/.batch.lock``.
    """
    from budgetkit.cli import collect_documents

    stream = stream or sys.stdout
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    workers = workers or os.cpu_count() or 1
    specs = collect_documents([Path(p) for p in paths])
    if not specs:
        print("budgetkit batch: no documents found in the given paths", file=stream)
        return 2
    lock = _acquire_lock(out)
    if lock is None:
        print(f"budgetkit batch: another batch is writing to {out} ({out / LOCK_NAME}); wait for it or remove a stale lock", file=stream)
        return 2
    try:
        return _run(specs, out, workers, scheduler, force, options, progress, stream)
    finally:
        lock.unlink(missing_ok=True)


def _acquire_lock(out: Path) -> Path | None:
    """Create ``out/.batch.lock`` (with our pid); ``None`` if a live process holds it. A stale lock is taken over."""
    path = out / LOCK_NAME
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            try:
                pid = int(path.read_text().strip() or 0)
                os.kill(pid, 0)
                return None  # alive
            except (ValueError, ProcessLookupError, FileNotFoundError):
                path.unlink(missing_ok=True)  # stale: its process is gone
                continue
            except PermissionError:
                return None
        with os.fdopen(fd, "w") as handle:
            handle.write(str(os.getpid()))
        return path
    return None


def _run(specs: list[DocumentSpec], out: Path, workers: int, scheduler: str | None, force: bool,
         options: dict[str, Any] | None, progress: bool, stream) -> int:
    from tqdm import tqdm

    ledger = read_ledger(out)
    done = {} if force else done_keys(ledger, out)
    tasks: list[tuple] = []
    skipped = 0
    run_failures: list[dict[str, Any]] = []
    for spec in specs:
        missing = [p for p in spec.files if not Path(p).exists()]
        if missing:
            row = {
                "doc_id": spec.doc_id, "status": "failed", "files": ";".join(map(str, spec.files)), "sha256": "",
                "error_kind": "missing file", "message": f"{missing[0]}: listed but not found", "finished_at": _now(),
            }
            append_ledger(out, row)
            run_failures.append(row)
            continue
        sha256 = [sha256_of(Path(p)) for p in spec.files]
        if done.get(spec.doc_id) == ";".join(sha256):
            skipped += 1
            continue
        tasks.append((spec, str(out), sha256, options or {}))
    started = time.perf_counter()
    processed = 0
    try:
        with tqdm(total=len(tasks), unit="doc", desc="batch", disable=not progress, file=sys.stderr) as bar:
            for row in _execute(tasks, workers, scheduler):
                append_ledger(out, row)
                processed += 1
                if row["status"] != "ok":
                    run_failures.append(row)
                bar.set_postfix(failed=len(run_failures), refresh=False)
                bar.update()
    finally:  # interrupted (Ctrl-C) or not: the tables reflect every document finished so far
        documents, failures = rebuild_tables(out)
    elapsed = time.perf_counter() - started
    rate = f", {processed / elapsed:.2f} doc/s" if processed and elapsed > 0 else ""
    print(
        f"budgetkit batch: {processed} processed, {skipped} skipped (already done), {len(run_failures)} failed"
        f" in {elapsed:.1f} s{rate}; corpus {out}: {len(documents)} documents",
        file=stream,
    )
    if run_failures:
        print(f"\n{len(run_failures)} document(s) failed (see {out / 'failures.csv'}):", file=stream)
        for row in run_failures:
            message = str(row.get("message") or "").splitlines()[0] if row.get("message") else ""
            print(f"  - {row['doc_id']} [{row.get('error_kind')}] {message}", file=stream)
    return 1 if run_failures else 0


def rebuild_tables(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rewrite ``documents`` and ``failures`` from the ledger (atomically); return them.

    ``documents`` holds the latest successful attempt of every document whose partition exists;
    ``failures`` the documents whose latest attempt failed.
    """
    out = Path(out)
    ledger = read_ledger(out)
    ok = latest_attempts(ledger[ledger["status"] == "ok"]) if not ledger.empty else ledger
    records = []
    for row in ok.itertuples():
        if not partition_path(out, row.doc_id).exists():
            continue
        record = json.loads(row.record) if row.record else {"doc_id": row.doc_id}
        record["processed_at"] = row.finished_at
        records.append(record)
    documents = pd.DataFrame(records, columns=DOCUMENT_COLUMNS)
    for column in ("fiscal_year", "n_tables", "n_amount_cells", "n_errors", "n_warnings"):
        documents[column] = pd.array(documents[column].tolist(), dtype="Int64") if len(documents) else documents[column].astype("Int64")
    latest = latest_attempts(ledger)
    failed = latest[latest["status"] == "failed"] if not latest.empty else latest
    failures = pd.DataFrame(
        {c: failed[c].tolist() if c in failed.columns else [] for c in FAILURE_COLUMNS}, columns=FAILURE_COLUMNS
    ).astype("string")
    write_table(documents.sort_values("doc_id").reset_index(drop=True), out, "documents")
    write_table(failures, out, "failures")
    return documents, failures
