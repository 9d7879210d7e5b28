"""Narrative coverage of 万里街道 2024 (data/raw/sh-putuo-wanli-street-2024.pdf), read whole, and the
coverage function on its own.

Every one of the 33 items of pp. 6–9 (执行数 → 预算安排 → 增减%) is checked: 28 rates recomputed from
the two amounts they compare, 5 持平 held against those amounts; one rate compares with a 执行数 of
0.00 and has no value (listed as not checked, reason ``prior_zero``).
"""

from __future__ import annotations

import pandas as pd
import pytest

from budgetkit.checks.coverage import coverage_summary, format_coverage, narrative_coverage, read_coverage
from conftest import RAW

DOC_ID = "sh-putuo-wanli-street-2024"


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    pytest.importorskip("pdfplumber")
    from budgetkit.manifest import read_manifest
    from budgetkit.pipeline import process_document

    spec = next(s for s in read_manifest(RAW / "manifest.csv") if s.doc_id == DOC_ID)
    out = tmp_path_factory.mktemp("coverage")
    result = process_document(spec, out, backend="pdfplumber")
    assert result.ok, result.error
    return result.out_dir


def test_every_item_rate_of_the_33_is_checked(processed):
    _summary, rows = read_coverage(processed)
    items = rows[(rows["page"].isin([6, 7, 8, 9])) & rows["sentence"].str.contains("预算执行数")]
    rates = items[items["kind"] == "change_rate"]
    assert len(rates) == 28
    assert rates["checked"].sum() == 27
    zero = rates[~rates["checked"]]
    assert zero["reason"].tolist() == ["prior_zero"] and zero["text"].tolist() == ["100.00%"]  # 0.00 → 25.00
    claims = pd.read_csv(processed / "claims.csv", keep_default_na=False)
    unchanged = claims[(claims["kind"] == "same_as_prior") & claims["sentence"].str.contains("预算执行数持平")]
    assert len(unchanged) == 5
    findings = pd.read_csv(processed / "findings.csv", keep_default_na=False)
    held = findings[findings["rule_id"] == "narrative.unchanged"]
    assert held["status"].tolist() == ["ok"] * 5


def test_coverage_counts_and_the_errors(processed):
    summary, _rows = read_coverage(processed)
    assert summary["stated"] == 163 and summary["errors"] == 2
    assert summary["checked"] >= 0.9 * summary["stated"]
    assert summary["unchecked"] == summary["stated"] - summary["checked"]
    assert sum(summary["unchecked_by_reason"].values()) == summary["unchecked"]
    line = format_coverage(summary)
    assert line.startswith("情况说明 163 个金额和比率") and "未核" in line


def test_a_claim_no_rule_looked_at_gets_the_reason_of_its_kind():
    claims = pd.DataFrame([
        {"index": 0, "kind": "amount", "unit": "万元", "text": "100万元", "context": "standard", "sentence": "单价100万元以上设备"},
        {"index": 1, "kind": "change_rate", "unit": "%", "text": "5%", "context": "", "sentence": "比上年增长5%"},
        {"index": 2, "kind": "amount", "unit": "万元", "text": "10万元", "context": "", "sentence": "会议费10万元"},
        {"index": 3, "kind": "count", "unit": "辆", "text": "7辆", "context": "", "sentence": "车辆7辆"},
    ])
    findings = pd.DataFrame([{"rule_id": "narrative.amount", "family": "narrative", "status": "ok", "claims": "2",
                              "reason": "", "tables": "narrative,three_public"},
                             {"rule_id": "narrative.amount", "family": "narrative", "status": "unreadable", "claims": "3",
                              "reason": "", "tables": "narrative,three_public"}])
    coverage = narrative_coverage(claims, findings)
    assert coverage["reason"].tolist() == ["standard", "no_base", "", "unreadable"]
    assert coverage["stated"].tolist() == [True, True, True, False]
    summary = coverage_summary(coverage)
    assert (summary["stated"], summary["checked"], summary["checked_against_table"]) == (3, 1, 1)


def test_check_command_prints_the_coverage(processed):
    import io

    from budgetkit.checks import print_check_summary

    stream = io.StringIO()
    assert print_check_summary(processed, stream) == 1  # the two errors of item 31
    assert "情况说明 163 个金额和比率" in stream.getvalue()
