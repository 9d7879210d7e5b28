"""Checks on real PDF excerpts (tests/fixtures/pdf): findings that were false alarms must not come back.

* Jiangsu prints its 机关运行经费 table by economic class (302 商品和服务支出, 30201 办公费 …), not by
  unit: the unit rule is not applicable and the code hierarchy is checked instead.
* The narrative's wrapped visual lines are joined into paragraphs, so a subject is not cut in two
  (``…国有资本经营预`` / ``算拨款支出预算0.00万元``), and a subject that does not name a total exactly
  is not linked to it.
* A narrative total listed with a third part (单位预留机动经费) is summed with all its parts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pypdfium2")
pytest.importorskip("pdfplumber")

from budgetkit.checks.engine import run_checks  # noqa: E402
from budgetkit.narrative import extract_claims  # noqa: E402
from budgetkit.sources.pdf import read_pdf_document  # noqa: E402
from budgetkit.tidy import tidy_document  # noqa: E402

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pdf"
_cache: dict[str, tuple] = {}


def checked(name: str):
    """(document, findings) of one excerpt, read with the pdfplumber backend (no Java needed)."""
    if name not in _cache:
        doc = read_pdf_document([FIXTURES / name], name.removesuffix(".pdf"), {}, backend="pdfplumber")
        _cache[name] = (doc, run_checks(doc, tidy_document(doc)))
    return _cache[name]


def rows(findings, rule_id: str):
    return findings[findings["rule_id"] == rule_id]


# --------------------------------------------------------------------------- 机关运行经费 by economic code


def test_jiangsu_admin_operation_by_codes_is_not_a_unit_table():
    doc, findings = checked("jiangsu-2019-admin-operation.pdf")
    assert "admin_operation" in doc.tables
    units = rows(findings, "within.admin_units")
    assert list(units["status"]) == ["not_applicable"]
    assert not (findings["status"] == "error").any()


def test_jiangsu_admin_operation_code_hierarchy_is_checked():
    _doc, findings = checked("jiangsu-2019-admin-operation.pdf")
    hierarchy = rows(findings, "within.code_hierarchy")
    hierarchy = hierarchy[hierarchy["tables"].str.contains("admin_operation")]
    assert len(hierarchy) == 1
    row = hierarchy.iloc[0]
    assert "302 商品和服务支出" in row["message"] and "Σ款（10 行）" in row["message"]
    assert row["status"] == "ok" and row["actual"] == "1642.08"
    total = rows(findings, "within.total_row")
    total = total[total["tables"].str.contains("admin_operation")]
    assert list(total["status"]) == ["ok"]


# --------------------------------------------------------------------------- narrative paragraphs


def test_wrapped_shanghai_sentence_is_one_paragraph():
    doc, _findings = checked("putuo-wanli-2025-narrative-summary.pdf")
    texts = [line.text for line in doc.narrative]
    paragraph = next(t for t in texts if t.startswith("支出预算18,976.76万元"))
    assert "一般公共预算拨款支出预算18,976.76万元" in paragraph
    assert paragraph.endswith("国有资本经营预算拨款支出预算0.00万元，比2024年预算持平。")
    line = next(line for line in doc.narrative if line.text is paragraph)
    assert (line.location.page, line.location.line) == (1, 4)  # the paragraph keeps its first line
    # the paragraph before it (收入预算 …) ends where its sentence ends; the title stays alone
    assert texts[0] == "2025年部门预算编制说明"
    assert texts[1].startswith("2025年，") and texts[1].endswith("其他收入0.00万元。")
    assert not any(t.startswith(("算拨款", "本经营预算", "共预算拨款")) for t in texts)


def test_wrapped_subject_is_whole_and_not_linked_to_a_total():
    doc, findings = checked("putuo-wanli-2025-narrative-summary.pdf")
    claims = extract_claims(doc.narrative)
    zero = [c for c in claims if c.kind == "amount" and c.text == "0.00万元" and "拨款支出预算" in c.phrase]
    assert [c.phrase for c in zero] == ["政府性基金拨款支出预算", "国有资本经营预算拨款支出预算"]
    amounts = rows(findings, "narrative.amount")
    assert not (amounts["status"] == "error").any()
    for phrase in ("政府性基金拨款支出预算", "国有资本经营预算拨款支出预算", "财政拨款支出预算"):
        mine = amounts[amounts["message"].str.contains(f"「{phrase}」")]
        assert len(mine) == 1 and mine.iloc[0]["status"] == "unchecked", phrase
    # the subject that does name the total is still checked against it
    total = amounts[amounts["message"].str.startswith("情况说明「支出预算」")]
    assert list(total["status"]) == ["rounding"]


def test_jiangsu_paragraphs_across_a_page_break_skip_the_page_number():
    doc, _findings = checked("jiangsu-2019-text-expenditure.pdf")
    texts = [line.text for line in doc.narrative]
    assert "4．上年结转资金预算数为0万元。与上年相比增加（减少）0万元，增长（减少）0%。主要原因是本部门无此项收入。" in texts
    assert "─ 8 ─" in texts  # the page number stays a line of its own
    assert "三、支出预算情况说明" in texts  # headings are not joined to their text


# --------------------------------------------------------------------------- narrative sums


def test_narrative_sum_takes_every_listed_part():
    _doc, findings = checked("jiangsu-2019-text-expenditure.pdf")
    sums = rows(findings, "narrative.sum")
    assert not (sums["status"] == "error").any()
    listed = sums[sums["message"].str.contains("本年支出预算")]
    assert len(listed) == 1
    assert listed.iloc[0]["status"] == "ok"
    assert "基本支出 + 项目支出 + 单位预留机动经费 + 结转下年资金" in listed.iloc[0]["message"]


def test_nested_project_list_checks_units_and_department_without_false_alarm():
    """西安's 专项业务经费支出表 (no code, no indentation): each unit = Σ its 通用项目 and 专用项目, each
    of those = Σ its categories, and the department = Σ its units, all holding on the printed page;
    the department total adds up the top rows only (not units and their categories twice)."""
    from budgetkit.sources import read_document

    doc = read_document([FIXTURES / "templates" / "xian-finance-2026.pdf"], "xian-finance-2026", {})
    findings = run_checks(doc, tidy_document(doc))
    units = rows(findings, "within.project_units")
    ran = units[units["status"] != "not_applicable"]
    assert len(ran) >= 20
    assert (ran["severity"] != "error").all(), ran[ran["severity"] == "error"]["message"].tolist()
    department = ran[ran["message"].str.contains("Σ单位")]
    assert len(department) == 1 and department.iloc[0]["actual"] == department.iloc[0]["expected"]
