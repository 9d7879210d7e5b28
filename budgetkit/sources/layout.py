"""Layout helpers shared by the readers: split header from body, rebuild merged headers.

Both the text-dump reader and the PDF reader produce rows of cell texts; these functions
decide which rows are header rows and what each column's header path is.
"""

from __future__ import annotations

import re

from budgetkit.amounts import looks_like_amount
from budgetkit.catalog import Catalog, TableSpec, fold


def is_header_row(cells: list[str], spec: TableSpec, catalog: Catalog) -> bool:
    """A header row: every non-empty cell is a known header text and none is an amount.

    A row whose first cell is a total label (合计, 部门合计 …) is body even though 合计 is also a
    column heading: empty tables print their 合计 row with no numbers.
    """
    texts = [c for c in cells if c.strip()]
    if not texts:
        return False
    if catalog.is_total_item(cells[0]):
        return False
    if not catalog.is_row_label_header(spec, cells[0]):
        return False
    if any(looks_like_amount(c) and not _is_column_number(c) for c in texts):
        return False
    return all(catalog.is_header_text(spec, c) for c in texts)


def _is_column_number(text: str) -> bool:
    folded = fold(text)
    return folded.isdigit() and len(folded) <= 2


def split_header_body(
    rows: list[list[str]], spec: TableSpec, catalog: Catalog
) -> tuple[list[list[str]], list[list[str]], list[int]]:
    """Split a table's rows into header rows and body rows.

    The header is the leading run of header rows (see :func:`is_header_row`); rows further down
    that repeat a header row (a table continued on the next page) are dropped.

    Returns:
        ``(header_rows, body_rows, body_index)`` where ``body_index`` gives each body row's index
        in ``rows`` (for provenance).
    """
    header: list[list[str]] = []
    start = 0
    for start, cells in enumerate(rows):  # noqa: B007 (start is read after the loop)
        if is_header_row(cells, spec, catalog):
            header.append(cells)
        else:
            break
    else:
        start = len(rows)
    header_keys = {tuple(fold(c) for c in h) for h in header}
    body: list[list[str]] = []
    index: list[int] = []
    for i in range(start, len(rows)):
        cells = rows[i]
        key = tuple(fold(c) for c in cells)
        if key in header_keys or (is_header_row(cells, spec, catalog) and _repeats_header(cells, header)):
            continue
        body.append(cells)
        index.append(i)
    return header, body, index


def _repeats_header(cells: list[str], header: list[list[str]]) -> bool:
    words = {fold(c) for c in cells if c.strip()}
    header_words = {fold(c) for row in header for c in row if c.strip()}
    return bool(words) and words <= header_words


_NUMBERING_CELL_RE = re.compile(r"^(?:\d{1,2}|\*+|栏次|行次|[甲乙丙丁戊])$")


def is_numbering_row(cells: list[str]) -> bool:
    """A header row that numbers the columns (``栏次 | ** | 1 | 2 | 3``): it names none of them."""
    texts = [fold(c) for c in cells if c and c.strip()]
    return len(texts) >= 2 and all(_NUMBERING_CELL_RE.match(t) for t in texts) and any(t.isdigit() for t in texts)


def header_paths(header_rows: list[list[str]], n_columns: int) -> list[list[str]]:
    """The header path (top to bottom) of each column, with merged cells filled in.

    A merged cell is printed once, in its first column; the columns to its right are blank in
    that row. A blank cell takes the text on its left only while no row above starts a new
    cell in that column — so ``上年结转`` heading its own column does not swallow the blank
    next to ``单位资金`` below a wide ``本年收入``.

    Args:
        header_rows: Header rows as printed.
        n_columns: Number of body columns.

    Returns:
        One list of header texts per column (whitespace removed, blanks dropped).
    """
    header_rows = [r for r in header_rows if not is_numbering_row(r)]
    grid = [[fold(r[j]) if j < len(r) else "" for j in range(n_columns)] for r in header_rows]
    filled = [row[:] for row in grid]
    for r, row in enumerate(grid):
        for j in range(1, n_columns):
            if row[j]:
                continue
            starts_above = any(grid[k][j] for k in range(r))
            if starts_above:
                continue
            # A blank after the last cell of a row stays blank when a lower row starts it.
            if filled[r][j - 1]:
                filled[r][j] = filled[r][j - 1]
    paths = []
    for j in range(n_columns):
        path: list[str] = []
        for r in range(len(filled)):
            text = filled[r][j]
            if text and (not path or path[-1] != text):
                path.append(text)
        paths.append(path)
    return paths
