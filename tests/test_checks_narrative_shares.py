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
