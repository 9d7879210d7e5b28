"""Narrative links of the second round: real sentences of the wild documents (../shared/data/wild),
held against the table cells they print, with values recomputed by hand in the comments.

西安市财政局 2026 p.18 and p.43 (a “三公” table printing 上年 | 当年 | 增减变化情况 side by side, in 元);
烟台市住房和城乡建设局 2026 p.34 (changes listed after 其中); 国家信访局 2024 决算 p.19 (占比 after a
其中 list); 西南大学 2024 决算 p.19 (a share of an amount the paragraph stated before); 福州市商务局 2026
p.21–22 and p.28 (人员经费 / 公用经费 and the economic classes); 杭州市交通运输局 2026 p.12 and p.30
(人员支出 / 日常公用支出 under a 一般公共预算基本支出 heading).
"""

from __future__ import annotations

from budgetkit.checks import RULES_BY_ID, run_checks
from budgetkit.model import Location, TextLine
from budgetkit.narrative import extract_claims
from budgetkit.tidy import tidy_document
from conftest import raw_table as raw, small_document as document


def findings(doc, *rule_ids):
    found = run_checks(doc, tidy_document(doc), rules=[RULES_BY_ID[r] for r in rule_ids])
    return found[found["rule_id"].isin(rule_ids)]


def claims_of(*lines):
    return extract_claims([TextLine(t, Location("t.pdf", page=1, line=i + 1)) for i, t in enumerate(lines)])


def about(found, text):
    return found[found["message"].str.contains(text, regex=False)]


# --------------------------------------------------------------------------- 上年 | 当年 | 增减 side by side

_GROUPS = ["上年", "当年", "增减变化情况"]
_FUND = "一般公共预算拨款安排的“三公”经费预算"
_VEHICLE = "公务用车购置及运行维护费"
#: the header levels under each period, as printed (4 levels: 当年 / 一般公共预算拨款安排的“三公”经费预算 /
#: 公务用车购置及运行维护费 / 小计)
_LEVELS = [["合计", ""], [_FUND, "小计"], [_FUND, "因公出国（境）费用"], [_FUND, "公务接待费"], [_FUND, _VEHICLE, "小计"],
           [_FUND, _VEHICLE, "公务用车购置费"], [_FUND, _VEHICLE, "公务用车运行维护费"], ["会议费"], ["培训费"]]
#: 西安市财政局 2026 表13 (p.43), the 合计 row, in 元. The reader gave the catalog ids to the 上年 group
#: (its headers lost the 上年 above them); 当年 and 增减 keep their printed headers.
XIAN_THREE_PUBLIC_COLUMNS = ["item", "total", "three_public_total", "outbound", "reception", "vehicle_total", "vehicle_purchase",
                             "vehicle_operation", "meeting", "training"] + [f"col{i}" for i in range(12, 30)]
XIAN_THREE_PUBLIC_HEADER = [["单位名称"] + [g for g in _GROUPS for _ in _LEVELS]] + [
    [""] + [(level[depth] if depth < len(level) else "") for _g in _GROUPS for level in _LEVELS] for depth in range(3)]
XIAN_THREE_PUBLIC_ROW = ["合计",
                         "2,480,000.00", "265,000.00", "", "90,000.00", "175,000.00", "", "175,000.00", "506,800.00", "1,708,200.00",
                         "2,083,436.00", "219,000.00", "", "80,000.00", "139,000.00", "", "139,000.00", "461,836.00", "1,402,600.00",
                         "-396,564.00", "-46,000.00", "", "-10,000.00", "-36,000.00", "", "-36,000.00", "-44,964.00", "-305,600.00"]
XIAN_P18 = ["十、“三公”经费及会议费、培训费情况说明",
            "本部门当年一般公共预算“三公”经费预算支出21.90万元，较上年减少4.60万元，下降17.36%，下降的主要原因是：公务用车运行维护费标准降低，预算减少。其中：",
            "公务接待费8.00万元，较上年减少1.00万元，下降11.11%，下降的主要原因是：严格落实“过紧日子”的要求，压减公务接待费预算；",
            "本部门当年一般公共预算培训费预算支出140.26万元，较上年减少30.56万元，下降17.89%，下降的主要原因是：严格落实“过紧日子”的要求，压减培训费预算。"]


def xian_finance(row=XIAN_THREE_PUBLIC_ROW):
    table = raw("three_public", XIAN_THREE_PUBLIC_COLUMNS, [row], unit="元")
    table.header_rows = XIAN_THREE_PUBLIC_HEADER
    return document(table, narrative=XIAN_P18)


def test_this_years_amounts_come_from_this_years_columns():
    found = findings(xian_finance(), "narrative.amount")
    # 当年: “三公” 219,000 元 = 21.90 万元, 公务接待费 80,000 元 = 8.00 万元, 培训费 1,402,600 元 = 140.26 万元;
    # the 上年 columns the catalog ids went to hold 265,000 / 90,000 / 1,708,200
    for subject, cell in (("“三公”经费预算支出", "219000"), ("公务接待费", "80000"), ("培训费预算支出", "1402600")):
        rows = about(found, subject)
        assert list(rows["status"]) == ["ok"], subject
        assert str(rows.iloc[0]["expected"]).replace(",", "").startswith(cell), subject
    assert (found["status"] != "error").all()


def test_a_change_is_held_against_last_years_columns():
    found = findings(xian_finance(), "narrative.prior_year")
    # 21.90 + 4.60 = 26.50 万元 = 上年 265,000 元; 8.00 + 1.00 = 9.00 = 90,000; 140.26 + 30.56 = 170.82 = 1,708,200
    assert sorted(found["status"]) == ["ok", "ok", "ok"]
    # 上年 “三公” printed 275,000: 21.90 + 4.60 = 26.50 ≠ 27.50
    wrong = list(XIAN_THREE_PUBLIC_ROW)
    wrong[2] = "275,000.00"
    bad = findings(xian_finance(wrong), "narrative.prior_year")
    assert list(about(bad, "“三公”经费")["status"]) == ["error"]


# --------------------------------------------------------------------------- 其中 lists

YANTAI_P34 = ["一、预算收支增减变化情况说明",
              "1.收入预算增加14,345.82万元，其中一般公共预算收入增加12,895.94万元，政府性基金预算收入增加1,488.03万元，"
              "国有资本经营预算收入减少52.75万元，其他收入增加24.6万元，上级补助收入减少10万元。",
              "2.支出预算增加14,345.82万元，其中基本支出增加258.79万元，项目支出增加14,087.02万元。"]


def test_changes_listed_after_of_which_add_up_with_their_signs():
    found = findings(document(narrative=YANTAI_P34), "narrative.of_which")
    # 12,895.94 + 1,488.03 − 52.75 + 24.6 − 10 = 14,345.82
    assert list(about(found, "收入预算")["status"]) == ["ok"]
    # 258.79 + 14,087.02 = 14,345.81: one cent off, within the rounding of three printed numbers
    assert list(about(found, "支出预算")["status"]) == ["rounding"]


def test_a_list_that_does_not_add_up_proves_nothing():
    partial = [YANTAI_P34[0], YANTAI_P34[1].replace("，上级补助收入减少10万元", "")]
    found = findings(document(narrative=partial), "narrative.of_which")
    assert list(found["status"]) == ["not_applicable"]


# --------------------------------------------------------------------------- shares

CENTRAL_P19 = ["二、收入支出决算总体情况说明",
               "国家信访局 2024 年度本年支出合计 14572.53 万元，其中：按功能分类支出划分为一般公共服务支出 10685.56 万元，占比73.33%；"
               "教育支出 180.03 万元，占比 1.24%；社会保障和就业支出 2228.57 万元，占 15.29%；卫生健康支出 497.53 万元，占比3.41%；"
               "住房保障支出 980.85 万元，占比 6.73%。按经济分类划分为基本支出 11073.11 万元，占比 75.99%；项目支出 3499.42 万元，占比 24.01%；无经营性支出。"]


def test_zhanbi_names_no_whole():
    assert [bool(c.denominator) for c in claims_of(*CENTRAL_P19) if c.kind == "share"][:2] == [False, False]
    found = findings(document(narrative=CENTRAL_P19), "narrative.share")
    # 10685.56 / 14572.53 = 73.327 % → 73.33; 180.03 / 14572.53 = 1.235 % → 1.24
    assert list(about(found, "「一般公共服务支出」占 73.33%")["status"]) == ["ok"]
    # 基本支出 75.99 % + 项目支出 24.01 % = 100 %: the whole is their sum, 14572.53; 11073.11 / 14572.53 = 75.986 %
    assert list(about(found, "「基本支出」占 75.99%")["status"]) == ["ok"]
    assert not (found["status"] == "error").any()


SWU_P19 = ("学校 2024 年度政府采购支出总额 15,346.40 万元，其中：政府采购货物支出5,510.39万元，政府采购工程支出9,069.87万元，"
           "政府采购服务支出 766.15 万元。授予中小企业合同金额 12,127.08 万元，占政府采购支出总额的 79.02%，其中：授予小微企业合同金额"
           " 7,295.12 万元，占授予中小企业合同金额的 60.02% ；货物采购授予中小企业合同金额占货物支出金额的 55.48%，"
           "工程采购授予中小企业合同金额占工程支出金额的 100%。")


def test_share_of_an_amount_the_paragraph_stated_by_name():
    found = findings(document(narrative=["（五）其他说明", SWU_P19]), "narrative.share")
    # 12,127.08 / 15,346.40 = 79.022 % → 79.02: holds
    assert list(about(found, "占 79.02%")["status"]) == ["ok"]
    # 7,295.12 / 12,127.08 = 60.1556 %, printed 60.02 % (西南大学 2024 决算 p.19, as printed)
    bad = about(found, "占 60.02%")
    assert list(bad["status"]) == ["error"] and "60.1556" in bad.iloc[0]["message"]


# --------------------------------------------------------------------------- subjects

def test_shou_zhi_zongji_is_one_subject():
    claims = claims_of("国家信访局 2024 年度收、支总计 22066.59 万元，与 2023 年相比，收、支总计各增加 5834.37 万元，增长 35.74%。",
                       "2026 年本部门委托业务费财政拨款预算总额 236.75 万元。")
    assert [c.subject for c in claims[:3]] == ["预算收入总计"] * 3
    assert claims[0].phrase == "收、支总计"
    assert claims[3].subject.startswith("委托业务费")  # not 托业务费: 本部门委 is no department


def test_heading_that_is_a_subject_names_the_amount_under_it():
    # 福州市民政局 2026 p.27
    claims = claims_of("六、一般公共预算“三公”经费支出情况", "（二）公务接待费", "2026 年预算安排 8.00 万元，与上年持平。主要是保障外地单位来榕交流学习需要。")
    amount = next(c for c in claims if c.kind == "amount")
    assert (amount.subject, amount.attached) == ("公务接待费", "heading")


# --------------------------------------------------------------------------- 人员经费 / 公用经费

#: 福州市商务局 2026 一般公共预算基本支出经济分类情况表 (p.21–22), the classes.
FUZHOU_BASIC = raw("general_basic_economic", ["code", "name", "total"], [
    ["", "合计", "3861.25"],
    ["301", "工资福利支出", "2964.61"],
    ["302", "商品和服务支出", "302.44"],
    ["303", "对个人和家庭的补助", "586.60"],
    ["310", "资本性支出", "7.60"],
])
FUZHOU_P28 = ["五、一般公共预算拨款基本支出情况",
              "（一）人员经费 3551.21 万元，主要包括：基本工资、津贴补贴、奖金。",
              "（二）公用经费 310.04 万元，主要包括：办公费、印刷费、咨询费。"]


def test_personnel_confirmed_by_the_economic_classes():
    found = findings(document(FUZHOU_BASIC, narrative=FUZHOU_P28), "narrative.amount")
    # 2964.61 + 586.60 = 3551.21 (301 + 303); 302.44 + 7.60 = 310.04 (the other classes)
    assert list(about(found, "「人员经费」")["status"]) == ["ok"]
    assert list(about(found, "「公用经费」")["status"]) == ["ok"]


def test_classes_defined_otherwise_prove_nothing():
    # a publisher counting 46.20 of 303 as 公用经费 (福州市医疗保障局 2026 does): not linked, never an error
    other = [FUZHOU_P28[0], FUZHOU_P28[1].replace("3551.21", "3505.01"), FUZHOU_P28[2].replace("310.04", "356.24")]
    found = findings(document(FUZHOU_BASIC, narrative=other), "narrative.amount")
    assert set(about(found, "经费」")["status"]) == {"unchecked"}


#: 杭州市交通运输局 2026 表5 (p.30), the 合计 row, 万元.
HANGZHOU_GENERAL = raw("general_expenditure", ["name", "total", "col3", "col4", "col5", "project"], [
    ["合计", "432,513.70", "82,479.29", "67,627.51", "14,902.37", "350,034.42"],
])
HANGZHOU_GENERAL.header_rows = [["功能分类科目名称", "合计", "基本支出", "基本支出", "基本支出", "项目支出"],
                                ["", "", "小计", "人员经费", "日常公用支出", ""]]


def test_personnel_spending_under_a_general_budget_heading():
    lines = ["二、2026年杭州市交通运输局部门预算安排", "（六）一般公共预算基本支出情况说明（详见表6）",
             "人员支出67,627.51万元，主要包括：基本工资、津贴补贴、奖金。", "日常公用支出14,902.37万元，主要包括：办公费、印刷费。"]
    found = findings(document(HANGZHOU_GENERAL, narrative=lines), "narrative.amount")
    assert list(about(found, "「人员支出」")["status"]) == ["ok"]
    assert "基本支出/人员经费" in about(found, "「人员支出」").iloc[0]["message"]
    assert list(about(found, "「日常公用支出」")["status"]) == ["ok"]
    # under （三）支出预算情况说明 人员支出 is every fund's spending: not held against the general budget's table
    lines[1] = "（三）支出预算情况说明（详见表1-3）"
    found = findings(document(HANGZHOU_GENERAL, narrative=lines), "narrative.amount")
    assert not about(found, "「人员支出」")["status"].isin(["ok", "error"]).any()


# --------------------------------------------------------------------------- 预算执行率

CENTRAL_P45 = ["十三、预算绩效情况说明",
               "截至 2024 年 12 月 31 日，项目全年预算数为 1018.55 万元，其中当年财政拨款 898.00 万元、上年结转资金 120.55 万元。"
               "项目实际支出 760.53 万元，预算执行率 74.67%。"]


def test_execution_rate_against_the_budget_stated_before():
    # 国家信访局 2024 决算 p.45: 760.53 / 1018.55 = 74.668 % → 74.67
    found = findings(document(narrative=CENTRAL_P45), "narrative.stated_rate")
    assert list(about(found, "74.67%")["status"]) == ["ok"]
    bad = findings(document(narrative=[CENTRAL_P45[0], CENTRAL_P45[1].replace("74.67%", "76.47%")]), "narrative.stated_rate")
    assert list(about(bad, "76.47%")["status"]) == ["error"]


#: 烟台市审计局 2026 公开表7 (p.19), 万元: 2025年预算数 | 2026年预算数, as the reader names the columns (the
#: catalog ids went to the 2026 group; its 合计 lost the year above it).
YANTAI_THREE_PUBLIC_COLUMNS = ["col1", "col2", "col3", "col4", "col5", "col6", "total", "col8", "vehicle_total", "col10",
                               "vehicle_operation", "reception"]
YANTAI_THREE_PUBLIC_HEADER = [
    ["2025年预算数"] * 6 + ["2026年预算数"] * 6,
    ["合计", "因公出国（境）经费", "公务用车购置及运行维护费", "公务用车购置及运行维护费", "公务用车购置及运行维护费", "公务接待费",
     "合计", "因公出国（境）经费", "公务用车购置及运行维护费", "公务用车购置及运行维护费", "公务用车购置及运行维护费", "公务接待费"],
    ["", "", "小计", "公务用车购置经费", "公务用车运行维护费", "", "", "", "小计", "公务用车购置经费", "公务用车运行维护费", ""],
]
YANTAI_THREE_PUBLIC_ROW = ["11.90", "8.50", "", "", "", "3.40", "3.40", "", "", "", "", "3.40"]


def test_three_public_items_of_this_year_and_last_year():
    from budgetkit.semantics import three_public_items

    table = raw("three_public", YANTAI_THREE_PUBLIC_COLUMNS, [YANTAI_THREE_PUBLIC_ROW])
    table.header_rows = YANTAI_THREE_PUBLIC_HEADER
    table.title = "2026年一般公共预算“三公”经费支出情况表"
    tidy = tidy_document(document(table))
    this_year = {k: v.value_text for k, v in three_public_items(tidy).items()}
    last_year = {k: v.value_text for k, v in three_public_items(tidy, prior=True).items()}
    assert this_year["three_public_total"] == "3.40" and this_year["reception"] == "3.40"
    assert last_year["three_public_total"] == "11.90" and last_year["outbound"] == "8.50"
    # the change the narrative states (p.27): 3.4 万元，比上年减少8.5万元 — 3.40 + 8.50 = 11.90
    found = findings(document(table, narrative=["二、“三公”经费支出情况",
                                                "2026年通过一般公共预算财政拨款安排的“三公”经费预算共3.4万元，比上年减少8.5万元，下降71.43％。"]),
                     "narrative.prior_year")
    assert list(found["status"]) == ["ok"]
