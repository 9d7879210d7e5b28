"""绩效目标表 parsing on the seed (沁水县公安局2025): values, labels, lines, stated arithmetic."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from budgetkit.model import Location, TextBlock, TextLine
from budgetkit.performance import (
    PerformanceTargets,
    arithmetic_frame,
    funding_frame,
    indicators_frame,
    parse_indicator_value,
    parse_performance_blocks,
    projects_frame,
    stated_arithmetic,
)

SEED = Path(__file__).resolve().parents[1] / "data" / "raw" / "qinshui-police-2025.txt"


def _blocks() -> list[TextBlock]:
    """Split lines 458–1066 (1-based) into one block per table title; a repeated title stays in its block."""
    raw = SEED.read_text(encoding="utf-8").split("\n")
    lines = [TextLine(text, Location(SEED.name, line=i + 1)) for i, text in enumerate(raw)]
    blocks: list[TextBlock] = []
    for line in lines[457:1066]:
        first = line.cells[0].strip()
        is_title = "绩效目标" in first and first.endswith("表")
        only_titles = blocks and all(
            not l.text.strip() or "绩效目标" in l.text or "年度" in l.cells[0] for l in blocks[-1].lines
        )
        if is_title and not only_titles:
            kind = "整体支出" if "整体支出" in first else "项目支出"
            blocks.append(TextBlock(kind, first, []))
        if blocks:
            blocks[-1].lines.append(line)
    return blocks


@pytest.fixture(scope="module")
def targets() -> PerformanceTargets:
    return parse_performance_blocks(_blocks())


def _project(targets: PerformanceTargets, name: str):
    return [p for p in targets.projects if p.name == name]


def test_sixteen_project_tables(targets):
    assert len(targets.departments) == 1
    assert len(targets.projects) == 16
    assert all(p.annual_total_yuan is not None for p in targets.projects)
    assert [p.location.line for p in targets.projects][:3] == [508, 540, 572]


def test_department_table(targets):
    dept = targets.departments[0]
    assert (dept.department, dept.department_code) == ("沁水县公安局", "017")
    assert dept.count("内设职能部门数") == 34
    assert dept.count("所属预算单位数") == 2
    assert dept.count("核定的人员编制数") == 196
    assert dept.count("实际在职人员总数") == 500
    assert dept.count("在编人员数") == 176
    assert dept.count("其他人员数") == 324
    assert dept.budget_amount("合计", "来源") == Decimal("12270.45")
    assert dept.budget_amount("合计", "方向") == Decimal("12270.45")
    assert dept.budget_amount("一般公共预算资金") == Decimal("12270.45")
    assert dept.budget_amount("基本支出") == Decimal("3954.29")
    assert dept.budget_amount("项目支出") == Decimal("8316.17")
    assert dept.budget_amount("单位资金") == Decimal("0")
    line = [b for b in dept.budget if b.label == "项目支出"][0]
    assert (line.axis, line.unit, line.location.line, line.amount_yuan) == ("方向", "万元", 472, Decimal("83161700"))
    assert len(dept.key_tasks) == 4
    assert len(dept.indicators) == 22
    first = dept.indicators[0]
    assert (first.level1, first.level2, first.level3, first.value_text, first.location.line) == (
        "产出指标",
        "数量指标",
        "办理各类案件数量",
        "≥1200件",
        484,
    )
    cost = [i for i in dept.indicators if i.level3 == "办理各类案件总成本"][0]
    assert (cost.comparator, cost.number, cost.unit, cost.amount_yuan) == ("≤", Decimal(400), "万元", Decimal(4000000))


def test_project_funding_by_label(targets):
    (center,) = _project(targets, "执法办案中心建设项目")
    assert center.annual_total_yuan == Decimal(5000000)
    assert center.implementation_total_yuan == Decimal(53000000)
    assert center.amount_yuan("年度", "市县财政资金") == Decimal(5000000)
    assert center.amount_yuan("年度", "中央财政资金") == Decimal(0)
    assert center.amount_yuan("年度", "其他资金") is None
    assert center.funding_line("年度").location.line == 515
    assert (center.department_code, center.implementing_unit, center.duration_years) == ("017", "沁水县公安局本级", 4)
    assert center.attribute == "延续性项目(阶段开展)"


def test_duplicate_project_name(targets):
    fujing = _project(targets, "辅警专项经费")
    assert [p.annual_total_yuan for p in fujing] == [Decimal(27391500), Decimal(4480600)]
    assert [p.implementation_total_yuan for p in fujing] == [Decimal(31872110), Decimal(4480600)]
    assert [p.name_location.line for p in fujing] == [834, 870]


def test_name_before_wrong_name_row(targets):
    (zhengfa,) = [p for p in targets.projects if p.location.line == 672]
    assert zhengfa.name == "沁水政法[2024]19号提前下达2025年中央政法转移支付资金"
    assert zhengfa.name_location.line == 676
    assert zhengfa.department == "沁水县公安局"
    assert zhengfa.annual_total_yuan == Decimal(7020000)
    # printed as 省级 although the name and indicators say 中央
    assert zhengfa.amount_yuan("年度", "省级财政资金") == Decimal(7020000)
    assert zhengfa.amount_yuan("年度", "中央财政资金") == Decimal(0)
    assert any("项目名称" in w for w in zhengfa.warnings)


def test_total_annual_funding_of_tables(targets):
    total = sum(p.annual_total_yuan for p in targets.projects)
    # 7,916.166万元: the narrative's 8,316.17万元 less 沁水县社会治理智慧化改造工程二期 (400万元),
    # which is in the 项目支出 table but has no 绩效目标表.
    assert total == Decimal(79161660)


def test_indicators_both_periods_and_moved_columns(targets):
    (ops,) = _project(targets, "工程运维服务费")
    lines661 = [(i.period, i.level2, i.level3, i.value_text) for i in ops.indicators if i.location.line == 661]
    assert lines661 == [
        ("实施期", "数量指标", "网络传输专线", "≥1139路"),
        ("年度", "数量指标", "网络传输专线", "≥1139路"),
    ]
    (cost,) = _project(targets, "监管场所保障经费")
    annual_cost = [i for i in cost.indicators if i.period == "年度" and i.level2 == "成本指标"]
    assert [(i.level3, i.amount_yuan) for i in annual_cost] == [("保障羁押人员成本", Decimal(950000))]
    (zhongcun,) = _project(targets, "中村交警中队危房改造项目")
    row1059 = [(i.period, i.level3, i.value_text) for i in zhongcun.indicators if i.location.line == 1059]
    assert row1059 == [("实施期", "前期项目完成时间", "2024年12月底")]


def test_stated_arithmetic(targets):
    (jianguan,) = _project(targets, "监管场所保障经费")
    claims = stated_arithmetic(jianguan)
    parts = [c for c in claims if c.kind == "parts_sum"]
    assert [(c.expected_yuan, c.stated_yuan, c.consistent) for c in parts] == [
        (Decimal(1150000), Decimal(1150000), True)
    ]
    vs = [c for c in claims if c.kind == "total_vs_funding"]
    assert [(c.stated_yuan, c.expected_yuan, c.consistent) for c in vs] == [(Decimal(1150000), Decimal(950000), False)]
    assert vs[0].location.line == 808

    (yishu,) = _project(targets, "遗属生活补助")
    rate = [c for c in stated_arithmetic(yishu) if c.kind == "persons_rate_months"]
    assert [(c.expected_yuan, c.stated_yuan) for c in rate] == [(Decimal(49728), Decimal(50160))]

    (jiaotong,) = _project(targets, "交通安全管理专项经费")
    claims = stated_arithmetic(jiaotong)
    (parts,) = [c for c in claims if c.kind == "parts_sum"]
    assert (parts.expected_yuan, parts.stated_yuan) == (Decimal("3427200"), Decimal("3000000"))
    (listed,) = [c for c in claims if c.kind == "listed_sum_vs_funding"]
    assert (listed.stated_yuan, listed.expected_yuan) == (Decimal("6427200"), Decimal(6426200))

    (jingwu,) = _project(targets, "交警队警务辅助人员专用经费")
    (vs,) = [c for c in stated_arithmetic(jingwu) if c.kind == "total_vs_funding"]
    assert (vs.stated_yuan, vs.expected_yuan, vs.consistent) == (Decimal("2713200"), Decimal(2173200), False)

    (fushu,) = _project(targets, "沁水县公安局执法办案管理中心附属工程建设项目")
    (vs,) = [c for c in stated_arithmetic(fushu) if c.kind == "total_vs_funding"]
    assert vs.consistent is True


def test_parse_indicator_value():
    assert parse_indicator_value("≥1,200件") == ("≥", Decimal(1200), "件")
    assert parse_indicator_value("≤400元/人") == ("≤", Decimal(400), "元/人")
    assert parse_indicator_value("及时") == (None, None, None)


def test_frames(targets):
    projects = projects_frame(targets.projects)
    assert len(projects) == 16
    assert projects.loc[0, "年度_合计_yuan"] == Decimal(5000000)
    funding = funding_frame(targets.projects)
    assert set(funding["period"]) == {"实施期", "年度"}
    assert funding["line"].notna().all()
    indicators = indicators_frame(targets)
    assert indicators["line"].notna().all()
    assert set(indicators["kind"]) == {"整体支出", "项目支出"}
    claims = [c for p in targets.projects for c in stated_arithmetic(p)]
    frame = arithmetic_frame(claims)
    assert (frame["consistent"] == False).sum() >= 5  # noqa: E712


def test_block_without_kind_is_guessed():
    lines = [
        TextLine("项目名称\t\t测试项目", Location("t", line=1)),
        TextLine("项目资金(元)\t实施期资金总额:\t1,000\t年度资金总额:\t500", Location("t", line=2)),
    ]
    result = parse_performance_blocks([TextBlock("", "", lines)])
    assert result.projects[0].name == "测试项目"
    assert result.projects[0].annual_total_yuan == Decimal(500)
