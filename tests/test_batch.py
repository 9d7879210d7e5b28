"""Batch runs: failures isolated and listed, resumable by sha256, nothing half-written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
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
        handle.write("b,ok,,y,,,")  # crash in the middle of a line
    append_ledger(tmp_path, {"doc_id": "c", "status": "failed", "sha256": "z", "message": 'has "quotes", commas\nand lines'})
    ledger = read_ledger(tmp_path)
    assert list(ledger["doc_id"]) == ["a", "c"]
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
    import os

    out = tmp_path / "corpus"
    out.mkdir()
    (out / ".batch.lock").write_text(str(os.getpid()))  # a live process holds the lock
    folder = tmp_path / "incoming"
    folder.mkdir()
    shutil.copy(RAW / "qinshui-police-2025.txt", folder / "seed.txt")
    assert run_batch([folder], out=out, scheduler="serial", progress=False) == 2
    assert "another batch" in capsys.readouterr().out
    (out / ".batch.lock").write_text("999999999")  # stale: no such process
    assert run_batch([folder], out=out, scheduler="serial", progress=False) == 0
    assert not (out / ".batch.lock").exists()
