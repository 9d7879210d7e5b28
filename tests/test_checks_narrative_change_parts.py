"""``narrative.change_parts``: stated changes add up the way the amounts do (real sentences, wild corpus).

西安市民政局 2021 预算 p.23–24 (a 科目 detailed into 人员经费 / 公用经费 / 专项业务经费 and into its 项,
each with its change); 苏州市自然资源和规划局 2026 p.42 (the “三公” total's change from the changes of
its items, the vehicle line's from its two parts).
"""

from __future__ import annotations

from budgetkit.checks import RULES_BY_ID, run_checks
from budgetkit.tidy import tidy_document
from conftest import small_document as document

XIAN_P23 = [
    "五、2021 年部门预算一般公共预算当年拨款情况说明",
    "（3）行政事业单位养老支出（20805）705.90 万元，较上年减少 7.45 万元，主要原因是我局下属单位人员变动。"
    "具体为：人员经费 675.90 万元，较上年减少 37.45 万元，主要原因是局属事业单位人员数量减少，并将部分人员经费调整至专项业务经费科目核算；"
    "公用经费 0.00 万元，较上年无变化；专项业务经费 30.00 万元，较上年增加 30.00 万元，主要原因是将原来在人员经费科目核算的经费调整至专项业务经费核算。其中：",
    "1 机关事业单位职业年金缴费支出（2080506）235.30 万元，较上年减少 2.49 万元，主要原因是：我局下属事业单位人员变动。",
    "2 机关事业单位基本养老保险缴费支出（2080505）470.60 万元，较上年减少 4.96 万元，主要原因是：我局下属事业单位人员变动。",
]

SUZHOU_P42 = [
    "九、一般公共预算“三公”经费、会议费、培训费支出预算情况说明",
    "苏州市自然资源和规划局 2026 年度一般公共预算拨款安排的“三公”经费支出预算 43.8 万元，比上年预算减少 20.78 万元，变动原因厉行节约，压缩“三公”经费支出。"
    "其中，因公出国（境）费支出 0 万元，占“三公”经费的 0%；公务用车购置及运行维护费支出 7.8 万元，占“三公”经费的 17.81%；"
    "公务接待费支出 36 万元，占“三公”经费的 82.19%。具体情况如下：",
    "1．因公出国（境）费预算支出 0 万元，与上年预算数相同。",
    "2．公务用车购置及运行维护费预算支出 7.8 万元。其中：",
    "（1）公务用车购置预算支出 0 万元，比上年预算减少 18.18 万元，主要原因是上年度购置一辆公务用车，本年度未编列公务用车购置预算。",
    "（2）公务用车运行维护费预算支出 7.8 万元，比上年预算减少 0.1 万元，主要原因是厉行节约，压缩公务用车运行维护费支出。",
    "3．公务接待费预算支出 36 万元，比上年预算减少 2.5 万元，主要原因是厉行节约，压缩公务接待费支出。",
]


def change_parts(narrative):
    doc = document(narrative=narrative)
    found = run_checks(doc, tidy_document(doc), rules=[RULES_BY_ID["narrative.change_parts"]])
    return found[found["rule_id"] == "narrative.change_parts"]


def test_a_lines_change_is_the_sum_of_its_parts_and_of_its_items():
    found = change_parts(XIAN_P23)
    ok = found[found["status"] == "ok"]
    # −37.45 + 0 (无变化) + 30.00 = −7.45; and −2.49 − 4.96 = −7.45 (2080506 + 2080505 under 20805)
    assert sorted(ok["expected"].astype(float)) == [-7.45, -7.45]
    assert any("所分各部分" in m for m in ok["message"]) and any("下级科目" in m for m in ok["message"])


def test_parts_that_do_not_add_up_prove_nothing():
    changed = [XIAN_P23[0], XIAN_P23[1].replace("较上年减少 37.45 万元", "较上年减少 47.45 万元"), *XIAN_P23[2:3]]
    found = change_parts(changed)
    assert list(found["status"]) == ["not_applicable"]  # never an error: a part's change may be unstated


def test_three_public_change_from_its_items_and_the_vehicle_parts():
    found = change_parts(SUZHOU_P42)
    ok = found[found["status"] == "ok"]
    # 0 (相同) − 2.5 (接待) − 18.18 (购置) − 0.1 (运行维护) = −20.78
    assert list(ok["expected"].astype(float)) == [-20.78]
    assert "公务用车购置" in ok["message"].iloc[0] and "公务接待费" in ok["message"].iloc[0]


# 西安市发展和改革委员会 2019 预算 p.23–24
XIAN_DRC_P23 = [
    "七、2019 年部门预算一般公共预算当年拨款情况说明",
    "（1）行政运行（2010401）2740.23 万元，较上年增加957.62 万元，原因是：一是人员经费支出增加 840.12 万元，"
    "主要是人员调资及新增一个二级预算单位人员经费所导致；二是公用经费支出增加 117.5 万元，主要是新增一个二级预算单位和新增人员所产生经费。",
]


def test_a_change_is_the_sum_of_the_changes_its_explanation_lists():
    found = change_parts(XIAN_DRC_P23)
    # 840.12 + 117.5 = 957.62
    assert list(found["status"]) == ["ok"] and float(found["expected"].iloc[0]) == 957.62
    wrong = [XIAN_DRC_P23[0], XIAN_DRC_P23[1].replace("117.5 万元", "127.5 万元")]
    assert list(change_parts(wrong)["status"]) == ["not_applicable"]
