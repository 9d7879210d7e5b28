"""Performance-target rules: the 绩效目标表 against the project table, the budget and the narrative.

Target tables come from :func:`budgetkit.performance.parse_performance_blocks`; the project lines
from the 项目支出预算表（本年预算） (unit rows and the department row excluded, see
:func:`budgetkit.checks.within_table.project_structure`). Names are matched with rapidfuzz; two
lines with one name (辅警专项经费 twice) are told apart by amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from rapidfuzz import fuzz

from budgetkit.amounts import UNIT_TO_YUAN
from budgetkit.catalog import fold
from budgetkit.checks.arithmetic import ERROR, OK, WARNING, Quantity, compare_same, compare_sum, exact
from budgetkit.checks.engine import Context, Finding, Rule, from_outcome, implements, not_applicable, where_of
from budgetkit.checks.within_table import project_lines

#: Names scoring at least this (rapidfuzz ratio on folded names) may be the same project.
NAME_THRESHOLD = 70


def targets_of(ctx: Context):
    """The parsed 绩效目标表 of the document (cached)."""
    if "targets" not in ctx._cache:
        from budgetkit.performance import parse_performance_blocks

        ctx._cache["targets"] = parse_performance_blocks(ctx.document.performance_blocks)
    return ctx._cache["targets"]


def _fold_name(name: str | None) -> str:
    return fold(name or "").replace("（", "(").replace("）", ")")


def target_quantity(project, line=None) -> Quantity:
    line = line or project.funding_line("年度")
    text = line.text if line is not None and line.amount_yuan is not None else ""
    value = line.amount_yuan if line is not None and line.amount_yuan is not None else Decimal(0)
    loc = line.location if line is not None else project.location
    return Quantity(value, "元", text, f"绩效目标表「{project.name}」{line.label if line else '年度资金总额'}",
                    f"{loc}; 绩效目标表 row {project.name}", None)


@dataclass
class Match:
    line_row: object | None
    project: object | None
    score: float


def match_projects(ctx: Context) -> list[Match]:
    """Pair project lines with target tables: best name score first, equal amounts preferred."""
    if "matches" in ctx._cache:
        return ctx._cache["matches"]
    lines = project_lines(ctx)
    projects = list(targets_of(ctx).projects)
    pairs = []
    for i, row in enumerate(lines):
        q = ctx.quantity(row)
        for j, project in enumerate(projects):
            score = fuzz.ratio(_fold_name(row["item"]), _fold_name(project.name))
            if score < NAME_THRESHOLD:
                continue
            same_amount = project.annual_total_yuan is not None and project.annual_total_yuan == q.yuan
            pairs.append((score + (20 if same_amount else 0), score, i, j))
    pairs.sort(key=lambda p: (-p[0], p[2], p[3]))
    used_l, used_p, matches = set(), set(), []
    for _, score, i, j in pairs:
        if i in used_l or j in used_p:
            continue
        used_l.add(i)
        used_p.add(j)
        matches.append(Match(lines[i], projects[j], score))
    matches += [Match(lines[i], None, 0) for i in range(len(lines)) if i not in used_l]
    matches += [Match(None, projects[j], 0) for j in range(len(projects)) if j not in used_p]
    ctx._cache["matches"] = matches
    return matches


def _applicable(ctx: Context, rule: Rule):
    if not ctx.document.performance_blocks:
        return not_applicable(rule, "文档没有绩效目标表")
    if not ctx.printed("project_current"):
        return not_applicable(rule, "项目支出预算表（本年预算）未印或为空", ["project_current"])
    return None


@implements("performance.coverage")
def coverage(ctx: Context, rule: Rule):
    na = _applicable(ctx, rule)
    if na:
        yield na
        return
    title = ctx.title("project_current")
    for m in match_projects(ctx):
        if m.project is None:
            q = ctx.quantity(m.line_row)
            yield Finding(rule.id, rule.family, ERROR, f"{title}「{m.line_row['item']}」{q.text} {q.unit} 没有绩效目标表",
                          expected="有绩效目标表", actual="无", unit=q.unit or "", tables="project_current,performance",
                          location=where_of([q]), evidence=q.short())
        elif m.line_row is None:
            t = target_quantity(m.project)
            yield Finding(rule.id, rule.family, ERROR, f"绩效目标表「{m.project.name}」（年度资金 {t.text} 元）在{title}中没有对应项目",
                          expected="有项目支出行", actual="无", unit="元", tables="performance,project_current",
                          location=where_of([t]), evidence=t.short())
        else:
            q = ctx.quantity(m.line_row)
            t = target_quantity(m.project)
            same = _fold_name(m.line_row["item"]) == _fold_name(m.project.name)
            status = OK if same else WARNING
            message = (f"项目「{m.line_row['item']}」有绩效目标表：名称一致" if same else
                       f"名称不一致：{title}「{m.line_row['item']}」vs 绩效目标表「{m.project.name}」（相似度 {m.score:.0f}）")
            yield Finding(rule.id, rule.family, status, message, expected=str(m.line_row["item"]), actual=str(m.project.name),
                          tables="project_current,performance", location=where_of([q, t]), evidence=f"{q.short()}; {t.short()}")


@implements("performance.annual_amount")
def annual_amount(ctx: Context, rule: Rule):
    na = _applicable(ctx, rule)
    if na:
        yield na
        return
    for m in match_projects(ctx):
        if m.project is None or m.line_row is None:
            continue
        q = ctx.quantity(m.line_row)
        t = target_quantity(m.project)
        yield from_outcome(rule, compare_same(q, t), f"绩效目标表「{m.project.name}」年度资金总额 = 项目支出表「{m.line_row['item']}」×10000",
                           extra_tables=["performance"])


@implements("performance.funding_split")
def funding_split(ctx: Context, rule: Rule):
    projects = targets_of(ctx).projects
    if not projects:
        yield not_applicable(rule, "文档没有项目绩效目标表")
        return
    for project in projects:
        for period in ("实施期", "年度"):
            total = project.funding_line(period)
            parts = [f for f in project.funding if f.period == period and f.source != "合计"]
            if total is None or not parts:
                continue
            yield from_outcome(rule, compare_sum([target_quantity(project, p) for p in parts], target_quantity(project, total)),
                               f"绩效目标表「{project.name}」{period}资金总额 = Σ来源", extra_tables=["performance"])


def _budget_quantity(dept, label, axis):
    for line in dept.budget:
        if line.label == label and (axis is None or line.axis == axis):
            return Quantity(line.amount or Decimal(0), line.unit, line.text if line.amount is not None else "",
                            f"整体绩效目标表「{label}」", f"{line.location}; 整体绩效目标表 row {label}", None)
    return None


@implements("performance.overall")
def overall(ctx: Context, rule: Rule):
    departments = targets_of(ctx).departments
    if not departments:
        yield not_applicable(rule, "文档没有部门整体支出绩效目标表")
        return
    dept = departments[0]
    for label, axis, column in (("合计", "来源", "total"), ("一般公共预算资金", "来源", "total"), ("合计", "方向", "total"),
                                ("基本支出", "方向", "basic"), ("项目支出", "方向", "project")):
        b = _budget_quantity(dept, label, axis)
        g = ctx.total_row("general_expenditure", column)
        if b is None or g is None:
            continue
        yield from_outcome(rule, compare_same(g, b), f"整体绩效目标表 {axis}「{label}」= 一般公共预算支出表 合计「{g.label.split('「')[-1].rstrip('」')}」",
                           extra_tables=["performance"])
    for axis in ("来源", "方向"):
        total = _budget_quantity(dept, "合计", axis)
        parts = [_budget_quantity(dept, l.label, axis) for l in dept.budget if l.axis == axis and l.label != "合计"]
        if total is not None and parts:
            yield from_outcome(rule, compare_sum(parts, total), f"整体绩效目标表 按资金{axis}划分：合计 = Σ各项")


def _subsets(lines: list[tuple[str, Quantity]], size: int, target_yuan: Decimal, limit: int = 3):
    found = []
    if size <= 0 or size > len(lines) or len(lines) > 40:
        return found
    yuan = [q.yuan for _, q in lines]
    total = sum(yuan, Decimal(0))
    complement = size > len(lines) // 2
    k = len(lines) - size if complement else size
    goal = total - target_yuan if complement else target_yuan
    for combo in combinations(range(len(lines)), k):
        if sum((yuan[i] for i in combo), Decimal(0)) == goal:
            chosen = [i for i in range(len(lines)) if i not in combo] if complement else list(combo)
            found.append([lines[i] for i in chosen])
            if len(found) >= limit:
                break
    return found


@implements("performance.narrative_counts")
def narrative_counts(ctx: Context, rule: Rule):
    from budgetkit.checks.narrative_rules import claim_quantity, claims_of

    claims = [c for c in claims_of(ctx) if "绩效" in (c.section or "")]
    projects = targets_of(ctx).projects
    if not claims or not projects:
        yield not_applicable(rule, "情况说明未述及项目绩效目标，或没有项目绩效目标表")
        return
    lines = [(str(r["item"]), ctx.quantity(r)) for r in project_lines(ctx)] if ctx.printed("project_current") else []
    target_sum = sum((p.annual_total_yuan or Decimal(0) for p in projects), Decimal(0))
    unmatched = [m.line_row for m in match_projects(ctx) if m.project is None] if lines else []
    seen = set()
    for i, claim in enumerate(claims):
        if claim.kind != "count" or (claim.subject, claim.value) in seen:
            continue
        seen.add((claim.subject, claim.value))
        amount = next((c for c in claims[i + 1:i + 2] if c.kind == "amount" and c.unit in UNIT_TO_YUAN), None)
        subject = claim.subject
        cq = Quantity(claim.value, "个", str(claim.value), f"情况说明「{subject}」", f"{claim.location}; 情况说明 row {subject}")
        if "类" not in subject and "项目" in subject:
            n = len(projects)
            status = OK if n == claim.value else ERROR
            yield Finding(rule.id, rule.family, status, f"情况说明「{subject}」{claim.value}个 vs 绩效目标表 {n} 张" + ("：相符" if status == OK else "：不符"),
                          str(n), str(claim.value), str(claim.value - n), "0", "个", "narrative,performance", where_of([cq]), claim.sentence[:160])
            if amount is not None:
                aq = claim_quantity(amount)
                tq = exact(target_sum / UNIT_TO_YUAN[aq.unit], aq.unit, f"{n} 张绩效目标表年度资金合计")
                outcome = compare_same(tq, aq)
                note = ""
                if outcome.status == ERROR and lines:
                    line_total = sum((q.yuan for _, q in lines), Decimal(0))
                    missing = "、".join(f"{r['item']} {r['value_text']}" for r in unmatched)
                    note = (f"{len(lines)} 个项目支出行合计 {line_total / UNIT_TO_YUAN[aq.unit]} {aq.unit}"
                            + (f"；没有绩效目标表的项目：{missing}" if missing else ""))
                found = from_outcome(rule, outcome, f"情况说明「{subject}」金额 {amount.text} = {n} 张绩效目标表年度资金之和",
                                     note_fail=note, note_ok=note, extra_tables=["performance", "narrative"])
                found.claims = str(amount.index)
                yield found
        elif "类" in subject and amount is not None and lines:
            aq = claim_quantity(amount)
            size = int(claim.value)
            hits = _subsets(lines, size, aq.yuan)
            if hits:
                names = "、".join(f"{n} {q.text}" for n, q in hits[0])
                yield Finding(rule.id, rule.family, OK, f"情况说明「{subject}」{size}个、{amount.text}：项目支出表中有 {size} 个项目合计恰为此数（{names}）"
                              + ("；类别未在表中印出，仅作可能的组合" if len(hits) > 0 else ""),
                              amount.text, amount.text, "0", "0", aq.unit, "narrative,project_current", where_of([aq]), claim.sentence[:160],
                              claims=str(amount.index))
            else:
                other = [(k, h[0]) for k in range(1, min(len(lines), 6) + 1) if k != size for h in [_subsets(lines, k, aq.yuan, 1)] if h]
                alt = "；".join(f"但 {k} 个项目合计恰为此数（{'、'.join(f'{n} {q.text}' for n, q in combo)}）" for k, combo in other[:1])
                yield Finding(rule.id, rule.family, WARNING,
                              f"情况说明「{subject}」{size}个、{amount.text}：项目支出表中没有任何 {size} 个项目合计为此数{('，' + alt) if alt else ''}。类别（其他运转类/特定目标类）未在表中印出，无法直接核对",
                              amount.text, f"无 {size} 项组合", "", "", aq.unit, "narrative,project_current", where_of([aq]), claim.sentence[:160])
    by_attr: dict[str, list] = {}
    for p in projects:
        by_attr.setdefault(p.attribute or "（未印）", []).append(p)
    summary = "；".join(f"{a} {len(ps)} 个 {sum((p.annual_total_yuan or 0 for p in ps), Decimal(0)) / 10000} 万元" for a, ps in by_attr.items())
    yield Finding(rule.id, rule.family, "info", f"按绩效目标表「项目属性」重算：{summary}（项目属性不是“其他运转类/特定目标类”分类，仅供参考）",
                  tables="performance", location=where_of([target_quantity(p) for p in projects[:3]]))


@implements("performance.stated_arithmetic")
def stated_arithmetic_rule(ctx: Context, rule: Rule):
    from budgetkit.performance import stated_arithmetic

    projects = targets_of(ctx).projects
    if not projects:
        yield not_applicable(rule, "文档没有项目绩效目标表")
        return
    for project in projects:
        claims = [c for c in stated_arithmetic(project) if c.expected_yuan is not None and c.stated_yuan is not None]
        # A list ending in 共计 can be read two ways: keep the reading that fits best.
        drop = set()
        for c in claims:
            if c.kind == "listed_sum_vs_funding":
                rivals = [o for o in claims if o.kind in ("parts_sum", "total_vs_funding") and o.location == c.location]
                best_rival = min((abs(o.difference_yuan) for o in rivals if o.kind == "parts_sum"), default=None)
                if best_rival is not None and abs(c.difference_yuan) < best_rival:
                    drop.update(id(o) for o in rivals)
                else:
                    drop.add(id(c))
        for c in claims:
            if id(c) in drop:
                continue
            parts = [Quantity(v, u if u in UNIT_TO_YUAN else "元", str(v), f"{lab}", f"{c.location}; 绩效目标表 row {project.name}")
                     for lab, v, u in c.parts if u in UNIT_TO_YUAN]
            where = f"{c.location}; 绩效目标表 row {project.name}"
            if c.kind == "persons_rate_months" or len(parts) != len(c.parts):
                diff = c.difference_yuan
                status = OK if c.consistent else (WARNING if c.approximate else rule.on_fail)
                expr = " × ".join(f"{v}{u}" for _, v, u in c.parts)
                yield Finding(rule.id, rule.family, status,
                              f"绩效目标表「{project.name}」{c.description}：{expr} = {c.expected_yuan} 元，表中/文中为 {c.stated_yuan} 元"
                              + ("：相符" if c.consistent else f"：差 {diff} 元"),
                              str(c.expected_yuan), str(c.stated_yuan), str(diff), "0", "元", "performance",
                              where_of([Quantity(Decimal(0), "元", "", "", where)]), c.text[:160])
                continue
            stated_unit = c.parts[0][2] if c.parts else "元"
            funding = Quantity(c.expected_yuan, "元", format(c.expected_yuan.normalize(), "f"), "资金总额", where)
            if c.kind == "total_vs_funding":
                outcome = compare_same(funding, Quantity(c.stated_yuan, "元", "", "所述总额", where))
                if c.stated_yuan in c.alternatives_yuan:
                    outcome.status = OK
            elif c.kind == "parts_sum":
                value = c.stated_yuan / UNIT_TO_YUAN.get(stated_unit, 1)
                outcome = compare_sum(parts, Quantity(value, stated_unit, format(value.normalize(), "f"), "所述总额", where))
            else:  # listed_sum_vs_funding: the listed amounts against the funding
                outcome = compare_sum(parts, funding)
            fail = WARNING if c.approximate or c.kind == "listed_sum_vs_funding" else None
            yield from_outcome(rule, outcome, f"绩效目标表「{project.name}」{c.description}", fail_status=fail,
                               note_fail=f"原文：{c.text[:80]}", extra_tables=["performance"])
