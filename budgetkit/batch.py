"""Batch: extract, tidy and check many documents on all cores, resumably, into a corpus.

:func:`run_batch` (``budgetkit batch PATHS --out data/corpus``) turns folders, files and
manifests into documents (:func:`budgetkit.cli.collect_documents`), skips the documents whose
files (by sha256) were already processed successfully, runs the others in parallel and writes
the corpus described in :mod:`budgetkit.corpus`:

* ``processed/<doc_id>/`` — the pipeline's outputs (atomic per document);
* ``tidy/doc_id=<doc_id>/part.parquet`` — the document's exact tidy rows (atomic);
* ``ledger.jsonl`` — an append-only journal, one JSON object per line and per attempt, written
  only by the driver and fsync'ed line by line; the latest line of a document decides. A torn
  line (a crash or a full disk while writing) is not valid JSON and is skipped; it can never
  swallow the next line (each append starts on a line of its own). A ``ledger.csv`` of an
  older budgetkit is still read;
* ``documents.parquet``/``.csv`` and ``failures.parquet``/``.csv`` — rebuilt from the ledger at
  the end of every run (atomically).

A failing document never stops the batch: its error kind and message go to the failures table
and are printed at the end; an earlier good output of the same document is kept. A pool worker
that dies (out of memory, killed) does not fail the others: the pool is restarted, the documents
that were running are retried one at a time, and only a document that kills its worker again is
marked failed. A full disk or read-only output stops the batch with one line naming the path;
the next run resumes, and first reconciles the ledger with the partitions on disk (a partition
whose ledger line was lost is recorded again from its processed output). A document whose id is
already in the corpus from another file is refused (``id conflict``) rather than replacing it;
the same file changed since (new sha256) is processed again and said so.

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

import fcntl
import json
import os
import resource
import sys
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

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
from budgetkit.errors import BudgetkitError, OutputError
from budgetkit.ids import is_safe_doc_id
from budgetkit.manifest import DocumentSpec, sha256_of

#: Ledger fields (one JSON object per line).
LEDGER_COLUMNS = [
    "doc_id", "status", "files", "sha256", "error_kind", "message", "seconds", "peak_rss_mb", "pid", "finished_at",
    "record",
]
LEDGER_NAME = "ledger.jsonl"
#: The ledger of budgetkit before JSON lines (read, never written).
LEGACY_LEDGER_NAME = "ledger.csv"
LOCK_NAME = ".batch.lock"

#: Up to this many documents to process, the default scheduler uses a plain process pool: on the
#: 2-core test machine it beat the local Dask cluster at every size measured (N = 27: 1.05 vs
#: 0.64 doc/s; N = 54: 1.20 vs 0.89 doc/s, 2 workers, benchmarks/bench_corpus.py).
SMALL_BATCH = 100

#: A pool worker is replaced after this many documents (bounds any slow leak; costs one JVM start).
MAX_TASKS_PER_WORKER = 200


# --------------------------------------------------------------------------- ledger


def read_ledger(out: Path) -> pd.DataFrame:
    """All complete lines of the ledger (empty frame if there is none); torn lines are skipped."""
    out = Path(out)
    rows: list[dict[str, Any]] = []
    legacy = out / LEGACY_LEDGER_NAME
    if legacy.exists():
        frame = pd.read_csv(legacy, dtype=str, keep_default_na=False, on_bad_lines="skip", engine="python")
        if "end" in frame.columns:
            rows.extend(frame[frame["end"] == "."].drop(columns="end").to_dict("records"))
    path = out / LEDGER_NAME
    if path.exists():
        if not path.is_file() or path.is_symlink():  # a device or FIFO would never end
            raise OutputError(path, "the ledger is not a regular file; move it away and run again")
        with open(path, "rb") as handle:
            for raw in handle:
                try:
                    row = json.loads(raw)
                except ValueError:  # torn (crash or full disk mid-write) or not UTF-8: skip it
                    continue
                if isinstance(row, dict) and row.get("doc_id") and row.get("status"):
                    rows.append(row)
    frame = pd.DataFrame(rows, columns=LEDGER_COLUMNS)
    return frame.fillna("").astype(str).reset_index(drop=True) if len(frame) else frame


def append_ledger(out: Path, row: dict[str, Any]) -> None:
    """Append one attempt to the ledger as one JSON line and fsync it (the driver is the only writer)."""
    path = Path(out) / LEDGER_NAME
    line = json.dumps({c: "" if row.get(c) is None else str(row.get(c)) for c in LEDGER_COLUMNS}, ensure_ascii=False)
    with open(path, "ab") as handle:
        handle.seek(0, os.SEEK_END)
        if handle.tell() > 0:
            with open(path, "rb") as check:
                check.seek(-1, os.SEEK_END)
                torn = check.read(1) != b"\n"
            if torn:  # a torn last line must not swallow this one
                handle.write(b"\n")
        handle.write(line.encode("utf-8") + b"\n")
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
        if is_safe_doc_id(row.doc_id) and partition_path(out, row.doc_id).exists():
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
        "files": _files(spec),
        "sha256": ";".join(sha256),
        "pid": os.getpid(),
    }
    try:
        # The corpus needs no Excel workbook per document (a third of the time of one).
        result = process_document(spec, Path(out) / PROCESSED_DIR, with_checks=True, **{"workbook": False, **(options or {})})
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


def _files(spec: DocumentSpec) -> str:
    """The document's files as the ledger records them: absolute paths joined by ``;``."""
    return ";".join(str(Path(p).absolute()) for p in spec.files)


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
        yield from _execute_pool(tasks, workers)
        return
    yield from _execute_dask(tasks, workers, None if kind == "local" else kind)


def _new_pool(workers: int) -> ProcessPoolExecutor:
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)  # takes effect when this process starts its forkserver
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_warm_up, max_tasks_per_child=MAX_TASKS_PER_WORKER,
    )


def _execute_pool(tasks: list[tuple], workers: int, work: Callable[..., dict[str, Any]] = None) -> Iterator[dict[str, Any]]:
    """The process pool, surviving dead workers: ``work(*task)`` (default :func:`process_one`) for every task.

    At most ``workers`` documents are in flight, so when a worker dies the documents that may
    have killed it are known: they are retried one at a time in a pool of one, where a second
    death points at the culprit, which alone is marked failed; the pool is restarted for the
    others.
    """
    work = work or process_one
    queue = list(range(len(tasks)))
    stopped: dict[int, str] = {}  # why the watchdog stopped a task's worker
    while queue:
        suspects = yield from _pool_round(work, tasks, queue, min(workers, len(queue)), stopped)
        for index in suspects:  # one suspect alone: if its worker dies again, it killed it
            stopped.pop(index, None)
            if (yield from _pool_round(work, tasks, [index], 1, stopped)):
                reason = stopped.get(index) or "its worker died twice while reading it (out of memory or killed)"
                yield _crash_row(tasks[index], f"{reason}; retried once alone")


def _pool_round(work: Callable[..., dict[str, Any]], tasks: list[tuple], queue: list[int], workers: int,
                stopped: dict[int, str] | None = None):
    """Run ``work(*tasks[i])`` for the indices in ``queue`` in one pool, until all are done or a worker dies.

    Yields ledger rows; takes each finished index out of ``queue``; returns the indices that
    were in flight when the pool broke (taken out of ``queue`` too), or ``[]``. A watchdog
    kills the workers when a document runs longer than :data:`DOCUMENT_SECONDS` or a worker
    holds more than :data:`WORKER_MEMORY_BYTES`, noting why in ``stopped``.
    """
    in_flight: dict[Any, int] = {}
    since: dict[Any, float] = {}
    watched = time.monotonic()
    waiting = list(queue)
    pool = _new_pool(workers)
    try:
        while waiting or in_flight:
            while waiting and len(in_flight) < workers:
                index = waiting.pop(0)
                future = pool.submit(work, *tasks[index])
                in_flight[future], since[future] = index, time.monotonic()
            finished, _ = wait(in_flight, timeout=WATCH_SECONDS, return_when=FIRST_COMPLETED)
            if time.monotonic() - watched >= WATCH_SECONDS:
                watched = time.monotonic()
                reason = _overrun(pool, [since[f] for f in in_flight if f not in finished])
                if reason:
                    for future, index in in_flight.items():
                        if stopped is not None and future not in finished:
                            stopped[index] = reason
                    _kill_workers(pool)
            broken = False
            for future in finished:
                try:
                    row = future.result()
                except BrokenProcessPool:
                    broken = True
                    continue
                except Exception as exc:  # an error outside process_one's own guard
                    row = _crash_row(tasks[in_flight[future]], f"{type(exc).__name__}: {exc}")
                queue.remove(in_flight.pop(future))
                yield row
            if broken:
                suspects = sorted(in_flight.values())
                for index in suspects:
                    queue.remove(index)
                return suspects
        return []
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


#: A document still running after this many seconds in a pool worker is stopped (the 52 bundled
#: and wild disclosures take 0.6–14 s each, JVM start included).
DOCUMENT_SECONDS = 600
#: A pool worker holding more memory than this is stopped (peak 703 MB on the same 52).
WORKER_MEMORY_BYTES = 2 * 1024**3
#: How often the watchdog looks.
WATCH_SECONDS = 1.0


def _overrun(pool: ProcessPoolExecutor, started: list[float]) -> str | None:
    """Why the pool's workers must be stopped now (too long, too much memory), or ``None``."""
    if started and time.monotonic() - min(started) > DOCUMENT_SECONDS:
        return f"stopped after {DOCUMENT_SECONDS} s (a document takes seconds: too large or suspicious?)"
    import psutil

    for pid in list(getattr(pool, "_processes", None) or {}):
        try:
            rss = psutil.Process(pid).memory_info().rss
        except psutil.Error:
            continue
        if rss > WORKER_MEMORY_BYTES:
            return f"stopped at {rss / 2**30:.1f} GB of memory (limit {WORKER_MEMORY_BYTES / 2**30:.0f} GB: too large or suspicious?)"
    return None


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's worker processes (the pool then breaks, and its tasks are retried alone)."""
    import signal

    for pid in list(getattr(pool, "_processes", None) or {}):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _crash_row(task: tuple, message: str) -> dict[str, Any]:
    spec, sha256 = task[0], task[2]
    return {
        "doc_id": spec.doc_id, "status": "failed", "files": _files(spec),
        "sha256": ";".join(sha256), "error_kind": "worker crashed", "message": f"{spec.files[0]}: {message}",
        "finished_at": _now(),
    }


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
        return _crash_row(task, f"{type(exc).__name__}: {exc}")


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
        or another batch holds ``out/.batch.lock``, 3 when the output cannot be written (full
        disk, read-only: the batch stops with one line naming the path; run again to resume).
    """
    from budgetkit.cli import collect_documents
    from budgetkit.pipeline import prepare_output

    stream = stream or sys.stdout
    out = Path(out)
    workers = workers or os.cpu_count() or 1
    try:
        specs = collect_documents([Path(p) for p in paths])
    except BudgetkitError as exc:
        print(f"budgetkit batch: {exc}", file=stream)
        return 2
    if not specs:
        print("budgetkit batch: no documents found in the given paths", file=stream)
        return 2
    try:
        prepare_output(out)
    except BudgetkitError as exc:
        print(f"budgetkit batch: {exc}", file=stream)
        return EXIT_OUTPUT
    try:
        lock = _acquire_lock(out)
    except OSError as exc:
        from budgetkit.pipeline import output_error

        print(f"budgetkit batch: {output_error(exc, out / LOCK_NAME)}", file=stream)
        return EXIT_OUTPUT
    if lock is None:
        print(f"budgetkit batch: another batch is writing to {out} ({out / LOCK_NAME} is locked); wait for it to finish", file=stream)
        return 2
    try:
        return _run(specs, out, workers, scheduler, force, options, progress, stream)
    except OutputError as exc:
        print(f"budgetkit batch: {exc}", file=stream)
        return EXIT_OUTPUT
    except OSError as exc:  # the driver's own writes (ledger, tables): full disk, read-only …
        from budgetkit.pipeline import output_error

        print(f"budgetkit batch: {output_error(exc, out)}; run again to resume", file=stream)
        return EXIT_OUTPUT
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        os.close(lock)


#: Exit code when the output cannot be written (full disk, read-only, no permission).
EXIT_OUTPUT = 3


def _acquire_lock(out: Path) -> int | None:
    """Lock ``out/.batch.lock`` (an advisory ``flock``, released by the kernel when its process
    dies, so a crashed batch never leaves a stale lock); ``None`` if another process holds it.

    Returns:
        The locked file descriptor (close it to release the lock).
    """
    fd = os.open(out / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())  # who holds it, for a person looking
    return fd


def reconcile(out: Path, stream=None) -> list[str]:
    """Make the ledger and the partitions on disk agree before a run (after a crash or a full disk).

    A partition with no successful ledger line (the driver died before writing it) is recorded
    again from its processed output (``processed/<doc_id>/``); one without a processed output
    cannot be described and is removed, so the corpus never holds rows the documents table lacks.

    Returns:
        The ids recovered or removed, each with what was done.
    """
    from budgetkit.pipeline import clean_leftovers

    out = Path(out)
    for folder in [out, out / PROCESSED_DIR, out / PROCESSED_DIR / "_status", *sorted((out / "tidy").glob("doc_id=*"))]:
        clean_leftovers(folder)
    ledger = read_ledger(out)
    ok = set(ledger.loc[ledger["status"] == "ok", "doc_id"]) if not ledger.empty else set()
    notes = []
    for part in sorted((out / "tidy").glob("doc_id=*/part.parquet")):
        doc_id = part.parent.name.split("=", 1)[1]
        if doc_id in ok:
            continue
        processed = out / PROCESSED_DIR / doc_id
        if is_safe_doc_id(doc_id) and (processed / "document.json").exists():
            summary = json.loads((processed / "document.json").read_text(encoding="utf-8"))
            sha256 = [f.get("sha256") or "" for f in summary.get("files", [])]
            record = document_record(processed, sha256)
            append_ledger(out, {
                "doc_id": doc_id, "status": "ok", "files": ";".join(f.get("path", "") for f in summary.get("files", [])),
                "sha256": ";".join(sha256), "message": "recovered: partition without a ledger line", "finished_at": _now(),
                "record": json.dumps(record, ensure_ascii=False, default=str),
            })
            notes.append(f"{doc_id}: recorded again (its ledger line was lost)")
        else:
            import shutil

            shutil.rmtree(part.parent, ignore_errors=True)
            notes.append(f"{doc_id}: partition removed (no ledger line and no processed output)")
    for note in notes:
        print(f"budgetkit batch: {note}", file=stream or sys.stdout)
    return notes


def _id_conflict(spec: DocumentSpec, sha256: list[str], latest: dict[str, Any] | None) -> str | None:
    """Why ``spec`` must not replace the corpus's document of the same id, or ``None``.

    A different file under an id already in the corpus is a conflict (two documents, one id);
    the same file with a new sha256 is an update.
    """
    if latest is None or not latest.get("files"):
        return None
    if str(latest["files"]) == _files(spec):
        return None
    if latest.get("sha256") == ";".join(sha256):
        return None  # the same content under another name or place
    return (
        f"{spec.files[0]}: the corpus already holds {spec.doc_id} from {latest['files']} (other content); "
        "not replaced — rename the file, give it its own id in a manifest, or use another --out"
    )


def _run(specs: list[DocumentSpec], out: Path, workers: int, scheduler: str | None, force: bool,
         options: dict[str, Any] | None, progress: bool, stream) -> int:
    from tqdm import tqdm

    from budgetkit.pipeline import is_fatal_output_error

    reconcile(out, stream)
    ledger = read_ledger(out)
    done = {} if force else done_keys(ledger, out)
    latest_ok = {r["doc_id"]: r for r in latest_attempts(ledger[ledger["status"] == "ok"]).to_dict("records")} if not ledger.empty else {}
    tasks: list[tuple] = []
    skipped = 0
    run_failures: list[dict[str, Any]] = []

    def fail(spec: DocumentSpec, kind: str, message: str, sha256: str = "") -> None:
        row = {
            "doc_id": spec.doc_id, "status": "failed", "files": _files(spec), "sha256": sha256,
            "error_kind": kind, "message": message, "finished_at": _now(),
        }
        append_ledger(out, row)
        run_failures.append(row)

    for spec in specs:
        try:
            if spec.problem is not None:
                raise spec.problem
            sha256 = [sha256_of(Path(p)) for p in spec.files]
        except BudgetkitError as exc:  # missing, not a regular file, unsafe id
            fail(spec, exc.kind, str(exc))
            continue
        key = ";".join(sha256)
        if done.get(spec.doc_id) == key:
            skipped += 1
            continue
        conflict = _id_conflict(spec, sha256, latest_ok.get(spec.doc_id))
        if conflict:
            fail(spec, "id conflict", conflict, key)
            continue
        previous = latest_ok.get(spec.doc_id)
        if previous is not None and previous.get("sha256") and previous["sha256"] != key:
            print(f"budgetkit batch: {spec.doc_id}: {spec.files[0]} changed since it was processed "
                  f"(sha256 {previous['sha256'][:12]}… → {key[:12]}…); its corpus rows are replaced", file=stream)
        tasks.append((spec, str(out), sha256, dict(options or {})))
    started = time.perf_counter()
    processed = 0
    stopped = None
    try:
        with tqdm(total=len(tasks), unit="doc", desc="batch", disable=not progress, file=sys.stderr) as bar:
            results = _execute(tasks, workers, scheduler)
            for row in results:
                append_ledger(out, row)
                processed += 1
                if row["status"] != "ok":
                    run_failures.append(row)
                    if is_fatal_output_error(row.get("message")):
                        stopped = str(row.get("message") or "").splitlines()[0]
                        results.close()  # every later document would fail the same way
                        break
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
    if stopped:
        print(f"budgetkit batch: stopped — {stopped}; {len(tasks) - processed} document(s) not attempted; run again to resume", file=stream)
        return EXIT_OUTPUT
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
        if not is_safe_doc_id(row.doc_id) or not partition_path(out, row.doc_id).exists():
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
