"""The command line against hostile names and unlucky output folders: one line, never a traceback."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from budgetkit.cli import collect_documents, main

from conftest import SEED


@pytest.fixture()
def workdir(tmp_path, monkeypatch):
    """cwd without the project manifest."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _manifest(folder: Path, rows: list[tuple[str, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["doc_id,part,role,file,title,publisher,region,level,fiscal_year,kind,template,origin,sha256"]
    for doc_id, file in rows:
        shutil.copy(SEED, folder / file)
        lines.append(f'"{doc_id}",1,document,{file},t,p,r,county,2025,dept,shanxi-county,o,')
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "manifest.csv"


def test_a_manifest_id_never_writes_outside_out(workdir, capsys):
    victim = workdir / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("precious")
    absolute = workdir / "abs-target"
    manifest = _manifest(workdir / "raw", [("x/../../victim", "a.txt"), (str(absolute), "b.txt"), ("good", "c.txt")])
    out = workdir / "deep" / "out"
    code = main(["extract", str(manifest), "--out", str(out), "--no-checks"])
    printed = capsys.readouterr().out
    assert code == 1
    assert (victim / "keep.txt").read_text() == "precious" and sorted(p.name for p in victim.iterdir()) == ["keep.txt"]
    assert not absolute.exists() and not Path(str(absolute) + ".json").exists()
    assert f"{manifest}: document id 'x/../../victim' is not allowed" in printed
    assert (out / "good" / "tidy.parquet").exists()
    # Everything written stays under out, with names that need no escaping.
    for path in out.rglob("*"):
        assert path.resolve().is_relative_to(out.resolve())
    assert sorted(p.name for p in workdir.iterdir()) == ["abs-target.txt", "deep", "raw", "victim"] or not absolute.exists()


def test_doc_id_option_is_checked(workdir, capsys):
    shutil.copy(SEED, workdir / "seed.txt")
    assert main(["extract", str(workdir / "seed.txt"), "--doc-id", "../escape", "--out", str(workdir / "out")]) == 2
    assert "--doc-id: document id '../escape' is not allowed" in capsys.readouterr().err
    assert not (workdir / "escape").exists()


def test_input_folders_take_regular_files_only(workdir, capsys):
    folder = workdir / "incoming"
    folder.mkdir()
    shutil.copy(SEED, folder / "seed.txt")
    os.mkfifo(folder / "fifo.txt")  # reading it would block forever
    (folder / "zero.pdf").symlink_to("/dev/zero")  # hashing it would never end
    (folder / "loop.pdf").symlink_to(folder / "loop.pdf")  # a symlink loop
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    assert [d.doc_id for d in collect_documents([folder])] == ["seed"]
    # Given by name, each is one line and the others go on.
    code = main(["extract", str(folder / "seed.txt"), str(folder / "fifo.txt"), str(folder / "zero.pdf"), str(folder / "loop.pdf"),
                 "--out", str(workdir / "out"), "--no-checks"])
    printed = capsys.readouterr().out
    assert code == 1 and "ok      seed" in printed
    assert "fifo.txt: not a regular file" in printed and "zero.pdf: not a regular file" in printed
    assert "loop.pdf: cannot be read" in printed


def test_a_file_name_of_255_bytes(workdir, capsys):
    name = ("预算" * 41) + "abcde.txt"  # 246 + 9 = 255 bytes, the most a file name may have
    assert len(name.encode()) == 255
    shutil.copy(SEED, workdir / name)
    assert main(["extract", str(workdir / name), "--out", str(workdir / "out"), "--no-checks"]) == 0
    (doc,) = [p for p in (workdir / "out").iterdir() if p.name != "_status"]
    assert (doc / "tidy.parquet").exists()


def test_names_pyarrow_or_duckdb_would_misread_become_plain_ids(workdir, capsys):
    import duckdb

    from budgetkit.batch import run_batch
    from budgetkit.corpus import load_corpus, load_documents

    folder = workdir / "incoming"
    folder.mkdir()
    for n, name in enumerate(["a%41b.txt", "x=y.txt", "new\nline.txt"]):
        (folder / name).write_text(SEED.read_text(encoding="utf-8") + "\n" * n, encoding="utf-8")
    out = workdir / "corpus"
    assert run_batch([folder], out=out, scheduler="serial", progress=False) == 0
    ids = sorted(load_documents(out)["doc_id"])
    assert ids == ["a-41b", "new-line", "x-y"]
    assert sorted(set(load_corpus(out, columns=["table_id"])["doc_id"])) == ids
    query = (f"SELECT doc_id, count(*) FROM read_parquet('{out}/tidy/*/*.parquet', hive_partitioning=true) "
             "GROUP BY doc_id ORDER BY doc_id")
    assert [row[0] for row in duckdb.sql(query).fetchall()] == ids


def test_a_read_only_out_is_one_line(workdir, capsys):
    if os.geteuid() == 0:  # root writes anywhere: make the folder a read-only mount point instead
        out = workdir / "ro"
        out.mkdir()
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(out)], capture_output=True).returncode:
            pytest.skip("cannot mount a read-only tmpfs here")
    else:
        out = workdir / "ro"
        out.mkdir()
        out.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        shutil.copy(SEED, workdir / "seed.txt")
        assert main(["extract", str(workdir / "seed.txt"), "--out", str(out)]) == 3
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and str(out) in err and ("read-only" in err or "permission denied" in err)
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", "-l", str(out)], check=False)


def test_check_into_a_closed_pipe_ends_quietly(tmp_path):
    shutil.copy(SEED, tmp_path / "seed.txt")
    command = [sys.executable, "-m", "budgetkit", "check", str(tmp_path / "seed.txt"), "--out", str(tmp_path / "out")]
    done = subprocess.run(f"{' '.join(command)} | head -1", shell=True, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr
    assert done.stdout.count("\n") == 1
