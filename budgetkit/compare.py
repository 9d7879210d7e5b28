"""Compare disclosures: year over year, the units inside one disclosure, and across departments.

Everything is computed from the tidy data (:mod:`budgetkit.tidy`) in exact
:class:`~decimal.Decimal` 元 and shown in 万元 (``*_wan`` columns, Decimal); percentages are
exact ratios rounded half-up to 0.01 only for display (``*_pct``). Data come from a processed
folder (``data/processed/<doc_id>/``) or a corpus folder (``data/corpus``); :func:`load_doc`
accepts both.

* :func:`year_over_year` — one department over several years, by function class (类/款 of
  ``general_expenditure``) or economic class (``general_basic_economic``);
* :func:`stated_changes` — the changes the narrative states (比上年增加/减少 …) and the prior-year
  values they imply (:func:`budgetkit.narrative.implied_prior_year`), checked against the prior
  year's tables where that disclosure is at hand;
* :func:`unit_split` — the units (本级, 下属单位) inside one disclosure, for tables that list them
  (``project_current``, ``admin_operation``); :func:`dept_vs_unit` — a department budget beside
  the unit budget of its own organ (Shanghai 部门预算 vs 单位预算);
* :func:`indicators` — normalised indicators across departments, with :func:`caveats`;
* :func:`plot_year_over_year`, :func:`plot_waterfall`, :func:`plot_small_multiples` — charts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Iterable, Sequence

import pandas as pd

from budgetkit import processed, semantics
from budgetkit.amounts import UNIT_TO_YUAN, as_decimal
from budgetkit.status import INFO, OK, UNCHECKED, WARNING
from budgetkit.catalog import fold
from budgetkit.corpus import load_corpus, partition_path
from budgetkit.kinds import declared_kind
from budgetkit.model import Location, TextLine

WAN = Decimal(10000)
CENT = Decimal("0.01")

#: Tables giving function classes (first one present wins) and the economic table.
FUNCTION_TABLES = ("general_expenditure", "expenditure")
ECONOMIC_TABLE = "general_basic_economic"
_ENUM_RE = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|（[一二三四五六七八九十\d]+）|\d+[.、．]|[①-⑳])")
#: Subjects of staff counts in the narrative (编制 338 名).
STAFF_SUBJECTS = ("编制", "编制人数", "人员编制", "实有人数", "在职人数", "编制数")


# --------------------------------------------------------------------------- loading


@dataclass
class Doc:
    """One disclosure for comparison: id, manifest metadata, tidy rows and narrative lines."""

    doc_id: str
    metadata: dict[str, Any]
    tidy: pd.DataFrame
    narrative: list[TextLine] = field(default_factory=list)
    findings: pd.DataFrame | None = None

    @property
    def year(self) -> int | None:
        year = self.metadata.get("fiscal_year")
        return int(year) if str(year or "").isdigit() else None

    @property
    def label(self) -> str:
        return f"{self.metadata.get('publisher') or self.doc_id} {self.year or ''}".strip()


def _doc_folder(source: Path, doc_id: str) -> Path:
    for root in (source, source / "processed"):
        if processed.folder(root, doc_id).exists():
            return processed.folder(root, doc_id).root
    raise FileNotFoundError(f"{doc_id}: no processed output under {source} (run `budgetkit extract` or `budgetkit batch` first)")


def load_doc(source: Path | str, doc_id: str) -> Doc:
    """Load one document from a processed folder (``<source>/<doc_id>/``) or a corpus folder.

    Args:
        source: ``data/processed`` or ``data/corpus``.
        doc_id: The document id.

    Raises:
        FileNotFoundError: The document was not processed into ``source``.
    """
    source = Path(source)
    folder = _doc_folder(source, doc_id)
    where = processed.DocumentFolder(folder, doc_id)
    if partition_path(source, doc_id).exists():
        tidy = load_corpus(source, doc_ids=[doc_id])
    else:
        tidy = processed.load_tidy(where)
    summary = processed.load_summary(where)
    narrative: list[TextLine] = []
    if where.narrative_csv.exists():
        lines = processed.load_lines(where)
        narrative = [
            TextLine(r.text, Location(r.file, int(r.page) if r.page else None, int(r.line) if r.line else None))
            for r in lines.itertuples()
        ]
    return Doc(doc_id, summary.get("metadata", {}), tidy, narrative, processed.load_findings(where))


def list_docs(source: Path | str) -> pd.DataFrame:
    """The documents processed into ``source``: ``doc_id, publisher, fiscal_year, kind, level, template``."""
    source = Path(source)
    roots = [source / "processed"] if (source / "processed").is_dir() else [source]
    records = []
    for root in roots:
        for doc_id in processed.processed_ids(root):
            meta = processed.load_summary(processed.folder(root, doc_id)).get("metadata", {})
            year = meta.get("fiscal_year")
            records.append({
                "doc_id": doc_id,
                "publisher": meta.get("publisher") or None,
                "fiscal_year": int(year) if str(year or "").isdigit() else None,
                "kind": meta.get("kind") or None,
                "level": meta.get("level") or None,
                "template": meta.get("template") or None,
            })
    return pd.DataFrame(records, columns=["doc_id", "publisher", "fiscal_year", "kind", "level", "template"])


def same_department(source: Path | str, doc_id: str) -> list[str]:
    """Ids of the disclosures of ``doc_id``'s department (same publisher and kind: budget or final accounts,
    department or unit), in year order."""
    docs = list_docs(source)
    row = docs[docs["doc_id"] == doc_id]
    # A document from no manifest has no publisher (None, or NaN once pandas has seen it).
    if row.empty or pd.isna(row.iloc[0]["publisher"]) or not row.iloc[0]["publisher"]:
        return [doc_id]
    def scope(kind: Any) -> tuple[str, str]:  # a 单位预算 is not the same series as the 部门预算, a 决算 not as a 预算
        return (declared_kind(kind) or "budget", "unit" if "(unit)" in str(kind or "") else "department")

    publisher, kind = row.iloc[0]["publisher"], scope(row.iloc[0]["kind"])
    same = docs[(docs["publisher"] == publisher) & (docs["kind"].map(scope) == kind)].sort_values(["fiscal_year", "doc_id"])
    return same["doc_id"].tolist()


def load_docs(source: Path | str, doc_ids: Iterable[str]) -> list[Doc]:
    """:func:`load_doc` for several ids, sorted by fiscal year."""
    docs = [load_doc(source, d) for d in doc_ids]
    return sorted(docs, key=lambda d: (d.year or 0, d.doc_id))


# --------------------------------------------------------------------------- helpers


def to_wan(yuan: Decimal | None) -> Decimal | None:
    """元 → 万元, exact (no rounding)."""
    return None if yuan is None else (Decimal(yuan) / WAN).normalize() if yuan == 0 else Decimal(yuan) / WAN


def pct(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """``part / whole × 100`` rounded half-up to 0.01 (``None`` if either is missing or whole is 0)."""
    if part is None or whole is None or whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def norm_name(text: Any) -> str:
    """Item name folded for matching: no enumeration prefix (一、 （二） 1.), no quotes, no spaces."""
    name = fold(str(text or ""))
    previous = None
    while previous != name:
        previous, name = name, _ENUM_RE.sub("", name)
    return name.replace("“", "").replace("”", "")


def _table(tidy: pd.DataFrame, table_id: str) -> pd.DataFrame:
    return tidy[tidy["table_id"] == table_id]


def amount_column(rows: pd.DataFrame, preferred: Sequence[str] = ("total",)) -> str | None:
    """The first of ``preferred`` present among ``rows``' columns holding amounts, else the first one that does."""
    present = [c for c in dict.fromkeys(rows["column_id"]) if rows.loc[rows["column_id"] == c, "amount_yuan"].notna().any()]
    for column in preferred:
        if column in present:
            return column
    return present[0] if present else None


def table_total(tidy: pd.DataFrame, table_id: str, columns: Sequence[str] = ("total",)) -> Decimal | None:
    """The amount (元) of the table's total (:func:`budgetkit.semantics.total_cell`) in the first of ``columns`` printed."""
    rows = _table(tidy, table_id)
    if rows.empty:
        return None
    column = amount_column(rows, columns)
    if column is None:
        return None
    cell = semantics.total_cell(tidy, table_id, column)
    return as_decimal(cell["amount_yuan"]) if cell is not None else None


# --------------------------------------------------------------------------- classes


def function_classes(tidy: pd.DataFrame, levels: Sequence[str] = ("类", "款")) -> pd.DataFrame:
    """Expenditure by function class: ``code, level, name, amount_yuan`` (:func:`budgetkit.semantics.function_classes`)."""
    for table_id in semantics.FUNCTION_TABLES:
        rows = _table(tidy, table_id)
        column = amount_column(rows) if not rows.empty else None
        if column is None:
            continue
        classes = semantics.function_classes(tidy, levels, column, tables=(table_id,))
        if len(classes):
            return classes.drop(columns="row_number")
    return pd.DataFrame(columns=["code", "level", "name", "amount_yuan", "table_id"])


def economic_classes(tidy: pd.DataFrame) -> pd.DataFrame:
    """Basic expenditure by economic class: ``code, level, name, amount_yuan``.

    ``code`` is the printed code, or for tables printing names only the class (301 …) for class
    rows and ``<class>:<name>`` for the rows under it (:func:`budgetkit.semantics.economic_class`).
    """
    rows = _table(tidy, ECONOMIC_TABLE)
    column = amount_column(rows) if not rows.empty else None
    if column is None:
        return pd.DataFrame(columns=["code", "level", "name", "amount_yuan"])
    rows = rows.assign(economic_class=semantics.economic_class(rows))
    rows = rows[(rows["column_id"] == column) & rows["amount_yuan"].notna() & rows["economic_class"].notna()]
    records = []
    for row in rows.itertuples():
        name = fold(row.item)
        if isinstance(row.code, str) and row.code:
            level = row.code_level if isinstance(row.code_level, str) else ("类" if len(row.code) == 3 else "款")
            code = row.code
        elif row.row_role == semantics.GROUP:
            level, code = "类", row.economic_class
        else:
            level, code = "款", f"{row.economic_class}:{name}"
        records.append({"code": code, "level": level, "name": name, "amount_yuan": Decimal(row.amount_yuan)})
    return pd.DataFrame(records, columns=["code", "level", "name", "amount_yuan"]).drop_duplicates("code").reset_index(drop=True)


def year_over_year(docs: Sequence[Doc], by: str = "function", levels: Sequence[str] = ("类", "款")) -> pd.DataFrame:
    """One department over several years, class by class.

    Args:
        docs: The disclosures of one department, in year order (:func:`load_docs`).
        by: ``"function"`` (类/款 of the function classification) or ``"economic"``.
        levels: Which levels to keep.

    Returns:
        One row per class code: ``code, level, name``, then ``<year>_wan`` per year (Decimal,
        ``None`` if the class is not printed that year), and for consecutive years
        ``change_<y0>_<y1>_wan`` and ``change_<y0>_<y1>_pct``.
    """
    frames = []
    for doc in docs:
        classes = function_classes(doc.tidy, levels) if by == "function" else economic_classes(doc.tidy)
        classes = classes[classes["level"].isin(list(levels))]
        frames.append((doc.year or doc.doc_id, classes))
    codes: dict[str, tuple[str, str]] = {}
    for _, classes in frames:
        for row in classes.itertuples():
            codes[row.code] = (row.level, row.name)
    out = pd.DataFrame([{"code": c, "level": lv, "name": n} for c, (lv, n) in codes.items()])
    if out.empty:
        return out
    years = []
    for year, classes in frames:
        amounts = dict(zip(classes["code"], classes["amount_yuan"]))
        out[f"{year}_wan"] = [to_wan(amounts.get(c)) for c in out["code"]]
        years.append(year)
    for y0, y1 in zip(years, years[1:]):
        before, after = out[f"{y0}_wan"], out[f"{y1}_wan"]
        out[f"change_{y0}_{y1}_wan"] = [None if a is None and b is None else (a or 0) - (b or 0) for a, b in zip(after, before)]
        out[f"change_{y0}_{y1}_pct"] = [pct((a or 0) - b, b) if b else None for a, b in zip(after, before)]
    return out.sort_values(["code"], key=lambda s: s.str.replace(":", "~")).reset_index(drop=True)


# --------------------------------------------------------------------------- stated changes


#: Narrative subjects that name a “三公”经费 item, with its key in :func:`budgetkit.semantics.three_public_items`.
_THREE_PUBLIC_KEYS = {
    "“三公”经费": "three_public_total",
    "因公出国（境）费": "outbound",
    "公务接待费": "reception",
    "公务用车购置及运行费": "vehicle_total",
    "公务用车购置费": "vehicle_purchase",
    "公务用车运行维护费": "vehicle_operation",
    "会议费": "meeting",
    "培训费": "training",
}


def _candidate_cells(tidy: pd.DataFrame, subject: str) -> pd.DataFrame:
    """Cells whose row name or column label is the subject (folded, enumeration stripped); for a
    “三公”经费 subject, its cell in the “三公”经费 table first (a row or a column, whichever layout)."""
    key = norm_name(subject)
    if not key:
        return tidy.iloc[0:0]
    cells = tidy[tidy["amount_yuan"].notna()]
    item = semantics.three_public_items(tidy).get(_THREE_PUBLIC_KEYS.get(subject, ""))
    if item is not None:
        first = cells[(cells["table_id"] == item.table_id) & (cells["row_number"] == item.row_number) & (cells["column_id"] == item.column_id)]
        if len(first) == 1:
            return pd.concat([first, _named_cells(cells, key).drop(first.index, errors="ignore")])
    return _named_cells(cells, key)


def _named_cells(cells: pd.DataFrame, key: str) -> pd.DataFrame:
    names = cells["item"].map(norm_name)
    labels = cells["column_label"].map(norm_name)

    def match(name: str) -> bool:
        return bool(name) and (name == key or (len(name) >= 4 and len(key) >= 4 and (key in name or name in key)))

    by_name = names.map(match)
    one_row = cells["item"].fillna("").eq("")  # a table printed as one row, one column per item (上海 三公)
    by_label = labels.map(match) & (cells["row_kind"].eq("total") | one_row)
    return cells[by_name | by_label]


def stated_changes(doc: Doc, prior: Doc | None = None) -> pd.DataFrame:
    """The changes the narrative states, the prior-year values they imply, checked against ``prior``.

    The tolerance is half a unit of the last decimal the narrative prints (0.005 万元 = 50 元
    for 697.27万元): a table in 元 restated in 万元 is rounded, not wrong.

    Args:
        doc: The current year's disclosure (its narrative supplies the changes).
        prior: The prior year's disclosure of the same department, if at hand.

    Returns:
        One row per stated change: ``subject, unit, current, direction, change, implied_prior``
        (Decimal, in the narrative's unit), ``stated_rate_pct``, ``rate_status`` (the verdict of
        the check ``narrative.change_rate`` on the stated rate, when the findings are at hand —
        compare does not recompute it), and ``status`` of the implied prior-year value, in the
        vocabulary of :mod:`budgetkit.status`: ``ok`` (a prior-year cell of that name — row name,
        or column label of a one-row/total row — holds the value), ``info`` (the non-zero value is
        printed, under another name: weaker evidence), ``warning`` (a cell of that name holds
        another value, see ``prior_table_value``) or ``unchecked`` (no prior disclosure at hand,
        or no cell of that name in it); ``prior_note`` says which; ``prior_cell`` where;
        ``line`` where the change is stated.
    """
    from budgetkit.narrative import extract_claims, implied_prior_year

    claims = extract_claims(doc.narrative, doc.metadata.get("publisher") or None)
    records = []
    for value in implied_prior_year(claims):
        unit = value.unit or "万元"
        factor = UNIT_TO_YUAN.get(unit, Decimal(1))
        exponent = min(value.prior_value.as_tuple().exponent, value.current_value.as_tuple().exponent, value.change_value.as_tuple().exponent, 0)
        tolerance = Decimal(5).scaleb(exponent - 1) * factor
        prior_yuan = value.prior_value * factor
        record = {
            "subject": value.subject,
            "unit": unit,
            "current": value.current_value,
            "direction": value.direction,
            "change": value.change_value,
            "implied_prior": value.prior_value,
            "stated_rate_pct": value.stated_rate_pct,
            "rate_status": _rate_status(doc, value) if value.stated_rate_pct is not None else None,
            "status": UNCHECKED,
            "prior_note": "无上年公开，仅由增减额推算",
            "prior_table_value": None,
            "prior_cell": None,
            "base": value.base,
            "line": str(value.location),
            "sentence": value.sentence,
        }
        if prior is not None:
            record.update(_check_prior(prior.tidy, value.subject, prior_yuan, tolerance, factor))
        records.append(record)
    return pd.DataFrame(records, columns=[
        "subject", "unit", "current", "direction", "change", "implied_prior", "stated_rate_pct", "rate_status",
        "status", "prior_note", "prior_table_value", "prior_cell", "base", "line", "sentence",
    ])


def _rate_status(doc: Doc, value) -> str | None:
    """The status the check ``narrative.change_rate`` gave the rate stated with this change (same line, same subject)."""
    findings = doc.findings
    if findings is None or findings.empty:
        return None
    import json

    rates = findings[(findings["rule_id"] == "narrative.change_rate") & findings["message"].str.contains(value.subject, regex=False)]
    here = (value.location.file, value.location.page, value.location.line)
    for status, refs in zip(rates["status"], rates["refs"]):
        places = {(r.get("file"), r.get("page"), r.get("line")) for r in (json.loads(refs) if refs else [])}
        if here in places:
            return status
    return None


def _check_prior(tidy: pd.DataFrame, subject: str, prior_yuan: Decimal, tolerance: Decimal, factor: Decimal) -> dict[str, Any]:
    def where(row: Any) -> str:
        return f"{row.table_id} row {row.row_number} {row.item or ''} / {row.column_id}"

    def close(amount: Any) -> bool:
        return abs(Decimal(amount) - prior_yuan) <= tolerance

    candidates = _candidate_cells(tidy, subject)
    for row in candidates.itertuples():
        if close(row.amount_yuan):
            return {"status": OK, "prior_note": "上年公开同名单元格相符", "prior_table_value": Decimal(row.amount_yuan) / factor,
                    "prior_cell": where(row)}
    cells = tidy[tidy["amount_yuan"].notna()]
    hits = cells[cells["amount_yuan"].map(close)] if prior_yuan != 0 else cells.iloc[0:0]  # a zero matches anything
    if not hits.empty:
        row = next(hits.itertuples())
        return {"status": INFO, "prior_note": "上年公开中有此数，但名称不同（证据较弱）", "prior_table_value": Decimal(row.amount_yuan) / factor,
                "prior_cell": where(row)}
    if not candidates.empty:
        row = next(candidates.itertuples())
        return {"status": WARNING, "prior_note": "上年公开同名单元格为另一数（预算调整或口径不同？）",
                "prior_table_value": Decimal(row.amount_yuan) / factor, "prior_cell": where(row)}
    return {"status": UNCHECKED, "prior_note": "上年公开中没有同名单元格"}


# --------------------------------------------------------------------------- units inside a disclosure


def unit_names(doc: Doc) -> list[str]:
    """The budget units a disclosure lists (:func:`budgetkit.semantics.unit_names`)."""
    return semantics.unit_names(doc.tidy)


def unit_split(doc: Doc, tables: Sequence[str] = ("project_current", "admin_operation")) -> pd.DataFrame:
    """The units inside one disclosure, table by table.

    Args:
        doc: The disclosure.
        tables: Tables that print one row per unit (and the department's own total row).

    Returns:
        One row per (table, unit): ``table_id, unit_name, amount_wan`` (Decimal), ``share_pct``
        of the department total, ``department_total_wan`` (the department's own row or the
        table's 合计) and ``units_sum_wan``; units not printed in a table are left out.
    """
    units = unit_names(doc)
    records = []
    for table_id in tables:
        rows = _table(doc.tidy, table_id)
        column = amount_column(rows) if not rows.empty else None
        if column is None:
            continue
        rows = rows[rows["column_id"] == column]
        named = {fold(r.item): r for r in rows.itertuples() if r.row_role != semantics.TOTAL}
        present = [u for u in units if u in named]
        if not present:
            continue
        total = semantics.total_cell(doc.tidy, table_id, column)
        amounts = {u: as_decimal(named[u].amount_yuan) or Decimal(0) for u in present}
        units_sum = sum(amounts.values(), Decimal(0))
        dept_total = as_decimal(total["amount_yuan"]) if total is not None else None
        for unit in present:
            records.append({
                "table_id": table_id,
                "unit_name": unit,
                "amount_wan": to_wan(amounts[unit]),
                "share_pct": pct(amounts[unit], dept_total or units_sum),
                "department_total_wan": to_wan(dept_total),
                "units_sum_wan": to_wan(units_sum),
            })
    return pd.DataFrame(records, columns=["table_id", "unit_name", "amount_wan", "share_pct", "department_total_wan", "units_sum_wan"])


def dept_vs_unit(dept: Doc, unit: Doc) -> pd.DataFrame:
    """A department budget beside the unit budget of its organ: the key totals and what the other units add.

    Returns:
        One row per indicator (:data:`TOTALS`): ``department_wan``, ``unit_wan``,
        ``other_units_wan`` (department − unit) and ``unit_share_pct``.
    """
    d, u = totals(dept.tidy), totals(unit.tidy)
    records = []
    for key in TOTALS:
        a, b = d.get(key), u.get(key)
        records.append({
            "indicator": key,
            "department_wan": to_wan(a),
            "unit_wan": to_wan(b),
            "other_units_wan": to_wan(a - b) if a is not None and b is not None else None,
            "unit_share_pct": pct(b, a),
        })
    return pd.DataFrame(records)


# --------------------------------------------------------------------------- across departments


#: Totals read from every document (元): name → (table, columns in order of preference).
TOTALS = {
    "支出合计": ("expenditure", ("total",)),
    "基本支出": ("expenditure", ("basic",)),
    "项目支出": ("expenditure", ("project",)),
    "一般公共预算支出": ("general_expenditure", ("total",)),
    "基本支出经济分类合计": (ECONOMIC_TABLE, ("total",)),
    "人员经费": (ECONOMIC_TABLE, ("personnel",)),
    "公用经费": (ECONOMIC_TABLE, ("public",)),
    "“三公”经费": ("three_public", ("three_public_total",)),
    "机关运行经费": ("admin_operation", ("total",)),
}


def totals(tidy: pd.DataFrame) -> dict[str, Decimal | None]:
    """The :data:`TOTALS` of one document in 元 (``None`` where not printed).

    人员经费/公用经费 are derived from the economic classes (301 + 303 / 302) when the table has no
    such columns; 机关运行经费 falls back to the 三公 table's column of that name (Shanghai).
    """
    out: dict[str, Decimal | None] = {}
    for key, (table_id, columns) in TOTALS.items():
        rows = _table(tidy, table_id)
        value = None
        if not rows.empty and any(c in set(rows["column_id"]) for c in columns):
            value = table_total(tidy, table_id, columns)
        elif not rows.empty and key in ("支出合计", "一般公共预算支出", "基本支出经济分类合计", "“三公”经费", "机关运行经费"):
            value = table_total(tidy, table_id, columns)
        out[key] = value
    if out["人员经费"] is None or out["公用经费"] is None:
        classes = economic_classes(tidy)
        by_class = {r.code: r.amount_yuan for r in classes.itertuples() if r.level == "类"}
        if by_class:
            out["人员经费"] = by_class.get("301", Decimal(0)) + by_class.get("303", Decimal(0))
            out["公用经费"] = sum((v for k, v in by_class.items() if k not in ("301", "303")), Decimal(0))
            out["人员/公用经费来源"] = "derived"
    three = semantics.three_public_items(tidy)
    if out["机关运行经费"] is None and "admin_operation" in three and three["admin_operation"].amount is not None:
        out["机关运行经费"] = _yuan(three["admin_operation"])
    if "three_public_total" in three and three["three_public_total"].amount is not None:
        out["“三公”经费"] = _yuan(three["three_public_total"])
    return out


def _yuan(item: semantics.PrintedItem) -> Decimal | None:
    return item.amount * UNIT_TO_YUAN[item.unit] if item.amount is not None and item.unit in UNIT_TO_YUAN else None


def staff_count(doc: Doc) -> int | None:
    """The staff count the narrative states (编制 338 名, 实有人数 …), ``None`` if not stated."""
    from budgetkit.narrative import extract_claims

    claims = extract_claims(doc.narrative, doc.metadata.get("publisher") or None)
    for subject in STAFF_SUBJECTS:
        for claim in claims:
            if claim.kind == "count" and claim.unit in ("人", "名") and fold(claim.subject) == subject:
                return int(claim.value)
    return None


def indicators(docs: Sequence[Doc]) -> pd.DataFrame:
    """Normalised indicators per document, for comparing departments.

    Returns:
        One row per document: ``doc_id, department, fiscal_year, level, template, units``, the
        totals in 万元 (``total_wan`` …), ``basic_share_pct``, ``project_share_pct``,
        ``personnel_share_pct``, ``public_share_pct`` (of basic expenditure by economic class),
        ``three_public_wan``, ``admin_operation_wan``, ``staff``, ``three_public_per_staff_wan``,
        ``admin_operation_per_staff_wan`` (``None`` where no staff count is stated),
        ``personnel_source`` (printed / derived) and ``function_mix`` (class code → share %).
    """
    records = []
    for doc in docs:
        t = totals(doc.tidy)
        total = t["支出合计"] or t["一般公共预算支出"]
        basic_econ = t["基本支出经济分类合计"] or ((t["人员经费"] or 0) + (t["公用经费"] or 0)) or None
        staff = staff_count(doc)
        classes = function_classes(doc.tidy, ("类",))
        class_total = sum(classes["amount_yuan"], Decimal(0)) if len(classes) else None
        mix = {f"{r.code} {r.name}": pct(r.amount_yuan, class_total) for r in classes.itertuples()}
        units = sorted(set(doc.tidy["unit"].dropna()))
        records.append({
            "doc_id": doc.doc_id,
            "department": doc.metadata.get("publisher") or doc.doc_id,
            "fiscal_year": doc.year,
            "level": doc.metadata.get("level") or None,
            "template": doc.metadata.get("template") or None,
            "units": "/".join(units),
            "total_wan": to_wan(total),
            "basic_wan": to_wan(t["基本支出"]),
            "project_wan": to_wan(t["项目支出"]),
            "basic_share_pct": pct(t["基本支出"], total),
            "project_share_pct": pct(t["项目支出"], total),
            "personnel_wan": to_wan(t["人员经费"]),
            "public_wan": to_wan(t["公用经费"]),
            "personnel_share_pct": pct(t["人员经费"], basic_econ),
            "public_share_pct": pct(t["公用经费"], basic_econ),
            "personnel_source": t.get("人员/公用经费来源", "printed") if t["人员经费"] is not None else None,
            "three_public_wan": to_wan(t["“三公”经费"]),
            "admin_operation_wan": to_wan(t["机关运行经费"]),
            "staff": staff,
            "three_public_per_staff_wan": (to_wan(t["“三公”经费"]) / staff).quantize(Decimal("0.0001"), ROUND_HALF_UP) if staff and t["“三公”经费"] is not None else None,
            "admin_operation_per_staff_wan": (to_wan(t["机关运行经费"]) / staff).quantize(Decimal("0.0001"), ROUND_HALF_UP) if staff and t["机关运行经费"] is not None else None,
            "function_mix": mix,
        })
    return pd.DataFrame(records)


def function_mix(indicators_frame: pd.DataFrame) -> pd.DataFrame:
    """Function-class shares (%) as a wide frame: one row per document, one column per 类."""
    rows = [{"doc_id": r.doc_id, **r.function_mix} for r in indicators_frame.itertuples()]
    return pd.DataFrame(rows).set_index("doc_id").sort_index(axis=1)


def caveats(indicators_frame: pd.DataFrame) -> list[str]:
    """What makes the departments hard to compare: years, templates, levels, printed units, missing pieces."""
    notes = []
    frame = indicators_frame

    def distinct(column: str) -> list[str]:
        return sorted({str(v) for v in frame[column].dropna()})

    if len(distinct("fiscal_year")) > 1:
        notes.append(f"不同年度 / different fiscal years: {', '.join(distinct('fiscal_year'))} — amounts are nominal, not deflated.")
    if len(distinct("template")) > 1:
        notes.append(f"不同模板 / different templates: {', '.join(distinct('template'))} — tables and their scopes differ (e.g. 三公 in 一般公共预算 only vs 财政拨款).")
    if len(distinct("level")) > 1:
        notes.append(f"不同层级 / different government levels: {', '.join(distinct('level'))} — a province organ and a county bureau differ in scale and duties.")
    units = {u for v in frame["units"].dropna() for u in str(v).split("/") if u}
    if len(units) > 1 or any("/" in str(v) for v in frame["units"].dropna()):
        notes.append(f"不同单位 / printed units differ ({', '.join(sorted(units))}): all amounts here are converted exactly to 元 and shown in 万元.")
    derived = frame.loc[frame["personnel_source"] == "derived", "doc_id"].tolist()
    if derived:
        notes.append(f"人员经费/公用经费 derived from economic classes (301+303 / other) for: {', '.join(derived)}.")
    no_staff = frame.loc[frame["staff"].isna(), "doc_id"].tolist()
    if no_staff:
        notes.append(f"No staff count stated (per-staff indicators empty) for: {', '.join(no_staff)}.")
    return notes


def print_caveats(indicators_frame: pd.DataFrame) -> None:
    """Print :func:`caveats`, one a line."""
    for note in caveats(indicators_frame):
        print(f"⚠ {note}")


# --------------------------------------------------------------------------- charts


def _font():
    """The CJK font properties (budgetkit.figures when present, else the mplfonts file registered here)."""
    try:
        from budgetkit.figures import use_cjk_font

        return use_cjk_font()
    except ImportError:  # figures.py not there: register the bundled font ourselves
        import mplfonts
        from matplotlib import font_manager

        path = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
        font_manager.fontManager.addfont(str(path))
        return font_manager.FontProperties(fname=str(path))


def _float(value: Decimal | None) -> float:
    """For drawing only: a Decimal to float (never used to decide anything)."""
    return 0.0 if value is None else float(value)


def plot_year_over_year(yoy: pd.DataFrame, *, level: str = "类", title: str = "", top: int = 12):
    """Grouped horizontal bars: each class, one bar per year (万元).

    Args:
        yoy: Output of :func:`year_over_year`.
        level: Which level to draw.
        title: Figure title.
        top: Draw the largest ``top`` classes (by the latest year).

    Returns:
        The matplotlib figure.
    """
    import matplotlib.pyplot as plt

    font = _font()
    year_columns = [c for c in yoy.columns if re.fullmatch(r"\d{4}_wan", str(c))]
    rows = yoy[yoy["level"] == level].copy()
    rows["_sort"] = rows[year_columns[-1]].map(_float)
    rows = rows.sort_values("_sort", ascending=True).tail(top)
    fig, ax = plt.subplots(figsize=(8, 0.5 + 0.45 * len(rows) * max(1, len(year_columns)) / 1.6))
    height = 0.8 / max(1, len(year_columns))
    colours = ["#9ecae1", "#4292c6", "#08519c", "#08306b"]
    for i, column in enumerate(year_columns):
        positions = [k + i * height for k in range(len(rows))]
        ax.barh(positions, [_float(v) for v in rows[column]], height=height, label=column[:4] + "年", color=colours[i % len(colours)])
    ax.set_yticks([k + height * (len(year_columns) - 1) / 2 for k in range(len(rows))])
    ax.set_yticklabels([f"{c} {n}" for c, n in zip(rows["code"], rows["name"])], fontproperties=font)
    ax.set_xlabel("万元", fontproperties=font)
    ax.set_title(title, fontproperties=font)
    ax.legend(prop=font, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    fig.subplots_adjust(left=0.35, right=0.97)
    return fig


def plot_waterfall(yoy: pd.DataFrame, year_from: int, year_to: int, *, level: str = "类", title: str = ""):
    """Waterfall from one year's total to the next, one step per class (万元).

    Args:
        yoy: Output of :func:`year_over_year` with both years.
        year_from: First year.
        year_to: Second year.
        level: Class level of the steps (their sum is the change of the total).
        title: Figure title.
    """
    import matplotlib.pyplot as plt

    font = _font()
    rows = yoy[yoy["level"] == level]
    start = sum((v for v in rows[f"{year_from}_wan"] if v is not None), Decimal(0))
    end = sum((v for v in rows[f"{year_to}_wan"] if v is not None), Decimal(0))
    steps = [(f"{c} {n}", d) for c, n, d in zip(rows["code"], rows["name"], rows[f"change_{year_from}_{year_to}_wan"]) if d]
    labels = [f"{year_from}年"] + [s[0] for s in steps] + [f"{year_to}年"]
    fig, ax = plt.subplots(figsize=(max(6, 1.1 * len(labels)), 4.5))
    ax.bar(0, _float(start), color="#4292c6")
    running = start
    for i, (_, change) in enumerate(steps, start=1):
        bottom = running if change >= 0 else running + change
        ax.bar(i, abs(_float(change)), bottom=_float(bottom), color="#d6604d" if change >= 0 else "#4393c3")
        ax.text(i, _float(max(running, running + change)), f"{change:+,.2f}", ha="center", va="bottom", fontsize=8)
        running += change
    ax.bar(len(labels) - 1, _float(end), color="#08519c")
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=30, ha="right", fontproperties=font)
    ax.set_ylabel("万元", fontproperties=font)
    ax.set_title(title or f"{year_from}→{year_to} 变动（红：增加，蓝：减少）", fontproperties=font)
    ax.spines[["top", "right"]].set_visible(False)
    fig.subplots_adjust(bottom=0.35)
    return fig


#: Indicators drawn by :func:`plot_small_multiples`, with their axis labels.
SMALL_MULTIPLES = {
    "total_wan": "支出合计（万元）",
    "project_share_pct": "项目支出占比（%）",
    "personnel_share_pct": "人员经费占基本支出（%）",
    "three_public_wan": "“三公”经费（万元）",
    "admin_operation_wan": "机关运行经费（万元）",
    "admin_operation_per_staff_wan": "人均机关运行经费（万元/人）",
}


def plot_small_multiples(indicators_frame: pd.DataFrame, columns: dict[str, str] | None = None):
    """One panel per indicator, one bar per document (missing values say 未列示)."""
    import matplotlib.pyplot as plt

    font = _font()
    columns = columns or SMALL_MULTIPLES
    n = len(columns)
    ncols = 3
    nrows = (n + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 0.5 + 0.42 * len(indicators_frame) * nrows + 1.2 * nrows), squeeze=False)
    labels = [f"{str(d)[:14]} {y or ''}" for d, y in zip(indicators_frame["department"], indicators_frame["fiscal_year"])]
    if len(set(labels)) < len(labels):  # two disclosures of one department and year (部门 vs 单位预算)
        labels = [lab if labels.count(lab) == 1 else str(doc) for lab, doc in zip(labels, indicators_frame["doc_id"])]
    for ax, (column, label) in zip(axes.flat, columns.items()):
        values = indicators_frame[column].tolist()
        ax.barh(range(len(values)), [_float(v) for v in values], color="#4292c6")
        for k, v in enumerate(values):
            ax.text(_float(v), k, " 未列示" if v is None else f" {v:,.2f}", va="center", fontsize=7, fontproperties=font)
        ax.set_yticks(range(len(values)))
        ax.set_yticklabels(labels if ax in axes[:, 0] else [""] * len(values), fontproperties=font, fontsize=8)
        ax.invert_yaxis()
        ax.set_title(label, fontproperties=font, fontsize=10)
        ax.spines[["top", "right"]].set_visible(False)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.subplots_adjust(left=0.2, right=0.97, wspace=0.35, hspace=0.45)
    return fig
