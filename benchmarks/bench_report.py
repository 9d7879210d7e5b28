"""How long `make report` takes: cold, again with nothing changed, and with one new PDF.

Runs ``budgetkit report`` on the bundled manifest into fresh temporary folders (data/processed and
reports are not touched):

1. **cold** — nothing extracted, no page built (what a fresh clone's ``make report`` does after setup);
2. **nothing changed** — the same command again;
3. **one PDF in** — ``budgetkit report some.pdf`` with a bundled PDF copied outside the manifest.

For each: wall time, CPU time (this process and every child: extraction workers, kernels) and the
load average before and after, since other work on the machine slows every number down.

    python benchmarks/bench_report.py [--jobs 2]
"""

from __future__ import annotations

import argparse
import io
import os
import re
import resource
import shutil
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(step: str, argv: list[str]) -> dict:
    from budgetkit.cli import main

    load_before = os.getloadavg()[0]
    cpu, wall = cpu_seconds(), time.perf_counter()
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        code = main(argv)
    out = buffer.getvalue()
    row = {
        "step": step,
        "exit": code,
        "wall_s": round(time.perf_counter() - wall, 1),
        "cpu_s": round(cpu_seconds() - cpu, 1),
        "load": f"{load_before:.1f} → {os.getloadavg()[0]:.1f}",
        "said": " · ".join(line.split(" (")[0] for line in out.splitlines() if re.match(r"^(extract|pages|index):", line)),
    }
    extract = re.search(r"^extract: .*\(([\d.]+) s\)", out, re.M)
    row["extract_s"] = float(extract.group(1)) if extract else None
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    os.chdir(ROOT)
    base = Path(tempfile.mkdtemp(prefix="bench-report-"))
    try:
        common = ["--manifest", "data/raw/manifest.csv", "--processed", str(base / "processed"), "--out", str(base / "reports"),
                  "--jobs", str(args.jobs)]
        outside = base / "downloads" / "some.pdf"
        outside.parent.mkdir()
        shutil.copy(ROOT / "data" / "raw" / "js-npc-office-2018.pdf", outside)
        import csv

        with open(ROOT / "data" / "raw" / "manifest.csv", encoding="utf-8", newline="") as handle:
            documents = len({row["doc_id"] for row in csv.DictReader(handle)})
        rows = [run(f"cold ({documents} documents)", ["report", *common]),
                run("nothing changed", ["report", *common]),
                run("one PDF in (budgetkit report some.pdf)", ["report", str(outside), *common])]
        print("| step | wall s | CPU s | of which extract s | load avg | exit | what it said |")
        print("|---|---:|---:|---:|---|---:|---|")
        for r in rows:
            print(f"| {r['step']} | {r['wall_s']} | {r['cpu_s']} | {r['extract_s']} | {r['load']} | {r['exit']} | {r['said']} |")
        return 0 if all(r["exit"] == 0 for r in rows) else 1
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
