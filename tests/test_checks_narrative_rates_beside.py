"""Rates and changes checkable from the numbers printed beside them (real sentences).

* 增幅/降幅 and a bare bracket after a stated change are that change's rate (西安市民政局 2021 预算
  p.33, 西安市住建局 2022 预算 p.30); a bracket that does not fit is left unchecked, never an error
  (西安市发改委 2019 预算 p.26: 较上年减少 24.5 万元（43%） is 本年 / 上年, not the change rate).
* A decrease to 0.00 万元 can only be 100% (湖州市退役军人事务局 2026 预算 p.10).
* 得分率 = 得分 / 分值 (国家信访局 2024 决算 p.48).
* A sentence that opens with 其中 lists the parts of the last amount before it (西南大学 2024 决算 p.16);
  one that opens with a line's name and 中 details that line (上海市普陀区万里街道 2024 预算 p.6).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetkit.checks import RULES_BY_ID, run_checks
from budgetkit.model import Location, TextLine
from budgetkit.narrative import extract_claims
from budgetkit.tidy import tidy_document
from conftest import small_document as document


def findings(narrative, rule_id):
    doc = document(narrative=narrative)
    found = run_checks(doc, tidy_document(doc), rules=[RULES_BY_ID[rule_id]])
    return found[found["rule_id"] == rule_id]


XIAN_CIVIL_P33 = [
    "九、2021 年部门预算“三公”经费等预算情况说明",
    "2021 年本部门当年一般公共预算“三公”经费预算支出 31.08 万元，较上年减少 33.76 万元,降幅 52.06%，"
    "减少的主要原因是由于财政云系统原因，部分单位公务用车运行维护费未纳入部门预算。",
    "2021 年本部门当年一般公共预算会议费预算支出 29.92 万元，较上年的 7.80 万元增加 22.12万元，增幅 283.59%，"
    "主要原因是局机关增加社区（村）委会换届选举会议。",
]

XIAN_HOUSING_P30 = [
    "六、部门预算“三公”经费等预算情况说明",
    "2022 年本部门当年一般公共预算会议费预算支出 16.55 万元，较上年减少 51.42 万元（75.65%），减少的主要原因是因疫情缘故，部分会议无法开展。",
    "2022 年本部门当年一般公共预算培训费预算支出 192.08 万元，较上年增加 0.12 万元（0.06%），与上年基本持平。",
]

XIAN_DRC_P26 = [
    "（六）“三公”经费等预算情况",
    "1、“三公”经费预算 18.6 万元，按照财政预算定额标准编报，较上年减少 24.5 万元（43%），减少的主要原因是"
    "严格执行公务接待管理办法；其中：因公出国（境）经费 0 万元，预算未做安排；公务接待费 8.6 万元，较上年增加"
    "1.5 万元（1.21%），主要原因工作任务增加；公务用车运行维护费 10 万元，较上年减少 1 万元（1.1%），主要原因是压缩了车辆运行维护经费。",
]


def test_rate_words_and_brackets_after_a_change_are_its_rate():
    claims = extract_claims([TextLine(t, _loc(i))
                             for i, t in enumerate(XIAN_CIVIL_P33)])
    rates = [(c.text, c.kind, c.direction, c.subject) for c in claims if c.unit == "%"]
    assert rates == [("52.06%", "change_rate", "减少", "“三公”经费"), ("283.59%", "change_rate", "增加", "会议费")]
    found = findings(XIAN_CIVIL_P33, "narrative.change_rate")
    # 33.76 / (31.08 + 33.76) = 52.0666 % (52.06 within the rounding of the two amounts); 22.12 / 7.80 = 283.5897 %
    assert sorted(found["status"]) == ["ok", "rounding"]
    assert sorted(found["expected"].astype(float)) == [52.0666, 283.5897]
    found = findings(XIAN_HOUSING_P30, "narrative.change_rate")
    # 51.42 / 67.97 = 75.65 %; 0.12 / 191.96 = 0.0625 %
    assert list(found["status"]) == ["ok", "ok"]


def test_a_bracket_that_is_not_the_change_rate_is_left_unchecked():
    found = findings(XIAN_DRC_P26, "narrative.change_rate")
    assert "error" not in set(found["status"])
    ambiguous = found[found["reason"] == "ambiguous"]
    # 24.5 / 43.1 = 56.8 % (43 % is 18.6 / 43.1); 1.5 / 7.1 = 21.1 %; 1 / 11 = 9.1 %
    assert len(ambiguous) == 3 and all("括注" in m for m in ambiguous["message"])


def test_a_rate_word_against_the_changes_direction_is_not_its_rate():
    wrong = [XIAN_CIVIL_P33[0], XIAN_CIVIL_P33[1].replace("降幅", "增幅")]
    claims = extract_claims([TextLine(t, _loc(i)) for i, t in enumerate(wrong)])
    assert [c.kind for c in claims if c.unit == "%"] == ["percent"]


HUZHOU_VETERANS_P10 = [
    "（九）“三公”经费预算情况说明",
    "3.公务用车购置及运行维护费：2026 年安排公务用车购置及运行维护费预算 0.00 万元，比上年预算数下降 100%。",
]


def test_a_fall_to_zero_is_a_fall_of_100_percent():
    found = findings(HUZHOU_VETERANS_P10, "narrative.stated_rate")
    assert list(found["status"]) == ["ok"] and float(found["expected"].iloc[0]) == 100
    wrong = [HUZHOU_VETERANS_P10[0], HUZHOU_VETERANS_P10[1].replace("100%", "50%")]
    assert list(findings(wrong, "narrative.stated_rate")["status"]) == ["error"]


PETITION_P48 = [
    "（二）绩效自评结果",
    "该指标分值 20 分，得分 17.90 分，得分率 89.50%。",
    "该指标分值30分，得分25.30分，得分率84.33%。",
]


def test_a_score_rate_is_the_score_over_the_full_score():
    found = findings(PETITION_P48, "narrative.score_rate")
    assert list(found["status"]) == ["ok", "ok"]
    assert list(found["expected"].astype(float)) == [89.5, 84.3333]
    wrong = [PETITION_P48[0], PETITION_P48[1].replace("17.90 分", "16.90 分")]
    assert list(findings(wrong, "narrative.score_rate")["status"]) == ["error"]


SWU_FINAL_P16 = [
    "（一）高等学校收支决算总表说明",
    "学校 2024 年度收入总计 477,447.73 万元，与 2023 年度相比，增加 46,722.70 万元，增长 10.85%。其中：财政拨款"
    "收入增加 36,802.62 万元，事业收入增加 7,632.63 万元，其他收入增加 2,287.45 万元。",
    "学校 2024 年度支出总计 481,483.46 万元，与 2023 年度相比，增加 23,806.71 万元，增长 5.20%。其中：教育支出增"
    "加 22,774.53 万元，科学技术支出减少 547.65 万元，社会保障和就业支出增加 1,706.44 万元，住房保障支出减少 126.61"
    "万元，其他支出保持不变。",
]


def test_a_sentence_opening_with_qizhong_lists_the_parts_of_the_sentence_before():
    found = findings(SWU_FINAL_P16, "narrative.of_which")
    # 36,802.62 + 7,632.63 + 2,287.45 = 46,722.70; 22,774.53 − 547.65 + 1,706.44 − 126.61 = 23,806.71
    assert list(found["status"]) == ["ok", "ok"]
    assert list(found["expected"].astype(float)) == [46722.70, 23806.71]
    wrong = [SWU_FINAL_P16[0], SWU_FINAL_P16[1].replace("7,632.63", "7,732.63")]
    assert list(findings(wrong, "narrative.of_which")["status"]) == ["not_applicable"]


PUTUO_P6 = [
    "二、财务收支预算总体情况",
    "支出预算15621.11万元，其中：财政拨款支出预算15621.11万元，比2023年预算减少876.75万元。",
    "财政拨款支出预算中，一般公共预算拨款支出预算15621.11万元，比2023年预算减少876.75万元；政府性基金拨款支出预算0.00万元，"
    "比2023年预算持平；国有资本经营预算拨款支出预算0.00万元，比2023年预算持平。",
]


def test_a_sentence_opening_with_a_lines_name_details_that_line():
    found = findings(PUTUO_P6, "narrative.change_parts")
    ok = found[found["status"] == "ok"]
    # −876.75 + 0 + 0 = −876.75
    assert list(ok["expected"].astype(float)) == [-876.75] and "所分各部分" in ok["message"].iloc[0]
    wrong = [PUTUO_P6[0], PUTUO_P6[1], PUTUO_P6[2].replace("减少876.75", "减少886.75")]
    assert "error" not in set(findings(wrong, "narrative.change_parts")["status"])


def _loc(i):
    return Location("t.txt", line=500 + i)


QUANZHOU_P21 = [
    "（一）收入支出预算总体情况",
    "2026 年,泉州市公安局（本级）单位收入预算为58341.63 万元，比上年增加 511.15 万元，主要原因是增加办案业务经费。"
    "相应安排支出预算 58341.63 万元，比上年增加 511.15万元，主要原因是增加办案业务支出。",
]


def test_lines_that_balance_change_alike():
    found = findings(QUANZHOU_P21, "narrative.balance_change")
    assert list(found["status"]) == ["ok"] and float(found["expected"].iloc[0]) == 511.15
    wrong = [QUANZHOU_P21[0], QUANZHOU_P21[1].replace("增加 511.15万元", "增加 521.15万元")]
    assert list(findings(wrong, "narrative.balance_change")["status"]) == ["not_applicable"]  # never an error


HUZHOU_HEALTH_P13 = [
    "（四）政府性基金预算支出情况",
    "湖州市卫生健康委员会 2026 年政府性基金预算当年拨款 27600.00 万元，比上年执行数减少 23387.95 万元，下降45.9%，"
    "主要是 2026 年市级财政安排基建预算 1.26 亿元（浙北医学中心迁建 4500.00 万元、市公卫临床中心 2000.00 万元、"
    "市一院新改扩建项目 600.00 万元、市中医院迁建工程5000.00 万元、市中医院防疫楼建设项目 500.00 万元），"
    "同比 2025 年市级财政安排基建预算 2048.00 万元（市一院新改扩建项目 940.00 万元、市方舱医院一期 1000.00 万元、"
    "市中医院迁建工程 108.00 万元）。",
]


def test_amounts_in_brackets_add_up_to_the_amount_before_them():
    found = findings(HUZHOU_HEALTH_P13, "narrative.bracket_sum")
    # 4500 + 2000 + 600 + 5000 + 500 = 12600 万元 = 1.26 亿元; 940 + 1000 + 108 = 2048
    assert list(found["status"]) == ["ok", "ok"]
    wrong = [HUZHOU_HEALTH_P13[0], HUZHOU_HEALTH_P13[1].replace("1000.00 万元", "1100.00 万元")]
    assert list(findings(wrong, "narrative.bracket_sum")["status"]) == ["ok"]  # the other list proves nothing


PUTUO_PLANNING_P22 = [
    "（三）一般公共预算财政拨款支出决算具体情况",
    "5、社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位退休人员活动费支出（项）。主要用于：退休人员开展活动支出。"
    "年初预算为 0.88 万元，支出决算为 0.88 万元。",
    "完成年初预算的 100.00%。决算数同预算数持平。",  # a line of its own in the PDF
]


def test_a_completion_rate_opening_its_sentence_is_of_the_two_amounts_before():
    found = findings(PUTUO_PLANNING_P22, "narrative.stated_rate")
    assert list(found["status"]) == ["ok"] and float(found["expected"].iloc[0]) == 100
    wrong = [*PUTUO_PLANNING_P22[:2], PUTUO_PLANNING_P22[2].replace("100.00%", "90.00%")]
    assert list(findings(wrong, "narrative.stated_rate")["status"]) == ["error"]


XIAN_HEALTH_P20 = [
    "（三）政府性基金预算财政拨款收入支出决算情况",
    "2022年度政府性基金预算财政拨款年初结转和结余58,830.98万元，收入决算509,220.66万元，支出决算568,051.63万元，年末结转和结余0万元。",
]


def test_opening_carry_plus_income_less_spending_is_the_closing_carry():
    found = findings(XIAN_HEALTH_P20, "narrative.carry_balance")
    # 58,830.98 + 509,220.66 − 568,051.63 = 0.01 ≈ 0 (rounding of four printed amounts)
    assert list(found["status"]) == ["rounding"]
    wrong = [XIAN_HEALTH_P20[0], XIAN_HEALTH_P20[1].replace("509,220.66", "519,220.66")]
    assert list(findings(wrong, "narrative.carry_balance")["status"]) == ["not_applicable"]


def test_a_share_of_the_years_spending_against_the_line_the_table_names_otherwise(bundled_findings):
    # 江苏省人大常委会办公厅 2018 p.24: 财政拨款预算支出15897.44 万元，占本年支出合计的 100 %; the 收支总表 prints
    # 当年支出小计 15897.44
    found = bundled_findings["js-npc-office-2018"]
    share = found[(found["rule_id"] == "narrative.share") & found["message"].str.contains("当年支出小计", regex=False)]
    assert list(share["status"]) == ["ok"] and "15897.44 / 15897.44" in share["message"].iloc[0]


YANTAI_JUSTICE_P30 = [
    "一、收支预算情况",
    "（三）增减变化情况：2026年收支预算7,370.46万元，比上年减少18,435.5万元，其中：",
    "1.收入预算减少18,435.5万元，其中一般公共预算收入减少18,431.5万元，其他收入减少4万元。",
    "2.支出预算减少18,435.5万元，其中基本支出减少16,342.46万元，项目支出减少2,093.04万元。",
]


def test_a_balanced_totals_change_is_its_incomes_and_its_spendings():
    found = findings(YANTAI_JUSTICE_P30, "narrative.balance_change")
    assert list(found["status"]) == ["ok"] and "收支相等" in found["message"].iloc[0]
    wrong = [*YANTAI_JUSTICE_P30[:3], YANTAI_JUSTICE_P30[3].replace("支出预算减少18,435.5", "支出预算减少18,445.5")]
    assert list(findings(wrong, "narrative.balance_change")["status"]) == ["not_applicable"]


SWU_BUDGET_P12 = [
    "一、收支预算总体情况",
    "我校 2024 年收支总预算 582,276.35 万元，其中本年收入预算 445,059.97 万元，使用非财政拨款结余 30,367.97 万元，"
    "上年结转 106,848.41 万元；本年支出预算 486,554.95 万元，结转下年 95,721.40 万元。",
]


def test_a_qizhong_list_may_end_at_the_first_semicolon():
    found = findings(SWU_BUDGET_P12, "narrative.of_which")
    # 445,059.97 + 30,367.97 + 106,848.41 = 582,276.35 (the spending after the ； is another split of the same total)
    assert list(found["status"]) == ["ok"] and float(found["expected"].iloc[0]) == 582276.35


XIAN_CIVIL_P31 = [
    "五、2021 年部门预算收支说明",
    "6.对事业单位资本性补助（506）6.00 万元，较上年增加 6.00 万元，主要原因是将原机关资本性支出调整至事业单位资本性补助科目核算，"
    "增加事业单位办公设备购置经费。具体为：人员经费 0.00 万元，较上年无变化；公用经费 0.00 万元，较上年无变化；专项业务经费 6.00 万元，"
    "较上年增加 6.00 万元，主要原因是增加事业单位办公设备购置经费 6.00 万元。",
]


def test_the_amount_of_a_reason_is_no_part_of_the_line():
    found = findings(XIAN_CIVIL_P31, "narrative.parts_sum")
    # 0.00 + 0.00 + 6.00 = 6.00 (the reason's 6.00 万元 is left out)
    assert list(found["status"]) == ["ok"] and "增加事业单位办公设备购置经费" not in found["message"].iloc[0]


JS_NPC_2019_P12 = [
    "（三）一般公共预算支出情况",
    "2. 人大事务（款）一般行政管理事务（项）支出2464.02万元，与上年相比增加123.67万元，增长5.28%。",
    "主要原因是相关运转类经费压减10%，增加综合管理费209万元用于办公用房租赁，增加外事经费200万元，增减相抵后增加123.67万元。",
]


def test_the_net_of_the_reasons_is_the_change_they_explain():
    # 江苏省人大常委会办公厅 2019 p.12
    found = findings(JS_NPC_2019_P12, "narrative.net_change")
    assert list(found["status"]) == ["ok"] and float(found["expected"].iloc[0]) == 123.67
    wrong = [*JS_NPC_2019_P12[:2], JS_NPC_2019_P12[2].replace("增减相抵后增加123.67", "增减相抵后增加133.67")]
    assert list(findings(wrong, "narrative.net_change")["status"]) == ["not_applicable"]


WILD = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "wild"
PETITION = WILD / "central-petition-bureau-2024-final.pdf"


@pytest.mark.skipif(not PETITION.is_file(), reason="the source PDFs (shared/data/wild) are not beside this checkout")
def test_the_fiscal_grand_total_of_a_final_account():
    # 国家信访局 2024 决算 p.20: 国家信访局 2024 年度财政拨款收支总决算 20727.53 万元 = 财政拨款收入支出决算总表 收入总计
    from budgetkit.cli import collect_documents
    from budgetkit.pipeline import read_spec

    doc = read_spec(collect_documents([PETITION])[0])
    found = run_checks(doc, tidy_document(doc), rules=[RULES_BY_ID["narrative.final_amount"], RULES_BY_ID["narrative.score_rate"]])
    total = found[(found["rule_id"] == "narrative.final_amount") & found["message"].str.contains("总决算", regex=False)]
    assert list(total["status"]) == ["ok"] and float(total["actual"].iloc[0]) == 20727.53
    scores = found[found["rule_id"] == "narrative.score_rate"]
    assert sorted(scores["status"]) == ["ok"] * 4  # 17.90/20, 17.99/20, 25.30/30, 24.00/30 (p.48–49)
