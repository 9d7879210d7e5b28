"""Real-document regressions (Jiangsu 2017, Shanghai 2025) on small excerpts built as tables and
narrative lines: pension codes, 占“三公”经费 shares on the right base, subjects of messy PDF clauses."""

from __future__ import annotations

from budgetkit.checks import RULES, run_checks
from budgetkit.model import Document, Location, RawTable, TextLine
from budgetkit.tidy import tidy_document


def raw(table_id, columns, rows, unit="万元", start_line=10):
    return RawTable(
        table_id=table_id, title=f"表 {table_id}", location=Location("t.pdf", line=start_line - 2), unit=unit,
        body_rows=[list(r) for r in rows], body_locations=[Location("t.pdf", line=start_line + i) for i in range(len(rows))],
        columns=list(columns), empty=False, notes=[],
    )


def document(*tables, narrative=()):
    doc = Document(doc_id="t", metadata={}, files=[])
    for t in tables:
        doc.tables[t.table_id] = t
    doc.narrative = [TextLine(text, Location("t.pdf", line=500 + i)) for i, text in enumerate(narrative)]
    return doc


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
