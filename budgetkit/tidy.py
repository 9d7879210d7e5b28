"""Tidy tables: one row per printed amount cell, exact, with its provenance.

:func:`tidy_table` maps each body column to a canonical column of the catalog (from the header
rows, or from :attr:`RawTable.columns` when the reader already knows them), then emits one
long row per (body row, amount column): the row's 科目编码 with its 类/款/项 level and parent,
the item name, the column, the text as printed, the exact amount in the printed unit and in 元,
and the file/page/line the value stands on. :func:`wide_table` gives the table as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from budgetkit.amounts import is_blank, to_yuan, try_parse_amount
from budgetkit.catalog import PANEL_ID_RE, Catalog, ColumnSpec, TableSpec, clean_text, fold, load_catalog
from budgetkit.codes import code_level, join_split_code, normalise_code, parent_code, split_code_and_name
from budgetkit.model import Document, Location, RawTable
from budgetkit.semantics import row_structure
from budgetkit.sources.layout import header_paths

TIDY_COLUMNS = [
    "doc_id",
    "table_id",
    "table_title",
    "row_number",
    "side",
    "row_kind",
    "row_role",
    "parent_row",
    "code",
    "code_level",
    "parent_code",
    "item",
    "detail",
    "column_id",
    "column_label",
    "column_header",
    "value_text",
    "amount",
    "unit",
    "amount_yuan",
    "source_file",
    "page",
    "line",
]


# A number printed the way amounts are (decimals or thousands separators), not a count or number.
_AMOUNT_SHAPE_RE = re.compile(r"\d[.,]\d")


@dataclass(frozen=True)
class MappedColumn:
    """A body column with its canonical meaning."""

    index: int
    id: str
    label: str
    role: str
    side: str | None
    header_path: tuple[str, ...]


def map_columns(table: RawTable, spec: TableSpec | None = None) -> list[MappedColumn]:
    """Give every body column of ``table`` its canonical meaning.

    The readers name the columns (``table.columns``) with the one algorithm they share
    (:mod:`budgetkit.sources.columns`: a column's header path matched against the catalog, the
    levels above disambiguating 项目 on both sides of a 收支总表 or 合计 under 本年收入). A table
    built without names (by hand, in tests) is named here by the same algorithm. A column that
    matches nothing keeps a positional id (``col7``) and its printed header.

    Args:
        table: The table as printed.
        spec: Its catalog entry (default: looked up by ``table.table_id``).

    Returns:
        One :class:`MappedColumn` per body column, in printed order.
    """
    spec = spec or load_catalog().table(table.table_id)
    n_columns = table.n_columns
    paths = header_paths(table.header_rows, n_columns)
    if table.columns is not None:
        mapped = []
        for j in range(n_columns):
            col_id = table.columns[j] if j < len(table.columns) else f"col{j + 1}"
            col = _spec_column(spec, col_id)
            mapped.append(_mapped(j, col, col_id, paths[j], table))
    else:
        from budgetkit.sources.columns import _map_columns, spans_of

        body = [list(r) + [""] * (n_columns - len(r)) for r in table.body_rows]
        ids = _map_columns(spec, (paths, spans_of(paths)), body) if table.header_rows else [None] * n_columns
        mapped = []
        for j, path in enumerate(paths):
            # (Split 类/款/项 codes are joined by the readers; unnamed here they stay positional.)
            col = _spec_column(spec, ids[j]) if ids[j] and not ids[j].startswith("code_") else None
            mapped.append(_mapped(j, col, None, path, table))
    mapped = _sides_by_position(_infer_headerless(mapped, table))
    return measure_columns(mapped, spec) if spec.measures else mapped


def measure_columns(mapped: list[MappedColumn], spec: TableSpec) -> list[MappedColumn]:
    """Name each amount column of a table with measures by (measure, item) from its header path.

    A 决算 “三公” table prints 预算数 above the items (预算数 / 公务接待费) or below them
    (公务接待费 / 预算数); either way the column is ``budget_reception``. A column under no
    measure keeps the item's id (``reception``: the table prints the measure in its rows); a
    column headed by the measure alone is the measure's id (``budget``: the items are rows).
    Columns whose header names no known item keep the id they had.
    """
    measure_prefixes = tuple(f"{m.id}_" for m in spec.measures)
    measure_ids = {m.id for m in spec.measures}
    items = [c for c in spec.columns if c.role == "amount" and not c.id.startswith(measure_prefixes) and c.id not in measure_ids]
    known = {c.id for c in spec.columns}
    out = []
    for m in mapped:
        if m.role != "amount" or not m.header_path:
            out.append(m)
            continue
        measure = next((ms for text in m.header_path for ms in spec.measures if ms.matches(text)), None)
        path = [text for text in m.header_path if measure is None or not measure.matches(text)]
        item = _best_item(items, path)
        if item is None and measure is not None and not path:
            new_id = measure.id  # 项目 | 预算数 | 决算数: the items are rows
        else:
            new_id = (f"{measure.id}_{item.id}" if measure else item.id) if item is not None else None
        if new_id is None or new_id not in known:
            out.append(m)
            continue
        out.append(MappedColumn(m.index, new_id, spec.column(new_id).label, "amount", m.side, m.header_path))
    return out


def _best_item(items: list[ColumnSpec], path: list[str]) -> ColumnSpec | None:
    """The item column a header path names: deepest leaf first; among columns matching it, the
    one whose ``under`` matches deepest in the path above (小计 under 公务用车购置及运行维护费 is
    the vehicle subtotal even inside a 三公经费 group); ties go to catalog order."""
    for depth in range(len(path) - 1, -1, -1):
        above = path[:depth]
        scored = []
        for order, col in enumerate(items):
            if not col.matches_leaf(path[depth]):
                continue
            hits = [i for i, text in enumerate(above) if col.under and col.matches_under([text])]
            score = max(hits) if hits else (-1 if not col.under else -2)
            scored.append((-score, order, col))
        if scored:
            return min(scored, key=lambda s: (s[0], s[1]))[2]
    return None


def _infer_headerless(mapped: list[MappedColumn], table: RawTable) -> list[MappedColumn]:
    """Name columns printed without a usable header from what their cells hold.

    Some PDFs print a table (Jiangsu's 机关运行经费 by economic class) with no header row, or
    with one the extractor loses. A column of 科目编码 becomes ``code``, the first text column
    ``name`` when the table has none, and a single amount column ``total``.
    """
    roles = {m.role for m in mapped if not m.id.startswith("col")}
    ids = {m.id for m in mapped}

    def code_like(m: MappedColumn) -> bool:
        values = [r[m.index] for r in table.body_rows if m.index < len(r) and not is_blank(r[m.index])]
        return bool(values) and sum(normalise_code(v) is not None for v in values) * 2 >= len(values)

    unmapped_amounts = [m for m in mapped if m.id.startswith("col") and m.role == "amount" and not code_like(m)]
    name_column = None if "name" in roles else _name_column([m for m in mapped if m.id.startswith("col") and m.role == "text"], table)
    out = []
    for m in mapped:
        if not m.id.startswith("col"):
            out.append(m)
            continue
        if "code" not in roles and code_like(m):
            new = MappedColumn(m.index, "code", "科目编码", "code", None, m.header_path)
        elif m is name_column:
            new = MappedColumn(m.index, "name", "科目名称", "name", None, m.header_path)
        elif m.role == "amount" and "total" not in ids and len(unmapped_amounts) == 1:
            new = MappedColumn(m.index, "total", "合计", "amount", None, m.header_path)
        else:
            out.append(m)
            continue
        roles.add(new.role)
        ids.add(new.id)
        out.append(new)
    return out


_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


def _name_column(text_columns: list[MappedColumn], table: RawTable) -> MappedColumn | None:
    """The text column that holds the row labels: the one its header calls a name (单位（项目）
    名称), else the one printing the most Chinese — never a column of codes (单位编码) or of
    remarks (备注, 项目简介), whatever they print."""
    if not text_columns:
        return None
    catalog = load_catalog()
    named = [m for m in text_columns if m.header_path and catalog.header_role(m.header_path[-1]) == "name"]
    if named:
        return named[0]
    unlabelled = [m for m in text_columns if not m.header_path or catalog.header_role(m.header_path[-1]) not in ("code", "text")]
    if not unlabelled:
        return text_columns[0]

    def chinese(m: MappedColumn) -> int:
        return sum(len(_CJK_RE.findall(r[m.index])) for r in table.body_rows if m.index < len(r))

    best = max(unlabelled, key=chinese)
    return best if chinese(best) else unlabelled[0]


def _spec_column(spec: TableSpec, col_id: str) -> ColumnSpec | None:
    try:
        return spec.column(col_id)
    except KeyError:
        return None


def _mapped(j: int, col: ColumnSpec | None, fallback_id: str | None, path: list[str], table: RawTable) -> MappedColumn:
    if col is not None:
        return MappedColumn(j, col.id, col.label, col.role, col.side, tuple(path))
    values = [r[j] for r in table.body_rows if j < len(r) and not is_blank(r[j])]
    numeric = sum(try_parse_amount(v) is not None for v in values) >= max(1, len(values) // 2) if values else bool(path)
    # (A column printed blank throughout is an amount column with nothing printed, when it has a header.)
    if any(load_catalog().header_role(p) in ("code", "text") for p in path):
        numeric = False  # 部门代码 309001, 行次 12: digits, not amounts; 备注 left blank: not an amount
    return MappedColumn(
        j, fallback_id or f"col{j + 1}", "/".join(path) or f"第{j + 1}列", "amount" if numeric else "text", _side_of_path(path), tuple(path)
    )


def _side_of_path(path: list[str]) -> str | None:
    """收入 / 支出 named by a header group above a column of a two-sided table."""
    for text in path:
        folded = fold(text)
        if folded.startswith("收入") and "支出" not in folded:
            return "income"
        if folded.startswith("支出") and "收入" not in folded:
            return "expense"
    return None


def _sides_by_position(mapped: list[MappedColumn]) -> list[MappedColumn]:
    """In a table with sides, a column no header places takes the side of the nearest sided
    column on its left (or, before the first, of the first): no amount is left without a side."""
    sides = [m.side for m in mapped if m.side]
    if not sides:
        return mapped
    out, side = [], sides[0]
    for m in mapped:
        if m.side:
            side = m.side
            out.append(m)
        else:
            out.append(MappedColumn(m.index, m.id, m.label, m.role, side, m.header_path))
    return out


def tidy_table(table: RawTable, doc_id: str, catalog: Catalog | None = None, columns: list[MappedColumn] | None = None) -> pd.DataFrame:
    """The long, exact form of one table.

    Args:
        table: A table as printed.
        doc_id: The document id written into every row.
        catalog: Table catalog (default: bundled).
        columns: The table's mapped columns, when already known (:func:`map_columns`).

    Returns:
        A DataFrame with :data:`TIDY_COLUMNS`: one row per body row and amount column, blank
        cells included (``amount`` is ``None`` there). ``amount`` is a :class:`~decimal.Decimal`
        in the printed unit, ``amount_yuan`` the same value in 元.
    """
    catalog = catalog or load_catalog()
    spec = catalog.table(table.table_id)
    if columns is None:
        columns = map_columns(table, spec)
    generic = not spec.columns
    body_rows, locations, columns = unfold_panels(table, columns)
    sides = sorted({c.side for c in columns if c.side}, key=lambda s: ["income", "expense"].index(s) if s in ("income", "expense") else 9)
    groups = [(side, [c for c in columns if c.side in (side, None)]) for side in sides] or [(None, columns)]
    records = []
    totals: dict[str, bool] = {}  # item → is a total row (asked once per item)
    for row_number, (cells, location) in enumerate(zip(body_rows, locations), start=1):
        cells = list(cells) + [""] * (len(columns) - len(cells))
        for side, group in groups:
            code, item, detail = _row_identity(cells, group)
            if not item and code is None and side is None:
                # 合计 printed in a cell merged over the code and name columns lands in the first.
                label = next((clean_text(cells[c.index]) for c in group if c.role != "amount"
                              and catalog.is_total_item(clean_text(cells[c.index]))), "")
                if label:
                    item, detail = label, None
            amount_columns = [c for c in group if c.role == "amount" and (c.side == side or side is None)]
            if generic:
                # A table the catalog does not know: every cell printed as an amount is one,
                # and the row is named by its first text cell.
                # Amount columns keep their blank cells (identities need every part); other
                # columns give the cells printed as amounts.
                amount_columns = [
                    c for c in group
                    if not any(catalog.header_role(p) == "code" for p in c.header_path)
                    and (
                        (c.role == "amount" and (is_blank(cells[c.index]) or try_parse_amount(cells[c.index]) is not None))
                        or (not is_blank(cells[c.index]) and try_parse_amount(cells[c.index]) is not None and _AMOUNT_SHAPE_RE.search(cells[c.index]))
                    )
                ]
                if not item and code is None:
                    item = next((clean_text(cells[c.index]) for c in group if cells[c.index].strip() and try_parse_amount(cells[c.index]) is None), "")
            if side is not None and not item and code is None and all(is_blank(cells[c.index]) for c in amount_columns):
                continue  # this side of a two-sided table is blank on this row
            names = [c for c in group if c.role == "name"]
            for col in amount_columns:
                # A side may print two lists (收支总表: 功能分类 and 支出用途): an amount is labelled by
                # the name column to its left; a blank label there falls back to a total's label.
                own = max((n for n in names if n.index < col.index), key=lambda n: n.index, default=None)
                cell_code, cell_item, cell_detail = code, item, detail
                if own is not None and names and own is not names[0]:
                    cell_code, cell_detail = None, None
                    cell_item = clean_text(cells[own.index])
                    if not cell_item and catalog.is_total_item(item or ""):
                        cell_item = item
                total = totals.get(cell_item or "")
                if total is None:
                    total = totals[cell_item or ""] = catalog.is_total_item(cell_item or "")
                kind = "total" if total else ("code" if cell_code else "item")
                level, parent = code_level(cell_code), parent_code(cell_code)
                text = cells[col.index].strip()
                amount = try_parse_amount(text)
                records.append(
                    {
                        "doc_id": doc_id,
                        "table_id": table.table_id,
                        "table_title": table.title,
                        "row_number": row_number,
                        "side": side,
                        "row_kind": kind,
                        "row_role": None,
                        "parent_row": None,
                        "code": cell_code,
                        "code_level": level,
                        "parent_code": parent,
                        "item": cell_item,
                        "detail": cell_detail,
                        "column_id": col.id,
                        "column_label": col.label,
                        "column_header": " / ".join(col.header_path),
                        "value_text": text,
                        "amount": amount,
                        "unit": table.unit,
                        "amount_yuan": to_yuan(amount, table.unit) if table.unit else None,
                        "source_file": location.file,
                        "page": location.page,
                        "line": location.line,
                    }
                )
    frame = pd.DataFrame.from_records(records, columns=TIDY_COLUMNS)
    # Column by column: a dict ``astype`` copies every other column too.
    frame["row_number"] = frame["row_number"].astype("int64")
    frame["page"] = frame["page"].astype("Int64")
    frame["line"] = frame["line"].astype("Int64")
    frame["parent_row"] = frame["parent_row"].astype("Int64")
    return frame


def unfold_panels(table: RawTable, columns: list[MappedColumn]) -> tuple[list[list[str]], list[Location], list[MappedColumn]]:
    """Body rows, their locations and columns, with side-by-side panels stacked into one.

    A 决算 基本支出表 prints its lines in two or three panels side by side (人员经费 | 公用经费 |
    公用经费), each with 科目代码 · 科目名称 · 决算数; the catalog names the columns of the
    second and third panels ``panel2_code`` …. The panels become one list of rows — the first
    panel's rows, then the second's … — under the first panel's columns, each row keeping the
    location it was printed at. A total whose label stands in one panel and whose amount in the
    next (公用经费合计 printed over two panels) becomes one row. A table without panels is
    returned as printed.
    """
    locations = list(_locations(table))
    panels: dict[int, dict[str, MappedColumn]] = {}
    for col in columns:
        match = PANEL_ID_RE.match(col.id)
        panel, base = (int(match["panel"]), match["base"]) if match else (1, col.id)
        panels.setdefault(panel, {}).setdefault(base, col)
    if len(panels) < 2 or 1 not in panels:
        return table.body_rows, locations, columns
    first = list(panels[1].values())
    base_ids = list(panels[1])
    stacked_columns = [MappedColumn(k, c.id, c.label, c.role, c.side, c.header_path) for k, c in enumerate(first)]
    roles = {c.id: c.role for c in first}
    by_panel: dict[int, list[tuple[list[str], Location]]] = {p: [] for p in sorted(panels)}
    for printed, location in zip(table.body_rows, locations):
        printed = list(printed)
        parts = []
        for p in sorted(panels):
            cols = panels[p]
            parts.append([printed[cols[b].index].strip() if b in cols and cols[b].index < len(printed) else "" for b in base_ids])
        merged = _merge_split_totals(parts, base_ids, roles)
        for p, cells in zip(sorted(panels), merged):
            if cells is not None and any(not is_blank(c) for c in cells):
                by_panel[p].append((cells, location))
    rows = [cells for p in sorted(by_panel) for cells, _ in by_panel[p]]
    stacked_locations = [loc for p in sorted(by_panel) for _, loc in by_panel[p]]
    return rows, stacked_locations, stacked_columns


def _merge_split_totals(parts: list[list[str]], base_ids: list[str], roles: dict[str, str]) -> list[list[str] | None]:
    """Join a panel row holding only a label with the next panel's row holding only amounts."""
    label_at = [k for k, b in enumerate(base_ids) if roles[b] in ("code", "name")]
    amount_at = [k for k, b in enumerate(base_ids) if roles[b] == "amount"]
    out: list[list[str] | None] = [list(p) for p in parts]
    for i in range(len(out) - 1):
        here, after = out[i], out[i + 1]
        if here is None or after is None:
            continue
        label_only = any(here[k] and normalise_code(here[k]) is None for k in label_at) and all(is_blank(here[k]) for k in amount_at)
        amount_only = all(is_blank(after[k]) for k in label_at) and any(not is_blank(after[k]) for k in amount_at)
        if label_only and amount_only:
            for k in amount_at:
                here[k] = after[k]
            out[i + 1] = None
    return out


def _locations(table: RawTable):
    if len(table.body_locations) == len(table.body_rows):
        return table.body_locations
    return [table.location] * len(table.body_rows)


def _row_identity(cells: list[str], group: list[MappedColumn]) -> tuple[str | None, str, str | None]:
    """科目编码, item name and secondary text of one row (on one side of the table)."""
    by_role: dict[str, list[MappedColumn]] = {}
    for col in group:
        by_role.setdefault(col.role, []).append(col)
    code = None
    leftover = ""
    if "code" in by_role:
        raw = cells[by_role["code"][0].index].strip()
        code = normalise_code(raw)
        if code is None:
            leftover = raw
    elif "code_class" in by_role:
        parts = [cells[by_role[r][0].index] if r in by_role else None for r in ("code_class", "code_section", "code_item")]
        code = join_split_code(*parts)
        if code is None and parts[0]:
            leftover = parts[0].strip()
    name = ""
    if "name" in by_role:
        name = clean_text(cells[by_role["name"][0].index])
    if not name and leftover:
        name = clean_text(leftover)
    if code is None and name:
        split_code, split_name = split_code_and_name(name)
        if split_code:
            code, name = split_code, clean_text(split_name)
    detail = None
    if "text" in by_role:
        detail = clean_text(cells[by_role["text"][0].index]) or None
    return code, name, detail


def tidy_document(document: Document, catalog: Catalog | None = None, columns: dict[str, list[MappedColumn]] | None = None) -> pd.DataFrame:
    """All tables of a document, tidy, concatenated in printed order.

    ``columns`` may give tables' mapped columns by table id (:func:`map_columns`, computed once
    when the caller also writes :func:`wide_table`).
    """
    catalog = catalog or load_catalog()
    columns = columns or {}
    frames = [tidy_table(t, document.doc_id, catalog, columns.get(t.table_id)) for t in document.tables.values()]
    if not frames:
        return pd.DataFrame(columns=TIDY_COLUMNS)
    tidy = pd.concat(frames, ignore_index=True)
    # Row roles need the whole document: the units a project table lists are named in another table.
    structure = row_structure(tidy)
    tidy["row_role"] = structure["row_role"]
    tidy["parent_row"] = structure["parent_row"]
    return tidy


def wide_table(table: RawTable, columns: list[MappedColumn] | None = None) -> pd.DataFrame:
    """The table as printed: one column per body column named by its header path, plus provenance.

    Cells are kept as printed text; blank cells are empty strings. ``columns``: the table's
    mapped columns, when already known (:func:`map_columns`).
    """
    if columns is None:
        columns = map_columns(table)
    names = []
    for col in columns:
        name = "/".join(col.header_path) or col.label
        while name in names:
            name += "′"
        names.append(name)
    rows = [list(r) + [""] * (len(columns) - len(r)) for r in table.body_rows]
    frame = pd.DataFrame(rows, columns=names, dtype="string") if rows else pd.DataFrame(columns=names, dtype="string")
    locations = list(_locations(table))
    frame.insert(0, "line", pd.array([loc.line for loc in locations], dtype="Int64"))
    frame.insert(0, "page", pd.array([loc.page for loc in locations], dtype="Int64"))
    return frame


def amount_of(tidy: pd.DataFrame, table_id: str, column_id: str, *, item: str | None = None, code: str | None = None, side: str | None = None) -> Decimal | None:
    """Look up one printed amount (in 元) — the helper tests and notebooks use to cite a cell.

    Raises:
        LookupError: No row, or more than one row, matches.
    """
    rows = tidy[(tidy["table_id"] == table_id) & (tidy["column_id"] == column_id)]
    if item is not None:
        rows = rows[rows["item"].map(fold) == fold(item)]
    if code is not None:
        rows = rows[rows["code"] == code]
    if side is not None:
        rows = rows[rows["side"] == side]
    if len(rows) != 1:
        raise LookupError(f"{len(rows)} cells match {table_id}/{column_id} item={item!r} code={code!r} side={side!r}")
    return rows.iloc[0]["amount_yuan"]
