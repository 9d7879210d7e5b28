"""narrative.change_sum (stated changes add up) and narrative.unit_count (budget units vs tables),
on the real sentences of the seed (沁水县公安局 2025, lines 428–448) and of 万里街道 2025 (p.30)."""

from __future__ import annotations

from budgetkit.checks import RULES, RULES_BY_ID, run_checks
from budgetkit.tidy import tidy_document
from conftest import raw_table as raw, small_document as document

CHANGE = "narrative.change_sum"
UNITS = "narrative.unit_count"






def findings(doc, rule_id):
    found = run_checks(doc, tidy_document(doc), rules=[RULES_BY_ID[rule_id]])
    return found[found["rule_id"] == rule_id]


# --------------------------------------------------------------------------- the sentences

SECTION = "七、“三公”经费增减变动原因说明"
SEED_TOTAL = "2025年沁水县公安局财政拨款安排的“三公”经费预算108.00万元比2024年减少64.00万元,主要原因是本年执法执勤车辆更新数减少。"
SEED_PARTS = ("其中:因公出国(境)费0万元,与上年预算数相同;公务接待费0万元,与上年预算数相同;公务用车购置及运行费108.00万元,"
              "与上年相比预算数减少64.00万元,主要原因是本年执法执勤车辆更新数减少,公务用车运行维护费28.00万元,与上年预算数相同;"
              "公务用车购置费80.00万元,与上年相比预算数减少64.00万元,主要原因是本年执法执勤车辆更新数减少。")

WANLI = [
    "一、2025年“三公”经费预算情况说明",
    "2025年“三公”经费预算数为37.91万元，比2024年预算减少10万元。其中：",
    "（一）因公出国（境）费0万元，比2024年预算持平。主要原因是因公出国（境）费保持不变。",
    "（二）公务用车购置及运行费36.56万元，比2024年预算减少10万元，主要原因是2025年新增1辆公务用车购置，但与2024年购置的车辆类型不同。"
    "其中：公务用车购置费15万元，比2024年预算减少10万元，主要原因是购置车辆类型不同；公务用车运行费21.56万元，比2024年预算持平，"
    "主要原因是公务车用车运行费保持不变。",
    "（三）公务接待费1.35万元。比2024年预算持平，主要原因是公务接待费保持不变。",
]


def seed_doc(total=SEED_TOTAL, parts=SEED_PARTS):
    return document(narrative=[SECTION, total, parts])


def by_total(found, word):
    return found[found["message"].str.contains(word, regex=False)]


def test_catalog_registers_both_rules():
    for rule_id, tolerance in ((CHANGE, "sum"), (UNITS, "exact")):
        rule = RULES_BY_ID[rule_id]
        assert rule.family == "narrative" and rule.tolerance == tolerance and rule.zh and rule.en
        assert rule in RULES


def test_seed_three_public_changes_add_up():
    found = findings(seed_doc(), CHANGE)
    assert set(found["status"]) == {"ok"}, found["message"].tolist()
    assert len(found) == 2
    three = by_total(found, "“三公”经费预算")
    assert len(three) == 1
    message = three.iloc[0]["message"]
    assert "减少64.00万元（−64.00）" in message and "因公出国(境)费 持平（0）" in message and "公务接待费 持平（0）" in message
    vehicles = by_total(found, "「公务用车购置及运行费」")
    assert "公务用车购置费 减少64.00万元" in vehicles.iloc[0]["message"] and "line" in vehicles.iloc[0]["location"]


def test_broken_additivity_is_an_error_with_its_arithmetic():
    # the total said −60 while the parts say 0 + 0 + (−64): amounts still add up (108 = 0 + 0 + 108)
    found = findings(seed_doc(total=SEED_TOTAL.replace("减少64.00万元", "减少60.00万元")), CHANGE)
    bad = found[found["status"] == "error"]
    assert len(bad) == 1
    row = bad.iloc[0]
    assert row["expected"] == "-64" and row["actual"] == "-60" and row["difference"] == "4"
    assert "不符：差 4 万元" in row["message"] and "上年数：总额 168.00" in row["message"]
    assert found[found["message"].str.contains("「公务用车购置及运行费」")]["status"].tolist() == ["ok"]


def test_increase_against_decrease_is_an_error():
    parts = SEED_PARTS.replace("公务用车购置费80.00万元,与上年相比预算数减少64.00万元", "公务用车购置费80.00万元,与上年相比预算数增加64.00万元")
    found = findings(seed_doc(parts=parts), CHANGE)
    vehicles = by_total(found, "「公务用车购置及运行费」")
    assert vehicles["status"].tolist() == ["error"]
    assert vehicles.iloc[0]["expected"] == "64" and vehicles.iloc[0]["actual"] == "-64"


def test_rounding_stays_rounding():
    # 64.01 against 64.00 + 0 (持平 printed at 0.01): within (0.005 × 3)
    parts = SEED_PARTS.replace("公务用车购置及运行费108.00万元,与上年相比预算数减少64.00万元",
                               "公务用车购置及运行费108.00万元,与上年相比预算数减少64.01万元")
    found = findings(seed_doc(parts=parts), CHANGE)
    vehicles = by_total(found, "「公务用车购置及运行费」")
    assert vehicles["status"].tolist() == ["rounding"] and vehicles.iloc[0]["severity"] == "rounding"
    assert "舍入" in vehicles.iloc[0]["message"]
    three = by_total(found, "“三公”经费预算")  # −64.00 against 0 + 0 + (−64.01)
    assert three["status"].tolist() == ["rounding"] and "error" not in set(found["severity"])


def test_missing_part_change_is_not_applicable():
    parts = SEED_PARTS.replace("公务接待费0万元,与上年预算数相同;", "公务接待费0万元;")
    found = findings(seed_doc(parts=parts), CHANGE)
    three = by_total(found, "“三公”经费预算")
    assert three["status"].tolist() == ["not_applicable"]
    assert "公务接待费 的增减" in three.iloc[0]["message"]
    assert by_total(found, "「公务用车购置及运行费」")["status"].tolist() == ["ok"]


def test_missing_part_amount_is_not_applicable():
    parts = SEED_PARTS.replace("公务接待费0万元,与上年预算数相同;", "")
    three = by_total(findings(seed_doc(parts=parts), CHANGE), "“三公”经费预算")
    assert three["status"].tolist() == ["not_applicable"] and "未述及 公务接待费" in three.iloc[0]["message"]


def test_parts_that_are_not_the_whole_total_are_not_applicable():
    # Jiangsu 2018 p.19–21: 基本支出 + 项目支出 ≠ 支出总计 (单位预留机动经费 is another part)
    doc = document(narrative=[
        "一、收支预算总体情况说明",
        "江苏省人大常委会办公厅2018年度收入、支出预算总计15897.44万元，与上年相比收、支预算总计各增加 2248.37 万元，增长16.47 %。其中：",
        "（二）支出预算总计 15897.44 万元。包括：",
        "此外，基本支出预算数为 7877.76 万元。与上年相比增加211.08万元，增长2.75 %。主要原因是人员工资福利支出增加。",
        "项目支出预算数为 6333.96 万元。与上年相比增加480万元，增长8.2 %。",
        "单位预留机动经费预算数为 1685.72 万元。与上年相比增加1557.29万元，增长1312.56 %。",
    ])
    found = findings(doc, CHANGE)
    assert "error" not in set(found["status"]), found["message"].tolist()
    total = by_total(found, "增加2248.37")
    assert total["status"].tolist() == ["not_applicable"]
    assert "单位预留机动经费预算数" in total.iloc[0]["message"] and "恰为差额" in total.iloc[0]["message"]


def test_wanli_2025_changes_across_sentences():
    found = findings(document(narrative=WANLI), CHANGE)
    assert found["status"].tolist() == ["ok", "ok"], found["message"].tolist()
    three = by_total(found, "“三公”经费预算数")
    message = three.iloc[0]["message"]
    assert "减少10万元（−10）" in message and "公务接待费 持平（0）" in message and "因公出国（境）费 持平（0）" in message
    vehicles = by_total(found, "「公务用车购置及运行费」")
    assert "公务用车运行费 持平（0）" in vehicles.iloc[0]["message"]


def test_no_change_stated_gives_no_comparison():
    found = findings(document(narrative=[SECTION, "“三公”经费预算108.00万元。其中：因公出国(境)费0万元，公务接待费0万元，公务用车购置及运行费108.00万元。"]),
                     CHANGE)
    assert found["status"].tolist() == ["not_applicable"]


# --------------------------------------------------------------------------- unit counts

PERFORMANCE = ("2025年编报部门整体支出绩效目标，涉及部门预算资金12270.45万元，其中基本支出3954.29万元，项目支出8316.17万元；"
               "机关及下属预算单位2个，其中0个单位（包括机关）编报了单位整体绩效目标，涉及资金0万元。")
ADMIN = raw("admin_operation", ["unit", "total", "general_public_budget"],
            [["部门合计", "778.44", "778.44"], ["沁水县公安局本级", "765.49", "765.49"], ["沁水县公安局交通警察大队", "12.95", "12.95"]])


def unit_doc(sentence=PERFORMANCE, admin=ADMIN):
    return document(*([admin] if admin is not None else []), narrative=["十、绩效管理情况", "1、整体绩效目标", sentence])


def test_unit_count_agrees_with_listed_units():
    found = findings(unit_doc(), UNITS)
    ok = found[found["status"] == "ok"]
    assert len(ok) == 1 and "沁水县公安局本级、沁水县公安局交通警察大队" in ok.iloc[0]["message"]
    other = found[found["message"].str.contains("0个单位")]
    assert other["status"].tolist() == ["unchecked"]  # units that filed unit-wide targets: nothing to check


def test_more_units_listed_than_stated_is_an_error():
    found = findings(unit_doc(PERFORMANCE.replace("预算单位2个", "预算单位1个")), UNITS)
    bad = found[found["status"] == "error"]
    assert len(bad) == 1 and bad.iloc[0]["expected"] == "2" and bad.iloc[0]["actual"] == "1"


def test_fewer_units_listed_than_stated_is_not_an_error():
    found = findings(unit_doc(PERFORMANCE.replace("预算单位2个", "预算单位3个")), UNITS)
    assert "error" not in set(found["status"])
    assert "无法确认" in "".join(found["message"])


def test_unit_count_without_tables_is_not_linked():
    wanli = ["上海市普陀区人民政府万里街道办事处（部门）机构设置",
             "上海市普陀区人民政府万里街道办事处部门预算是包括万里街道本部以及下属 5 家预算单位的综合收支计划。",
             "四、绩效目标设置情况",
             "按照本区预算绩效管理工作的总体要求，本部门3个预算单位开展了2025年项目预算绩效目标编报工作，编报绩效目标的项目49个，涉及项目预算资金8825.98万元。"]
    found = findings(document(narrative=wanli), UNITS)
    assert set(found["status"]) == {"unchecked"}
    assert "6 个（5 + 1）" in "".join(found["message"]) and "3 个" in "".join(found["message"])


# --------------------------------------------------------------------------- the real seed


def test_seed_document(seed_document, seed_tidy):
    found = run_checks(seed_document, seed_tidy, rules=[RULES_BY_ID[CHANGE], RULES_BY_ID[UNITS]])
    assert "error" not in set(found["severity"]) and "warning" not in set(found["severity"])
    changes = found[found["rule_id"] == CHANGE]
    assert sorted(changes["status"]) == ["not_applicable", "not_applicable", "ok", "ok"]
    na = "".join(changes[changes["status"] == "not_applicable"]["message"])
    assert "预算收入" in na and "本年收入 的增减" in na and "本年部门预算支出" in na
    assert all("qinshui-police-2025.txt" in loc and "line " in loc for loc in changes["location"])
    units = found[found["rule_id"] == UNITS]
    ok = units[units["status"] == "ok"]
    assert len(ok) == 2  # the 所属预算单位数 of the target table, and the units the tables list
    assert any("所属预算单位数」2 个" in m for m in ok["message"])
