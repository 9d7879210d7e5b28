"""Rules across tables: the same quantity printed in several tables must agree."""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from budgetkit.checks.arithmetic import ERROR, INFO, OK, ROUNDING, WARNING, Quantity, compare_same, compare_sum, exact
from budgetkit.catalog import fold
from budgetkit.checks.engine import (
    Context,
    Finding,
    Rule,
    evidence_of,
    from_outcome,
    implements,
    not_applicable,
    tables_of,
    where_of,
)
from budgetkit.checks.within_table import project_structure
from budgetkit.semantics import three_public_items

#: Summary income lines and the income-table column each restates.
SUMMARY_INCOME_LINES = [
    ("^本年收入合计$|^收入合计$|^本年收入小计$", "total", "本年收入合计"),
    ("^一般公共预算", "general_public_budget", "一般公共预算"),
    ("^政府性基金", "government_fund", "政府性基金预算"),
    ("^国有资本经营", "state_capital", "国有资本经营预算"),
    ("^财政专户管理资金", "special_account", "财政专户管理资金"),
    ("^单位资金", "unit_funds", "单位资金"),
    ("^上年结转", "carryover", "上年结转"),
]

#: Basic-expenditure lines (economic classification) and the function codes that pay for them.
BASIC_LINES_TO_CODES = [
    ("住房公积金", "^住房公积金$", ("2210201",)),
    # 2080501 (归口管理的)行政单位离退休, 2080502 事业单位离退休, 2080504 未归口管理的行政单位离退休
    # (Jiangsu 2017–2019 books them there); 2080503 离退休人员管理机构 is an agency's running costs.
    ("退休费（离退休费）", "^(?:退休费|离退休费|离休费)$", ("2080501", "2080502", "2080504")),
    ("机关事业单位基本养老保险缴费", "基本养老保险缴费$", ("2080505",)),
    ("职业年金缴费", "^职业年金缴费$", ("2080506",)),
]
#: Lines whose function codes are a convention, not an identity: a difference is reported as info.
AMBIGUOUS_LINES = {"退休费（离退休费）"}


def _row_order(row) -> int:
    return row["row_number"]


def _first(ctx: Context, table_id: str, column_id: str, **criteria) -> Quantity | None:
    rows = ctx.find_rows(table_id, column_id, **criteria)
    return ctx.quantity(min(rows, key=_row_order)) if rows else None


def _has_column(ctx: Context, table_id: str, column_id: str) -> bool:
    return bool(ctx.rows(table_id, column_id))


def _distinct_codes(rows: list) -> list:
    """Rows with a code, the first of each code (as ``frame[frame["code"].notna()].drop_duplicates("code")``)."""
    seen, out = set(), []
    for r in rows:
        code = r["code"]
        if pd.isna(code) or code in seen:
            continue
        seen.add(code)
        out.append(r)
    return out


def _classes(ctx: Context, table_id: str) -> list:
    """The 类 rows of a table's 合计 column, one per code."""
    seen, out = set(), []
    for r in ctx.find_rows(table_id, "total"):
        if r["code_level"] != "类":
            continue
        code = None if pd.isna(r["code"]) else r["code"]
        if code in seen:
            continue
        seen.add(code)
        out.append(r)
    return out


def _printed_any(*qs: Quantity | None) -> bool:
    return any(q is not None and q.text for q in qs)


def _before(ctx: Context, table_id: str, side: str, keys: set[str]) -> int | None:
    numbers = [r["row_number"] for r in ctx.rows(table_id) if r["side"] == side and r["key"] in keys]
    return int(min(numbers)) if numbers else None


def _income_line(ctx: Context, table_id: str, pattern: str) -> Quantity | None:
    """An income line of a two-sided summary table, taken above 本年收入合计 when a pattern could repeat."""
    rows = ctx.find_rows(table_id, "income_amount", side="income", contains=pattern)
    limit = _before(ctx, table_id, "income", {"本年收入合计", "本年收入小计", "收入合计"})
    if limit is not None and re.match(r"\^(一般|政府性|国有|财政专户|单位)", pattern):
        rows = [r for r in rows if r["row_number"] < limit]
    return ctx.quantity(min(rows, key=_row_order)) if rows else None


#: Income that is not a fiscal appropriation: spending it finances appears in the 支出总表 but
#: not in the tables of fiscal appropriations.
_NON_FISCAL_INCOME_RE = "财政专户|事业收入|经营收入|上级补助|附属单位|其他收入|单位资金|非财政拨款|其他资金"
_FISCAL_COLUMNS = {"total", "general_public_budget", "government_fund", "state_capital", "fiscal_appropriation", "carryover"}


def _non_fiscal_funds(ctx: Context) -> bool:
    """True when the department has income other than fiscal appropriations (财政专户, 事业收入,
    其他收入 …, in the income table or on the income side of the 收支总表): its basic and project
    spending then differ legitimately from the fiscal-appropriation tables."""
    if ctx.present("income"):
        for column_id in {r["column_id"] for r in ctx.rows("income")} - _FISCAL_COLUMNS:
            q = ctx.total_row("income", column_id)
            if q is not None and q.value != 0 and not str(column_id).startswith("col"):
                return True
    if ctx.present("summary"):
        for r in ctx.find_rows("summary", "income_amount", side="income", contains=_NON_FISCAL_INCOME_RE):
            if ctx.quantity(r).value != 0:
                return True
    return False


@implements("across.summary_vs_income")
def summary_vs_income(ctx: Context, rule: Rule):
    for pattern, column_id, name in SUMMARY_INCOME_LINES:
        if not _has_column(ctx, "income", column_id):
            continue
        s = _income_line(ctx, "summary", pattern)
        i = ctx.total_row("income", column_id)
        if s is None or i is None or not _printed_any(s, i):
            continue
        what = f"收支总表「{name}」= 收入总表合计行「{i.label.split('「')[-1].rstrip('」')}」"
        if column_id == "total":
            below = _income_outside_current(ctx)
            if below is None:
                continue  # the summary lists a source below 本年收入合计 the income table has no column for
            if below:
                # Some income tables' 合计 counts every source, where the summary's 本年收入合计
                # leaves out what it lists below it (上年结转, 上级补助收入 …); others print those
                # sources beside a 合计 of the current year. The reading that holds is kept.
                parts = [s] + [q for _n, q in below]
                names = " + ".join(n for n, _q in below)
                readings = [
                    (compare_same(s, i), what),
                    (compare_sum(parts, i), f"收支总表「{name}」+ {names} = 收入总表合计行「合计」"),
                ]
                outcome, text = next((r for r in readings if r[0].status in (OK, ROUNDING)), readings[1])
                yield from_outcome(rule, outcome, text)
                continue
        yield from_outcome(rule, compare_same(s, i), what)


def _income_outside_current(ctx: Context) -> list[tuple[str, Quantity]] | None:
    """The income-table totals of the sources the summary lists between 本年收入合计 and 收入总计.

    Returns the (name, income-table 合计-row quantity) of each such source printed with a
    non-zero amount, ``[]`` when there is none, ``None`` when one has no income-table column.
    """
    start = _before(ctx, "summary", "income", {"本年收入合计", "本年收入小计", "收入合计"})
    if start is None:
        return []
    # The grand total: 收入总计, or a 收入合计 printed below 本年收入合计 (泉州).
    ends = [r["row_number"] for r in ctx.find_rows("summary", "income_amount", side="income")
            if r["row_number"] > start and r["key"] in ("收入总计", "收入合计", "收入总额")]
    if not ends:
        return []
    end = min(ends)
    columns = {}
    for r in ctx.rows("income"):
        header = r.get("column_header") if isinstance(r.get("column_header"), str) else ""
        columns.setdefault(r["column_id"], (fold(r["column_label"] or ""), header.split(" / ")))
    out = []
    for r in ctx.find_rows("summary", "income_amount", side="income"):
        if not start < r["row_number"] < end or not ctx.quantity(r).value:
            continue
        key = r["key"]
        key = re.sub(r"(收入|资金)$", "", key)
        match = None
        for column_id, (label, path) in columns.items():
            head = fold(path[0]) if path and path[0] else label
            # 上年结转 → the column 上年结转结余 (or that group's 小计); 上级补助收入 → 上级补助收入.
            if key and head.startswith(key) and (len(path) <= 1 or fold(path[-1]) in ("小计", "合计")):
                match = column_id
                break
        if match is None:
            return None
        q = ctx.total_row("income", match)
        if q is None:
            return None
        out.append((str(r["item"]), q))
    return out


@implements("across.summary_vs_expenditure")
def summary_vs_expenditure(ctx: Context, rule: Rule):
    s_total = _first(ctx, "summary", "expense_total", side="expense", key="本年支出合计")
    e_total = ctx.total_row("expenditure", "total")
    if s_total is not None and e_total is not None:
        yield from_outcome(rule, compare_same(s_total, e_total), "收支总表 本年支出合计 = 支出总表 合计")
    for row in _classes(ctx, "expenditure"):
        name = row["key"]
        e = ctx.quantity(row)
        s = _first(ctx, "summary", "expense_total", side="expense", key=name)
        if s is None:
            if e.value != 0:
                yield Finding(rule.id, rule.family, WARNING, f"支出总表 {row['code']} {name} = {e.text} 万元，收支总表中找不到同名支出功能类",
                              actual=e.text, unit=e.unit or "", tables="expenditure,summary", location=where_of([e]), evidence=e.short())
            continue
        yield from_outcome(rule, compare_same(s, e), f"收支总表「{name}」合计 = 支出总表 {row['code']}「合计」")
        if ctx.present("income"):
            for s_col, i_col, label in (("expense_current_year", "total", "当年预算安排 = 收入总表本年收入"),
                                        ("expense_carryover", "carryover", "上年结转安排 = 收入总表上年结转")):
                s_part = _first(ctx, "summary", s_col, side="expense", key=name)
                i_part = ctx.one("income", i_col, code=row["code"])
                if s_part is None or i_part is None or not _printed_any(s_part, i_part):
                    continue
                yield from_outcome(rule, compare_same(s_part, i_part), f"收支总表「{name}」{label} {row['code']}")


@implements("across.income_vs_expenditure")
def income_vs_expenditure(ctx: Context, rule: Rule):
    inc = _distinct_codes(ctx.find_rows("income", "total"))
    exp = _distinct_codes(ctx.find_rows("expenditure", "total"))
    shared = {r["code"] for r in inc} & {r["code"] for r in exp}
    if not shared or len(shared) < 0.5 * len({r["code"] for r in exp}):
        # Templates that print the income table by unit (部门代码 135 苏州市应急管理局) have no
        # function codes to compare with.
        yield not_applicable(rule, "收入总表未按功能科目列示", rule.tables)
        return
    codes = list(dict.fromkeys([r["code"] for r in exp] + [r["code"] for r in inc]))
    has_carry = _has_column(ctx, "income", "carryover")
    for code in codes:
        parts = []
        i = ctx.one("income", "total", code=code)
        if i is not None:
            parts.append(i)
        if has_carry:
            c = ctx.one("income", "carryover", code=code)
            if c is not None:
                parts.append(c)
        e = ctx.one("expenditure", "total", code=code)
        if e is None:
            e = exact(Decimal(0), parts[0].unit if parts else None, f"支出总表 {code}（未列）")
        if not parts:
            parts = [exact(Decimal(0), e.unit, f"收入总表 {code}（未列）")]
        if not _printed_any(*parts, e):
            continue
        name = ([r["item"] for r in ctx.find_rows("expenditure", "total", code=code)]
                or [r["item"] for r in ctx.find_rows("income", "total", code=code)] or [""])[0]
        yield from_outcome(rule, compare_sum(parts, e), f"{code} {name}：收入总表 本年收入{' + 上年结转' if has_carry else ''} = 支出总表 合计")


def _fiscal_carry_general(ctx: Context) -> Quantity | None:
    """The 一般公共预算 line under 上年财政拨款结转 in the fiscal summary."""
    start = _before(ctx, "fiscal_summary", "income", {"上年财政拨款结转", "上年结转", "上年结转结余", "上年财政拨款结转结余", "上年财政拨款结转和结余"})
    if start is None:
        return None
    rows = [r for r in ctx.find_rows("fiscal_summary", "income_amount", side="income", contains="^一般公共预算") if r["row_number"] > start]
    return ctx.quantity(rows[0]) if rows else None


def _best(outcomes):
    return next((o for o in outcomes if o[0].status in (OK, ROUNDING)), outcomes[0])


@implements("across.fiscal_vs_tables")
def fiscal_vs_tables(ctx: Context, rule: Rule):
    f_general = _income_line(ctx, "fiscal_summary", "^一般公共预算")
    g_total = ctx.total_row("general_expenditure", "total") if ctx.printed("general_expenditure") else None
    if f_general is not None and g_total is not None:
        # Templates whose 一般公共预算支出表 also spends last year's carried-over appropriation
        # (杭州): this year's appropriation + that carry-over = the table's 合计.
        carry_general = _fiscal_carry_general(ctx)
        outcomes = [(compare_same(f_general, g_total), "财政拨款收支总表 本年收入「一般公共预算」= 一般公共预算支出表 合计")]
        if carry_general is not None and carry_general.value:
            outcomes.append((compare_sum([f_general, carry_general], g_total),
                             "财政拨款收支总表 本年收入「一般公共预算」+ 上年结转一般公共预算 = 一般公共预算支出表 合计"))
        outcome, label = _best(outcomes)
        yield from_outcome(rule, outcome, label)
    f_fund = _income_line(ctx, "fiscal_summary", "^政府性基金")
    if f_fund is not None and ctx.present("fund_expenditure"):
        fund_total = ctx.total_row("fund_expenditure", "total") if ctx.printed("fund_expenditure") else None
        if fund_total is None and ctx.printed("fund_expenditure"):
            fund_total = None  # the table prints amounts but no 合计 column we can name: nothing to compare
        elif fund_total is None:
            fund_total = exact(Decimal(0), f_fund.unit, "政府性基金预算支出表（无数据）")
        if fund_total is not None and _printed_any(f_fund, fund_total):
            yield from_outcome(rule, compare_same(f_fund, fund_total), "财政拨款收支总表 本年收入「政府性基金预算」= 政府性基金预算支出表 合计")
    carry_general = _fiscal_carry_general(ctx)
    f_exp = _first(ctx, "fiscal_summary", "expense_general_public_budget", side="expense", key="本年支出合计")
    if f_exp is not None and g_total is not None:
        outcomes = [(compare_sum([g_total], f_exp), "一般公共预算支出表 合计")]
        if carry_general is not None and carry_general.value:
            outcomes.insert(0, (compare_sum([g_total, carry_general], f_exp), "一般公共预算支出表 合计 + 上年结转一般公共预算"))
        outcome, label = _best(outcomes)
        yield from_outcome(rule, outcome, f"财政拨款收支总表 本年支出合计「一般公共预算」= {label}")
    if g_total is not None:
        for row in _classes(ctx, "general_expenditure"):
            f = _first(ctx, "fiscal_summary", "expense_general_public_budget", side="expense", key=row["key"])
            if f is None:
                continue
            g = ctx.quantity(row)
            outcomes = [(compare_sum([g], f), "一般公共预算支出表")]
            carry = ctx.one("income", "carryover", code=row["code"]) if ctx.present("income") else None
            if carry is not None and carry.value:
                outcomes.insert(0, (compare_sum([g, carry], f), "一般公共预算支出表 + 收入总表上年结转"))
            outcome, label = _best(outcomes)
            yield from_outcome(rule, outcome, f"财政拨款收支总表「{row['key']}」一般公共预算 = {label} {row['code']}")
    f_carry = _income_line(ctx, "fiscal_summary", "^上年财政拨款结转|^上年结转")
    s_carry = _income_line(ctx, "summary", "^上年结转") if ctx.printed("summary") else None
    if f_carry is not None and s_carry is not None and _printed_any(f_carry, s_carry):
        yield from_outcome(rule, compare_same(s_carry, f_carry), "财政拨款收支总表 上年财政拨款结转 = 收支总表 上年结转",
                           fail_status=WARNING, note_fail="收支总表的上年结转也可含非财政拨款结转")


@implements("across.general_vs_expenditure")
def general_vs_expenditure(ctx: Context, rule: Rule):
    e_basic = ctx.total_row("expenditure", "basic")
    g_basic = ctx.total_row("general_expenditure", "basic")
    fund_basic = ctx.total_row("fund_expenditure", "basic") if ctx.printed("fund_expenditure") else None
    soft = WARNING if _non_fiscal_funds(ctx) else None
    if e_basic is not None and g_basic is not None:
        parts = [g_basic] + ([fund_basic] if fund_basic is not None else [])
        yield from_outcome(rule, compare_sum(parts, e_basic), "支出总表 基本支出 = 一般公共预算支出表 基本支出" + (" + 政府性基金基本支出" if fund_basic else ""),
                           fail_status=soft)
    e_proj = ctx.total_row("expenditure", "project")
    g_proj = ctx.total_row("general_expenditure", "project")
    carry = _income_line(ctx, "summary", "^上年结转") if ctx.printed("summary") else None
    if carry is None and ctx.present("income"):
        carry = ctx.total_row("income", "carryover")
    if e_proj is not None and g_proj is not None:
        parts = [g_proj] + ([carry] if carry is not None else [])
        fund_proj = ctx.total_row("fund_expenditure", "project") if ctx.printed("fund_expenditure") else None
        if fund_proj is not None:
            parts.insert(1, fund_proj)
        yield from_outcome(rule, compare_sum(parts, e_proj),
                           "支出总表 项目支出 = 一般公共预算支出表 项目支出（不含上年结转）" + (" + 政府性基金项目支出" if fund_proj else "") + (" + 上年结转" if carry is not None else ""),
                           fail_status=soft)


@implements("across.basic_total")
def basic_total(ctx: Context, rule: Rule):
    g = ctx.total_row("general_expenditure", "basic")
    b = ctx.total_row("general_basic_economic", "total")
    if g is not None and b is not None:
        yield from_outcome(rule, compare_same(g, b), "一般公共预算支出表 基本支出 = 基本支出经济分类表 合计")


def project_head(ctx: Context, table_id: str, column_id: str) -> list[Quantity]:
    """The project table's total as quantities: its head/total row, else the unit rows, else the lines."""
    structure = project_structure(ctx, table_id)
    rows = ctx.find_rows(table_id, column_id)
    if not rows:
        return []
    cells = {r["row_number"]: r for r in rows}  # row numbers are unique within a column

    def q(rn):
        return ctx.quantity(cells[rn])

    if structure is not None:
        head, groups = structure
        if head is not None:
            return [q(head)]
        if groups and all(u is not None for u, _ in groups):
            return [q(u) for u, _ in groups]
        return [q(m) for _, ms in groups for m in ms]
    totals = [r for r in rows if r["row_kind"] == "total"]
    if totals:
        return [ctx.quantity(totals[0])]
    return [ctx.quantity(r) for r in rows]


@implements("across.project_current_total")
def project_current_total(ctx: Context, rule: Rule):
    g = ctx.total_row("general_expenditure", "project")
    parts = project_head(ctx, "project_current", "general_public_budget") or project_head(ctx, "project_current", "total")
    if g is not None and parts:
        yield from_outcome(rule, compare_sum(parts, g), "项目支出表（本年）一般公共预算合计 = 一般公共预算支出表 项目支出")
    if ctx.printed("fund_expenditure"):
        fund = ctx.total_row("fund_expenditure", "project")
        fparts = project_head(ctx, "project_current", "government_fund")
        if fund is not None and fparts:
            yield from_outcome(rule, compare_sum(fparts, fund), "项目支出表（本年）政府性基金合计 = 政府性基金预算支出表 项目支出")


@implements("across.carryover_projects")
def carryover_projects(ctx: Context, rule: Rule):
    if not ctx.present("project_carryover"):
        yield not_applicable(rule, "未印项目支出预算表（上年结转）", ["project_carryover"])
        return
    carry = _income_line(ctx, "summary", "^上年结转") if ctx.printed("summary") else None
    if carry is None and ctx.printed("income"):
        carry = ctx.total_row("income", "carryover")
    if carry is None:
        yield not_applicable(rule, "收支总表/收入总表未印上年结转", ["summary", "income"])
        return
    e_proj = ctx.total_row("expenditure", "project") if ctx.printed("expenditure") else None
    g_proj = ctx.total_row("general_expenditure", "project") if ctx.printed("general_expenditure") else None
    context = ""
    if e_proj is not None and g_proj is not None:
        context = f"（支出总表项目支出 {e_proj.text} − 一般公共预算支出表项目支出 {g_proj.text} = {e_proj.value - g_proj.value}，即结转安排的项目支出）"
    table = ctx.table("project_carryover")
    title = ctx.title("project_carryover")
    if not ctx.printed("project_carryover"):
        status = ERROR if carry.value != 0 else OK
        note = "；".join(table.notes) if table.notes else "无数据行"
        message = (f"上年结转 {carry.text} {carry.unit} 安排了支出{context}，但{title}未列任何项目（{note}）"
                   if status == ERROR else f"无上年结转，{title}为空：相符")
        loc = where_of([carry]) + f" | {table.location} ({title})"
        yield Finding(rule.id, rule.family, status, message, carry.text or "0", "0", str(-carry.value), "0", carry.unit or "",
                      tables_of([carry], ["project_carryover"]), loc, evidence_of([carry]) + f"; {title}: {note}")
        return
    parts = project_head(ctx, "project_carryover", "total")
    yield from_outcome(rule, compare_sum(parts, carry), f"{title} 合计 = 上年结转{context}")


@implements("across.basic_lines_vs_codes")
def basic_lines_vs_codes(ctx: Context, rule: Rule):
    column = "basic" if _has_column(ctx, "general_expenditure", "basic") else "total"
    for name, pattern, codes in BASIC_LINES_TO_CODES:
        lines = [r for r in ctx.find_rows("general_basic_economic", "total", contains=pattern) if r["row_kind"] != "total"]
        code_qs = [q for q in (ctx.one("general_expenditure", column, code=c) for c in codes) if q is not None]
        line_qs = [ctx.quantity(r) for r in lines]
        if not line_qs and not code_qs:
            continue
        if not line_qs:
            line_qs = [exact(Decimal(0), code_qs[0].unit, f"经济分类表无「{name}」行")]
        if not code_qs:
            code_qs = [exact(Decimal(0), line_qs[0].unit, f"一般公共预算支出表无 {'/'.join(codes)}")]
        if not _printed_any(*line_qs, *code_qs):
            continue
        total_codes = code_qs[0] if len(code_qs) == 1 else None
        if total_codes is not None:
            outcome = compare_sum(line_qs, total_codes)
        else:
            outcome = compare_sum(line_qs + code_qs, exact(Decimal(0), line_qs[0].unit), signs=[1] * len(line_qs) + [-1] * len(code_qs))
        printed_codes = "+".join(c for c in codes if ctx.one("general_expenditure", column, code=c) is not None) or "/".join(codes)
        what = f"基本支出经济分类「{name}」（{len(line_qs)} 行）= 功能科目 {printed_codes}"
        if name in AMBIGUOUS_LINES and outcome.status == ERROR:
            # Economic and function classifications are orthogonal: a 离退休 function code also pays
            # 生活补助, 医疗费, retirees' running costs …, and a department may book (part of) its
            # 离退休费 under 行政运行 etc. A difference is a coding choice, not an inconsistency.
            more = ("功能科目多出的部分是离退休人员的其他经济科目支出（生活补助、医疗费、公用经费等）"
                    if outcome.difference_yuan > 0 else
                    "经济分类离退休费多出的部分记在其他功能科目（如 2010101 行政运行）下")
            yield from_outcome(rule, outcome, what, fail_status=INFO,
                               note_fail=f"经济科目与功能科目口径不同，不能据此判定不一致：{more}（仅供参考）")
            continue
        yield from_outcome(rule, outcome, what, note_fail="功能科目也可含其他经济科目的支出，请人工核对")


@implements("across.admin_operation_vs_public")
def admin_operation_vs_public(ctx: Context, rule: Rule):
    a = ctx.total_row("admin_operation", "total")
    p = ctx.total_row("general_basic_economic", "public")
    if a is None or p is None:
        return
    yield from_outcome(rule, compare_same(p, a), "机关运行经费 部门合计 = 基本支出 公用经费合计",
                       note_ok="符合机关运行经费的定义（行政单位的公用经费）",
                       note_fail="机关运行经费只含行政单位（及参公事业单位）的公用经费；含其他事业单位时可不同")


@implements("across.three_public_vehicle_vs_basic")
def three_public_vehicle_vs_basic(ctx: Context, rule: Rule):
    vehicle = three_public_items(ctx.tidy).get("vehicle_operation")
    b = ctx.find_rows("general_basic_economic", "total", contains="^公务用车运行(?:维护)?费$")
    if vehicle is None or not b:
        return
    tq = ctx.quantity(ctx.cell(*vehicle.cell))
    bqs = [ctx.quantity(r) for r in b]
    outcome = compare_sum(bqs, tq)
    gap = outcome.difference_yuan
    if gap >= -outcome.tolerance_yuan:
        status = OK
        message = (f"“三公”公务用车运行维护费 {tq.text} ≥ 基本支出 公务用车运行维护费 {'+'.join(q.text for q in bqs)}：相符"
                   + (f"（其余 {outcome.difference} {outcome.unit} 应在项目支出中）" if gap > 0 else ""))
    else:
        status = rule.on_fail
        message = f"“三公”公务用车运行维护费 {tq.text} 小于基本支出中的同一科目 {'+'.join(q.text for q in bqs)}：“三公”统计含全部财政拨款，不应更小"
    yield Finding(rule.id, rule.family, status, message, outcome.expected, outcome.actual, outcome.difference, outcome.tolerance,
                  outcome.unit, tables_of(outcome.quantities), where_of(outcome.quantities), evidence_of(outcome.quantities))


carryover_projects.handles_absent = True
