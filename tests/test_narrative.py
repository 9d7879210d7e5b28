"""Narrative claims from the seed (沁水县公安局2025) and property tests of the extractor."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgetkit.model import Location, TextLine
from budgetkit.narrative import Claim, claims_frame, extract_claims, implied_prior_year, prior_year_frame

SEED = Path(__file__).resolve().parents[1] / "data" / "raw" / "qinshui-police-2025.txt"


def _narrative_lines() -> list[TextLine]:
    """第三部分 lines (382–457 and 1068–1090, 1-based) as the reader would give them."""
    raw = SEED.read_text(encoding="utf-8").split("\n")
    lines = [TextLine(text, Location(SEED.name, line=i + 1)) for i, text in enumerate(raw)]
    return lines[381:457] + lines[1067:1090]


@pytest.fixture(scope="module")
def claims() -> list[Claim]:
    return extract_claims(_narrative_lines(), department="沁水县公安局")


def _find(claims: list[Claim], kind: str, subject: str, line: int) -> list[Claim]:
    return [c for c in claims if c.kind == kind and c.subject == subject and c.line == line]


def test_total_income_and_its_change(claims):
    total = _find(claims, "amount", "预算收入总计", 386)
    assert [c.value for c in total] == [Decimal("12347.07")]
    assert total[0].unit == "万元"
    assert total[0].section == "一、部门预算收支数据变动情况及原因"
    change = _find(claims, "change_amount", "预算收入总计", 386)
    assert [(c.value, c.direction, c.base, c.attached) for c in change] == [(Decimal("697.27"), "减少", "上年", "head")]
    rate = _find(claims, "change_rate", "预算收入总计", 386)
    assert [(c.value, c.direction) for c in rate] == [(Decimal("5.35"), "下降")]
    # the same change for the expenditure total, in the second half of the sentence
    assert [c.value for c in _find(claims, "change_amount", "预算支出总计", 386)] == [Decimal("697.27")]


def test_carry_over_share(claims):
    carry = _find(claims, "amount", "上年结转", 390)
    assert [c.value for c in carry] == [Decimal("76.62")]
    share = _find(claims, "share", "上年结转", 390)
    assert [(c.value, c.unit, c.current_value) for c in share] == [(Decimal("0.62"), "%", Decimal("76.62"))]
    assert share[0].section == "二、收入预算情况说明"
    gp = _find(claims, "share", "一般公共预算拨款收入", 390)
    assert [c.value for c in gp] == [Decimal("99.38")]
    # zero amounts are claims too
    assert [c.value for c in _find(claims, "amount", "单位资金", 390)] == [Decimal("0")]


def test_expenditure_structure(claims):
    assert [c.value for c in _find(claims, "amount", "基本支出", 396)] == [Decimal("3954.29")]
    assert [c.value for c in _find(claims, "share", "项目支出", 396)] == [Decimal("67.97")]
    assert [c.value for c in _find(claims, "amount", "公共安全支出", 400)] == [Decimal("11539.98")]
    assert [c.value for c in _find(claims, "amount", "公共安全支出", 411)] == [Decimal("11463.36")]
    assert [c.value for c in _find(claims, "share", "公共安全支出", 411)] == [Decimal("93.42")]


def test_three_public_expenses(claims):
    sangong = _find(claims, "amount", "“三公”经费", 428)
    assert [c.value for c in sangong] == [Decimal("108.00")]
    change = _find(claims, "change_amount", "“三公”经费", 428)
    assert [(c.value, c.direction, c.base) for c in change] == [(Decimal("64.00"), "减少", "2024年")]
    same = [c for c in claims if c.kind == "same_as_prior" and c.line == 430]
    assert [c.subject for c in same] == ["因公出国（境）费", "公务接待费", "公务用车运行维护费"]
    assert [c.value for c in _find(claims, "amount", "公务用车购置费", 430)] == [Decimal("80.00")]
    assert [c.value for c in _find(claims, "change_amount", "公务用车购置费", 430)] == [Decimal("64.00")]


def test_counts_and_procurement(claims):
    counts = {(c.subject, c.value, c.unit) for c in claims if c.kind == "count" and c.line == 454}
    assert ("纳入绩效目标管理的二级项目", Decimal(16), "个") in counts
    assert ("其他运转类项目", Decimal(3), "个") in counts
    assert ("特定目标类项目", Decimal(13), "个") in counts
    amounts = _find(claims, "amount", "其他运转类项目", 454)
    assert [c.value for c in amounts] == [Decimal("3409.55"), Decimal("3409.55")]
    share = [c for c in claims if c.kind == "share" and c.line == 454]
    assert [(c.value, c.denominator) for c in share] == [(Decimal("99.09"), "部门（单位）项目支出总额")]
    assert [c.value for c in _find(claims, "amount", "政府采购货物预算", 442)] == [Decimal("880.70")]
    assert [c.value for c in _find(claims, "amount", "政府采购预算总额", 442)] == [Decimal("1288.30")]
    assert [c.value for c in _find(claims, "count", "执法执勤用车", 1072)] == [Decimal(76)]


def test_operating_cost_implies_prior_and_exposes_rate_base(claims):
    amount = _find(claims, "amount", "机关运行经费", 438)
    assert [c.value for c in amount] == [Decimal("778.44")]
    priors = [p for p in implied_prior_year(claims) if p.subject == "机关运行经费"]
    assert len(priors) == 1
    prior = priors[0]
    assert prior.prior_value == Decimal("747.42")
    assert prior.stated_rate_pct == Decimal("3.98")
    assert prior.location.line == 438
    # 31.02 / 747.42 = 4.15 %: the printed 3.98 % is 31.02 / 778.44 (the current year as base).
    assert prior.recomputed_rate_rounded_pct == Decimal("4.15")
    assert round(prior.rate_on_current_pct, 2) == Decimal("3.98")


def test_implied_priors_of_totals(claims):
    by_subject = {p.subject: p for p in implied_prior_year(claims)}
    income = by_subject["预算收入总计"]
    assert income.prior_value == Decimal("13044.34")
    assert income.recomputed_rate_rounded_pct == income.stated_rate_pct == Decimal("5.35")
    gp = by_subject["一般公共预算当年支出"]
    assert gp.prior_value == Decimal("12483.62")
    assert gp.recomputed_rate_rounded_pct == Decimal("1.71")
    assert by_subject["公务用车购置费"].prior_value == Decimal("144.00")
    assert by_subject["公务用车运行维护费"].prior_value == Decimal("28.00")
    assert by_subject["“三公”经费"].prior_value == Decimal("172.00")


def test_frames(claims):
    frame = claims_frame(claims)
    assert len(frame) == len(claims)
    assert {"kind", "subject", "value", "unit", "line", "section"} <= set(frame.columns)
    assert isinstance(frame.loc[0, "value"], Decimal)
    priors = prior_year_frame(implied_prior_year(claims))
    assert "prior_value" in priors.columns and "line" in priors.columns


def _lines(*texts: str) -> list[TextLine]:
    return [TextLine(t, Location("t.txt", line=i + 1)) for i, t in enumerate(texts)]


def test_headings_and_fullwidth():
    lines = _lines("三、支出预算情况说明", "支出预算１２，３４７．０７万元，其中：基本支出3,954.29万元，占32.03%。")
    claims = extract_claims(lines)
    assert [(c.kind, c.subject, c.value) for c in claims][:2] == [
        ("amount", "预算支出总计", Decimal("12347.07")),
        ("amount", "基本支出", Decimal("3954.29")),
    ]
    assert claims[0].section == "三、支出预算情况说明"
    assert claims[0].location.line == 2


def test_increase_on_single_part_attaches_to_part():
    claims = extract_claims(_lines("支出总计100万元，其中：基本支出60万元，比上年增加5万元，增长9.09%。"))
    change = [c for c in claims if c.kind == "change_amount"][0]
    assert change.subject == "基本支出" and change.current_value == Decimal(60)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_no_text_crashes_extraction(text):
    claims = extract_claims(_lines(*text.split("\n")))
    implied_prior_year(claims)


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.sampled_from(["万元", "元"]),
)
def test_amount_round_trips(value, thousands, unit):
    printed = f"{value:,.2f}" if thousands else f"{value:.2f}"
    claims = extract_claims(_lines(f"2025年度某某局预算收入总计{printed}{unit}，占100%。"))
    amounts = [c for c in claims if c.kind == "amount"]
    assert len(amounts) == 1
    assert amounts[0].value == value
    assert amounts[0].unit == unit
    assert amounts[0].subject == "预算收入总计"


# --------------------------------------------------------------------------- 科目 items, bases and years


def test_accounts_in_every_printed_form():
    from budgetkit.narrative import find_accounts

    def parts(text):
        return [[(p.level, p.name, p.code) for p in ref.parts] for ref in find_accounts(text)]

    # 万里街道 2024 p.6; 普陀区政府办公室 2025 p.6; 福州市商务局 2026 p.27; 西南大学 2024 决算 p.18; the (01项)
    assert parts("1. “一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”25.77万元") == [
        [("类", "一般公共服务支出", None), ("款", "统计信息事务", None), ("项", "专项普查活动", None)]]
    assert parts("2. “一般公共服务支出-政府办公厅（室）及相关机构事务-一般行政管理事务”科目4,614万元") == [
        [("类", "一般公共服务支出", None), ("款", "政府办公厅（室）及相关机构事务", None), ("项", "一般行政管理事务", None)]]
    assert parts("（十）2210201-住房公积金 247.25 万元。") == [[("项", "住房公积金", "2210201")]]
    assert parts("12.住房公积金（2210201），2024 年度决算数为 7,443.57万元") == [[("项", "住房公积金", "2210201")]]
    assert parts("住房保障支出（221类）住房改革支出（02款）住房公积金（01项）208.8万元") == [
        [("类", "住房保障支出", "221"), ("款", "住房改革支出", "22102"), ("项", "住房公积金", "2210201")]]
    # a class named inside an explanation is cut to the class name (西安 2022 决算 p.12)
    assert parts("实际应使用卫生健康支出（类）公共卫生（款）应急救治机构（项）追加人员工资预算")[0][0] == ("类", "卫生健康支出", None)


def test_item_amounts_carry_their_account_basis_and_year():
    text = ("1. “一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”25.77万元，主要用于专项普查活动。"
            "2023年当年预算执行数为60.13万元，2024年预算安排25.77万元，比2023年预算执行数减少57.14%。")
    claims = extract_claims(_lines(text))
    heading, execution, budget, rate = claims
    assert {c.account_names for c in (heading, execution, budget)} == {"一般公共服务支出|统计信息事务|专项普查活动"}
    assert (execution.basis, execution.year) == ("execution", 2023)
    assert (budget.basis, budget.year) == ("budget", 2024)
    assert (rate.kind, rate.base_year, rate.base_basis) == ("change_rate", 2023, "execution")
    assert (rate.current_index, rate.base_index) == (budget.index, execution.index)


def test_amounts_of_explanations_asides_and_standards():
    claims = extract_claims(_lines(
        # 苏州市水务局 2026 p.29: the 31000 万元 is a project of the reason, not the class
        "（2）城乡社区支出（类）支出 44,003.26 万元，主要用于城区污水处理运营服务费。与上年相比增加 13,424.11 万元，增长 43.9%。"
        "主要原因是新增转拨项目吴中区沿太湖圩区退圩还湖工程（转拨）31000 万元。",
        # 烟台市住房和城乡建设局 2026 p.35: an annotation left in the text
        "2026年本部门委托业务费财政拨款预算为2,196.52万元，比上年预算（注：上年3,468.18万元，公开时请删除注释）减少1271.66万元，下降36.67%。",
        "单位价值 100 万元以上设备9 台（套）。",
    ))
    by_text = {c.text: c for c in claims}
    assert by_text["44,003.26 万元"].account_names == "城乡社区支出"
    assert by_text["31000 万元"].context == "explanation" and not by_text["31000 万元"].account
    aside, change = by_text["3,468.18万元"], by_text["1271.66万元"]
    assert aside.context == "aside"
    assert change.current_index == by_text["2,196.52万元"].index and change.base_index == aside.index
    assert by_text["100 万元"].context == "standard"


def test_letter_spacing_is_undone():
    from budgetkit.narrative import normalise_printed

    assert normalise_printed("年初预算 9 9 9 . 8 3万元") == "年初预算 999.83万元"
    assert normalise_printed("政 府 性 基 金 收 入 27600.00 万 元") == "政府性基金收入 27600.00 万元"
    assert normalise_printed("2026 年收入预算 99,230.46 万元") == "2026 年收入预算 99,230.46 万元"


def test_document_period_from_metadata_or_titles():
    from budgetkit.model import Document
    from budgetkit.narrative import document_period

    doc = Document("x", {"fiscal_year": "2024", "kind": "budget"}, [])
    assert (document_period(doc).year, document_period(doc).kind, document_period(doc).source) == (2024, "budget", "manifest")
    final = Document("x", {}, [], parts={2: "2022年度部门决算情况说明", 3: "2022年度部门决算表"})
    assert (document_period(final).year, document_period(final).kind) == (2022, "final")
    assert document_period(Document("x", {}, [])).year is None
