"""Which kind of disclosure a document is: a budget (预算, what is planned) or final accounts
(决算, what was spent).

The manifest may say so (``kind`` = ``budget`` / ``final``, possibly followed by a note such as
``budget (unit)``); otherwise the standard tables found decide: each catalog table has a kind,
and a document whose standard tables are mostly ``final_*`` tables is a 决算. A document with no
standard table falls back on its title (部门决算 / 决算公开) and then on ``budget``.

This is the one place kind is decided; the extraction report, ``document.json``, the reports
and the corpus take it from here.
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
_FINAL_TITLE_RE = re.compile(r"决算")


def declared_kind(text: object) -> str | None:
    """The kind a manifest's ``kind`` field states (``"budget (unit)"`` → ``budget``), or ``None``."""
    if not isinstance(text, str):
        return None
    for kind, pattern in _DECLARED_RE.items():
        if pattern.match(text):
            return kind
    return None


def kind_from_tables(table_ids: Iterable[str]) -> str | None:
    """``final`` when most standard tables found are 决算 tables, ``budget`` when most are budget
    tables, ``None`` when no standard table decides (none found, or as many of each)."""
    catalog = load_catalog()
    counts = {BUDGET: 0, FINAL: 0}
    for table_id in table_ids:
        base = base_table_id(table_id)
        if base not in catalog.tables or base == "performance_targets":
            continue  # 绩效目标表 / 绩效自评表 come with both kinds
        counts[catalog.tables[base].kind] += 1
    if counts[FINAL] == counts[BUDGET]:
        return None
    return FINAL if counts[FINAL] > counts[BUDGET] else BUDGET


def document_kind(metadata: dict, table_ids: Iterable[str], title: str | None = None) -> str:
    """The kind of a document: as the manifest declares it, else from its tables, else its title.

    Args:
        metadata: The manifest fields (``kind`` may be absent).
        table_ids: The ids of the tables found.
        title: The document's title, if known (file title or first narrative line).

    Examples:
        >>> document_kind({}, ["final_summary", "final_income", "other-1"])
        'final'
        >>> document_kind({"kind": "budget (unit)"}, [])
        'budget'
    """
    declared = declared_kind(metadata.get("kind"))
    if declared:
        return declared
    from_tables = kind_from_tables(table_ids)
    if from_tables:
        return from_tables
    title = title or metadata.get("title") or ""
    return FINAL if _FINAL_TITLE_RE.search(str(title)) else BUDGET


def kind_of(document) -> str:
    """:func:`document_kind` of a read :class:`~budgetkit.model.Document`."""
    title = document.metadata.get("title")
    if not title and document.narrative:
        title = " ".join(line.text for line in document.narrative[:5])
    return document_kind(document.metadata, document.tables, title)


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
