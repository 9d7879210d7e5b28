"""Rules inside one table: code hierarchy, total rows and columns, balances, unit subtotals, 三公."""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from budgetkit.catalog import fold
from budgetkit.classification import class_of_name
from budgetkit.vocabulary import numbered_re, sub_numbered_re
from budgetkit.checks.arithmetic import OK, ROUNDING, UNREADABLE, Quantity, compare_sum
from budgetkit.checks.engine import SYSTEMATIC_MIN, SYSTEMATIC_SHARE, Context, Rule, from_outcome, implements, not_applicable
from budgetkit.identities import ColumnIdentity, column_identities
from budgetkit.semantics import COLUMN_SUMS, GROUP, OF_WHICH, TOTAL, three_public_items

#: Total column = parts, per table (the table semantics decide; see :data:`budgetkit.semantics.COLUMN_SUMS`).
TOTAL_COLUMNS = COLUMN_SUMS


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


#: Tables whose 科目编码 rows are not a classification that adds up (a purchase list repeats
#: its codes, a project list prints a code per project).
NOT_HIERARCHICAL = ("government_procurement", "performance_targets", "project_current", "project_carryover")


def _coded_tables(ctx: Context) -> list[str]:
    """Tables printing a code hierarchy: standard code tables, and any other table whose rows
    carry distinct 科目编码 with at least one parent printed above its children."""
    out = []
    for table_id in _tables_with_amounts(ctx):
        if table_id.split("~")[0] in NOT_HIERARCHICAL:
            continue
        codes = [r["code"] for r in _drop_duplicates(ctx.rows(table_id), "row_number") if _notna(r["code"])]
        if len(codes) >= 3 and len(set(codes)) == len(codes) and any(c[:-2] in set(codes) for c in codes if len(c) > 3):
            out.append(table_id)
    return out


@implements("within.code_hierarchy")
def code_hierarchy(ctx: Context, rule: Rule):
    for table_id in _coded_tables(ctx):
        for column_id in amount_columns(ctx, table_id):
            col = _drop_duplicates([r for r in ctx.rows(table_id, column_id) if _notna(r["code"])], "code")
            children_of: dict = {}
            for r in col:
                children_of.setdefault(r["parent_code"], []).append(r)
            results = []
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
                results.append((compare_sum(parts, total), what))
            yield from _emit(rule, results, "行与科目编码可能错位")


@implements("within.total_row")
def total_row(ctx: Context, rule: Rule):
    for table_id in _coded_tables(ctx):
        coded = [r for r in ctx.rows(table_id) if _notna(r["code"])]
        if not coded:
            continue
        top = min(len(r["code"]) for r in coded)
        results = []
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
            results.append((compare_sum(parts, total), what))
        yield from _emit(rule, results, "合计行或类行可能未读全")




def _header_identities(ctx: Context, table_id: str, side) -> list[ColumnIdentity]:
    columns: dict[str, tuple[str, ...]] = {}
    for r in ctx.rows(table_id):
        if (r["side"] if isinstance(r["side"], str) else None) != side:
            continue
        header = r.get("column_header")
        if r["column_id"] not in columns:
            columns[r["column_id"]] = tuple(h for h in str(header).split(" / ") if h) if isinstance(header, str) else ()
    return column_identities(list(columns.items()))


def _systematic(outcomes: list) -> bool:
    """An identity failing on most of its rows: a misread layout, not the publisher's error."""
    failed = sum(1 for o in outcomes if o.status not in (OK, ROUNDING))
    return failed >= SYSTEMATIC_MIN and failed > SYSTEMATIC_SHARE * len(outcomes)


def _emit(rule: Rule, results: list[tuple], why: str):
    """Findings of one identity over its rows; a systematic failure becomes ``unreadable``."""
    systematic = _systematic([o for o, _w in results])
    failed = sum(1 for o, _w in results if o.status not in (OK, ROUNDING))
    for outcome, what in results:
        if systematic and outcome.status not in (OK, ROUNDING):
            yield from_outcome(
                rule, outcome, what, fail_status=UNREADABLE,
                note_fail=f"未可靠读取：此恒等式在 {failed}/{len(results)} 行不成立，{why}",
            )
        else:
            yield from_outcome(rule, outcome, what)


def _tables_with_amounts(ctx: Context) -> list[str]:
    return [t for t in ctx.document.tables if ctx.printed(t)]


@implements("within.total_column")
def total_column(ctx: Context, rule: Rule):
    """Total columns against their parts, as the header states them (合计 = Σ siblings under a
    header group); the catalog's identities for a standard table whose header states none."""
    for table_id in _tables_with_amounts(ctx):
        cells = ctx.rows(table_id)
        sides = list(dict.fromkeys(r["side"] if isinstance(r["side"], str) else None for r in cells))
        derived = {side: _header_identities(ctx, table_id, side) for side in sides}
        if any(derived.values()):
            for side, identities in derived.items():
                labels = {r["column_id"]: r["column_label"] for r in cells}
                for identity in identities:
                    readings = [_column_results(ctx, table_id, cells, side, identity.total, parts, labels)
                                for parts in [identity.parts] + identity.alternatives]
                    # An ambiguous header (其中 …): the reading that holds on most rows.
                    results = max(readings, key=lambda rs: sum(1 for o, _w in rs if o.status in (OK, ROUNDING)))
                    yield from _emit(rule, results, "表头所示的列间关系与所读数字不符（列可能错位或表头理解有误）")
            continue
        yield from _catalog_total_column(ctx, rule, table_id, cells)


def _column_results(ctx: Context, table_id: str, cells: list, side, total_id: str, part_ids: list[str], labels: dict) -> list[tuple]:
    """One column identity compared on every row of one side: [(outcome, what)]."""
    results = []
    describe = f"「{labels.get(total_id, total_id)}」= " + " + ".join(labels.get(p, p) for p in part_ids)
    for (row_number, row_side), row in _by_row_and_side(cells):
        if row_side != side:
            continue
        by_col = {r["column_id"]: r for r in row}
        if total_id not in by_col or not all(p in by_col for p in part_ids):
            continue
        parts = [ctx.quantity(by_col[p]) for p in part_ids]
        total = ctx.quantity(by_col[total_id])
        if not _any_printed(parts + [total]):
            continue
        if not total.text and sum(p.value for p in parts) != 0:
            continue  # a total that is not printed is not a zero total
        first = by_col[total_id]
        key = first["code"] if isinstance(first["code"], str) else (first["item"] or f"row {row_number}")
        results.append((compare_sum(parts, total), f"{ctx.title(table_id)} {key}：{describe}"))
    return results


def _catalog_total_column(ctx: Context, rule: Rule, table_id: str, cells: list):
    alternatives = TOTAL_COLUMNS.get(table_id)
    if not alternatives:
        return
    present = {r["column_id"] for r in cells}
    unmapped = sorted(c for c in present if re.fullmatch(r"col\d+", str(c)))
    catalog_parts = {p for _t, parts in alternatives for p in parts}
    if unmapped:  # a column the catalog does not know (单位预留机动经费 …) may be a part too
        alternatives = alternatives + [(t, parts + unmapped) for t, parts in alternatives]
    results = []
    for (row_number, _side), row in _by_row_and_side(cells):
        by_col = {r["column_id"]: r for r in row}
        outcomes = []
        total_ids = list(dict.fromkeys(t for t, _ in alternatives))
        every = [(t, [c for c in by_col if c != t]) for t in total_ids]  # columns the catalog does not list (单位预留机动经费 …)
        every += [(t, [c for c in ps if c not in ("carryover", "carry_forward")]) for t, ps in every]
        for index, (total_id, part_ids) in enumerate(alternatives + every):
            if index >= len(alternatives) and not outcomes:
                break  # extra columns only as another reading of a catalog identity, never alone
            parts_present = [p for p in part_ids if p in present]
            if total_id not in by_col or not any(p in catalog_parts for p in parts_present):
                continue  # columns the catalog does not know are never the only parts
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
        results.append((outcome, f"{ctx.title(table_id)} {key}：「{first['column_label']}」= {labels}"))
    yield from _emit(rule, results, "列的含义可能与目录不符")


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
_NUMBERED = numbered_re()  # 一、 / 1、 (budgetkit/data/vocabulary.toml)


def _side_rows(ctx: Context, table_id: str, side: str) -> list:
    return [r for r in ctx.rows(table_id) if r["side"] == side]


def _row_numbers(rows: list, keys: set[str]) -> list[int]:
    return sorted({r["row_number"] for r in rows if r["key"] in keys or r["item"] in keys})


def _first_row(rows: list):
    """``rows[0]``, failing as ``frame.iloc[0]`` does on an empty frame."""
    if not rows:
        raise IndexError("single positional indexer is out-of-bounds")
    return rows[0]


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
        col = [r for r in income if r["column_id"] == inc_col]
        if cur and any(r["row_number"] == cur[0] for r in col):
            items = _income_lines([r for r in col if r["row_number"] < cur[0] and r["row_kind"] != "total"])
            current = [r for r in col if r["row_number"] == cur[0]]
            yield from_outcome(rule, compare_sum(quantities(ctx, items), ctx.quantity(_first_row(current))),
                               f"{title} 本年收入合计 = Σ收入各项（{len(items)} 行）")
            if tot:
                between = [r for r in col if cur[0] < r["row_number"] < tot[0]]
                tops, subs = _split_numbered(between)
                total_row = _first_row([r for r in col if r["row_number"] == tot[0]])
                grand["income"] = ctx.quantity(total_row)
                parts = [ctx.quantity(current[0])] + [ctx.quantity(r) for r in tops]
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
            col = [r for r in expense if r["column_id"] == column_id]
            if not cur_e:
                break
            lines = [r for r in col if r["row_number"] < cur_e[0] and r["row_kind"] != "total"]
            if not lines:
                # 一、本年支出合计 printed above its classes (杭州): the lines below it, up to 二、….
                for r in sorted((r for r in col if r["row_number"] > cur_e[0]), key=lambda r: r["row_number"]):
                    if r["row_kind"] == "total" or _NUMBERED.match(fold(r["item"] or "")):
                        break
                    lines.append(r)
            current = [r for r in col if r["row_number"] == cur_e[0]]
            if not current or not ctx.quantity(current[0]).text:
                continue  # 本年支出合计 not printed in this column
            label = current[0]["column_label"]
            # The classes are known by code or name; an unnumbered 其他支出 may be the class 229
            # or a 款/项 of another class: both readings are tried, the printed one kept if none holds.
            outcomes = []
            for items in (_class_lines(lines), _class_lines(lines, other_class=True)):
                parts = quantities(ctx, items)
                if _any_printed(parts + [ctx.quantity(current[0])]):
                    outcomes.append((compare_sum(parts, ctx.quantity(current[0])), len(items)))
            if outcomes:
                # The reading that holds, else the one closest to holding (the smaller difference
                # is the publisher's; the other is the wrong reading of the lines).
                outcome, n = next((o for o in outcomes if o[0].status in (OK, ROUNDING)), None) or min(
                    outcomes, key=lambda o: abs(Decimal(str(o[0].difference or 0))))
                yield from_outcome(rule, outcome, f"{title} 本年支出合计「{label}」= Σ支出功能类（{n} 行）")
            if tot_e:
                after = max([cur_e[0]] + [r["row_number"] for r in lines])  # classes printed below the total come first
                between = [r for r in col if after < r["row_number"] < tot_e[0]]
                total_row = [r for r in col if r["row_number"] == tot_e[0]]
                if not total_row:
                    continue
                total_q = ctx.quantity(total_row[0])
                if column_id == "expense_total":
                    grand["expense"] = total_q
                parts = [ctx.quantity(current[0])] + quantities(ctx, between)
                if _any_printed(parts + [total_q]):
                    yield from_outcome(rule, compare_sum(parts, total_q), f"{title} 支出总计「{label}」= 本年支出合计 + 年终结转等")
        if "income" in grand and "expense" in grand:
            yield from_outcome(rule, compare_sum([grand["income"]], grand["expense"]), f"{title} 收入总计 = 支出总计")


_SUB_NUMBERED = sub_numbered_re()  # 1. / （一）


def _top_level(rows: list) -> list:
    """Drop sub-items (``1.一般公共预算`` under ``一、财政拨款``) when top-level items are numbered 一、二、."""
    raw = [fold("" if pd.isna(r["item"]) else r["item"]) for r in rows]
    if any(bool(_NUMBERED.match(t)) and not _SUB_NUMBERED.match(t) for t in raw):
        return [r for r, t in zip(rows, raw) if not _SUB_NUMBERED.match(t)]
    return rows


def _income_lines(rows: list) -> list:
    """The income lines that add up to 本年收入合计: when the lines are numbered (一、财政拨款收入),
    only the numbered ones — unnumbered lines between them are their parts (一般公共预算收入)."""
    raw = [fold("" if pd.isna(r["item"]) else r["item"]) for r in rows]
    numbered = [r for r, t in zip(rows, raw) if _NUMBERED.match(t) and not _SUB_NUMBERED.match(t)]
    return numbered if numbered else _top_level(rows)


def _class_lines(rows: list, other_class: bool = False) -> list:
    """The expense lines that add up to 本年支出合计: the function classes (类) when the side lists
    类, 款 and 项 by name (a class is known by its code or its standard name); else the top level."""
    def is_class(r) -> bool:
        if isinstance(r["code"], str):
            return len(r["code"]) == 3
        entry = class_of_name(r["item"])
        # 其他支出 is also the name of many 款 and 项: a class only when numbered (二十一、其他支出).
        return entry is not None and (entry.code != "229" or other_class or bool(_NUMBERED.match(fold(r["item"] or ""))))

    classes = [r for r in rows if is_class(r)]
    if classes and len(classes) < len(rows):
        return classes
    return _top_level(rows)


def _split_numbered(rows: list):
    """Rows between 本年收入合计 and 收入总计: top rows (上年结转 …) and the numbered rows under each."""
    tops, subs = [], []
    for row in sorted(rows, key=lambda r: r["row_number"]):
        if _NUMBERED.match(fold(row["item"] or "")) and subs:
            subs[-1][1].append(row)
        else:
            tops.append(row)
            subs.append((row, []))
    return tops, subs


def _by_row_number(rows: list) -> list:
    """One row per row number (the first), in row order (as ``drop_duplicates("row_number").sort_values("row_number")``)."""
    return sorted(_drop_duplicates(rows, "row_number"), key=lambda r: r["row_number"])


def economic_structure(ctx: Context) -> tuple[list, list[tuple[object, list]]] | None:
    """Groups of the economic-classification table (its ``group`` rows, :mod:`budgetkit.semantics`):
    [(group row number, [line row numbers])]. A class printed twice (302 under 502 and under 505 in a
    table cross-classified by government economic classes) is two groups, each over the rows below it."""
    cells = ctx.rows("general_basic_economic")
    rows = _by_row_number(cells)
    groups = [(g["row_number"], [r["row_number"] for r in rows if r["parent_row"] == g["row_number"] and r["row_role"] != OF_WHICH])
              for g in rows if g["row_role"] == GROUP and g["row_kind"] != "total"]
    return (cells, groups) if groups else None


def _column_by_row(ctx: Context, table_id: str, column_id: str) -> dict:
    """One column's rows by row number (row numbers are unique within a column)."""
    return {r["row_number"]: r for r in ctx.rows(table_id, column_id)}


@implements("within.economic_groups")
def economic_groups(ctx: Context, rule: Rule):
    structure = economic_structure(ctx)
    if structure is None:
        yield not_applicable(rule, "经济分类表没有可识别的类（工资福利支出…）", ["general_basic_economic"])
        return
    _, groups = structure
    title = ctx.title("general_basic_economic")
    for column_id in amount_columns(ctx, "general_basic_economic"):
        col = _column_by_row(ctx, "general_basic_economic", column_id)
        label = next(iter(col.values()))["column_label"]
        group_qs = []
        for group_rn, members in groups:
            group_q = ctx.quantity(col[group_rn])
            group_qs.append(group_q)
            parts = [ctx.quantity(col[m]) for m in members]
            if members and _any_printed(parts + [group_q]):
                yield from_outcome(rule, compare_sum(parts, group_q),
                                   f"{title} {col[group_rn]['item']}「{label}」= Σ其下各款（{len(parts)} 行）")
        totals = [r for r in col.values() if r["row_kind"] == "total"]
        if totals and _any_printed(group_qs):
            total_q = ctx.quantity(totals[0])
            yield from_outcome(rule, compare_sum(group_qs, total_q), f"{title} 合计「{label}」= Σ类（{len(group_qs)} 类）")


def admin_by_codes(ctx: Context) -> bool:
    """Is the 机关运行经费 table broken down by economic class (rows with 科目编码), not by unit?"""
    if not ctx.printed("admin_operation"):
        return False
    return any(_notna(r["code"]) for r in ctx.rows("admin_operation") if r["row_kind"] != "total")


def unit_names(ctx: Context) -> list[str]:
    """Unit names printed in the 机关运行经费 table (not its total; none when its rows are codes)."""
    if not ctx.printed("admin_operation") or admin_by_codes(ctx):
        return []
    return list(dict.fromkeys(r["key"] for r in ctx.rows("admin_operation") if r["row_role"] != TOTAL))


def project_structure(ctx: Context, table_id: str = "project_current"):
    """A project table as department (``total``), units (``group``) and projects (``line``), from the row roles.

    Returns:
        ``(department row number | None, [(unit row number | None, [project row numbers])])``, or
        ``None`` when the table has no rows.
    """
    rows = _by_row_number(ctx.rows(table_id))
    if not rows:
        return None
    head = next((r["row_number"] for r in rows if r["row_role"] == TOTAL), None)
    groups: list[tuple[int | None, list[int]]] = []
    loose: list[int] = []
    for r in rows:
        if r["row_role"] == GROUP:
            groups.append((r["row_number"], [m["row_number"] for m in rows if m["parent_row"] == r["row_number"]]))
        elif r["row_role"] != TOTAL and (r["parent_row"] is None or r["parent_row"] == head):
            loose.append(r["row_number"])
    if loose:
        groups.insert(0, (None, loose))
    return head, groups


def project_lines(ctx: Context, table_id: str = "project_current") -> list:
    """The project lines (not unit, department or total rows) of a project table, ``total`` column (rows)."""
    return [r for r in ctx.rows(table_id, "total") if r["row_role"] not in (TOTAL, GROUP)]


@implements("within.project_units")
def project_units(ctx: Context, rule: Rule):
    structure = project_structure(ctx)
    if structure is None or not any(unit is not None for unit, _ in structure[1]):
        yield not_applicable(rule, "项目支出表不分单位列示", ["project_current"])
        return
    head, groups = structure
    title = ctx.title("project_current")
    for column_id in amount_columns(ctx, "project_current"):
        col = _column_by_row(ctx, "project_current", column_id)
        label = next(iter(col.values()))["column_label"]

        def q(rn):
            return ctx.quantity(col[rn])

        # The department adds up its top rows: units, and projects under no unit (a unit's
        # categories and projects add into the unit).
        top_rows = {r["row_number"] for r in ctx.rows("project_current", column_id)
                    if r["row_role"] != TOTAL and (not _notna(r["parent_row"]) or r["parent_row"] == head)}
        unit_qs = [q(rn) for rn in sorted(top_rows) if rn in col]
        for unit_rn, members in groups:
            if unit_rn is None:
                continue
            parts = [q(m) for m in members]
            unit_q = q(unit_rn)
            if members and _any_printed(parts + [unit_q]):
                yield from_outcome(rule, compare_sum(parts, unit_q),
                                   f"{title} 单位 {col[unit_rn]['item']}「{label}」= Σ其项目（{len(parts)} 项）")
        if head is not None and _any_printed(unit_qs + [q(head)]):
            yield from_outcome(rule, compare_sum(unit_qs, q(head)),
                               f"{title} {col[head]['item']}「{label}」= Σ单位（{len(unit_qs)} 行）")


@implements("within.admin_units")
def admin_units(ctx: Context, rule: Rule):
    if admin_by_codes(ctx):
        yield not_applicable(rule, "机关运行经费表按经济分类科目列示（302 商品和服务支出 …），不按单位列示；"
                                   "类 = Σ款 见 within.code_hierarchy", ["admin_operation"])
        return
    title = ctx.title("admin_operation")
    for column_id in amount_columns(ctx, "admin_operation"):
        col = ctx.rows("admin_operation", column_id)
        totals = [r for r in col if r["row_kind"] == "total"]
        units = [r for r in col if r["row_kind"] != "total"]
        if not totals or not units:
            continue
        parts = quantities(ctx, units)
        total = ctx.quantity(totals[0])
        if _any_printed(parts + [total]):
            yield from_outcome(rule, compare_sum(parts, total), f"{title} {totals[0]['item']}「{totals[0]['column_label']}」= Σ单位（{len(parts)} 个）")


@implements("within.three_public")
def three_public(ctx: Context, rule: Rule):
    """“三公”经费 = 因公出国 + 公务接待 + 公务用车购置及运行; 购置及运行 = 购置 + 运行; 合计 incl. 会议费、培训费."""
    title = ctx.title("three_public")
    columns = amount_columns(ctx, "three_public")
    one_row = len({r["row_number"] for r in ctx.rows("three_public")}) == 1
    layouts = [three_public_items(ctx.tidy)] if one_row else [three_public_items(ctx.tidy, c) for c in columns]

    def q(item):
        return ctx.quantity(ctx.cell(*item.cell))

    for items in layouts:
        for total_key, part_keys, what in (
            ("vehicle_total", ("vehicle_purchase", "vehicle_operation"), "公务用车购置及运行费「{label}」= 购置费 + 运行维护费"),
            ("three_public_total", ("outbound", "reception", "vehicle_total"), "{name}「{label}」= 因公出国（境）费 + 公务接待费 + 公务用车购置及运行费"),
            ("table_total", ("three_public_total", "meeting", "training"), "合计「{label}」= “三公”经费 + 会议费 + 培训费"),
        ):
            if total_key not in items or not all(k in items for k in part_keys[:2]):
                continue
            parts = [q(items[k]) for k in part_keys if k in items]
            total = q(items[total_key])
            if not _any_printed(parts + [total]):
                continue
            cell = ctx.cell(*items[total_key].cell)
            name = "合计" if cell["row_kind"] == "total" or cell["column_id"] == "total" else "“三公”经费"
            label = cell["column_label"]
            yield from_outcome(rule, compare_sum(parts, total), f"{title} " + what.format(label=label, name=name))


@implements("within.repeated_content")
def repeated_content(ctx: Context, rule: Rule):
    """One finding per repeat the reader's clean-up dropped (:mod:`budgetkit.repeats`), or one that all is single."""
    from budgetkit.checks.arithmetic import WARNING
    from budgetkit.checks.engine import Finding

    repeats = getattr(ctx.document, "repeats", [])
    if not repeats:
        yield Finding(rule.id, rule.family, OK, "无重复内容：没有重复印刷的页、表行或段落")
        return
    for note in repeats:
        yield Finding(rule.id, rule.family, WARNING, f"文件中有重复内容（已去重，只保留一份）：{note}",
                      location=note.split(": ", 1)[0])
