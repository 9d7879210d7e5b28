"""Columns of a table page: atomic columns by x position, header paths, canonical column ids,
split 类/款/项 codes joined, and the split of header rows from body rows."""

from __future__ import annotations

import re

from budgetkit.amounts import looks_like_amount, normalise_unit
from budgetkit.catalog import Catalog, TableSpec, fold, load_catalog
from budgetkit.codes import join_split_code, normalise_code
from budgetkit.sources.pdf.page import Cell, PageTable, _fold_spaces
from budgetkit.sources.pdf.settings import DEFAULT_SETTINGS

_SPLIT_CODE = {"类": 0, "款": 1, "项": 2}


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


def _side_of(path: list[str]) -> str | None:
    for text in path:
        f = fold(text)
        if "收入" in f and "支出" not in f:
            return "income"
        if "支出" in f and "收入" not in f and not f.endswith("支出预算"):
            return "expense"
    return None


def _under_depth(spec_col, path: list[str]) -> int:
    """How deep in the header path the column's `under` matches (-1: no `under` given)."""
    if not spec_col.under:
        return -1
    depth = None
    for i, text in enumerate(path):
        if spec_col.matches_under([text]):
            depth = i
    return depth if depth is not None else -2


def _carried(parts: list[str], carry: dict) -> list[str]:
    """Fill the 类 (and 款) of a split code printed with its own level only, from the rows above."""
    cls, sec, item = (p.strip() for p in parts)
    if re.fullmatch(r"\d{3}", cls):
        carry["class"], carry["section"] = cls, sec if re.fullmatch(r"\d{2}", sec) else None
        return [cls, sec, item]
    if not cls and re.fullmatch(r"\d{2}", sec) and carry.get("class"):
        carry["section"] = sec
        return [carry["class"], sec, item]
    if not cls and not sec and re.fullmatch(r"\d{2}", item) and carry.get("class") and carry.get("section"):
        return [carry["class"], carry["section"], item]
    return [cls, sec, item]


def _map_columns(spec: TableSpec, header: tuple[list[list[str]], list[list[int]]], body_grid: list[list[str]]) -> list[str | None]:
    """Canonical column id for each atomic column (``code_class``… for split codes)."""
    paths, spans = header
    result: list[str | None] = []
    used: set[str] = set()
    n = len(paths)
    for i, path in enumerate(paths):
        if not path:
            result.append(_unlabelled(spec, result, body_grid, i))
            continue
        leaf = fold(path[-1])
        if leaf in _SPLIT_CODE:
            split_id = ("code_class", "code_section", "code_item")[_SPLIT_CODE[leaf]]
            # A second code printed over 类/款 columns (政府预算支出经济分类 502 | 01 beside the
            # department's 302 | 11) is another column, not more digits of the first code.
            result.append(None if split_id in result and result[-1] not in ("code_class", "code_section") else split_id)
            continue
        side = _side_of(path) if spec.two_sided else None
        if spec.two_sided and side is None:
            side = "income" if i < n / 2 else "expense"
        chosen = None
        for level in range(len(path) - 1, -1, -1):
            text = path[level]
            if level < len(path) - 1 and spans[i][level] > 1:
                break  # a group heading over several columns does not name this one
            candidates = []
            for order, col in enumerate(spec.columns):
                if side and col.side and col.side != side:
                    continue
                if not col.matches_leaf(text):
                    continue
                depth = _under_depth(col, path[:level])
                candidates.append((-depth, col.id in used, order, col.id))
            if candidates:
                candidates.sort()
                chosen = candidates[0][3]
                break
        if chosen is None and spec.id in ("income", "expenditure", "general_expenditure", "fund_expenditure", "general_basic_economic"):
            # A header like 功能分类科目编码 over an unlabelled column: look at the body.
            values = [r[i] for r in body_grid if i < len(r) and r[i]]
            if values and sum(1 for v in values if normalise_code(v)) >= len(values) * 0.8:
                chosen = "code"
        if chosen is None:
            chosen = _unlabelled(spec, result, body_grid, i)
        result.append(chosen)
        if chosen:
            used.add(chosen)
    return _one_column_per_amount(spec, paths, result)


_YEAR_RE = re.compile(r"((?:19|20)\d{2})年")


def _one_column_per_amount(spec: TableSpec, paths: list[list[str]], ids: list[str | None]) -> list[str | None]:
    """Each canonical amount column names one printed column.

    A table comparing two years (2025年预算数 | 2026年预算数, each with its 合计 …) names the
    columns of the latest year; the earlier year's columns, and any second column an amount id
    would name, keep their place under a positional id (their printed header tells what they are).
    Name and code columns may repeat: their pieces are joined (a name split over two cells).
    """
    roles = {c.id: c.role for c in spec.columns}
    years = [max((int(y) for text in path for y in _YEAR_RE.findall(text)), default=None) for path in paths]
    latest = max((y for y in years if y is not None), default=None)
    several_years = len({y for y in years if y is not None}) > 1
    seen: set[str] = set()
    out: list[str | None] = []
    for cid, year in zip(ids, years):
        if cid is not None and roles.get(cid) == "amount":
            if (several_years and year is not None and year != latest) or cid in seen:
                cid = None
            else:
                seen.add(cid)
        out.append(cid)
    return out


def _unlabelled(spec: TableSpec, result: list[str | None], body_grid: list[list[str]], i: int) -> str | None:
    """An unlabelled text column right of a name column is a second level of item names."""
    if not result or not result[-1]:
        return None
    prev = next((c for c in spec.columns if c.id == result[-1]), None)
    values = [r[i] for r in body_grid if i < len(r) and r[i]]
    if prev is not None and prev.role == "name" and values and not any(looks_like_amount(v) for v in values):
        return prev.id
    return None


def _fallback_columns(spec: TableSpec, body_grid: list[list[str]], ncols: int) -> list[str | None]:
    """When there are no header rows (a continuation page): code / name / amounts in catalog order."""
    result: list[str | None] = [None] * ncols
    amounts = [c.id for c in spec.columns if c.role == "amount"]
    names = [c.id for c in spec.columns if c.role in ("name",)]
    for i in range(ncols):
        values = [r[i] for r in body_grid if r[i]]
        if values and all(normalise_code(v) for v in values) and "code" in [c.id for c in spec.columns]:
            result[i] = "code"
        elif values and sum(looks_like_amount(v) for v in values) >= len(values) * 0.8 and amounts:
            result[i] = amounts.pop(0)
        elif values and names:
            result[i] = names.pop(0)
    return result


def _collapse(
    ids: list[str | None], grid_rows: list[list[str]], header_grid: list[list[str]] | None = None, carry: dict | None = None
) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """Body rows with one cell per canonical column: split codes joined, same-id names joined.

    ``carry`` keeps the last 类 and 款 printed (across the pages of one table): templates that
    print only each row's own level (201 | | / | 08 | / | | 01) get the rest from the rows above.
    """
    carry = {} if carry is None else carry
    out_ids: list[str] = []
    plan: list[tuple[str, list[int]]] = []
    for i, cid in enumerate(ids):
        if cid is None:
            continue
        key = "code" if cid.startswith("code_") else cid
        if plan and plan[-1][0] == key:
            plan[-1][1].append(i)
        elif key in out_ids:
            plan[out_ids.index(key)][1].append(i)
        else:
            out_ids.append(key)
            plan.append((key, [i]))
    rows = []
    for grid in grid_rows:
        row = []
        for key, idxs in plan:
            if key == "code" and any(ids[i] and ids[i].startswith("code_") for i in idxs):
                parts = [grid[i] for i in idxs] + ["", "", ""]
                # Spreadsheets exported to PDF drop the leading zero of 款/项 (301 | 2 → 30102).
                parts = [parts[0]] + [p.strip().zfill(2) if re.fullmatch(r"\s*\d\s*", p) else p for p in parts[1:]]
                parts = _carried(parts[:3], carry)
                code = join_split_code(parts[0], parts[1], parts[2])
                row.append(code or "".join(p for p in parts if p))
            elif key == "code":
                raw = "".join(grid[i] for i in idxs)
                row.append(normalise_code(raw) or raw)
            else:
                row.append("".join(grid[i] for i in idxs))
        rows.append(row)
    headers = [[_fold_spaces(h[idxs[0]]) for _key, idxs in plan] for h in (header_grid or [])]
    # A 合计 printed across the code and name columns lands in the code column: move it.
    if "code" in out_ids and "name" in out_ids:
        ci, ni = out_ids.index("code"), out_ids.index("name")
        for row in rows:
            if row[ci] and not normalise_code(row[ci]) and not row[ni]:
                row[ni], row[ci] = row[ci], ""
    return out_ids, rows, headers


# --------------------------------------------------------------------------- header/body split


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
    title = _INNER_LABEL_RE.sub("", fold(texts[0]))
    return load_catalog().match_title(title) is not None or load_catalog().match_title(texts[0].split("公开")[0]) is not None


_INNER_LABEL_RE = re.compile(r"^(?:(?:部门|预算|单位)?公开\s*(?:表\s*)?[\d一二三四五六七八九十]{1,3}\s*表?|表\s*[\d一二三四五六七八九十]{1,3})[:：、.．]?")

