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
