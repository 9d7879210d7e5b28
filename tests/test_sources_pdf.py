"""The PDF reader: real excerpts (tests/fixtures/pdf), the bundled PDFs, and bad input.

Expected cells in tests/fixtures/pdf/expected/cells.csv were read off the PDFs' own text
(pypdfium2 page text), not from the reader's output.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("pypdfium2")
pytest.importorskip("pdfplumber")

from budgetkit.amounts import parse_amount  # noqa: E402
from budgetkit.errors import (  # noqa: E402
    CorruptFileError,
    EncryptedPdfError,
    NotADisclosureError,
    ScannedPdfError,
)
from budgetkit.sources.pdf import cell_value, read_pdf_document  # noqa: E402
from budgetkit.tidy import tidy_table  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "pdf"
RAW = ROOT / "data" / "raw"
HAVE_JAVA = bool(__import__("shutil").which("java"))
BACKENDS = [pytest.param("tabula", marks=pytest.mark.skipif(not HAVE_JAVA, reason="no Java")), "pdfplumber"]

EXPECTED = list(csv.DictReader(open(FIXTURES / "expected" / "cells.csv", encoding="utf-8")))

DOCUMENTS = {
    "js-npc-office-2017": ["js-npc-office-2017.pdf"],
    "js-npc-office-2018": ["js-npc-office-2018.pdf"],
    "js-npc-office-2019": ["js-npc-office-2019-text.pdf", "js-npc-office-2019-tables.pdf"],
    "sh-putuo-gov-office-2025-dept": ["sh-putuo-gov-office-2025-dept.pdf"],
    "sh-putuo-gov-office-2025-unit": ["sh-putuo-gov-office-2025-unit.pdf"],
    "sh-putuo-wanli-street-2024": ["sh-putuo-wanli-street-2024.pdf"],
    "sh-putuo-wanli-street-2025": ["sh-putuo-wanli-street-2025.pdf"],
}
STANDARD = ["summary", "income", "expenditure", "fiscal_summary", "general_expenditure", "general_basic_economic", "three_public"]

_cache: dict[tuple, object] = {}


def read(files: list[Path], doc_id: str, backend: str):
    key = (tuple(files), backend)
    if key not in _cache:
        _cache[key] = read_pdf_document(files, doc_id, {}, backend=backend)
    return _cache[key]


def fixture_doc(name: str, backend: str):
    return read([FIXTURES / name], name.removesuffix(".pdf"), backend)


def total_of(df, column_id: str, kind: str = "total") -> Decimal:
    values = [a for a in df[(df.row_kind == kind) & (df.column_id == column_id)].amount if a is not None]
    assert values, f"no {kind} row in {column_id}"
    return values[-1]


# --------------------------------------------------------------------------- excerpts


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("row", EXPECTED, ids=lambda r: f"{r['fixture'][:12]}-{r['table_id']}-{r['key'] or 'row1'}-{r['column_id']}")
def test_expected_cells(row, backend):
    doc = fixture_doc(row["fixture"], backend)
    table = doc.tables[row["table_id"]]
    assert table.unit == row["unit"]
    found = cell_value(table, row["key"], row["column_id"])
    assert found is not None, f"{row['key']}/{row['column_id']} not found; columns {table.columns}"
    text, location = found
    assert parse_amount(text) == parse_amount(row["value_text"])
    assert location.page == int(row["page"])


@pytest.mark.parametrize("backend", BACKENDS)
def test_multipage_income_is_one_table_total_equals_sum_of_classes(backend):
    doc = fixture_doc("putuo-wanli-2024-income.pdf", backend)
    income = doc.tables["income"]
    # Five pages (2–6 of the excerpt), repeated headers dropped, one table.
    assert sorted({loc.page for loc in income.body_locations}) == [2, 3, 4, 5, 6]
    assert not any(r[0] in ("类", "功能分类科目编码") for r in income.body_rows)
    df = tidy_table(income, "w24")
    classes = df[(df.code_level == "类") & (df.column_id == "total")]
    assert sorted(classes.code) == ["201", "204", "205", "206", "207", "208", "210", "212", "221"]
    assert sum(classes.amount) == total_of(df, "total") == Decimal("156211123")
    # Codes printed over 类/款/项 columns come out joined.
    assert "2120199" in set(df.code)
    assert income.columns[:3] == ["code", "name", "total"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_units_per_table_and_exact_conversion(backend):
    doc = fixture_doc("putuo-office-2025-economic-3public.pdf", backend)
    assert doc.tables["general_basic_economic"].unit == "元"
    assert doc.tables["three_public"].unit == "万元"
    df = tidy_table(doc.tables["three_public"], "x")
    row = df[df.column_id == "three_public_total"].iloc[0]
    assert row.amount_yuan == Decimal("8675000.00")
    # Economic codes printed 301 | 02 (and 301 | 2 in other files) are joined to 30102.
    econ = tidy_table(doc.tables["general_basic_economic"], "x")
    assert {"30102", "30228", "31002"} <= set(econ.code.dropna())
    classes = econ[(econ.code_level == "类") & (econ.column_id == "total")]
    assert sum(classes.amount) == total_of(econ, "total") == Decimal("24606775.35")


@pytest.mark.parametrize("backend", BACKENDS)
def test_jiangsu_summary_split_rows_are_joined(backend):
    doc = fixture_doc("jiangsu-2017-summary.pdf", backend)
    summary = doc.tables["summary"]
    items = [r[summary.columns.index("expense_item")] for r in summary.body_rows]
    assert "八、社会保障和就业支出" in items  # split over the page break 7→8
    assert "七、文化体育与传媒支出" in items  # wrapped inside its cell
    incomes = [r[0] for r in summary.body_rows]
    assert "当年收入小计" in incomes and "收入合计" in incomes
    assert summary.title == "收支预算总表" and summary.department == "江苏省人大常委会办公厅"


def test_title_label_and_department_inside_the_ruled_area():
    doc = fixture_doc("jiangsu-2019-tables.pdf", "pdfplumber")
    summary = doc.tables["summary"]
    assert summary.label == "公开表一"
    assert summary.unit == "万元"
    assert summary.location.page == 1
    assert doc.tables["three_public"].label == "公开表九"


# --------------------------------------------------------------------------- bundled documents


@pytest.mark.parametrize("doc_id", list(DOCUMENTS))
def test_bundled_document_has_standard_tables_with_printed_totals(doc_id):
    backend = "tabula" if HAVE_JAVA else "pdfplumber"
    doc = read([RAW / f for f in DOCUMENTS[doc_id]], doc_id, backend)
    for table_id in STANDARD:
        assert table_id in doc.tables, f"{doc_id}: {table_id} missing"
        assert doc.tables[table_id].unit in ("元", "万元")
    # Code tables: 合计 equals the sum of the 类 rows, in every amount column it prints.
    for table_id in ("general_expenditure", "general_basic_economic") + (("income", "expenditure") if doc_id.startswith("sh-") else ()):
        df = tidy_table(doc.tables[table_id], doc_id)
        classes = df[(df.code_level == "类") & (df.column_id == "total")]
        assert len(classes) >= 2
        assert sum(a for a in classes.amount if a is not None) == total_of(df, "total"), (doc_id, table_id)
    summary = tidy_table(doc.tables["summary"], doc_id)
    income_total = total_of(summary, "income_amount")
    expense_totals = summary[(summary.row_kind == "total") & (summary.side == "expense")].amount.dropna()
    assert income_total in set(expense_totals)
    general = tidy_table(doc.tables["general_expenditure"], doc_id)
    assert total_of(general, "total") <= income_total
    if doc_id.startswith("sh-"):
        assert doc.tables["summary"].unit == "元" and doc.tables["three_public"].unit == "万元"
    assert doc.narrative and doc.narrative[0].location.line == 1


JIANGSU_REFERENCE = {
    int(r[""][:4]): r for r in csv.DictReader(open(RAW.parent / "reference" / "js-npc-office-summary-totals.csv", encoding="utf-8"))
}


@pytest.mark.parametrize("year", [2017, 2018, 2019])
def test_jiangsu_summary_totals_equal_reference(year):
    doc_id = f"js-npc-office-{year}"
    backend = "tabula" if HAVE_JAVA else "pdfplumber"
    doc = read([RAW / f for f in DOCUMENTS[doc_id]], doc_id, backend)
    table = doc.tables["summary"]
    assert table.unit == "万元"
    ref = JIANGSU_REFERENCE[year]
    checks = {
        ("收入合计", "income_amount"): "收入合计",
        ("当年收入小计", "income_amount"): "当年收入小计",
        ("一、财政拨款", "income_amount"): "财政拨款",
        ("1.一般公共预算", "income_amount"): "一般公共预算",
        ("一、一般公共服务支出", "expense_total"): "一般公共服务支出",
        ("十八、住房保障支出", "expense_total"): "住房保障支出",
        ("八、社会保障和就业支出", "expense_total"): "社会保障和就业支出",
        ("一、基本支出", "expense_use_amount"): "基本支出",
        ("二、项目支出", "expense_use_amount"): "项目支出",
        ("三、单位预留机动经费", "expense_use_amount"): "单位预留机动经费",
        ("当年支出小计", "expense_use_amount"): "当年支出小计",
        ("支出合计", "expense_use_amount"): "支出合计",
    }
    for (key, column_id), ref_col in checks.items():
        found = cell_value(table, key, column_id)
        assert found is not None, (year, key)
        assert parse_amount(found[0]) == Decimal(ref[ref_col]), (year, key)


def test_parts_and_multi_file_document():
    doc = read([RAW / f for f in DOCUMENTS["js-npc-office-2019"]], "js-npc-office-2019", "pdfplumber")
    assert doc.parts[2] == "2019年度部门预算表" and doc.parts[3] == "2019年度部门预算情况说明"
    assert doc.tables["summary"].location.file == "js-npc-office-2019-tables.pdf"
    files = {line.location.file for line in doc.narrative}
    assert "js-npc-office-2019-text.pdf" in files
    assert any("18330.37万元" in line.text.replace(" ", "") for line in doc.narrative)


# --------------------------------------------------------------------------- bad input


def _pdf_bytes(text: str | None) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(4, 3))
    if text:
        fig.text(0.1, 0.5, text)
    else:  # an image only, as a scanner makes
        ax = fig.add_axes([0, 0, 1, 1])
        ax.imshow([[0, 1], [1, 0]])
        ax.axis("off")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="pdf")
    plt.close(fig)
    return buffer.getvalue()


@pytest.mark.parametrize("backend", BACKENDS)
def test_scanned_pdf(tmp_path, backend):
    path = tmp_path / "scan.pdf"
    path.write_bytes(_pdf_bytes(None))
    with pytest.raises(ScannedPdfError) as info:
        read_pdf_document([path], "scan", {}, backend=backend)
    assert "scan.pdf" in str(info.value) and "no text layer" in str(info.value)


def test_truncated_pdf(tmp_path):
    data = (FIXTURES / "jiangsu-2019-tables.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(CorruptFileError) as info:
        read_pdf_document([path], "cut", {}, backend="pdfplumber")
    assert "cut.pdf" in str(info.value)


def test_encrypted_pdf(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=str(FIXTURES / "jiangsu-2019-tables.pdf"))
    writer.encrypt(user_password="secret", owner_password="owner")
    path = tmp_path / "locked.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    with pytest.raises(EncryptedPdfError) as info:
        read_pdf_document([path], "locked", {}, backend="pdfplumber")
    assert "locked.pdf" in str(info.value) and "encrypted" in str(info.value)


def test_not_a_disclosure(tmp_path):
    path = tmp_path / "menu.pdf"
    path.write_bytes(_pdf_bytes("Lunch menu: noodles, dumplings"))
    with pytest.raises(NotADisclosureError) as info:
        read_pdf_document([path], "menu", {}, backend="pdfplumber")
    assert "menu.pdf" in str(info.value)


def test_java_missing_is_reported_and_text_reader_needs_no_java(tmp_path):
    """Run in a fresh interpreter with no java on PATH and no JAVA_HOME."""
    code = f"""
import sys
from pathlib import Path
from budgetkit.errors import JavaMissingError
from budgetkit.sources.pdf import read_pdf_document
import budgetkit.sources.text  # the text reader imports without Java
try:
    read_pdf_document([Path({str(FIXTURES / 'jiangsu-2019-tables.pdf')!r})], "x", {{}}, backend="tabula")
except JavaMissingError as exc:
    print("MISSING", exc)
print("TABULA_IMPORTED", "tabula" in sys.modules and "jpype" in sys.modules and sys.modules.get("jpype").isJVMStarted())
"""
    env = {k: v for k, v in os.environ.items() if k != "JAVA_HOME"}
    env["PATH"] = str(Path(sys.executable).parent)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert "MISSING" in out.stdout, out.stderr
    assert "apt-get install default-jre" in out.stdout and "conda install openjdk" in out.stdout
    assert "TABULA_IMPORTED False" in out.stdout


@pytest.mark.skipif(not HAVE_JAVA, reason="no Java")
def test_one_jvm_for_many_documents():
    import jpype
    import tabula.io as tio

    read([FIXTURES / "jiangsu-2019-tables.pdf"], "a", "tabula")
    vm = tio._tabula_vm
    assert jpype.isJVMStarted() and vm is not None
    read_pdf_document([FIXTURES / "jiangsu-2017-summary.pdf"], "b", {}, backend="tabula")
    assert tio._tabula_vm is vm  # the same VM object, no restart, no subprocess
    # tabula.read_pdf in the same process reuses it too.
    import tabula

    frames = tabula.read_pdf(str(FIXTURES / "jiangsu-2019-tables.pdf"), pages="1", lattice=True, silent=True)
    assert frames and tio._tabula_vm is vm
