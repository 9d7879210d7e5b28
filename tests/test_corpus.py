"""The corpus: exact partitions, documents table, pandas and DuckDB access, Fiscal Data Package."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from budgetkit.batch import run_batch
from budgetkit.corpus import (
    AMOUNT_TYPE,
    TIDY_SCHEMA,
    corpus_from_processed,
    export_fiscal_data_package,
    load_corpus,
    load_documents,
    partition_path,
    to_partition_table,
    write_partition,
)

from conftest import RAW, ROOT, SEED_ID


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Seed (text) and the Jiangsu 2017 and 2018 PDFs, via the manifest ids."""
    out = tmp_path_factory.mktemp("corpus")
    paths = [RAW / "qinshui-police-2025.txt", RAW / "js-npc-office-2017.pdf", RAW / "js-npc-office-2018.pdf"]
    run_batch(paths, out=out, workers=1, scheduler="serial", progress=False)
    return out


def test_partition_layout_and_exact_schema(corpus: Path):
    path = partition_path(corpus, SEED_ID)
    assert path == corpus / "tidy" / f"doc_id={SEED_ID}" / "part.parquet"
    schema = pq.read_schema(path)
    assert schema.field("amount_yuan").type == AMOUNT_TYPE == pa.decimal128(28, 6)
    assert "doc_id" not in schema.names  # the partition key lives in the folder name


def test_load_corpus_keeps_decimals(corpus: Path):
    tidy = load_corpus(corpus, doc_ids=[SEED_ID], table_ids=["project_current"])
    rows = tidy[(tidy["column_id"] == "total")].set_index("item")
    assert rows.loc["沁水县公安局本级", "amount"] == Decimal("6856.23")
    assert rows.loc["沁水县公安局本级", "amount_yuan"] == Decimal("68562300")
    assert isinstance(rows.loc["沁水县公安局交通警察大队", "amount_yuan"], Decimal)
    assert rows.loc["沁水县公安局交通警察大队", "amount"] == Decimal("1459.94")
    assert list(tidy.columns)[:2] == ["doc_id", "table_id"]


def test_load_corpus_with_documents(corpus: Path):
    tidy = load_corpus(corpus, with_documents=True, table_ids=["summary"])
    seed = tidy[tidy["doc_id"] == SEED_ID]
    assert set(seed["fiscal_year"]) == {2025}
    assert set(seed["region"]) == {"山西省晋城市沁水县"}
    documents = load_documents(corpus).set_index("doc_id")
    assert documents.loc[SEED_ID, "template"] == "shanxi-county"
    assert documents.loc[SEED_ID, "sha256"] == "e5cc9249644b8b1e2f3a5712ef62876838dbc65eebe05d288fbc8943f5cdc235"


def test_documents_csv_opens_in_excel(corpus: Path):
    """documents.csv carries a BOM (Excel on Windows reads it as UTF-8) and reads back the same."""
    raw = (corpus / "documents.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    documents = pd.read_csv(corpus / "documents.csv", dtype=str).set_index("doc_id")
    assert documents.loc[SEED_ID, "region"] == "山西省晋城市沁水县"


def test_duckdb_one_line_query(corpus: Path):
    duckdb = pytest.importorskip("duckdb")
    glob = str(corpus / "tidy" / "*" / "*.parquet")
    import budgetkit.corpus as module

    line = next(l.strip() for l in module.__doc__.splitlines() if l.strip().startswith("duckdb.sql("))
    query = line[len('duckdb.sql("'):-2].replace("data/corpus/tidy/*/*.parquet", glob)
    totals = dict(duckdb.sql(query).fetchall())  # the one-line query of the module docstring
    assert totals[SEED_ID] == Decimal("123470700")  # 收入总计 12,347.07 万元
    assert totals["js-npc-office-2017"] == Decimal("136490700")  # 13649.07 万元 (reference CSV)
    result = duckdb.sql(
        f"SELECT doc_id, sum(amount_yuan) AS total_yuan FROM read_parquet('{glob}', hive_partitioning=true) "
        "WHERE table_id='project_current' AND column_id='total' AND item='沁水县公安局交通警察大队' GROUP BY doc_id"
    ).fetchall()
    assert result == [(SEED_ID, Decimal("14599400.000000"))]
    joined = duckdb.sql(
        f"SELECT d.fiscal_year, count(*) FROM read_parquet('{glob}', hive_partitioning=true) t "
        f"JOIN '{corpus / 'documents.parquet'}' d USING (doc_id) WHERE doc_id='{SEED_ID}' GROUP BY 1"
    ).fetchall()
    assert joined[0][0] == 2025 and joined[0][1] > 500


def test_partition_refuses_to_round(tmp_path: Path):
    frame = pd.DataFrame({"table_id": ["t"], "row_number": [1], "amount": [Decimal("1.1234567")], "amount_yuan": [Decimal("1")]})
    with pytest.raises(pa.ArrowInvalid):
        to_partition_table(frame)
    ok = to_partition_table(frame.assign(amount=[Decimal("0.000001")]))
    assert ok.schema == TIDY_SCHEMA
    assert ok.column("amount")[0].as_py() == Decimal("0.000001")


def test_write_partition_is_atomic(tmp_path: Path):
    good = pd.DataFrame({"table_id": ["t"], "row_number": [1], "amount": [Decimal("2.5")]})
    write_partition(good, tmp_path, "d")
    bad = good.assign(amount=[Decimal("1e-9")])
    with pytest.raises(pa.ArrowInvalid):
        write_partition(bad, tmp_path, "d")
    assert load_corpus(tmp_path)["amount"].tolist() == [Decimal("2.500000")]
    assert [p.name for p in partition_path(tmp_path, "d").parent.iterdir()] == ["part.parquet"]


def test_corpus_from_processed(tmp_path: Path):
    from budgetkit.manifest import read_manifest
    from budgetkit.pipeline import process_document

    spec = next(s for s in read_manifest(RAW / "manifest.csv") if s.doc_id == SEED_ID)
    assert process_document(spec, tmp_path / "processed", with_checks=False).ok
    documents = corpus_from_processed(tmp_path / "processed", tmp_path / "corpus")
    assert list(documents["doc_id"]) == [SEED_ID]
    assert len(load_corpus(tmp_path / "corpus")) == len(pd.read_parquet(tmp_path / "processed" / SEED_ID / "tidy.parquet"))


def test_fiscal_data_package(corpus: Path, tmp_path: Path):
    target = export_fiscal_data_package(corpus, tmp_path / "fdp")
    package = json.loads(target.read_text(encoding="utf-8"))
    assert package["profile"] == "fiscal-data-package"
    measure = package["model"]["measures"]["amount_yuan"]
    assert measure["currency"] == "CNY" and measure["factor"] == 1
    dims = package["model"]["dimensions"]
    assert {"document", "fiscal_year", "function", "economic", "table"} <= set(dims)
    resource = package["resources"][0]
    fields = {f["name"] for f in resource["schema"]["fields"]}
    for dim in dims.values():
        for attribute in dim["attributes"].values():
            assert attribute["source"] in fields
    with open(tmp_path / "fdp" / resource["path"], encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    seed = [r for r in rows if r["doc_id"] == SEED_ID]
    public_safety = [r for r in seed if r["table_id"] == "general_expenditure" and r["code"] == "20402" and r["column_id"] == "total"]
    assert public_safety and public_safety[0]["function_class"] == "204" and public_safety[0]["function_section"] == "20402"
    assert public_safety[0]["function_item"] == ""
    econ = {r["item"]: r["economic_class"] for r in seed if r["table_id"] == "general_basic_economic" and r["column_id"] == "total"}
    assert econ["基本工资"] == "301" and econ["办公费"] == "302" and econ["合计"] == ""
    # exact text, no float noise
    assert all("e" not in r["amount_yuan"].lower() for r in rows)
    assert (tmp_path / "fdp" / "data" / "budget-lines.parquet").exists()


def test_jiangsu_totals_in_corpus(corpus: Path):
    """2017 → 2018 income totals 13649.07 → 15897.44 万元 (data/reference/js-npc-office-summary-totals.csv)."""
    reference = pd.read_csv(ROOT / "data" / "reference" / "js-npc-office-summary-totals.csv", dtype=str)
    expected = {int(r.iloc[0][:4]): Decimal(r["收入合计"]) for _, r in reference.iterrows()}
    tidy = load_corpus(corpus, doc_ids=["js-npc-office-2017", "js-npc-office-2018"], table_ids=["summary"], with_documents=True)
    for year in (2017, 2018):
        rows = tidy[(tidy["fiscal_year"] == year) & (tidy["unit"] == "万元")]
        assert expected[year] in set(rows["amount"].dropna()), year


def test_documents_count_check_errors(corpus: Path):
    documents = load_documents(corpus).set_index("doc_id")
    findings = corpus / "processed" / SEED_ID / "findings.parquet"
    if not findings.exists():
        pytest.skip("budgetkit.checks wrote no findings for the seed")
    frame = pd.read_parquet(findings)
    assert documents.loc[SEED_ID, "n_errors"] == int((frame["status"] == "error").sum())
