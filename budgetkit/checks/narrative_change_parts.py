"""Stated changes that add up: a line's change against the prior year = Σ its parts' stated changes.

The 西安 预算 (and others) state each 科目 with its change and then detail it — ``（5）社会福利（20810）
18,571.74 万元，较上年减少 250.84 万元 … 人员经费 10,057.17 万元，较上年增加 856.54 万元；公用经费
481.57 万元，较上年增加 16.67 万元；专项业务经费 8,033.00 万元，较上年减少 1,124.05 万元`` — and
then its 项 one by one (``殡葬（2081004）4,495.36 万元，较上年增加 143.39 万元`` …). Last year's
amounts were never printed, but the changes must add up the way the amounts do:

* ``narrative.change_parts`` — a line's stated change = Σ the stated changes of

  - the parts it is detailed into after 具体为/其中 (人员经费 + 公用经费 + 专项业务经费), when the
    parts' amounts add up to the line's amount (so they are all of it);
  - the 科目 one level below it by code (2081004, 2081005 … under 20810; 2080505 and 2080506
    under 20805), stated in the same section;
  - the top-level 科目 of a section (the 类/款 of the function classification, 301 … 310 of the
    economic classification) for the total the section details, when their amounts add up to it.

  - the amounts of a sentence that opens with a line's name and 中 (财政拨款支出预算中，…), when
    they add up to that line's amount.

* ``narrative.balance_change`` — two lines that balance (收入总计 and 支出总计, 财政拨款收入 and
  支出), stated equal, state equal changes; a balanced total's change (收支预算 … 比上年减少 X，其中：)
  is the change of its income and of its spending stated on the lines after it.
* ``narrative.net_change`` — the net a reason ends with (增减相抵后增加 164.48 万元) is the change
  stated just before it.

  Signs come from the words (增加 +, 减少 −, 持平 0). Only an equal sum is a check (both the total's
  change and each part's are confirmed); a sum that differs may mean a part whose change the
  narrative does not state, or a split that changed since last year: listed as not checked, never
  an error.
"""

from __future__ import annotations

import re

from budgetkit.checks.arithmetic import OK, ROUNDING, compare_sum
from budgetkit.checks.engine import Context, Finding, Rule, from_outcome, implements
from budgetkit.checks.narrative_changes import _signed, change_quantity
from budgetkit.checks.narrative_periods import detail_parts
from budgetkit.narrative import normalise_printed
from budgetkit.checks.narrative_rules import _QUALIFIERS, MONEY, NARRATIVE_SUMS, about, claim_quantity, claims_of, inexact_subject


def changes_of(claims) -> dict[int, object]:
    """``{amount index: the change stated about it}`` — a signed change amount (or 持平) in a money unit
    whose amount is a money amount (the first change stated about an amount)."""
    out: dict[int, object] = {}
    for c in claims:
        if c.current_index is None or c.current_index >= len(claims):
            continue
        amount = claims[c.current_index]
        if amount.kind != "amount" or amount.unit not in MONEY:
            continue
        if c.kind == "change_amount" and c.sign in (1, -1) and c.unit in MONEY:
            out.setdefault(amount.index, c)
        elif c.kind == "same_as_prior":
            out.setdefault(amount.index, c)
    return out


#: A sentence that opens with the name of a line and 中: ``财政拨款支出预算中，…``.
_OPENS_WITH_LINE_RE = re.compile(r"^\s*(?P<line>[^，,。；;：:]{2,24}?)中\s*[，,：:]")


def _by_sentence(claims) -> list[tuple[str, list]]:
    """``(sentence, its claims in order)`` for each sentence of each line."""
    out: dict = {}
    for c in claims:
        out.setdefault((c.location, c.sentence or ""), []).append(c)
    return [(sentence, items) for (_, sentence), items in out.items()]


def _code(claim) -> str:
    codes = [c for c in (claim.account_codes or "").split("|") if c]
    return codes[-1] if codes else ""


def _adds_up(parts, head) -> bool:
    return compare_sum([claim_quantity(p) for p in parts], claim_quantity(head)).status in (OK, ROUNDING)


def _groups(claims, changes) -> list[tuple[object, list, str, list]]:
    """(head amount, part amounts, how the parts were found, changes stated of no amount)."""
    groups: list[tuple[object, list, str, list]] = []
    # 1. detail parts after 具体为/其中, all of the amount
    for head in claims:
        if head.kind != "amount" or head.unit not in MONEY or head.context or head.index not in changes:
            continue
        parts = detail_parts(claims, head)
        if len(parts) >= 2 and not _adds_up(parts, head):
            from budgetkit.checks.narrative_periods import without_reasons

            parts = without_reasons(parts)  # less the amounts of the reasons given (增加…购置经费 6.00 万元)
        if len(parts) >= 2 and _adds_up(parts, head):
            groups.append((head, parts, "所分各部分", []))
    # 2. 科目 one level below by code, same section
    coded = [c for c in claims if c.kind == "amount" and c.unit in MONEY and not c.context and _code(c)]
    first_of_code: dict[tuple, object] = {}
    for c in coded:
        first_of_code.setdefault((c.section, _code(c)), c)
    for (section, code), head in first_of_code.items():
        if head.index not in changes:
            continue
        step = 1 if len(code) == 3 else 2
        children = [c for (s, k), c in first_of_code.items() if s == section and len(k) == len(code) + step and k.startswith(code)]
        if children:
            groups.append((head, children, "下级科目", []))
    # 3. the top-level 科目 of a section (function codes 2…, economic 3… and 5… apart), for the total before them
    by_family: dict = {}
    for c in first_of_code.values():
        by_family.setdefault((c.section, _code(c)[0]), []).append(c)
    for (section, _), items in by_family.items():
        top = min(len(_code(c)) for c in items)
        tops = sorted((c for c in items if len(_code(c)) == top), key=lambda c: c.index)
        if len(tops) < 2:
            continue
        heads = [c for c in claims[:tops[0].index] if c.section == section and c.kind == "amount" and c.unit in MONEY
                 and not c.context and not _code(c)]
        head = next((h for h in reversed(heads[-3:]) if _adds_up(tops, h)), None)
        if head is None:
            continue
        if head.index not in changes:
            # the total's change stated where the same amount of the same line is stated first
            twin = next((c for c in claims if c.index in changes and c.kind == "amount" and c.subject == head.subject
                         and c.value == head.value and c.unit == head.unit and not c.context), None)
            if twin is None:
                continue
            head = twin
        # a 科目 no longer budgeted this year is stated by its change alone (上述两个科目…不再反映，较上年减少
        # 23,000.00 万元): a part of the total with no amount
        last = max(c.index for c in tops)
        nxt = next((c.index for c in claims[last + 1:] if c.kind == "amount" and not c.context and c.section == section
                    and (not _code(c) or _code(c)[0] != _code(tops[0])[0])), len(claims))
        gone = [c for c in claims[tops[0].index:nxt] if c.kind == "change_amount" and c.current_index is None
                and not c.context and c.sign in (1, -1) and c.unit in MONEY]
        groups.append((head, tops, "本节各科目", gone))
    # 5. the changes a line's change is explained by (一是人员经费支出增加 840.12 万元 … 二是公用经费支出增加
    # 117.5 万元): two or more signed changes in the explanation that follows it on its line
    detailed = {g[0].index for g in groups if g[2] == "所分各部分"}
    for head in claims:
        if head.index not in changes or head.context or head.kind != "amount" or head.index in detailed:
            continue  # (the parts' amounts already hold the same changes)
        change = changes[head.index]
        explained = []
        for later in claims[change.index + 1:]:
            if later.location != change.location or (later.kind == "amount" and not later.context):
                break
            if later.kind == "change_amount" and later.context == "explanation":
                if later.sign not in (1, -1) or later.unit not in MONEY:
                    explained = []
                    break
                explained.append(later)
        if len(explained) >= 2:
            groups.append((head, [], "原因所列增减", explained))
    # 6. a sentence that opens with a line's name and 中 (财政拨款支出预算中，一般公共预算拨款支出预算 … 比2023年预算减少
    # 876.75万元；政府性基金拨款支出预算0.00万元，比2023年预算持平；…): its amounts are the parts of that line
    # as stated last, when they add up to it
    for sentence, items in _by_sentence(claims):
        opening = _OPENS_WITH_LINE_RE.match(sentence)
        if opening is None:
            continue
        from budgetkit.narrative import canonical_subject

        named = canonical_subject(opening.group("line"))
        first = items[0]
        head = next((c for c in reversed(claims[:first.index]) if c.kind == "amount" and c.unit in MONEY and not c.context
                     and c.subject == named and c.section == first.section), None)
        parts = [c for c in items if c.kind == "amount" and c.unit in MONEY and not c.context]
        if head is not None and head.index in changes and len(parts) >= 2 and _adds_up(parts, head):
            groups.append((head, parts, "所分各部分", []))
    # 4. the parts a total is made of (NARRATIVE_SUMS: “三公”经费 = 因公出国（境）费 + 公务接待费 + 公务用车购置及运行费),
    # each taken where its change is stated, or made of its own parts' stated changes (公务用车购置及运行费 =
    # 公务用车购置费 + 公务用车运行维护费)
    for head in claims:
        if head.index not in changes or head.context or head.kind != "amount":
            continue
        pool = [c for c in claims if c.section == head.section and c.kind == "amount" and c.unit in MONEY
                and c.index != head.index and not inexact_subject(c, "", _QUALIFIERS)]
        parts = _leaves(head.subject, pool, changes, 0)
        if parts and len(parts) >= 2:
            groups.append((head, parts, "各组成部分", []))
    return groups


def _leaves(subject: str, pool, changes, depth: int) -> list | None:
    """The amounts, each with a stated change, that make up ``subject`` by NARRATIVE_SUMS, else ``None``."""
    if depth > 2:
        return None
    for total, part_subjects in NARRATIVE_SUMS:
        if total != subject:
            continue
        out: list = []
        for part in part_subjects:
            same = [c for c in pool if c.subject == part]
            with_change = next((c for c in same if c.index in changes), None)
            if with_change is not None:
                out.append(with_change)
                continue
            deeper = _leaves(part, pool, changes, depth + 1) if same else None
            if not deeper:
                out = []
                break
            out.extend(deeper)
        if out:
            return out
    return None


@implements("narrative.change_parts")
def narrative_change_parts(ctx: Context, rule: Rule):
    claims = claims_of(ctx)
    changes = changes_of(claims)
    found = False
    seen: set = set()
    for head, parts, how, gone in _groups(claims, changes):
        stated = [p for p in parts if p.index in changes]
        if not (stated or gone) or head.value == 0:
            continue  # all of nothing: 0 = 0 + 0 proves nothing
        key = (head.index, tuple(p.index for p in stated), tuple(g.index for g in gone))
        if key in seen:
            continue
        seen.add(key)
        head_change = changes[head.index]
        total_q = change_quantity(head_change, head)
        unstated = [p for p in parts if p.index not in changes]
        for extra in ([], gone) if gone and stated else ([gone] if gone else [[]]):
            part_qs = [change_quantity(changes[p.index], p) for p in stated] + [change_quantity(g, g) for g in extra]
            outcome = compare_sum(part_qs, total_q)
            if outcome.status in (OK, ROUNDING):
                break
        else:
            continue
        what = (f"情况说明「{head.phrase or head.subject}」{head.text} {_signed(head_change, head)} = {how}增减之和 "
                + " + ".join([f"{p.phrase or p.subject} {_signed(changes[p.index], p)}" for p in stated]
                             + [f"「{g.phrase or g.sentence[:24]}」{_signed(g, g)}" for g in extra]))
        note = f"（未述增减：{'、'.join(f'{p.phrase or p.subject} {p.text}' for p in unstated)}）" if unstated else ""
        found = True
        yield about(from_outcome(rule, outcome, what, note_ok=note, extra_tables=["narrative"]),
                    head, head_change, *stated, *(changes[p.index] for p in stated), *extra)
    if not found:
        yield Finding(rule.id, rule.family, "not_applicable", "不适用：情况说明没有可加总相符的分项增减", tables="narrative")


#: Lines that balance each year (收入总计 = 支出总计; 财政拨款收入 = 财政拨款支出 where nothing is carried), by subject:
#: stated of equal amounts, their changes must be equal too.
BALANCED = (("预算收入总计", "预算支出总计"), ("财政拨款收入", "财政拨款支出"), ("一般公共预算拨款收入", "一般公共预算当年支出"))


@implements("narrative.balance_change")
def narrative_balance_change(ctx: Context, rule: Rule):
    claims = claims_of(ctx)
    changes = changes_of(claims)
    found = False
    seen: set = set()
    for income_subject, expense_subject in BALANCED:
        incomes = [c for c in claims if c.index in changes and c.subject == income_subject and not c.context]
        expenses = [c for c in claims if c.index in changes and c.subject == expense_subject and not c.context]
        for income in incomes:
            expense = next((e for e in expenses if e.section == income.section and e.value == income.value and e.unit == income.unit
                            and (e.index, income.index) not in seen), None)
            if expense is None or income.value == 0:
                continue
            seen.add((expense.index, income.index))
            inc, exp = changes[income.index], changes[expense.index]
            outcome = compare_sum([change_quantity(exp, expense)], change_quantity(inc, income))
            if outcome.status not in (OK, ROUNDING):
                continue  # a line that did not balance last year (a carry-over on one side only): proves nothing
            found = True
            what = (f"情况说明「{income.phrase or income.subject}」{income.text} {_signed(inc, income)} 与"
                    f"「{expense.phrase or expense.subject}」{expense.text} {_signed(exp, expense)}：收支相等，增减也相等")
            yield about(from_outcome(rule, outcome, what, extra_tables=["narrative"]), inc, exp)  # the amounts are the premise
    # 2026年收支预算7,370.46万元，比上年减少18,435.5万元，其中：1.收入预算减少18,435.5万元… 2.支出预算减少18,435.5万元…:
    # the change of the balanced total is the change of its income and of its spending, stated on the lines after
    for head in claims:
        if head.kind != "change_amount" or head.current_index is None or head.subject not in BALANCED[0] \
                or not re.search(r"其中\s*[：:]?\s*$", head.sentence or "") or head.sign not in (1, -1):
            continue
        sides = {}
        for later in claims[head.index + 1: head.index + 12]:
            if later.kind == "change_amount" and later.current_index is None and later.subject in BALANCED[0] \
                    and later.location != head.location:
                sides.setdefault(later.subject, later)
        if len(sides) != 2:
            continue
        parts = list(sides.values())
        head_q = change_quantity(head, claims[head.current_index])
        outcomes = [compare_sum([change_quantity(p, p)], head_q) for p in parts]
        if any(o.status not in (OK, ROUNDING) for o in outcomes) or any(p.sign != head.sign for p in parts):
            continue
        found = True
        what = (f"情况说明「{head.phrase or head.subject}」{head.direction}{head.text} = 其后所述收入预算{parts[0].direction}{parts[0].text}"
                f" = 支出预算{parts[1].direction}{parts[1].text}（收支相等）")
        yield about(from_outcome(rule, outcomes[0], what, extra_tables=["narrative"]), head, *parts)
    if not found:
        yield Finding(rule.id, rule.family, "not_applicable", "不适用：情况说明没有收支相等且都述及增减的两行", tables="narrative")


#: ``增减相抵后增加164.48万元``: the net of the reasons listed, which is the change they explain.
_NET_RE = re.compile(r"增减相抵后[^，,。；;]{0,12}$")


@implements("narrative.net_change")
def narrative_net_change(ctx: Context, rule: Rule):
    """The net change a reason ends with (…增减相抵后增加164.48万元) = the change it explains (与上年相比增加164.48万元),
    stated just before it; equal confirms the net figure, unequal proves nothing."""
    claims = claims_of(ctx)
    texts = {line.location: (line.text or "").replace("\t", "") for line in ctx.document.narrative}
    found = False
    for net in claims:
        if net.kind != "change_amount" or net.sign not in (1, -1) or net.unit not in MONEY:
            continue
        text = texts.get(net.location, "")
        if not _NET_RE.search(normalise_printed(text[max(0, net.start - 20):net.start])):
            continue
        explained = next((c for c in reversed(claims[max(0, net.index - 12):net.index])
                          if c.kind == "change_amount" and c.current_index is not None and c.unit in MONEY
                          and c.location.file == net.location.file and c.location.page == net.location.page and not c.context), None)
        if explained is None:
            continue
        outcome = compare_sum([change_quantity(net, net)], change_quantity(explained, claims[explained.current_index]))
        if outcome.status not in (OK, ROUNDING):
            continue
        found = True
        what = (f"情况说明「{explained.phrase or explained.subject}」{explained.direction}{explained.text} = 原因所述"
                f"增减相抵后{net.direction}{net.text}")
        yield about(from_outcome(rule, outcome, what, extra_tables=["narrative"]), net, explained)
    if not found:
        yield Finding(rule.id, rule.family, "not_applicable", "不适用：情况说明没有“增减相抵后”的净增减", tables="narrative")
