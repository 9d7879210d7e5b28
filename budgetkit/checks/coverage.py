"""Narrative coverage: every amount and rate the 情况说明 states, checked or listed with a reason.

A claim (:mod:`budgetkit.narrative`) is *checked* when a narrative rule held it against a table
cell or against other printed numbers (a rate recomputed from the two amounts it compares, a
total from its parts) — whatever the outcome (ok, rounding, warning, error). Every other stated
amount or rate is *unchecked*, with the reason the rule gave (the finding's ``reason``) or, when
no rule looked at it, the reason its kind and context imply (a standard, a rate with no base,
an amount no table prints). Reasons and their labels are data (:file:`narrative.toml`).

:func:`narrative_coverage` gives one row per claim; :func:`coverage_summary` the counts per
document, written by the pipeline to ``narrative_coverage.csv`` and ``narrative_coverage.json``
and shown by ``budgetkit check`` and ``notebooks/03-reconcile.py``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from budgetkit.amounts import UNIT_TO_YUAN

#: Claim kinds that state an amount (in a money unit) or a rate (in %).
AMOUNT_KINDS = ("amount", "change_amount")
RATE_KINDS = ("change_rate", "completion_rate", "share", "percent")
#: Outcomes that mean a rule compared the claim with something.
CHECKED_STATUSES = ("ok", "rounding", "warning", "error")
#: Narrative rules whose findings do not check a claim's number (names, years, counts).
NOT_NUMBER_CHECKS = ("narrative.account_name", "narrative.year", "narrative.unit_count")
#: Rules outside the narrative family that check narrative numbers.
OTHER_NUMBER_CHECKS = ("performance.narrative_counts",)
_WORST = {"error": 0, "warning": 1, "rounding": 2, "ok": 3}
COVERAGE_COLUMNS = ["index", "file", "page", "line", "kind", "text", "subject", "account", "stated", "checked", "outcome",
                    "against", "rules", "reason", "reason_label", "sentence"]


def reason_labels() -> dict[str, str]:
    from budgetkit.vocabulary import narrative_vocabulary

    return narrative_vocabulary().unchecked_reasons


def is_stated(kind: str, unit: str) -> bool:
    """Does a claim state an amount or a rate (what coverage counts)?"""
    return (kind in AMOUNT_KINDS and unit in UNIT_TO_YUAN) or (kind in RATE_KINDS and unit in ("%", "％"))


def default_reason(kind: str, context: str) -> str:
    """Why a stated number no rule looked at is not checked: from its kind and context."""
    if context == "standard":
        return "standard"
    if context == "explanation":
        return "no_table"
    if kind in ("change_rate", "change_amount", "completion_rate"):
        return "no_base"
    if kind == "share":
        return "ambiguous"
    return "no_table"


def narrative_coverage(claims: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """One row per claim: stated (an amount or a rate)? checked? outcome, rules, or the reason not.

    Args:
        claims: ``claims.csv`` of a document (:func:`budgetkit.narrative.claims_frame`).
        findings: Its findings (with the ``claims`` and ``reason`` columns).
    """
    labels = reason_labels()
    checks: dict[int, list[tuple[str, str, str]]] = {}
    reasons: dict[int, str] = {}
    if findings is not None and not findings.empty and "claims" in findings.columns:
        counted = findings[((findings["family"] == "narrative") | findings["rule_id"].isin(OTHER_NUMBER_CHECKS))
                           & ~findings["rule_id"].isin(NOT_NUMBER_CHECKS)]
        for rule_id, status, listed, reason, tables in zip(counted["rule_id"], counted["status"], counted["claims"].fillna(""),
                                                           counted["reason"].fillna(""), counted["tables"].fillna("")):
            for index in (int(i) for i in str(listed).split(",") if i.strip().isdigit()):
                if status in CHECKED_STATUSES:
                    checks.setdefault(index, []).append((rule_id, status, tables))
                elif status == "unreadable":
                    reasons[index] = "unreadable"  # a comparison made, on a number we could not read reliably
                elif reason and index not in reasons:
                    reasons[index] = reason
    rows = []
    for claim in claims.to_dict("records"):
        index = int(claim["index"])
        kind, unit = str(claim["kind"]), str(claim["unit"])
        context = "" if pd.isna(claim.get("context")) else str(claim.get("context") or "")
        done = checks.get(index, [])
        against = ""
        if done:
            tables = {t for _, _, ts in done for t in str(ts).split(",") if t and t != "narrative"}
            against = "table" if tables else "narrative"
        reason = "" if done else reasons.get(index) or default_reason(kind, context)
        rows.append({
            "index": index, "file": claim.get("file"), "page": claim.get("page"), "line": claim.get("line"), "kind": kind,
            "text": claim["text"], "subject": claim.get("subject"), "account": claim.get("account") or "",
            "stated": is_stated(kind, unit), "checked": bool(done),
            "outcome": min((s for _, s, _ in done), key=_WORST.get) if done else "",
            "against": against, "rules": ",".join(dict.fromkeys(r for r, _, _ in done)),
            "reason": reason, "reason_label": labels.get(reason, reason) if reason else "", "sentence": claim["sentence"],
        })
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


def coverage_summary(coverage: pd.DataFrame, doc_id: str = "") -> dict:
    """Counts of one document: stated amounts and rates, checked (against a table / the narrative), unchecked by reason."""
    stated = coverage[coverage["stated"].astype(bool)] if not coverage.empty else coverage
    checked = stated[stated["checked"].astype(bool)] if not stated.empty else stated
    unchecked = stated[~stated["checked"].astype(bool)] if not stated.empty else stated
    amounts = stated["kind"].isin(AMOUNT_KINDS) if not stated.empty else pd.Series(dtype=bool)
    n = len(stated)
    return {
        "doc_id": doc_id,
        "stated": n,
        "amounts": int(amounts.sum()) if n else 0,
        "rates": int((~amounts).sum()) if n else 0,
        "checked": len(checked),
        "checked_against_table": int((checked["against"] == "table").sum()) if len(checked) else 0,
        "checked_within_narrative": int((checked["against"] == "narrative").sum()) if len(checked) else 0,
        "errors": int((checked["outcome"] == "error").sum()) if len(checked) else 0,
        "warnings": int((checked["outcome"] == "warning").sum()) if len(checked) else 0,
        "unchecked": len(unchecked),
        "unchecked_by_reason": {str(k): int(v) for k, v in unchecked["reason"].value_counts().items()} if len(unchecked) else {},
        "share_checked": round(len(checked) / n, 4) if n else None,
    }


def write_coverage(claims: pd.DataFrame, findings: pd.DataFrame, out_dir: Path, doc_id: str = "") -> dict:
    """Write ``narrative_coverage.csv`` (per claim) and ``narrative_coverage.json`` (counts); return the counts."""
    from budgetkit.processed import DocumentFolder, write_csv, write_json

    where = DocumentFolder(out_dir)
    coverage = narrative_coverage(claims, findings)
    write_csv(coverage, where.coverage_csv)
    summary = coverage_summary(coverage, doc_id)
    write_json(summary, where.coverage_json)
    return summary


def read_coverage(out_dir: Path) -> tuple[dict | None, pd.DataFrame | None]:
    """The counts and the per-claim rows written for a document (``(None, None)`` if not written)."""
    from budgetkit.processed import DocumentFolder, read_csv, read_json

    where = DocumentFolder(out_dir)
    summary = read_json(where.coverage_json) if where.coverage_json.exists() else None
    rows = read_csv(where.coverage_csv, text=False) if where.coverage_csv.exists() else None
    return summary, rows


def format_coverage(summary: dict) -> str:
    """One line: ``情况说明 212 个金额和比率：核对 190（89.6%；对表 120、文内 70），未核 22（…）``."""
    if not summary or not summary.get("stated"):
        return "情况说明：没有读到金额或比率"
    labels = reason_labels()
    reasons = "；".join(f"{labels.get(r, r)} {n}" for r, n in sorted(summary["unchecked_by_reason"].items(), key=lambda kv: -kv[1]))
    return (f"情况说明 {summary['stated']} 个金额和比率（金额 {summary['amounts']}、比率 {summary['rates']}）：核对 {summary['checked']}"
            f"（{summary['share_checked'] * 100:.1f}%；对表 {summary['checked_against_table']}、文内互核 {summary['checked_within_narrative']}）"
            f"，未核 {summary['unchecked']}" + (f"（{reasons}）" if reasons else ""))


def coverage_tables(out_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """For the notebook: counts by outcome and reason, and the unchecked claims with where to look."""
    summary, rows = read_coverage(out_dir)
    if summary is None or rows is None or rows.empty:
        empty = pd.DataFrame(columns=["数量"])
        return empty, pd.DataFrame()
    labels = reason_labels()
    counts = [("所述金额和比率", summary["stated"]), ("已核对", summary["checked"]),
              ("　其中对表", summary["checked_against_table"]), ("　其中文内互核", summary["checked_within_narrative"]),
              ("　其中错误", summary["errors"]), ("未核对", summary["unchecked"])]
    counts += [(f"　{labels.get(r, r)}", n) for r, n in summary["unchecked_by_reason"].items()]
    table = pd.DataFrame(counts, columns=["", "数量"]).set_index("")
    stated = rows[rows["stated"].astype(str).str.lower() == "true"]
    unchecked = stated[stated["checked"].astype(str).str.lower() != "true"]
    listing = unchecked[["page", "line", "text", "kind", "reason_label", "sentence"]].rename(
        columns={"page": "页", "line": "行", "text": "数", "kind": "类型", "reason_label": "未核原因", "sentence": "句子"})
    return table, listing.reset_index(drop=True)


__all__ = ["coverage_summary", "coverage_tables", "format_coverage", "narrative_coverage", "read_coverage", "write_coverage"]
