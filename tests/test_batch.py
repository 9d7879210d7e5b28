"""Batch runs: failures isolated and listed, resumable by sha256, nothing half-written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from budgetkit.batch import LEDGER_NAME, append_ledger, read_ledger, run_batch
from budgetkit.corpus import load_corpus, load_documents, load_failures, partition_path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


def _english_pdf(path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    with PdfPages(path) as pdf:
        fig = plt.figure()
        fig.text(0.1, 0.5, "Minutes of the garden club, spring meeting. Total 123.45")
        pdf.savefig(fig)
        plt.close(fig)


@pytest.fixture()
def mixed_folder(tmp_path: Path) -> Path:
    """A folder with the seed (text), a real PDF, a truncated PDF and a PDF that is not a disclosure."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    shutil.copy(RAW / "qinshui-police-2025.txt", folder / "seed.txt")
    real = RAW / "sh-putuo-gov-office-2025-unit.pdf"
    shutil.copy(real, folder / "unit.pdf")
    (folder / "corrupt.pdf").write_bytes(real.read_bytes()[:30000])
    _english_pdf(folder / "english.pdf")
    return folder


def test_batch_isolates_failures_and_resumes(mixed_folder: Path, tmp_path: Path, capsys):
    out = tmp_path / "corpus"
    code = run_batch([mixed_folder], out=out, workers=1, scheduler="serial", progress=False)
    assert code == 1
    printed = capsys.readouterr().out
    assert "2 processed" not in printed and "4 processed" in printed
    assert "corrupt [" in printed and "english [" in printed

    failures = load_failures(out).set_index("doc_id")
    assert set(failures.index) == {"corrupt", "english"}
    assert failures.loc["english", "error_kind"] == "not a budget disclosure"
    assert failures.loc["corrupt", "error_kind"] in {"corrupt file", "truncated or incomplete"}
    assert str(mixed_folder / "corrupt.pdf") in failures.loc["corrupt", "files"]

    documents = load_documents(out).set_index("doc_id")
    assert set(documents.index) == {"seed", "unit"}
    assert documents.loc["seed", "fiscal_year"] == 2025
    assert documents.loc["seed", "units"] == "万元"
    assert documents.loc["seed", "n_tables"] == 13
    assert partition_path(out, "seed").exists() and not partition_path(out, "corrupt").exists()

    # Second run: the done documents are skipped, the failures retried and listed again.
    first_partition_mtime = partition_path(out, "seed").stat().st_mtime_ns
    code = run_batch([mixed_folder], out=out, workers=1, scheduler="serial", progress=False)
    printed = capsys.readouterr().out
    assert code == 1
    assert "2 processed, 2 skipped" in printed
    assert partition_path(out, "seed").stat().st_mtime_ns == first_partition_mtime
    assert set(load_documents(out)["doc_id"]) == {"seed", "unit"}

    # A changed file (new sha256) is processed again; --force reprocesses everything.
    (mixed_folder / "english.pdf").unlink()
    (mixed_folder / "corrupt.pdf").unlink()
    with open(mixed_folder / "seed.txt", "a", encoding="utf-8") as handle:
        handle.write("\n")
    assert run_batch([mixed_folder], out=out, workers=1, scheduler="serial", progress=False) == 0
    assert "1 processed, 1 skipped" in capsys.readouterr().out
    assert run_batch([mixed_folder], out=out, workers=1, scheduler="serial", force=True, progress=False) == 0
    assert "2 processed, 0 skipped" in capsys.readouterr().out
    # the earlier failures stay in the ledger, but the documents are no longer in the batch's folder
    ledger = read_ledger(out)
    assert (ledger["status"] == "failed").sum() == 4


def test_batch_process_pool_text_only(tmp_path: Path, capsys):
    """The process pool path, with a text document and a file that is not readable at all."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    shutil.copy(RAW / "qinshui-police-2025.txt", folder / "seed.txt")
    (folder / "empty.txt").write_bytes(b"")
    out = tmp_path / "corpus"
    code = run_batch([folder], out=out, workers=2, scheduler="processes", progress=False)
    assert code == 1
    assert list(load_failures(out)["doc_id"]) == ["empty"]
    tidy = load_corpus(out, doc_ids=["seed"], table_ids=["project_current"])
    assert set(tidy["doc_id"]) == {"seed"}
    assert {"沁水县公安局本级", "沁水县公安局交通警察大队"} <= set(tidy["item"])


def test_ledger_ignores_a_torn_line(tmp_path: Path):
    append_ledger(tmp_path, {"doc_id": "a", "status": "ok", "sha256": "x"})
    with open(tmp_path / LEDGER_NAME, "a", encoding="utf-8") as handle:
        handle.write('{"doc_id": "b", "status": "ok", "message": "a quoted field, torn')  # disk full mid-line
    append_ledger(tmp_path, {"doc_id": "c", "status": "failed", "sha256": "z", "message": 'has "quotes", commas\nand lines'})
    append_ledger(tmp_path, {"doc_id": "d", "status": "ok", "sha256": "w"})
    ledger = read_ledger(tmp_path)
    assert list(ledger["doc_id"]) == ["a", "c", "d"]
    assert ledger.loc[1, "message"] == 'has "quotes", commas\nand lines'


def test_no_documents_found(tmp_path: Path, capsys):
    (tmp_path / "empty").mkdir()
    assert run_batch([tmp_path / "empty"], out=tmp_path / "corpus", scheduler="serial", progress=False) == 2


def test_batch_on_a_dask_scheduler_address(tmp_path: Path, capsys):
    """``scheduler=ADDRESS`` runs on an existing Dask cluster (here an in-process one)."""
    distributed = pytest.importorskip("dask.distributed")
    folder = tmp_path / "incoming"
    folder.mkdir()
    shutil.copy(RAW / "qinshui-police-2025.txt", folder / "seed.txt")
    (folder / "empty.txt").write_bytes(b"")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        code = run_batch([folder], out=tmp_path / "corpus", scheduler=cluster.scheduler_address, progress=False)
    assert code == 1
    assert list(load_documents(tmp_path / "corpus")["doc_id"]) == ["seed"]
    assert list(load_failures(tmp_path / "corpus")["error_kind"]) == ["empty file"]


def test_a_second_batch_on_the_same_corpus_is_refused(tmp_path: Path, capsys):
    import fcntl
    import os

    out = tmp_path / "corpus"
    out.mkdir()
    folder = tmp_path / "incoming"
    folder.mkdir()
    shutil.copy(RAW / "qinshui-police-2025.txt", folder / "seed.txt")
    holder = os.open(out / ".batch.lock", os.O_CREAT | os.O_RDWR)
    fcntl.flock(holder, fcntl.LOCK_EX)  # another batch is running
    try:
        assert run_batch([folder], out=out, scheduler="serial", progress=False) == 2
        assert "another batch" in capsys.readouterr().out
    finally:
        os.close(holder)
    # What a killed batch leaves: an empty lock file, or one naming a pid that now is another
    # live process. Neither blocks (the lock is the kernel's and died with its holder).
    (out / ".batch.lock").write_text("")
    assert run_batch([folder], out=out, scheduler="serial", progress=False) == 0
    (out / ".batch.lock").write_text(str(os.getppid()))
    assert run_batch([folder], out=out, scheduler="serial", force=True, progress=False) == 0


# ---------------------------------------------------------------- hardening (issue 11)


def _seed_copy(path: Path, extra: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((RAW / "qinshui-police-2025.txt").read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


def test_same_named_files_in_two_folders_are_both_kept(tmp_path: Path, capsys):
    _seed_copy(tmp_path / "A" / "report.txt")
    _seed_copy(tmp_path / "B" / "report.txt", "\n")  # other content, same name
    out = tmp_path / "corpus"
    assert run_batch([tmp_path / "A", tmp_path / "B"], out=out, scheduler="serial", progress=False) == 0
    assert "2 processed" in capsys.readouterr().out
    assert sorted(load_documents(out)["doc_id"]) == ["A-report", "B-report"]


def test_another_file_under_an_id_in_the_corpus_is_refused_not_swapped_in(tmp_path: Path, capsys):
    a = _seed_copy(tmp_path / "A" / "report.txt")
    b = _seed_copy(tmp_path / "B" / "report.txt", "\n")
    out = tmp_path / "corpus"
    assert run_batch([a], out=out, scheduler="serial", progress=False) == 0
    before = partition_path(out, "report").read_bytes()
    capsys.readouterr()
    assert run_batch([b], out=out, scheduler="serial", progress=False) == 1
    printed = capsys.readouterr().out
    assert "report [id conflict]" in printed and str(a.absolute()) in printed
    assert partition_path(out, "report").read_bytes() == before
    assert load_documents(out).loc[0, "files"] == "report.txt" and len(load_documents(out)) == 1
    # The same file, changed: processed again, and said so.
    with open(a, "a", encoding="utf-8") as handle:
        handle.write("\n\n")
    assert run_batch([a], out=out, scheduler="serial", progress=False) == 0
    assert "report: " in (printed := capsys.readouterr().out) and "changed since it was processed" in printed


def kill_worker_on_poison(spec, out, sha256, options):
    """A pool task that dies like an out-of-memory kill when its document is the poison one."""
    import os
    import signal

    if spec.doc_id == "poison":
        os.kill(os.getpid(), signal.SIGKILL)
    return {"doc_id": spec.doc_id, "status": "ok", "pid": os.getpid()}


def test_a_dead_worker_fails_only_the_document_that_killed_it(tmp_path: Path):
    from budgetkit.batch import _execute_pool
    from budgetkit.manifest import DocumentSpec

    names = ["a", "b", "poison", "c", "d", "e"]
    tasks = [(DocumentSpec(n, {}, [tmp_path / f"{n}.txt"]), str(tmp_path), ["0"], {}) for n in names]
    rows = list(_execute_pool(tasks, 2, work=kill_worker_on_poison))
    by_id = {row["doc_id"]: row for row in rows}
    assert sorted(by_id) == sorted(names) and len(rows) == len(names)
    assert by_id["poison"]["status"] == "failed" and by_id["poison"]["error_kind"] == "worker crashed"
    assert "died twice" in by_id["poison"]["message"]
    assert all(by_id[n]["status"] == "ok" for n in names if n != "poison")


def test_a_ledger_that_is_a_device_is_refused_in_one_line(tmp_path: Path, capsys):
    folder = tmp_path / "incoming"
    _seed_copy(folder / "seed.txt")
    out = tmp_path / "corpus"
    out.mkdir()
    (out / LEDGER_NAME).symlink_to("/dev/full")  # reads never end, writes fail with ENOSPC
    assert run_batch([folder], out=out, scheduler="serial", progress=False) == 3
    printed = capsys.readouterr().out
    assert f"{out / LEDGER_NAME}: the ledger is not a regular file" in printed and "Traceback" not in printed


def test_resume_records_a_partition_whose_ledger_line_was_lost(tmp_path: Path, capsys):
    folder = tmp_path / "incoming"
    _seed_copy(folder / "seed.txt")
    out = tmp_path / "corpus"
    assert run_batch([folder], out=out, scheduler="serial", progress=False) == 0
    # The driver died (disk full) after the worker wrote the partition, before the ledger line.
    (out / LEDGER_NAME).write_text('{"doc_id": "seed", "status": "ok", "record": "{\\"doc_id\\": \\"se')
    other = tmp_path / "other"
    _seed_copy(other / "second.txt", "\n")
    assert run_batch([other], out=out, scheduler="serial", progress=False) == 0
    assert "seed: recorded again" in capsys.readouterr().out
    documents = load_documents(out)
    assert sorted(documents["doc_id"]) == ["second", "seed"]
    assert set(load_corpus(out, columns=["table_id"])["doc_id"]) == set(documents["doc_id"])


@pytest.fixture()
def tiny_disk(tmp_path: Path):
    """A 2 MB tmpfs: a real full disk (needs root with mount rights, as on the dev machine and CI)."""
    import subprocess

    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_disk_that_fills_mid_batch_stops_with_one_line_and_a_consistent_corpus(tiny_disk: Path, tmp_path: Path, capsys):
    folder = tmp_path / "incoming"
    for n in range(4):
        _seed_copy(folder / f"seed{n}.txt", "\n" * n)
    out = tiny_disk / "corpus"
    code = run_batch([folder], out=out, scheduler="serial", progress=False)
    printed = capsys.readouterr().out
    assert code == 3 and "no space left on device" in printed and "Traceback" not in printed
    assert "stopped" in printed
    kept = set(load_documents(out)["doc_id"])
    assert kept < {f"seed{n}" for n in range(4)}
    assert set(load_corpus(out, columns=["table_id"])["doc_id"]) == kept
    assert not [p for p in (out / "processed" / "_status").glob("*.json") if p.stat().st_size == 0]


def hog_on_poison(spec, out, sha256, options):
    """A pool task whose poison document runs away: forever (``slow``) or into memory (``fat``)."""
    import os
    import time

    if spec.doc_id == "slow":
        time.sleep(120)
    if spec.doc_id == "fat":
        ballast = b"x" * (1536 * 2**20)  # touched pages: real resident memory
        time.sleep(120)
        del ballast
    return {"doc_id": spec.doc_id, "status": "ok", "pid": os.getpid()}


def test_a_runaway_document_is_stopped_by_time_and_memory(tmp_path, monkeypatch):
    import time

    import budgetkit.batch
    from budgetkit.batch import _execute_pool
    from budgetkit.manifest import DocumentSpec

    monkeypatch.setattr(budgetkit.batch, "DOCUMENT_SECONDS", 3)
    monkeypatch.setattr(budgetkit.batch, "WORKER_MEMORY_BYTES", 1024 * 2**20)
    names = ["a", "slow", "b", "fat", "c"]
    tasks = [(DocumentSpec(n, {}, [tmp_path / f"{n}.txt"]), str(tmp_path), ["0"], {}) for n in names]
    started = time.monotonic()
    by_id = {row["doc_id"]: row for row in _execute_pool(tasks, 2, work=hog_on_poison)}
    assert time.monotonic() - started < 60
    assert sorted(by_id) == sorted(names)
    assert by_id["slow"]["status"] == "failed" and "stopped after 3 s" in by_id["slow"]["message"]
    assert by_id["fat"]["status"] == "failed" and "GB of memory" in by_id["fat"]["message"]
    assert all(by_id[n]["status"] == "ok" for n in ("a", "b", "c"))
