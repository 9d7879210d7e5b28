"""Presenting findings: grouped by family, errors first, with the arithmetic and the evidence.

Used by ``notebooks/03-reconcile.py`` (and anything else that shows findings), so the notebook
holds no logic of its own.
"""

from __future__ import annotations

import pandas as pd

from budgetkit.checks.engine import FAMILIES, SEVERITY_ORDER, sort_findings

FAMILY_TITLES = {
    "within_table": "表内勾稽 · within a table",
    "across_tables": "表间勾稽 · across tables",
    "narrative": "文字说明对表 · narrative against the tables",
    "performance": "绩效目标表 · performance targets",
}
STATUS_LABELS = {
    "error": "错误",
    "warning": "存疑",
    "rounding": "舍入差",
    "ok": "相符",
    "not_applicable": "不适用",
    "not_linked": "未关联",
    "info": "说明",
}
DISPLAY_COLUMNS = {
    "status": "结论",
    "message": "检查",
    "expected": "应为（重算）",
    "actual": "印刷值",
    "difference": "差",
    "tolerance": "容差",
    "unit": "单位",
    "location": "位置",
    "evidence": "依据",
}


def severity_counts(findings: pd.DataFrame) -> pd.DataFrame:
    """Counts by family (rows, catalog order) and severity (columns, errors first), with totals."""
    table = pd.crosstab(findings["family"], findings["severity"]) if not findings.empty else pd.DataFrame()
    for sev in SEVERITY_ORDER:
        if sev not in table.columns:
            table[sev] = 0
    table = table[list(SEVERITY_ORDER)]
    table = table.reindex([f for f in FAMILIES if f in table.index])
    table.index = [FAMILY_TITLES.get(f, f) for f in table.index]
    table.loc["合计 · total"] = table.sum()
    return table


def by_family(findings: pd.DataFrame, *, include_passed: bool = True):
    """Yield ``(family_id, title, frame)`` per family in catalog order; each frame errors first.

    Args:
        findings: The findings of one document.
        include_passed: Also keep passed checks (ok, not applicable, not linked).
    """
    for family in FAMILIES:
        rows = findings[findings["family"] == family]
        if not include_passed:
            rows = rows[rows["severity"] != "info"]
        if rows.empty:
            continue
        yield family, FAMILY_TITLES[family], display_frame(sort_findings(rows))


def display_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """Findings with Chinese headers and status labels, ready to show."""
    out = rows[list(DISPLAY_COLUMNS)].copy()
    out["status"] = out["status"].map(lambda s: STATUS_LABELS.get(s, s))
    return out.rename(columns=DISPLAY_COLUMNS).reset_index(drop=True)


def problems(findings: pd.DataFrame) -> pd.DataFrame:
    """Errors, then warnings, with everything needed to look them up."""
    return display_frame(sort_findings(findings[findings["severity"].isin(["error", "warning"])]))
