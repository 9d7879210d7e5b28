"""The processed folder: one module owns its layout; CSVs open in Excel; a workbook; floats for analysis;
the checks run again from the folder without the PDF."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetkit.cli import main
from budgetkit.processed import DocumentFolder, check_folder, load_document, load_processed, load_tidy

from conftest import SEED, SEED_ID


@pytest.fixture(scope="module")
def seed_folder(tmp_path_factory) -> DocumentFolder:
    out = tmp_path_factory.mktemp("processed")
    assert main(["extract", str(SEED), "--out", str(out)]) == 0
    return DocumentFolder(out / SEED_ID)


def test_every_csv_starts_with_a_bom(seed_folder):
    csvs = list(seed_folder.root.rglob("*.csv"))
    assert seed_folder.tidy_csv in csvs and len(csvs) >= 13 + 6
    for path in csvs:
        assert path.read_bytes()[:3] == b"\xef\xbb\xbf", path.name


def test_workbook_has_every_table_as_printed(seed_folder):
    import openpyxl

    book = openpyxl.load_workbook(seed_folder.workbook, read_only=True)
    tables = [n for n in book.sheetnames if n[:2].isdigit()]
    assert len(tables) == 13 and {"说明", "tidy", "findings"} <= set(book.sheetnames)
    summary = book["01 收支预算总表"]
    rows = list(summary.iter_rows(values_only=True))
    assert rows[1][:2] == ("收入/项目", "收入/2025年")  # header as printed
    total = next(r for r in rows if r[0] == "收入总计")
    assert total[1] == pytest.approx(12347.07)  # a number, not text
    findings = list(book["findings"].iter_rows(values_only=True))
    assert findings[0][0] == "status_label" and "错误" in {r[0] for r in findings[1:]}


def test_float_loader_for_analysis(seed_folder):
    exact = load_tidy(seed_folder)
    floats = load_tidy(seed_folder, floats=True)
    assert isinstance(exact["amount_yuan"].dropna().iloc[0], Decimal)
    assert str(floats["amount_yuan"].dtype) == "float64"
    lines = floats.query("table_id == 'project_current' and column_id == 'total' and row_role == 'line'")
    assert lines["amount"].sum() == pytest.approx(8316.17)  # the 17 projects, not 3 × (department + units + projects)
    assert floats["amount"].describe()["count"] == exact["amount"].notna().sum()


def test_checks_run_again_from_the_folder(seed_folder, capsys):
    before = load_processed(SEED_ID, seed_folder.root.parent).findings
    document = load_document(seed_folder)
    assert len(document.tables) == 13 and document.narrative and document.performance_blocks
    assert document.tables["project_carryover"].notes == ["注：本表无数据"]
    after = check_folder(seed_folder)
    assert list(zip(after["rule_id"], after["status"], after["message"])) == list(zip(before["rule_id"], before["status"], before["message"]))
    assert main(["check", str(seed_folder.root)]) == 1  # the seed's errors, found again
    assert "ERROR" in capsys.readouterr().out
