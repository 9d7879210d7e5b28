"""Narrative rules on stated changes and stated counts.

``narrative.change_sum`` — where the narrative states a total's change against the prior year
and the change of each of its parts (“三公”经费 108.00万元比2024年减少64.00万元；其中因公出国(境)费
0万元，与上年预算数相同 …), the parts' changes must add up to the total's change. Which parts
make a total comes from the data table :data:`budgetkit.checks.narrative_rules.NARRATIVE_SUMS`
(the same hierarchy ``narrative.sum`` holds the amounts to) — never guessed. A part stated
without its change (or not stated at all) makes the comparison not applicable. The amounts
themselves (Σ parts = total) are ``narrative.sum``'s; they are not checked twice.

``narrative.unit_count`` — counts of budget units the narrative states (机关及下属预算单位2个;
本部以及下属5家预算单位) against what the tables print: the 所属预算单位数 of the department-wide
performance-target table, and the units the 机关运行经费 / 项目支出 tables list. A count no
table can confirm is reported ``not_linked`` (info), never an error.

``narrative.bracket_sum`` — the amounts listed in brackets right after an amount (基建预算 1.26 亿元（A
4500.00 万元、B 2000.00 万元…）) add up to it; ``narrative.carry_balance`` — 年初结转和结余 + 收入 −
支出 = 年末结转和结余 stated in one sentence. Both confirm when equal and prove nothing otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from budgetkit.checks.arithmetic import ERROR, NOT_APPLICABLE, NOT_LINKED, OK, ROUNDING, Quantity, compare_sum
from budgetkit.checks.engine import Context, Finding, Rule, from_outcome, implements, where_of
from budgetkit.checks.narrative_rules import MONEY, NARRATIVE_SUMS, _QUALIFIERS, about, claim_quantity, claims_of, inexact_subject
from budgetkit.narrative import normalise_printed

CHANGE_KINDS = ("change_amount", "same_as_prior")


# --------------------------------------------------------------------------- 其中 lists

_OF_WHICH_RE = re.compile(r"其中")
_SENTENCE_END = "。！？!?"


def _money_by_line(claims, kinds: tuple[str, ...]) -> dict:
    """Claims of these kinds in a money unit, by the narrative line they stand on (printed order)."""
    by_line: dict = {}
    for c in claims:
        if c.kind in kinds and c.unit in MONEY:
            by_line.setdefault(c.location, []).append(c)
    return by_line


def of_which_lists(claims, texts: dict) -> list[tuple[object, list]]:
    """The 其中 lists of the narrative: ``(total, parts)`` — a money amount (or change) and the two or
    more amounts (or changes) of the same kind the same sentence lists after the 其中 that follows it,
    up to the next 其中 or the end of the sentence (a sentence that opens with 其中 lists the parts of
    the last amount of the sentence before). Explanations, standards and asides are no parts."""
    out = []
    for location, items in _money_by_line(claims, ("amount", "change_amount")).items():
        text = texts.get(location)
        if not text:
            continue
        items = sorted(items, key=lambda c: c.start)
        for match in _OF_WHICH_RE.finditer(text):
            at = match.start()
            begin = max(text.rfind(mark, 0, at) for mark in _SENTENCE_END) + 1
            ends = [i for i in (text.find(mark, at) for mark in _SENTENCE_END) if i >= 0]
            end = min(ends) if ends else len(text)
            nxt = text.find("其中", match.end())
            if 0 <= nxt < end:
                end = nxt
            before = [c for c in items if begin <= c.start < at and not c.context]
            if not before and begin > 0 and not text[begin:at].strip():
                # “…增加 46,722.70 万元，增长 10.85%。其中：财政拨款收入增加 …”: a sentence that opens with
                # 其中 lists the parts of the last amount of the sentence before
                prev = max(text.rfind(mark, 0, begin - 1) for mark in _SENTENCE_END) + 1
                before = [c for c in items if prev <= c.start < begin and not c.context]
                across = True
            else:
                across = False
            if not before:
                continue
            total = before[-1]
            parts = [c for c in items if match.end() <= c.start < end and c.kind == total.kind and not c.context]
            if across and any(p.basis != total.basis for p in parts):
                continue  # (预算 76.43 万元，决算 46.21 万元。其中：… 决算 … 完成预算 …): parts of another amount too
            if total.kind == "change_amount" and any(p.sign not in (1, -1) for p in [total, *parts]):
                continue
            if len(parts) >= 2:
                out.append((total, parts))
            # 其中本年收入预算 …，使用非财政拨款结余 …，上年结转 …；本年支出预算 …: the list may end at the first ；
            semi = min((i for i in (text.find(mark, match.end(), end) for mark in "；;") if i >= 0), default=-1)
            cut = [p for p in parts if p.start < semi] if semi >= 0 else parts
            if 2 <= len(cut) < len(parts):
                out.append((total, cut))
    return out


def narrative_texts(ctx: Context) -> dict:
    """The narrative's lines as printed (normalised, tabs removed), by location: where a claim's
    offsets point."""
    return {line.location: normalise_printed((line.text or "").replace("\t", "")) for line in ctx.document.narrative}


@implements("narrative.of_which")
def narrative_of_which(ctx: Context, rule: Rule):
    claims = claims_of(ctx)
    texts = narrative_texts(ctx)
    found = False
    for total, parts in of_which_lists(claims, texts):
        if total.kind == "change_amount":
            signs = [p.sign * total.sign for p in parts]
        else:
            signs = [1] * len(parts)
        outcome = compare_sum([claim_quantity(p) for p in parts], claim_quantity(total), signs=signs)
        if outcome.status not in (OK, ROUNDING):
            continue  # a partial list proves nothing
        found = True
        words = " + ".join(f"{p.phrase or p.subject}{'' if s > 0 else '（减）'}" for p, s in zip(parts, signs))
        what = (total.direction or "") if total.kind == "change_amount" else ""
        yield about(from_outcome(rule, outcome, f"情况说明「{total.phrase or total.subject}」{what}{total.text} = 其中 {words}"), total, *parts)
    if not found:
        yield Finding(rule.id, rule.family, NOT_APPLICABLE, "不适用：情况说明没有加总相符的“其中”列举", tables="narrative")


def bracket_lists(claims, texts: dict) -> list[tuple[object, list]]:
    """Amounts detailed in the brackets right after them: ``(total, parts)`` — ``基建预算 1.26 亿元（浙北医学中心迁建
    4500.00 万元、市公卫临床中心 2000.00 万元、…）``, two or more money amounts inside the bracket."""
    out = []
    for location, items in _money_by_line(claims, ("amount",)).items():
        text = texts.get(location)
        if not text:
            continue
        for total in items:
            if total.context:
                continue
            after = total.start + len(total.text)
            opening = re.match(r"\s*[（(]", text[after:])
            if opening is None:
                continue
            start = after + opening.end()
            close = re.search(r"[）)]", text[start:])
            if close is None or re.search(r"[（(]", text[start:start + close.start()]):
                continue  # no bracket of its own, or brackets inside it
            end = start + close.start()
            parts = [c for c in items if start <= c.start < end]
            if len(parts) >= 2:
                out.append((total, parts))
    return out


@implements("narrative.bracket_sum")
def narrative_bracket_sum(ctx: Context, rule: Rule):
    claims = claims_of(ctx)
    texts = narrative_texts(ctx)
    found = False
    for total, parts in bracket_lists(claims, texts):
        outcome = compare_sum([claim_quantity(p) for p in parts], claim_quantity(total))
        if outcome.status not in (OK, ROUNDING):
            continue  # a list that does not add up may name only the main items
        found = True
        words = " + ".join(f"{p.phrase or p.subject} {p.text}" for p in parts)
        yield about(from_outcome(rule, outcome, f"情况说明「{total.phrase or total.subject}」{total.text} = 括号内 {words}",
                                 extra_tables=["narrative"]), total, *parts)
    if not found:
        yield Finding(rule.id, rule.family, NOT_APPLICABLE, "不适用：情况说明没有加总相符的括注明细", tables="narrative")


@implements("narrative.carry_balance")
def narrative_carry_balance(ctx: Context, rule: Rule):
    """年初结转和结余 + 收入 − 支出 = 年末结转和结余, stated in one sentence (``政府性基金预算财政拨款年初结转和结余
    58,830.98万元，收入决算509,220.66万元，支出决算568,051.63万元，年末结转和结余0万元``)."""
    claims = claims_of(ctx)
    found = False
    by_sentence: dict = {}
    for c in claims:
        if c.kind == "amount" and c.unit in MONEY and not c.context:
            by_sentence.setdefault((c.location, c.sentence), []).append(c)
    for (_, sentence), items in by_sentence.items():
        if len(items) != 4 or "年初结转" not in (sentence or "") or "年末结转" not in (sentence or ""):
            continue
        opening, income, spent, closing = items
        words = [re.sub(r"\s", "", c.phrase or c.subject or "") for c in items]
        if not ("年初结转" in words[0] and "收入" in words[1] and "支出" in words[2] and "年末结转" in words[3]):
            continue
        outcome = compare_sum([claim_quantity(opening), claim_quantity(income), claim_quantity(spent)], claim_quantity(closing),
                              signs=[1, 1, -1])
        if outcome.status not in (OK, ROUNDING):
            continue  # read wrong or another scope: proves nothing
        found = True
        what = (f"情况说明 年初结转和结余 {opening.text} + 收入 {income.text} − 支出 {spent.text} = 年末结转和结余 {closing.text}")
        yield about(from_outcome(rule, outcome, what, extra_tables=["narrative"]), opening, income, spent, closing)
    if not found:
        yield Finding(rule.id, rule.family, NOT_APPLICABLE, "不适用：情况说明没有同句的年初、收入、支出、年末四数", tables="narrative")


# --------------------------------------------------------------------------- against the prior year's columns

#: Subjects whose prior-year amount a “三公” table may print, and its item key.
PRIOR_COLUMNS = {
    "“三公”经费": "three_public_total", "因公出国（境）费": "outbound", "公务接待费": "reception",
    "公务用车购置及运行费": "vehicle_total", "公务用车购置费": "vehicle_purchase", "公务用车运行维护费": "vehicle_operation",
    "会议费": "meeting", "培训费": "training",
}


def _prior_cell(ctx: Context, subject: str):
    """Last year's amount of a “三公” item, where the table prints it beside this year's."""
    from budgetkit.checks.narrative_rules import three_public_of

    key = PRIOR_COLUMNS.get(subject)
    if key is None or not ctx.printed("three_public"):
        return None
    item = three_public_of(ctx, prior=True).get(key)
    return ctx.quantity(ctx.cell(*item.cell)) if item is not None else None


@implements("narrative.prior_year")
def narrative_prior_year(ctx: Context, rule: Rule):
    from budgetkit.narrative import document_period, implied_prior_year

    claims = claims_of(ctx)
    year = document_period(ctx.document).year
    last_year = {"上年", "上一年", "去年"} | ({f"{year - 1}年"} if year else set())
    found = False
    for pv in implied_prior_year(claims):
        change = claims[pv.change_index]
        if pv.unit not in MONEY or "执行" in (change.sentence or "") or re.sub(r"\s", "", change.base or "") not in last_year:
            continue  # the tables print last year's budget (not its execution), and only last year's
        prior = _prior_cell(ctx, change.subject)
        if prior is None:
            continue
        current_claim = claims[pv.current_index] if pv.current_index is not None else None
        current = claim_quantity(change, pv.current_value, change.current_text or str(pv.current_value), pv.unit, "本年数")
        if change.kind == "same_as_prior":
            outcome = compare_sum([current], prior)
            what = f"情况说明「{change.subject}」{change.current_text}，与上年持平 = 表中上年数"
        else:
            stated = claim_quantity(change)
            outcome = compare_sum([current, stated], prior, signs=[1, -(change.sign or 0)])
            what = f"情况说明「{change.subject}」{change.current_text} {change.direction}{change.text}：上年 = {prior.label or '表中上年数'}"
        found = True
        yield about(from_outcome(rule, outcome, what, extra_tables=["three_public"]), change, current_claim)
    if not found:
        yield Finding(rule.id, rule.family, NOT_APPLICABLE, "不适用：表中没有可对照的上年数", tables="narrative")


# --------------------------------------------------------------------------- additivity of stated changes


def stated_changes(claims) -> dict[int, object]:
    """The change stated about each amount: ``{amount claim index: change claim}``.

    A change (``change_amount`` or ``same_as_prior``) belongs to the last amount before it, in the
    same section, with its subject and the value it is about (``current_value``/``current_text``).
    A rate printed alone (下降5.35%) is not a stated change amount.
    """
    out: dict[int, object] = {}
    for change in claims:
        if change.kind not in CHANGE_KINDS or change.current_value is None or not change.subject:
            continue
        if change.kind == "change_amount" and (change.sign is None or change.unit not in MONEY):
            continue
        for amount in reversed(claims[: change.index]):
            if amount.section != change.section:
                break
            if amount.kind == "amount" and amount.subject == change.subject:
                if amount.value == change.current_value and amount.text == (change.current_text or amount.text):
                    out.setdefault(amount.index, change)
                break
    return out


def _decimals(text: str) -> int:
    number = re.sub(r"[^0-9.．]", "", text or "").replace("．", ".")
    return len(number.split(".", 1)[1]) if "." in number else 0


def change_quantity(change, amount) -> Quantity:
    """A stated change as a signed quantity in its printed unit.

    ``持平``/``相同`` is a printed zero at the precision of the amount it is about (``28.00`` →
    ``0.00``): the two printed years agree, so the allowance is the amount's half step.
    """
    if change.kind == "same_as_prior":
        decimals = _decimals(amount.text)
        text = "0" + ("." + "0" * decimals if decimals else "")
        return claim_quantity(change, Decimal(0), text, amount.unit, f"情况说明「{amount.phrase or amount.subject}」持平")
    q = claim_quantity(change, label=f"情况说明「{amount.phrase or amount.subject}」{change.direction}")
    return Quantity(q.value * change.sign, q.unit, q.text, q.label, q.where, None)


def _signed(change, amount) -> str:
    if change.kind == "same_as_prior":
        return "持平（0）"
    sign = "−" if change.sign < 0 else "+"
    return f"{change.direction}{change.text}（{sign}{re.sub(r'[^0-9.,，．]', '', change.text)}）"


def _pool(claims, total, scope: str):
    if scope == "sentence":
        pool = [c for c in claims if c.sentence == total.sentence and c.location == total.location]
    else:
        pool = [c for c in claims if c.section == total.section]
    return [c for c in pool if c.index > total.index] or pool


@implements("narrative.change_sum")
def narrative_change_sum(ctx: Context, rule: Rule):
    all_claims = claims_of(ctx)
    changes = stated_changes(all_claims)
    amounts = [c for c in all_claims if c.kind == "amount" and c.unit in MONEY]
    seen: set[tuple] = set()
    for total in amounts:
        if total.index not in changes or inexact_subject(total, "", _QUALIFIERS):
            continue
        total_change = changes[total.index]
        decompositions = [parts for subject, parts in NARRATIVE_SUMS if subject == total.subject]
        if not decompositions:
            continue
        checked = False
        missing: list[str] = []
        for part_subjects in decompositions:
            for scope in ("sentence", "section"):
                pool = _pool(amounts, total, scope)
                parts = []
                for subject in part_subjects:
                    match = next((c for c in pool if c.subject == subject and c is not total
                                  and not inexact_subject(c, "", _QUALIFIERS)), None)
                    if match is None:
                        break
                    parts.append(match)
                if len(parts) < len(part_subjects):
                    if scope == "section":
                        stated = {p.subject for p in parts}
                        missing.append("未述及 " + "、".join(s for s in part_subjects if s not in stated)
                                       + f"（{total.subject} = {' + '.join(part_subjects)}）")
                    continue
                amounts_outcome = compare_sum([claim_quantity(p) for p in parts], claim_quantity(total))
                if amounts_outcome.status == ERROR:
                    # the listed parts are not all of the total: another part is stated elsewhere
                    # (Jiangsu: 单位预留机动经费 beside 基本支出 + 项目支出)
                    if scope == "section":
                        gap = amounts_outcome.difference_yuan
                        hint = next((c for c in pool if c.index in changes and c not in parts and c is not total
                                     and abs(claim_quantity(c).yuan - gap) <= amounts_outcome.tolerance_yuan
                                     + claim_quantity(c).half_step_yuan), None)
                        missing.append(f"{' + '.join(p.phrase or p.subject for p in parts)} = {amounts_outcome.expected} "
                                       f"{amounts_outcome.unit} ≠ {total.text}，叙述另有部分"
                                       + (f"（「{hint.phrase or hint.subject}」{hint.text} 恰为差额）" if hint else "")
                                       + "，所列部分不是总额的全部组成")
                    continue
                without = [p for p in parts if p.index not in changes]
                if without:
                    if scope == "section":
                        missing.append("未述及 " + "、".join(f"{p.phrase or p.subject} 的增减" for p in without)
                                       + f"（{total.subject} = {' + '.join(part_subjects)}）")
                    continue
                key = (total.index, tuple(p.index for p in parts))
                if key not in seen:
                    seen.add(key)
                    yield about(_change_finding(rule, total, total_change, parts, changes),
                                total, total_change, *parts, *(changes[p.index] for p in parts))
                checked = True
                break
        if not checked:
            tq = change_quantity(total_change, total)
            yield Finding(rule.id, rule.family, NOT_APPLICABLE,
                          f"不适用：情况说明「{total.phrase or total.subject}」{total.text} {_signed(total_change, total)}，"
                          f"但{'；'.join(dict.fromkeys(missing)) or '未述及其组成部分'}，无从加总",
                          actual=tq.text, unit=tq.unit or "", tables="narrative", location=where_of([tq]),
                          evidence=total_change.sentence[:160])


def _change_finding(rule: Rule, total, total_change, parts, changes) -> Finding:
    part_qs = [change_quantity(changes[p.index], p) for p in parts]
    total_q = change_quantity(total_change, total)
    outcome = compare_sum(part_qs, total_q)
    what = (f"情况说明「{total.phrase or total.subject}」{total.text} {_signed(total_change, total)} = "
            + " + ".join(f"{p.phrase or p.subject} {_signed(changes[p.index], p)}" for p in parts))
    note_fail = ""
    if outcome.status == ERROR:
        note_fail = (f"各部分增减之和 {outcome.expected} {outcome.unit}，所述总额增减 {outcome.actual} {outcome.unit}；"
                     f"上年数：总额 {total.value - total_q.value if total_q.unit == total.unit else '?'}，各部分 "
                     + "、".join(f"{p.phrase or p.subject} {p.value - q.value}" for p, q in zip(parts, part_qs) if q.unit == p.unit))
    return from_outcome(rule, outcome, what, note_fail=note_fail, extra_tables=["narrative"])


# --------------------------------------------------------------------------- unit counts


@dataclass(frozen=True)
class UnitCountPattern:
    """How a sentence states a count of budget units.

    Attributes:
        pattern: Regular expression with the count(s) as groups ``n`` (and ``m``, added).
        meaning: ``total`` — all units of the department, 机关 included; ``admin`` — the units
            with 机关运行经费; ``other`` — a count of some units (those that did X): nothing in the
            tables to hold it against.
        plus: Added to the printed count (``本部以及下属5家`` → 5 + 1).
        label: The count in words.
    """

    pattern: str
    meaning: str
    plus: int
    label: str


UNIT_COUNT_PATTERNS: list[UnitCountPattern] = [
    UnitCountPattern(r"机关及(?:其)?下属(?:预算)?单位\s*(?P<n>\d+)\s*[个家]", "total", 0, "机关及下属预算单位（含机关）"),
    UnitCountPattern(r"本部(?:以及|及|和)下属\s*(?P<n>\d+)\s*[个家](?:预算|事业|行政)?单位", "total", 1, "本部 + 下属预算单位"),
    UnitCountPattern(r"下属\s*(?P<n>\d+)\s*家机关和\s*(?P<m>\d+)\s*家[^，,。；;]{0,8}?单位[^，,。；;]{0,12}机关运行经费", "admin", 0,
                     "有机关运行经费的机关和参公/事业单位"),
    UnitCountPattern(r"(?P<n>\d+)\s*个(?:预算)?单位[^，,。；;]{0,6}(?:开展|编报)", "other", 0, "开展/编报绩效目标的单位"),
    UnitCountPattern(r"(?P<n>\d+)\s*个所属事业单位", "other", 0, "所属事业单位（不含机关）"),
]


def _table_units(ctx: Context) -> tuple[list[str], str]:
    """Units listed by the 机关运行经费 and 项目支出 tables (names, tables): a lower bound of all units."""
    from budgetkit.checks.within_table import project_structure, unit_names

    names = list(unit_names(ctx))
    tables = ["admin_operation"] if names else []
    if names and ctx.printed("project_current"):
        structure = project_structure(ctx)
        if structure is not None:
            rows = {r["row_number"]: r["key"] for r in ctx.rows("project_current")}
            listed = [rows[rn] for rn, _ in structure[1] if rn is not None and rn in rows]
            if listed:
                tables.append("project_current")
                names += [n for n in listed if n not in names]
    return names, ",".join(tables)


def _department_count(ctx: Context):
    """所属预算单位数 of the department-wide performance-target table: (number, location) or None."""
    from budgetkit.checks.performance_rules import targets_of

    for dept in targets_of(ctx).departments:
        entry = dept.counts.get("所属预算单位数")
        if entry and entry[0] is not None:
            return entry[0], entry[2]
    return None


def _where(claim) -> str:
    return str(claim.location)


@implements("narrative.unit_count")
def narrative_unit_count(ctx: Context, rule: Rule):
    claims = [c for c in claims_of(ctx) if c.kind == "count" and c.unit in ("个", "家")]
    seen: set[tuple] = set()
    for claim in claims:
        key = (claim.location, claim.sentence)
        if key in seen:
            continue
        seen.add(key)
        for spec in UNIT_COUNT_PATTERNS:
            for match in re.finditer(spec.pattern, claim.sentence):
                printed = int(match.group("n")) + (int(match.group("m")) if "m" in match.groupdict() and match.group("m") else 0)
                stated = printed + spec.plus
                yield from _unit_findings(ctx, rule, claim, spec, match.group(0), stated)


def _unit_findings(ctx: Context, rule: Rule, claim, spec: UnitCountPattern, phrase: str, stated: int):
    head = f"情况说明「{phrase}」"
    count = f"{spec.label} {stated} 个" + (f"（{stated - spec.plus} + {spec.plus}）" if spec.plus else "")
    base = dict(unit="个", location=_where(claim), evidence=claim.sentence[:160])
    if spec.meaning == "other":
        yield Finding(rule.id, rule.family, NOT_LINKED, f"未关联（表中没有可核对的单位数）：{head}：{count}",
                      actual=str(stated), tables="narrative", **base)
        return
    names, tables = _table_units(ctx)
    if spec.meaning == "admin":
        if not names:
            yield Finding(rule.id, rule.family, NOT_LINKED, f"未关联（机关运行经费表未按单位列示）：{head}：{count}",
                          actual=str(stated), tables="narrative", **base)
            return
        from budgetkit.checks.within_table import unit_names

        admin = unit_names(ctx)
        status = OK if len(admin) == stated else ERROR
        yield Finding(rule.id, rule.family, status,
                      f"{head}：{count} vs 机关运行经费表列出 {len(admin)} 个单位（{'、'.join(admin)}）：" + ("相符" if status == OK else "不符"),
                      str(len(admin)), str(stated), str(stated - len(admin)), "0", tables="narrative,admin_operation", **base)
        return
    linked = False
    dept = _department_count(ctx)
    if dept is not None:
        linked = True
        number, location = dept
        status = OK if number == stated else ERROR
        yield Finding(rule.id, rule.family, status,
                      f"{head}：{count} vs 部门整体支出绩效目标表「所属预算单位数」{number} 个：" + ("相符" if status == OK else "不符"),
                      str(number), str(stated), str(stated - number), "0", unit="个",
                      location=f"{_where(claim)} | {location}", evidence=claim.sentence[:160],
                      tables="narrative,performance")
    if names:
        linked = True
        listed = f"{'、'.join(names)}（{tables}）"
        if len(names) == stated:
            status, verdict = OK, "相符"
        elif len(names) > stated:
            status, verdict = ERROR, "不符：表中列出的单位多于所述"
        else:
            status, verdict = NOT_LINKED, "表中只列出部分单位（没有机关运行经费或项目的单位不在表中），无法确认"
        yield Finding(rule.id, rule.family, status, f"{head}：{count} vs 表中列出 {len(names)} 个单位 {listed}：{verdict}",
                      str(len(names)), str(stated), str(stated - len(names)), "0", tables="narrative," + tables, **base)
    if not linked:
        yield Finding(rule.id, rule.family, NOT_LINKED, f"未关联（表中未列示预算单位，也没有「所属预算单位数」）：{head}：{count}",
                      actual=str(stated), tables="narrative", **base)
