"""Columns of a table page: atomic columns by x position, header paths, canonical column ids,
split 类/款/项 codes joined, and the split of header rows from body rows."""

from __future__ import annotations

import re

from budgetkit.amounts import looks_like_amount, normalise_unit
from budgetkit.catalog import Catalog, TableSpec, fold, load_catalog
from budgetkit.codes import normalise_code
from budgetkit.sources.columns import (  # noqa: F401  (the PDF reader's names for them)
    _SPLIT_CODE,
    _carried,
    _collapse,
    _fallback_columns,
    _map_columns,
    _one_column_per_amount,
    _side_of,
    _unlabelled,
)
from budgetkit.sources.pdf.page import Cell, PageTable, _fold_spaces
from budgetkit.sources.pdf.settings import DEFAULT_SETTINGS
from budgetkit.vocabulary import strip_label



def _atomic_columns(table: PageTable, tolerance: float = DEFAULT_SETTINGS.column_edge) -> list[float]:
    """The x positions where columns start (left edges of all cells, clustered)."""
    edges = sorted(c.left for row in table.rows for c in row)
    columns: list[float] = []
    for x in edges:
        if not columns or x - columns[-1] > tolerance:
            columns.append(x)
    return columns


def _column_index(columns: list[float], x: float, tolerance: float = DEFAULT_SETTINGS.column_edge) -> int:
    best = 0
    for i, start in enumerate(columns):
        if start <= x + tolerance:
            best = i
    return best


def _span(columns: list[float], cell: Cell, tolerance: float = DEFAULT_SETTINGS.column_edge) -> range:
    first = _column_index(columns, cell.left, tolerance)
    last = first
    for i in range(first + 1, len(columns)):
        if columns[i] < cell.right - tolerance:
            last = i
    return range(first, last + 1)


def _grid_row(columns: list[float], row: list[Cell]) -> list[str]:
    grid = [""] * len(columns)
    for cell in row:
        i = _column_index(columns, cell.left)
        grid[i] = (grid[i] + cell.text) if grid[i] else cell.text
    return grid


def _header_grid(columns: list[float], row: list[Cell]) -> list[str]:
    """A header row with a spanning cell's text repeated over the columns it covers."""
    grid = [""] * len(columns)
    for cell in row:
        for i in _span(columns, cell):
            grid[i] = cell.text
    return grid


def _header_paths(columns: list[float], header_rows: list[list[Cell]]) -> tuple[list[list[str]], list[list[int]]]:
    """Header texts above each column, top to bottom, and how many columns each text spans."""
    paths: list[list[str]] = [[] for _ in columns]
    spans: list[list[int]] = [[] for _ in columns]
    for row in header_rows:
        for cell in row:
            text = _fold_spaces(cell.text)
            if not text:
                continue
            covered = _span(columns, cell)
            for i in covered:
                if not paths[i] or paths[i][-1] != text:
                    paths[i].append(text)
                    spans[i].append(len(covered))
    return paths, spans


def _is_body_row(catalog: Catalog, spec: TableSpec, texts: list[str]) -> bool:
    non_empty = [t for t in texts if t]
    if not non_empty:
        return False
    if all(re.fullmatch(r"\d{1,2}", t) for t in non_empty) and len(non_empty) > 2:
        return False  # column numbering 1 2 3 …
    for text in non_empty:
        if looks_like_amount(text) and not catalog.is_header_text(spec, text):
            return True
        if normalise_code(text) and len(text.replace(" ", "")) >= 3:
            return True
        if catalog.is_total_item(_fold_spaces(text)) and all(looks_like_amount(t) for t in non_empty if t != text):
            return True
        if re.match(r"^[一二三四五六七八九十]+、", text):
            return True
    return False


def _is_pre_row(row: list[Cell]) -> bool:
    """A row inside the ruled area that holds the title, label, 部门 or 单位 line."""
    texts = [c.text for c in row if c.text]
    if not texts:
        return False
    joined = "".join(texts)
    if normalise_unit(joined) or re.search(r"^(部门|编制部门|编制单位|部门名称)[:：]", joined):
        return True
    if len(texts) != 1 or "表" not in joined:
        return False
    # 公开 06 表财政拨款基本支出预算表（经济科目）: a label and a title in one cell.
    title = strip_label(fold(texts[0]))
    return load_catalog().match_title(title) is not None or load_catalog().match_title(texts[0].split("公开")[0]) is not None



