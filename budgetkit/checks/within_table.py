"""Rules inside one table: code hierarchy, total rows and columns, balances, unit subtotals, 三公."""

from __future__ import annotations

import re

import pandas as pd

from budgetkit.catalog import fold
from budgetkit.checks.arithmetic import OK, ROUNDING, Quantity, compare_sum
from budgetkit.checks.catalog import HIERARCHY_TABLES
from budgetkit.checks.engine import Context, Finding, Rule, from_outcome, implements, not_applicable

#: Total column = parts, per table; several alternatives are tried in order (the first that
#: holds is reported; if none holds, the first is reported as failing).
TOTAL_COLUMNS: dict[str, list[tuple[str, list[str]]]] = {
    "summary": [("expense_total", ["expense_current_year", "expense_carryover"])],
    "income": [
        ("total", ["general_public_budget", "government_fund", "state_capital", "special_account", "unit_funds"]),
        ("total", ["general_public_budget", "government_fund", "state_capital", "special_account", "unit_funds", "carryover"]),
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

#: The 类 of the 部门预算支出经济分类 (used when the table prints names without codes).
ECONOMIC_GROUPS = {
    "工资福利支出", "商品和服务支出", "对个人和家庭的补助", "对个人和家庭补助", "资本性支出", "对企业补助",
    "对事业单位经常性补助", "对事业单位资本性补助", "对社会保障基金补助", "债务利息及费用支出", "其他支出",
    "资本性支出（基本建设）", "资本性支出（一）", "资本性支出（二）",
}


def amount_columns(ctx: Context, table_id: str, side: str | None = None) -> list[str]:
    rows = ctx.rows(table_id)
    if side is not None:
        rows = [r for r in rows if r["side"] == side]
    return list(dict.fromkeys(r["column_id"] for r in rows))


def quantities(ctx: Context, rows) -> list[Quantity]:
    """The quantities of rows (a list of rows, or a frame taken from the context's cells)."""
    if isinstance(rows, pd.DataFrame):
        rows = ctx.rows_of(rows)
    return [ctx.quantity(r) for r in rows]


def _notna(value) -> bool:
    return not pd.isna(value)


def _drop_duplicates(rows: list, column: str) -> list:
    """The first row of each value of ``column`` (as ``DataFrame.drop_duplicates(column)``)."""
    seen, out = set(), []
    for r in rows:
        value = r[column]
        marker = None if pd.isna(value) else value
        if marker in seen:
            continue
        seen.add(marker)
        out.append(r)
    return out


def _any_printed(qs: list[Quantity]) -> bool:
    return any(q.text for q in qs)


@implements("within.code_hierarchy")
def code_hierarchy(ctx: Context, rule: Rule):
    for table_id in HIERARCHY_TABLES:
        if not ctx.printed(table_id):
            continue
        for column_id in amount_columns(ctx, table_id):
            col = _drop_duplicates([r for r in ctx.rows(table_id, column_id) if _notna(r["code"])], "code")
            children_of: dict = {}
            for r in col:
                children_of.setdefault(r["parent_code"], []).append(r)
            for parent in [r for r in col if r["code_level"] in ("类", "款")]:
                children = children_of.get(parent["code"], [])
                if not children:
                    continue
                parts = quantities(ctx, children)
                total = ctx.quantity(parent)
                if not _any_printed(parts + [total]):
                    continue
                level = "款" if parent["code_level"] == "类" else "项"
                what = f"{ctx.title(table_id)} {parent['code']} {parent['item']}「{parent['column_label']}」= Σ{level}（{len(parts)} 行）"
                yield from_outcome(rule, compare_sum(parts, total), what)


@implements("within.total_row")
def total_row(ctx: Context, rule: Rule):
    for table_id in HIERARCHY_TABLES:
        if not ctx.printed(table_id):
            continue
        coded = [r for r in ctx.rows(table_id) if _notna(r["code"])]
        if not coded:
            continue
        top = min(len(r["code"]) for r in coded)
        for column_id in amount_columns(ctx, table_id):
            totals = [r for r in ctx.rows(table_id, column_id) if r["row_kind"] == "total"]
            if not totals:
                continue
            rows = _drop_duplicates([r for r in coded if r["column_id"] == column_id and len(r["code"]) == top], "code")
            parts = quantities(ctx, rows)
            total = ctx.quantity(totals[0])
            if not _any_printed(parts + [total]):
                continue
            what = f"{ctx.title(table_id)} {totals[0]['item']}「{totals[0]['column_label']}」= Σ类（{len(parts)} 行）"
            yield from_outcome(rule, compare_sum(parts, total), what)


@implements("within.total_column")
def total_column(ctx: Context, rule: Rule):
    for table_id, alternatives in TOTAL_COLUMNS.items():
        if not ctx.printed(table_id):
            continue
        cells = ctx.rows(table_id)
        present = {r["column_id"] for r in cells}
        unmapped = sorted(c for c in present if re.fullmatch(r"col\d+", str(c)))
        if unmapped:  # a column the catalog does not know (单位预留机动经费 …) may be a part too
            alternatives = alternatives + [(t, parts + unmapped) for t, parts in alternatives]
        for (row_number, side), row in _by_row_and_side(cells):
            by_col = {r["column_id"]: r for r in row}
            outcomes = []
            total_ids = list(dict.fromkeys(t for t, _ in alternatives))
            every = [(t, [c for c in by_col if c != t]) for t in total_ids]  # columns the catalog does not list (单位预留机动经费 …)
            every += [(t, [c for c in ps if c not in ("carryover", "carry_forward")]) for t, ps in every]
            for index, (total_id, part_ids) in enumerate(alternatives + every):
                if index >= len(alternatives) and not outcomes:
                    break  # extra columns only as another reading of a catalog identity, never alone
                parts_present = [p for p in part_ids if p in present]
                if total_id not in by_col or not parts_present:
                    continue
                parts = [ctx.quantity(by_col[p]) for p in parts_present if p in by_col]
                total = ctx.quantity(by_col[total_id])
                if not _any_printed(parts + [total]):
                    continue
                if not total.text and sum(p.value for p in parts) != 0:
                    continue  # a total that is not printed is not a zero total
                outcomes.append((compare_sum(parts, total), total_id, parts_present))
            if not outcomes:
                continue
            chosen = next((o for o in outcomes if o[0].status in (OK, ROUNDING)), outcomes[0])
            outcome, total_id, parts_present = chosen
            first = by_col[total_id]
            labels = " + ".join(str(by_col[p]["column_label"]) for p in parts_present if p in by_col)
            key = first["code"] if isinstance(first["code"], str) else (first["item"] or f"row {row_number}")
            what = f"{ctx.title(table_id)} {key}：「{first['column_label']}」= {labels}"
            yield from_outcome(rule, outcome, what)


def _by_row_and_side(rows: list) -> list[tuple[tuple, list]]:
    """Rows grouped by (row_number, side), sorted (a missing side last), as ``groupby(sort=True, dropna=False)``."""
    groups: dict[tuple, list] = {}
    for r in rows:
        side = r["side"]
        groups.setdefault((r["row_number"], None if pd.isna(side) else side), []).append(r)
    return sorted(groups.items(), key=lambda item: (item[0][0], item[0][1] is None, item[0][1] or ""))


_CURRENT_INCOME = {"本年收入合计", "本年收入小计", "当年收入小计", "收入合计"}
_CURRENT_EXPENSE = {"本年支出合计", "本年支出小计", "当年支出小计", "支出合计"}
_GRAND_INCOME = {"收入总计"}
_GRAND_EXPENSE = {"支出总计"}
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+|\d{1,2})[、.．]")


def _side_rows(ctx: Context, table_id: str, side: str) -> pd.DataFrame:
    cells = ctx.cells(table_id)
    return cells[cells["side"] == side]


def _row_numbers(frame: pd.DataFrame, keys: set[str]) -> list[int]:
    return sorted(set(frame.loc[frame["key"].isin(keys) | frame["item"].isin(keys), "row_number"]))


@implements("within.summary_balance")
def summary_balance(ctx: Context, rule: Rule):
    for table_id in ("summary", "fiscal_summary"):
        if not ctx.printed(table_id):
            continue
        title = ctx.title(table_id)
        income = _side_rows(ctx, table_id, "income")
        expense = _side_rows(ctx, table_id, "expense")
        grand = {}
        # income side
        inc_col = "income_amount"
        cur = _row_numbers(income, _CURRENT_INCOME)
        tot = _row_numbers(income, _GRAND_INCOME)
        col = income[income["column_id"] == inc_col]
        if cur:
            items = _top_level(col[(col["row_number"] < cur[0]) & (col["row_kind"] != "total")])
            current = col[col["row_number"] == cur[0]]
            yield from_outcome(rule, compare_sum(quantities(ctx, items), ctx.quantity(current.iloc[0])),
                               f"{title} 本年收入合计 = Σ收入各项（{len(items)} 行）")
            if tot:
                between = col[(col["row_number"] > cur[0]) & (col["row_number"] < tot[0])]
                tops, subs = _split_numbered(between)
                total_row = col[col["row_number"] == tot[0]].iloc[0]
                grand["income"] = ctx.quantity(total_row)
                parts = [ctx.quantity(current.iloc[0])] + [ctx.quantity(r) for r in tops]
                names = "、".join(str(r["item"]) for r in tops) or "（无）"
                yield from_outcome(rule, compare_sum(parts, grand["income"]), f"{title} 收入总计 = 本年收入合计 + {names}")
                for top, members in subs:
                    if members:
                        yield from_outcome(rule, compare_sum([ctx.quantity(m) for m in members], ctx.quantity(top)),
                                           f"{title} {top['item']} = Σ其下各项（{len(members)} 行）")
        # expense side
        cur_e = _row_numbers(expense, _CURRENT_EXPENSE)
        tot_e = _row_numbers(expense, _GRAND_EXPENSE)
        for column_id in amount_columns(ctx, table_id, "expense"):
            col = expense[expense["column_id"] == column_id]
            if not cur_e:
                break
            items = _top_level(col[(col["row_number"] < cur_e[0]) & (col["row_kind"] != "total")])
            current = col[col["row_number"] == cur_e[0]]
            if current.empty or not ctx.quantity(current.iloc[0]).text:
                continue  # 本年支出合计 not printed in this column
            label = current.iloc[0]["column_label"]
            parts = quantities(ctx, items)
            if _any_printed(parts + [ctx.quantity(current.iloc[0])]):
                yield from_outcome(rule, compare_sum(parts, ctx.quantity(current.iloc[0])),
                                   f"{title} 本年支出合计「{label}」= Σ支出功能类（{len(items)} 行）")
            if tot_e:
                between = col[(col["row_number"] > cur_e[0]) & (col["row_number"] < tot_e[0])]
                total_row = col[col["row_number"] == tot_e[0]]
                if total_row.empty:
                    continue
                total_q = ctx.quantity(total_row.iloc[0])
                if column_id == "expense_total":
                    grand["expense"] = total_q
                parts = [ctx.quantity(current.iloc[0])] + quantities(ctx, between)
                if _any_printed(parts + [total_q]):
                    yield from_outcome(rule, compare_sum(parts, total_q), f"{title} 支出总计「{label}」= 本年支出合计 + 年终结转等")
        if "income" in grand and "expense" in grand:
            yield from_outcome(rule, compare_sum([grand["income"]], grand["expense"]), f"{title} 收入总计 = 支出总计")


_SUB_NUMBERED = re.compile(r"^(?:\d{1,2}[.．、]|[（(][一二三四五六七八九十\d]+[)）])")


def _top_level(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop sub-items (``1.一般公共预算`` under ``一、财政拨款``) when top-level items are numbered 一、二、."""
    raw = frame["item"].fillna("").map(fold)
    if raw.map(lambda t: bool(_NUMBERED.match(t)) and not _SUB_NUMBERED.match(t)).any():
        return frame[~raw.map(lambda t: bool(_SUB_NUMBERED.match(t)))]
    return frame


def _split_numbered(frame: pd.DataFrame):
    """Rows between 本年收入合计 and 收入总计: top rows (上年结转 …) and the numbered rows under each."""
    tops, subs = [], []
    for _, row in frame.sort_values("row_number").iterrows():
        if _NUMBERED.match(fold(row["item"] or "")) and subs:
            subs[-1][1].append(row)
        else:
            tops.append(row)
            subs.append((row, []))
    return tops, subs


def economic_structure(ctx: Context) -> tuple[pd.DataFrame, list[tuple[object, list]]] | None:
    """Groups of the economic-classification table: [(group row number, [line row numbers])]."""
    cells = ctx.cells("general_basic_economic")
    rows = cells.drop_duplicates("row_number").sort_values("row_number")
    coded = rows[rows["code"].notna()]
    groups: list[tuple[int, list[int]]] = []
    if not coded.empty and (coded["code"].str.len() == 3).any():
        for _, g in coded[coded["code"].str.len() == 3].iterrows():
            members = coded[coded["parent_code"] == g["code"]]["row_number"].tolist()
            groups.append((g["row_number"], members))
        return cells, groups
    current = None
    for _, r in rows.iterrows():
        if r["row_kind"] == "total":
            continue
        if r["key"] in ECONOMIC_GROUPS:
            current = (r["row_number"], [])
            groups.append(current)
        elif current is not None:
            current[1].append(r["row_number"])
    return (cells, groups) if groups else None


@implements("within.economic_groups")
def economic_groups(ctx: Context, rule: Rule):
    structure = economic_structure(ctx)
    if structure is None:
        yield not_applicable(rule, "经济分类表没有可识别的类（工资福利支出…）", ["general_basic_economic"])
        return
    cells, groups = structure
    title = ctx.title("general_basic_economic")
    for column_id in amount_columns(ctx, "general_basic_economic"):
        col = cells[cells["column_id"] == column_id].set_index("row_number")
        label = col["column_label"].iloc[0]
        group_qs = []
        for group_rn, members in groups:
            group_q = ctx.quantity(col.loc[group_rn].to_dict() | {"row_number": group_rn})
            group_qs.append(group_q)
            parts = [ctx.quantity(col.loc[m].to_dict() | {"row_number": m}) for m in members]
            if members and _any_printed(parts + [group_q]):
                yield from_outcome(rule, compare_sum(parts, group_q),
                                   f"{title} {col.loc[group_rn]['item']}「{label}」= Σ其下各款（{len(parts)} 行）")
        totals = col[col["row_kind"] == "total"]
        if not totals.empty and _any_printed(group_qs):
            total_rn = totals.index[0]
            total_q = ctx.quantity(totals.iloc[0].to_dict() | {"row_number": total_rn})
            yield from_outcome(rule, compare_sum(group_qs, total_q), f"{title} 合计「{label}」= Σ类（{len(group_qs)} 类）")


def admin_by_codes(ctx: Context) -> bool:
    """Is the 机关运行经费 table broken down by economic class (rows with 科目编码), not by unit?"""
    if not ctx.printed("admin_operation"):
        return False
    cells = ctx.cells("admin_operation")
    return bool(cells.loc[cells["row_kind"] != "total", "code"].notna().any())


def unit_names(ctx: Context) -> list[str]:
    """Unit names printed in the 机关运行经费 table (not the total row; none when its rows are codes)."""
    if not ctx.printed("admin_operation") or admin_by_codes(ctx):
        return []
    cells = ctx.cells("admin_operation")
    return list(dict.fromkeys(cells.loc[cells["row_kind"] != "total", "key"].tolist()))


def project_structure(ctx: Context, table_id: str = "project_current"):
    """Split a project table into department/total row, unit rows and project lines.

    Returns:
        ``(head_row_number | None, [(unit_row_number | None, [line row numbers])])`` or ``None``
        when no unit names are known.
    """
    units = set(unit_names(ctx))
    cells = ctx.cells(table_id)
    rows = cells.drop_duplicates("row_number").sort_values("row_number")
    if rows.empty:
        return None
    head = None
    groups: list[tuple[int | None, list[int]]] = []
    seen_unit = False
    for _, r in rows.iterrows():
        key = r["key"]
        if r["row_kind"] == "total" or (not seen_unit and head is None and not groups and units and key not in units
                                           and _looks_like_department(ctx, key, units)):
            head = r["row_number"]
            continue
        if key in units:
            seen_unit = True
            groups.append((r["row_number"], []))
        else:
            if not groups:
                groups.append((None, []))
            groups[-1][1].append(r["row_number"])
    return head, groups


def _looks_like_department(ctx: Context, key: str, units: set[str]) -> bool:
    dept = fold(ctx.document.tables.get("project_current").department or "") if ctx.table("project_current") else ""
    return bool(key) and (key == dept or any(u.startswith(key) for u in units))


def project_lines(ctx: Context, table_id: str = "project_current") -> pd.DataFrame:
    """The project lines (not unit, department or total rows) of a project table, ``total`` column."""
    structure = project_structure(ctx, table_id)
    cells = ctx.cells(table_id)
    total = cells[cells["column_id"] == "total"]
    if structure is None:
        return total[total["row_kind"] != "total"]
    _, groups = structure
    members = [m for _, ms in groups for m in ms]
    return total[total["row_number"].isin(members)].sort_values("row_number")


@implements("within.project_units")
def project_units(ctx: Context, rule: Rule):
    units = unit_names(ctx)
    structure = project_structure(ctx)
    if not units or structure is None:
        yield not_applicable(rule, "单位名称未知（机关运行经费表缺失或为空）", ["project_current", "admin_operation"])
        return
    head, groups = structure
    cells = ctx.cells("project_current")
    title = ctx.title("project_current")
    for column_id in amount_columns(ctx, "project_current"):
        col = cells[cells["column_id"] == column_id].set_index("row_number")
        label = col["column_label"].iloc[0]

        def q(rn):
            return ctx.quantity(col.loc[rn].to_dict() | {"row_number": rn})

        unit_qs = []
        for unit_rn, members in groups:
            parts = [q(m) for m in members]
            if unit_rn is None:
                unit_qs.extend(parts)
                continue
            unit_q = q(unit_rn)
            unit_qs.append(unit_q)
            if members and _any_printed(parts + [unit_q]):
                yield from_outcome(rule, compare_sum(parts, unit_q),
                                   f"{title} 单位 {col.loc[unit_rn]['item']}「{label}」= Σ其项目（{len(parts)} 项）")
        if head is not None and _any_printed(unit_qs + [q(head)]):
            yield from_outcome(rule, compare_sum(unit_qs, q(head)),
                               f"{title} {col.loc[head]['item']}「{label}」= Σ单位（{len(unit_qs)} 行）")


@implements("within.admin_units")
def admin_units(ctx: Context, rule: Rule):
    if admin_by_codes(ctx):
        yield not_applicable(rule, "机关运行经费表按经济分类科目列示（302 商品和服务支出 …），不按单位列示；"
                                   "类 = Σ款 见 within.code_hierarchy", ["admin_operation"])
        return
    cells = ctx.cells("admin_operation")
    title = ctx.title("admin_operation")
    for column_id in amount_columns(ctx, "admin_operation"):
        col = cells[cells["column_id"] == column_id]
        totals = col[col["row_kind"] == "total"]
        units = col[col["row_kind"] != "total"]
        if totals.empty or units.empty:
            continue
        parts = quantities(ctx, units)
        total = ctx.quantity(totals.iloc[0])
        if _any_printed(parts + [total]):
            yield from_outcome(rule, compare_sum(parts, total), f"{title} {totals.iloc[0]['item']}「{totals.iloc[0]['column_label']}」= Σ单位（{len(parts)} 个）")


@implements("within.three_public")
def three_public(ctx: Context, rule: Rule):
    title = ctx.title("three_public")
    for column_id in amount_columns(ctx, "three_public"):
        abroad = ctx.find("three_public", column_id, contains="因公出国")
        reception = ctx.find("three_public", column_id, contains="公务接待")
        vehicles = ctx.find("three_public", column_id, contains="购置及运行")
        purchase = ctx.find("three_public", column_id, contains="^公务用车购置费|^购置费")
        operation = ctx.find("three_public", column_id, contains="运行(?:维护)?费$")
        operation = operation[~operation["key"].str.contains("购置及运行")]
        total = ctx.find("three_public", column_id, kind="total")
        label = None
        if len(vehicles) == 1 and len(purchase) == 1 and len(operation) == 1:
            parts = quantities(ctx, pd.concat([purchase, operation]))
            v = ctx.quantity(vehicles.iloc[0])
            label = vehicles.iloc[0]["column_label"]
            if _any_printed(parts + [v]):
                yield from_outcome(rule, compare_sum(parts, v), f"{title} 公务用车购置及运行费「{label}」= 购置费 + 运行维护费")
        if len(total) >= 1 and len(abroad) == 1 and len(reception) == 1 and len(vehicles) == 1:
            parts = quantities(ctx, pd.concat([abroad, reception, vehicles]))
            t = ctx.quantity(total.iloc[0])
            label = total.iloc[0]["column_label"]
            if _any_printed(parts + [t]):
                yield from_outcome(rule, compare_sum(parts, t), f"{title} 合计「{label}」= 因公出国（境）费 + 公务接待费 + 公务用车购置及运行费")
