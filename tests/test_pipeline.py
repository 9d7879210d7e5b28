"""End to end on the seed: extract → data/processed/<doc_id>/, atomic, bad input isolated."""

import json
import os
import shutil
from decimal import Decimal

import pandas as pd
import pytest

from budgetkit.cli import main
from budgetkit.manifest import read_manifest

from conftest import RAW, SEED, SEED_ID


@pytest.fixture()
def workdir(tmp_path, monkeypatch):
    """A scratch copy of the seed and an output folder; cwd without the project manifest."""
    monkeypatch.chdir(tmp_path)
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / SEED.name)
    return tmp_path


def test_manifest_lists_every_bundled_file_with_checksum():
    specs = read_manifest(RAW / "manifest.csv")
    ids = [s.doc_id for s in specs]
    assert ids[0] == SEED_ID and len(ids) == 10  # 8 budgets + 西南大学 2024 budget and final accounts
    jiangsu_2019 = next(s for s in specs if s.doc_id == "js-npc-office-2019")
    assert [p.name for p in jiangsu_2019.files] == ["js-npc-office-2019-text.pdf", "js-npc-office-2019-tables.pdf"]
    assert jiangsu_2019.metadata["title"] == "江苏省人大常委会办公厅2019年度部门预算公开"
    for spec in specs:
        spec.verify()  # every raw file matches its recorded sha256


def test_extract_seed_writes_all_outputs(workdir, capsys):
    out = workdir / "processed"
    main(["extract", str(RAW / "manifest.csv"), "--out", str(out), "--no-checks"])
    # The PDF documents may fail on a machine without Java; the seed must not.
    doc = out / SEED_ID
    assert (doc / "tidy.parquet").exists() and (doc / "tidy.csv").exists()
    assert sorted(p.stem for p in (doc / "tables").glob("*.csv")) == sorted(
        ["summary", "income", "expenditure", "fiscal_summary", "general_expenditure", "general_basic_economic", "fund_income",
         "fund_expenditure", "state_capital", "three_public", "admin_operation", "project_current", "project_carryover"])
    summary = json.loads((doc / "document.json").read_text(encoding="utf-8"))
    assert summary["metadata"]["publisher"] == "沁水县公安局"
    assert summary["metadata"]["fiscal_year"] == 2025
    assert {t["table_id"]: t["body_rows"] for t in summary["tables"]}["income"] == 16
    tidy = pd.read_parquet(doc / "tidy.parquet")
    total = tidy[(tidy.table_id == "summary") & (tidy["item"] == "收入总计")].iloc[0]
    assert total.amount_yuan == Decimal("123470700") and total.value_text == "12347.07"
    extraction = json.loads((doc / "extraction.json").read_text(encoding="utf-8"))
    assert extraction["tables_missing"] == []
    assert extraction["tables_empty"] == ["fund_income", "fund_expenditure", "state_capital", "project_carryover"]
    assert "ok      qinshui-police-2025" in capsys.readouterr().out


def bad_files(raw):
    (raw / "empty.txt").write_bytes(b"")
    (raw / "novel.txt").write_text("滚滚长江东逝水，浪花淘尽英雄。\n是非成败转头空。\n", encoding="utf-8")
    lines = SEED.read_text(encoding="utf-8").splitlines()
    (raw / "truncated.txt").write_text("\n".join(lines[:230]), encoding="utf-8")
    (raw / "gbk-forced.txt").write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    return ["empty.txt", "novel.txt", "truncated.txt"]


@pytest.mark.parametrize(
    "name, reason",
    [("empty.txt", "the file is empty"), ("novel.txt", "not a budget disclosure"), ("truncated.txt", "truncated")],
)
def test_bad_input_one_clear_error_nothing_written(workdir, capsys, name, reason):
    raw = workdir / "raw"
    bad_files(raw)
    out = workdir / "processed"
    code = main(["extract", str(raw / name), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 1
    assert f"{raw / name}" in printed and reason in printed
    assert not (out / name.removesuffix(".txt")).exists()
    assert [p.name for p in out.iterdir() if not p.name.startswith("_")] == []  # no half-written folder


def test_wrong_encoding_forced_fails_cleanly(workdir, capsys):
    raw = workdir / "raw"
    bad_files(raw)
    code = main(["extract", str(raw / "gbk-forced.txt"), "--encoding", "utf-8", "--out", str(workdir / "processed")])
    printed = capsys.readouterr().out
    assert code == 1 and "gbk-forced.txt: cannot be decoded as utf-8" in printed and "gb18030" in printed


def test_batch_of_files_continues_past_failures_and_keeps_good_output(workdir, capsys):
    raw = workdir / "raw"
    bad_files(raw)
    out = workdir / "processed"
    assert main(["extract", str(raw / SEED.name), "--out", str(out), "--no-checks", "--doc-id", "seed"]) == 0
    before = (out / "seed" / "tidy.csv").read_bytes()
    # A folder with the good dump and three bad files: all are attempted, failures listed, exit 1.
    code = main(["extract", str(raw), "--out", str(out), "--no-checks"])
    printed = capsys.readouterr().out
    assert code == 1
    assert "3 of 5 document(s) failed" in printed
    assert (out / SEED.stem / "tidy.parquet").exists()  # the good one was processed
    assert (out / "gbk-forced" / "tidy.parquet").exists()  # GB18030 detected on its own
    assert (out / "seed" / "tidy.csv").read_bytes() == before  # earlier output untouched
    status = json.loads((out / "_status" / "truncated.json").read_text(encoding="utf-8"))
    assert status["ok"] is False and status["error_kind"] == "truncated or incomplete"


def test_changed_raw_file_is_refused(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "manifest.csv", raw / "manifest.csv")
    (raw / SEED.name).write_text(SEED.read_text(encoding="utf-8").replace("12270.45", "12270.46", 1), encoding="utf-8")
    spec = next(s for s in read_manifest(raw / "manifest.csv") if s.doc_id == SEED_ID)
    from budgetkit.pipeline import process_document

    result = process_document(spec, tmp_path / "out")
    assert not result.ok and result.error_kind == "checksum mismatch" and SEED.name in result.error


def test_help_for_every_command(capsys):
    for command in ("extract", "check", "report", "batch", "export"):
        with pytest.raises(SystemExit) as info:
            main([command, "--help"])
        assert info.value.code == 0
        assert "usage: budgetkit " + command in capsys.readouterr().out


def test_pdf_files_in_no_manifest_joined_into_one_document(workdir, capsys):
    """Jiangsu 2019 comes as a narrative file and a tables file: --join makes them one document."""
    raw = workdir / "raw"
    for name in ("js-npc-office-2019-text.pdf", "js-npc-office-2019-tables.pdf"):
        shutil.copy(RAW / name, raw / ("copy-" + name))
    out = workdir / "processed"
    code = main(["extract", str(raw / "copy-js-npc-office-2019-text.pdf"), str(raw / "copy-js-npc-office-2019-tables.pdf"),
                 "--join", "--doc-id", "js2019", "--out", str(out), "--no-checks"])
    assert code == 0, capsys.readouterr().out
    summary = json.loads((out / "js2019" / "document.json").read_text(encoding="utf-8"))
    assert [f["path"] for f in summary["files"]] == ["copy-js-npc-office-2019-text.pdf", "copy-js-npc-office-2019-tables.pdf"]
    assert {"summary", "income", "expenditure", "three_public"} <= {t["table_id"] for t in summary["tables"]}
    assert summary["narrative_lines"] > 0  # the narrative comes from the first file
    tidy = pd.read_parquet(out / "js2019" / "tidy.parquet")
    total = tidy[(tidy.table_id == "summary") & (tidy["item"] == "收入合计")]
    assert Decimal("18330.37") in set(total.amount)


# ---------------------------------------------------------------- hardening (issue 11)


def test_two_runs_into_the_same_out_both_succeed(workdir):
    """Each run replaces the same folder 16 times while the other does too: no run fails."""
    import threading

    from budgetkit.manifest import spec_for_paths
    from budgetkit.pipeline import read_spec, write_document

    spec = spec_for_paths([workdir / "raw" / SEED.name], "seed")
    document = read_spec(spec)
    out = workdir / "out"
    errors = []

    def run():
        for _ in range(16):
            try:
                write_document(document, out)
            except Exception as exc:  # noqa: BLE001 — any failure is the defect
                errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(p.name for p in out.iterdir()) == ["seed"]
    assert (out / "seed" / "tidy.parquet").exists()


def test_output_folders_have_the_usual_permissions(workdir):
    import os
    import stat

    from budgetkit.manifest import spec_for_paths
    from budgetkit.pipeline import process_document

    umask = os.umask(0o022)
    try:
        result = process_document(spec_for_paths([workdir / "raw" / SEED.name], "seed"), workdir / "out", with_checks=False)
    finally:
        os.umask(umask)
    assert result.ok
    assert stat.S_IMODE(result.out_dir.stat().st_mode) == 0o755
    assert stat.S_IMODE((workdir / "out" / "_status" / "seed.json").stat().st_mode) == 0o644


def test_leftovers_of_a_killed_run_are_cleaned_but_not_a_live_runs(workdir):
    import subprocess
    import sys

    from budgetkit.pipeline import TMP_TAG, prepare_output

    out = workdir / "out"
    out.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    (out / f".seed.{TMP_TAG}{dead}-abc123").mkdir()          # a killed run's temporary folder
    (out / f".seed.{TMP_TAG}{dead}-old-1234").mkdir()        # its set-aside old output
    (out / f".seed.{TMP_TAG}{os.getpid()}-live99").mkdir()   # ours: a run in progress
    (out / "seed").mkdir()
    prepare_output(out)
    assert sorted(p.name for p in out.iterdir()) == sorted([f".seed.{TMP_TAG}{os.getpid()}-live99", "seed"])


def test_a_full_disk_in_extract_is_one_line_per_document_and_no_empty_status(workdir, capsys):
    import subprocess

    disk = workdir / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        for n in range(3):
            (workdir / "raw" / f"seed{n}.txt").write_text(SEED.read_text(encoding="utf-8") + "\n" * n, encoding="utf-8")
        code = main(["extract", *[str(workdir / "raw" / f"seed{n}.txt") for n in range(3)], "--out", str(disk / "out")])
        captured = capsys.readouterr()
        assert code == 1 and "Traceback" not in captured.out + captured.err
        assert "no space left on device" in captured.out
        assert not [p for p in (disk / "out" / "_status").glob("*") if p.stat().st_size == 0]
        assert not [p for p in (disk / "out").iterdir() if p.name.startswith(".")]
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
