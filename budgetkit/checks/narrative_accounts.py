"""Narrative rules on amounts of a 科目: linked to its row by code and name, names, one line twice.

The narrative names function-classification lines in several printed forms
(:func:`budgetkit.narrative.find_accounts`): ``“一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”25.77万元``,
``（一）2011301-行政运行 2163.74 万元``, ``小学教育（2050202）…8,627.17万元``, ``住房公积金（01项）``.

* ``narrative.account_amount`` — the amount against the row of the function-classification table
  the 科目 names: found by its code when printed, else by its names from 类 down (a class printed
  under a former name is found through the renames of :file:`narrative.toml`). The table is the
  one the section speaks of (一般公共预算, 政府性基金, 财政拨款, else the expenditure tables in turn);
  an amount that equals the row of another candidate table is not an error. Amounts of another
  year or basis (``2023年当年预算执行数``) are listed as not checked: no budget table prints them.
* ``narrative.account_name`` — each 科目 name printed against the table's name for the row it was
  linked to, and a class name against the standard names: a name the classification has since
  replaced (``医疗卫生与计划生育支出`` for 210 卫生健康支出) is an outdated name, a ``warning`` — the
  amounts are not in question.
* ``narrative.same_line`` — two different amounts stated for one line in one item
  (``“…住房公积金（项）”350.35万元 … 2024年预算安排352.67万元``): an ``error``, with the table's amount.
"""

from __future__ import annotations

import re

from budgetkit.checks.arithmetic import ERROR, OK, ROUNDING, WARNING, compare_restated, compare_same
from budgetkit.checks.engine import Context, Finding, Rule, from_outcome, implements
from budgetkit.checks.narrative_periods import PRIOR_YEAR_WORDS, period_of
from budgetkit.checks.narrative_rules import MONEY, about, claim_quantity, claims_of, not_linked, unreadable, unreadable_table
from budgetkit.narrative import AccountPart
from budgetkit.vocabulary import narrative_vocabulary, same_name

#: Tables holding function-classification rows of the budget, and what they are called.
ACCOUNT_TABLES = {
    "general_expenditure": "一般公共预算支出表",
    "fund_expenditure": "政府性基金预算支出表",
    "expenditure": "支出总表",
}
#: Which tables hold the money the words before an amount speak of (first match in the headings, then
#: in the sentence). An amount is held only against these: 一般公共预算 items are not the 支出总表's,
#: which counts every fund.
SECTION_TABLES: list[tuple[str, tuple[str, ...]]] = [
    ("政府性基金", ("fund_expenditure",)),
    ("一般公共预算", ("general_expenditure",)),
    ("财政拨款", ("general_expenditure", "fund_expenditure")),
    ("", ("general_expenditure", "fund_expenditure", "expenditure")),
]


def account_parts(claim) -> list[AccountPart]:
    """The 科目 parts a claim carries (``account_levels``/``names``/``codes``, ``|``-separated)."""
    levels = claim.account_levels.split("|")
    names = claim.account_names.split("|")
    codes = claim.account_codes.split("|")
    return [AccountPart(level or None, name, code or None) for level, name, code in zip(levels, names, codes)]


def is_current(claim, period) -> bool:
    """Is the amount the document's own (this year's budget, or this year's final account)?"""
    if claim.year_word in PRIOR_YEAR_WORDS:
        return False
    if claim.year is not None and period.year is not None and claim.year != period.year:
        return False
    if period.kind == "final":
        return claim.basis in (None, "final", "execution")
    return claim.basis in (None, "budget")


def _function_code(part: AccountPart) -> str | None:
    """The part's printed code: function (2xx) or economic (3xx, 5xx) classification."""
    return part.code if part.code and part.code[:1] in ("2", "3", "5") else None


def find_account_row(ctx: Context, table_id: str, parts: list[AccountPart], column_id: str = "total"):
    """The row (``total`` column) of ``table_id`` the 科目 names, with the rows matched on the way.

    Level by level from the first printed part down, each among the children of the one above: by
    the part's code when printed, else by its name; a 类 printed under a former name is found
    through the renames of :file:`narrative.toml`.

    Returns:
        ``(row, chain, by_order)`` — the row (``None`` when none or several match), ``[(part, row)]``
        for each part matched to one row, and whether the table prints no codes (then the row was
        found by the order of the names, :func:`_find_by_order`).
    """
    rows = ctx.rows(table_id, column_id)
    if rows and not any(r["code"] for r in rows):
        return (*_find_by_order(rows, parts), True)
    renames = narrative_vocabulary().renames
    candidates = None
    chain = []
    for part in parts:
        if part.level not in ("类", "款", "项"):
            return None, [], False
        level_rows = [r for r in rows if r["code_level"] == part.level]
        if candidates is not None:
            parents = {c["code"] for c in candidates}
            level_rows = [r for r in level_rows if r["parent_code"] in parents]
        code = _function_code(part)
        if code:
            hits = [r for r in level_rows if r["code"] == code]
        else:
            hits = [r for r in level_rows if same_name(r["key"], part.name)]
            if not hits and part.level == "类":
                codes = {rename.code for rename in renames if same_name(rename.former, part.name)}
                hits = [r for r in level_rows if r["code"] in codes]
        if not hits:
            return None, [], False
        candidates = hits
        if len(hits) == 1:
            chain.append((part, hits[0]))
    return (candidates[0] if candidates and len(candidates) == 1 else None), chain, False


def _find_by_order(rows: list, parts: list[AccountPart]):
    """In a table printed without codes (names only, 类 → 款 → 项 in order): each part among the rows after
    the one above, before the next class. A row found so proves nothing when its amount differs: no
    error is reported on it."""
    vocab = narrative_vocabulary()
    class_names = list(vocab.function_classes.values()) + [r.former for r in vocab.renames]
    is_class = [any(same_name(r["key"], name) for name in class_names) for r in rows]
    start, end = 0, len(rows)
    chain: list = []
    found = None
    for part in parts:
        hits = [i for i in range(start, end) if same_name(rows[i]["key"], part.name) and (is_class[i] or part.level != "类")]
        if not hits or (part is parts[0] and len(hits) > 1):
            return None, []
        found = hits[0]
        chain.append((part, rows[found]))
        start = found + 1
        if part.level == "类":
            end = next((j for j in range(start, len(rows)) if is_class[j]), len(rows))
    return (rows[found] if found is not None else None), chain


#: Words in the title of a table the catalog does not name that say which money it lists
#: (2021年部门综合预算一般公共预算支出明细表): first match.
_OTHER_TABLE_MONEY = (("一般公共预算", "general_expenditure"), ("政府性基金", "fund_expenditure"), ("", "expenditure"))


def function_tables(ctx: Context, kinds: tuple[str, ...], economic: bool = False) -> list[tuple[str, str]]:
    """The printed tables of the given kinds, as ``(table_id, total column)``.

    The catalog's own tables first; then tables it does not name that list the classification by
    code — function codes (2xx), or economic codes (3xx/5xx) when ``economic`` — with a 合计 column,
    the money their title names (一般公共预算 …) deciding their kind; tables of basic expenditure only
    (基本支出) are not among them. With ``economic`` the catalog's general_economic table is the one
    of the 一般公共预算.
    """
    if economic:
        out = [("general_economic", "total")] if "general_expenditure" in kinds and ctx.printed("general_economic") else []
    else:
        out = [(t, "total") for t in kinds if ctx.printed(t)]
    first_digits = ("3", "5") if economic else ("2",)
    for table_id, table in ctx.document.tables.items():
        title = table.title or ""
        if not table_id.startswith("other") or "基本支出" in title or not ctx.printed(table_id):
            continue
        kind = next(k for words, k in _OTHER_TABLE_MONEY if words in title)
        column = next((r["column_id"] for r in ctx.rows(table_id) if str(r.get("column_label") or "").strip() in ("合计", "总计")), None)
        if kind not in kinds or column is None:
            continue
        codes = [r["code"] for r in ctx.rows(table_id, column) if isinstance(r["code"], str) and r["code"]]
        if sum(c[:1] in first_digits for c in codes) >= 3:  # some tables list both classifications, one after the other
            out.append((table_id, column))
    return out


def _tables_for(claim) -> tuple[str, ...]:
    heading = f"{claim.section or ''}{claim.subsection or ''}"
    for text in (heading, claim.sentence or ""):
        scoped = next((tables for words, tables in SECTION_TABLES if words and words in text), None)
        if scoped:
            return scoped
    return SECTION_TABLES[-1][1]


def _title(ctx: Context, table_id: str) -> str:
    return ACCOUNT_TABLES.get(table_id) or ctx.title(table_id)


def _label(ctx: Context, table_id: str, row) -> str:
    return f"{_title(ctx, table_id)} {row['code'] or ''} {row['item'] or ''}".strip()


def link_account(ctx: Context, claim):
    """The table rows the amount of a 科目 may restate: ``[(table_id, row, chain, by_order)]``, preferred first.

    Returns:
        The rows found (possibly empty), and the reason code when none could be looked up.
    """
    parts = account_parts(claim)
    economic = bool(parts and parts[-1].code and parts[-1].code[:1] in ("3", "5"))  # 工资福利支出（301）
    tables = function_tables(ctx, _tables_for(claim), economic)
    if economic and not tables:
        return [], "no_table"  # no table prints the whole budget by economic class
    if not tables:
        return [], ("no_row" if any(ctx.present(t) for t in _tables_for(claim)) else "table_not_read")
    found = []
    for table_id, column_id in tables:
        row, chain, by_order = find_account_row(ctx, table_id, parts, column_id)
        if row is not None:
            found.append((table_id, row, chain, by_order))
    return found, ("" if found else "no_row")


@implements("narrative.account_amount")
def narrative_account_amount(ctx: Context, rule: Rule):
    period = period_of(ctx)
    for claim in claims_of(ctx):
        if claim.kind != "amount" or not claim.account or claim.unit not in MONEY:
            continue
        if period.kind is None and period.year is None and claim.year is not None:
            yield not_linked(rule, claim, "不知道文件的年度或类型", "unknown_period")
            continue
        if not is_current(claim, period):
            yield not_linked(rule, claim, f"{claim.account} 的{claim.year or claim.year_word or ''}"
                             f"{narrative_vocabulary().basis_label(claim.basis)}：表中只列本年数", "no_table")
            continue
        if period.kind == "final":
            yield not_linked(rule, claim, f"{claim.account}：决算表未读出", "table_not_read")
            continue
        found, reason = link_account(ctx, claim)
        if not found:
            why = {"no_table": "经济分类科目：表中没有全口径经济分类", "table_not_read": "支出功能分类表未读出",
                   "no_row": "表中找不到此科目（或不唯一）"}[reason]
            yield not_linked(rule, claim, f"{claim.account}：{why}", reason)
            continue
        q = claim_quantity(claim)
        outcomes = [(table_id, row, compare_restated(ctx.quantity(row), q), by_order) for table_id, row, _, by_order in found]
        passing = next((o for o in outcomes if o[2].status in (OK, ROUNDING)), None)
        table_id, row, outcome, by_order = passing or outcomes[0]
        if passing is None and by_order:
            yield not_linked(rule, claim, f"{claim.account}：表中不印科目编码，按名称顺序找到的 {_label(ctx, table_id, row)} 为 "
                             f"{ctx.quantity(row).text}，未必是此科目", "no_row")
            continue
        if passing is None and unreadable_table(ctx, table_id):
            yield unreadable(rule, claim, f"{_label(ctx, table_id, row)} 为 {ctx.quantity(row).text or '空'}，"
                             f"但该表有读不出的数字（{unreadable_table(ctx, table_id)}）")
            continue
        note_ok = ""
        if passing is not None and passing is not outcomes[0]:
            first = outcomes[0]
            note_ok = f"（{_title(ctx, first[0])} 此科目为 {ctx.quantity(first[1]).text}，本数与 {_title(ctx, table_id)} 相符）"
        others = "；".join(f"{_title(ctx, t)} {ctx.quantity(r).text} {ctx.quantity(r).unit}" for t, r, _, _ in outcomes[1:])
        what = f"情况说明「{claim.account}」{claim.text} = {_label(ctx, table_id, row)}「合计」"
        yield about(from_outcome(rule, outcome, what, note_ok=note_ok, note_fail=(f"其他表：{others}" if others else ""),
                                 extra_tables=["narrative"]), claim)


@implements("narrative.account_name")
def narrative_account_name(ctx: Context, rule: Rule):
    vocab = narrative_vocabulary()
    period = period_of(ctx)
    seen: set[tuple[str, str]] = set()
    by_name = 0
    for claim in claims_of(ctx):
        if claim.kind != "amount" or not claim.account:
            continue
        found, _ = link_account(ctx, claim) if period.kind != "final" else ([], "")
        table_id, chain = (found[0][0], found[0][2]) if found else (None, [])
        linked = {(part.level, part.name): row for part, row in chain}
        where = f"{claim.location.file}" + (f" p.{claim.location.page}" if claim.location.page else "") + (
            f" line {claim.location.line}" if claim.location.line else "")
        for part in account_parts(claim):
            key = (part.level or "", part.name)
            if key in seen or not part.name:
                continue
            seen.add(key)
            row = linked.get((part.level, part.name))
            code = (row["code"] if row is not None else None) or _function_code(part)
            status, rename = vocab.class_name_status(code, part.name) if part.level == "类" and code else ("unknown", None)
            if status == "former" and period.year is not None and rename.since is not None and period.year >= rename.since:
                yield about(Finding(rule.id, rule.family, WARNING,
                                    f"科目名称过时：情况说明「{part.name}」（{code}类）{rename.since}年起不再使用，该类现名「{rename.current}」"
                                    + (f"，表中为「{row['item']}」" if row is not None else "") + "；名称不同，不是金额不符",
                                    expected=rename.current, actual=part.name, tables="narrative" + (f",{table_id}" if table_id else ""),
                                    location=where, evidence=claim.sentence[:160]), claim)
            elif row is not None and _function_code(part) and not re.search(r"[\u4e00-\u9fff]", str(row["item"] or "")):
                continue  # the table's name column was not read (row numbers where the names stand)
            elif row is not None and _function_code(part):
                # linked by its printed code: the name may differ from the table's
                if same_name(row["key"], part.name):
                    yield Finding(rule.id, rule.family, OK, f"科目名称：情况说明「{part.name}」（{code}）= {_label(ctx, table_id, row)}：相符",
                                  expected=str(row["item"]), actual=part.name, tables=f"narrative,{table_id}", location=where)
                else:
                    yield about(Finding(rule.id, rule.family, WARNING,
                                        f"科目名称不符：情况说明「{part.name}」（{code}），表中 {row['code']} 为「{row['item']}」",
                                        expected=str(row["item"]), actual=part.name, tables=f"narrative,{table_id}", location=where,
                                        evidence=claim.sentence[:160]), claim)
            elif row is not None:
                by_name += 1
    if by_name:
        yield Finding(rule.id, rule.family, OK, f"科目名称：{by_name} 个科目按所印名称逐级在表中找到（名称即相符）", tables="narrative")


def same_line_amounts(ctx: Context) -> dict[tuple, list]:
    """The document's own amounts of each 科目, per item: ``{(paragraph, names, codes): [claims]}``."""
    period = period_of(ctx)
    groups: dict[tuple, list] = {}
    for claim in claims_of(ctx):
        if claim.kind == "amount" and claim.account and claim.unit in MONEY and is_current(claim, period):
            key = (claim.location, claim.account_names, claim.account_codes)
            groups.setdefault(key, []).append(claim)
    return groups


@implements("narrative.same_line")
def narrative_same_line(ctx: Context, rule: Rule):
    for stated in same_line_amounts(ctx).values():
        if len(stated) < 2:
            continue
        first = stated[0]
        for other in stated[1:]:
            outcome = compare_same(claim_quantity(first), claim_quantity(other))
            what = f"情况说明「{first.account}」同一行两处金额：{first.text} 与 {_basis_label(other)}{other.text}"
            note = ""
            if outcome.status == ERROR:
                found, _ = link_account(ctx, first)
                if found:
                    table_id, row, _, _ = found[0]
                    cell = ctx.quantity(row)
                    agree = [c.text for c in (first, other) if compare_same(cell, claim_quantity(c)).status in (OK, ROUNDING)]
                    note = f"表中（{_label(ctx, table_id, row)}）为 {cell.text} {cell.unit}" + (f"，与 {'、'.join(agree)} 相符" if agree else "")
            yield about(from_outcome(rule, outcome, what, note_fail=note or "同一科目同一年度只能有一个金额", extra_tables=["narrative"]),
                        first, other)


def _basis_label(claim) -> str:
    year = f"{claim.year}年" if claim.year else ""
    basis = narrative_vocabulary().basis_label(claim.basis) if claim.basis else ""
    return f"{year}{basis}" if (year or basis) else ""


__all__ = ["ACCOUNT_TABLES", "SECTION_TABLES", "account_parts", "find_account_row", "function_tables", "is_current", "link_account"]
