"""Rules for 部门决算 (final accounts): identities inside and across their tables, and their
narrative's 决算 sentences.

The rules are data in :data:`budgetkit.checks.catalog.FINAL_RULES`; each needs 决算 tables
(``final_*``), so a budget is never held to them (and the budget rules, which need budget
tables, do not apply to a 决算). What the rows and sentences mean comes from
:mod:`budgetkit.final`. The rounding rule and the honesty rule are the engine's: a sum of n
printed parts may miss its printed total by (n + 1) / 2 steps (``rounding``), an identity failing
on most of its rows is ``unreadable`` (a misread layout, not the publisher's error), and a
comparison on a table not read in full is never an ``error``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetkit.amounts import UNIT_TO_YUAN
from budgetkit.catalog import base_table_id, fold
from budgetkit.checks.arithmetic import (
    ERROR,
    NOT_LINKED,
    OK,
    ROUNDING,
    UNREADABLE,
    WARNING,
    Outcome,
    Quantity,
    classify,
    compare_ratio,
    compare_same,
    compare_sum,
    display_unit,
)
from budgetkit.checks.engine import (
    SYSTEMATIC_MIN,
    SYSTEMATIC_SHARE,
    Context,
    Finding,
    Rule,
    from_outcome,
    from_ratio,
    implements,
    not_applicable,
    where_of,
)
from budgetkit.checks.within_table import _emit
from budgetkit.kinds import FINAL
from budgetkit.final import (
    OF_WHICH_RE,
    basic_groups,
    class_name,
    code_in_subject,
    code_path,
    execution_statements,
    fiscal_year_of,
    item_key,
    summary_layout,
    summary_role,
    three_public_cells,
    three_public_item,
)

SUMMARY_TABLES = ("final_summary", "final_fiscal_summary")


def _by_number(rows: list) -> dict[int, dict]:
    out: dict[int, dict] = {}
    for r in rows:
        out.setdefault(int(r["row_number"]), r)
    return out


def _columns(ctx: Context, table_id: str, side: str | None = None) -> list[str]:
    rows = ctx.rows(table_id)
    if side is not None:
        rows = [r for r in rows if r["side"] == side]
    return list(dict.fromkeys(r["column_id"] for r in rows))


def _printed(qs: list[Quantity]) -> bool:
    return any(q.text for q in qs)


def _label(ctx: Context, table_id: str, row: dict) -> str:
    return f"{ctx.title(table_id)} {row['item'] or row['code'] or ''}「{row['column_label']}」"


# --------------------------------------------------------------------------- within tables


@implements("within.final_summary_balance")
def final_summary_balance(ctx: Context, rule: Rule):
    """收入：本年收入合计 = Σ收入项；总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余.
    支出：本年支出合计 = Σ功能类；总计 = 本年支出合计 + 结余分配 + 年末结转和结余. 收入总计 = 支出总计.
    年初财政拨款结转和结余 = Σ其下各项（一般公共预算 / 政府性基金 / 国有资本经营）."""
    for table_id in SUMMARY_TABLES:
        if not ctx.printed(table_id):
            continue
        title = ctx.title(table_id)
        grand: dict[str, Quantity] = {}
        results = []
        for side in ("income", "expense"):
            layout = summary_layout(ctx.rows(table_id), side)
            for column_id in _columns(ctx, table_id, side):
                col = _by_number([r for r in ctx.rows(table_id, column_id) if r["side"] == side])
                label = next(iter(col.values()))["column_label"]
                side_word = "收入" if side == "income" else "支出"
                current = col.get(layout.current) if layout.current is not None else None
                if current is not None and layout.lines:
                    parts = [ctx.quantity(col[n]) for n in layout.lines if n in col]
                    total = ctx.quantity(current)
                    if total.text and _printed(parts + [total]):
                        results.append((compare_sum(parts, total), f"{title} {current['item']}「{label}」= Σ{side_word}各项（{len(parts)} 行）"))
                for top, subs in layout.between:
                    if top in col and subs:
                        parts = [ctx.quantity(col[n]) for n in subs if n in col]
                        total = ctx.quantity(col[top])
                        if _printed(parts + [total]):
                            results.append((compare_sum(parts, total), f"{title} {col[top]['item']}「{label}」= Σ其下各项（{len(parts)} 行）"))
                if current is not None and layout.grand_total in col:
                    parts = [ctx.quantity(current)] + [ctx.quantity(col[top]) for top, _ in layout.between if top in col]
                    total = ctx.quantity(col[layout.grand_total])
                    if total.text and _printed(parts):
                        names = " + ".join(str(col[top]["item"]) for top, _ in layout.between if top in col)
                        results.append((compare_sum(parts, total),
                                        f"{title} {side_word}{col[layout.grand_total]['item']}「{label}」= {current['item']}" + (f" + {names}" if names else "")))
                        if column_id in ("income_amount", "expense_amount", "expense_total"):
                            grand[side] = total
        if "income" in grand and "expense" in grand:
            results.append((compare_same(grand["income"], grand["expense"]), f"{title} 收入总计 = 支出总计"))
        yield from _emit(rule, results, "行的含义可能与决算总表的样式不同")


@implements("within.final_fund_balance")
def final_fund_balance(ctx: Context, rule: Rule):
    """年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余, each line of the 政府性基金 / 国有资本经营 table."""
    for table_id in ("final_fund", "final_state_capital"):
        if not ctx.printed(table_id):
            continue
        needed = ("carryover_start", "income", "total", "carryover_end")
        cols = {c: _by_number(ctx.rows(table_id, c)) for c in needed}
        if any(not cols[c] for c in needed):
            yield not_applicable(rule, f"{ctx.title(table_id)} 未印年初结转、本年收入、本年支出、年末结转四列", [table_id])
            continue
        results = []
        for number, end_row in cols["carryover_end"].items():
            if not all(number in cols[c] for c in needed):
                continue
            parts = [ctx.quantity(cols["carryover_start"][number]), ctx.quantity(cols["income"][number]), ctx.quantity(cols["total"][number])]
            end = ctx.quantity(end_row)
            if not _printed(parts + [end]):
                continue
            key = end_row["code"] or end_row["item"] or f"row {number}"
            results.append((compare_sum(parts, end, signs=[1, 1, -1]),
                            f"{ctx.title(table_id)} {key}：年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余"))
        yield from _emit(rule, results, "列的含义可能与模板不同")


@implements("within.final_basic_groups")
def final_basic_groups(ctx: Context, rule: Rule):
    """基本支出决算表：人员经费合计 = Σ人员经费各类；公用经费合计 = Σ公用经费各类."""
    rows = ctx.rows("final_general_basic", "final_actual")
    groups = basic_groups(rows)
    col = _by_number(rows)
    title = ctx.title("final_general_basic")
    results = []
    for name, classes, total in (("人员经费合计", groups.personnel_classes, groups.personnel_total),
                                 ("公用经费合计", groups.public_classes, groups.public_total)):
        if total is None or not classes:
            continue
        parts = [ctx.quantity(col[n]) for n in classes]
        total_q = ctx.quantity(col[total])
        if _printed(parts + [total_q]):
            codes = "+".join(str(col[n]["code"]) for n in classes)
            results.append((compare_sum(parts, total_q), f"{title} {name} = Σ类（{codes}）"))
    if not results:
        yield not_applicable(rule, "基本支出决算表没有人员经费合计 / 公用经费合计行", ["final_general_basic"])
        return
    yield from _emit(rule, results, "栏可能未正确拆开")


#: A “三公” table's sums: (total item, part items).
THREE_PUBLIC_SUMS = (
    ("three_public_total", ("outbound", "vehicle_total", "reception")),
    ("vehicle_total", ("vehicle_purchase", "vehicle_operation")),
)
_MEASURE_WORD = {"budget": "预算数", "final": "决算数"}


@implements("within.final_three_public")
def final_three_public(ctx: Context, rule: Rule):
    """“三公”（预算数与决算数各自）：合计 = 因公出国（境）+ 公务用车购置及运行维护 + 公务接待；车 = 购置 + 运行维护."""
    cells = three_public_cells(ctx.rows("final_three_public"))
    title = ctx.title("final_three_public")
    results = []
    for measure in ("budget", "final"):
        for total_item, part_items in THREE_PUBLIC_SUMS:
            if (measure, total_item) not in cells or not all((measure, p) in cells for p in part_items):
                continue
            parts = [ctx.quantity(cells[(measure, p)]) for p in part_items]
            total = ctx.quantity(cells[(measure, total_item)])
            if not _printed(parts + [total]):
                continue
            names = " + ".join(str(cells[(measure, p)]["column_label"]).split("：")[-1] for p in part_items)
            results.append((compare_sum(parts, total),
                            f"{title} {_MEASURE_WORD[measure]}：{str(cells[(measure, total_item)]['column_label']).split('：')[-1]} = {names}"))
    if not results:
        yield not_applicable(rule, "“三公”表的预算数 / 决算数各项未能定位", ["final_three_public"])
        return
    yield from _emit(rule, results, "列的含义可能与模板不同")


# --------------------------------------------------------------------------- across tables

#: Income lines of the 收入支出决算总表 and the 收入决算表 column each restates.
INCOME_SOURCES: tuple[tuple[str, str, str], ...] = (
    ("财政拨款收入", r"^财政拨款收入$", "fiscal_appropriation"),
    ("上级补助收入", r"^上级补助收入$", "superior_subsidy"),
    ("事业收入", r"^事业收入$", "business_income"),
    ("经营收入", r"^经营收入$", "operating_income"),
    ("附属单位上缴收入", r"^附属单位上缴收入$", "affiliated_income"),
    ("其他收入", r"^其他收入$", "other_income"),
)
_FISCAL_LINE_RE = r"^(?:一般公共预算|政府性基金预算|国有资本经营预算)财政拨款(?:收入)?$"


def _table_total(ctx: Context, table_id: str, column_id: str) -> tuple[list[Quantity], str] | None:
    """A code table's total in one column: its 合计 row, else the sum of its 类 rows (parts)."""
    rows = ctx.rows(table_id, column_id)
    totals = [r for r in rows if r["row_kind"] == "total"]
    if totals:
        return [ctx.quantity(totals[0])], f"{ctx.title(table_id)} 合计「{totals[0]['column_label']}」"
    classes = []
    seen = set()
    for r in rows:
        if r["code_level"] == "类" and r["code"] not in seen:
            seen.add(r["code"])
            classes.append(r)
    if not classes:
        return None
    return [ctx.quantity(r) for r in classes], f"{ctx.title(table_id)} Σ类「{classes[0]['column_label']}」（表未印合计行）"


def compare_sums(left: list[Quantity], right: list[Quantity]) -> Outcome:
    """Σ ``left`` against Σ ``right``, both printed: expected = Σ left, actual = Σ right, tolerance
    = the half steps of every number (the rounding rule for two printed sums of one quantity)."""
    expected = sum((q.yuan for q in left), Decimal(0))
    actual = sum((q.yuan for q in right), Decimal(0))
    tolerance = sum((q.half_step_yuan for q in left + right), Decimal(0))
    return Outcome(classify(actual - expected, tolerance), expected, actual, tolerance, display_unit(left + right), left + right)


def _summary_rows(ctx: Context, table_id: str, side: str, column_id: str) -> list[dict]:
    layout = summary_layout(ctx.rows(table_id), side)
    col = _by_number([r for r in ctx.rows(table_id, column_id) if r["side"] == side])
    return [col[n] for n in layout.lines if n in col], (col.get(layout.current) if layout.current is not None else None), layout, col


@implements("across.final_summary_vs_income")
def final_summary_vs_income(ctx: Context, rule: Rule):
    lines, current, _, col = _summary_rows(ctx, "final_summary", "income", "income_amount")
    if current is not None:
        total = _table_total(ctx, "final_income", "total")
        if total is not None:
            parts, label = total
            yield from_outcome(rule, compare_sums(parts, [ctx.quantity(current)]), f"收入支出决算总表 本年收入合计 = {label}")
    keyed = [(item_key(r["item"]), r) for r in lines]
    for name, pattern, column_id in INCOME_SOURCES:
        if not ctx.rows("final_income", column_id):
            continue
        held = [r for k, r in keyed if re.search(pattern, k)]
        if not held and column_id == "fiscal_appropriation":
            held = [r for k, r in keyed if re.search(_FISCAL_LINE_RE, k)]
        if not held:
            continue
        total = _table_total(ctx, "final_income", column_id)
        if total is None:
            continue
        parts, label = total
        summary = [ctx.quantity(r) for r in held]
        if not _printed(parts + summary):
            continue
        # 一般公共预算 + 政府性基金 + 国有资本经营 财政拨款收入 (several summary lines) against the
        # income table's 财政拨款收入 (its 合计 row, or its 类 rows)
        yield from_outcome(rule, compare_sums(parts, summary), f"收入支出决算总表 {name} = {label}")


@implements("across.final_summary_vs_expenditure")
def final_summary_vs_expenditure(ctx: Context, rule: Rule):
    lines, current, _, _ = _summary_rows(ctx, "final_summary", "expense", "expense_amount")
    if current is not None:
        total = _table_total(ctx, "final_expenditure", "total")
        if total is not None:
            parts, label = total
            yield from_outcome(rule, compare_sums(parts, [ctx.quantity(current)]), f"收入支出决算总表 本年支出合计 = {label}")
    yield from _classes_against(ctx, rule, lines, "final_expenditure", "total", "收入支出决算总表")


def _classes_against(ctx: Context, rule: Rule, lines: list[dict], table_id: str, column_id: str, source: str):
    """Each function class of a summary's expense side against the class row of a code table."""
    classes: dict[str, dict] = {}
    for r in ctx.rows(table_id, column_id):
        if r["code_level"] == "类":
            classes.setdefault(class_name(r["item"]), r)
    for line in lines:
        name = class_name(line["item"])
        held = ctx.quantity(line)
        row = classes.get(name)
        if row is None:
            if held.text and held.value != 0:
                yield Finding(rule.id, rule.family, NOT_LINKED, f"未关联（{ctx.title(table_id)} 没有「{name}」类行）：{source}「{name}」{held.text}",
                              actual=held.text, unit=held.unit or "", tables=f"{line['table_id']},{table_id}", location=where_of([held]))
            continue
        cell = ctx.quantity(row)
        if not _printed([cell, held]):
            continue
        yield from_outcome(rule, compare_same(cell, held), f"{source}「{name}」= {ctx.title(table_id)} {row['code']} {row['item']}「{row['column_label']}」")


@implements("across.final_fiscal_vs_general")
def final_fiscal_vs_general(ctx: Context, rule: Rule):
    lines, current, _, _ = _summary_rows(ctx, "final_fiscal_summary", "expense", "expense_general_public_budget")
    if current is not None:
        total = _table_total(ctx, "final_general_expenditure", "total")
        if total is not None:
            parts, label = total
            yield from_outcome(rule, compare_sums(parts, [ctx.quantity(current)]), f"财政拨款收入支出决算总表 本年支出合计「一般公共预算财政拨款」= {label}")
    yield from _classes_against(ctx, rule, lines, "final_general_expenditure", "total", "财政拨款收入支出决算总表「一般公共预算财政拨款」")
    if ctx.printed("final_summary"):
        fiscal_lines, _, _, _ = _summary_rows(ctx, "final_fiscal_summary", "income", "income_amount")
        summary_lines, _, _, _ = _summary_rows(ctx, "final_summary", "income", "income_amount")
        for pattern, name in ((r"^一般公共预算财政拨款(?:收入)?$", "一般公共预算财政拨款收入"), (r"^政府性基金预算财政拨款(?:收入)?$", "政府性基金预算财政拨款收入"),
                              (r"^国有资本经营预算财政拨款(?:收入)?$", "国有资本经营预算财政拨款收入")):
            a = [r for r in fiscal_lines if re.search(pattern, item_key(r["item"]))]
            b = [r for r in summary_lines if re.search(pattern, item_key(r["item"]))]
            if len(a) == 1 and len(b) == 1 and _printed([ctx.quantity(a[0]), ctx.quantity(b[0])]):
                yield from_outcome(rule, compare_same(ctx.quantity(b[0]), ctx.quantity(a[0])), f"财政拨款收入支出决算总表 {name} = 收入支出决算总表 {name}")


@implements("across.final_fiscal_vs_fund")
def final_fiscal_vs_fund(ctx: Context, rule: Rule):
    """财政拨款收支总表「政府性基金预算财政拨款」= 政府性基金决算表 合计（本年收入、本年支出、年初/年末结转和结余）."""
    income_lines, _, layout, income_col = _summary_rows(ctx, "final_fiscal_summary", "income", "income_amount")
    pairs = []
    line = [r for r in income_lines if re.search(r"^政府性基金预算财政拨款(?:收入)?$", item_key(r["item"]))]
    if len(line) == 1:
        pairs.append((ctx.quantity(line[0]), "income", "财政拨款收入支出决算总表 政府性基金预算财政拨款（收入）"))
    for _top, subs in layout.between:
        for n in subs:
            if n in income_col and re.search(r"^政府性基金", item_key(income_col[n]["item"])):
                pairs.append((ctx.quantity(income_col[n]), "carryover_start", "财政拨款收入支出决算总表 年初结转和结余：政府性基金预算财政拨款"))
    _, current, exp_layout, exp_col = _summary_rows(ctx, "final_fiscal_summary", "expense", "expense_government_fund")
    if current is not None:
        pairs.append((ctx.quantity(current), "total", "财政拨款收入支出决算总表 本年支出合计「政府性基金预算财政拨款」"))
    for top, _subs in exp_layout.between:
        if top in exp_col and re.search(r"^年末", item_key(exp_col[top]["item"])):
            pairs.append((ctx.quantity(exp_col[top]), "carryover_end", "财政拨款收入支出决算总表 年末结转和结余「政府性基金预算财政拨款」"))
    for held, column_id, what in pairs:
        total = _table_total(ctx, "final_fund", column_id)
        if total is None:
            continue
        parts, label = total
        if not _printed(parts + [held]):
            continue
        yield from_outcome(rule, compare_sums(parts, [held]), f"{what} = {label}")


@implements("across.final_general_vs_basic")
def final_general_vs_basic(ctx: Context, rule: Rule):
    """一般公共预算财政拨款支出决算表 合计「基本支出」= 基本支出决算表 人员经费合计 + 公用经费合计."""
    rows = ctx.rows("final_general_basic", "final_actual")
    groups = basic_groups(rows)
    col = _by_number(rows)
    if groups.personnel_total is None or groups.public_total is None:
        yield not_applicable(rule, "基本支出决算表没有人员经费合计 / 公用经费合计行", ["final_general_basic"])
        return
    total = _table_total(ctx, "final_general_expenditure", "basic")
    if total is None:
        return
    parts, label = total
    held = [ctx.quantity(col[groups.personnel_total]), ctx.quantity(col[groups.public_total])]
    yield from_outcome(rule, compare_sums(held, parts), f"{label} = 基本支出决算表 人员经费合计 + 公用经费合计")


# --------------------------------------------------------------------------- narrative

MONEY = tuple(UNIT_TO_YUAN)


def _stated(fig, label: str) -> Quantity:
    where = f"{fig.location.file} p.{fig.location.page}; 情况说明 row {label[:20]}" if fig.location.page else f"{fig.location.file} line {fig.location.line}; 情况说明 row {label[:20]}"
    return Quantity(fig.value, fig.unit, fig.text, f"情况说明「{label}」", where, None)


def statements_of(ctx: Context):
    if "final_statements" not in ctx._cache:
        year = fiscal_year_of(ctx.document.metadata, [t.title for t in ctx.document.tables.values()]
                              + [line.text for line in ctx.document.narrative[:10]])
        ctx._cache["final_statements"] = execution_statements(ctx.document.narrative, year)
    return ctx._cache["final_statements"]


def _function_row(ctx: Context, subject: str) -> tuple[dict | None, str]:
    """The 项 row (or coded row) of the 决算 function table a subject names, with the table id."""
    code = code_in_subject(subject)
    path = code_path(subject)
    for table_id in ("final_general_expenditure", "final_fiscal_expenditure"):
        if not ctx.printed(table_id):
            continue
        rows = ctx.rows(table_id, "total")
        if code:
            found = [r for r in rows if r["code"] == code]
            if len(found) == 1:
                return found[0], table_id
            continue
        if len(path) >= 2:
            names = {r["code"]: class_name(r["item"]) for r in rows if isinstance(r["code"], str)}
            leaf = class_name(path[-1])
            parent = class_name(path[-2])
            found = [r for r in rows if r["code_level"] == "项" and class_name(r["item"]) == leaf
                     and names.get(r["parent_code"]) == parent]
            if len(found) == 1:
                return found[0], table_id
    return None, ""


def _figure_claims(ctx: Context, *figures) -> list:
    """The narrative's claims (:mod:`budgetkit.narrative`) that state these figures (same line, same
    number and unit): a finding on a figure checks its claim (narrative coverage)."""
    from budgetkit.checks.narrative_rules import claims_of

    out = []
    for fig in figures:
        if fig is None:
            continue
        unit = "%" if fig.unit in ("%", "％", "") else fig.unit
        out += [c for c in claims_of(ctx) if c.location == fig.location and abs(c.value) == abs(fig.value)
                and (c.unit in ("%", "％") if unit == "%" else c.unit == unit)]
    return out


def _about(ctx: Context, finding: Finding, *figures) -> Finding:
    from budgetkit.checks.narrative_rules import about

    return about(finding, *_figure_claims(ctx, *figures))


_OVERALL_FISCAL_RE = re.compile(r"(?:一般公共预算)?财政拨款支出$")


def _statement_cells(ctx: Context, statement) -> tuple[dict | None, dict | None, str]:
    """The table cells (actual, budget) a statement's subject names, and what they are."""
    subject = statement.subject
    if ctx.printed("final_three_public") and ("三公" in subject or three_public_item(subject) in ("outbound", "vehicle_total", "vehicle_purchase",
                                                                                                "vehicle_operation", "reception", "meeting", "training")):
        item = three_public_item(subject)
        cells = three_public_cells(ctx.rows("final_three_public"))
        if item is not None and ("final", item) in cells:
            return cells[("final", item)], cells.get(("budget", item)), "“三公”经费支出决算表"
        return None, None, ""
    row, table_id = _function_row(ctx, subject)
    if row is not None:
        budget = next((r for r in ctx.rows(table_id, "budget_initial") if r["row_number"] == row["row_number"]), None)
        return row, budget, ctx.title(table_id)
    core = re.sub(r"^.*?(?:\d{4}年度?|本年度?)", "", fold(subject))
    if _OVERALL_FISCAL_RE.search(core) and not re.search(r"基本|项目|三公|机关运行", core):
        for table_id in ("final_general_expenditure", "final_fiscal_expenditure"):
            if ctx.printed(table_id):
                total = [r for r in ctx.rows(table_id, "total") if r["row_kind"] == "total"]
                if total:
                    budget = next((r for r in ctx.rows(table_id, "budget_initial") if r["row_kind"] == "total"), None)
                    return total[0], budget, ctx.title(table_id)
    return None, None, ""


@implements("narrative.final_execution")
def final_execution(ctx: Context, rule: Rule):
    """情况说明的决算句：完成预算的 Z% = 决算 / 预算；“决算数大于/小于/持平预算数”与两数相符；
    决算数较预算数增减额 = 决算 − 预算；决算、预算与表中单元格相符（表中为空或 0 而叙述有数亦报）."""
    statements = statements_of(ctx)
    if not statements:
        yield not_applicable(rule, "情况说明没有“预算…决算…”句")
        return
    links: list[Finding] = []  # the sentences' figures against table cells
    others: list[Finding] = []  # the sentences' own arithmetic
    for s in statements:
        actual_cell, budget_cell, table_label = _statement_cells(ctx, s)
        actual = _stated(s.actual, s.subject)
        budget = _stated(s.budget, s.subject) if s.budget is not None else None
        what = f"情况说明「{s.subject[:40]}」"
        if actual_cell is not None:
            cell = ctx.quantity(actual_cell)
            outcome = compare_same(cell, actual)
            note = ""
            if outcome.status == ERROR and (not cell.text or cell.value == 0):
                note = f"表中此项{'为空' if not cell.text else '为 0'}，情况说明却称决算 {s.actual.text}{s.actual.unit}"
            links.append(_about(ctx, from_outcome(rule, outcome, f"{what}决算 {s.actual.text}{s.actual.unit} = {table_label} {_cell_name(actual_cell)}",
                                                  note_fail=note, extra_tables=["narrative"]), s.actual))
        if budget_cell is not None and budget is not None:
            cell = ctx.quantity(budget_cell)
            links.append(_about(ctx, from_outcome(rule, compare_same(cell, budget), f"{what}预算 {s.budget.text}{s.budget.unit} = {table_label} {_cell_name(budget_cell)}",
                                                  extra_tables=["narrative"]), s.budget))
        if budget is None and budget_cell is not None and s.rate_pct is not None:
            budget = ctx.quantity(budget_cell)
        if s.rate_pct is not None and budget is not None and not (s.budget is not None and _rate_checked_by_claims(ctx, s)):
            # a rate whose two amounts the sentence prints is narrative.stated_rate's; here the rates
            # whose budget only the table prints (其中：因公出国（境）费决算为 4.69 万元，完成预算的 15.63%)
            outcome = compare_ratio(s.rate_pct.value, s.rate_pct.text, actual, budget)
            if outcome is not None:
                others.append(_about(ctx, from_ratio(rule, outcome, f"{what}完成预算的 {s.rate_pct.text}% = 决算 {actual.text} / 预算 {budget.text}",
                                                     [actual, budget]), s.rate_pct))
        if s.direction is not None and budget is not None and s.budget is not None:
            others.append(_about(ctx, _direction_finding(rule, s, actual, budget, what), s.actual, s.budget))
        if s.difference is not None and budget is not None and s.budget is not None:
            stated = Quantity(s.difference.value, s.difference.unit, s.difference.text, f"{what}增减额", actual.where)
            outcome = compare_sum([actual, budget], stated, signs=[1, -1])
            others.append(_about(ctx, from_outcome(rule, outcome, f"{what}决算数较预算数{'减少' if s.difference.value < 0 else '增加'} "
                                                                  f"{s.difference.text}{s.difference.unit} = 决算 − 预算"), s.difference))
    yield from _links_checked(links)
    yield from others


def _links_checked(links: list[Finding]) -> list[Finding]:
    """Narrative figures against the cells they were linked to: when most links fail (two or more),
    the linking read the narrative under a wrong model (another table, another 口径), not the
    publisher's numbers — ``unreadable``, as for a systematic failure across tables."""
    failed = [f for f in links if f.status == ERROR]
    if len(failed) >= SYSTEMATIC_MIN and len(failed) > SYSTEMATIC_SHARE * len(links):
        for f in failed:
            f.status = UNREADABLE
            f.message += f"（未可靠对应，不作错误报告：叙述与表在 {len(failed)}/{len(links)} 处不符，多半是对应的表或口径不同）"
    return links


def _rate_checked_by_claims(ctx: Context, statement) -> bool:
    """Whether the narrative's claims hold this completion rate with both its amounts (then
    ``narrative.stated_rate`` checks it and this rule does not say it twice)."""
    from budgetkit.checks.narrative_rules import claims_of

    for claim in claims_of(ctx):
        if (claim.kind == "completion_rate" and claim.value == statement.rate_pct.value and claim.location == statement.rate_pct.location
                and getattr(claim, "current_index", None) is not None and getattr(claim, "base_index", None) is not None):
            return True
    return False


def _cell_name(row: dict) -> str:
    name = " ".join(x for x in (row.get("code"), row.get("item")) if isinstance(x, str) and x)
    return f"{name}「{row['column_label']}」".strip()


_SIGN_WORD = {1: "大于", -1: "小于", 0: "等于"}


def _direction_finding(rule: Rule, s, actual: Quantity, budget: Quantity, what: str) -> Finding:
    """What the text says of 决算 against 预算 against the two printed numbers.

    Equal printed numbers contradict nothing (the unrounded ones may differ either way), nor do
    numbers within rounding of each other when the text says they are equal."""
    difference = actual.yuan - budget.yuan
    tolerance = actual.half_step_yuan + budget.half_step_yuan
    said = s.direction
    if said == 0:
        status = OK if difference == 0 else (ROUNDING if abs(difference) <= tolerance else ERROR)
    elif difference == 0:
        status = ROUNDING
    else:
        status = OK if (difference > 0) == (said > 0) else ERROR
    actual_word = "等于" if difference == 0 else ("大于" if difference > 0 else "小于")
    message = (f"{what}称“{s.direction_text}”（决算{_SIGN_WORD[said]}预算）：决算 {actual.text} {actual_word} 预算 {budget.text}"
               + ("，相符" if status in (OK, ROUNDING) else "，与所印两数相反"))
    return Finding(rule.id, rule.family, status, message, expected=_SIGN_WORD[said], actual=actual_word,
                   unit=actual.unit or "", tables="narrative", location=where_of([actual, budget]), evidence=s.sentence[:200])


# ---- the narrative's 决算 amounts against the tables

#: Phrases (after the department, year and 本年度 are stripped) that name a summary row; the
#: row is looked up by its folded item. Section words choose the 财政拨款 table.
_PHRASE_PREFIX_RE = re.compile(r"^.*?(?:(?:19|20)\d{2}年度?|本年度)")
_PHRASE_SUFFIX_RE = re.compile(r"(?:为|是|均|各|共计|决算数?为?|支出决算为?|决算)$")
_ROLE_PHRASES: tuple[tuple[str, str, str], ...] = (
    (r"^(?:收入总计|收、?支总计|收入支出总计|收支总计|收入总计、支出总计均为|收入总计、支出总计)$", "income", "grand_total"),
    (r"^(?:各项)?支出总计$", "expense", "grand_total"),
    (r"^本年收入合计$", "income", "current"),
    (r"^本年支出合计$", "expense", "current"),
)


#: A phrase (folded) that names one “三公” item and nothing else: 因公出国（境）费支出, 全年公务用车运行维护费支出,
#: 国内公务接待支出, 三公经费财政拨款支出决算.
_THREE_PUBLIC_PHRASE_RE = re.compile(
    r"(?:全年|国内)?(?:三公经费(?:财政拨款)?|因公出国（境）(?:费用?)?|公务用车购置及运行(?:维护)?费?|公务用车购置费?|公务用车运行(?:及)?维护费?"
    r"|公务接待费?)(?:支出)?(?:决算)?"
)


def _phrase_core(phrase: str) -> str:
    """What a phrase names, without department, year, numbering and verbs (``国家信访局 2024 年度收、支总计``
    → ``收、支总计``)."""
    core = fold(phrase)
    core = _PHRASE_PREFIX_RE.sub("", core)
    core = re.sub(r"^(?:\d{1,2}[.．、]|其中|按经济分类划分为|按功能分类支出划分为|按照支出功能科目划分|[:：，,])+", "", core)
    previous = None
    while previous != core:
        previous = core
        core = _PHRASE_SUFFIX_RE.sub("", core)
    return core


def _summary_row_by_role(ctx: Context, table_id: str, side: str, role: str) -> dict | None:
    column = {"income": "income_amount"}.get(side) or ("expense_amount" if table_id == "final_summary" else "expense_total")
    lines, current, layout, col = _summary_rows(ctx, table_id, side, column)
    if role == "current":
        return current
    if role == "grand_total" and layout.grand_total is not None:
        return col.get(layout.grand_total)
    return None


def _summary_line(ctx: Context, table_id: str, side: str, core: str) -> dict | None:
    column = "income_amount" if side == "income" else ("expense_amount" if table_id == "final_summary" else "expense_total")
    rows = [r for r in ctx.rows(table_id, column) if r["side"] == side]
    found = [r for r in rows if item_key(r["item"]) == core or (side == "expense" and class_name(r["item"]) == class_name(core))]
    found = [r for r in found if not OF_WHICH_RE.match(item_key(r["item"]))]
    return found[0] if len(found) == 1 else None


def printed_phrase(ctx: Context, claim) -> str:
    """The words printed right before a claim's number, back to the last ，。；： — the claim's own
    phrase as printed (the claims' ``phrase`` drops words such as 合计 and 收、)."""
    lines = ctx._cache.get("narrative_by_location")
    if lines is None:
        lines = ctx._cache["narrative_by_location"] = {line.location: (line.text or "").replace("\t", "") for line in ctx.document.narrative}
    text = lines.get(claim.location)
    if text is None or not 0 < claim.start <= len(text):
        return claim.phrase or ""
    before = text[:claim.start]
    start = max(before.rfind(ch) for ch in "，,。；;：:") + 1
    return before[start:].strip()


def link_final_claim(ctx: Context, claim) -> tuple[dict | None, str]:
    """The 决算 table cell a narrative amount restates, with the table id (``(None, "")``: not linked).

    Only phrases that name a cell exactly are linked: a summary row (收入总计, 本年收入合计,
    一般公共预算财政拨款收入, 年初结转和结余, a function class …), 基本支出 / 项目支出 (of the
    支出决算表, or in a 财政拨款 section of the 一般公共预算 table), 人员经费 / 公用经费 (the
    基本支出决算表) and 财政拨款支出 (the 一般公共预算财政拨款支出决算表). A phrase speaking of a
    budget (预算) or a change is never linked to a 决算 cell.
    """
    phrase = printed_phrase(ctx, claim)
    core = _phrase_core(phrase)
    if not core or "预算为" in fold(phrase) or re.search(r"预算$|预算数$|年初|上年|比|较|增加|减少|增长|下降", core):
        return None, ""
    section = fold((claim.section or "") + (claim.subsection or ""))
    fiscal_section = "财政拨款" in section or "一般公共预算" in section
    if re.search(r"^(?:一般公共预算)?财政拨款(?:收入|收支|收、?支)总(?:计|决算)?$|^财政拨款收入支出总计$", core) and ctx.printed("final_fiscal_summary"):
        return _summary_row_by_role(ctx, "final_fiscal_summary", "income", "grand_total"), "final_fiscal_summary"
    for pattern, side, role in _ROLE_PHRASES:
        if re.search(pattern, core):
            table_id = "final_fiscal_summary" if fiscal_section and "财政拨款" in phrase else "final_summary"
            if ctx.printed(table_id):
                return _summary_row_by_role(ctx, table_id, side, role), table_id
            return None, ""
    if re.search(r"^(?:总收入|收入总计)$", core) and ctx.printed("final_summary"):
        return _summary_row_by_role(ctx, "final_summary", "income", "grand_total"), "final_summary"
    if re.search(r"^(?:总支出|支出总计)$", core) and ctx.printed("final_summary"):
        return _summary_row_by_role(ctx, "final_summary", "expense", "grand_total"), "final_summary"
    if re.search(r"^(?:其中)?本年(?:收入|支出)(?:合计)?$", core):
        table_id = "final_fiscal_summary" if fiscal_section and "财政拨款" in section else "final_summary"
        if ctx.printed(table_id):
            return _summary_row_by_role(ctx, table_id, "income" if "收入" in core else "expense", "current"), table_id
        return None, ""
    if re.search(r"^(?:一般公共预算)?财政拨款(?:收入|支出)合计$", core) and ctx.printed("final_fiscal_summary"):
        return _summary_row_by_role(ctx, "final_fiscal_summary", "income" if "收入" in core else "expense", "current"), "final_fiscal_summary"
    if _THREE_PUBLIC_PHRASE_RE.fullmatch(core) and ctx.printed("final_three_public"):
        item = three_public_item(core)
        if item is not None:
            return three_public_cells(ctx.rows("final_three_public")).get(("final", item)), "final_three_public"
    if core in ("人员经费", "公用经费") and ctx.printed("final_general_basic"):
        groups = basic_groups(ctx.rows("final_general_basic", "final_actual"))
        number = groups.personnel_total if core == "人员经费" else groups.public_total
        col = _by_number(ctx.rows("final_general_basic", "final_actual"))
        return col.get(number) if number is not None else None, "final_general_basic"
    if core in ("基本支出", "项目支出", "财政拨款基本支出", "一般公共预算财政拨款基本支出", "财政拨款项目支出", "一般公共预算财政拨款项目支出"):
        column = "basic" if core.endswith("基本支出") else "project"
        table_id = "final_expenditure"
        if fiscal_section or core.startswith(("财政拨款", "一般公共预算")):
            table_id = "final_general_expenditure" if ctx.printed("final_general_expenditure") else "final_fiscal_expenditure"
        if ctx.printed(table_id):
            totals = [r for r in ctx.rows(table_id, column) if r["row_kind"] == "total"]
            return (totals[0] if totals else None), table_id
        return None, ""
    if re.search(r"^(?:一般公共预算)?财政拨款支出$", core) and fiscal_section:
        for table_id in ("final_general_expenditure", "final_fiscal_expenditure"):
            if ctx.printed(table_id):
                totals = [r for r in ctx.rows(table_id, "total") if r["row_kind"] == "total"]
                return (totals[0] if totals else None), table_id
        return None, ""
    if fiscal_section:
        name = class_name(core)
        if name.endswith("支出") and ctx.printed("final_general_expenditure"):
            found = [r for r in ctx.rows("final_general_expenditure", "total") if r["code_level"] == "类" and class_name(r["item"]) == name]
            return (found[0] if len(found) == 1 else None), "final_general_expenditure"
        return None, ""
    for side in ("income", "expense"):
        if ctx.printed("final_summary"):
            row = _summary_line(ctx, "final_summary", side, core)
            if row is not None:
                return row, "final_summary"
    return None, ""


@implements("narrative.final_amount")
def final_amount(ctx: Context, rule: Rule):
    """情况说明所述决算金额 = 决算表中的对应单元格（表中为空或 0 而叙述有数亦报）."""
    from budgetkit.checks.narrative_rules import about, claim_quantity, claims_of

    found_any = False
    links: list[Finding] = []
    for claim in claims_of(ctx):
        if claim.kind != "amount" or claim.unit not in MONEY:
            continue
        row, table_id = link_final_claim(ctx, claim)
        if row is None:
            continue
        found_any = True
        cell = ctx.quantity(row)
        stated = claim_quantity(claim)
        outcome = compare_same(cell, stated)
        note, status = "", None
        if outcome.status == ERROR and (not cell.text or cell.value == 0):
            note = f"表中此项{'为空' if not cell.text else '为 0'}，情况说明却称 {claim.text}"
        elif outcome.status == ERROR and table_id in SUMMARY_TABLES and summary_role(row["item"], row["side"]) == "grand_total":
            current = _summary_row_by_role(ctx, table_id, row["side"], "current")
            if current is not None and compare_same(ctx.quantity(current), stated).status in (OK, ROUNDING):
                status = WARNING
                note = (f"叙述所称数等于 {current['item']} {ctx.quantity(current).text}：口径不同（表中{row['item']}含结转和结余），"
                        "称“总计”而实为本年数")
        links.append(about(from_outcome(rule, outcome, f"情况说明「{printed_phrase(ctx, claim)}」{claim.text} = {ctx.title(table_id)} {_cell_name(row)}",
                                        fail_status=status, note_fail=note, extra_tables=["narrative"]), claim))
    yield from _links_checked(links)
    if not found_any:
        yield not_applicable(rule, "情况说明没有可与决算表对应的金额")


# ---- wrong year, unfilled template, “无…收支” against printed amounts

#: A year a table title gives itself: at its start (after a label or the department), as 2024年度.
_TITLE_YEAR_RE = re.compile(r"^[^\d]{0,40}?((?:19|20)\d{2})\s*年度?")
_YEAR_PHRASE_RE = re.compile(r"((?:19|20)\d{2})\s*年度?\s*(?:部门|单位)?决算(?!数)")
_COMPARISON_BEFORE_RE = re.compile(r"(?:比|较|与|同|和|对比|上年|上一年度?)\s*$")


@implements("narrative.final_wrong_year")
def final_wrong_year(ctx: Context, rule: Rule):
    """一份 YYYY 年度决算称自己是另一年度的决算（标题、表名、情况说明中的“YYYY 年度部门决算”）."""
    if ctx.document.kind != FINAL:
        yield not_applicable(rule, "不是决算")
        return
    titles = [t.title for t in ctx.document.tables.values()]
    year = fiscal_year_of(ctx.document.metadata, titles + [line.text for line in ctx.document.narrative[:10]])
    if year is None:
        yield not_applicable(rule, "不知本决算的年度")
        return
    checked = 0
    for table in ctx.document.tables.values():
        if not base_table_id(table.table_id).startswith("final_"):
            continue  # a project's name may carry another year (2021年医疗卫生机构能力提升补助资金)
        for found in _TITLE_YEAR_RE.finditer(table.title or ""):
            checked += 1
            if int(found.group(1)) != year:
                yield Finding(rule.id, rule.family, rule.on_fail,
                              f"表名称 {found.group(1)} 年，本决算为 {year} 年度：「{table.title}」",
                              expected=str(year), actual=found.group(1), tables=table.table_id, location=str(table.location), evidence=table.title)
    for line in ctx.document.narrative:
        text = re.sub(r"\s+", "", line.text)
        for found in _YEAR_PHRASE_RE.finditer(text):
            if _COMPARISON_BEFORE_RE.search(text[max(0, found.start() - 4):found.start()]):
                continue
            checked += 1
            if int(found.group(1)) != year:
                yield Finding(rule.id, rule.family, rule.on_fail,
                              f"情况说明称“{found.group(0)}”，本决算为 {year} 年度",
                              expected=str(year), actual=found.group(1), tables="narrative", location=str(line.location), evidence=text[:160])
    if not checked:
        yield not_applicable(rule, "没有写明年度的决算标题或表名")
    else:
        yield Finding(rule.id, rule.family, OK, f"标题、表名与情况说明所称年度（{checked} 处）均为 {year} 年", tables="narrative")


#: Template text left in place: placeholders (XX局, ××万元) and alternatives not chosen
#: (下降（增长）). (pattern, what it is, status).
UNFILLED_PATTERNS: tuple[tuple[str, str, str], ...] = (
    (r"(?<![A-Za-z])(?:XX+|ＸＸ+|××+|xx+)(?![A-Za-z])", "模板占位符未填", ERROR),
    (r"(?:增加|增长|上升)[（(](?:减少|下降|降低)[)）]|(?:减少|下降|降低)[（(](?:增加|增长|上升)[)）]", "模板中“增加（减少）”类选项未选定", WARNING),
)


@implements("narrative.final_unfilled")
def final_unfilled(ctx: Context, rule: Rule):
    """模板未填：情况说明或表名中留有 XX局、××万元 之类占位符，或“下降（增长）”未选定."""
    if ctx.document.kind != FINAL:
        yield not_applicable(rule, "不是决算")
        return
    sources = [(line.text, str(line.location), "narrative") for line in ctx.document.narrative]
    sources += [(t.title or "", str(t.location), t.table_id) for t in ctx.document.tables.values()]
    hits = 0
    for text, where, table in sources:
        for pattern, what, status in UNFILLED_PATTERNS:
            for found in re.finditer(pattern, text):
                hits += 1
                context = text[max(0, found.start() - 20):found.end() + 20]
                yield Finding(rule.id, rule.family, status, f"{what}：“{found.group(0)}”（…{context}…）", actual=found.group(0),
                              tables=table, location=where, evidence=text[:200])
    if not hits:
        yield Finding(rule.id, rule.family, OK, f"情况说明与表名中没有模板占位符（查 {len(sources)} 行）", tables="narrative")


_NONE_STATED_RE = re.compile(
    r"(?:没有|无|未发生|不涉及)(?P<what>政府性基金预算财政拨款|国有资本经营预算财政拨款|政府性基金|国有资本经营预算?)(?:收入[和及、]?支出|收支|支出|收入)"
)
_NONE_TABLES = {"政府性基金": "final_fund", "国有资本经营": "final_state_capital"}


@implements("narrative.final_stated_none")
def final_stated_none(ctx: Context, rule: Rule):
    """情况说明或表注称“没有政府性基金 / 国有资本经营预算财政拨款收支”，表中却印有非零金额."""
    texts = [(line.text, str(line.location)) for line in ctx.document.narrative]
    for table in ctx.document.tables.values():
        texts += [(note, str(table.location)) for note in table.notes]
    seen = False
    for text, where in texts:
        for found in _NONE_STATED_RE.finditer(re.sub(r"\s+", "", text)):
            table_id = next((t for k, t in _NONE_TABLES.items() if found.group("what").startswith(k)), None)
            if table_id is None or not ctx.present(table_id):
                continue
            seen = True
            nonzero = [ctx.quantity(r) for r in ctx.rows(table_id) if r["printed"] and ctx.quantity(r).value != 0]
            if nonzero:
                yield Finding(rule.id, rule.family, ERROR,
                              f"称“{found.group(0)}”，{ctx.title(table_id)} 却印有 {len(nonzero)} 个非零金额",
                              expected="0", actual=nonzero[0].text, tables=f"narrative,{table_id}", location=where_of(nonzero[:4]) + f" | {where}",
                              evidence=text[:200])
            else:
                yield Finding(rule.id, rule.family, OK, f"称“{found.group(0)}”，{ctx.title(table_id)} 无非零金额，相符",
                              tables=f"narrative,{table_id}", location=where)
    if not seen:
        yield not_applicable(rule, "情况说明没有称无政府性基金 / 国有资本经营收支")
