"""Budget (预算) or final accounts (决算): what follows from a document's kind.

A document's kind is decided here when it is read (:func:`document_kind`, kept on
``Document.kind``), and so is what follows from it: the kind a manifest declares (:func:`declared_kind`, ``budget (unit)``
→ ``budget``), the catalog template a 决算 is held to (:func:`template_for`), and what one amount
measures — budget, actual or a carried balance (:func:`amount_measure`, for the corpus).
"""

from __future__ import annotations

import re
from typing import Iterable

from budgetkit.catalog import base_table_id, load_catalog

BUDGET = "budget"
FINAL = "final"
KINDS = (BUDGET, FINAL)

_DECLARED_RE = {
    FINAL: re.compile(r"^\s*(?:final|决算)", re.IGNORECASE),
    BUDGET: re.compile(r"^\s*(?:budget|预算)", re.IGNORECASE),
}


def declared_kind(text: object) -> str | None:
    """The kind a manifest's ``kind`` field states (``"budget (unit)"`` → ``budget``), or ``None``."""
    if not isinstance(text, str):
        return None
    for kind, pattern in _DECLARED_RE.items():
        if pattern.match(text):
            return kind
    return None


def template_for(metadata: dict, kind: str, table_titles: Iterable[str] = ()):
    """The catalog template whose tables a document is expected to print.

    A budget keeps the manifest's template (``generic`` when none). A 决算 takes the manifest's
    template when it is a 决算 template, else ``final-university`` when its tables are the
    高等学校 ones (高等学校收支决算总表 …), else ``final`` (the national nine tables).
    """
    catalog = load_catalog()
    declared = catalog.template(metadata.get("template"))
    if kind != FINAL:
        return declared
    if declared.kind == FINAL and declared.id == metadata.get("template"):
        return declared
    if any("高等学校" in str(title) for title in table_titles):
        return catalog.template("final-university")
    return catalog.template("final")


#: Columns whose amounts are balances carried in or out of the year, not budget or actual.
CARRYOVER_COLUMNS = ("carryover_start", "carryover_end")


def amount_measure(table_id: str, column_id: str) -> str | None:
    """What an amount measures: ``budget`` (预算数), ``final`` (决算数) or a carried balance.

    A column says so itself (``budget_initial``, ``budget_reception``, ``final_actual``,
    ``carryover_start``); otherwise the kind of its catalog table decides (an amount of a
    收入支出决算总表 is a 决算数, one of a 收支预算总表 a 预算数). ``None`` for a table the catalog
    does not know.

    Examples:
        >>> amount_measure("final_three_public", "budget_reception"), amount_measure("final_income", "total")
        ('budget', 'final')
    """
    column = str(column_id)
    if column in CARRYOVER_COLUMNS:
        return column
    if column.startswith("budget_"):
        return BUDGET
    if column.startswith("final_"):
        return FINAL
    spec = load_catalog().tables.get(base_table_id(table_id))
    return spec.kind if spec is not None else None


_FINAL_WORDS = re.compile(r"(?:部门|单位)?决算")
_BUDGET_WORDS = re.compile(r"(?:部门|单位)?预算(?:公开|表|编制)")


def document_kind(document) -> str:
    """``final`` for a 部门决算, ``budget`` for a 部门预算: by the tables it prints (the
    catalog's kind of each standard table found), else by its own words (决算 in its titles and
    first narrative lines against 预算公开 / 预算表)."""
    catalog = load_catalog()
    kinds = [catalog.table(t).kind for t in document.tables if catalog.knows(t)]
    finals, budgets = kinds.count("final"), kinds.count("budget")
    if finals and finals >= budgets:
        return "final"
    if budgets and not finals:
        return "budget"
    text = " ".join([t.title for t in document.tables.values()] + [line.text for line in document.narrative[:40]])
    return "final" if len(_FINAL_WORDS.findall(text)) > len(_BUDGET_WORDS.findall(text)) else "budget"
