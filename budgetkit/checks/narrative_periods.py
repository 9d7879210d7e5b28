"""Narrative rules on what a sentence compares: rates between stated amounts, 持平, and years.

The Shanghai 预算编制说明 states each line three times — ``2023年当年预算执行数为60.13万元，2024年预算
安排25.77万元，比2023年预算执行数减少57.14%`` — and a 决算 states ``年初预算2453.36万元，支出决算
3,301.03万元，完成年初预算的134.55%``. The rate is recomputed from the two printed amounts
(:func:`budgetkit.checks.arithmetic.compare_rate`, :func:`~budgetkit.checks.arithmetic.compare_ratio`):

* ``narrative.stated_rate`` — a change rate against ``(current − base) / base``, a completion
  rate against ``spent / budget``, both amounts printed in the same sentence (which amount is
  the base comes from the words of the comparison: :mod:`budgetkit.narrative`). A base of 0
  has no rate: listed as not checked (``prior_zero``), never an error. A fall to 0.00 万元 can only be
  100% (whatever last year's amount); a completion rate opening its own sentence is of the two
  amounts the sentence before ends with.
* ``narrative.stated_change`` — a change amount against the two amounts it is the difference of
  (``预算安排 663.08 万元，较上年的 637.77 万元，增加 25.31 万元``).
* ``narrative.parts_sum`` — the parts an amount is detailed into after 具体为/主要用于/其中 (``具体为：人员经费
  0.00万元…专项业务经费102.32万元``) add up to it; a list that does not may be incomplete: not checked.
* ``narrative.unchanged`` — ``持平``/``相同`` said of two printed amounts that differ.
* ``narrative.year`` — every year a sentence prints for an amount or a comparison, against the
  document's fiscal year and what the sentence says it is: ``比2026年预算`` in the 2026 budget
  compares the budget with itself; an 执行数 or 决算 of the budget year cannot be known when the
  budget is made.
"""

from __future__ import annotations

import re

from decimal import Decimal

from budgetkit.checks.arithmetic import (ERROR, NOT_LINKED, OK, ROUNDING, WARNING, Quantity, RatioOutcome, compare_rate, compare_ratio,
                                         compare_same, compare_sum)
from budgetkit.checks.engine import Context, Finding, Rule, from_outcome, from_ratio, implements
from budgetkit.checks.narrative_rules import MONEY, about, claim_quantity, claims_of, not_linked

#: Year words that mean the year before the document's.
PRIOR_YEAR_WORDS = ("上年", "去年", "上一年")


def period_of(ctx: Context):
    """The document's fiscal year and kind (:func:`budgetkit.narrative.document_period`), cached."""
    if "period" not in ctx._cache:
        from budgetkit.narrative import document_period

        ctx._cache["period"] = document_period(ctx.document)
    return ctx._cache["period"]


def _name(claim) -> str:
    names = [n for n in claim.account_names.split("|") if n]
    return names[-1] if names else (claim.phrase or claim.subject)


def _basis_words(claim) -> str:
    from budgetkit.vocabulary import narrative_vocabulary

    year = f"{claim.year}年" if claim.year else (claim.year_word or "")
    return f"{year}{narrative_vocabulary().basis_label(claim.basis)}" if claim.basis else (year or "本年")


@implements("narrative.stated_rate")
def narrative_stated_rate(ctx: Context, rule: Rule):
    from budgetkit.narrative import implied_prior_year

    claims = claims_of(ctx)
    from_changes = {pv.rate_index for pv in implied_prior_year(claims) if pv.rate_index is not None}
    for claim in claims:
        if claim.kind not in ("change_rate", "completion_rate"):
            continue
        current = claims[claim.current_index] if claim.current_index is not None else None
        base = claims[claim.base_index] if claim.base_index is not None else None
        if claim.kind == "completion_rate" and current is None and base is None:
            current, base = _completion_before(claims, claim)
        if current is None or base is None or current.unit not in MONEY or base.unit not in MONEY:
            if claim.kind == "change_rate" and claim.index not in from_changes and _down_to_zero(claim, current):
                # 预算 0.00 万元，比上年预算数下降 100%: whatever last year's (non-zero) amount, the fall is all of it
                cq = claim_quantity(current)
                outcome = RatioOutcome(OK if claim.value == 100 else ERROR, claim.value, Decimal(100),
                                       Decimal(5).scaleb(-(_decimals(claim.text) + 1)), _decimals(claim.text))
                head = f"情况说明「{_name(current)}」{_basis_words(current)} {cq.text}，{claim.direction}{claim.text}：本年为 0，降幅 = 100%"
                yield about(from_ratio(rule, outcome, head, [cq]), claim, current)
                continue
            if claim.kind == "change_rate" and claim.index not in from_changes and not claim.context:
                yield not_linked(rule, claim, "增减率：同句没有所比的金额，也没有增减额", "no_base")
            elif claim.kind == "completion_rate":
                yield not_linked(rule, claim, "完成率：同句没有预算数或决算数", "no_base")
            continue
        cq, bq = claim_quantity(current), claim_quantity(base)
        if claim.kind == "completion_rate":
            outcome = compare_ratio(claim.value, claim.text, cq, bq)
            formula = f"{cq.text} / {bq.text}"
            what = f"完成{'年初' if claim.base_basis == 'initial_budget' else ''}预算的{claim.text}"
        else:
            outcome = compare_rate(claim.value, claim.text, cq, bq, claim.sign or 1)
            formula = f"({cq.text} − {bq.text}) / {bq.text}"
            what = f"比{_basis_words(base)}{claim.direction}{claim.text}"
        if outcome is None:
            yield not_linked(rule, claim, f"所比的{_basis_words(base)}为 0，{'增减率' if claim.kind == 'change_rate' else '完成率'}无定义",
                             "prior_zero")
            continue
        note = ""
        if outcome.status == ERROR and claim.kind == "change_rate":
            # The item states the line twice (“…（项）”350.35万元 … 预算安排352.67万元): a rate that fits the
            # other amount is not the error — the two amounts are (narrative.same_line).
            for sibling in _same_line_siblings(ctx, current):
                again = compare_rate(claim.value, claim.text, claim_quantity(sibling), bq, claim.sign or 1)
                if again is not None and again.status in (OK, ROUNDING):
                    note = (f"所印增减率按同一科目的另一金额 {sibling.text} 计算，与之相符；"
                            f"同句的 {current.text} 与 {sibling.text} 不一致，见 narrative.same_line")
                    outcome, current, cq = again, sibling, claim_quantity(sibling)
                    formula = f"({cq.text} − {bq.text}) / {bq.text}"
                    break
        head = f"情况说明「{_name(current)}」{_basis_words(base)} {base.text}、{_basis_words(current)} {current.text}，{what}：重算 {formula}"
        yield about(from_ratio(rule, outcome, head, [cq, bq], note=note), claim, current, base)


#: The words a reason's amount opens with (主要原因是增加…经费 6.00 万元): such an amount details a change, not the line.
_REASON_AMOUNT_RE = re.compile(r"^(?:主要原因是|原因是|主要是|是)?(?:增加|减少|新增|压减|调增|调减|调整)")


def without_reasons(parts: list) -> list:
    """The detail parts less the amounts of the reasons given for them (``增加事业单位办公设备购置经费 6.00 万元``)."""
    return [p for p in parts if not _REASON_AMOUNT_RE.match(re.sub(r"\s", "", p.phrase or p.subject or ""))]


def _completion_before(claims, claim):
    """``(spent, budget)`` of a completion rate that opens its sentence (``年初预算为 0.88 万元，支出决算为 0.88 万元。
    完成年初预算的 100.00%。``): the two amounts the sentence just before ends with; else ``(None, None)``."""
    if claim.index < 2:
        return None, None
    budget, spent = claims[claim.index - 2], claims[claim.index - 1]
    here, there = claim.location, spent.location
    # the next claim after the two amounts, on their line or a line just after it (a line break after 。)
    near = here.file == there.file and here.page == there.page and (here.line or 0) - (there.line or 0) in range(0, 4)
    if not near or budget.location != spent.location or budget.sentence != spent.sentence \
            or spent.sentence == claim.sentence or not (claim.sentence or "").lstrip().startswith("完成"):
        return None, None
    wanted = ("initial_budget",) if claim.base_basis == "initial_budget" else ("budget", "initial_budget")
    if spent.kind != "amount" or budget.kind != "amount" or spent.basis not in ("final", "execution") or budget.basis not in wanted:
        return None, None
    return spent, budget


def _decimals(text: str) -> int:
    number = text.rstrip("%％ ").strip()
    return len(number.split(".", 1)[1]) if "." in number else 0


def _down_to_zero(claim, current) -> bool:
    """A decrease rate (下降/减少) stated of a money amount printed as zero: the rate can only be 100%."""
    return (current is not None and current.kind == "amount" and current.unit in MONEY and current.value == 0
            and claim.sign == -1 and claim.unit in ("%", "％"))


def _same_line_siblings(ctx: Context, claim) -> list:
    """Other amounts the same item states for the same 科目 and year (``narrative.same_line``)."""
    from budgetkit.checks.narrative_accounts import same_line_amounts

    for stated in same_line_amounts(ctx).values():
        if claim in stated:
            return [c for c in stated if c is not claim and c.value != claim.value]
    return []


@implements("narrative.stated_change")
def narrative_stated_change(ctx: Context, rule: Rule):
    claims = claims_of(ctx)
    for claim in claims:
        if claim.kind != "change_amount" or claim.base_index is None or claim.current_index is None or not claim.sign:
            continue
        current, base = claims[claim.current_index], claims[claim.base_index]
        if current.unit not in MONEY or base.unit not in MONEY or claim.unit not in MONEY:
            continue
        change = claim_quantity(claim)
        signed = Quantity(change.value * claim.sign, change.unit, change.text, change.label, change.where)
        outcome = compare_sum([claim_quantity(base), signed], claim_quantity(current))
        what = (f"情况说明「{_name(current)}」{_basis_words(current)} {current.text} = {_basis_words(base)} {base.text} "
                f"{'+' if claim.sign > 0 else '−'} {claim.direction}{claim.text}")
        yield about(from_outcome(rule, outcome, what, extra_tables=["narrative"]), claim, current, base)


#: Claims that may stand between an amount and the parts detailing it (its change, rate, share).
_BETWEEN_PARTS = ("change_amount", "change_rate", "same_as_prior", "share", "percent", "completion_rate")


def detail_parts(claims, head) -> list:
    """The explanation amounts right after ``head`` on its line that detail it (its change, rate
    or share may stand between)."""
    parts = []
    for later in claims[head.index + 1:]:
        if later.location != head.location:
            break
        if later.kind in _BETWEEN_PARTS:
            continue
        if later.kind == "amount" and later.context == "explanation" and later.unit in MONEY:
            parts.append(later)
            continue
        break
    return parts


@implements("narrative.parts_sum")
def narrative_parts_sum(ctx: Context, rule: Rule):
    claims = claims_of(ctx)
    for head in claims:
        if head.kind != "amount" or head.unit not in MONEY or head.context:
            continue
        parts = detail_parts(claims, head)
        if len(parts) < 2:
            continue
        outcome = compare_sum([claim_quantity(p) for p in parts], claim_quantity(head))
        kept = without_reasons(parts)
        if outcome.status not in (OK, ROUNDING) and 2 <= len(kept) < len(parts):
            # …专项业务经费 6.00 万元，较上年增加 6.00 万元，主要原因是增加事业单位办公设备购置经费 6.00 万元: the
            # amount of the reason is no part
            again = compare_sum([claim_quantity(p) for p in kept], claim_quantity(head))
            if again.status in (OK, ROUNDING):
                outcome, parts = again, kept
        what = (f"情况说明「{_name(head)}」{head.text} = " + " + ".join(f"{p.phrase or p.subject} {p.text}" for p in parts))
        if outcome.status in (OK, ROUNDING):
            yield about(from_outcome(rule, outcome, what, extra_tables=["narrative"]), head, *parts)
        else:
            yield about(Finding(rule.id, rule.family, NOT_LINKED,
                                f"未核对（所列部分之和 {outcome.expected} {outcome.unit} ≠ {head.text}，所列未必是全部组成）：{what}",
                                tables="narrative", reason="ambiguous"), *parts)


@implements("narrative.unchanged")
def narrative_unchanged(ctx: Context, rule: Rule):
    claims = claims_of(ctx)
    for claim in claims:
        if claim.kind != "same_as_prior" or claim.base_index is None or claim.current_index is None:
            continue
        current, base = claims[claim.current_index], claims[claim.base_index]
        if current.unit not in MONEY or base.unit not in MONEY:
            continue
        outcome = compare_same(claim_quantity(base), claim_quantity(current))
        what = (f"情况说明「{_name(current)}」{_basis_words(current)} {current.text}「{claim.text}」"
                f"{_basis_words(base)} {base.text}")
        yield about(from_outcome(rule, outcome, what, note_fail="所说“持平”，但两个金额不同"), claim, current, base)


def _year_problem(claim, period) -> tuple[str, str] | None:
    """(status, why) when a year the claim prints does not fit the document's period, else ``None``."""
    fy, kind = period.year, period.kind
    if claim.kind == "amount" and claim.year is not None:
        if kind == "budget" and claim.basis in ("execution", "final") and claim.year >= fy:
            return ERROR, f"{fy}年预算中的{claim.year}年{'执行数' if claim.basis == 'execution' else '决算数'}：编预算时尚无此数"
        if kind == "budget" and claim.basis == "execution" and claim.year < fy - 1:
            return WARNING, f"{fy}年预算比的应是上年（{fy - 1}年）执行数，所印为{claim.year}年"
        if claim.year > fy:
            return WARNING, f"{fy}年{'预算' if kind == 'budget' else '决算'}中出现{claim.year}年的金额"
    if claim.kind in ("change_amount", "change_rate", "same_as_prior") and claim.base_year is not None:
        if kind == "budget" and claim.base_year >= fy:
            return ERROR, f"{fy}年预算「比{claim.base_year}年…」：与本年（或以后）的预算相比，比较年份错误（应为{fy - 1}年）"
        if kind == "final" and (claim.base_year > fy or (claim.base_year == fy and claim.base_basis in ("final", "execution"))):
            return ERROR, f"{fy}年决算「比{claim.base_year}年…」：所比年份不是上年（{fy - 1}年）或本年预算"
    return None


@implements("narrative.year")
def narrative_year(ctx: Context, rule: Rule):
    period = period_of(ctx)
    claims = claims_of(ctx)
    dated = [c for c in claims if (c.kind == "amount" and c.year is not None) or c.base_year is not None]
    if not dated:
        return
    if period.year is None or period.kind is None:
        yield Finding(rule.id, rule.family, NOT_LINKED, f"未核对年份：不知道文件的年度或类型（预算/决算），{len(dated)} 处年份未核",
                      tables="narrative", reason="unknown_period")
        return
    problems = 0
    for claim in dated:
        found = _year_problem(claim, period)
        if found is None:
            continue
        status, why = found
        problems += 1
        where = f"{claim.location.file}" + (f" p.{claim.location.page}" if claim.location.page else "") + (
            f" line {claim.location.line}" if claim.location.line else "")
        yield Finding(rule.id, rule.family, status, f"年份：{why}。「{claim.text}」", actual=str(claim.base_year or claim.year),
                      expected=str(period.year - 1 if claim.base_year is not None else period.year), tables="narrative",
                      location=where, evidence=claim.sentence[:160])
    source = "文件元数据" if period.source == "manifest" else "文件所印标题"
    yield Finding(rule.id, rule.family, OK if not problems else "info",
                  f"年份：{len(dated)} 处金额或比较所印年份与{period.year}年{'预算' if period.kind == 'budget' else '决算'}（据{source}）对照，"
                  + ("全部相符" if not problems else f"{problems} 处不符，见上"), tables="narrative")
