"""Narrative rules: each number of the 情况说明 against the cell or formula it restates.

Claims come from :func:`budgetkit.narrative.extract_claims`. :data:`SUBJECT_LINKS` maps a claim's
subject (and, where the same word means different cells, its section) to the table cell it
restates; function classes (``公共安全支出``) are looked up by name in the table the section is
about. A claim that cannot be linked is reported as ``not_linked`` (info) — never as an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from budgetkit.checks.across_tables import _first, _fiscal_carry_general, _income_line
from budgetkit.checks.arithmetic import (ERROR, NOT_LINKED, OK, ROUNDING, UNREADABLE, WARNING, Quantity, compare_ratio,
                                         compare_restated, compare_sum, summed)
from budgetkit.checks.engine import Context, Finding, Rule, from_outcome, from_ratio, implements, where_of
from budgetkit.semantics import three_public_items

MONEY = ("万元", "元", "亿元", "千元")


@dataclass(frozen=True)
class Link:
    """Where a narrative subject is printed in the tables.

    Attributes:
        subject: Canonical subject from :mod:`budgetkit.narrative`.
        section: Regular expression the claim's section must match (``None``: any).
        lookup: Returns the cell as a quantity, or ``None``.
        label: The cell in words.
    """

    subject: str
    section: str | None
    lookup: Callable[[Context], Quantity | None]
    label: str


def _s_inc(pattern):
    return lambda ctx: _income_line(ctx, "summary", pattern) if ctx.printed("summary") else None


def _f_inc(pattern):
    return lambda ctx: _income_line(ctx, "fiscal_summary", pattern) if ctx.printed("fiscal_summary") else None


def _total(table_id, column_id):
    return lambda ctx: ctx.total_row(table_id, column_id) if ctx.printed(table_id) else None


def _first_of(*lookups):
    """The first lookup that finds a cell."""
    def lookup(ctx):
        for one in lookups:
            found = one(ctx)
            if found is not None:
                return found
        return None
    return lookup


def _first_printed(*lookups):
    """The first lookup that finds a printed cell (a blank cell of the row is not the amount: 江苏 prints
    支出合计 in the column of 支出用途, not of 功能分类)."""
    def lookup(ctx):
        for one in lookups:
            found = one(ctx)
            if found is not None and found.text:
                return found
        return None
    return lookup


def _total_or_empty(table_id, column_id="total"):
    """The table's 合计; a table printed empty (本表无数据) prints zero, exactly."""
    def lookup(ctx):
        table = ctx.table(table_id)
        if table is not None and not ctx.printed(table_id):
            return Quantity(Decimal(0), table.unit or "万元", "", f"{ctx.title(table_id)}（空表）", str(table.location), table_id)
        return ctx.total_row(table_id, column_id) if ctx.printed(table_id) else None
    return lookup


def _s_exp(key, column="expense_total", table="summary"):
    """An expense line of a summary table by name (its amount column ``column``; a template that heads
    it 合计 gives it the id ``total``)."""
    def lookup(ctx):
        if not ctx.printed(table):
            return None
        found = _first(ctx, table, column, side="expense", key=key)
        if found is None and column == "expense_total" and not ctx.rows(table, "expense_total"):
            found = _first(ctx, table, "total", side="expense", key=key)
        return found
    return lookup


def _item(table_id, pattern, column="total", exclude=None):
    """A row of ``table_id`` whose name matches ``pattern`` (``column``), when exactly one does."""
    def lookup(ctx):
        if not ctx.printed(table_id):
            return None
        frame = ctx.find(table_id, column, contains=pattern)
        if exclude:
            frame = frame[~frame["key"].str.contains(exclude)]
        return ctx.quantity(frame.iloc[0]) if len(frame) == 1 else None
    return lookup


def three_public_of(ctx: Context, prior: bool = False) -> dict:
    """The “三公”经费 items of the table (:func:`budgetkit.semantics.three_public_items`): this year's
    columns where it prints several years side by side (last year's with ``prior``)."""
    key = ("three_public_items", prior)
    if key not in ctx._cache:
        from budgetkit.narrative import document_period

        ctx._cache[key] = three_public_items(ctx.tidy, year=document_period(ctx.document).year, prior=prior)
    return ctx._cache[key]


def _three_public(key: str):
    """A “三公”经费 item (:func:`budgetkit.semantics.three_public_items`, a row or a column of the table)."""
    def lookup(ctx):
        if not ctx.printed("three_public"):
            return None
        item = three_public_of(ctx).get(key)
        return ctx.quantity(ctx.cell(*item.cell)) if item is not None else None
    return lookup


def three_public_whole(ctx: Context):
    """The “三公”经费 total — 因公出国（境）费 + 公务接待费 + 公务用车购置及运行费 — and its label.

    Jiangsu prints one table for “三公”经费、会议费、培训费: its 合计 (2542.60) includes 会议费 and
    培训费, its “三公”经费 小计 (833.60) does not; the table semantics tell them apart. The printed
    total is taken when printed, else the sum of the three parts. ``(None, "")`` when none is printed.
    """
    if not ctx.printed("three_public"):
        return None, ""
    items = three_public_of(ctx)
    whole = items.get("three_public_total")
    if whole is not None and whole.value_text:
        cell = ctx.cell(*whole.cell)
        plain_total = cell["row_kind"] == "total" and "三公" not in str(cell["item"]) or cell["column_id"] == "total"
        return ctx.quantity(cell), "“三公”经费表 合计" if plain_total else "“三公”经费表 “三公”经费小计"
    parts = [items.get(k) for k in ("outbound", "reception", "vehicle_total")]
    if all(p is not None for p in parts) and any(p.value_text for p in parts):
        quantities = [ctx.quantity(ctx.cell(*p.cell)) for p in parts]
        total = sum((q.value for q in quantities), Decimal(0))
        unit = next(q.unit for q in quantities if q.text)
        where = "; ".join(dict.fromkeys(q.where for q in quantities))
        label = "“三公”经费表 因公出国（境）费 + 公务接待费 + 公务用车购置及运行费"
        return Quantity(total, unit, format(total, "f"), label, where, "three_public"), label
    return None, ""


def three_public_other_base(ctx: Context, whole):
    """The table's 合计 when it counts more than the “三公”经费 (会议费、培训费), else ``None``."""
    if whole is None or not ctx.printed("three_public"):
        return None, ""
    items = three_public_of(ctx)
    total = items.get("table_total")
    if total is None or not total.value_text:
        return None, ""
    quantity = ctx.quantity(ctx.cell(*total.cell))
    if quantity.yuan == whole.yuan:
        return None, ""
    extra = [items[k].label for k in ("meeting", "training") if k in items]
    label = "“三公”经费" + "".join(f"、{n}" for n in extra) + " 合计" if extra else "“三公”经费表 合计"
    return quantity, label


def _three_public_lookup(ctx: Context):
    return three_public_whole(ctx)[0]


def _total_or_only(table_id, column_id):
    """The table's 合计 row; a table printed as one row of totals (江苏: 合计 | 基本支出 | 项目支出 …), that row."""
    def lookup(ctx):
        if not ctx.printed(table_id):
            return None
        found = ctx.total_row(table_id, column_id)
        if found is not None:
            return found
        rows = ctx.rows(table_id, column_id)
        return ctx.quantity(rows[0]) if len(rows) == 1 else None
    return lookup


#: The economic classes of 人员经费 in a 基本支出 table (工资福利支出, 对个人和家庭的补助); every other
#: class of 基本支出 is 公用经费 (基本支出 = 人员经费 + 公用经费).
PERSONNEL_CLASSES = ("301", "303")
_BASIC_ECONOMIC = ("general_basic_economic", "fiscal_basic_economic")


def basic_group(ctx: Context, personnel: bool):
    """人员经费 (or 公用经费) as the sum of its economic classes of the 基本支出 table, when the table prints
    its classes (3-digit codes) adding up to its 合计; ``(None, "")`` otherwise."""
    for table_id in _BASIC_ECONOMIC:
        if not ctx.printed(table_id):
            continue
        total = ctx.total_row(table_id, "total")
        classes = [r for r in ctx.rows(table_id, "total") if isinstance(r["code"], str) and re.fullmatch(r"3\d\d", r["code"])]
        if total is None or not classes or len({r["code"] for r in classes}) != len(classes):
            continue
        quantities = [ctx.quantity(r) for r in classes]
        if compare_sum(quantities, total).status not in (OK, ROUNDING):
            continue  # the classes do not make up the table: not read in full, or not this layout
        group = [(r, q) for r, q in zip(classes, quantities) if (r["code"] in PERSONNEL_CLASSES) == personnel]
        if not group:
            continue
        names = " + ".join(f"{r['code']} {r['item']}" for r, _q in group)
        label = f"{ctx.title(table_id)} {names}"
        parts = [q for _r, q in group]
        return (parts[0] if len(parts) == 1 else summed(parts, label, "; ".join(dict.fromkeys(q.where for q in parts)))), label
    return None, ""


def _basic_column(ctx: Context, pattern: str):
    """The 合计 row's cell of a 基本支出 column named by its printed header (``基本支出/人员经费``,
    ``日常公用支出``) in the 基本支出 or 一般公共预算支出 table."""
    for table_id in (*_BASIC_ECONOMIC, "general_expenditure"):
        if not ctx.printed(table_id):
            continue
        labels = {r["column_id"]: str(r["column_label"] or "") for r in ctx.rows(table_id)}
        columns = [c for c, label in labels.items() if re.search(pattern, label.replace(" ", ""))]
        if len(columns) == 1:
            found = ctx.total_row(table_id, columns[0])
            if found is not None and found.text:
                return found, f"{ctx.title(table_id)} 合计「{labels[columns[0]]}」"
    return None, ""


def _column_total(ctx: Context, table_id: str, pattern: str):
    """The 合计 row's cell of the one column of ``table_id`` whose printed header (its last level) matches."""
    if not ctx.printed(table_id):
        return None
    labels = {r["column_id"]: str(r["column_label"] or "") for r in ctx.rows(table_id)}
    columns = [c for c, label in labels.items() if re.search(pattern, label.replace(" ", "").split("/")[-1])]
    return ctx.total_row(table_id, columns[0]) if len(columns) == 1 else None


def _personnel(ctx):
    return _basic_lookup(ctx, True)


def _public(ctx):
    return _basic_lookup(ctx, False)


def _basic_lookup(ctx: Context, personnel: bool):
    column = "personnel" if personnel else "public"
    for table_id in _BASIC_ECONOMIC:
        found = ctx.total_row(table_id, column) if ctx.printed(table_id) else None
        if found is not None and found.text:
            return found, f"{ctx.title(table_id)} 合计「{'人员经费' if personnel else '公用经费'}」"
    return _basic_column(ctx, r"(?:^|/)人员(?:经费|支出)$" if personnel else r"(?:^|/)(?:日常)?公用(?:经费|支出)$")


_GENERAL = "一般公共预算|绩效"
SUBJECT_LINKS: list[Link] = [
    Link("预算收入总计", None, _s_inc("^收入总计"), "收支总表 收入总计"),
    Link("预算支出总计", None, _s_exp("支出总计"), "收支总表 支出总计"),
    Link("本年收入", "财政拨款", _f_inc("^本年收入合计"), "财政拨款收支总表 本年收入合计"),
    Link("本年收入", None, _s_inc("^本年收入合计"), "收支总表 本年收入合计"),
    Link("本年预算安排", None, _s_exp("本年支出合计", "expense_current_year"), "收支总表 本年支出合计「当年预算安排」"),
    Link("上年结转", "财政拨款", _f_inc("^上年财政拨款结转|^上年结转"), "财政拨款收支总表 上年财政拨款结转"),
    Link("上年结转", None, _s_inc("^上年结转"), "收支总表 上年结转"),
    Link("一般公共预算拨款收入", None, _s_inc("^一般公共预算"), "收支总表 一、一般公共预算"),
    Link("政府性基金预算拨款收入", None, _s_inc("^政府性基金"), "收支总表 二、政府性基金预算"),
    Link("国有资本经营预算拨款收入", None, _s_inc("^国有资本经营"), "收支总表 三、国有资本经营预算"),
    Link("财政专户管理资金收入", None, _s_inc("^财政专户管理资金"), "收支总表 财政专户管理资金"),
    Link("单位资金", None, _s_inc("^单位资金"), "收支总表 单位资金"),
    Link("财政拨款收支总预算", None, _f_inc("^收入总计"), "财政拨款收支总表 收入总计"),
    Link("一般公共预算拨款", None, _f_inc("^一般公共预算"), "财政拨款收支总表 本年收入「一般公共预算」"),
    Link("政府性基金预算拨款", None, _f_inc("^政府性基金"), "财政拨款收支总表 本年收入「政府性基金预算」"),
    Link("国有资本经营预算拨款", None, _f_inc("^国有资本经营"), "财政拨款收支总表 本年收入「国有资本经营预算」"),
    Link("财政拨款收入", None, _first_of(_s_inc("^财政拨款(?:收入)?$"), _total("income", "fiscal_appropriation")),
         "收支总表 财政拨款收入（或收入总表 合计「财政拨款」）"),
    Link("事业收入", None, _first_of(_s_inc("^事业收入$"), _total("income", "business_income")), "收支总表 事业收入（或收入总表 合计「事业收入」）"),
    Link("事业单位经营收入", None, _first_of(_s_inc("^事业单位经营收入$"), _total("income", "operating_income")),
         "收支总表 事业单位经营收入（或收入总表 合计「事业单位经营收入」）"),
    Link("其他收入", None, _first_of(_s_inc("^其他收入$"), _total("income", "other_income")), "收支总表 其他收入（或收入总表 合计「其他收入」）"),
    Link("上级补助收入", None, _s_inc("^上级补助收入$"), "收支总表 上级补助收入"),
    Link("结转下年", None, lambda ctx: (_first(ctx, "summary", "expense_total", side="expense", contains="^结转下年|年终结转|年末结转")
                                     or _first(ctx, "summary", "expense_use_amount", side="expense", contains="^结转下年|年终结转|年末结转"))
         if ctx.printed("summary") else None, "收支总表 结转下年"),
    Link("附属单位上缴收入", None, _s_inc("^附属单位上缴收入$"), "收支总表 附属单位上缴收入"),
    Link("本年支出合计", None, _first_of(_s_exp("本年支出合计"), _s_exp("本年支出合计", "expense_use_amount")), "收支总表 本年支出合计"),
    Link("财政拨款支出", None, _first_of(_s_exp("本年支出合计", table="fiscal_summary"), _s_exp("支出总计", table="fiscal_summary")),
         "财政拨款收支总表 本年支出合计（或支出总计）"),
    Link("政府性基金预算支出", None, _total_or_empty("fund_expenditure"), "政府性基金预算支出表 合计"),
    Link("国有资本经营预算支出", None, _total_or_empty("state_capital"), "国有资本经营预算支出表 合计"),
    Link("一般公共预算当年支出", None, _total("general_expenditure", "total"), "一般公共预算支出表 合计"),
    Link("基本支出", _GENERAL, _total("general_expenditure", "basic"), "一般公共预算支出表 合计「基本支出」"),
    Link("基本支出", None, _total_or_only("expenditure", "basic"), "支出总表 合计「基本支出」"),
    Link("项目支出", _GENERAL, _total("general_expenditure", "project"), "一般公共预算支出表 合计「项目支出」"),
    Link("项目支出", None, _total_or_only("expenditure", "project"), "支出总表 合计「项目支出」"),
    Link("涉及部门预算资金", None, _total("general_expenditure", "total"), "一般公共预算支出表 合计"),
    # columns of the 支出总表 beside 基本支出 / 项目支出, by their printed header
    Link("事业单位经营支出", None, lambda ctx: _column_total(ctx, "expenditure", r"^事业单位经营支出$"), "支出总表 合计「事业单位经营支出」"),
    Link("上缴上级支出", None, lambda ctx: _column_total(ctx, "expenditure", r"^上缴上级支出$"), "支出总表 合计「上缴上级支出」"),
    Link("对附属单位补助支出", None, lambda ctx: _column_total(ctx, "expenditure", r"^对附属单位补助支出$"), "支出总表 合计「对附属单位补助支出」"),
    Link("人员经费", None, _personnel, "基本支出经济分类表 合计「人员经费」"),
    Link("公用经费", None, _public, "基本支出经济分类表 合计「公用经费」"),
    Link("“三公”经费", None, _three_public_lookup, "“三公”经费表 “三公”经费合计（不含会议费、培训费）"),
    Link("因公出国（境）费", None, _three_public("outbound"), "“三公”经费表 因公出国（境）费"),
    Link("公务接待费", None, _three_public("reception"), "“三公”经费表 公务接待费"),
    Link("公务用车购置及运行费", None, _three_public("vehicle_total"), "“三公”经费表 公务用车购置及运行费"),
    Link("公务用车购置费", None, _three_public("vehicle_purchase"), "“三公”经费表 公务用车购置费"),
    Link("公务用车运行维护费", None, _three_public("vehicle_operation"), "“三公”经费表 公务用车运行维护费"),
    Link("机关运行经费", None, _first_of(_total("admin_operation", "total"), _three_public("admin_operation")),
         "机关运行经费表 部门合计（或“三公”经费表 机关运行经费列）"),
    # Jiangsu: one table for “三公”经费、会议费、培训费 (columns meeting / training)
    Link("会议费", None, _three_public("meeting"), "“三公”经费、会议费、培训费表 会议费"),
    Link("培训费", None, _three_public("training"), "“三公”经费、会议费、培训费表 培训费"),
]

#: Totals the narrative states with their parts (checked within one sentence, else one section).
NARRATIVE_SUMS: list[tuple[str, tuple[str, ...]]] = [
    ("预算收入总计", ("本年收入", "上年结转")),
    ("预算收入总计", ("一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入", "财政专户管理资金收入", "单位资金", "上年结转")),
    ("预算支出总计", ("本年预算安排", "上年结转")),
    ("预算支出总计", ("基本支出", "项目支出")),
    ("财政拨款收支总预算", ("本年收入", "上年结转")),
    ("财政拨款收支总预算", ("一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款")),
    ("涉及部门预算资金", ("基本支出", "项目支出")),
    ("基本支出", ("人员经费", "公用经费")),
    ("“三公”经费", ("因公出国（境）费", "公务接待费", "公务用车购置及运行费")),
    ("公务用车购置及运行费", ("公务用车购置费", "公务用车运行维护费")),
    ("政府采购预算总额", ("政府采购货物预算", "政府采购工程预算", "政府采购服务预算")),
]


def claims_of(ctx: Context):
    """The narrative claims of the document (cached)."""
    if "claims" not in ctx._cache:
        from budgetkit.narrative import document_claims

        ctx._cache["claims"] = document_claims(ctx.document)
    return ctx._cache["claims"]


def _number_text(text: str, unit: str) -> str:
    return re.sub(r"\s*" + re.escape(unit) + r"$", "", text or "").strip()


def claim_quantity(claim, value=None, text=None, unit=None, label=None) -> Quantity:
    unit = unit or claim.unit
    number = _number_text(text if text is not None else claim.text, unit)
    page = f" p.{claim.location.page}" if claim.location.page is not None else ""
    line = f" line {claim.location.line}" if claim.location.line is not None else ""
    where = f"{claim.location.file}{page}{line}; 情况说明 row {(claim.section or '')[:12]}"
    return Quantity(value if value is not None else claim.value, unit, number or str(value if value is not None else claim.value),
                    label or f"情况说明「{claim.phrase or claim.subject}」", where, None)


def _class_row(ctx: Context, table_id: str, subject: str):
    rows = [r for r in ctx.find_rows(table_id, "total", key=subject) if r["code_level"] == "类"]
    return ctx.quantity(rows[0]) if len(rows) == 1 else None


#: Where a function class (公共安全支出) is printed, by the money the words before it speak of: the
#: table of that money first, then the others (an amount that equals any of them is not an error).
def _expense_line(table_id: str):
    """An expense line of a two-sided summary table by name (the amount column as the template names it)."""
    return lambda ctx, subject: _first_of(_s_exp(subject, table=table_id), _s_exp(subject, "expense_use_amount", table_id))(ctx)


CLASS_TABLES = (
    ("财政拨款", "fiscal_summary", "财政拨款收支总表", _expense_line("fiscal_summary")),
    ("一般公共预算", "general_expenditure", "一般公共预算支出表", lambda ctx, s: _class_row(ctx, "general_expenditure", s)),
    ("", "summary", "收支总表", _expense_line("summary")),
    ("", "expenditure", "支出总表", lambda ctx, s: _class_row(ctx, "expenditure", s)),
)


def class_candidates(ctx: Context, claim) -> list[tuple[Quantity | None, str]]:
    """The cells a function-class amount (``公共安全支出 11539.98万元``) may restate, the one its words name first.

    The section and subsection headings, then the sentence, say which money it is (财政拨款,
    一般公共预算); without such words the 收支总表 comes first. Only printed tables are listed.
    """
    subject = claim.subject
    if not subject.endswith("支出"):
        return []
    heading = f"{claim.section or ''}{claim.subsection or ''}"
    scope = next((w for w, *_ in CLASS_TABLES if w and w in heading), None) or next(
        (w for w, *_ in CLASS_TABLES if w and w in (claim.sentence or "")), "")
    ordered = sorted(CLASS_TABLES, key=lambda entry: 0 if entry[0] == scope else 1)
    # the table of the money named comes first even when it was not read (its cell is then None)
    return [(lookup(ctx, subject) if ctx.printed(table_id) else None, f"{title}「{subject}」")
            for words, table_id, title, lookup in ordered if ctx.printed(table_id) or (scope and words == scope)]


#: Subjects whose cell is a total of a summary table: their printed phrase must name the cell
#: itself — an alias plus words that do not change what is counted (本年, 部门, 预算数 …).
STRICT_SUBJECTS = {
    "预算收入总计", "预算支出总计", "财政拨款收支总预算", "本年收入", "本年预算安排", "上年结转",
    "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入", "财政拨款支出", "政府性基金预算支出", "国有资本经营预算支出",
    "上级补助收入", "附属单位上缴收入", "本年支出合计", "结转下年",
    "一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入", "财政专户管理资金收入", "单位资金",
    "一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款", "一般公共预算当年支出",
    "基本支出", "项目支出", "涉及部门预算资金", "人员经费", "公用经费",
}
_NEUTRAL_PREFIX = ("本年度", "本年", "年度", "全年", "当年", "本部门", "部门", "本单位", "单位", "的", "安排的", "安排", "合计", "共计", "总计",
                   "拨款")
_NEUTRAL_SUFFIX = ("预算数", "预算", "数", "总额", "合计", "总计", "共计", "资金", "金额", "为", "是", "预算支出")
#: Qualifiers a phrase may carry when the linked cell is in a table about that money.
_QUALIFIERS = ("一般公共预算", "财政拨款", "公共财政")


def _strip_tokens(text: str, tokens: tuple[str, ...], from_start: bool) -> str:
    changed = True
    while text and changed:
        changed = False
        for token in sorted(tokens, key=len, reverse=True):
            if from_start and text.startswith(token):
                text, changed = text[len(token):], True
            elif not from_start and text.endswith(token):
                text, changed = text[: -len(token)], True
    return text


def inexact_subject(claim, label: str, qualifiers: tuple[str, ...] | None = None) -> str | None:
    """Why the claim's printed phrase does not name the linked cell exactly (``None``: it does).

    A phrase that is a fragment (``算拨款支出预算``), names another quantity that merely contains
    an alias (``政府性基金拨款支出预算`` ⊃ ``支出预算``; ``安排的会议费预算支出`` ⊃ ``预算支出``) or
    speaks of expenditure where the cell is income (or the reverse) is not linked. ``qualifiers``:
    the fund words the phrase may carry (default: those the label names).
    """
    from budgetkit.narrative import SUBJECT_ALIASES

    if claim.attached != "own" or not claim.phrase:
        return None
    phrase = re.sub(r"\s+", "", claim.phrase).replace('"', "“")
    if re.search(r"收入", label) and not re.search(r"支出", label) and "支出" in phrase:
        return f"「{claim.phrase}」说的是支出，{label} 是收入"
    if re.search(r"支出", label) and not re.search(r"收入", label) and "收入" in phrase:
        return f"「{claim.phrase}」说的是收入，{label} 是支出"
    if claim.subject not in STRICT_SUBJECTS:
        return None
    aliases = sorted(SUBJECT_ALIASES.get(claim.subject, (claim.subject,)), key=len, reverse=True)
    alias = next((a for a in aliases if a in phrase), None)
    if alias is None:
        return f"「{claim.phrase}」不是「{claim.subject}」"
    prefix, _, suffix = phrase.partition(alias)
    if qualifiers is None:
        qualifiers = tuple(q for q in _QUALIFIERS if q in label)
    prefix = _strip_tokens(prefix, _NEUTRAL_PREFIX + qualifiers, from_start=True)
    suffix = _strip_tokens(suffix, _NEUTRAL_SUFFIX, from_start=False)
    if prefix or suffix:
        return f"主语「{claim.phrase}」不只是「{alias}」（多出「{prefix}…{suffix}」），未必是 {label}"
    return None


def entry_cell(ctx: Context, entry: Link) -> tuple[Quantity | None, str]:
    """The cell a link names and its label (a lookup may return its own, more exact label)."""
    found = entry.lookup(ctx)
    if isinstance(found, tuple):
        return found if found[0] is not None else (None, entry.label)
    return found, entry.label


#: Words a 一般公共预算基本支出 part may print instead of 人员经费 / 公用经费 (杭州: 人员支出, 日常公用支出).
BASIC_PART_NAMES = {"人员支出": "人员经费", "日常公用支出": "公用经费", "日常公用经费": "公用经费"}


def link_subject(claim) -> str:
    """The subject a claim is linked under: 人员支出 is 人员经费 under a 一般公共预算基本支出 heading (under
    支出预算 it is the part of every fund's spending, not of the general budget's)."""
    heading = f"{claim.section or ''}{claim.subsection or ''}"
    if claim.subject in BASIC_PART_NAMES and "基本支出" in heading and "一般公共预算" in heading:
        return BASIC_PART_NAMES[claim.subject]
    return claim.subject


def link(ctx: Context, claim) -> tuple[Quantity | None, str]:
    """The table cell a narrative amount restates, with its label (``None`` if not linked)."""
    section = f"{claim.section or ''}{claim.phrase or ''}"
    subject = link_subject(claim)
    for entry in SUBJECT_LINKS:
        if entry.subject != subject:
            continue
        if entry.section and not re.search(entry.section, section):
            continue
        return entry_cell(ctx, entry)
    candidates = class_candidates(ctx, claim)
    found = [(cell, label) for cell, label in candidates if cell is not None]
    return found[0] if found else (candidates[0] if candidates else (None, ""))


def unreadable_table(ctx: Context, table_id: str) -> str:
    """Cells of the table printed but not read as numbers (``27.3224.62``: two columns run together), as text.

    A narrative amount that disagrees with such a table may disagree with our reading, not with
    the document: it is listed as unreadable, never reported as the publisher's error.
    """
    key = ("unreadable", table_id)
    if key not in ctx._cache:
        rows = ctx.rows(table_id)
        bad = [str(r["value_text"]) for r in rows if not r["printed"] and str(r["value_text"] or "").strip()
               and str(r["value_text"]) not in ("nan", "None") and re.search(r"\d", str(r["value_text"]))]
        ctx._cache[key] = "、".join(dict.fromkeys(bad[:3]))
    return ctx._cache[key]


def about(finding: Finding, *claims) -> Finding:
    """The finding, listing the narrative claims it held against something (for coverage)."""
    indices = dict.fromkeys(str(c.index) for c in claims if c is not None and c.index >= 0)
    finding.claims = ",".join(indices)
    return finding


def not_linked(rule: Rule, claim, why: str, reason: str) -> Finding:
    """A claim that could not be checked: ``why`` in words, ``reason`` one of the unchecked-reason codes."""
    q = claim_quantity(claim)
    finding = Finding(rule.id, rule.family, NOT_LINKED, f"未关联（{why}）：「{claim.phrase or claim.subject}」{claim.text}",
                      actual=q.text, unit=claim.unit, tables="narrative", location=where_of([q]), evidence=claim.sentence[:160],
                      reason=reason)
    return about(finding, claim)


def unreadable(rule: Rule, claim, why: str) -> Finding:
    """A claim held against a cell we could not read reliably: ``unreadable``, never the publisher's error."""
    finding = not_linked(rule, claim, why, "unreadable")
    finding.status = UNREADABLE
    finding.message = finding.message.replace("未关联", "读不可靠", 1)
    return finding


def unlinked_reason(claim) -> str:
    """The reason code for a claim no table cell restates: a standard, else no table holds it."""
    return "standard" if claim.context == "standard" else "no_table"


#: The table a link label names (its first word), longest first.
_LABEL_TABLES = (
    ("财政拨款收支总表", "fiscal_summary"), ("一般公共预算支出表", "general_expenditure"), ("基本支出经济分类表", "general_basic_economic"),
    ("机关运行经费表", "admin_operation"), ("收支总表", "summary"), ("支出总表", "expenditure"), ("“三公”经费", "three_public"),
    ("政府性基金预算支出表", "fund_expenditure"), ("国有资本经营预算支出表", "state_capital"),
)


def cell_missing_reason(ctx: Context, label: str) -> str:
    """``table_not_read`` when the table the label names was not read from the file, else ``no_row``."""
    table_id = next((t for prefix, t in _LABEL_TABLES if label.startswith(prefix)), None)
    if table_id is not None and not ctx.present(table_id) and any(ctx.printed(t) for t in ("final_summary", "final_fiscal_summary")):
        return "no_row"  # a final account prints no budget table: its 决算 tables hold no such line
    return "table_not_read" if table_id is not None and not ctx.present(table_id) else "no_row"


@implements("narrative.amount")
def narrative_amount(ctx: Context, rule: Rule):
    for claim in claims_of(ctx):
        if claim.kind != "amount" or claim.unit not in MONEY:
            continue
        if claim.account:
            continue  # an amount of a 科目: narrative.account_amount
        cell, label = link(ctx, claim)
        if not label:
            confirmed = _performance_total(ctx, claim)
            if confirmed is not None:
                other, other_label = confirmed
                yield about(from_outcome(rule, compare_restated(other, claim_quantity(claim)),
                                         f"情况说明「{claim.phrase or claim.subject}」{claim.text} = {other_label}",
                                         note_ok="（绩效目标所涉资金，与此总数相符）", extra_tables=["narrative"]), claim)
                continue
            why = "项目绩效目标的金额，见 performance.narrative_counts" if "绩效" in (claim.section or "") else "没有对应的表格单元格"
            yield not_linked(rule, claim, why, unlinked_reason(claim))
            continue
        inexact = inexact_subject(claim, label)
        if inexact:
            yield not_linked(rule, claim, inexact, "ambiguous")
            continue
        if cell is None:
            confirmed = _confirming_cell(ctx, claim)
            if confirmed is not None:
                other, other_label = confirmed
                yield about(from_outcome(rule, compare_restated(other, claim_quantity(claim)),
                                         f"情况说明「{claim.phrase or claim.subject}」{claim.text} = {other_label}",
                                         note_ok=f"（{label} 未印）", extra_tables=["narrative"]), claim)
                continue
            yield not_linked(rule, claim, f"{label} 未印或无法唯一定位", cell_missing_reason(ctx, label))
            continue
        q = claim_quantity(claim)
        outcome = compare_restated(cell, q)
        what = f"情况说明「{claim.phrase or claim.subject}」{claim.text} = {label}"
        if outcome.status == ERROR and cell.table_id and unreadable_table(ctx, cell.table_id):
            yield unreadable(rule, claim, f"{label} 为 {cell.text or '空'}，但该表有读不出的数字（{unreadable_table(ctx, cell.table_id)}）")
            continue
        if outcome.status == ERROR and link_subject(claim) not in {e.subject for e in SUBJECT_LINKS}:
            # a function class: the same class in another table (another money) that agrees is no error
            candidates = class_candidates(ctx, claim)
            others = [(c, l) for c, l in candidates if c is not None and l != label]
            agreeing = next(((c, l) for c, l in others if compare_restated(c, q).status in (OK, ROUNDING)), None)
            if agreeing is not None:
                yield about(from_outcome(rule, compare_restated(agreeing[0], q), f"情况说明「{claim.phrase or claim.subject}」{claim.text} = {agreeing[1]}",
                                         note_ok=f"（{label} 为 {cell.text}：口径不同）", extra_tables=["narrative"]), claim)
                continue
            if candidates and candidates[0][0] is None:
                # the table of the money the words name holds no such line as read (not read, or cut):
                # another money's table is no ground for an error
                yield not_linked(rule, claim, f"{candidates[0][1]} 未读出此行；{label} 为 {cell.text}，口径不同", "no_row")
                continue
        alternate = _alternate_total(ctx, claim, q) if outcome.status == ERROR else None
        if alternate is not None:
            alt_cell, alt_label = alternate
            yield about(from_outcome(rule, compare_restated(alt_cell, q), f"{what.split(' = ')[0]} = {alt_label}",
                                     note_ok=f"（所述为本年数，不含上年结转：{label} 为 {cell.text}）", extra_tables=["narrative"]), claim)
            continue
        if outcome.status == ERROR and claim.subject == "一般公共预算拨款":
            carry = _fiscal_carry_general(ctx)
            if carry is not None and compare_sum([cell, carry], q).status in (OK, ROUNDING):
                stated = next((c for c in claims_of(ctx) if c.location == claim.location and c.kind == "amount"
                               and c.subject.startswith("上年结转")
                               and compare_restated(carry, claim_quantity(c)).status in (OK, ROUNDING)), None)
                if stated is not None:
                    # the paragraph says so itself (其中：当年拨款收入12,270.45万元，上年结转收入76.62万元)
                    yield about(from_outcome(rule, compare_sum([cell, carry], q),
                                             f"{what.split(' = ')[0]} = 财政拨款收支总表 本年收入「一般公共预算」+ 上年结转「一般公共预算」",
                                             note_ok=f"（含上年结转 {stated.text}，同段已说明）", extra_tables=["narrative"]),
                                claim, stated)
                    continue
                yield about(from_outcome(rule, outcome, what, fail_status=WARNING,
                                         note_fail=(f"叙述数 = 本年一般公共预算 {cell.text} + 上年结转一般公共预算 {carry.text}："
                                                    "口径含上年结转，与表中本年收入「一般公共预算」不同")), claim)
                continue
        yield about(from_outcome(rule, outcome, what, extra_tables=["narrative"]), claim)


#: Totals a narrative may state for the year only (本年收入预算 for 本年收入合计 where 上年结转 adds to the
#: 收入总计): an amount equal to the alternate cell is no error.
ALTERNATE_TOTALS = {
    "预算收入总计": (_s_inc("^本年收入(?:合计|小计)?$"), "收支总表 本年收入合计"),
    "预算支出总计": (_first_of(_s_exp("本年支出合计"), _s_exp("本年支出合计", "expense_use_amount")), "收支总表 本年支出合计"),
}


#: Cells that may confirm an amount whose own cell is not printed (another table, another name of the
#: row): equal is ``ok``; different proves nothing (another scope) and leaves the amount unchecked.
CONFIRMING_CELLS = {
    "基本支出": ((_total("general_expenditure", "basic"), "一般公共预算支出表 合计「基本支出」"),
             (_total("general_basic_economic", "total"), "基本支出经济分类表 合计")),
    "项目支出": ((_total("general_expenditure", "project"), "一般公共预算支出表 合计「项目支出」"),),
    "本年收入": ((_s_inc("^收入合计$"), "收支总表 收入合计"), (_s_inc("^当年收入小计$"), "收支总表 当年收入小计")),
    "预算收入总计": ((_s_inc("^收入合计$"), "收支总表 收入合计"),),
    "预算支出总计": ((_first_printed(_s_exp("支出合计"), _s_exp("支出合计", "expense_use_amount")), "收支总表 支出合计"),),
    "本年支出合计": ((_first_printed(_s_exp("当年支出小计"), _s_exp("当年支出小计", "expense_use_amount")), "收支总表 当年支出小计"),),
    "财政拨款支出": ((_first_printed(_s_exp("支出合计", table="fiscal_summary"), _s_exp("支出合计", "expense_use_amount", "fiscal_summary")),
                "财政拨款收支总表 支出合计"),),
    "财政拨款收支总预算": ((_f_inc("^收入合计$"), "财政拨款收支总表 收入合计"),),
    # 人员经费 = 工资福利支出 + 对个人和家庭的补助 by the usual definition, not every publisher's: equal confirms
    "人员经费": ((_item("general_basic_economic", "^人员经费(?:合计|小计)?$"), "基本支出经济分类表 人员经费"),
             (lambda ctx: basic_group(ctx, True)[0], "基本支出经济分类表 301 工资福利支出 + 303 对个人和家庭的补助")),
    "公用经费": ((_item("general_basic_economic", "^公用经费(?:合计|小计)?$"), "基本支出经济分类表 公用经费"),
             (lambda ctx: basic_group(ctx, False)[0], "基本支出经济分类表 基本支出中 301、303 以外的经济分类")),
}


#: The totals the funds of a 绩效目标管理 sentence may be (整体支出…涉及财政性资金 = the budget's total;
#: 一级预算项目…预算资金 = its projects; 其他运转类项目和特定目标类项目…一般公共预算当年拨款 = the general
#: budget's projects): one that equals the amount confirms it, none proves anything (which is meant is
#: not said).
PERFORMANCE_TOTALS = (
    (r"整体", (("预算支出总计", "收支总表 支出总计"), ("本年支出合计", "收支总表 本年支出合计"))),
    (r"项目", (("项目支出", "支出总表 合计「项目支出」"), ("项目支出@一般公共预算", "一般公共预算支出表 合计「项目支出」"))),
    (r"", (("预算支出总计", "收支总表 支出总计"), ("一般公共预算当年支出", "一般公共预算支出表 合计"))),
)


def _performance_total(ctx: Context, claim):
    """A table total that confirms an amount of a 绩效目标管理 sentence, with its label (``None``: none)."""
    sentence = claim.sentence or ""
    if "绩效" not in sentence or claim.context:
        return None
    q = claim_quantity(claim)
    for words, candidates in PERFORMANCE_TOTALS:
        if words and not re.search(words, sentence[: max(sentence.find(claim.text), 0)] or sentence):
            continue
        for subject, label in candidates:
            subject, _, section = subject.partition("@")
            entry = next((e for e in SUBJECT_LINKS if e.subject == subject and (e.section or "") == (_GENERAL if section else "")), None)
            if entry is None:
                continue
            cell = entry_cell(ctx, entry)[0]
            if cell is not None and cell.text and compare_restated(cell, q).status in (OK, ROUNDING):
                return cell, label
    return None


def _confirming_cell(ctx: Context, claim):
    q = claim_quantity(claim)
    for lookup, label in CONFIRMING_CELLS.get(link_subject(claim), ()):
        cell = lookup(ctx)
        if cell is not None and compare_restated(cell, q).status in (OK, ROUNDING):
            return cell, label
    return None


def _alternate_total(ctx: Context, claim, q: Quantity):
    entry = ALTERNATE_TOTALS.get(claim.subject)
    if entry is None or "本年" not in (claim.phrase or ""):
        return None
    cell = entry[0](ctx)
    if cell is None or compare_restated(cell, q).status not in (OK, ROUNDING):
        return None
    return cell, entry[1]


def SUBJECT_ALIASES_OF(subject: str) -> set[str]:
    """The printed names of a canonical subject (quotes folded)."""
    from budgetkit.narrative import SUBJECT_ALIASES

    return {a.replace('"', "“") for a in SUBJECT_ALIASES.get(subject, ())} | {subject}


#: Wholes a share names without saying which (占总支出的, 占总收入的): the total before the list.
GENERIC_WHOLES = {"总支出", "总收入", "支出总额", "收入总额", "总额", "合计", "总计"}


def _denominator_is(denominator: str | None, head) -> bool:
    """May the sentence's first amount be the whole a share names (``占…的``)? Yes when no whole is named."""
    if not denominator or re.sub(r"[的\s]", "", denominator) in GENERIC_WHOLES:
        return True
    from budgetkit.narrative import canonical_subject

    den = re.sub(r"[的\s]", "", denominator)
    return canonical_subject(den) == head.subject or bool(head.phrase and (den in head.phrase or head.phrase in den))


def _head_amount(claims, claim):
    """The first money amount of the claim's sentence (the whole of a 占…% list).

    ``None`` when the share names no whole and that amount carries a share itself: the sentence
    lists parts with their shares (“三公”经费决算中，因公出国费 4.69 万元，占 10.15%；公务接待费
    0.9 万元，占 1.95%) and names its whole without an amount."""
    for other in claims:
        if other.sentence == claim.sentence and other.location == claim.location and other.kind == "amount" and other.unit in MONEY:
            if not claim.denominator and any(c.kind == "share" and c.sentence == other.sentence and c.location == other.location and c.current_value == other.value
                   and c.subject == other.subject for c in claims):
                return None
            return other
    return None


@implements("narrative.share")
def narrative_share(ctx: Context, rule: Rule):
    claims = claims_of(ctx)
    for claim in claims:
        if claim.kind != "share":
            continue
        if claim.current_value is None or claim.current_unit not in MONEY:
            yield not_linked(rule, claim, "占比前没有金额", "ambiguous")
            continue
        part = claim_quantity(claim, claim.current_value, claim.current_text or str(claim.current_value), claim.current_unit,
                              f"情况说明「{claim.subject}」")
        whole, whole_label, whole_claim = None, "", None
        confirming_alternate = False
        if claim.denominator and _names_project_total(claim.denominator) and ctx.printed("expenditure"):
            whole, whole_label = ctx.total_row("expenditure", "project"), "支出总表 项目支出合计"
        elif claim.denominator and _names_project_total(claim.denominator) and ctx.printed("final_expenditure") \
                and not re.search(r"一般公共预算|政府性基金|国有资本|财政拨款", claim.denominator):
            # a final account's 占部门预算项目支出总额的65.9%: its 支出决算表 prints the projects' spending, which the
            # words may or may not mean (预算 or 决算): only a share that fits it is taken
            candidate = ctx.total_row("final_expenditure", "project")
            ratio = compare_ratio(claim.value, claim.text, part, candidate) if candidate is not None else None
            if ratio is not None and ratio.status in (OK, ROUNDING):
                whole, whole_label, confirming_alternate = candidate, "支出决算表 项目支出合计", True
        if whole is None:
            head = _head_amount(claims, claim)
            # the first amount of the sentence is the whole only when it is not itself a part with a share
            if head is not None and not (head.value == claim.current_value and head.subject == claim.subject) \
                    and not _carries_share(claims, head) and _denominator_is(claim.denominator, head):
                whole, whole_label, whole_claim = claim_quantity(head), f"情况说明「{head.phrase or head.subject}」", head
        if whole is None and claim.denominator:
            # 占授予中小企业合同金额的 60.02%: the whole is an amount the paragraph stated before, by its words
            named_claim = _named_amount(claims, claim)
            if named_claim is not None:
                whole, whole_label, whole_claim = claim_quantity(named_claim), f"情况说明「{named_claim.phrase}」", named_claim
        listed_parts: list = []
        if whole is None and (not claim.denominator or _generic_whole(claim.denominator)):
            # 其中：一般公共预算拨款收入 91,495.48 万元，占92.2%；其他收入 7,387.66 万元，占 7.4%；…: no whole is
            # printed, but the shares add up to 100 %: the whole is the sum of the parts listed.
            listed_parts = _partition(claims, claim)
            if listed_parts:
                whole = summed([claim_quantity(p) for p in listed_parts], "所列各项之和")
                whole_label = f"所列 {len(listed_parts)} 项之和（各项占比合计 100%）"
        named_three_public = False
        if whole is None and claim.denominator:
            # 占“三公”经费的25.96%: the whole is named, and is a table cell
            from budgetkit.narrative import canonical_subject

            named = canonical_subject(claim.denominator)
            entry = next((e for e in SUBJECT_LINKS if e.subject == named and not e.section), None)
            if entry is not None and named in STRICT_SUBJECTS | {"“三公”经费", "机关运行经费"} \
                    and re.sub(r"[的\s]", "", claim.denominator) in SUBJECT_ALIASES_OF(named):
                if named == "“三公”经费":
                    whole, whole_label = three_public_whole(ctx)
                    named_three_public = whole is not None
                else:
                    whole, whole_label = entry_cell(ctx, entry)
                if whole is None and named in SHARE_WHOLE_ALTERNATES:
                    # 占本年支出合计的 100% where the 收支总表 prints 当年支出小计: the same line under another
                    # name — only a share that fits it is taken (confirming)
                    lookup, alternate_label = SHARE_WHOLE_ALTERNATES[named]
                    alternate = lookup(ctx)
                    ratio = compare_ratio(claim.value, claim.text, part, alternate) if alternate is not None else None
                    if ratio is not None and ratio.status in (OK, ROUNDING):
                        whole, whole_label, confirming_alternate = alternate, alternate_label, True
        if whole is None and claim.denominator:
            # a final account's 本年支出合计 (and the like) in its 收入支出决算总表
            whole, whole_label = _final_whole(ctx, claim.denominator)
        if whole is None and not claim.denominator and re.search(r"三公", claim.sentence or "") \
                and claim.subject in ("因公出国（境）费", "公务接待费", "公务用车购置及运行费"):
            # “三公”经费财政拨款支出决算中，因公出国（境）费 4.69 万元，占 10.15%；…: shares of the “三公” total
            whole, whole_label = _three_public_total_any(ctx)
        confirming = False
        if whole is None and (not claim.denominator or _generic_whole(claim.denominator)):
            # 占总支出94.24% with no total in its sentence: the document's totals may be meant; one that
            # gives the printed share confirms it, none proves nothing (which total is meant is not said)
            for candidate, candidate_label in _generic_wholes(ctx, claim):
                ratio = compare_ratio(claim.value, claim.text, part, candidate)
                if ratio is not None and ratio.status in (OK, ROUNDING):
                    whole, whole_label, confirming = candidate, candidate_label, True
                    break
        if whole is None:
            yield not_linked(rule, claim, "找不到分母", "ambiguous")
            continue
        stated = claim.value
        outcome = compare_ratio(stated, claim.text, part, whole)
        if outcome is None:
            yield not_linked(rule, claim, "分母为 0", "prior_zero")
            continue
        note = ""
        if outcome.status == ERROR and _adjusted_to_100(claims, claim, outcome):
            outcome.status = ROUNDING
            outcome.why = "所列各项占比合计恰为 100%：末位经调整使合计为 100%，差不到末位一个单位"
        if named_three_public and outcome.status == ERROR:
            other, other_label = three_public_other_base(ctx, whole)
            if other is not None:
                from budgetkit.checks.arithmetic import round_half_up

                on_other = part.yuan / other.yuan * 100 if other.yuan else None
                if on_other is not None and round_half_up(on_other, outcome.decimals) == stated:
                    note = (f"所印占比等于 {part.text} / {other.text}（{other_label}），分母用错："
                            f"“三公”经费为 {whole.text}，占比应为 {round_half_up(outcome.recomputed_pct, outcome.decimals)}%")
        part_claim = claims[claim.current_index] if claim.current_index is not None else None
        if confirming:
            whole_label += "；分母未言明，与此数相符"
        elif confirming_alternate:
            whole_label += "；所指之数表中名称或口径不同，与此数相符"
        yield about(from_ratio(rule, outcome, f"情况说明「{claim.subject}」占 {claim.text} = {part.text} / {whole.text}（{whole_label}）",
                               [part, whole], note=note), claim, part_claim, whole_claim, *listed_parts)


#: A whole a share names (本年支出合计) that the 收支总表 prints under another name: its lookup and label.
SHARE_WHOLE_ALTERNATES = {
    "本年支出合计": (_first_printed(_s_exp("当年支出小计"), _s_exp("当年支出小计", "expense_use_amount")), "收支总表 当年支出小计"),
}


def _three_public_total_any(ctx: Context):
    """The “三公”经费 total of the budget's table, or of the 决算 table (its 决算数)."""
    whole, label = three_public_whole(ctx)
    if whole is not None or not ctx.printed("final_three_public"):
        return whole, label
    from budgetkit.final import three_public_cells

    cell = three_public_cells(ctx.rows("final_three_public")).get(("final", "three_public_total"))
    return (ctx.quantity(cell), f"{ctx.title('final_three_public')} “三公”经费合计「决算数」") if cell is not None else (None, "")


def _generic_whole(denominator: str) -> bool:
    return re.sub(r"[的\s]", "", denominator) in GENERIC_WHOLES


def _named_amount(claims, claim):
    """The amount stated before the share, in its paragraph, whose printed phrase is the whole the share
    names (``授予中小企业合同金额 1820.69 万元，…，占授予中小企业合同金额的55.78%``); ``None`` if none or
    several differ."""
    den = re.sub(r"[的\s]", "", claim.denominator or "")
    if len(den) < 4 or _generic_whole(den):
        return None
    found = [c for c in claims[: claim.index] if c.location == claim.location and c.kind == "amount" and c.unit in MONEY
             and re.sub(r"\s", "", c.phrase or "").endswith(den)]  # (学校 2024 年度)政府采购支出总额
    values = {c.value for c in found}
    return found[-1] if len(values) == 1 else None


#: What a final account's share names as its whole, and the 收入支出决算总表 row that prints it.
_FINAL_WHOLES = (
    (r"^(?:本年)?支出(?:合计|决算合计)$", "expense", "current"),
    (r"^(?:本年)?收入(?:合计|决算合计)$", "income", "current"),
    (r"^(?:支出|收入)总计$", None, "grand_total"),
)


def _final_whole(ctx: Context, denominator: str):
    """The 决算 table cell a share's whole names (本年支出合计 …), in a final account; ``(None, "")`` else."""
    if not ctx.printed("final_summary"):
        return None, ""
    from budgetkit.checks.final_rules import _summary_row_by_role

    den = re.sub(r"[的\s]", "", denominator)
    for pattern, side, role in _FINAL_WHOLES:
        if re.search(pattern, den):
            side = side or ("income" if den.startswith("收入") else "expense")
            row = _summary_row_by_role(ctx, "final_summary", side, role)
            if row is not None:
                return ctx.quantity(row), f"{ctx.title('final_summary')} {row['item']}"
    return None, ""


def _generic_wholes(ctx: Context, claim) -> list:
    """The totals an unnamed whole (占总支出, 占比) may be: this year's and all of it, of expenditure
    (or income, when the words speak of income)."""
    income = "收入" in (claim.denominator or "") or ("收入" in (claim.subject or "") and "支出" not in (claim.subject or ""))
    names = ("本年收入合计", "收入总计") if income else ("本年支出合计", "支出总计")
    out = []
    if ctx.printed("final_summary"):
        for name in names:
            found = _final_whole(ctx, name)
            if found[0] is not None:
                out.append(found)
    for subject in (("本年收入", "预算收入总计") if income else ("本年支出合计", "预算支出总计")):
        entry = next((e for e in SUBJECT_LINKS if e.subject == subject and not e.section), None)
        if entry is not None:
            found = entry_cell(ctx, entry)
            if found[0] is not None and found[0].text:
                out.append(found)
    return out


def _adjusted_to_100(claims, claim, outcome) -> bool:
    """Shares printed so their list adds up to exactly 100 % — one is off by less than a unit of its last digit."""
    unit = Decimal(1).scaleb(-outcome.decimals)
    if abs(outcome.stated_pct - outcome.recomputed_pct) >= unit + outcome.tolerance_pct - Decimal(5).scaleb(-(outcome.decimals + 1)):
        return False
    shares = _run(claims, claim, lambda c: c.kind == "share" and c.current_index is not None and c.denominator == claim.denominator)
    shares = [c for c in shares if c.kind == "share"]
    return len(shares) >= 2 and sum((s.value for s in shares), Decimal(0)) == 100


def _run(claims, claim, is_share) -> list:
    """The run of claims around ``claim`` in one section: shares (``is_share``) and the amounts they follow."""
    def in_run(c) -> bool:
        if c.section != claim.section:
            return False
        if c.kind == "share":
            return is_share(c)
        return c.kind == "amount" and c.unit in MONEY and _carries_share(claims, c)

    lo = hi = claim.index
    while lo > 0 and in_run(claims[lo - 1]):
        lo -= 1
    while hi + 1 < len(claims) and in_run(claims[hi + 1]):
        hi += 1
    return claims[lo : hi + 1]


def _names_project_total(denominator: str) -> bool:
    """``占部门（单位）项目支出总额的`` names the project total; ``占财政性资金(…项目支出除外)总额的`` does not."""
    bare = re.sub(r"[（(][^）)]*[）)]", "", denominator)
    return bool(re.search(r"项目支出(?:预算)?(?:总额|合计|总计)?(?:的|比重|比例)*(?:为)?$", bare)) and "除外" not in bare


def _carries_share(claims, amount) -> bool:
    """Is a share printed for this amount (then it is a part of a list, not the whole)?"""
    return any(c.kind == "share" and c.current_index == amount.index for c in claims[amount.index + 1 : amount.index + 3])


def _partition(claims, claim) -> list:
    """The amounts of the list the share belongs to, when their printed shares add up to 100 %.

    The list is the run of amounts each followed by its share (占…%, no whole named) around the
    claim, in one section, possibly over several lines (苏州: one line per income source); an
    amount without a share ends it. The shares must add up to 100 within their rounding (each
    printed to ``d`` decimals may be off by half a unit).
    """
    run = _run(claims, claim, lambda c: (not c.denominator or _generic_whole(c.denominator)) and c.current_index is not None)
    shares = [c for c in run if c.kind == "share"]
    sentence = [c for c in shares if c.sentence == claim.sentence and c.location == claim.location]
    # the run of the section, else of the sentence (two lists one after the other: 按功能分类 …；按经济分类 …)
    for listed in (shares, sentence):
        if len(listed) < 2 or any(s.current_unit not in MONEY for s in listed):
            continue
        allowance = sum((Decimal(5).scaleb(-(_decimals_of(s.text) + 1)) for s in listed), Decimal(0))
        if abs(sum((s.value for s in listed), Decimal(0)) - 100) <= allowance:
            return [claims[s.current_index] for s in listed]
    return []


def _decimals_of(text: str) -> int:
    number = re.sub(r"[^0-9.．]", "", text or "").replace("．", ".")
    return len(number.split(".", 1)[1]) if "." in number else 0


@implements("narrative.change_rate")
def narrative_change_rate(ctx: Context, rule: Rule):
    from budgetkit.narrative import implied_prior_year

    claims = claims_of(ctx)
    for pv in implied_prior_year(claims):
        if pv.stated_rate_pct is None or pv.unit not in MONEY:
            continue
        change_claim = claims[pv.change_index]
        change = claim_quantity(change_claim, pv.change_value, change_claim.text, change_claim.unit, "增减额")
        cur_text = change_claim.current_text or str(pv.current_value)
        current = claim_quantity(change_claim, pv.current_value, cur_text, pv.unit, "本年数")
        prior = Quantity(pv.prior_value, pv.unit, "", "上年数（推算）", current.where)
        rate_text = f"{pv.stated_rate_pct}%"
        outcome = compare_ratio(pv.stated_rate_pct, rate_text, change, prior)
        if outcome is None:
            continue
        # the prior is current ∓ change: its rounding is the sum of both
        extra = (current.half_step_yuan + change.half_step_yuan) * abs(change.yuan) / (prior.yuan ** 2) * 100 if prior.yuan else Decimal(0)
        tol = outcome.tolerance_pct + extra
        status = outcome.status
        if status == ERROR and abs(outcome.stated_pct - outcome.recomputed_pct) <= tol:
            status = ROUNDING
        outcome.status, outcome.tolerance_pct = status, tol
        rate_claim = claims[pv.rate_index] if pv.rate_index is not None else None
        if status == ERROR and rate_claim is not None and _bracketed_after(rate_claim, change_claim):
            # a bare percentage in brackets after a change (较上年减少 24.5 万元（43%）) may be the change
            # rate or another ratio (本年 / 上年 = 43.2%): only a rate that fits confirms; else unchecked
            yield not_linked(rule, rate_claim, f"括注的 {rate_text} 不等于按上年数 {pv.prior_value} 重算的增减率 "
                             f"{outcome.recomputed_pct:.2f}%：括号里的百分比未说是增减率", "ambiguous")
            continue
        note = ""
        if status == ERROR and pv.rate_on_current_pct is not None:
            from budgetkit.checks.arithmetic import round_half_up

            if round_half_up(pv.rate_on_current_pct, outcome.decimals) == pv.stated_rate_pct:
                note = f"所印增减率等于 增减额 / 本年数（{change.text} / {current.text}），分母用错：应除以上年数 {pv.prior_value}"
        what = (f"情况说明「{pv.subject}」{pv.direction}{change.text}{pv.unit}、{pv.direction}{rate_text}："
                f"上年 = {current.text} {'−' if pv.direction in ('增加', '增长', '上升', '提高') else '+'} {change.text} = {pv.prior_value}")
        current_claim = claims[pv.current_index] if pv.current_index is not None else None
        yield about(from_ratio(rule, outcome, what, [change, current], note=note), change_claim, rate_claim, current_claim)


def _bracketed_after(rate_claim, change_claim) -> bool:
    """Is the rate printed bare in brackets right after the change (``减少 24.5 万元（43%）``)?"""
    pattern = re.escape(change_claim.text) + r"\s*[（(]\s*" + re.escape(rate_claim.text)
    return re.search(pattern, rate_claim.sentence or "") is not None


@implements("narrative.sum")
def narrative_sum(ctx: Context, rule: Rule):
    claims = [c for c in claims_of(ctx) if c.kind == "amount" and c.unit in MONEY]
    seen: set[tuple] = set()
    for total_subject, part_subjects in NARRATIVE_SUMS:
        for total in claims:
            if total.subject != total_subject or inexact_subject(total, "", _QUALIFIERS):
                continue
            for scope in ("sentence", "section"):
                pool = [c for c in claims if (c.sentence == total.sentence and c.location == total.location) if scope == "sentence"] \
                    if scope == "sentence" else [c for c in claims if c.section == total.section]
                pool = [c for c in pool if c.index > total.index] or pool
                parts = []
                for subject in part_subjects:
                    match = next((c for c in pool if c.subject == subject and c is not total and not inexact_subject(c, "", _QUALIFIERS)), None)
                    if match is None:
                        if scope == "sentence":
                            continue  # a part the sentence does not state (拟采购工程支出 when there is none)
                        break
                    parts.append(match)
                if scope == "sentence" and 2 <= len(parts) < len(part_subjects):
                    # only the parts stated: they confirm the total when they add up to it, else prove nothing
                    outcome = compare_sum([claim_quantity(p) for p in parts], claim_quantity(total))
                    key = (total.index, tuple(p.index for p in parts))
                    if outcome.status in (OK, ROUNDING) and key not in seen:
                        seen.add(key)
                        missing = [s for s in part_subjects if s not in {p.subject for p in parts}]
                        yield about(from_outcome(rule, outcome, f"情况说明「{total.phrase or total.subject}」{total.text} = "
                                                 + " + ".join(p.phrase or p.subject for p in parts),
                                                 note_ok=f"（未述及 {'、'.join(missing)}）"), total, *parts)
                        break
                    parts = []
                if len(parts) == len(part_subjects):
                    key = (total.index, tuple(p.index for p in parts))
                    if key in seen:
                        break
                    seen.add(key)
                    finding, used = _sum_finding(rule, total, parts, _listed_with(claims, total, parts, scope))
                    yield about(finding, total, *used)
                    break


def _listed_with(claims, total, parts, scope: str) -> list:
    """Other amounts the narrative lists beside the parts (单位预留机动经费, 结转下年资金 …).

    In the total's sentence (``sentence`` scope) or section: money amounts after the total that
    are neither the total, a restatement of it, nor one of the parts.
    """
    taken = {p.index for p in parts}
    out = []
    for c in claims:
        if c.index <= total.index or c.index in taken or c.subject == total.subject:
            continue
        if scope == "sentence" and not (c.sentence == total.sentence and c.location == total.location):
            continue
        if scope == "section" and c.section != total.section:
            continue
        if c.value == total.value and c.unit == total.unit:
            continue
        out.append(c)
    return out


def _sum_finding(rule: Rule, total, parts, listed) -> tuple[Finding, list]:
    """Total = Σ parts, taking every part the narrative lists: never an error when it lists more parts.

    Returns:
        The finding and the parts it added up (none when it could not decide).
    """
    head = f"情况说明「{total.phrase or total.subject}」{total.text} = "
    outcome = compare_sum([claim_quantity(p) for p in parts], claim_quantity(total))
    if outcome.status in (OK, ROUNDING) or not listed:
        return from_outcome(rule, outcome, head + " + ".join(f"{p.phrase or p.subject}" for p in parts)), parts
    every = parts + listed
    outcome_all = compare_sum([claim_quantity(p) for p in every], claim_quantity(total))
    if outcome_all.status in (OK, ROUNDING):
        return from_outcome(rule, outcome_all, head + " + ".join(f"{p.phrase or p.subject}" for p in every)), every
    others = "、".join(f"{c.phrase or c.subject} {c.text}" for c in listed[:4])
    return Finding(rule.id, rule.family, NOT_LINKED,
                   f"未关联（叙述还列有其他部分：{others}，无法确定总数的全部组成）：{head}" + " + ".join(
                       f"{p.phrase or p.subject}" for p in parts) + " + …",
                   actual=claim_quantity(total).text, unit=total.unit, tables="narrative",
                   location=where_of([claim_quantity(total)]), evidence=total.sentence[:160], reason="ambiguous"), []
