"""Execution analysis of a 部门决算: what was budgeted against what was spent.

Three sources of a budget figure, each set against the 决算 figure it goes with:

* the 决算's own tables — the “三公” table prints 预算数 and 决算数 per item
  (:func:`three_public_execution`), some templates print 年初预算数 / 全年预算数 columns in
  their function tables (:func:`table_execution`);
* the 决算's narrative — 年初预算为 X 万元，支出决算为 Y 万元，完成年初预算的 Z% per 项
  (:func:`stated_execution`, summed by 类 in :func:`stated_by_class`);
* the same department's budget disclosure for that year, when it is in the corpus
  (:func:`same_year_budget`), matched line by line by 科目编码 (:func:`budget_vs_final`).

Every amount is an exact :class:`~decimal.Decimal` in 元 internally and shown in 万元; rates are
``final / budget × 100`` rounded half-up to 0.01 (``None`` when the budget is 0 or missing).
Floats appear only in drawing (:func:`plot_budget_vs_final`, :func:`plot_three_public`).
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from budgetkit.catalog import fold
from budgetkit.classification import class_of_name
from budgetkit.compare import Doc, list_docs
from budgetkit.final import (
    THREE_PUBLIC_ITEMS,
    basic_groups,
    code_in_subject,
    code_path,
    execution_statements,
    fiscal_year_of,
    item_key,
    summary_layout,
    three_public_cells,
)
from budgetkit.kinds import BUDGET, FINAL, declared_kind

WAN = Decimal(10000)
CENT = Decimal("0.01")

#: Function tables of a budget and the 决算 table holding the same money, tried in order:
#: (budget table, 决算 table, what they count).
MATCHED_TABLES: tuple[tuple[str, str, str], ...] = (
    ("expenditure", "final_expenditure", "全部资金支出（支出预算表 vs 支出决算表）"),
    ("fiscal_expenditure", "final_fiscal_expenditure", "财政拨款支出（财政拨款支出预算表 vs 财政拨款支出决算表）"),
    ("general_expenditure", "final_general_expenditure", "一般公共预算财政拨款支出（一般公共预算支出表 vs 一般公共预算财政拨款支出决算表）"),
)


def to_wan(yuan: Decimal | None) -> Decimal | None:
    """元 → 万元, exact."""
    return None if yuan is None else Decimal(yuan) / WAN


def rate_pct(actual: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """``actual / budget × 100`` rounded half-up to 0.01, ``None`` when budget is missing or 0."""
    if actual is None or budget is None or budget == 0:
        return None
    return (Decimal(actual) * 100 / Decimal(budget)).quantize(CENT, rounding=ROUND_HALF_UP)


def _yuan(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return Decimal(str(value)) if not isinstance(value, Decimal) else value


def _records(tidy: pd.DataFrame, table_id: str, column_id: str | None = None) -> list[dict]:
    rows = tidy[tidy["table_id"] == table_id]
    if column_id is not None:
        rows = rows[rows["column_id"] == column_id]
    return rows.to_dict("records")


# --------------------------------------------------------------------------- the document's own budget columns


def three_public_execution(tidy: pd.DataFrame) -> pd.DataFrame:
    """“三公”经费（及会议费、培训费）预算数 against 决算数, per item, from the 决算's “三公” table.

    Returns:
        ``item, 项目, budget_wan, final_wan, difference_wan, rate_pct`` — one row per item the
        table prints under both measures (empty when the document has no such table).
    """
    cells = three_public_cells(_records(tidy, "final_three_public"))
    rows = []
    for item, (label, _pattern) in THREE_PUBLIC_ITEMS.items():
        budget_row, final_row = cells.get(("budget", item)), cells.get(("final", item))
        if budget_row is None and final_row is None:
            continue
        # a blank cell of a printed row is 0
        budget = (_yuan(budget_row["amount_yuan"]) or Decimal(0)) if budget_row is not None else None
        final = (_yuan(final_row["amount_yuan"]) or Decimal(0)) if final_row is not None else None
        rows.append({
            "item": item, "项目": label, "budget_wan": to_wan(budget), "final_wan": to_wan(final),
            "difference_wan": to_wan(final - budget) if budget is not None and final is not None else None,
            "rate_pct": rate_pct(final, budget),
        })
    return pd.DataFrame(rows, columns=["item", "项目", "budget_wan", "final_wan", "difference_wan", "rate_pct"])


def table_execution(tidy: pd.DataFrame) -> pd.DataFrame:
    """年初预算数 / 全年预算数 against 决算数 where a 决算 function table prints budget columns.

    Returns:
        ``table_id, code, level, name, budget_initial_wan, budget_adjusted_wan, final_wan,
        rate_initial_pct, rate_adjusted_pct`` by printed row (empty when no table prints them).
    """
    out = []
    for table_id in ("final_general_expenditure", "final_fiscal_expenditure"):
        rows = tidy[tidy["table_id"] == table_id]
        if rows.empty or not rows["column_id"].isin(["budget_initial", "budget_adjusted"]).any():
            continue
        for _number, line in rows.groupby("row_number", sort=True):
            by_column = {r["column_id"]: _yuan(r["amount_yuan"]) for r in line.to_dict("records")}
            first = line.iloc[0]
            final = by_column.get("total")
            out.append({
                "table_id": table_id, "code": first["code"] if isinstance(first["code"], str) else None,
                "level": first["code_level"] if isinstance(first["code_level"], str) else ("合计" if first["row_kind"] == "total" else None),
                "name": first["item"],
                "budget_initial_wan": to_wan(by_column.get("budget_initial")),
                "budget_adjusted_wan": to_wan(by_column.get("budget_adjusted")),
                "final_wan": to_wan(final),
                "rate_initial_pct": rate_pct(final, by_column.get("budget_initial")),
                "rate_adjusted_pct": rate_pct(final, by_column.get("budget_adjusted")),
            })
    return pd.DataFrame(out, columns=["table_id", "code", "level", "name", "budget_initial_wan", "budget_adjusted_wan", "final_wan",
                                      "rate_initial_pct", "rate_adjusted_pct"])


# --------------------------------------------------------------------------- the narrative's statements

STATED_COLUMNS = ["subject", "class_name", "section_name", "item_name", "code", "budget_wan", "final_wan", "stated_rate_pct",
                  "rate_pct", "direction", "page", "line"]


def stated_execution(doc: Doc) -> pd.DataFrame:
    """The narrative's 决算 statements (预算 X，决算 Y，完成 Z%) as rows.

    ``class_name``/``section_name``/``item_name``: the 类/款/项 a statement spells out
    (``一般公共服务（类）信访事务（款）行政运行（项）``); ``code``: one it prints in brackets;
    ``rate_pct``: Y / X recomputed; ``direction``: what the text says (+1 决算大于预算, -1 小于,
    0 持平). Statements without a budget figure (决算数为 Y) are left out.
    """
    year = fiscal_year_of(doc.metadata, [t for t in doc.tidy["table_title"].dropna().unique()]
                          + [line.text for line in doc.narrative[:10]])
    rows = []
    for s in execution_statements(doc.narrative, year):
        if s.budget is None:
            continue
        path = code_path(s.subject)
        unit_to_wan = {"万元": Decimal(1), "元": Decimal("0.0001"), "亿元": Decimal(10000)}
        budget = s.budget.value * unit_to_wan.get(s.budget.unit, Decimal(1))
        final = s.actual.value * unit_to_wan.get(s.actual.unit, Decimal(1))
        rows.append({
            "subject": s.subject,
            "class_name": path[0] if len(path) >= 1 else None,
            "section_name": path[1] if len(path) >= 2 else None,
            "item_name": path[-1] if len(path) >= 3 else None,
            "code": code_in_subject(s.subject),
            "budget_wan": budget,
            "final_wan": final,
            "stated_rate_pct": s.rate_pct.value if s.rate_pct is not None else None,
            "rate_pct": rate_pct(final, budget),
            "direction": s.direction,
            "page": s.location.page if s.location else None,
            "line": s.location.line if s.location else None,
        })
    return pd.DataFrame(rows, columns=STATED_COLUMNS)


def stated_by_class(stated: pd.DataFrame, tidy: pd.DataFrame | None = None) -> pd.DataFrame:
    """The narrative's per-项 statements summed by 类, with how much of the 类 they cover.

    Args:
        stated: :func:`stated_execution`.
        tidy: The 决算's tidy rows: the class's actual in the 一般公共预算财政拨款支出决算表 is
            given beside the sum of its stated 项 (``coverage_pct``: a class whose 项 are not all
            stated has a partial budget).

    Returns:
        ``class_name, items, budget_wan, final_wan, rate_pct, table_final_wan, coverage_pct``.
    """
    rows = stated[stated["class_name"].notna() & stated["item_name"].notna()]
    table_by_class: dict[str, Decimal] = {}
    if tidy is not None:
        for r in _records(tidy, "final_general_expenditure", "total") + _records(tidy, "final_fiscal_expenditure", "total"):
            if r["code_level"] == "类" and r["amount_yuan"] is not None:
                entry = class_of_name(r["item"])
                key = entry.code if entry else fold(r["item"])
                table_by_class.setdefault(key, _yuan(r["amount_yuan"]))
    out = []
    for name, group in rows.groupby("class_name", sort=False):
        budget = sum(group["budget_wan"], Decimal(0))
        final = sum(group["final_wan"], Decimal(0))
        entry = class_of_name(name if str(name).endswith("支出") else f"{name}支出")
        table_final = table_by_class.get(entry.code if entry else fold(name))
        out.append({
            "class_name": entry.name if entry else name, "items": len(group), "budget_wan": budget, "final_wan": final,
            "rate_pct": rate_pct(final, budget), "table_final_wan": to_wan(table_final),
            "coverage_pct": rate_pct(final * WAN, table_final) if table_final else None,
        })
    return pd.DataFrame(out, columns=["class_name", "items", "budget_wan", "final_wan", "rate_pct", "table_final_wan", "coverage_pct"])


# --------------------------------------------------------------------------- the same department's budget


def document_kind_of(source: Path | str, doc_id: str) -> str:
    """The kind recorded for a processed document (extraction.json), else its manifest's, else budget."""
    source = Path(source)
    for folder in (source / doc_id, source / "processed" / doc_id):
        path = folder / "extraction.json"
        if path.exists():
            kind = json.loads(path.read_text(encoding="utf-8")).get("kind")
            if kind in (BUDGET, FINAL):
                return kind
    docs = list_docs(source)
    row = docs[docs["doc_id"] == doc_id]
    return (declared_kind(row.iloc[0]["kind"]) if not row.empty else None) or BUDGET


def same_year_budget(source: Path | str, doc_id: str) -> str | None:
    """The id of the same department's budget for the 决算's year among the processed documents.

    Same publisher (manifest) and fiscal year, kind budget, and not a 单位预算 when the 决算 is a
    部门决算. ``None`` when the corpus holds none (or the 决算 has no publisher).
    """
    docs = list_docs(source)
    row = docs[docs["doc_id"] == doc_id]
    if row.empty or not row.iloc[0]["publisher"] or row.iloc[0]["fiscal_year"] is None:
        return None
    publisher, year = row.iloc[0]["publisher"], row.iloc[0]["fiscal_year"]
    unit = "(unit)" in str(row.iloc[0]["kind"] or "")
    candidates = docs[(docs["publisher"] == publisher) & (docs["fiscal_year"] == year) & (docs["doc_id"] != doc_id)]
    candidates = [c for c in candidates.itertuples() if document_kind_of(source, c.doc_id) == BUDGET
                  and ("(unit)" in str(c.kind or "")) == unit]
    return candidates[0].doc_id if candidates else None


def _by_code(tidy: pd.DataFrame, table_id: str, column_id: str) -> dict[str, dict]:
    """First row of each 科目编码 in one column, plus the total row under ``"合计"``."""
    out: dict[str, dict] = {}
    for r in _records(tidy, table_id, column_id):
        if isinstance(r["code"], str) and r["code"]:
            out.setdefault(r["code"], r)
        elif r["row_kind"] == "total":
            out.setdefault("合计", r)
    return out


MATCH_COLUMNS = ["code", "level", "name", "budget_wan", "final_wan", "difference_wan", "rate_pct", "status", "budget_where", "final_where"]


def budget_vs_final(budget: Doc, final: Doc, budget_table: str, final_table: str, column: str = "total") -> pd.DataFrame:
    """The budget disclosure against the 决算, line by line, matched by 科目编码.

    Args:
        budget: The budget disclosure.
        final: The 决算 of the same department and year.
        budget_table: The budget's function table (``expenditure`` …).
        final_table: The 决算 table with the same money (``final_expenditure`` …).
        column: The column compared in both (``total``, ``basic``, ``project``).

    Returns:
        :data:`MATCH_COLUMNS`, in code order with the 合计 first: ``status`` is ``超支``
        (决算 > 预算), ``未完成`` (决算 < 预算), ``持平``, ``只在预算`` or ``只在决算``;
        ``*_where`` give page and table of each figure.
    """
    left = _by_code(budget.tidy, budget_table, column)
    right = _by_code(final.tidy, final_table, column)
    if not left or not right:
        return pd.DataFrame(columns=MATCH_COLUMNS)
    has_total = "合计" in left and "合计" in right
    codes = sorted({c for c in left if c != "合计"} | {c for c in right if c != "合计"})
    out = []
    if not has_total:  # a table printed without its 合计 row: the sum of its 类
        left.setdefault("合计", _class_sum(left))
        right.setdefault("合计", _class_sum(right))
    for code in ["合计"] + codes:
        b, f = left.get(code), right.get(code)
        b_yuan = _yuan(b["amount_yuan"]) if b is not None else None
        f_yuan = _yuan(f["amount_yuan"]) if f is not None else None
        if b is not None and b_yuan is None and b.get("value_text") in ("", None):
            b_yuan = Decimal(0)
        if f is not None and f_yuan is None and f.get("value_text") in ("", None):
            f_yuan = Decimal(0)
        if b is None:
            status = "只在决算"
        elif f is None:
            status = "只在预算"
        else:
            diff = (f_yuan or Decimal(0)) - (b_yuan or Decimal(0))
            status = "超支" if diff > 0 else ("未完成" if diff < 0 else "持平")
        name = next((r["item"] for r in (f, b) if r is not None and isinstance(r["item"], str) and r["item"]), "")
        level = "合计" if code == "合计" else {3: "类", 5: "款", 7: "项"}.get(len(code))
        out.append({
            "code": None if code == "合计" else code, "level": level, "name": name if code != "合计" else "合计",
            "budget_wan": to_wan(b_yuan), "final_wan": to_wan(f_yuan),
            "difference_wan": to_wan(f_yuan - b_yuan) if b_yuan is not None and f_yuan is not None else None,
            "rate_pct": rate_pct(f_yuan, b_yuan), "status": status,
            "budget_where": _where(b, budget_table), "final_where": _where(f, final_table),
        })
    return pd.DataFrame(out, columns=MATCH_COLUMNS)


def _class_sum(rows: dict[str, dict]) -> dict:
    total = sum((_yuan(r["amount_yuan"]) or Decimal(0) for c, r in rows.items() if len(c) == 3 and c.isdigit()), Decimal(0))
    return {"code": None, "item": "合计（Σ类，表未印合计行）", "amount_yuan": total, "value_text": str(to_wan(total)), "page": None,
            "table_title": "", "row_kind": "total"}


def _where(row: dict | None, table_id: str) -> str:
    if row is None:
        return ""
    page = row.get("page")
    return f"{row.get('table_title') or table_id} p.{int(page)}" if page is not None and not pd.isna(page) else str(row.get("table_title") or table_id)


def matched_tables(budget: Doc, final: Doc) -> list[tuple[str, str, str]]:
    """The pairs of :data:`MATCHED_TABLES` both documents print."""
    b_tables, f_tables = set(budget.tidy["table_id"]), set(final.tidy["table_id"])
    return [(b, f, what) for b, f, what in MATCHED_TABLES if b in b_tables and f in f_tables]


# --------------------------------------------------------------------------- structure of the 决算


def income_structure(tidy: pd.DataFrame) -> pd.DataFrame:
    """The 收入支出决算总表's income lines (本年收入 by source) with shares of 本年收入合计."""
    return _summary_side(tidy, "income", "income_amount")


def expense_structure(tidy: pd.DataFrame) -> pd.DataFrame:
    """The 收入支出决算总表's expense lines (本年支出 by function class) with shares of 本年支出合计."""
    return _summary_side(tidy, "expense", "expense_amount")


def _summary_side(tidy: pd.DataFrame, side: str, column: str) -> pd.DataFrame:
    rows = [r for r in _records(tidy, "final_summary", column) if r["side"] == side]
    layout = summary_layout(rows, side)
    by_number = {int(r["row_number"]): r for r in rows}
    total = _yuan(by_number[layout.current]["amount_yuan"]) if layout.current in by_number else None
    out = []
    for number in layout.lines:
        r = by_number.get(number)
        amount = _yuan(r["amount_yuan"]) if r is not None else None
        if amount is None or amount == 0:
            continue
        out.append({"name": item_key(r["item"]), "amount_wan": to_wan(amount), "share_pct": rate_pct(amount, total)})
    return pd.DataFrame(out, columns=["name", "amount_wan", "share_pct"])


def basic_vs_project(tidy: pd.DataFrame) -> pd.DataFrame:
    """基本支出 and 项目支出 of the 支出决算表's 合计 row (all money), with shares."""
    rows = [r for r in _records(tidy, "final_expenditure") if r["row_kind"] == "total"]
    by_column = {r["column_id"]: _yuan(r["amount_yuan"]) for r in rows}
    total = by_column.get("total")
    out = [{"name": label, "amount_wan": to_wan(by_column[c]), "share_pct": rate_pct(by_column[c], total)}
           for c, label in (("basic", "基本支出"), ("project", "项目支出")) if by_column.get(c)]
    return pd.DataFrame(out, columns=["name", "amount_wan", "share_pct"])


def basic_by_economic_class(tidy: pd.DataFrame) -> pd.DataFrame:
    """The 基本支出决算表 by economic class (301 工资福利支出 …) with its group (人员经费 / 公用经费)."""
    rows = _records(tidy, "final_general_basic", "final_actual")
    groups = basic_groups(rows)
    personnel = set(groups.personnel_classes)
    out = []
    for r in rows:
        if isinstance(r["code"], str) and len(r["code"]) == 3:
            amount = _yuan(r["amount_yuan"]) or Decimal(0)
            out.append({"code": r["code"], "name": r["item"], "group": "人员经费" if int(r["row_number"]) in personnel else "公用经费",
                        "final_wan": to_wan(amount)})
    return pd.DataFrame(out, columns=["code", "name", "group", "final_wan"])


def economic_vs_budget(budget: Doc, final: Doc) -> pd.DataFrame:
    """Basic expenditure by economic class: the budget's 基本支出经济分类表 against the 决算's
    基本支出决算表, matched by economic code (empty when either is missing)."""
    if "general_basic_economic" not in set(budget.tidy["table_id"]) or "final_general_basic" not in set(final.tidy["table_id"]):
        return pd.DataFrame(columns=MATCH_COLUMNS)
    left = _by_code(budget.tidy, "general_basic_economic", "total")
    right = {c: r for c, r in _by_code(final.tidy, "final_general_basic", "final_actual").items() if c != "合计"}
    out = []
    for code in sorted(set(left) | set(right)):
        if code == "合计":
            continue
        b, f = left.get(code), right.get(code)
        b_yuan = _yuan(b["amount_yuan"]) if b is not None else None
        f_yuan = _yuan(f["amount_yuan"]) if f is not None else None
        status = "只在决算" if b is None else "只在预算" if f is None else (
            "超支" if (f_yuan or 0) > (b_yuan or 0) else "未完成" if (f_yuan or 0) < (b_yuan or 0) else "持平")
        out.append({"code": code, "level": {3: "类", 5: "款"}.get(len(code)), "name": (f or b)["item"],
                    "budget_wan": to_wan(b_yuan), "final_wan": to_wan(f_yuan),
                    "difference_wan": to_wan(f_yuan - b_yuan) if b_yuan is not None and f_yuan is not None else None,
                    "rate_pct": rate_pct(f_yuan, b_yuan), "status": status,
                    "budget_where": _where(b, "general_basic_economic"), "final_where": _where(f, "final_general_basic")})
    return pd.DataFrame(out, columns=MATCH_COLUMNS)


# --------------------------------------------------------------------------- figures


def _float(value: Decimal | None) -> float:
    """For drawing only (never used to decide anything)."""
    return 0.0 if value is None or (isinstance(value, float) and pd.isna(value)) else float(value)


def plot_budget_vs_final(frame: pd.DataFrame, *, title: str = "", label_column: str = "name", top: int = 14):
    """Paired horizontal bars, budget against 决算 (万元), with the execution rate written beside.

    Args:
        frame: Rows with ``budget_wan``, ``final_wan``, ``rate_pct`` and a label column
            (:func:`budget_vs_final` at one level, :func:`three_public_execution`, :func:`stated_by_class`).
        title: Figure title.
        label_column: The column naming each row.
        top: Draw the largest ``top`` rows (by budget or 决算).
    """
    import matplotlib.pyplot as plt

    from budgetkit.compare import _font

    font = _font()
    rows = frame.copy()
    rows["_size"] = [max(_float(b), _float(f)) for b, f in zip(rows["budget_wan"], rows["final_wan"])]
    rows = rows.sort_values("_size", ascending=True).tail(top)
    height_in = 1.2 + 0.5 * max(1, len(rows))
    fig, ax = plt.subplots(figsize=(8, height_in))
    positions = list(range(len(rows)))
    ax.barh([p + 0.2 for p in positions], [_float(v) for v in rows["budget_wan"]], height=0.38, color="#9ecae1", label="预算数")
    ax.barh([p - 0.2 for p in positions], [_float(v) for v in rows["final_wan"]], height=0.38, color="#08519c", label="决算数")
    limit = max([_float(v) for v in rows["budget_wan"]] + [_float(v) for v in rows["final_wan"]] + [1.0])
    for p, (final, rate) in enumerate(zip(rows["final_wan"], rows["rate_pct"])):
        text = f"{rate}%" if rate is not None and not (isinstance(rate, float) and pd.isna(rate)) else "—"
        ax.text(_float(final) + limit * 0.01, p - 0.2, text, va="center", fontproperties=font, fontsize=8)
    ax.set_yticks(positions)
    labels = [f"{c} {n}" if isinstance(c, str) and c else str(n) for c, n in zip(rows.get("code", [None] * len(rows)), rows[label_column])]
    ax.set_yticklabels(labels, fontproperties=font)
    ax.set_xlim(0, limit * 1.15)
    ax.set_xlabel("万元", fontproperties=font)
    ax.set_title(title, fontproperties=font)
    ax.legend(prop=font, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    fig.subplots_adjust(left=0.38, right=0.97, bottom=0.55 / height_in, top=1 - 0.4 / height_in)
    return fig


def plot_structure(frame: pd.DataFrame, *, title: str = ""):
    """One horizontal stacked bar of a structure (收入 by source, 支出 by class …), shares labelled."""
    import matplotlib.pyplot as plt

    from budgetkit.compare import _font

    font = _font()
    colours = ["#08519c", "#3182bd", "#6baed6", "#9ecae1", "#c6dbef", "#fd8d3c", "#fdae6b", "#9A9A9A"]
    fig, ax = plt.subplots(figsize=(8, 2.4))
    left = 0.0
    for i, row in enumerate(frame.itertuples()):
        width = _float(row.share_pct)
        ax.barh([0], [width], left=left, color=colours[i % len(colours)], edgecolor="white", label=f"{row.name} {row.share_pct}%")
        if width >= 6:
            ax.text(left + width / 2, 0, f"{row.name}\n{row.share_pct}%", ha="center", va="center", fontproperties=font, fontsize=8,
                    color="white" if i < 3 else "#222222")
        left += width
    ax.set_xlim(0, 100)
    ax.set_yticks([])
    ax.set_xlabel("%", fontproperties=font)
    ax.set_title(title, fontproperties=font)
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.legend(prop=font, loc="upper center", bbox_to_anchor=(0.5, -0.35), ncol=min(4, max(1, len(frame))), fontsize=8)
    fig.subplots_adjust(bottom=0.45, top=0.85)
    return fig


__all__ = [
    "MATCHED_TABLES", "basic_by_economic_class", "basic_vs_project", "budget_vs_final", "economic_vs_budget", "expense_structure",
    "income_structure", "matched_tables", "plot_budget_vs_final", "plot_structure", "rate_pct", "same_year_budget",
    "stated_by_class", "stated_execution", "table_execution", "three_public_execution",
]
