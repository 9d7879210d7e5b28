"""Narrative items of a 科目: amounts linked by code and name, rates between stated amounts, 持平, years.

Real sentences of 上海市普陀区人民政府万里街道办事处 2024年部门预算 (data/raw/sh-putuo-wanli-street-2024.pdf,
pp. 6–9: “财政拨款支出主要内容”, 33 items of the form 执行数 → 预算安排 → 增减%), held against the rows
of its 一般公共预算支出功能分类预算表 (pp. 22–26, in 元) as printed; and sentences of the wild documents
(西安市卫生健康委员会 2022 决算, 杭州市司法局 2026, 湖州市退役军人事务局 2026).
"""

from __future__ import annotations

from decimal import Decimal

from budgetkit.checks import RULES_BY_ID, run_checks
from budgetkit.tidy import tidy_document
from conftest import raw_table as raw, small_document as document

#: 万里街道 2024 一般公共预算支出功能分类预算表 (p.22–26), the rows the items below name.
GENERAL = raw("general_expenditure", ["code", "name", "total", "basic", "project"], [
    ["201", "一般公共服务支出", "2,932,700", "0", "2,932,700"],
    ["20105", "统计信息事务", "257,700", "0", "257,700"],
    ["2010507", "专项普查活动", "257,700", "0", "257,700"],
    ["20132", "组织事务", "888,700", "0", "888,700"],
    ["2013202", "一般行政管理事务", "888,700", "0", "888,700"],
    ["206", "科学技术支出", "100,000", "0", "100,000"],
    ["20607", "科学技术普及", "100,000", "0", "100,000"],
    ["2060702", "科普活动", "100,000", "0", "100,000"],
    ["210", "卫生健康支出", "3,223,657", "3,023,657", "200,000"],
    ["21011", "行政事业单位医疗", "3,023,657", "3,023,657", "0"],
    ["2101101", "行政单位医疗", "1,422,233", "1,422,233", "0"],
    ["221", "住房保障支出", "8,882,399", "6,705,199", "2,177,200"],
    ["22102", "住房改革支出", "6,705,199", "6,705,199", "0"],
    ["2210201", "住房公积金", "3,503,499", "3,503,499", "0"],
    ["", "合计", "156,211,123", "99,706,020", "56,505,103"],
], unit="元")

TITLE = "2024年部门预算编制说明"
INTRO = "财政拨款支出主要内容如下："
ITEM_1 = ("1. “一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”25.77万元，主要用于专项普查活动。"
          "2023年当年预算执行数为60.13万元，2024年预算安排25.77万元，比2023年预算执行数减少57.14%。主要原因是：项目调整。")
ITEM_3 = ("3. “一般公共服务支出（类）组织事务（款）一般行政管理事务（项）”88.87万元，主要用于组织事务一般行政管理事务。"
          "2023年当年预算执行数为60.79万元，2024年预算安排88.87万元，比2023年预算执行数增加46.19%。主要原因是：组织事务一般行政管理事务经费增加。")
ITEM_10 = ("10. “科学技术支出（类）科学技术普及（款）科普活动（项）”10.00万元，主要用于科普活动。2023年当年预算执行数为10.00万元，"
           "2024年预算安排10.00万元，比2023年预算执行数持平。主要原因是：科普活动经费保持不变。")
ITEM_22 = ("22. “卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）”142.22万元，主要用于行政单位医疗。2023年当年预算执行数为95.16万元，"
           "2024年预算安排142.22万元，比2023年预算执行数增加49.45%。主要原因是：行政单位医疗经费增加。")
ITEM_31 = ("31. “住房保障支出（类）住房改革支出（款）住房公积金（项）”350.35万元，主要用于住房公积金。2023年当年预算执行数为348.52万元，"
           "2024年预算安排352.67万元，比2023年预算执行数增加0.53%。主要原因是：住房公积金经费增加。")


def findings(doc, *rule_ids):
    found = run_checks(doc, tidy_document(doc), rules=[RULES_BY_ID[r] for r in rule_ids])
    return found[found["rule_id"].isin(rule_ids)]


def wanli(*items):
    return document(GENERAL, narrative=[TITLE, INTRO, *items])


def by_claim(found, text):
    return found[found["message"].str.contains(text, regex=False)]


# --------------------------------------------------------------------------- 执行数 → 预算安排 → 增减%


def test_rate_between_execution_and_budget_recomputed_by_hand():
    # item 3: (88.87 − 60.79) / 60.79 × 100 = 28.08 / 60.79 × 100 = 46.1918…% → printed 46.19%
    found = findings(wanli(ITEM_3), "narrative.stated_rate")
    assert len(found) == 1
    row = found.iloc[0]
    assert row["status"] == "ok" and row["expected"] == "46.1918" and row["actual"] == "46.19"
    assert "2023年执行数 60.79万元" in row["message"] and "(88.87 − 60.79) / 60.79" in row["message"]


def test_a_decrease_and_its_amounts_are_checked():
    # item 1: (25.77 − 60.13) / 60.13 = −57.14 %, printed 减少57.14%; 25.77 万元 = 257,700 元 in the table
    found = findings(wanli(ITEM_1), "narrative.stated_rate", "narrative.account_amount", "narrative.same_line")
    rate = found[found["rule_id"] == "narrative.stated_rate"]
    assert rate["status"].tolist() == ["ok"] and rate.iloc[0]["expected"] == "57.1429"
    amounts = found[found["rule_id"] == "narrative.account_amount"]
    assert sorted(amounts["status"]) == ["ok", "ok", "unchecked"]  # 25.77 twice; 60.13 is 2023's execution
    assert "2010507 专项普查活动" in amounts[amounts["status"] == "ok"].iloc[0]["message"]
    execution = amounts[amounts["status"] == "unchecked"].iloc[0]
    assert execution["reason"] == "no_table" and "60.13" in execution["message"]
    assert found[found["rule_id"] == "narrative.same_line"]["status"].tolist() == ["ok"]


def test_two_amounts_for_one_line():
    # item 31 states 350.35 and 352.67 for 2210201 住房公积金; the table prints 3,503,499 元 = 350.35 万元, and the
    # rate fits 350.35: (350.35 − 348.52) / 348.52 = 0.525 % → 0.53 %, not 352.67 (1.19 %)
    found = findings(wanli(ITEM_31), "narrative.same_line", "narrative.account_amount", "narrative.stated_rate")
    same = found[found["rule_id"] == "narrative.same_line"]
    assert same["status"].tolist() == ["error"]
    assert "350.35万元 与 2024年预算数352.67万元" in same.iloc[0]["message"] and "3,503,499 元，与 350.35万元 相符" in same.iloc[0]["message"]
    amounts = found[found["rule_id"] == "narrative.account_amount"]
    assert by_claim(amounts, "352.67万元 =")["status"].tolist() == ["error"]
    assert by_claim(amounts, "350.35万元 =")["status"].tolist() == ["rounding"]  # 3,503,499 元 against 350.35 万元
    rate = found[found["rule_id"] == "narrative.stated_rate"]
    assert rate["status"].tolist() == ["ok"] and "另一金额 350.35万元" in rate.iloc[0]["message"]


def test_unchanged_with_equal_and_with_different_amounts():
    assert findings(wanli(ITEM_10), "narrative.unchanged")["status"].tolist() == ["ok"]
    typo = ITEM_10.replace("执行数为10.00万元", "执行数为9.00万元")
    found = findings(wanli(typo), "narrative.unchanged")
    assert found["status"].tolist() == ["error"] and found.iloc[0]["difference"] == "1"


def test_a_typo_in_the_execution_amount_is_an_error():
    # the reviewers' case: X mistyped, Z = Y / X − 1 no longer holds (142.22 / 59.16 − 1 = 140.4 %, not 49.45 %)
    found = findings(wanli(ITEM_22.replace("95.16万元", "59.16万元")), "narrative.stated_rate")
    assert found["status"].tolist() == ["error"]
    assert found.iloc[0]["expected"] == "140.3989"


# --------------------------------------------------------------------------- names and renames


def test_former_class_name_is_outdated_not_a_mismatch():
    item = ITEM_22.replace("“卫生健康支出（类）", "“医疗卫生与计划生育支出（类）")
    found = findings(wanli(item), "narrative.account_name", "narrative.account_amount")
    names = found[found["rule_id"] == "narrative.account_name"]
    outdated = names[names["status"] == "warning"]
    assert len(outdated) == 1
    assert "科目名称过时" in outdated.iloc[0]["message"] and "2019年起不再使用，该类现名「卫生健康支出」" in outdated.iloc[0]["message"]
    amounts = found[found["rule_id"] == "narrative.account_amount"]
    assert "error" not in set(amounts["status"]) and "2101101 行政单位医疗" in "".join(amounts["message"])


def test_former_name_is_right_before_the_rename():
    item = ITEM_22.replace("“卫生健康支出（类）", "“医疗卫生与计划生育支出（类）").replace("2023年", "2017年").replace("2024年", "2018年")
    doc = document(GENERAL, narrative=["2018年部门预算编制说明", INTRO, item])
    assert "warning" not in set(findings(doc, "narrative.account_name")["status"])


def test_code_printed_with_the_name_links_by_code():
    # 西安市财政局 2026 p.13 form: name（code）amount; the name is checked against the table's name for the code
    doc = document(GENERAL, narrative=["2024年部门预算情况说明", "一般公共预算支出",
                                       "20.住房公积金（2210201）350.35万元，较上年增加20.81万元，增长3.84%，增长的主要原因是：住房公积金缴费基数调整。"])
    found = findings(doc, "narrative.account_amount", "narrative.account_name")
    assert found[found["rule_id"] == "narrative.account_amount"]["status"].tolist() == ["rounding"]
    assert found[found["rule_id"] == "narrative.account_name"]["status"].tolist() == ["ok"]
    wrong = document(GENERAL, narrative=["2024年部门预算情况说明", "20.提租补贴（2210201）350.35万元。"])
    names = findings(wrong, "narrative.account_name")
    assert names["status"].tolist() == ["warning"] and "表中 2210201 为「住房公积金」" in names.iloc[0]["message"]


# --------------------------------------------------------------------------- years


def test_comparison_with_the_budget_year_itself():
    line = ("2024年，上海市普陀区人民政府万里街道办事处收入预算15621.11万元，其中：财政拨款收入15621.11万元，比2023年预算减少876.75万元；"
            "事业收入0.00万元；事业单位经营收入0.00万元；其他收入0.00万元。")
    assert "error" not in set(findings(document(narrative=[TITLE, line]), "narrative.year")["status"])
    found = findings(document(narrative=[TITLE, line.replace("比2023年预算", "比2024年预算")]), "narrative.year")
    bad = found[found["status"] == "error"]
    assert len(bad) == 1 and "2024年预算「比2024年…」" in bad.iloc[0]["message"] and bad.iloc[0]["expected"] == "2023"


def test_execution_of_the_budget_year_is_an_error():
    found = findings(wanli(ITEM_3.replace("2023年当年预算执行数", "2024年当年预算执行数")), "narrative.year")
    assert "error" in set(found["status"])


# --------------------------------------------------------------------------- 决算: completion rates


def test_completion_rates_of_a_final_account():
    # 西安市卫生健康委员会 2022 决算 p.46: the second rate is copied from the first (21143.98 / 21143.98 = 100 %)
    lines = ["2022年度部门决算情况说明", "十三、预算绩效情况说明",
             "项目绩效自评综述：全年预算数1896万元，执行数663.6万元，完成预算的35%。项目绩效目标完成情况：增加急救车辆。",
             "项目绩效自评综述：全年预算数21143.98万元，执行数21143.98万元，完成预算的35%。项目绩效目标完成情况：完成。"]
    found = findings(document(narrative=lines), "narrative.stated_rate")
    assert by_claim(found, "663.6万元")["status"].tolist() == ["ok"]  # 663.6 / 1896 = 35.0 %
    copied = by_claim(found, "21143.98万元")
    assert copied["status"].tolist() == ["error"]
    assert copied.iloc[0]["expected"] == "100.0000" and copied.iloc[0]["actual"] == "35"


def test_letter_spaced_numbers_are_read():
    # 西安 2022 决算 p.12 prints “年初预算 9 9 9 . 8 3万元，支出决算 1 , 1 8 2 . 5 9万元”: 1182.59 / 999.83 = 118.277 %
    lines = ["2022年度部门决算情况说明",
             "2.教育支出（类）普通教育（款）学前教育（项）。年初预算 9 9 9 . 8 3万元，支出决算 1 , 1 8 2 . 5 9万元，完成年初预算的118.28%。"]
    found = findings(document(narrative=lines), "narrative.stated_rate")
    assert found["status"].tolist() == ["ok"] and "1,182.59 / 999.83" in found.iloc[0]["message"]


# --------------------------------------------------------------------------- rounding as published


def test_rates_computed_to_a_whole_percent_are_rounding():
    # 湖州市退役军人事务局 2026 p.5: 6256.31, 比上年执行数减少 336.67 万元，下降 5.0% (336.67 / 6592.98 = 5.107 %)
    lines = ["2026年部门预算", "（二）关于2026年收入预算情况",
             "湖州市退役军人事务局 2026 年收入预算 6256.31 万元，比上年执行数减少 336.67 万元，下降 5.0%，主要是阶段性项目的减少。"]
    found = findings(document(narrative=lines), "narrative.change_rate")
    assert found["status"].tolist() == ["rounding"]


def test_shares_of_a_list_without_its_total():
    # 杭州市司法局 2026 p.5: the shares add up to 100 %, printed adjusted (58,486.35 / 99,230.46 = 58.94 % printed 59.0)
    lines = ["2026年部门预算", "二、2026年杭州市司法局支出预算情况",
             "2.按支出用途分类，包括人员支出 58,486.35 万元，占 59.0%；日常公用支出 12,237.94 万元，占 12.3%；"
             "项目支出 28,506.17 万元，占 28.7%。"]
    found = findings(document(narrative=lines), "narrative.share")
    assert sorted(found["status"]) == ["ok", "ok", "rounding"]
    assert all("所列 3 项之和" in m for m in found["message"])
    assert "99230.46" in found.iloc[0]["message"]  # 58,486.35 + 12,237.94 + 28,506.17
    assert "差 0.0601 个百分点" in found[found["status"] == "rounding"].iloc[0]["message"]


def test_truncated_and_twice_rounded_rates_are_rounding():
    from budgetkit.checks.arithmetic import ROUNDING, Quantity, compare_rate, compare_ratio

    # 万里街道 2024 item 27: (5421.24 − 5276.21) / 5276.21 = 2.7488 %, printed 2.75; cut instead of rounded it
    # would read 2.74 — 0.0088 off, beyond half a unit (0.005), and still no error in the data
    args = (Quantity(Decimal("5421.24"), "万元", "5421.24"), Quantity(Decimal("5276.21"), "万元", "5276.21"), 1)
    assert compare_rate(Decimal("2.75"), "2.75%", *args).status == "ok"
    cut = compare_rate(Decimal("2.74"), "2.74%", *args)
    assert cut.status == ROUNDING and "截去" in cut.why
    assert compare_rate(Decimal("2.73"), "2.73%", *args).status == "error"
    # 杭州市交通运输局 2026 p.7: 6,701.98 / 432,564.30 = 1.5494 % printed 1.6 % (→ 1.55 → 1.6)
    twice = compare_ratio(Decimal("1.6"), "1.6%", Quantity(Decimal("6701.98"), "万元", "6,701.98"),
                          Quantity(Decimal("432564.30"), "万元", "432,564.30"))
    assert twice.status == ROUNDING and "两次舍入" in twice.why
