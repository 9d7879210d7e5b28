"""A JVM that cannot start is found out in a child process: the command goes on without it."""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys

import pytest

from budgetkit.jvm import java_executable

from conftest import RAW, SEED


@pytest.mark.skipif(java_executable() is None, reason="no Java: nothing to fail to start")
def test_a_jvm_that_cannot_start_under_a_memory_limit_does_not_end_the_command(tmp_path):
    pdf = RAW / "sh-putuo-gov-office-2025-unit.pdf"
    shutil.copy(SEED, tmp_path / "seed.txt")

    def limit():  # 2.5 GB of address space: enough for Python, not for a default JVM beside it
        resource.setrlimit(resource.RLIMIT_AS, (2_500_000_000, resource.RLIM_INFINITY))

    command = [sys.executable, "-m", "budgetkit", "extract", str(pdf), str(tmp_path / "seed.txt"),
               "--out", str(tmp_path / "out"), "--no-checks", "--backend", "tabula"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, preexec_fn=limit, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr.count("the Java VM cannot start here") == 1
    assert "pdfplumber instead of tabula" in done.stderr
    assert "ok      sh-putuo-gov-office-2025-unit: 9 tables, 231/231 printed amounts read" in done.stdout
    assert "ok      seed: 13 tables" in done.stdout
    assert not list(tmp_path.glob("hs_err*"))  # nothing written outside --out
    summary = (tmp_path / "out" / "sh-putuo-gov-office-2025-unit" / "document.json").read_text(encoding="utf-8")
    assert "pdfplumber instead of tabula" in summary
