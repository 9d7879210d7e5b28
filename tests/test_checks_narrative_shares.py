"""Real-document regressions (Jiangsu 2017, Shanghai 2025) on small excerpts built as tables and
narrative lines: pension codes, 占“三公”经费 shares on the right base, subjects of messy PDF clauses."""

from __future__ import annotations

from decimal import Decimal

from budgetkit.checks import RULES, run_checks
from budgetkit.model import Location, TextLine
from budgetkit.tidy import tidy_document
from functools import partial

from conftest import raw_table, small_document

# Excerpts of PDFs: locations name a .pdf file.
raw = partial(raw_table, file="t.pdf")
document = partial(small_document, file="t.pdf")






def findings_of(doc, rule_ids):
    return run_checks(doc, tidy_document(doc), rules=[r for r in RULES if r.id in rule_ids])


# --------------------------------------------------------------------------- 退休费 vs 离退休 function codes

# js-npc-office-2017 p.17–18 (万元): 2080504 未归口管理的行政单位离退休 = 离休费 213.23 + 退休费 1395.28.
GENERAL_2017 = [
    ["", "合计", "1608.51"],
    ["208", "社会保障和就业支出", "1608.51"],
    ["20805", "行政事业单位离退休", "1608.51"],
    ["2080504", "未归口管理的行政单位离退休", "1608.51"],
]
ECONOMIC_2017 = [
    ["", "合计", "1608.51"],
    ["303", "对个人和家庭的补助", "1608.51"],
    ["30301", "离休费", "213.23"],
    ["30302", "退休费", "1395.28"],
]


def pension_findings(general, economic):
    doc = document(raw("general_expenditure", ["code", "name", "total"], general),
                   raw("general_basic_economic", ["code", "name", "total"], economic, start_line=40))
    found = findings_of(doc, ["across.basic_lines_vs_codes"])
    return found[found["message"].str.contains("退休费")]


def test_jiangsu_pensions_under_2080504_agree():
    found = pension_findings(GENERAL_2017, ECONOMIC_2017)
    assert list(found["status"]) == ["ok"]
    assert "2080504" in found.iloc[0]["message"]


def test_pension_coding_difference_is_info_not_warning():
    # js-npc-office-2018: 2080504 = 256.76 but 离休费 285.19 + 退休费 543.23 = 828.42 (the rest is
    # booked under another function code); Shanghai: 2080501 exceeds 离休费 + 退休费.
    general = [r[:2] + ["256.76"] if r[0] in ("", "208", "20805", "2080504") else r for r in GENERAL_2017]
    economic = [["", "合计", "828.42"], ["303", "对个人和家庭的补助", "828.42"], ["30301", "离休费", "285.19"],
                ["30302", "退休费", "543.23"]]
    found = pension_findings(general, economic)
    assert list(found["status"]) == ["info"]
    assert "不能据此判定不一致" in found.iloc[0]["message"] and "其他功能科目" in found.iloc[0]["message"]
    more = [r[:2] + ["2000.00"] if r[0] in ("", "208", "20805", "2080504") else r for r in GENERAL_2017]
    found = pension_findings(more, ECONOMIC_2017)
    assert list(found["status"]) == ["info"] and "其他经济科目" in found.iloc[0]["message"]


# --------------------------------------------------------------------------- 占“三公”经费的 …%

THREE_PUBLIC_COLUMNS = ["total", "three_public_total", "outbound", "vehicle_total", "vehicle_purchase", "vehicle_operation",
                        "reception", "meeting", "training"]
# js-npc-office-2017 p.24: 合计 2542.60 = “三公”经费小计 833.60 + 会议费 1305.25 + 培训费 403.75.
THREE_PUBLIC_2017 = [["2542.60", "833.60", "222.50", "183.60", "0", "183.60", "427.50", "1305.25", "403.75"]]
SECTION_2017 = "十一、一般公共预算“三公”经费、会议费、培训费支出预算表情况说明"
# js-npc-office-2017 p.28, as printed (pypdfium2 text, lines joined).
SHARES_2017 = ("江苏省人大常委会办公厅 2017 年度一般公共预算拨款安排的“三公”经费预算支出中，因公出国（境）费支出 222.5万元，"
               "占“三公”经费的 8.75%；公务用车购置及运行费支出 183.6 万元，占“三公”经费的 7.22%；公务接待费支出427.5 万元，"
               "占“三公”经费的 16.81%。具体情况如下：")
# js-npc-office-2018 p.27: the same amounts, shares on the “三公”经费 (833.60).
SHARES_2018 = ("江苏省人大常委会办公厅部门2018 年度一般公共预算拨款安排的“三公”经费预算支出中，因公出国（境）费支出 222.5万元，"
               "占“三公”经费的 26.69%；公务用车购置及运行费支出183.6万元，占“三公”经费的22.03%；公务接待费支出 427.5 万元，"
               "占“三公”经费的51.28%。具体情况如下：")


def share_findings(sentence, rows=THREE_PUBLIC_2017, columns=THREE_PUBLIC_COLUMNS):
    doc = document(raw("three_public", columns, rows), narrative=[SECTION_2017, sentence])
    return findings_of(doc, ["narrative.share", "narrative.amount"])


def test_three_public_share_on_the_wrong_base_is_an_error():
    found = share_findings(SHARES_2017)
    shares = found[found["rule_id"] == "narrative.share"]
    assert list(shares["status"]) == ["error"] * 3
    first = shares.iloc[0]["message"]
    assert "222.5 / 833.60" in first and "26.69%" in first  # the arithmetic on the “三公”经费 subtotal
    assert "所印占比等于 222.5 / 2542.60" in first and "会议费、培训费" in first and "分母用错" in first
    amounts = found[found["rule_id"] == "narrative.amount"]
    assert list(amounts["status"]) == ["ok"] * 3  # the parts are linked to the one-row table's columns


def test_three_public_share_on_the_right_base_passes():
    found = share_findings(SHARES_2018)
    shares = found[found["rule_id"] == "narrative.share"]
    assert set(shares["status"]) <= {"ok", "rounding"} and len(shares) == 3
    assert all("833.60" in m for m in shares["message"])


def test_three_public_share_without_printed_subtotal_uses_the_sum_of_parts():
    columns = [c for c in THREE_PUBLIC_COLUMNS if c != "three_public_total"]
    rows = [[v for c, v in zip(THREE_PUBLIC_COLUMNS, THREE_PUBLIC_2017[0]) if c != "three_public_total"]]
    found = share_findings(SHARES_2018, rows, columns)
    shares = found[found["rule_id"] == "narrative.share"]
    assert set(shares["status"]) <= {"ok", "rounding"} and len(shares) == 3
    wrong = share_findings(SHARES_2017, rows, columns)
    shares = wrong[wrong["rule_id"] == "narrative.share"]
    assert list(shares["status"]) == ["error"] * 3 and "分母用错" in shares.iloc[0]["message"]


# --------------------------------------------------------------------------- subjects of messy PDF clauses

from budgetkit.narrative import canonical_subject, extract_claims  # noqa: E402


def claims(*texts, section="九、一般公共预算“三公”经费、会议费、培训费支出预算情况说明"):
    lines = [TextLine(section, Location("t.pdf", page=1, line=1))]
    lines += [TextLine(t, Location("t.pdf", page=1, line=2 + i)) for i, t in enumerate(texts)]
    return extract_claims(lines, "江苏省人大常委会办公厅")


def test_subject_is_the_head_of_the_phrase():
    assert canonical_subject("一般公共预算拨款安排的会议费预算支出") == "会议费"
    assert canonical_subject("部门2018年度一般公共预算拨款安排的培训费预算支出") == "培训费"
    assert canonical_subject("基本支出预算数") == "基本支出"
    assert canonical_subject("财政拨款基本支出预算") == "基本支出"
    assert canonical_subject("事业单位财政拨款的机关运行经费预算") == "机关运行经费"
    # 预算支出 / 支出预算 after another line's name is that line's tail, not the 支出总计
    assert canonical_subject("3．其他资金收入预算") == "3．其他资金收入预算"
    # js-npc-office-2018 p.19 “（2）政府性基金收入预算0万元”: the fund's income line, not the 收入总计
    assert canonical_subject("政府性基金收入预算") == "政府性基金预算拨款收入"
    # … and the lines that have a table cell of their own are those lines (万里街道 2024 p.6; 苏州市应急管理局
    # 2026 p.30 “（1）公务用车购置预算支出 0 万元，与上年预算数相同”)
    assert canonical_subject("政府性基金拨款支出预算") == "政府性基金预算支出"
    assert canonical_subject("财政拨款支出预算") == "财政拨款支出"
    assert canonical_subject("公务用车购置预算支出") == "公务用车购置费"
    assert canonical_subject("支出预算") == "预算支出总计" and canonical_subject("本年支出预算") == "预算支出总计"
    assert canonical_subject("从会议费预算中调减") == "从会议费预算中调减"  # 会议费 is not the head


def test_meeting_fee_is_its_own_subject_and_linked():
    # js-npc-office-2018 p.28
    found = claims("江苏省人大常委会办公厅部门2018年度一般公共预算拨款安排的会议费预算支出 1305.25 万元，与上年度持平。")
    assert [(c.kind, c.subject) for c in found] == [("amount", "会议费"), ("same_as_prior", "会议费")]
    doc = document(raw("three_public", THREE_PUBLIC_COLUMNS, THREE_PUBLIC_2017),
                   narrative=["九、一般公共预算“三公”经费、会议费、培训费支出预算情况说明", found[0].sentence])
    amounts = findings_of(doc, ["narrative.amount"])
    assert list(amounts["status"]) == ["ok"] and "会议费" in amounts.iloc[0]["message"]


def test_change_with_its_own_subject_is_not_the_sentence_amount():
    # js-npc-office-2019 p.16: the 200万元 is the 人代会专项经费's increase, not the 会议费's
    found = claims("江苏省人大常委会办公厅2019年度一般公共预算拨款安排的会议费预算支出1469.73万元，比上年预算增加164.48万元，"
                   "主要原因按规定运转类专项经费统一压减10%，根据实际开支人代会专项经费增加200万元，增减相抵后增加164.48万元。")
    changes = [c for c in found if c.kind == "change_amount"]
    assert [(c.text, c.subject, c.current_value is not None) for c in changes] == [
        ("164.48万元", "会议费", True), ("200万元", "根据实际开支人代会专项经费", False), ("164.48万元", "会议费", True)]


def test_subjectless_comparison_sentence_takes_the_amount_before():
    # sh-putuo-wanli-street-2025 p.30; js-npc-office-2018 p.21
    found = claims("（三）公务接待费1.35万元。比2024年预算持平，主要原因是公务接待费保持不变。")
    same = [c for c in found if c.kind == "same_as_prior"]
    assert len(same) == 1 and same[0].subject == "公务接待费" and same[0].current_value == Decimal("1.35")
    found = claims("单位预留机动经费预算数为 1685.72 万元。与上年相比增加1557.29万元，增长1312.56 %。主要原因是预留人员工资福利支出增加。",
                   section="一、部门预算情况说明")
    change = next(c for c in found if c.kind == "change_amount")
    assert change.current_value == Decimal("1685.72")
    # the printed rate is wrong (1557.29 / 128.43 = 1212.56%): now it is checked and reported
    doc = document(narrative=["一、部门预算情况说明", found[0].sentence + change.sentence])
    rates = findings_of(doc, ["narrative.change_rate"])
    assert list(rates["status"]) == ["error"] and "1212.5594" in rates.iloc[0]["message"]
