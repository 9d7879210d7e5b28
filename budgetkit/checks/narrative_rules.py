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
from budgetkit.checks.arithmetic import ERROR, NOT_LINKED, OK, ROUNDING, WARNING, Quantity, compare_ratio, compare_same, compare_sum
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


def _s_exp(key, column="expense_total", table="summary"):
    return lambda ctx: _first(ctx, table, column, side="expense", key=key) if ctx.printed(table) else None


def _three_public(key: str):
    """A “三公”经费 item (:func:`budgetkit.semantics.three_public_items`, a row or a column of the table)."""
    def lookup(ctx):
        if not ctx.printed("three_public"):
            return None
        item = three_public_items(ctx.tidy).get(key)
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
    items = three_public_items(ctx.tidy)
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
    items = three_public_items(ctx.tidy)
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
    Link("一般公共预算当年支出", None, _total("general_expenditure", "total"), "一般公共预算支出表 合计"),
    Link("基本支出", _GENERAL, _total("general_expenditure", "basic"), "一般公共预算支出表 合计「基本支出」"),
    Link("基本支出", None, _total("expenditure", "basic"), "支出总表 合计「基本支出」"),
    Link("项目支出", _GENERAL, _total("general_expenditure", "project"), "一般公共预算支出表 合计「项目支出」"),
    Link("项目支出", None, _total("expenditure", "project"), "支出总表 合计「项目支出」"),
    Link("涉及部门预算资金", None, _total("general_expenditure", "total"), "一般公共预算支出表 合计"),
    Link("人员经费", None, _total("general_basic_economic", "personnel"), "基本支出经济分类表 合计「人员经费」"),
    Link("公用经费", None, _total("general_basic_economic", "public"), "基本支出经济分类表 合计「公用经费」"),
    Link("“三公”经费", None, _three_public_lookup, "“三公”经费表 “三公”经费合计（不含会议费、培训费）"),
    Link("因公出国（境）费", None, _three_public("outbound"), "“三公”经费表 因公出国（境）费"),
    Link("公务接待费", None, _three_public("reception"), "“三公”经费表 公务接待费"),
    Link("公务用车购置及运行费", None, _three_public("vehicle_total"), "“三公”经费表 公务用车购置及运行费"),
    Link("公务用车购置费", None, _three_public("vehicle_purchase"), "“三公”经费表 公务用车购置费"),
    Link("公务用车运行维护费", None, _three_public("vehicle_operation"), "“三公”经费表 公务用车运行维护费"),
    Link("机关运行经费", None, _total("admin_operation", "total"), "机关运行经费表 部门合计"),
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
        from budgetkit.narrative import extract_claims

        dept = None
        for table in ctx.document.tables.values():
            if table.department:
                dept = table.department
                break
        ctx._cache["claims"] = extract_claims(ctx.document.narrative, dept)
    return ctx._cache["claims"]


def _number_text(text: str, unit: str) -> str:
    return re.sub(r"\s*" + re.escape(unit) + r"$", "", text or "").strip()


def claim_quantity(claim, value=None, text=None, unit=None, label=None) -> Quantity:
    unit = unit or claim.unit
    number = _number_text(text if text is not None else claim.text, unit)
    where = f"{claim.location}; 情况说明 row {(claim.section or '')[:12]}"
    return Quantity(value if value is not None else claim.value, unit, number or str(value if value is not None else claim.value),
                    label or f"情况说明「{claim.phrase or claim.subject}」", where, None)


def _class_lookup(ctx: Context, subject: str, section: str) -> tuple[Quantity | None, str]:
    if not subject.endswith("支出"):
        return None, ""
    if "财政拨款" in section and ctx.printed("fiscal_summary"):
        return _s_exp(subject, table="fiscal_summary")(ctx), f"财政拨款收支总表「{subject}」"
    if "一般公共预算" in section and ctx.printed("general_expenditure"):
        frame = ctx.find("general_expenditure", "total", key=subject)
        frame = frame[frame["code_level"] == "类"]
        return (ctx.quantity(frame.iloc[0]) if len(frame) == 1 else None), f"一般公共预算支出表「{subject}」"
    if ctx.printed("summary"):
        return _s_exp(subject)(ctx), f"收支总表「{subject}」"
    return None, ""


#: Subjects whose cell is a total of a summary table: their printed phrase must name the cell
#: itself — an alias plus words that do not change what is counted (本年, 部门, 预算数 …).
STRICT_SUBJECTS = {
    "预算收入总计", "预算支出总计", "财政拨款收支总预算", "本年收入", "本年预算安排", "上年结转",
    "一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入", "财政专户管理资金收入", "单位资金",
    "一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款", "一般公共预算当年支出",
    "基本支出", "项目支出", "涉及部门预算资金", "人员经费", "公用经费",
}
_NEUTRAL_PREFIX = ("本年度", "本年", "年度", "全年", "当年", "本部门", "部门", "本单位", "单位", "的", "安排的", "安排", "合计", "共计", "总计")
_NEUTRAL_SUFFIX = ("预算数", "预算", "数", "总额", "合计", "总计", "共计", "资金", "金额", "为", "是")
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


def link(ctx: Context, claim) -> tuple[Quantity | None, str]:
    """The table cell a narrative amount restates, with its label (``None`` if not linked)."""
    section = claim.section or ""
    for entry in SUBJECT_LINKS:
        if entry.subject != claim.subject:
            continue
        if entry.section and not re.search(entry.section, section):
            continue
        return entry.lookup(ctx), entry.label
    return _class_lookup(ctx, claim.subject, section)


def _not_linked(rule: Rule, claim, why: str) -> Finding:
    q = claim_quantity(claim)
    return Finding(rule.id, rule.family, NOT_LINKED, f"未关联（{why}）：「{claim.phrase or claim.subject}」{claim.text}",
                   actual=q.text, unit=claim.unit, tables="narrative", location=where_of([q]), evidence=claim.sentence[:160])


@implements("narrative.amount")
def narrative_amount(ctx: Context, rule: Rule):
    for claim in claims_of(ctx):
        if claim.kind != "amount" or claim.unit not in MONEY:
            continue
        cell, label = link(ctx, claim)
        if not label:
            why = "项目绩效目标的金额，见 performance.narrative_counts" if "绩效" in (claim.section or "") else "没有对应的表格单元格"
            yield _not_linked(rule, claim, why)
            continue
        inexact = inexact_subject(claim, label)
        if inexact:
            yield _not_linked(rule, claim, inexact)
            continue
        if cell is None:
            yield _not_linked(rule, claim, f"{label} 未印或无法唯一定位")
            continue
        q = claim_quantity(claim)
        outcome = compare_same(cell, q)
        what = f"情况说明「{claim.phrase or claim.subject}」{claim.text} = {label}"
        if outcome.status == ERROR and claim.subject == "一般公共预算拨款":
            carry = _fiscal_carry_general(ctx)
            if carry is not None and compare_sum([cell, carry], q).status in (OK, ROUNDING):
                yield from_outcome(rule, outcome, what, fail_status=WARNING,
                                   note_fail=(f"叙述数 = 本年一般公共预算 {cell.text} + 上年结转一般公共预算 {carry.text}："
                                              "口径含上年结转，与表中本年收入「一般公共预算」不同"))
                continue
        yield from_outcome(rule, outcome, what, extra_tables=["narrative"])


def SUBJECT_ALIASES_OF(subject: str) -> set[str]:
    """The printed names of a canonical subject (quotes folded)."""
    from budgetkit.narrative import SUBJECT_ALIASES

    return {a.replace('"', "“") for a in SUBJECT_ALIASES.get(subject, ())} | {subject}


def _denominator_is(denominator: str | None, head) -> bool:
    """May the sentence's first amount be the whole a share names (``占…的``)? Yes when no whole is named."""
    if not denominator:
        return True
    from budgetkit.narrative import canonical_subject

    den = re.sub(r"[的\s]", "", denominator)
    return canonical_subject(den) == head.subject or bool(head.phrase and (den in head.phrase or head.phrase in den))


def _head_amount(claims, claim):
    """The first money amount of the claim's sentence (the whole of a 占…% list)."""
    for other in claims:
        if other.sentence == claim.sentence and other.location == claim.location and other.kind == "amount" and other.unit in MONEY:
            return other
    return None


@implements("narrative.share")
def narrative_share(ctx: Context, rule: Rule):
    claims = claims_of(ctx)
    for claim in claims:
        if claim.kind != "share":
            continue
        if claim.current_value is None or claim.current_unit not in MONEY:
            yield _not_linked(rule, claim, "占比前没有金额")
            continue
        part = claim_quantity(claim, claim.current_value, claim.current_text or str(claim.current_value), claim.current_unit,
                              f"情况说明「{claim.subject}」")
        whole, whole_label = None, ""
        if claim.denominator and "项目支出" in claim.denominator and ctx.printed("expenditure"):
            whole, whole_label = ctx.total_row("expenditure", "project"), "支出总表 项目支出合计"
        if whole is None:
            head = _head_amount(claims, claim)
            if head is not None and not (head.value == claim.current_value and head.subject == claim.subject) \
                    and _denominator_is(claim.denominator, head):
                whole, whole_label = claim_quantity(head), f"情况说明「{head.phrase or head.subject}」"
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
                    whole, whole_label = entry.lookup(ctx), entry.label
        if whole is None:
            yield _not_linked(rule, claim, "找不到分母")
            continue
        stated = claim.value
        outcome = compare_ratio(stated, claim.text, part, whole)
        if outcome is None:
            yield _not_linked(rule, claim, "分母为 0")
            continue
        note = ""
        if named_three_public and outcome.status == ERROR:
            other, other_label = three_public_other_base(ctx, whole)
            if other is not None:
                from budgetkit.checks.arithmetic import round_half_up

                on_other = part.yuan / other.yuan * 100 if other.yuan else None
                if on_other is not None and round_half_up(on_other, outcome.decimals) == stated:
                    note = (f"所印占比等于 {part.text} / {other.text}（{other_label}），分母用错："
                            f"“三公”经费为 {whole.text}，占比应为 {round_half_up(outcome.recomputed_pct, outcome.decimals)}%")
        yield from_ratio(rule, outcome, f"情况说明「{claim.subject}」占 {claim.text} = {part.text} / {whole.text}（{whole_label}）",
                         [part, whole], note=note)


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
        note = ""
        if status == ERROR and pv.rate_on_current_pct is not None:
            from budgetkit.checks.arithmetic import round_half_up

            if round_half_up(pv.rate_on_current_pct, outcome.decimals) == pv.stated_rate_pct:
                note = f"所印增减率等于 增减额 / 本年数（{change.text} / {current.text}），分母用错：应除以上年数 {pv.prior_value}"
        what = (f"情况说明「{pv.subject}」{pv.direction}{change.text}{pv.unit}、{pv.direction}{rate_text}："
                f"上年 = {current.text} {'−' if pv.direction in ('增加', '增长', '上升', '提高') else '+'} {change.text} = {pv.prior_value}")
        yield from_ratio(rule, outcome, what, [change, current], note=note)


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
                        break
                    parts.append(match)
                if len(parts) == len(part_subjects):
                    key = (total.index, tuple(p.index for p in parts))
                    if key in seen:
                        break
                    seen.add(key)
                    yield _sum_finding(rule, total, parts, _listed_with(claims, total, parts, scope))
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


def _sum_finding(rule: Rule, total, parts, listed) -> Finding:
    """Total = Σ parts, taking every part the narrative lists: never an error when it lists more parts."""
    head = f"情况说明「{total.phrase or total.subject}」{total.text} = "
    outcome = compare_sum([claim_quantity(p) for p in parts], claim_quantity(total))
    if outcome.status in (OK, ROUNDING) or not listed:
        return from_outcome(rule, outcome, head + " + ".join(f"{p.phrase or p.subject}" for p in parts))
    every = parts + listed
    outcome_all = compare_sum([claim_quantity(p) for p in every], claim_quantity(total))
    if outcome_all.status in (OK, ROUNDING):
        return from_outcome(rule, outcome_all, head + " + ".join(f"{p.phrase or p.subject}" for p in every))
    others = "、".join(f"{c.phrase or c.subject} {c.text}" for c in listed[:4])
    return Finding(rule.id, rule.family, NOT_LINKED,
                   f"未关联（叙述还列有其他部分：{others}，无法确定总数的全部组成）：{head}" + " + ".join(
                       f"{p.phrase or p.subject}" for p in parts) + " + …",
                   actual=claim_quantity(total).text, unit=total.unit, tables="narrative",
                   location=where_of([claim_quantity(total)]), evidence=total.sentence[:160])
