"""The per-document Excel workbook ``data/processed/<doc_id>/<doc_id>.xlsx`` (openpyxl).

For readers who work in Excel: a 说明 sheet (what the document is, what each sheet holds, the
status words), one sheet per table as printed (numbers as numbers, formatted with the printed
decimals and thousands separators, page and line last), the tidy table (one row per amount cell,
``row_role`` to filter the lines that add up to each total) and every check run with its status.

Excel keeps numbers as binary floating point; the exact values stay in ``tidy.parquet`` and, as
printed, in every ``value_text`` cell.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from budgetkit.amounts import looks_like_amount, normalise_number_text, parse_amount
from budgetkit.processed import DocumentFolder, load_findings, load_summary, load_table, load_tidy
from budgetkit.status import STATUSES, label

#: Sheet names Excel refuses characters of.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAX_WIDTH = 60
#: Column widths are measured on this many rows.
_WIDTH_ROWS = 500
FINDING_SHEET_COLUMNS = ["status_label", "status", "rule_id", "family", "message", "expected", "actual", "difference",
                         "tolerance", "unit", "location", "evidence"]


def write_workbook(where: DocumentFolder) -> Path:
    """Write ``<doc_id>.xlsx`` from the files of a processed folder; returns its path."""
    from openpyxl import Workbook

    summary = load_summary(where)
    tidy = load_tidy(where)
    findings = load_findings(where)
    book = Workbook(write_only=True)
    _about_sheet(book, summary, tidy, findings)
    used: set[str] = {"说明", "tidy", "findings"}
    for number, meta in enumerate(summary.get("tables", []), start=1):
        if not where.table_csv(meta["table_id"]).exists():
            continue
        name = _sheet_name(f"{number:02d} {_short_title(meta)}", used)
        _table_sheet(book, name, load_table(where, meta["table_id"]), meta)
    _frame_sheet(book, "tidy", _tidy_for_excel(tidy))
    if findings is not None:
        _frame_sheet(book, "findings", _findings_for_excel(findings))
    tmp = where.workbook.with_suffix(".xlsx.tmp")
    book.save(tmp)
    tmp.replace(where.workbook)
    return where.workbook


def _short_title(meta: dict) -> str:
    from budgetkit.catalog import load_catalog

    catalog = load_catalog()
    return catalog.table(meta["table_id"]).title if meta["table_id"] in catalog.tables else str(meta.get("title") or meta["table_id"])


def _sheet_name(wanted: str, used: set[str]) -> str:
    name = _SHEET_FORBIDDEN.sub("_", wanted)[:31]
    base, n = name, 2
    while name in used:
        name = f"{base[:28]}~{n}"
        n += 1
    used.add(name)
    return name


def _width(text: str) -> float:
    text = str(text)
    if text.isascii():  # (no ASCII character is wide: most cells are amounts and codes)
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _header(sheet, names: list[str]):
    from openpyxl.styles import Font, PatternFill
    from openpyxl.cell import WriteOnlyCell

    font, fill = Font(bold=True), PatternFill("solid", fgColor="EEEEEE")  # one style for every header cell
    cells = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = font
        cell.fill = fill
        cells.append(cell)
    return cells


def _number_format(text: str) -> str:
    candidate = normalise_number_text(text)
    decimals = len(candidate.split(".", 1)[1]) if "." in candidate else 0
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _table_sheet(book, name: str, printed: pd.DataFrame, meta: dict) -> None:
    from openpyxl.cell import WriteOnlyCell

    sheet = book.create_sheet(name)
    columns = [c for c in printed.columns if c not in ("page", "line")]
    headers = columns + ["页", "行"]
    head = printed.head(_WIDTH_ROWS)
    _widths(sheet, headers, [head[c].tolist() for c in columns] + [head.get("page", []), head.get("line", [])])
    sheet.freeze_panes = "A3"
    title = WriteOnlyCell(sheet, value=f"{meta.get('title', '')}（单位：{meta.get('unit') or '未注明'}；{meta.get('location', '')}）")
    sheet.append([title])
    sheet.append(_header(sheet, headers))
    # Column lists zipped into rows: itertuples and a dict per row cost more than the cells.
    blank = [""] * len(printed)
    pages, lines = (printed[c].tolist() if c in printed.columns else blank for c in ("page", "line"))
    for values, page, line in zip(zip(*(printed[c].tolist() for c in columns)), pages, lines):
        row = []
        for text in values:
            if looks_like_amount(text):
                cell = WriteOnlyCell(sheet, value=float(parse_amount(text)))
                cell.number_format = _number_format(text)
                row.append(cell)
            else:
                row.append(text)
        row += [_int_or_blank(page), _int_or_blank(line)]
        sheet.append(row)


def _int_or_blank(value) -> int | str:
    text = str(value or "").strip()
    return int(float(text)) if text and text.lower() not in ("nan", "<na>", "none") else ""


def _widths(sheet, headers: list[str], columns: list) -> None:
    from openpyxl.utils import get_column_letter

    for index, (header, values) in enumerate(zip(headers, columns), start=1):
        longest = max([_width(header)] + [_width(v) for v in list(values)[:_WIDTH_ROWS]])
        sheet.column_dimensions[get_column_letter(index)].width = min(_MAX_WIDTH, longest + 2)


def _tidy_for_excel(tidy: pd.DataFrame) -> pd.DataFrame:
    out = tidy.copy()
    for column in ("amount", "amount_yuan"):
        out[column] = [None if v is None or pd.isna(v) else float(v) for v in out[column]]
    return out


def _findings_for_excel(findings: pd.DataFrame) -> pd.DataFrame:
    out = findings.copy()
    out["status_label"] = out["status"].map(label)
    return out[[c for c in FINDING_SHEET_COLUMNS if c in out.columns]]


def _frame_sheet(book, name: str, frame: pd.DataFrame) -> None:
    sheet = book.create_sheet(name)
    headers = [str(c) for c in frame.columns]
    head = frame.head(_WIDTH_ROWS)
    _widths(sheet, headers, [head[c].tolist() for c in frame.columns])
    sheet.freeze_panes = "A2"
    if len(frame):
        from openpyxl.utils import get_column_letter

        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(frame) + 1}"
    sheet.append(_header(sheet, headers))
    # Converted column by column (tolist gives the values itertuples would, much faster).
    columns = [[_cell_value(v) for v in frame[c].tolist()] for c in frame.columns]
    for record in zip(*columns):
        sheet.append(list(record))


def _cell_value(value):
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if value is pd.NA:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    return value


def _about_sheet(book, summary: dict, tidy: pd.DataFrame, findings: pd.DataFrame | None) -> None:
    sheet = book.create_sheet("说明")
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 100
    meta = summary.get("metadata", {})
    rows = [
        ("文件", meta.get("title") or summary.get("doc_id")),
        ("doc_id", summary.get("doc_id")),
        ("发布单位", meta.get("publisher", "")),
        ("地区 · 层级 · 年度", " · ".join(str(meta.get(k) or "") for k in ("region", "level", "fiscal_year"))),
        ("来源文件", "；".join(f"{f.get('path')}（sha256 {f.get('sha256') or '—'}）" for f in summary.get("files", []))),
        ("", ""),
        ("各表", "一表一页，照印刷列示：数字为数值（按所印小数位显示），「页」「行」为出处。"),
        ("tidy", "每个金额单元格一行。amount = 所印单位的金额，amount_yuan = 元；value_text = 所印文字。"
                 "row_role：total 合计行，group 小计/类款等（= 其下各行之和），line 明细行，of_which “其中”行（不再相加）。"
                 "筛选 row_role = line 求和即得合计。parent_row = 该行加总到的行号。"),
        ("findings", f"{len(findings) if findings is not None else 0} 项核对，每项一个结论："),
    ]
    rows += [(f"  {s.label}（{s.id}）", s.meaning) for s in STATUSES.values()]
    rows += [("", ""), ("注意", "Excel 以二进制浮点存数；精确值见 tidy.parquet（Decimal）或 value_text。")]
    for key, value in rows:
        sheet.append([key, value])
