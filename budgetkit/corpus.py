"""The corpus: many documents as one tidy, exact dataset, easy to query.

Layout of a corpus folder (default ``data/corpus``, written by :func:`budgetkit.batch.run_batch`)::

    data/corpus/
      tidy/doc_id=<doc_id>/part.parquet   one partition per document (hive layout)
      documents.parquet / documents.csv   one row per document processed successfully
      failures.csv / failures.parquet     documents whose latest attempt failed
      ledger.jsonl                        append-only journal of every attempt, one JSON object a line (resume key: sha256)
      processed/<doc_id>/                 the per-document outputs of budgetkit.pipeline

Amounts are exact. ``amount`` (in the printed unit, see ``unit``) and ``amount_yuan`` (in 元)
are stored as Parquet ``DECIMAL(28, 6)``: pandas reads them as :class:`decimal.Decimal`, DuckDB
as ``DECIMAL(28,6)``; a value that would need more than 6 decimals is refused, never rounded.
Nothing passes through ``float``.

Query from pandas::

    from budgetkit.corpus import load_corpus
    tidy = load_corpus("data/corpus", with_documents=True)

Query from DuckDB (one line; ``doc_id`` comes from the partition folder; the largest amount on
the income side of the 收支总表 is its 收入总计)::

    duckdb.sql("SELECT doc_id, max(amount_yuan) AS income_total_yuan FROM read_parquet('data/corpus/tidy/*/*.parquet', hive_partitioning=true) WHERE table_id='summary' AND side='income' GROUP BY doc_id ORDER BY doc_id")

Join the documents table for years, regions and levels:
``... JOIN 'data/corpus/documents.parquet' USING (doc_id)``.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from budgetkit import processed, semantics
from budgetkit.ids import check_doc_id
from budgetkit.kinds import amount_measure, declared_kind
from budgetkit.tidy import TIDY_COLUMNS

#: Parquet type of ``amount`` and ``amount_yuan``: exact, 22 integer digits, 6 decimals.
AMOUNT_TYPE = pa.decimal128(28, 6)

#: Schema of one tidy partition (``doc_id`` is the partition key, not stored in the file).
TIDY_SCHEMA = pa.schema(
    [
        ("table_id", pa.string()),
        ("table_title", pa.string()),
        ("row_number", pa.int64()),
        ("side", pa.string()),
        ("row_kind", pa.string()),
        ("row_role", pa.string()),
        ("parent_row", pa.int64()),
        ("code", pa.string()),
        ("code_level", pa.string()),
        ("parent_code", pa.string()),
        ("item", pa.string()),
        ("detail", pa.string()),
        ("column_id", pa.string()),
        ("column_label", pa.string()),
        ("column_header", pa.string()),
        ("value_text", pa.string()),
        ("amount", AMOUNT_TYPE),
        ("unit", pa.string()),
        ("amount_yuan", AMOUNT_TYPE),
        ("source_file", pa.string()),
        ("page", pa.int64()),
        ("line", pa.int64()),
    ]
)

#: Columns of the documents table.
DOCUMENT_COLUMNS = [
    "doc_id", "title", "publisher", "region", "level", "fiscal_year", "kind", "template", "units",
    "files", "sha256", "n_tables", "n_amount_cells", "n_errors", "n_warnings", "processed_at",
]

#: Columns of the failures table.
FAILURE_COLUMNS = ["doc_id", "files", "sha256", "error_kind", "message", "finished_at"]

_UMASK = os.umask(0)
os.umask(_UMASK)

TIDY_DIR = "tidy"
PROCESSED_DIR = "processed"


# --------------------------------------------------------------------------- writing


def atomic_write_bytes(path: Path, write: Any) -> None:
    """Write a file through a temporary file in the same folder and :func:`os.replace` it.

    Args:
        path: Final path.
        write: Called with the temporary path; must create the file there.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Tagged with our pid: budgetkit.pipeline.clean_leftovers removes it if we are killed.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.~tmp-{os.getpid()}-", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp creates 0600; give the file the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def to_partition_table(tidy: pd.DataFrame) -> pa.Table:
    """Conform one document's tidy frame to :data:`TIDY_SCHEMA` (exact decimals, fixed types).

    Args:
        tidy: A frame with :data:`budgetkit.tidy.TIDY_COLUMNS` (``amount``/``amount_yuan`` as
            :class:`~decimal.Decimal` or Parquet decimals of any scale).

    Raises:
        pyarrow.ArrowInvalid: An amount does not fit ``DECIMAL(28, 6)`` without rounding.
    """
    arrays = []
    for field in TIDY_SCHEMA:
        column = tidy[field.name] if field.name in tidy.columns else pd.Series([None] * len(tidy), dtype=object)
        if pa.types.is_decimal(field.type):
            values = [None if _missing(v) else Decimal(v) for v in column.tolist()]
            arrays.append(pa.array(values, type=pa.decimal128(38, 12)).cast(field.type, safe=True))
        elif pa.types.is_integer(field.type):
            arrays.append(pa.array([None if _missing(v) else int(v) for v in column.tolist()], type=field.type))
        else:
            arrays.append(pa.array([None if _missing(v) else str(v) for v in column.tolist()], type=field.type))
    return pa.Table.from_arrays(arrays, schema=TIDY_SCHEMA)


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def partition_path(corpus_dir: Path, doc_id: str) -> Path:
    """``<corpus>/tidy/doc_id=<doc_id>/part.parquet``.

    Raises:
        budgetkit.ids.InvalidDocIdError: ``doc_id`` is not a safe id (a partition value must need
            no escaping: pyarrow URL-decodes ``%41`` and splits at ``=``).
    """
    return Path(corpus_dir) / TIDY_DIR / f"doc_id={check_doc_id(doc_id)}" / "part.parquet"


def write_partition(tidy: pd.DataFrame, corpus_dir: Path, doc_id: str) -> Path:
    """Write one document's tidy rows as its partition, atomically (an older one is replaced whole).

    Args:
        tidy: The document's tidy frame.
        corpus_dir: Corpus folder.
        doc_id: The document id (the partition key).

    Returns:
        The partition file.
    """
    path = partition_path(corpus_dir, doc_id)
    table = to_partition_table(tidy)
    atomic_write_bytes(path, lambda tmp: pq.write_table(table, tmp))
    return path


def document_record(processed_doc_dir: Path, sha256: Iterable[str] | None = None) -> dict[str, Any]:
    """One row of the documents table from a processed document folder.

    Args:
        processed_doc_dir: ``processed/<doc_id>/`` (``document.json``, ``extraction.json``, findings).
        sha256: The sha256 of the document's files, in reading order.
    """
    where = processed.DocumentFolder(processed_doc_dir)
    summary = processed.load_summary(where)
    extraction = processed.load_extraction(where) if where.extraction_json.exists() else {}
    meta = summary.get("metadata", {})
    units = sorted({t.get("unit") for t in summary.get("tables", []) if t.get("unit")})
    year = meta.get("fiscal_year")
    if not str(year or "").isdigit():  # no manifest: the year most table titles print
        years = [m for t in summary.get("tables", []) for m in re.findall(r"((?:19|20)\d{2})年", t.get("title") or "")]
        year = max(set(years), key=years.count) if years else None
    return {
        "doc_id": summary["doc_id"],
        "title": meta.get("title") or None,
        "publisher": meta.get("publisher") or None,
        "region": meta.get("region") or None,
        "level": meta.get("level") or None,
        "fiscal_year": int(year) if str(year or "").isdigit() else None,
        "kind": extraction.get("kind") or declared_kind(meta.get("kind")) or None,
        "template": extraction.get("template") or meta.get("template") or None,
        "units": ";".join(units) or None,
        "files": ";".join(Path(f["path"]).name for f in summary.get("files", [])),
        "sha256": ";".join(sha256 or []),
        "n_tables": len(summary.get("tables", [])),
        "n_amount_cells": sum(int(t.get("numeric_cells_parsed", 0)) for t in extraction.get("tables", [])),
        "n_errors": count_errors(where.root),
        "n_warnings": len(summary.get("warnings", [])),
        "processed_at": None,
    }


def count_errors(processed_doc_dir: Path) -> int | None:
    """Errors among the reconciliation findings of a processed document; ``None`` if not checked.

    Reads ``findings.parquet`` / ``findings.csv`` (written by :mod:`budgetkit.checks`) and counts
    rows whose outcome ``status`` is ``error`` (``severity``/``level`` when there is no status).
    """
    frame = processed.load_findings(processed.DocumentFolder(processed_doc_dir))
    if frame is None:
        return None
    for column in ("status", "severity", "level"):
        if column in frame.columns:
            return int((frame[column].astype(str).str.lower() == "error").sum())
    return None


def write_table(frame: pd.DataFrame, corpus_dir: Path, name: str) -> None:
    """Write ``<name>.parquet`` and ``<name>.csv`` atomically (the CSV with a BOM, like every CSV
    a document gets, so that Excel on Windows opens its Chinese right)."""
    corpus_dir = Path(corpus_dir)
    atomic_write_bytes(corpus_dir / f"{name}.parquet", lambda tmp: frame.to_parquet(tmp, index=False))
    atomic_write_bytes(corpus_dir / f"{name}.csv", lambda tmp: frame.to_csv(tmp, index=False, encoding=processed.CSV_ENCODING))


def corpus_from_processed(processed_dir: Path, corpus_dir: Path) -> pd.DataFrame:
    """Assemble a corpus from an existing processed folder (``data/processed``) without re-reading PDFs.

    Args:
        processed_dir: Folder of ``<doc_id>/tidy.parquet`` outputs.
        corpus_dir: Corpus folder to write (``tidy/`` partitions and ``documents``).

    Returns:
        The documents table written.
    """
    records = []
    for doc_id in processed.processed_ids(processed_dir):
        where = processed.folder(processed_dir, doc_id)
        if not where.tidy_parquet.exists():
            continue
        write_partition(processed.load_tidy(where), corpus_dir, doc_id)
        summary = processed.load_summary(where)
        records.append(document_record(where.root, [f.get("sha256") or "" for f in summary.get("files", [])]))
    documents = pd.DataFrame(records, columns=DOCUMENT_COLUMNS)
    write_table(documents, corpus_dir, "documents")
    return documents


# --------------------------------------------------------------------------- reading


def load_documents(corpus_dir: Path) -> pd.DataFrame:
    """The documents table (one row per document in the corpus)."""
    path = Path(corpus_dir) / "documents.parquet"
    if not path.exists():
        return pd.DataFrame(columns=DOCUMENT_COLUMNS)
    return pd.read_parquet(path)


def load_failures(corpus_dir: Path) -> pd.DataFrame:
    """The failures table (documents whose latest attempt failed)."""
    path = Path(corpus_dir) / "failures.parquet"
    if not path.exists():
        return pd.DataFrame(columns=FAILURE_COLUMNS)
    return pd.read_parquet(path)


def load_corpus(
    corpus_dir: Path | str = "data/corpus",
    *,
    doc_ids: Iterable[str] | None = None,
    table_ids: Iterable[str] | None = None,
    columns: list[str] | None = None,
    with_documents: bool = False,
) -> pd.DataFrame:
    """The tidy rows of the corpus as one DataFrame, amounts as :class:`~decimal.Decimal`.

    Args:
        corpus_dir: Corpus folder (holds ``tidy/doc_id=…/part.parquet``).
        doc_ids: Only these documents (partition pruning: other files are not opened).
        table_ids: Only these tables.
        columns: Only these tidy columns (``doc_id`` is always included).
        with_documents: Join the documents table (fiscal_year, region, level, template …).

    Returns:
        A frame with ``doc_id`` first and then :data:`budgetkit.tidy.TIDY_COLUMNS` (or ``columns``).
    """
    tidy_dir = Path(corpus_dir) / TIDY_DIR
    wanted = ["doc_id"] + [c for c in (columns or TIDY_COLUMNS) if c != "doc_id"]
    if not tidy_dir.exists() or not any(tidy_dir.glob("doc_id=*/part.parquet")):
        frame = pd.DataFrame(columns=wanted)
    else:
        partitioning = ds.partitioning(pa.schema([("doc_id", pa.string())]), flavor="hive")
        dataset = ds.dataset(
            [str(p) for p in sorted(tidy_dir.glob("doc_id=*/part.parquet"))], format="parquet",
            partitioning=partitioning, partition_base_dir=str(tidy_dir), schema=TIDY_SCHEMA.append(pa.field("doc_id", pa.string())),
        )
        expression = None
        if doc_ids is not None:
            expression = ds.field("doc_id").isin(list(doc_ids))
        if table_ids is not None:
            condition = ds.field("table_id").isin(list(table_ids))
            expression = condition if expression is None else expression & condition
        table = dataset.to_table(columns=wanted, filter=expression)
        frame = table.to_pandas()
        frame = frame.astype({c: "Int64" for c in ("page", "line", "parent_row") if c in frame.columns})
    if with_documents:
        documents = load_documents(corpus_dir).drop(columns=["processed_at"], errors="ignore")
        frame = frame.merge(documents, on="doc_id", how="left")
    return frame


# --------------------------------------------------------------------------- Fiscal Data Package


FDP_COLUMNS = [
    "doc_id", "publisher", "region", "level", "fiscal_year", "kind", "table_id", "table_title", "column_id", "column_label",
    "column_header", "measure", "side", "row_kind", "code", "code_level", "function_class", "function_section", "function_item",
    "economic_class", "economic_section", "item", "unit", "amount", "amount_yuan",
]

#: Tables whose 科目编码 are function codes (类/款/项) and economic codes (类/款), budgets' and 决算's.
FUNCTION_TABLES = {"income", "expenditure", "general_expenditure", "fund_income", "fund_expenditure", "state_capital", "fiscal_summary",
                   "final_income", "final_expenditure", "final_general_expenditure", "final_fiscal_expenditure", "final_fund",
                   "final_state_capital"}
ECONOMIC_TABLES = {"general_basic_economic", "economic", "project_economic", "final_general_basic"}


# The economic classes are table semantics: decided in budgetkit.semantics.
ECONOMIC_CLASS_NAMES = semantics.ECONOMIC_CLASS_NAMES
economic_class = semantics.economic_class


def fiscal_rows(corpus_dir: Path) -> pd.DataFrame:
    """The corpus as flat rows for the Fiscal Data Package: printed amounts only, with classifications.

    Function codes (3 digit 类, 5 digit 款, 7 digit 项) are split into their 类/款/项 prefixes;
    economic codes (3 digit 类, 5 digit 款) into theirs (see :func:`economic_class`). Amounts stay exact (written as text).
    """
    frame = load_corpus(corpus_dir, with_documents=True)
    frame = frame[frame["amount"].notna()].copy()
    code = frame["code"].fillna("")
    is_function = frame["table_id"].isin(FUNCTION_TABLES) & code.str.fullmatch(r"2\d{2}(\d{2}){0,2}")
    is_economic = frame["table_id"].isin(ECONOMIC_TABLES) & code.str.fullmatch(r"[35]\d{2}(\d{2})?")
    economic = economic_class(frame)
    frame["function_class"] = code.str[:3].where(is_function)
    frame["function_section"] = code.str[:5].where(is_function & (code.str.len() >= 5))
    frame["function_item"] = code.str[:7].where(is_function & (code.str.len() >= 7))
    frame["economic_class"] = economic
    frame["economic_section"] = code.str[:5].where(is_economic & (code.str.len() >= 5))
    for column in ("publisher", "region", "level", "fiscal_year", "kind"):
        if column not in frame.columns:
            frame[column] = None
    frame["measure"] = [amount_measure(t, c) for t, c in zip(frame["table_id"], frame["column_id"])]
    return frame[FDP_COLUMNS].reset_index(drop=True)


def export_fiscal_data_package(corpus_dir: Path | str, out_dir: Path | str) -> Path:
    """Export the corpus as a Fiscal Data Package (OpenSpending budget data standard, FDP v1 model).

    Writes ``out_dir/datapackage.json`` and ``out_dir/data/budget-lines.csv`` (+ ``.parquet``
    beside it) and ``out_dir/data/documents.csv``. The ``model`` declares the measure ``amount_yuan``
    (currency CNY, factor 1: every row converted to 元 exactly; the amount as printed and its
    unit 元/万元 are attributes of the ``line`` dimension, since their factor varies per row), and the
    dimensions document (department, region, level), fiscal year (date), function
    classification (类/款/项), economic classification (类 from the code or, where only names are
    printed, from the class row above; 款 from the code), and table/column.

    Args:
        corpus_dir: Corpus folder.
        out_dir: Package folder (created).

    Returns:
        The ``datapackage.json`` path.
    """
    out_dir = Path(out_dir)
    (out_dir / "data").mkdir(parents=True, exist_ok=True)
    rows = fiscal_rows(Path(corpus_dir))
    csv_rows = rows.copy()
    for column in ("amount", "amount_yuan"):
        csv_rows[column] = csv_rows[column].map(lambda v: None if v is None else _plain(v))
    atomic_write_bytes(out_dir / "data" / "budget-lines.csv", lambda tmp: csv_rows.to_csv(tmp, index=False))
    atomic_write_bytes(out_dir / "data" / "budget-lines.parquet", lambda tmp: rows.to_parquet(tmp, index=False))
    documents = load_documents(Path(corpus_dir))
    atomic_write_bytes(out_dir / "data" / "documents.csv", lambda tmp: documents.to_csv(tmp, index=False))

    def field(name: str, type_: str, title: str, **extra: Any) -> dict[str, Any]:
        return {"name": name, "type": type_, "title": title, **extra}

    fields = [
        field("doc_id", "string", "Document id"),
        field("publisher", "string", "Department (预算单位)"),
        field("region", "string", "Region"),
        field("level", "string", "Government level (province/district/county)"),
        field("fiscal_year", "integer", "Fiscal year"),
        field("kind", "string", "Disclosure kind: budget (预算) or final (决算)"),
        field("table_id", "string", "Standard table id (budgetkit catalog)"),
        field("table_title", "string", "Table title as printed"),
        field("column_id", "string", "Column id (budgetkit catalog)"),
        field("column_label", "string", "Column label"),
        field("column_header", "string", "Column header as printed (levels joined by ' / ')"),
        field("measure", "string", "What the amount measures: budget (预算数), final (决算数), carryover_start / carryover_end (结转和结余)"),
        field("side", "string", "Income or expense side of two-sided tables"),
        field("row_kind", "string", "Row kind (code/item/total)"),
        field("code", "string", "科目编码 as printed"),
        field("code_level", "string", "类/款/项"),
        field("function_class", "string", "支出功能分类 类"),
        field("function_section", "string", "支出功能分类 款"),
        field("function_item", "string", "支出功能分类 项"),
        field("economic_class", "string", "支出经济分类 类"),
        field("economic_section", "string", "支出经济分类 款"),
        field("item", "string", "Item name as printed"),
        field("unit", "string", "Printed unit (元/万元)"),
        field("amount", "number", "Amount in the printed unit", decimalChar=".", groupChar=""),
        field("amount_yuan", "number", "Amount in 元", decimalChar=".", groupChar=""),
    ]
    package = {
        "name": "budgetkit-corpus",
        "title": "Chinese department budget and final-accounts disclosures (部门预算、决算公开), tidy",
        "profile": "fiscal-data-package",
        "version": "1.0.0",
        "licenses": [{"name": "other-pd", "title": "Government disclosures; see each document's origin"}],
        "countryCode": "CN",
        "resources": [
            {
                "name": "budget-lines",
                "path": "data/budget-lines.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": {"fields": fields},
            },
            {
                "name": "documents",
                "path": "data/documents.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": {"fields": [field(c, "integer" if c in ("fiscal_year", "n_tables", "n_amount_cells", "n_errors", "n_warnings") else "string", c) for c in documents.columns]},
            },
        ],
        "model": {
            "measures": {
                "amount_yuan": {"source": "amount_yuan", "currency": "CNY", "factor": 1, "title": "Amount (元)"},
            },
            "dimensions": {
                "document": {
                    "dimensionType": "entity",
                    "primaryKey": ["doc_id"],
                    "attributes": {
                        "doc_id": {"source": "doc_id"},
                        "publisher": {"source": "publisher"},
                        "region": {"source": "region"},
                        "level": {"source": "level"},
                    },
                },
                "kind": {
                    "dimensionType": "other",
                    "primaryKey": ["kind", "measure"],
                    "attributes": {
                        "kind": {"source": "kind", "title": "Disclosure kind (budget / final)"},
                        "measure": {"source": "measure", "title": "Budget or actual (预算数 / 决算数 / 结转和结余)"},
                    },
                },
                "fiscal_year": {
                    "dimensionType": "datetime",
                    "primaryKey": ["year"],
                    "attributes": {"year": {"source": "fiscal_year"}},
                },
                "function": {
                    "dimensionType": "classification",
                    "classificationType": "functional",
                    "primaryKey": ["function_item", "function_section", "function_class"],
                    "attributes": {
                        "function_class": {"source": "function_class", "title": "类"},
                        "function_section": {"source": "function_section", "title": "款", "parent": "function_class"},
                        "function_item": {"source": "function_item", "title": "项", "parent": "function_section"},
                    },
                },
                "economic": {
                    "dimensionType": "classification",
                    "classificationType": "economic",
                    "primaryKey": ["economic_section", "economic_class"],
                    "attributes": {
                        "economic_class": {"source": "economic_class", "title": "类"},
                        "economic_section": {"source": "economic_section", "title": "款", "parent": "economic_class"},
                    },
                },
                "table": {
                    "dimensionType": "other",
                    "primaryKey": ["table_id", "column_id"],
                    "attributes": {
                        "table_id": {"source": "table_id"},
                        "table_title": {"source": "table_title"},
                        "column_id": {"source": "column_id"},
                        "column_label": {"source": "column_label"},
                        "column_header": {"source": "column_header"},
                        "side": {"source": "side"},
                    },
                },
                "line": {
                    "dimensionType": "other",
                    "primaryKey": ["code", "item"],
                    "attributes": {
                        "code": {"source": "code"},
                        "item": {"source": "item"},
                        "row_kind": {"source": "row_kind"},
                        "code_level": {"source": "code_level"},
                        "unit": {"source": "unit", "title": "Printed unit"},
                        "amount_printed": {"source": "amount", "title": "Amount in the printed unit (元 or 万元)"},
                    },
                },
            },
        },
    }
    target = out_dir / "datapackage.json"
    text = json.dumps(package, ensure_ascii=False, indent=2)
    atomic_write_bytes(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return target


def _plain(value: Decimal) -> str:
    """A Decimal as plain text without exponent and without trailing zeros beyond the point."""
    text = format(Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
