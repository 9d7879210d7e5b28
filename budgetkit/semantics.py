"""What the rows and columns of a budget table mean — decided once, used by every stage.

A printed table mixes totals, subtotals and the lines they add up: 合计 rows, 类 rows over their
款 and 项, ``一、财政拨款`` over ``1.一般公共预算``, a department row over its units over their
projects, ``其中：`` rows that are part of the row above. Checks, figures, comparisons and
notebooks all need to know which is which; this module is the only place that decides it.

**Row roles.** :func:`row_structure` gives every tidy cell a ``row_role`` and a ``parent_row``:

* ``total`` — the row that prints the table's total (合计, 收入总计, a department row over its
  units);
* ``group`` — a row that is the sum of the rows under it (a 类 or 款 with printed children, a
  subtotal such as 本年收入合计, ``一、财政拨款`` over ``1.``/``2.``, a unit over its projects);
* ``line`` — a row that is not the sum of other rows;
* ``of_which`` — a ``其中：`` row: part of the row above it, not to be added again.

So in any column, the ``line`` cells add up to the ``total`` cell (within the rounding rule), and
each ``group`` cell to its children's cells (``parent_row`` points to the row a cell adds into).
The structure is read from the text — codes, numbering (一、 / （一） / 1. / ①), ``…小计`` heads,
the economic classes, the units named by the 机关运行经费 table — and only for flat tables with
none of these (project tables, tables the catalog does not know) from the amounts themselves.
A table the catalog does not know is treated by the same generic rules.

**Entities and items.** :func:`project_rows` says which rows of a project table are the
department, its units and its projects; :func:`unit_names` lists the units;
:func:`three_public_items` finds the “三公”经费 items whether printed one per row or one per
column; :func:`income_sources` gives the income lines without counting a line and its parts;
:func:`function_classes` and :func:`economic_classes` give the classifications.
:data:`COLUMN_SUMS` says which columns add up to which.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal
from typing import Any, Iterable, Sequence

import pandas as pd

from budgetkit.amounts import as_decimal, is_blank, try_parse_amount
from budgetkit.catalog import fold, strip_numbering  # noqa: F401  (one way to strip list markers, re-exported)

#: The roles a row can play in a table (see the module docstring).
ROW_ROLES = ("total", "group", "line", "of_which")
TOTAL, GROUP, LINE, OF_WHICH = ROW_ROLES

#: Tables that list a department, its units and their projects (no codes, no numbering).
PROJECT_TABLES = ("project_current", "project_carryover")
#: Lists whose nesting only the amounts tell (a project over its purchases, a category over its
#: projects): their rows are nested where the amounts add up (:func:`_by_outline`).
LIST_TABLES = PROJECT_TABLES + ("government_procurement",)

#: Which columns add up to which, per table: ``(total column, [part columns])``; where a
#: template prints more parts, the alternatives are tried in order (the first that holds wins).
COLUMN_SUMS: dict[str, list[tuple[str, list[str]]]] = {
    "summary": [("expense_total", ["expense_current_year", "expense_carryover"])],
    "income": [
        ("total", ["general_public_budget", "government_fund", "state_capital", "special_account", "unit_funds"]),
        ("total", ["general_public_budget", "government_fund", "state_capital", "special_account", "unit_funds", "carryover"]),
        ("total", ["fiscal_appropriation", "business_income", "operating_income", "other_income"]),
    ],
    "expenditure": [("total", ["basic", "project"])],
    "general_expenditure": [("total", ["basic", "project"])],
    "fund_expenditure": [("total", ["basic", "project"])],
    "fiscal_summary": [("expense_total", ["expense_general_public_budget", "expense_government_fund", "expense_state_capital"])],
    "general_basic_economic": [("total", ["personnel", "public"])],
    "three_public": [("total", ["general_public_budget", "government_fund", "state_capital"])],
    "admin_operation": [("total", ["general_public_budget", "government_fund", "state_capital"])],
    "project_current": [("total", ["general_public_budget", "government_fund", "state_capital", "special_account", "unit_funds"])],
    "project_carryover": [("total", ["general_public_budget", "government_fund", "state_capital"])],
}

def _economic_class_names() -> dict[str, str]:
    """The 类 of the 部门预算支出经济分类 by (folded) name, former names included, from the
    classification data (:mod:`budgetkit.classification`): the class rows of a table printing names only."""
    from budgetkit.classification import classes

    out: dict[str, str] = {}
    for entry in classes("economic").values():
        for name in (entry.name, *entry.former):
            out[fold(name)] = entry.code
    return out


#: The economic classes by name (see :func:`_economic_class_names`).
ECONOMIC_CLASS_NAMES: dict[str, str] = _economic_class_names()
#: Tables classified by economic class.
ECONOMIC_TABLES = ("general_basic_economic", "admin_operation")

# --------------------------------------------------------------------------- numbering

#: Numbering markers, outermost first as templates use them: ``一、`` ``（一）`` ``1.`` ``(1)`` ``①``.
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cn", re.compile(r"^([一二三四五六七八九十]+)[、.．]")),
    ("paren_cn", re.compile(r"^[（(]([一二三四五六七八九十]+)[)）]")),
    ("num", re.compile(r"^(\d{1,2})(?:[.．、](?!\d)|(?=[\u4e00-\u9fff]))")),
    ("paren_num", re.compile(r"^[（(](\d{1,2})[)）]")),
    ("circled", re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")),
)
_OF_WHICH_RE = re.compile(r"^其中[:：]?")
_FIRST_NUMBERS = {"一", "1", "①"}
_SUBTOTAL_HEAD_RE = re.compile(r".+小计$")


def numbering(item: str | None) -> tuple[str | None, str | None, str]:
    """The numbering marker of a printed item: ``(type, number, rest)``.

    Examples:
        >>> numbering("一、财政拨款")
        ('cn', '一', '财政拨款')
        >>> numbering("1. 一般公共预算")
        ('num', '1', '一般公共预算')
        >>> numbering("①公务用车购置费")
        ('circled', '①', '公务用车购置费')
        >>> numbering("上年结转")
        (None, None, '上年结转')
    """
    text = unicodedata.normalize("NFKC", str(item or "")).strip()
    # NFKC turns ① into 1: match the circled numbers on the text as printed.
    raw = str(item or "").strip()
    circled = _MARKERS[-1][1].match(raw)
    if circled:
        return "circled", circled.group(1), raw[circled.end():].strip()
    for name, pattern in _MARKERS[:-1]:
        match = pattern.match(text)
        if match:
            return name, match.group(1), text[match.end():].strip()
    return None, None, text


def is_of_which(item: str | None) -> bool:
    """True for a ``其中：…`` row (a part of the row above, not an addend)."""
    return bool(_OF_WHICH_RE.match(fold(item)))


# --------------------------------------------------------------------------- row structure


@dataclass
class _Row:
    """One printed row of one table side, as the structure inference sees it."""

    position: int
    row_number: int
    item: str
    code: str | None
    kind: str
    amount: Decimal | None
    parent: int | None = None  # position of the row it adds into
    total: str | None = None  # "grand" or "sub" for total rows
    of_which: bool = False

    @property
    def blank(self) -> bool:
        return not self.item and self.code is None and self.amount is None


def row_structure(tidy: pd.DataFrame) -> pd.DataFrame:
    """``row_role`` and ``parent_row`` for every cell of a document's tidy frame.

    Args:
        tidy: The tidy frame of one document (:data:`budgetkit.tidy.TIDY_COLUMNS`).

    Returns:
        A frame on ``tidy``'s index with ``row_role`` (:data:`ROW_ROLES`) and ``parent_row``
        (the ``row_number`` the cell adds into, ``<NA>`` for a total or a row outside any total).
    """
    if tidy.empty:
        return pd.DataFrame({"row_role": pd.Series(LINE, index=tidy.index, dtype=object),
                             "parent_row": pd.Series(pd.NA, index=tidy.index, dtype="Int64")})
    # Filled by position and made into columns once: a Series assignment per cell costs more
    # than the inference itself.
    roles: list[str] = [LINE] * len(tidy)
    parents: list[int | None] = [None] * len(tidy)
    units = _admin_unit_names(tidy)
    sides = tidy["side"].astype(object).where(tidy["side"].notna() & (tidy["side"] != ""), None)
    # A tidy table read back from CSV holds text: row numbers are numbers again here.
    row_numbers = pd.to_numeric(tidy["row_number"])
    numbers, any_missing = row_numbers.tolist(), bool(row_numbers.isna().any())
    # Grouped in plain lists, as ``groupby(["table_id", side], sort=False, dropna=False)`` then
    # ``groupby("column_id", sort=False)`` (no missing column) and a stable sort by row number
    # would: in order of first appearance — pandas' grouping and sorting cost more than the rows.
    table_ids = tidy["table_id"].tolist()
    column_ids_of = tidy["column_id"].tolist()
    items, codes, kinds, texts = (tidy[c].tolist() for c in ("item", "code", "row_kind", "value_text"))
    blocks: dict[tuple, dict[str, list[int]]] = {}
    for position, (table_id, side, column_id) in enumerate(zip(table_ids, sides.tolist(), column_ids_of)):
        if _missing(column_id):
            continue
        block = blocks.setdefault((_group_key(table_id), _group_key(side)), {})
        block.setdefault(column_id, []).append(position)
    for (table_id, _), block in blocks.items():
        # Columns printed with the same row labels share one structure (the 支出用途 columns of a
        # 收支总表 have their own).
        signatures: dict[tuple, list[str]] = {}
        cells_by_column: dict[str, dict[str, list]] = {}
        for column_id, positions in block.items():
            positions = _sorted_by_number(positions, numbers, any_missing)
            cells = {
                "_position": positions,
                "row_number": [numbers[p] for p in positions],
                "item": [items[p] for p in positions],
                "code": [codes[p] for p in positions],
                "row_kind": [kinds[p] for p in positions],
                "value_text": [texts[p] for p in positions],
            }
            cells_by_column[column_id] = cells
            signature = tuple(zip(cells["row_number"], ["" if _missing(i) else i for i in cells["item"]]))
            signatures.setdefault(signature, []).append(column_id)
        for column_ids in signatures.values():
            primary = _primary_column(column_ids, cells_by_column)
            rows = _rows(cells_by_column[primary])
            _infer(rows, str(_group_value(table_id)), units)
            by_number = {r.row_number: r for r in rows}
            children: dict[int, list[_Row]] = {}
            for r in rows:
                if r.parent is not None and not r.of_which:
                    children.setdefault(r.parent, []).append(r)
            for column_id in column_ids:
                cells = cells_by_column[column_id]
                column_numbers = cells["row_number"]
                printed = {n for n, t in zip(column_numbers, cells["value_text"]) if _printed(t)}
                for position, number in zip(cells["_position"], column_numbers):
                    row = by_number[number]
                    roles[position] = _role(row, children.get(row.position, []), printed)
                    if row.parent is not None:
                        parents[position] = rows[row.parent].row_number
    return pd.DataFrame({"row_role": pd.Series(roles, index=tidy.index, dtype=object),
                         "parent_row": pd.Series(parents, index=tidy.index, dtype="Int64")})


def with_row_structure(tidy: pd.DataFrame) -> pd.DataFrame:
    """``tidy`` with ``row_role`` and ``parent_row`` (re)computed in place of any it had."""
    structure = row_structure(tidy)
    out = tidy.copy()
    out["row_role"] = structure["row_role"]
    out["parent_row"] = structure["parent_row"]
    return out


def _printed(text: Any) -> bool:
    return isinstance(text, str) and not is_blank(text) and try_parse_amount(text) is not None


def _missing(value: Any) -> bool:
    """A missing value as pandas sees one (None, NaN, NA, NaT)."""
    return value is None or bool(pd.isna(value)) if not isinstance(value, str) else False


_NA_KEY = object()


def _group_key(value: Any) -> Any:
    """A grouping key with every missing value as one (``groupby(dropna=False)``)."""
    return _NA_KEY if _missing(value) else value


def _group_value(key: Any) -> Any:
    return float("nan") if key is _NA_KEY else key


def _sorted_by_number(positions: list[int], numbers: list, any_missing: bool) -> list[int]:
    """``positions`` stably sorted by row number, missing numbers last (``sort_values(kind="stable")``)."""
    if not any_missing:
        return sorted(positions, key=numbers.__getitem__)
    return sorted(positions, key=lambda p: (True, 0) if _missing(numbers[p]) else (False, numbers[p]))


def _primary_column(column_ids: list[str], cells_by_column: dict[str, dict[str, list]]) -> str:
    """The column whose amounts decide a flat table's structure: ``total`` first, else the fullest."""
    for preferred in ("total", "expense_total", "income_amount"):
        if preferred in column_ids:
            return preferred
    return max(column_ids, key=lambda c: sum(_printed(t) for t in cells_by_column[c]["value_text"]))


def _rows(cells: dict[str, list]) -> list[_Row]:
    rows = []
    columns = [cells[c] for c in ("row_number", "item", "code", "row_kind", "value_text")]
    for position, (number, item, code, kind, text) in enumerate(zip(*columns)):
        code = code if isinstance(code, str) and code else None
        item = item if isinstance(item, str) else ""
        amount = try_parse_amount(text) if isinstance(text, str) else None
        rows.append(_Row(position, int(number), item, code, str(kind), amount))
    return rows


def _role(row: _Row, children: list[_Row], printed: set[int]) -> str:
    """The role of one row in one column (a row with children counts as a group only where they print).

    ``children`` are the rows that add into it (其中 rows left out).
    """
    if row.total == "grand":
        return TOTAL
    if row.total == "sub":
        return GROUP
    if row.of_which:
        return OF_WHICH
    if any(c.row_number in printed for c in children):
        return GROUP
    return LINE


def _infer(rows: list[_Row], table_id: str, units: set[str]) -> None:
    """Set ``parent``, ``total`` and ``of_which`` on the rows of one table side."""
    present = [r for r in rows if not r.blank]
    totals = [r for r in rows if r.kind == "total"]
    flat = not any(r.code for r in rows) and not any(r.kind == "total" for r in rows)
    if flat and _amount_structured(table_id, rows):
        head = _flat_head(rows, units)
        if head is not None:
            totals = [head]
    grand: _Row | None = None
    if totals:
        grand = totals[0] if present and totals[0] is present[0] else totals[-1]
        grand.total = "grand"
    segment: list[_Row] = []
    for row in rows:
        if row is grand:
            continue
        if row in totals:  # a subtotal: the rows since the last boundary add into it
            row.total = "sub"
            row.parent = grand.position if grand is not None else None
            _segment(segment, row.position, table_id, units, row.amount)
            segment = []
            continue
        segment.append(row)
    _segment(segment, grand.position if grand is not None else None, table_id, units, grand.amount if grand is not None else None)


def _amount_structured(table_id: str, rows: list[_Row]) -> bool:
    """Whether a flat table's structure may be read from its amounts: project tables, and tables the
    catalog does not know that print no structure of their own."""
    from budgetkit.catalog import base_table_id, load_catalog

    if base_table_id(table_id) in PROJECT_TABLES:
        return True
    return not load_catalog().knows(table_id) and not _is_structured(rows)


def _is_list(table_id: str) -> bool:
    """A list whose nesting only the amounts tell: project and procurement tables, unknown tables."""
    from budgetkit.catalog import base_table_id, load_catalog

    return base_table_id(table_id) in LIST_TABLES or not load_catalog().knows(table_id)


def _by_outline(rows: list[_Row], parent: int | None, target: Decimal) -> bool:
    """Nest a list by its amounts so that it adds up to ``target``: each row is a line, or the
    head of the rows right below it when they add up to its amount (a category over its
    projects, a project over its purchases, a unit over its projects, a 款 over its 项).

    Sums are taken within the rounding of the printed amounts (a few steps of the last printed
    digit). Nesting a row's children takes them out of the sum, so a flat reading and a nested one
    fit the same total only when the children are within rounding of zero. Returns False (rows
    left as they are) when no nesting adds up.
    """
    amounts = [r.amount if r.amount is not None else Decimal(0) for r in rows]
    if any(a < 0 for a in amounts) or not any(amounts):
        return False
    places = max((max(0, -r.amount.as_tuple().exponent) for r in rows if r.amount is not None), default=0)
    slack = Decimal(5).scaleb(-places)  # (n + 1) / 2 steps for the few parts of a typical sum
    parents = _outline(tuple(amounts), target, slack)
    if parents is None:
        return False
    for row, up in zip(rows, parents):
        row.parent = parent if up is None else rows[up].position
    return True


@lru_cache(maxsize=512)
def _outline(amounts: tuple[Decimal, ...], target: Decimal, slack: Decimal) -> tuple[int | None, ...] | None:
    """The nesting of a list of amounts adding up to ``target`` (row index each row adds into),
    or None; remembered, since a document's tables are structured more than once (tidy, checks,
    a second reading)."""
    # Both searches recurse about once per row: room for a long list.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 2 * len(amounts) + 1000))
    try:
        parents = _outline_bottom_up(list(amounts), target, slack)
        if parents is None:
            parents = _outline_search(list(amounts), target, slack)
    finally:
        sys.setrecursionlimit(limit)
    return None if parents is None else tuple(parents)


def _outline_bottom_up(amounts: list[Decimal], target: Decimal, slack: Decimal, max_steps: int = 50_000) -> list[int | None] | None:
    """The outline read from the last row up: each row heads the fewest items right below it
    that add up to its amount (a unit over 通用项目 and 专用项目, each over its projects), or
    stands beside them.

    A row equal to the item below it may head it (通用项目 over 专项购置 over one purchase) or
    be its equal sibling (two projects of 400,000.00): the first reading is tried first and the
    other when the rows above do not add up. The reading kept is the first whose top items add up
    to ``target``.

    Returns:
        For each row, the index of the row it adds into (None: the top level), or None when no
        reading adds up within ``max_steps``.
    """
    n = len(amounts)
    steps = [max_steps]
    # Amounts as small integers: the memo of dead ends keys on them (cheap to hash), and two
    # stacks of equal amounts below a row lead to the same outcome above it.
    rank = {a: k for k, a in enumerate(sorted(set(amounts)))}
    ids = [rank[a] for a in amounts]
    failed: set[tuple] = set()
    stack: list[int] = []  # items below the current row, nearest last
    parents: list[int | None] = [None] * n

    def options(i: int) -> list[int]:
        """How many items right below row i it may head (0: none), in the order tried."""
        a = amounts[i]
        if a > 0:
            running = Decimal(0)
            for m in range(1, len(stack) + 1):
                running += amounts[stack[-m]]
                if abs(running - a) <= slack:
                    return [m, 0]
                if running > a + slack:
                    break
        return [0]

    def solve(i: int) -> bool:
        # Rows with one reading are taken in a loop; only a choice recurses. Everything a call
        # pushes is popped again when it fails, so the caller's stack is as it left it.
        pushed = 0
        while i >= 0:
            choice = options(i)
            if len(choice) > 1:
                break
            stack.append(i)
            pushed += 1
            i -= 1
        if i < 0:
            if abs(sum((amounts[k] for k in stack), Decimal(0)) - target) <= slack:
                return True
        else:
            key = (i, tuple(ids[k] for k in stack))
            if key not in failed:
                for m in choice:
                    steps[0] -= 1
                    if steps[0] < 0:
                        break
                    if m:
                        children = stack[-m:]
                        del stack[-m:]
                        for c in children:
                            parents[c] = i
                    stack.append(i)
                    if solve(i - 1):
                        return True
                    stack.pop()
                    if m:
                        for c in children:
                            parents[c] = None
                        stack.extend(children)
                failed.add(key)
        del stack[len(stack) - pushed:]
        return False

    return parents if solve(n - 1) else None


def _outline_search(amounts: list[Decimal], target: Decimal, slack: Decimal) -> list[int | None] | None:
    """The outline found by a bounded depth-first search (a row heads the rows below it before it
    stands beside them); None when none adds up to ``target`` within the bound."""
    n = len(amounts)
    memo: dict[tuple[int, Decimal], tuple | None] = {}
    budget = [20000]  # a bound on the search: a long list that does not add up is left flat

    def seq(i: int, remaining: Decimal):
        """Items from row i adding up to ``remaining``: (end, [(row, children)]) or None."""
        key = (i, remaining)
        if key in memo:
            return memo[key]
        budget[0] -= 1
        if budget[0] < 0:
            return None
        result = None
        if remaining == 0 and (i >= n or amounts[i] != 0):
            result = (i, [])
        elif i < n and amounts[i] <= remaining + slack:
            a = amounts[i]
            if a > 0:  # the row as the head of the rows below it
                inner = seq(i + 1, a)
                if inner is not None and inner[0] > i + 1:
                    rest = seq(inner[0], remaining - a)
                    if rest is not None:
                        result = (rest[0], [(i, inner)] + rest[1])
            if result is None:  # the row as a line
                rest = seq(i + 1, remaining - a)
                if rest is not None:
                    result = (rest[0], [(i, None)] + rest[1])
        if result is None and remaining != 0 and abs(remaining) <= slack and (i >= n or amounts[i] > remaining + slack):
            result = (i, [])  # within rounding of the total, and the next row would overshoot it
        memo[key] = result
        return result

    found = seq(0, target)
    if found is None or found[0] != n:
        return None
    parents: list[int | None] = [None] * n

    def place(items, up: int | None) -> None:
        for i, inner in items:
            parents[i] = up
            if inner is not None:
                place(inner[1], i)

    place(found[1], None)
    return parents


def _is_structured(rows: list[_Row]) -> bool:
    """Rows that carry their own structure (numbering, …小计 heads, 其中, economic class names)."""
    for r in rows:
        if numbering(r.item)[0] or is_of_which(r.item) or _SUBTOTAL_HEAD_RE.match(fold(r.item)) or fold(r.item) in ECONOMIC_CLASS_NAMES:
            return True
    return False


def _segment(rows: list[_Row], parent: int | None, table_id: str, units: set[str], target: Decimal | None = None) -> None:
    """Structure the rows between two totals; their top rows add into ``parent`` (whose amount is ``target``)."""
    rows = [r for r in rows]
    for r in rows:
        r.parent = parent
    if not rows:
        return
    if any(r.code for r in rows):
        _by_codes(rows, parent)
        return
    # 其中 rows belong to the row above them.
    addends = []
    for r in rows:
        if is_of_which(r.item) and addends:
            r.of_which = True
            r.parent = addends[-1].position
        else:
            addends.append(r)
    if target is not None and _is_list(table_id) and _by_outline(addends, parent, target):
        return
    heads = [r for r in addends if _is_head(r)]
    if heads:
        runs: list[tuple[_Row | None, list[_Row]]] = [(None, [])]
        for r in addends:
            if r in heads:
                r.parent = parent
                runs.append((r, []))
            else:
                runs[-1][1].append(r)
        for head, members in runs:
            up = head.position if head is not None else parent
            # Under a class printed by name only (款 and 项 by indentation, lost in the text), the
            # amounts tell which row is over which.
            if head is not None and head.amount and members and not any(numbering(m.item)[0] for m in members) \
                    and _by_outline(members, up, head.amount):
                continue
            _by_numbering(members, up)
        return
    if any(numbering(r.item)[0] for r in addends):
        _by_numbering(_unnumbered_children(addends), parent)
        return
    if _amount_structured(table_id, addends):
        _by_amounts(addends, parent, units)
    elif target is not None and not _adds_up(addends, target):
        # A flat list that does not add up to its total (a department row over its units, the
        # indentation lost): nested where the amounts say so, else left as printed.
        _by_outline(addends, parent, target)


def _adds_up(rows: list[_Row], target: Decimal) -> bool:
    """Whether the rows, as lines, add up to ``target`` within the rounding of their printed digits."""
    total = sum((r.amount for r in rows if r.amount is not None), Decimal(0))
    places = max((max(0, -r.amount.as_tuple().exponent) for r in rows if r.amount is not None), default=0)
    return abs(total - target) <= Decimal(len(rows) + 1) / 2 * Decimal(1).scaleb(-places)


def _unnumbered_children(rows: list[_Row]) -> list[_Row]:
    """Place unnumbered rows printed under a numbered one (``一、财政拨款`` over ``一般公共预算``)
    when they add up to it; return the rows left for the numbering outline."""
    rest: list[_Row] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        rest.append(row)
        j = i + 1
        if numbering(row.item)[0] and row.amount:
            while j < len(rows) and not numbering(rows[j].item)[0] and rows[j].item:
                j += 1
            run = rows[i + 1:j]
            if run and _by_outline(run, row.position, row.amount):
                i = j
                continue
        i += 1
    return rest


def _is_head(row: _Row) -> bool:
    """A row that heads the rows below it: ``一般公共预算资金小计``, an economic class name, a
    function class printed by name (``公共安全支出`` with its 款 and 项 below it)."""
    from budgetkit.classification import class_of_name

    name = fold(row.item)
    if _SUBTOTAL_HEAD_RE.match(name) or name in ECONOMIC_CLASS_NAMES:
        return True
    return numbering(row.item)[0] is None and class_of_name(row.item, "function") is not None


def _by_codes(rows: list[_Row], parent: int | None) -> None:
    """A row adds into the nearest row above it whose code is its code's prefix."""
    from budgetkit.codes import parent_code

    latest: dict[str, _Row] = {}
    for r in rows:
        if r.code:
            up = parent_code(r.code)
            while up is not None and up not in latest:
                up = parent_code(up)
            r.parent = latest[up].position if up is not None else parent
            latest[r.code] = r
        else:
            r.parent = parent


def _by_numbering(rows: list[_Row], parent: int | None) -> None:
    """Nest numbered rows like an outline: a list that starts at 一/1/① under a row of another kind is its children.

    Unnumbered rows are always at the outer level (nothing says they belong to the row above).
    """
    level_of: dict[str | None, int] = {None: 1}
    stack: list[tuple[int, _Row]] = []  # (level, row) of the latest row at each level
    previous: _Row | None = None
    for r in rows:
        if not r.item:
            r.parent = parent
            continue
        marker, number, _ = numbering(r.item)
        if marker not in level_of:
            starts = number in _FIRST_NUMBERS
            prev_marker = numbering(previous.item)[0] if previous is not None else "none"
            level_of[marker] = level_of.get(prev_marker, 0) + 1 if starts and previous is not None and prev_marker != marker else 1
        level = level_of[marker]
        while stack and stack[-1][0] >= level:
            stack.pop()
        r.parent = stack[-1][1].position if stack and stack[-1][0] == level - 1 else parent
        stack.append((level, r))
        previous = r


def _by_amounts(rows: list[_Row], parent: int | None, units: set[str]) -> None:
    """A flat list (a project table): unit rows over their projects, found by name or by amounts.

    Unit rows are the rows named like a unit of the 机关运行经费 table; further units (事业单位
    the 机关运行经费 table does not list) are rows whose amount equals the sum of the next ≥ 2 rows.
    """
    named = [i for i, r in enumerate(rows) if fold(r.item) in units]
    leaves = [i for i in range(len(rows)) if i not in named]
    amounts = [r.amount if r.amount is not None else Decimal(0) for r in rows]
    found = _sum_groups(amounts, leaves if named else list(range(len(rows))))
    starts = sorted(set(named) | {s for s in found if not named or s > named[0]})
    if not starts:
        return
    bounds = starts + [len(rows)]
    for start, end in zip(bounds, bounds[1:]):
        rows[start].parent = parent
        for r in rows[start + 1:end]:
            r.parent = rows[start].position


def _sum_groups(amounts: list[Decimal], candidates: list[int]) -> dict[int, int]:
    """Rows whose amount equals the sum of the next ≥ 2 candidate rows: ``{group index: end}``, greedy."""
    groups: dict[int, int] = {}
    position = 0
    while position < len(candidates):
        start = candidates[position]
        running, end = Decimal(0), None
        for offset, index in enumerate(candidates[position + 1:], start=1):
            running += amounts[index]
            if running == amounts[start] and offset >= 2:
                end = offset
                break
            if running > amounts[start] >= 0:
                break
        if end is not None and amounts[start] != 0:
            groups[start] = position + end
            position += end + 1
        else:
            position += 1
    return groups


def _flat_head(rows: list[_Row], units: set[str]) -> _Row | None:
    """The first row of a flat list when it is the whole: the department over its units.

    It must equal the sum of the unit rows (named, or found by their amounts) or of all other rows.
    """
    present = [r for r in rows if not r.blank]
    if len(present) < 3 or present[0].amount is None or fold(present[0].item) in units:
        return None
    head, rest = present[0], present[1:]
    amounts = [r.amount if r.amount is not None else Decimal(0) for r in rest]
    named = [i for i, r in enumerate(rest) if fold(r.item) in units]
    if named:
        unit_sum = sum((amounts[i] for i in named), Decimal(0))
        found = _sum_groups(amounts, [i for i in range(len(rest)) if i not in named])
        unit_sum += sum((amounts[i] for i in found if i > named[0]), Decimal(0))
        if unit_sum == head.amount:
            return head
    found = _sum_groups(amounts, list(range(len(rest))))
    if found and sum((amounts[i] for i in found), Decimal(0)) == head.amount:
        return head
    if sum(amounts, Decimal(0)) == head.amount:
        return head
    return None


def _admin_unit_names(tidy: pd.DataFrame) -> set[str]:
    """Unit names printed in the 机关运行经费 table (one row a unit), folded; none when it lists economic classes."""
    rows = tidy[tidy["table_id"] == "admin_operation"].drop_duplicates("row_number")
    if rows.empty or rows["code"].notna().any():
        return set()
    return {fold(i) for i, k in zip(rows["item"], rows["row_kind"]) if isinstance(i, str) and i and k != "total"}


# --------------------------------------------------------------------------- entities


def unit_names(tidy: pd.DataFrame) -> list[str]:
    """The budget units a disclosure lists, folded, in printed order.

    The non-total rows of the 机关运行经费 table when it is printed one row a unit, plus the unit
    rows (``group``) of the project tables.
    """
    names = [fold(i) for i, k in zip(*_first_rows(tidy, "admin_operation", "item", "row_kind"))
             if isinstance(i, str) and i and k != "total"] if not _coded(tidy, "admin_operation") else []
    for table_id in PROJECT_TABLES:
        projects = project_rows(tidy, table_id)
        names.extend(projects.loc[projects["entity"] == "unit", "name"].map(fold))
    return list(dict.fromkeys(names))


def _first_rows(tidy: pd.DataFrame, table_id: str, *columns: str):
    rows = tidy[tidy["table_id"] == table_id].drop_duplicates("row_number").sort_values("row_number")
    return [rows[c].tolist() for c in columns]


def _coded(tidy: pd.DataFrame, table_id: str) -> bool:
    rows = tidy[(tidy["table_id"] == table_id) & (tidy["row_kind"] != "total")]
    return bool(rows["code"].notna().any())


ENTITY_BY_ROLE = {TOTAL: "department", GROUP: "unit", LINE: "project", OF_WHICH: "project"}


def project_rows(tidy: pd.DataFrame, table_id: str = "project_current", column_id: str = "total") -> pd.DataFrame:
    """The rows of a project table as department, unit or project.

    Args:
        tidy: Tidy data of one document (with ``row_role``; computed when absent).
        table_id: ``project_current`` or ``project_carryover``.
        column_id: The amount column to report.

    Returns:
        One row per printed row: ``row_number``, ``name``, ``entity`` (``department`` | ``unit`` |
        ``project``), ``unit_name`` (the unit a project belongs to), ``amount`` (Decimal, printed
        unit), ``unit`` (万元/元), ``page``, ``line``.
    """
    columns = ["row_number", "name", "entity", "unit_name", "amount", "unit", "page", "line"]
    rows = _structured(tidy)
    rows = rows[(rows["table_id"] == table_id) & (rows["column_id"] == column_id)].sort_values("row_number")
    if rows.empty:
        return pd.DataFrame(columns=columns)
    names = dict(zip(rows["row_number"], rows["item"].fillna("")))
    records = []
    for r in rows.itertuples():
        entity = ENTITY_BY_ROLE[r.row_role]
        parent = None if pd.isna(r.parent_row) else int(r.parent_row)
        unit = r.item if entity == "unit" else (names.get(parent) if parent is not None and entity == "project" else None)
        if entity == "project" and unit is not None and parent is not None:
            parent_role = rows.loc[rows["row_number"] == parent, "row_role"]
            if len(parent_role) and parent_role.iloc[0] == TOTAL:
                unit = None  # a project directly under the department
        records.append({"row_number": int(r.row_number), "name": r.item or "", "entity": entity, "unit_name": unit,
                        "amount": as_decimal(r.amount), "unit": r.unit, "page": r.page, "line": r.line})
    frame = pd.DataFrame.from_records(records, columns=columns)
    # Rows with neither a name nor an amount are padding, not projects.
    return frame[(frame["name"] != "") | frame["amount"].notna()].reset_index(drop=True)


def _structured(tidy: pd.DataFrame) -> pd.DataFrame:
    """``tidy`` with its row roles (computed when absent) and numeric row numbers (a CSV holds text)."""
    if "row_role" not in tidy.columns or tidy["row_role"].isin(["", None]).any():
        tidy = with_row_structure(tidy)
    if tidy["row_number"].dtype == object or tidy["parent_row"].dtype == object:
        tidy = tidy.assign(row_number=pd.to_numeric(tidy["row_number"]),
                           parent_row=pd.to_numeric(tidy["parent_row"].replace("", None)).astype("Int64"))
    return tidy


def lines(tidy: pd.DataFrame, table_id: str, column_id: str, side: str | None = None) -> pd.DataFrame:
    """The ``line`` cells of one table column: the amounts that add up to its total."""
    rows = _structured(tidy)
    rows = rows[(rows["table_id"] == table_id) & (rows["column_id"] == column_id) & (rows["row_role"] == LINE)]
    if side is not None:
        rows = rows[rows["side"] == side]
    return rows.sort_values("row_number", kind="stable")


def total_cell(tidy: pd.DataFrame, table_id: str, column_id: str, side: str | None = None) -> pd.Series | None:
    """The ``total`` cell of one table column; a table of one row is its own total (江苏 支出总表).

    Returns ``None`` when the table prints no total row (and more than one row).
    """
    rows = _structured(tidy)
    rows = rows[(rows["table_id"] == table_id) & (rows["column_id"] == column_id)]
    if side is not None:
        rows = rows[rows["side"] == side]
    totals = rows[rows["row_role"] == TOTAL]
    if not totals.empty:
        return totals.sort_values("row_number").iloc[0]
    if rows["row_number"].nunique() == 1:
        return rows.iloc[0]
    return None


def children(tidy: pd.DataFrame, table_id: str, column_id: str, row_number: int, side: str | None = None) -> pd.DataFrame:
    """The cells that add into one row of a column (its lines and groups; no 其中 rows)."""
    rows = _structured(tidy)
    rows = rows[(rows["table_id"] == table_id) & (rows["column_id"] == column_id) & (rows["parent_row"] == row_number)
                & (rows["row_role"] != OF_WHICH)]
    if side is not None:
        rows = rows[rows["side"] == side]
    return rows.sort_values("row_number", kind="stable")


# --------------------------------------------------------------------------- “三公”经费


#: The “三公”经费 items: key (the catalog column id of the one-row layout), label, name pattern
#: for the one-item-a-row layout, and the key of the item it is part of.
THREE_PUBLIC_ITEMS: tuple[tuple[str, str, str, str | None], ...] = (
    ("three_public_total", "“三公”经费合计", r"^“?三公”?经费(?:合计|小计)$|^小计$", None),
    ("outbound", "因公出国（境）费", r"因公出国", "three_public_total"),
    ("reception", "公务接待费", r"公务接待", "three_public_total"),
    ("vehicle_total", "公务用车购置及运行费", r"购置及运行", "three_public_total"),
    ("vehicle_purchase", "公务用车购置费", r"^(?:公务用车)?购置费$", "vehicle_total"),
    ("vehicle_operation", "公务用车运行维护费", r"^(?:公务用车)?运行(?:维护)?费$", "vehicle_total"),
)
#: Columns of the one-row table that are not “三公”经费 (Jiangsu prints 会议费、培训费 in it;
#: Shanghai 机关运行经费).
THREE_PUBLIC_OTHER = {"meeting": "会议费", "training": "培训费", "admin_operation": "机关运行经费"}


@dataclass(frozen=True)
class PrintedItem:
    """One printed amount with what it is and where it stands."""

    key: str
    label: str
    table_id: str
    row_number: int
    column_id: str
    value_text: str
    amount: Decimal | None
    unit: str | None
    part_of: str | None = None
    page: int | None = None
    line: int | None = None

    @property
    def cell(self) -> tuple[str, int, str]:
        """``(table_id, row_number, column_id)`` — how findings name a cell."""
        return (self.table_id, self.row_number, self.column_id)


# --------------------------------------------------------------------------- periods side by side

#: A column group's header naming its period: 上年 | 当年 | 增减变化情况, 2025年预算数 | 2026年预算数.
_PERIOD_RE = re.compile(r"^(?:(?P<prior>上年度?|去年)|(?P<current>当年|本年度?)|(?P<year>(?:19|20)\d{2})年度?(?:预算数?|决算数?)?"
                        r"|(?P<change>增减.*|比上年.*))$")


def column_periods(table: pd.DataFrame, year: int | None) -> dict[str, tuple[str | None, bool]]:
    """For a table printing several periods side by side, each column's period: ``column_id →
    (period, prior)`` — ``period`` is ``current`` (this year's), ``other`` (上年, another year, 增减) —
    and ``prior`` says whether it is last year's. Empty when the table prints one period.

    The periods repeat the same columns, each group starting with its 合计; a group's period is the
    one its columns' printed headers name — the reader may keep it on some of a group's headers only
    (西安 prints 上年 | 当年 | 增减变化情况 over 合计 | “三公”经费 … | 会议费 | 培训费, and the catalog names
    went to the first group, whose headers lost their 上年). A year is this year's when it is
    ``year`` (the document's; unknown, the latest printed when every group names its period). A
    group naming no period is this year's when every other group is another period's, and last
    year's when the others are this year's and 增减; a year nobody can place makes every unnamed
    group ``other`` (never taken for this year's).
    """
    order = list(dict.fromkeys(zip(table["column_id"], table["column_label"].fillna("").astype(str))))
    groups: list[list[str]] = []
    named: list[str | None] = []
    for cid, label in order:
        label = label.replace(" ", "")
        if not groups or label.split("/")[-1] == "合计":
            groups.append([])
            named.append(None)
        groups[-1].append(cid)
        match = _PERIOD_RE.match(label.split("/")[0]) if "/" in label and named[-1] is None else None
        if match:
            named[-1] = next(k for k in ("prior", "current", "year", "change") if match[k]) + (match["year"] or "")
    if len(groups) < 2 or not any(named):
        return {}
    if year is None and all(named):
        # every group names its period: of the years printed side by side, the latest is this year's
        years = [int(n[4:]) for n in named if n.startswith("year")]
        year = max(years) if years else None

    def period(name: str | None) -> str | None:
        if name is None or (name.startswith("year") and year is None):
            return None
        return "current" if name == "current" or (name.startswith("year") and int(name[4:]) == year) else "other"

    periods = [period(n) for n in named]
    unresolved = any(n is not None and p is None for n, p in zip(named, periods))
    if "current" not in periods and not unresolved:
        periods = ["current" if p is None else p for p in periods]
    else:
        periods = ["other" if p is None else p for p in periods]
    last_year = f"year{year - 1}" if year else None
    out: dict[str, tuple[str | None, bool]] = {}
    for columns, name, p in zip(groups, named, periods):
        prior = name in ("prior", last_year) or (
            name is None and "current" in periods and all(m is None or m == "change" or period(m) == "current" for m in named))
        for cid in columns:
            out[cid] = (p, bool(prior))
    return out


def period_column(table: pd.DataFrame, column_id: str, periods: dict[str, tuple[str | None, bool]], prior: bool) -> str | None:
    """The column that is catalog column ``column_id`` (by its printed header, below the period) in this
    year's group of columns (``prior``: last year's); ``None`` when the group prints no such column."""
    from budgetkit.catalog import load_catalog

    own = periods.get(column_id)
    if own is not None and (own[1] if prior else own[0] == "current"):
        return column_id
    spec = load_catalog().table("three_public" if table.empty else str(table["table_id"].iloc[0]))
    found = []
    for cid, label in dict.fromkeys(zip(table["column_id"], table["column_label"].fillna("").astype(str))):
        period, is_prior = periods.get(cid, (None, False))
        if (not is_prior if prior else period != "current") or "/" not in label:
            continue
        path = label.replace(" ", "").split("/")[1:]
        # the catalog column the leaf names; among several (小计), the one whose ``under`` is deepest above it
        scored = []
        for order, col in enumerate(spec.columns):
            if col.role != "amount" or not col.matches_leaf(path[-1]):
                continue
            hits = [i for i, text in enumerate(path[:-1]) if col.under and col.matches_under([text])]
            if col.under and not hits:
                continue
            scored.append((-(max(hits) if hits else -1), order, col.id))
        if scored and min(scored)[2] == column_id:
            found.append(cid)
    return found[0] if len(found) == 1 else None


def _unit_code(row: pd.Series) -> str:
    """A unit's code, in the code column or read as the row's name (253, 253001)."""
    for value in (row.get("code"), row.get("item")):
        if isinstance(value, str) and value.strip().isdigit():
            return value.strip()
    return ""


def total_row_number(table: pd.DataFrame, column_id: str) -> int | None:
    """The 合计 row of a table of one row per unit: the one total row, or a first row whose name was not
    read when it equals the sum of the top units (the rows of the shortest code: 253 over 253001 …)."""
    cells = table[table["column_id"] == column_id].sort_values("row_number")
    totals = cells[cells["row_kind"] == "total"]
    if totals["row_number"].nunique() == 1:
        return int(totals["row_number"].iloc[0])
    if not totals.empty or cells.empty:
        return None
    first = cells.iloc[0]
    if str(first["item"] or "").strip() or _unit_code(first):
        return None
    coded = [(len(_unit_code(r)), try_parse_amount(r["value_text"]) or Decimal(0)) for _, r in cells.iloc[1:].iterrows() if _unit_code(r)]
    value = try_parse_amount(first["value_text"])
    if not coded or value is None:
        return None
    shortest = min(n for n, _ in coded)
    return int(first["row_number"]) if sum(v for n, v in coded if n == shortest) == value else None


def _title_year(tidy: pd.DataFrame) -> int | None:
    """The year most table titles print (2022年部门综合预算…), or ``None``."""
    if "table_title" not in tidy.columns:
        return None
    years = tidy.drop_duplicates("table_id")["table_title"].astype(str).str.extract(r"((?:19|20)\d{2})\s*年")[0].dropna()
    return int(years.mode().iloc[0]) if not years.empty else None


def three_public_items(tidy: pd.DataFrame, column_id: str | None = None, year: int | None = None,
                       prior: bool = False) -> dict[str, PrintedItem]:
    """The “三公”经费 items printed, in either layout, by key (:data:`THREE_PUBLIC_ITEMS`).

    One item a row (山西: 因公出国（境）费 / 公务接待费 / 公务用车购置及运行费 / ①② rows, amounts in the
    ``total`` column or ``column_id``), or one column per item (上海、江苏), in one row or in one row
    per unit under a 合计 row (杭州, 西安: the 合计 row's). The table's own total (合计) is
    ``three_public_total`` only when the table holds nothing else; a Jiangsu 合计 that also counts
    会议费 and 培训费 is returned as ``table_total``.

    A table printing 上年 | 当年 | 增减 (or 2025年 | 2026年) side by side gives this year's columns
    (``year``: the document's fiscal year, else the one its table titles print; :func:`column_periods`),
    or last year's (``prior``).

    Returns:
        ``{key: PrintedItem}`` for the items the table prints (blank cells included, amount None).
    """
    table = tidy[tidy["table_id"] == "three_public"]
    if table.empty:
        return {}
    if year is None:
        year = _title_year(tidy)
    out: dict[str, PrintedItem] = {}
    columns = set(table["column_id"])
    by_column = column_id is None and any(k in columns for k, *_ in THREE_PUBLIC_ITEMS[1:])
    if by_column and table["row_number"].nunique() > 1:
        anchor = next((k for k in ("three_public_total", "total", "outbound", "reception", "vehicle_total") if k in columns), None)
        total_row = total_row_number(table, anchor) if anchor else None
        if total_row is not None:
            table = table[table["row_number"] == total_row]
    one_row = by_column and table["row_number"].nunique() == 1
    periods = column_periods(table, year) if one_row else {}
    if prior and not any(p for _period, p in periods.values()):
        return {}

    def cell_of(key: str) -> pd.DataFrame:
        found = period_column(table, key, periods, prior) if periods else key
        return table[table["column_id"] == found] if found is not None else table.iloc[0:0]

    if one_row:
        for key, label, _, part_of in THREE_PUBLIC_ITEMS:
            cell = cell_of(key)
            if len(cell) == 1:
                out[key] = _item(cell.iloc[0], key, label, part_of)
        for key, label in THREE_PUBLIC_OTHER.items():
            cell = cell_of(key)
            if len(cell) == 1:
                out[key] = _item(cell.iloc[0], key, label, None)
        total = cell_of("total")
        if len(total) == 1:
            extra = [k for k in ("meeting", "training") if k in out]
            if extra or "three_public_total" in out:
                out["table_total"] = _item(total.iloc[0], "table_total", "合计", None)
            else:
                out["three_public_total"] = _item(total.iloc[0], "three_public_total", "“三公”经费合计", None)
        return out
    column = column_id or ("total" if "total" in columns else sorted(columns)[0])
    cells = table[table["column_id"] == column].sort_values("row_number")
    keys = [strip_numbering(i) for i in cells["item"].fillna("")]
    for key, label, pattern, part_of in THREE_PUBLIC_ITEMS:
        hits = [k for k in range(len(cells)) if re.search(pattern, keys[k])]
        if key == "vehicle_operation":
            hits = [k for k in hits if "购置及运行" not in keys[k]]
        if len(hits) == 1:
            out[key] = _item(cells.iloc[hits[0]], key, label, part_of)
    for key, label in THREE_PUBLIC_OTHER.items():
        hits = [k for k in range(len(cells)) if keys[k] == label]
        if len(hits) == 1:
            out[key] = _item(cells.iloc[hits[0]], key, label, None)
    totals = cells[cells["row_kind"] == "total"]
    if "three_public_total" not in out and len(totals):
        if any(k in out for k in ("meeting", "training")):
            out["table_total"] = _item(totals.iloc[0], "table_total", "合计", None)
        else:
            out["three_public_total"] = _item(totals.iloc[0], "three_public_total", "“三公”经费合计", None)
    return out


def _item(row: pd.Series, key: str, label: str, part_of: str | None) -> PrintedItem:
    text = row["value_text"] if isinstance(row["value_text"], str) else ""
    page = None if pd.isna(row["page"]) else int(row["page"])
    line = None if pd.isna(row["line"]) else int(row["line"])
    amount = as_decimal(row["amount"]) if "amount" in row.index else try_parse_amount(text)
    return PrintedItem(key, label, row["table_id"], int(row["row_number"]), row["column_id"], text,
                       amount, row["unit"] if isinstance(row["unit"], str) else None, part_of, page, line)


def three_public_parts(items: dict[str, PrintedItem]) -> list[PrintedItem]:
    """The items that partition the “三公”经费: 因公出国, 公务接待, and 购置/运行 when split (else their sum)."""
    vehicle = [items[k] for k in ("vehicle_purchase", "vehicle_operation") if k in items]
    if len(vehicle) < 2 and "vehicle_total" in items:
        vehicle = [items["vehicle_total"]]
    return [items[k] for k in ("outbound", "reception") if k in items] + vehicle


# --------------------------------------------------------------------------- income, classes


#: Income columns of the 收入总表 (sources of money), in drawing order.
INCOME_SOURCE_COLUMNS = (
    "general_public_budget", "government_fund", "state_capital", "special_account", "unit_funds",
    "fiscal_appropriation", "business_income", "operating_income", "other_income", "carryover",
)


def income_sources(tidy: pd.DataFrame) -> list[PrintedItem]:
    """The document's income by source, each amount once (a line and its parts never both).

    From the 收入总表's total row, one amount per source column (the parts of its 合计 per
    :data:`COLUMN_SUMS`, 上年结转 included when printed); else the ``line`` rows of the income
    side of the 收支总表 (``1.一般公共预算`` and not also ``一、财政拨款``; 上年结转 included).
    """
    rows = _structured(tidy)
    income = rows[rows["table_id"] == "income"]
    if not income.empty:
        present = [c for c in INCOME_SOURCE_COLUMNS if c in set(income["column_id"])]
        # 财政拨款收入 is the sum of the budget columns when both are printed.
        if "fiscal_appropriation" in present and {"general_public_budget", "government_fund"} & set(present):
            present.remove("fiscal_appropriation")
        items = []
        from budgetkit.catalog import load_catalog

        spec = load_catalog().table("income")
        for column_id in present:
            cell = total_cell(rows, "income", column_id)
            if cell is None:
                continue
            items.append(_item(cell, column_id, spec.column(column_id).label, None))
        if any(i.amount for i in items):
            return items
    summary = rows[(rows["table_id"] == "summary") & (rows["side"] == "income") & (rows["row_role"] == LINE)]
    summary = summary[summary["column_id"] == "income_amount"].sort_values("row_number")
    return [_item(r, strip_numbering(r["item"]), strip_numbering(r["item"]), None)
            for _, r in summary.iterrows() if isinstance(r["item"], str) and r["item"]]


#: Tables giving the function classification, in order of preference.
FUNCTION_TABLES = ("general_expenditure", "expenditure")


def function_classes(tidy: pd.DataFrame, levels: Sequence[str] = ("类", "款"), column_id: str = "total",
                     tables: Iterable[str] = FUNCTION_TABLES) -> pd.DataFrame:
    """Expenditure by function class from the first of ``tables`` that prints codes and amounts.

    Returns:
        ``code, level, name, amount_yuan`` (Decimal), ``table_id``, ``row_number`` — one row per code.
    """
    columns = ["code", "level", "name", "amount_yuan", "table_id", "row_number"]
    for table_id in tables:
        rows = tidy[(tidy["table_id"] == table_id) & (tidy["column_id"] == column_id)]
        rows = rows[rows["code_level"].isin(list(levels)) & rows["amount_yuan"].notna()]
        if rows.empty:
            continue
        rows = rows.drop_duplicates("code")
        return pd.DataFrame({
            "code": rows["code"].tolist(), "level": rows["code_level"].tolist(), "name": rows["item"].tolist(),
            "amount_yuan": [as_decimal(v) for v in rows["amount_yuan"]], "table_id": table_id,
            "row_number": rows["row_number"].tolist(),
        }, columns=columns)
    return pd.DataFrame(columns=columns)


def economic_class(tidy: pd.DataFrame) -> pd.Series:
    """The 经济分类 类 of each row of an economic table (``"301"`` …), ``None`` elsewhere and for totals.

    From the row's code where printed (``30101`` → ``301``), else from the class row it adds into
    (its ``group`` ancestor named 工资福利支出 …).
    """
    result = pd.Series([None] * len(tidy), index=tidy.index, dtype=object)
    rows = _structured(tidy)
    economic = rows[rows["table_id"].isin(ECONOMIC_TABLES)]
    for _, table in economic.groupby(["doc_id", "table_id"], sort=False):
        first = table.drop_duplicates("row_number").set_index("row_number")
        class_of: dict[int, str | None] = {}
        for number in first.index:
            class_of[number] = _class_of(number, first, class_of)
        for index, number in zip(table.index, table["row_number"]):
            result[index] = class_of.get(number)
    return result


def _class_of(number: int, first: pd.DataFrame, memo: dict[int, str | None]) -> str | None:
    if number in memo:
        return memo[number]
    row = first.loc[number]
    code = row["code"] if isinstance(row["code"], str) else ""
    if re.fullmatch(r"[35]\d{2}(\d{2})?", code):
        return code[:3]
    if row["row_kind"] == "total" or row.get("row_role") == TOTAL:
        return None
    name = fold(row["item"])
    if name in ECONOMIC_CLASS_NAMES:
        return ECONOMIC_CLASS_NAMES[name] or name
    parent = row.get("parent_row")
    if parent is None or pd.isna(parent) or int(parent) not in first.index:
        return None
    return _class_of(int(parent), first, memo)
