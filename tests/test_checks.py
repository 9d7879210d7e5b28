"""Tests of the reconciliation rules: one broken identity → exactly that rule fails; rounding is
rounding; absent/empty tables are not applicable; on the seed, the real inconsistencies are found."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetkit.checks import RULES, RULES_BY_ID, print_check_summary, read_findings, run_checks, write_findings
from budgetkit.checks.arithmetic import ERROR, OK, ROUNDING, Quantity, compare_ratio, compare_sum
from budgetkit.checks.engine import implementation
from budgetkit.tidy import tidy_document
from conftest import raw_table as raw, small_document as document

# --------------------------------------------------------------------------- builders

EXP_COLUMNS = ["code", "name", "total", "basic", "project"]
# 支出总表 excerpt of the seed (lines 134, 142–146), restricted to 208 社会保障和就业支出.
EXP_ROWS = [
    ["", "合计", "521.52", "521.52", ""],
    ["208", "社会保障和就业支出", "521.52", "521.52", ""],
    ["20805", "行政事业单位养老支出", "521.52", "521.52", ""],
    ["2080501", "行政单位离退休", "114.26", "114.26", ""],
    ["2080505", "机关事业单位基本养老保险缴费支出", "271.51", "271.51", ""],
    ["2080506", "机关事业单位职业年金缴费支出", "135.75", "135.75", ""],
]
SUMMARY_COLUMNS = ["income_item", "income_amount", "expense_item", "expense_total", "expense_current_year", "expense_carryover"]
SUMMARY_ROWS = [
    ["一、一般公共预算", "12270.45", "四、公共安全支出", "11539.98", "11463.36", "76.62"],
    ["二、政府性基金预算", "", "八、社会保障和就业支出", "521.52", "521.52", ""],
    ["", "", "二十、住房保障支出", "285.57", "285.57", ""],
    ["本年收入合计", "12270.45", "本年支出合计", "12347.07", "12270.45", "76.62"],
    ["上年结转", "76.62", "年终结转", "", "", ""],
    ["收入总计", "12347.07", "支出总计", "12347.07", "12270.45", "76.62"],
]
INCOME_COLUMNS = ["code", "name", "total", "general_public_budget", "government_fund", "carryover"]
INCOME_ROWS = [
    ["", "合计", "12270.45", "12270.45", "", "76.62"],
    ["204", "公共安全支出", "11463.36", "11463.36", "", "76.62"],
    ["208", "社会保障和就业支出", "521.52", "521.52", "", ""],
    ["221", "住房保障支出", "285.57", "285.57", "", ""],
]






def findings_of(doc, family=None, rule_ids=None):
    rules = [r for r in RULES if (family is None or r.family == family) and (rule_ids is None or r.id in rule_ids)]
    return run_checks(doc, tidy_document(doc), rules=rules)


def errors(findings):
    return findings[findings["severity"] == "error"]


def changed(rows, i, j, value):
    rows = [list(r) for r in rows]
    rows[i][j] = value
    return rows


# --------------------------------------------------------------------------- catalog and arithmetic


def test_every_rule_is_data_and_has_an_implementation():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert rule.family in ("within_table", "across_tables", "narrative", "performance")
        assert rule.zh and rule.en
        assert implementation(rule.id) is not None, rule.id


def q(text, unit="万元"):
    return Quantity(Decimal(text), unit, text, text, "t.txt line 1")


def test_rounding_rule_sum_tolerance_is_n_plus_one_half_steps():
    parts = [q("0.01"), q("0.01"), q("0.01")]  # 3 parts + total at 0.01 万元 (100 元): tolerance 2 × 100 元
    assert compare_sum(parts, q("0.03")).status == OK
    assert compare_sum(parts, q("0.05")).status == ROUNDING  # 0.02 万元 = 200 元 = tolerance
    assert compare_sum(parts, q("0.06")).status == ERROR  # 300 元 > 200 元
    outcome = compare_sum(parts, q("0.05"))
    assert outcome.tolerance_yuan == Decimal(200) and isinstance(outcome.difference_yuan, Decimal)
    assert (outcome.expected, outcome.actual, outcome.difference, outcome.unit) == ("0.03", "0.05", "0.02", "万元")


def test_rounding_rule_mixed_units_in_yuan():
    outcome = compare_sum([q("5.02")], Quantity(Decimal(50160), "元", "50,160", "x"))
    assert outcome.status == ROUNDING and outcome.unit == "元" and outcome.difference == "-40"


def test_percent_rule_recomputes_from_printed_amounts():
    assert compare_ratio(Decimal("99.09"), "99.09%", q("8316.17"), q("8392.78")).status == OK
    assert compare_ratio(Decimal("99.10"), "99.10%", q("8316.17"), q("8392.78")).status == ERROR
    # half a unit of the last digit plus the propagated rounding: 0.01 万元 on small amounts
    assert compare_ratio(Decimal("33.33"), "33.33%", q("0.01"), q("0.03")).status == OK
    assert compare_ratio(Decimal("40"), "40%", q("0.01"), q("0.03")).status == ROUNDING  # 0.005/0.03 is wide


# --------------------------------------------------------------------------- within a table


def test_within_clean_excerpt_has_no_error():
    found = findings_of(document(raw("expenditure", EXP_COLUMNS, EXP_ROWS)), "within_table")
    assert errors(found).empty
    assert (found[found["rule_id"] == "within.code_hierarchy"]["status"] == "ok").all()


def test_within_broken_item_fails_only_code_hierarchy():
    rows = changed(changed(EXP_ROWS, 4, 2, "271.61"), 4, 3, "271.61")  # 2080505 +0.10 in both columns
    found = findings_of(document(raw("expenditure", EXP_COLUMNS, rows)), "within_table")
    bad = errors(found)
    assert set(bad["rule_id"]) == {"within.code_hierarchy"}
    assert len(bad) == 2  # 20805 合计 and 基本支出
    assert all("20805" in m for m in bad["message"]) and all("line 14" in loc for loc in bad["location"])


def test_within_broken_total_column_is_found():
    rows = changed(EXP_ROWS, 3, 2, "114.36")  # 2080501 合计 ≠ 基本支出 (its 款 sum breaks too; only this rule run)
    rows = changed(rows, 3, 3, "114.26")
    found = findings_of(document(raw("expenditure", EXP_COLUMNS, rows)), "within_table", ["within.total_column"])
    assert set(errors(found)["rule_id"]) == {"within.total_column"} and len(errors(found)) == 1


def test_within_rounding_is_classified_rounding():
    rows = changed(changed(EXP_ROWS, 4, 2, "271.52"), 4, 3, "271.52")  # parts 0.01 above 20805
    found = findings_of(document(raw("expenditure", EXP_COLUMNS, rows)), "within_table")
    assert errors(found).empty
    rounding = found[found["severity"] == "rounding"]
    assert set(rounding["rule_id"]) == {"within.code_hierarchy"}
    assert rounding["passed"].all() and set(rounding["difference"]) == {"-0.01"}


def test_summary_balance_breaks_on_income_total():
    rows = changed(SUMMARY_ROWS, 5, 1, "12347.17")
    found = findings_of(document(raw("summary", SUMMARY_COLUMNS, rows)), "within_table")
    bad = errors(found)
    assert set(bad["rule_id"]) == {"within.summary_balance"}
    assert any("收入总计 = 本年收入合计" in m for m in bad["message"]) and any("收入总计 = 支出总计" in m for m in bad["message"])


def test_three_public_identity_and_not_applicable_when_absent():
    rows = [["因公出国（境）费", "", ""], ["公务接待费", "", ""], ["公务用车购置及运行费", "108.00", "108.00"],
            ["①公务用车购置费", "80.00", "80.00"], ["②公务用车运行维护费", "28.00", "28.00"], ["合计", "108.00", "108.00"]]
    cols = ["item", "total", "general_public_budget"]
    ok = findings_of(document(raw("three_public", cols, rows)), rule_ids=["within.three_public"])
    assert errors(ok).empty and (ok["status"] == "ok").all() and len(ok) == 4
    broken = findings_of(document(raw("three_public", cols, changed(rows, 4, 1, "29.00"))), rule_ids=["within.three_public"])
    assert len(errors(broken)) == 1 and "购置费 + 运行维护费" in errors(broken).iloc[0]["message"]
    absent = findings_of(document(raw("expenditure", EXP_COLUMNS, EXP_ROWS)), rule_ids=["within.three_public"])
    assert list(absent["status"]) == ["not_applicable"]
    empty = findings_of(document(raw("three_public", cols, [], empty=True, notes=["注：本表无数据"])), rule_ids=["within.three_public"])
    assert list(empty["status"]) == ["not_applicable"]


# --------------------------------------------------------------------------- across tables


def test_across_clean_and_broken_summary_vs_income():
    doc = document(raw("summary", SUMMARY_COLUMNS, SUMMARY_ROWS), raw("income", INCOME_COLUMNS, INCOME_ROWS, start_line=40))
    assert errors(findings_of(doc, "across_tables")).empty
    broken = document(raw("summary", SUMMARY_COLUMNS, changed(SUMMARY_ROWS, 0, 1, "12270.55")),
                      raw("income", INCOME_COLUMNS, INCOME_ROWS, start_line=40))
    bad = errors(findings_of(broken, "across_tables"))
    assert set(bad["rule_id"]) == {"across.summary_vs_income"} and len(bad) == 1
    assert "一般公共预算" in bad.iloc[0]["message"] and "line 10" in bad.iloc[0]["location"]


def test_carryover_needs_project_rows():
    carry_cols = ["project", "total", "general_public_budget"]
    empty = raw("project_carryover", carry_cols, [], empty=True, notes=["注：本表无数据"], start_line=80)
    found = findings_of(document(raw("summary", SUMMARY_COLUMNS, SUMMARY_ROWS), empty), rule_ids=["across.carryover_projects"])
    assert list(found["status"]) == ["error"] and "76.62" in found.iloc[0]["message"]
    listed = raw("project_carryover", carry_cols, [["某结转项目", "76.62", "76.62"]], start_line=80)
    found = findings_of(document(raw("summary", SUMMARY_COLUMNS, SUMMARY_ROWS), listed), rule_ids=["across.carryover_projects"])
    assert list(found["status"]) == ["ok"]
    absent = findings_of(document(raw("summary", SUMMARY_COLUMNS, SUMMARY_ROWS)), rule_ids=["across.carryover_projects"])
    assert list(absent["status"]) == ["not_applicable"]


# --------------------------------------------------------------------------- narrative

GENERAL_ROWS = [
    ["", "合计", "12270.45", "3954.29", "8316.17"],
    ["204", "公共安全支出", "11463.36", "3147.20", "8316.17"],
    ["208", "社会保障和就业支出", "521.52", "521.52", ""],
    ["221", "住房保障支出", "285.57", "285.57", ""],
]
SENTENCE = ("2025年度沁水县公安局一般公共预算当年支出12,270.45万元,主要用于以下方面:公共安全支出11,463.36万元,占{share}%;"
            "社会保障和就业支出521.52万元,占4.25%;住房保障支出285.57万元,占2.33%等。")


def narrative_doc(share="93.42", extra=()):
    lines = ["五、一般公共预算支出情况说明", "(二) 一般公共预算当年支出结构情况", SENTENCE.format(share=share), *extra]
    return document(raw("general_expenditure", EXP_COLUMNS, GENERAL_ROWS), narrative=lines)


def test_narrative_clean_links_and_shares():
    found = findings_of(narrative_doc(), "narrative")
    assert errors(found).empty
    amounts = found[found["rule_id"] == "narrative.amount"]
    assert (amounts["status"] == "ok").sum() == 4  # total + three classes linked to 一般公共预算支出表
    assert (found[found["rule_id"] == "narrative.share"]["status"] == "ok").sum() == 3


def test_narrative_broken_share_fails_only_share():
    found = findings_of(narrative_doc("93.52"), "narrative")
    bad = errors(found)
    assert set(bad["rule_id"]) == {"narrative.share"} and len(bad) == 1
    assert "93.42" in bad.iloc[0]["expected"] and "line 502" in bad.iloc[0]["location"]


def test_narrative_unlinked_claim_is_info_not_error():
    found = findings_of(narrative_doc(extra=["九、政府采购情况", "2025年沁水县公安局政府采购预算总额1,288.30万元。"]), "narrative")
    assert errors(found).empty
    assert "unchecked" in set(found["status"])


def test_narrative_rate_on_wrong_base_is_found():
    line = "本部门2025年所属行政单位机关运行经费财政拨款预算778.44万元，比2024年预算增加31.02万元，增长3.98%，原因是新招录公务员6人。"
    doc = document(narrative=["八、机关运行经费增减变动原因说明", line])
    bad = errors(findings_of(doc, "narrative", ["narrative.change_rate"]))
    assert len(bad) == 1 and "分母用错" in bad.iloc[0]["message"]


# --------------------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def seed_findings(seed_document, seed_tidy):
    return run_checks(seed_document, seed_tidy)


def test_seed_real_inconsistencies_are_found(seed_findings):
    bad = errors(seed_findings)
    messages = "\n".join(bad["message"])
    assert "项目支出预算表（上年结转）未列任何项目" in messages  # 76.62 carried over, table printed empty
    assert "沁水县社会治理智慧化改造工程二期" in messages  # project without a target table
    assert "分母用错" in messages  # 机关运行经费 +31.02 = 3.98% of the current, not the prior year
    assert "49728" in messages  # 7 × 592 × 12 vs 50,160
    assert set(bad["family"]) <= {"across_tables", "narrative", "performance"}
    warnings = "\n".join(seed_findings[seed_findings["severity"] == "warning"]["message"])
    assert "沁财行字[2024]19号" in warnings and "智能化" in warnings
    # 一般公共预算拨款12,347.07万元 counts the carry-over, and its paragraph says so (其中：当年拨款收入12,270.45万元，
    # 上年结转收入76.62万元): 12,270.45 + 76.62 = 12,347.07, held against both cells, no warning
    assert "12,347.07" not in warnings
    general = seed_findings[(seed_findings["rule_id"] == "narrative.amount") & seed_findings["message"].str.contains("「一般公共预算拨款」")]
    assert len(general) == 1 and general.iloc[0]["status"] == "ok" and "含上年结转 76.62万元" in general.iloc[0]["message"]


def test_seed_identities_that_hold_raise_no_error(seed_findings):
    within = seed_findings[seed_findings["family"] == "within_table"]
    assert errors(within).empty and len(within) > 100
    shares = seed_findings[seed_findings["rule_id"] == "narrative.share"]
    assert len(shares) == 12 and (shares["status"] == "ok").all()  # every share, incl. 99.09% = 8316.17 / 8392.78
    rounding = seed_findings[seed_findings["severity"] == "rounding"]
    assert any("2080505" in m for m in rounding["message"])  # 237.48 + 34.02 = 271.50 vs 271.51
    assert rounding["passed"].all()


def test_seed_findings_written_and_summarised(seed_findings, tmp_path, capsys):
    write_findings(seed_findings, tmp_path)
    back = read_findings(tmp_path)
    assert len(back) == len(seed_findings) and back["passed"].dtype == bool
    assert (tmp_path / "findings.csv").exists()
    assert print_check_summary(tmp_path) == 1
    out = capsys.readouterr().out
    assert "ERROR" in out and "line 454" in out
    assert list(back.columns[:6]) == ["doc_id", "rule_id", "family", "severity", "passed", "status"]
    assert RULES_BY_ID["within.code_hierarchy"].family == "within_table"


def test_summary_sub_items_are_not_double_counted():
    rows = [["一、财政拨款", "100.00", "一、一般公共服务支出", "100.00", "", ""],
            ["1.一般公共预算", "100.00", "", "", "", ""],
            ["2.政府性基金预算", "", "", "", "", ""],
            ["当年收入小计", "100.00", "当年支出小计", "100.00", "", ""]]
    found = findings_of(document(raw("summary", SUMMARY_COLUMNS, rows)), rule_ids=["within.summary_balance"])
    assert errors(found).empty and (found["status"] == "ok").any()


# 财政拨款收支总表 of the seed (qinshui-police-2025.txt lines 160–197), the lines that matter here.
FISCAL_COLUMNS = ["income_item", "income_amount", "expense_item", "expense_total", "expense_general_public_budget"]
FISCAL_ROWS = [
    ["一、一般公共预算", "12270.45", "四、公共安全支出", "11539.98", "11539.98"],
    ["二、政府性基金预算", "", "八、社会保障和就业支出", "521.52", "521.52"],
    ["三、国有资本经营预算", "", "二十、住房保障支出", "285.57", "285.57"],
    ["本年收入合计", "12270.45", "本年支出合计", "12347.07", "12347.07"],
    ["上年财政拨款结转", "76.62", "年终结转", "", ""],
    ["一、一般公共预算", "76.62", "", "", ""],
    ["收入总计", "12347.07", "支出总计", "12347.07", "12347.07"],
]
# the seed's line 400, and the same sentence without the split of its 12,347.07
SEED_LINE_400 = ("2025年度沁水县公安局财政拨款收支总预算12,347.07万元。其中：一般公共预算拨款12,347.07万元，政府性基金预算拨款0万元，"
                 "国有资本经营预算拨款0万元。其中：当年拨款收入12,270.45万元，上年结转收入76.62万元。")


@pytest.mark.parametrize("line, status", [
    (SEED_LINE_400, "ok"),  # 12,270.45 + 76.62 = 12,347.07, and the paragraph says so
    (SEED_LINE_400.split("其中：当年")[0], "warning"),  # the same total, the carry-over not said
])
def test_general_appropriation_counting_the_carry_over(line, status):
    doc = document(raw("fiscal_summary", FISCAL_COLUMNS, FISCAL_ROWS), narrative=["四、财政拨款收支预算总体情况说明", line])
    found = findings_of(doc, rule_ids=["narrative.amount"])
    general = found[found["message"].str.contains("「一般公共预算拨款」")]
    assert list(general["status"]) == [status]
