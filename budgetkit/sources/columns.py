"""Naming a table's columns: one algorithm for every reader.

From the header path of each column (its header texts top to bottom, and how many columns each
text spans) the catalog names the column (:func:`map_columns`); split 类/款/项 code columns are
joined and a name printed over two cells is one name (:func:`collapse`). The PDF reader gives the
paths from geometry, the text reader from tab-separated header rows; both then call these
functions, and :mod:`budgetkit.tidy` takes the names they give.
"""

from __future__ import annotations

import re

from budgetkit.amounts import looks_like_amount
from budgetkit.catalog import TableSpec, fold
from budgetkit.codes import join_split_code, normalise_code
from budgetkit.vocabulary import year_re

_SPLIT_CODE = {"类": 0, "款": 1, "项": 2}


def _fold_spaces(text: str) -> str:
    from budgetkit.sources.pdf.page import _fold_spaces as fold_spaces

    return fold_spaces(text)


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




def _one_column_per_amount(spec: TableSpec, paths: list[list[str]], ids: list[str | None]) -> list[str | None]:
    """Each canonical amount column names one printed column.

    A table comparing two years (2025年预算数 | 2026年预算数, each with its 合计 …) names the
    columns of the latest year; the earlier year's columns, and any second column an amount id
    would name, keep their place under a positional id (their printed header tells what they are).
    Name and code columns may repeat: their pieces are joined (a name split over two cells).
    """
    roles = {c.id: c.role for c in spec.columns}
    years = [max((int(y) for text in path for y in year_re().findall(text)), default=None) for path in paths]
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


def spans_of(paths: list[list[str]]) -> list[list[int]]:
    """How many adjacent columns share each level of each column's header path (a merged header
    cell printed once over several columns), for readers that do not see the cells' widths."""
    spans: list[list[int]] = []
    for i, path in enumerate(paths):
        row = []
        for level in range(len(path)):
            prefix = path[: level + 1]
            left = i
            while left > 0 and paths[left - 1][: level + 1] == prefix:
                left -= 1
            right = i
            while right + 1 < len(paths) and paths[right + 1][: level + 1] == prefix:
                right += 1
            row.append(right - left + 1)
        spans.append(row)
    return spans


def name_columns(spec: TableSpec, header_rows: list[list[str]], body_rows: list[list[str]], n_columns: int,
                 ids: list[str | None] | None = None, carry: dict | None = None) -> tuple[list[str], list[list[str]], list[list[str]], list[str | None]]:
    """Name and collapse the columns of rows of text cells (the text reader's tables).

    Args:
        spec: The table's catalog entry.
        header_rows: Header rows as printed (merged cells printed once, blanks after).
        body_rows: Body rows.
        n_columns: The number of printed columns.
        ids: The column ids of an earlier part of the same table (a continuation), if any.
        carry: Split-code state kept across the parts of one table (see :func:`_collapse`).

    Returns:
        ``(column ids, body rows, header rows, atomic ids)`` — one cell per named column, and the
        ids of the printed columns (to name a continuation the same way).
    """
    from budgetkit.sources.layout import header_paths

    body = [list(r) + [""] * (n_columns - len(r)) for r in body_rows]
    headers = [list(r) + [""] * (n_columns - len(r)) for r in header_rows]
    if ids is None:
        paths = header_paths(headers, n_columns)
        ids = _map_columns(spec, (paths, spans_of(paths)), body) if headers else _fallback_columns(spec, body, n_columns)
        used = {c for c in ids if c is not None}
        named: list[str | None] = []
        for i, cid in enumerate(ids):
            if cid is None and (any(r[i].strip() for r in body) or any(h[i].strip() for h in headers)):
                cid = f"col{i + 1}"
                while cid in used:
                    cid += "′"
                used.add(cid)
            named.append(cid)
        ids = named
    out_ids, out_rows, out_headers = _collapse(ids, body, headers, carry)
    return out_ids, out_rows, out_headers, ids
