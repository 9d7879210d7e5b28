"""The rule engine: a rule catalog (data), one small function per rule, the findings frame.

A :class:`Rule` is data — id, family, plain descriptions, the tables it needs, its tolerance —
listed in :data:`budgetkit.checks.catalog.RULES`. Its implementation is a function registered
with :func:`implements` that takes a :class:`Context` and returns :class:`Finding` rows, one
per comparison it ran (passed ones included). :func:`run_checks` runs every rule, turns a rule
whose tables are absent or empty into one ``not_applicable`` row, and a rule that crashes into
one ``warning`` row (a check that could not run never hides the others).
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from budgetkit.amounts import is_blank, try_parse_amount
from budgetkit.catalog import fold, strip_numbering
from budgetkit.model import Document, RawTable
from budgetkit.semantics import with_row_structure

from budgetkit.checks.arithmetic import (
    ERROR,
    NOT_APPLICABLE,
    PASSED,
    SEVERITY,
    UNREADABLE,
    WARNING,
    Outcome,
    Quantity,
    RatioOutcome,
)
from budgetkit.status import SEVERITY_ORDER, normalise

FINDING_COLUMNS = [
    "doc_id",
    "rule_id",
    "family",
    "severity",
    "passed",
    "status",
    "message",
    "expected",
    "actual",
    "difference",
    "tolerance",
    "unit",
    "tables",
    "location",
    "evidence",
    "refs",
    "claims",
    "reason",
]
FAMILIES = ("within_table", "across_tables", "narrative", "performance")


@dataclass(frozen=True)
class Rule:
    """One reconciliation rule, as data.

    Attributes:
        id: Stable id (``within.code_hierarchy``).
        family: ``within_table`` | ``across_tables`` | ``narrative`` | ``performance``.
        zh: What it checks, in Chinese.
        en: What it checks, in English.
        tables: Tables it needs; absent or empty → not applicable.
        tolerance: The allowance used (``sum`` = (n+1)/2 × step, ``same`` = one step,
            ``ratio`` = half a printed digit + propagated rounding, ``exact``, ``fuzzy``).
        on_fail: Severity of a failed comparison (``error`` or ``warning`` for rules whose
            identity holds only under a definition the document may not follow).
        needs: ``any`` — applicable when at least one table is usable; ``all`` — all needed.
    """

    id: str
    family: str
    zh: str
    en: str
    tables: tuple[str, ...] = ()
    tolerance: str = "sum"
    on_fail: str = ERROR
    needs: str = "all"


@dataclass
class Finding:
    """One comparison a rule ran.

    ``claims`` lists the narrative claims (their ``index`` in ``claims.csv``, comma-separated) a
    narrative rule held against something; ``reason`` says, for a claim it could not check, why
    (a code of :data:`budgetkit.vocabulary.NarrativeVocabulary.unchecked_reasons`).
    """

    rule_id: str
    family: str
    status: str
    message: str
    expected: str = ""
    actual: str = ""
    difference: str = ""
    tolerance: str = ""
    unit: str = ""
    tables: str = ""
    location: str = ""
    evidence: str = ""
    refs: str = ""
    claims: str = ""
    reason: str = ""

    def record(self, doc_id: str) -> dict:
        return {
            "doc_id": doc_id,
            "rule_id": self.rule_id,
            "family": self.family,
            "severity": SEVERITY[self.status],
            "passed": PASSED[self.status],
            "status": self.status,
            "message": self.message,
            "expected": self.expected,
            "actual": self.actual,
            "difference": self.difference,
            "tolerance": self.tolerance,
            "unit": self.unit,
            "tables": self.tables,
            "location": self.location,
            "evidence": self.evidence,
            "refs": self.refs,
            "claims": self.claims,
            "reason": self.reason,
        }


_IMPLEMENTATIONS: dict[str, Callable[["Context", Rule], Iterable[Finding]]] = {}


def implements(rule_id: str):
    """Register the function that runs rule ``rule_id``."""

    def register(func):
        _IMPLEMENTATIONS[rule_id] = func
        return func

    return register


def implementation(rule_id: str):
    return _IMPLEMENTATIONS.get(rule_id)


# --------------------------------------------------------------------------- context

class Context:
    """A document with its tidy frame, and the lookups rules share.

    Args:
        document: The document as read.
        tidy: Its tidy frame (:func:`budgetkit.tidy.tidy_document`).
    """

    def __init__(self, document: Document, tidy: pd.DataFrame):
        self.document = document
        # Rules read what rows mean (row_role, parent_row) from the tidy table, never guess it.
        self.tidy = tidy if "row_role" in tidy.columns else with_row_structure(tidy)
        self.doc_id = document.doc_id
        self._cache: dict = {}
        self._tables: dict[str, _TableIndex] = {}
        self._finds: dict[tuple, tuple[list[int], pd.DataFrame | None]] = {}
        self._by_label: dict | None = {} if tidy.index.is_unique else None
        self._records: dict | None = None

    # tables ---------------------------------------------------------------
    def table(self, table_id: str) -> RawTable | None:
        return self.document.tables.get(table_id)

    def title(self, table_id: str) -> str:
        table = self.table(table_id)
        if table is not None:
            return table.title
        from budgetkit.catalog import load_catalog

        return load_catalog().table(table_id).title if table_id in load_catalog().tables else table_id

    def printed(self, table_id: str) -> bool:
        """True when the table is present and prints at least one number."""
        if self.table(table_id) is None:
            return False
        index = self._index(table_id)
        if index.printed is None:
            index.printed = any(r["printed"] for r in index.rows)
        return index.printed

    def present(self, table_id: str) -> bool:
        return self.table(table_id) is not None

    def cells(self, table_id: str) -> pd.DataFrame:
        """The tidy rows of one table, with ``printed`` (bool), ``key`` (folded item without numbering)."""
        key = ("cells", table_id)
        if key not in self._cache:
            frame = self.tidy[self.tidy["table_id"] == table_id].copy()
            frame["printed"] = [not is_blank(t) and try_parse_amount(t) is not None for t in frame["value_text"].fillna("")]
            frame["key"] = [strip_numbering(i) for i in frame["item"].fillna("")]
            self._cache[key] = frame
        return self._cache[key]

    def _index(self, table_id: str) -> "_TableIndex":
        """The table's cells indexed once: plain rows, positions by column, regex masks (per document)."""
        index = self._tables.get(table_id)
        if index is None:
            if self._records is None:
                self._records = _records_by_table(self.tidy)
            labels, records = self._records.get(table_id, ((), ()))
            index = self._tables[table_id] = _TableIndex(records, lambda: self.cells(table_id))
            if self._by_label is not None:
                self._by_label.update(zip(labels, index.rows))
        return index

    def rows(self, table_id: str, column_id: str | None = None) -> list["Row"]:
        """The table's tidy rows as plain :class:`Row` dicts, in printed order (one column's, if given)."""
        index = self._index(table_id)
        if column_id is None:
            return index.rows
        return [index.rows[p] for p in index.by_column.get(column_id, ())]

    def cell(self, table_id: str, row_number: int, column_id: str) -> "Row":
        """The tidy row of one printed cell (``KeyError`` when the table has no such cell)."""
        for row in self.rows(table_id, column_id):
            if row["row_number"] == row_number:
                return row
        raise KeyError(f"{table_id} has no cell at row {row_number}, column {column_id}")

    def matches(self, table_id: str, rows: list["Row"], pattern: str) -> list[bool]:
        """Whether each row's ``key`` contains ``pattern`` (a regex, as ``frame["key"].str.contains``)."""
        mask = self._index(table_id).contains(pattern)
        return [mask[r.position] for r in rows]

    def rows_of(self, frame: pd.DataFrame) -> list:
        """The rows of a frame taken from :meth:`cells`/:meth:`find`, as :class:`Row` dicts (in frame order).

        Falls back to the frame's own rows (``iterrows``) when its rows are not the tidy frame's.
        """
        by_label = self._by_label
        if by_label is not None:
            rows = [by_label.get(label) for label in frame.index]
            if all(r is not None for r in rows):
                return rows
        return [r for _, r in frame.iterrows()]

    # quantities -------------------------------------------------------------
    def quantity(self, row) -> Quantity:
        """A tidy row as a :class:`Quantity` (blank → exact 0)."""
        if type(row) is Row:
            if row.quantity is None:
                row.quantity = self._quantity(row)
            return row.quantity
        return self._quantity(row)

    def _quantity(self, row) -> Quantity:
        text = "" if row["value_text"] is None or (isinstance(row["value_text"], float)) else str(row["value_text"]).strip()
        value = try_parse_amount(text)
        if value is None:
            text, value = "", Decimal(0)
        cell = (row["table_id"], int(row["row_number"]), row["column_id"])
        return Quantity(value, row["unit"] if isinstance(row["unit"], str) else None, text, self.row_label(row), self.where(row),
                        row["table_id"], cell)

    def row_label(self, row) -> str:
        code = row["code"] if isinstance(row["code"], str) else ""
        item = row["item"] if isinstance(row["item"], str) else ""
        name = f"{code} {item}".strip() or f"row {row['row_number']}"
        side = {"income": "收入", "expense": "支出"}.get(row["side"], "") if isinstance(row["side"], str) else ""
        return f"{self.title(row['table_id'])} {side}{name}「{row['column_label']}」"

    def where(self, row) -> str:
        parts = [str(row["source_file"])]
        page = row["page"]
        if page is not None and not pd.isna(page):
            parts.append(f"p.{int(page)}")
        line = row["line"]
        if line is not None and not pd.isna(line):
            parts.append(f"line {int(line)}")
        code = row["code"] if isinstance(row["code"], str) else None
        rowkey = code or (row["item"] if isinstance(row["item"], str) and row["item"] else f"#{row['row_number']}")
        return " ".join(parts) + f"; {self.title(row['table_id'])} row {rowkey}"

    def find(self, table_id: str, column_id: str, *, key: str | None = None, code: str | None = None,
             side: str | None = None, contains: str | None = None, kind: str | None = None) -> pd.DataFrame:
        """The cells of one column matching every criterion given (``contains``: a regex on the key).

        The returned frame is shared between callers (memoised per document): do not modify it.
        """
        positions, frame = self._find(table_id, column_id, key, code, side, contains, kind)
        if frame is None:
            frame = self._index(table_id).frame.iloc[positions]
            self._finds[(table_id, column_id, key, code, side, contains, kind)] = (positions, frame)
        return frame

    def find_rows(self, table_id: str, column_id: str, *, key: str | None = None, code: str | None = None,
                  side: str | None = None, contains: str | None = None, kind: str | None = None) -> list["Row"]:
        """Like :meth:`find`, as a list of :class:`Row` dicts."""
        positions, _ = self._find(table_id, column_id, key, code, side, contains, kind)
        rows = self._index(table_id).rows
        return [rows[p] for p in positions]

    def _find(self, table_id, column_id, key, code, side, contains, kind) -> tuple[list[int], pd.DataFrame | None]:
        memo = (table_id, column_id, key, code, side, contains, kind)
        found = self._finds.get(memo)
        if found is not None:
            return found
        index = self._index(table_id)
        rows = index.rows
        positions = index.by_column.get(column_id, [])
        if key is not None:
            folded = fold(key)
            positions = [p for p in positions if rows[p]["key"] == folded]
        if contains is not None:
            mask = index.contains(contains)
            positions = [p for p in positions if mask[p]]
        if code is not None:
            positions = [p for p in positions if rows[p]["code"] == code]
        if side is not None:
            positions = [p for p in positions if rows[p]["side"] == side]
        if kind is not None:
            positions = [p for p in positions if rows[p]["row_kind"] == kind]
        found = self._finds[memo] = (positions, None)
        return found

    def one(self, table_id: str, column_id: str, **criteria) -> Quantity | None:
        """The single cell matching, as a quantity, or ``None`` (none, or ambiguous)."""
        rows = self.find_rows(table_id, column_id, **criteria)
        if len(rows) != 1:
            return None
        return self.quantity(rows[0])

    def total_row(self, table_id: str, column_id: str, side: str | None = None) -> Quantity | None:
        """The 合计/总计 row of a one-sided table (first total row)."""
        rows = self.find_rows(table_id, column_id, side=side, kind="total")
        if not rows:
            return None
        return self.quantity(rows[0])


class Row(dict):
    """One tidy cell row of a table as a plain dict (what rules read), with its quantity once computed."""

    __slots__ = ("quantity", "position")

    def __init__(self, values: dict, position: int):
        super().__init__(values)
        self.quantity: Quantity | None = None
        self.position = position  # in its table's cells


def _records_by_table(tidy: pd.DataFrame) -> dict[str, tuple[list, list[dict]]]:
    """The tidy rows as dicts with :meth:`Context.cells`'s ``printed`` and ``key``, grouped by table (labels, rows)."""
    by_table: dict[str, tuple[list, list[dict]]] = {}
    for label, record in zip(tidy.index, _records(tidy)):
        text = record["value_text"]
        text = text if isinstance(text, str) else "" if pd.isna(text) else text
        record["printed"] = not is_blank(text) and try_parse_amount(text) is not None
        item = record["item"]
        record["key"] = strip_numbering(item if isinstance(item, str) else "" if pd.isna(item) else item)
        parent = record.get("parent_row")
        record["parent_row"] = None if parent is None or pd.isna(parent) else int(parent)
        labels, rows = by_table.setdefault(record["table_id"], ([], []))
        labels.append(label)
        rows.append(record)
    return by_table


def _records(tidy: pd.DataFrame) -> list[dict]:
    """``tidy.to_dict("records")``, from column lists (the same Python values, a third of the time)."""
    if not tidy.columns.is_unique:
        return tidy.to_dict("records")
    columns = tidy.columns.tolist()
    values = []
    for column in columns:
        series = tidy[column]
        dtype = series.dtype
        if isinstance(dtype, np.dtype) or isinstance(dtype, pd.StringDtype):
            column_values = series.tolist()
            if dtype.kind == "O" and any(isinstance(v, np.generic) for v in column_values):
                return tidy.to_dict("records")  # to_dict makes NumPy scalars Python ones: let it
        else:  # nullable numbers: to_dict gives None for <NA>
            column_values = series.to_numpy(dtype=object, na_value=None).tolist()
        values.append(column_values)
    return [dict(zip(columns, row)) for row in zip(*values)]


class _TableIndex:
    """One table's cells, indexed once per document: rows as dicts, positions by column, regex masks.

    ``rows`` hold the same values as :meth:`Context.cells` (whose frame is built only when a rule
    asks for a frame).
    """

    def __init__(self, records, frame: Callable[[], pd.DataFrame]):
        self.rows = [Row(r, position) for position, r in enumerate(records)]
        self.by_column: dict[str, list[int]] = {}
        for position, row in enumerate(self.rows):
            self.by_column.setdefault(row["column_id"], []).append(position)
        self.printed: bool | None = None
        self._frame = frame
        self._masks: dict[str, list[bool]] = {}

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame()

    def contains(self, pattern: str) -> list[bool]:
        """``key`` matches ``pattern`` (the same ``str.contains`` the frame would run), per position."""
        mask = self._masks.get(pattern)
        if mask is None:
            # A table without cells: the frame's own (non-string) key column, failing as it would.
            keys = pd.Series([r["key"] for r in self.rows]) if self.rows else self.frame["key"]
            mask = self._masks[pattern] = [bool(v) for v in keys.str.contains(pattern, regex=True)]
        return mask


# --------------------------------------------------------------------------- findings helpers


def where_of(quantities: list[Quantity], limit: int = 8) -> str:
    """Compact locations: ``file line 112 (2040201), line 113 (2040202); other table …`` grouped by file and table."""
    groups: dict[tuple[str, str], list[str]] = {}
    for q in quantities:
        if not q.where:
            continue
        head, _, rest = q.where.partition("; ")
        file_part, _, position = head.partition(" ")
        title, _, rowkey = rest.partition(" row ")
        entry = f"{position} ({rowkey})" if rowkey else (position or head)
        bucket = groups.setdefault((file_part, title), [])
        if entry not in bucket:
            bucket.append(entry)
    parts = []
    for (file_part, title), entries in groups.items():
        shown = ", ".join(entries[:limit]) + (f", … (+{len(entries) - limit})" if len(entries) > limit else "")
        parts.append(f"{file_part} {title}: {shown}" if title else f"{file_part} {shown}")
    return " | ".join(parts)


_PLACE_RE = re.compile(r"^(?P<file>\S+)(?: p\.(?P<page>\d+))?(?: line (?P<line>\d+))?")


def refs_of(quantities: Iterable[Quantity]) -> str:
    """The numbers a finding rests on, as JSON: label, text as printed, file, page, line and table cell.

    A report puts the verdict beside each of these numbers and cuts the page around them.
    """
    import json

    refs = []
    for q in quantities:
        if q is None:
            continue
        head = q.where.partition("; ")[0]
        match = _PLACE_RE.match(head) if head else None
        ref = {"label": q.label, "text": q.text, "unit": q.unit or ""}
        if match:
            ref["file"] = match.group("file")
            ref["page"] = int(match.group("page")) if match.group("page") else None
            ref["line"] = int(match.group("line")) if match.group("line") else None
        if q.cell is not None:
            ref["table_id"], ref["row_number"], ref["column_id"] = q.cell
        refs.append(ref)
    return json.dumps(refs, ensure_ascii=False) if refs else ""


def place(location) -> str:
    """Where a line of the document stands, as findings write it: ``file p.28 line 13`` (page when known)."""
    return str(location)


def evidence_of(quantities: list[Quantity], limit: int = 12) -> str:
    items = [q.short() for q in quantities[:limit]]
    return "; ".join(items) + (f"; … (+{len(quantities) - limit})" if len(quantities) > limit else "")


def tables_of(quantities: list[Quantity], extra: Iterable[str] = ()) -> str:
    ids: list[str] = []
    for t in [q.table_id for q in quantities] + list(extra):
        if t and t not in ids:
            ids.append(t)
    return ",".join(ids)


def from_outcome(rule: Rule, outcome: Outcome, what: str, *, fail_status: str | None = None, note_ok: str = "",
                 note_fail: str = "", extra_tables: Iterable[str] = ()) -> Finding:
    """A finding from a sum/same comparison.

    Args:
        rule: The rule.
        outcome: The comparison.
        what: The identity in words (``支出总表 合计 = 基本支出 + 项目支出``).
        fail_status: Status when the comparison fails (default: the rule's ``on_fail``).
        note_ok: Added to the message when it passes; ``note_fail`` when it fails.
    """
    status = outcome.status
    if status == ERROR:
        status = fail_status or rule.on_fail
    if status == "ok":
        verdict = "相符"
    elif status == "rounding":
        verdict = f"差 {outcome.difference} {outcome.unit}，在舍入容差 ±{outcome.tolerance} 内（舍入所致）"
    else:
        verdict = f"不符：差 {outcome.difference} {outcome.unit}（容差 ±{outcome.tolerance}）"
    note = note_ok if status in ("ok", "rounding") else note_fail
    message = f"{what}：{verdict}" + (f"。{note}" if note else "")
    return Finding(
        rule.id, rule.family, status, message, outcome.expected, outcome.actual, outcome.difference, outcome.tolerance,
        outcome.unit, tables_of(outcome.quantities, extra_tables), where_of(outcome.quantities), evidence_of(outcome.quantities),
        refs_of(outcome.quantities),
    )


def from_ratio(rule: Rule, outcome: RatioOutcome, what: str, quantities: list[Quantity], *, note: str = "") -> Finding:
    status = outcome.status if outcome.status != ERROR else rule.on_fail
    if status == "ok":
        verdict = "相符"
    elif status == "rounding":
        verdict = f"差 {outcome.difference} 个百分点，" + (getattr(outcome, "why", "") or f"在舍入容差 ±{outcome.tolerance} 内")
    else:
        verdict = f"不符：重算为 {outcome.expected}%，印 {outcome.actual}%（容差 ±{outcome.tolerance}）"
    return Finding(
        rule.id, rule.family, status, f"{what}：{verdict}" + (f"。{note}" if note else ""), outcome.expected, outcome.actual,
        outcome.difference, outcome.tolerance, "%", tables_of(quantities), where_of(quantities), evidence_of(quantities),
        refs_of(quantities),
    )


def not_applicable(rule: Rule, reason: str, tables: Iterable[str] = ()) -> Finding:
    return Finding(rule.id, rule.family, NOT_APPLICABLE, f"不适用：{reason}", tables=",".join(tables))


# --------------------------------------------------------------------------- engine


def applicability(ctx: Context, rule: Rule) -> str | None:
    """Why a rule does not apply (``None`` when it does)."""
    if not rule.tables:
        return None
    missing = [t for t in rule.tables if not ctx.present(t)]
    empty = [t for t in rule.tables if ctx.present(t) and not ctx.printed(t)]
    usable = [t for t in rule.tables if t not in missing and t not in empty]
    if rule.needs == "any" and usable:
        return None
    if rule.needs == "all" and not missing and not empty:
        return None
    reasons = []
    if missing:
        reasons.append("未印表 " + "、".join(ctx.title(t) for t in missing))
    if empty:
        reasons.append("表为空 " + "、".join(ctx.title(t) for t in empty))
    return "；".join(reasons) or "无可用数据"


def run_checks(document: Document, tidy: pd.DataFrame, rules=None) -> pd.DataFrame:
    """Run every rule on a document.

    Args:
        document: The document as read (any reader).
        tidy: Its tidy frame.
        rules: The rules to run (default: :data:`budgetkit.checks.catalog.RULES`).

    Returns:
        The findings: one row per comparison run, with :data:`FINDING_COLUMNS`, errors first.
    """
    from budgetkit.checks.catalog import RULES

    ctx = Context(document, tidy)
    rows: list[dict] = []
    for rule in rules or RULES:
        func = implementation(rule.id)
        reason = applicability(ctx, rule)
        if reason is not None and not getattr(func, "handles_absent", False):
            rows.append(not_applicable(rule, reason, rule.tables).record(ctx.doc_id))
            continue
        try:
            found = list(func(ctx, rule)) if func else [Finding(rule.id, rule.family, WARNING, "规则未实现")]
        except Exception as exc:  # one broken rule never hides the others
            found = [Finding(rule.id, rule.family, WARNING, f"规则运行失败（请报告）：{type(exc).__name__}: {exc}",
                             evidence=traceback.format_exc(limit=2)[-300:])]
        if not found:
            found = [not_applicable(rule, "没有可比的数据", rule.tables)]
        if rule.family == "across_tables":
            _systematic_to_unreadable(found)
        rows.extend(f.record(ctx.doc_id) for f in found)
    _not_on_unread_tables(document, rows)
    frame = pd.DataFrame(rows, columns=FINDING_COLUMNS)
    return sort_findings(frame)


#: A rule comparing two tables line by line that fails on more than this share of its lines
#: (and on at least ``SYSTEMATIC_MIN`` of them) reads the two tables under a model that does not
#: fit this template (columns or rows meaning something else): its failures are ``unreadable``.
SYSTEMATIC_SHARE = 0.5
SYSTEMATIC_MIN = 2


def _systematic_to_unreadable(found: list[Finding]) -> None:
    compared = [f for f in found if f.status not in (NOT_APPLICABLE,)]
    failed = [f for f in compared if f.status == ERROR]
    if len(failed) >= SYSTEMATIC_MIN and len(failed) > SYSTEMATIC_SHARE * len(compared):
        for f in failed:
            f.status = UNREADABLE
            f.message += f"（未可靠读取，不作错误报告：两表在 {len(failed)}/{len(compared)} 处不符，多半是表的口径或列的含义与模型不同）"


def unreliable_tables(document: Document, rows: list[dict]) -> dict[str, str]:
    """Tables whose numbers were not read reliably, with the reason.

    A table is unreliable when amounts printed in it did not all arrive (the reading measure),
    or when one of its own identities fails on most of its rows (a layout misread).
    """
    out: dict[str, str] = {}
    for table_id, entry in (document.reading or {}).get("tables", {}).items():
        if not entry.get("complete", True):
            out[table_id] = f"只读到 {entry.get('read', 0)}/{entry.get('printed', 0)} 个所印金额"
    for row in rows:
        if row["family"] == "within_table" and row["status"] == UNREADABLE:
            for table_id in str(row["tables"]).split(","):
                out.setdefault(table_id, "表内恒等式在多数行不成立")
    return out


def _not_on_unread_tables(document: Document, rows: list[dict]) -> None:
    """A failed comparison involving a table not read reliably is ``unreadable``, not ``error``:
    a number we could not read reliably is never reported as the publisher's error."""
    unreliable = unreliable_tables(document, rows)
    if not unreliable:
        return
    for row in rows:
        if row["status"] != ERROR:
            continue
        bad = [t for t in str(row["tables"]).split(",") if t in unreliable]
        if bad:
            reason = "；".join(f"{document.tables[t].title if t in document.tables else t}：{unreliable[t]}" for t in bad)
            row.update(status=UNREADABLE, severity=SEVERITY[UNREADABLE], passed=PASSED[UNREADABLE],
                       message=f"{row['message']}（未可靠读取，不作错误报告：{reason}）")


def sort_findings(frame: pd.DataFrame) -> pd.DataFrame:
    """Errors first, then warnings, rounding, info; catalog order within each severity."""
    if frame.empty:
        return frame.reset_index(drop=True)
    order = frame["severity"].map(SEVERITY_ORDER).fillna(9)
    return frame.assign(_o=order, _i=range(len(frame))).sort_values(["_o", "_i"]).drop(columns=["_o", "_i"]).reset_index(drop=True)


def write_findings(findings: pd.DataFrame, out_dir: Path) -> None:
    """Write ``findings.csv`` and ``findings.parquet`` into ``out_dir``."""
    out_dir = Path(out_dir)
    frame = findings.astype({c: "string" for c in FINDING_COLUMNS if c != "passed"})
    frame["passed"] = findings["passed"].astype(bool)
    from budgetkit.processed import DocumentFolder, write_csv

    where = DocumentFolder(out_dir)
    write_csv(frame, where.findings_csv)
    frame.to_parquet(where.findings_parquet, index=False)


def read_findings(out_dir: Path) -> pd.DataFrame:
    """Read a document's findings (parquet, else CSV), statuses in today's vocabulary."""
    from budgetkit.processed import DocumentFolder, read_csv

    where = DocumentFolder(out_dir)
    if where.findings_parquet.exists():
        frame = pd.read_parquet(where.findings_parquet)
    else:
        frame = read_csv(where.findings_csv).assign(passed=lambda f: f["passed"].str.lower() == "true")
    for column in FINDING_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    frame["status"] = frame["status"].map(normalise)
    return frame


def summary_counts(findings: pd.DataFrame) -> pd.DataFrame:
    """Counts of findings by family and severity (rows: family; columns: severities)."""
    table = pd.crosstab(findings["family"], findings["severity"]) if not findings.empty else pd.DataFrame()
    for sev in SEVERITY_ORDER:
        if sev not in table.columns:
            table[sev] = 0
    return table[list(SEVERITY_ORDER)].reindex([f for f in FAMILIES if f in table.index] + [f for f in table.index if f not in FAMILIES])


def print_check_summary(out_dir: Path, stream=None) -> int:
    """Print counts by severity and family, then each error and warning with where to look.

    Returns:
        1 if any error was found, else 0.
    """
    import sys

    stream = stream or sys.stdout
    out_dir = Path(out_dir)
    from budgetkit.processed import DocumentFolder

    if not DocumentFolder(out_dir).has_findings():
        print(f"{out_dir.name}: no findings written (checks did not run)", file=stream)
        return 0
    findings = read_findings(out_dir)
    counts = findings["severity"].value_counts()
    print(f"{out_dir.name}: {len(findings)} checks — " + ", ".join(f"{s} {int(counts.get(s, 0))}" for s in SEVERITY_ORDER), file=stream)
    print(summary_counts(findings).to_string(), file=stream)
    from budgetkit.checks.coverage import format_coverage, read_coverage

    coverage, _ = read_coverage(out_dir)
    if coverage is not None:
        print(format_coverage(coverage), file=stream)
    for severity in ("error", "warning"):
        rows = findings[findings["severity"] == severity]
        if rows.empty:
            continue
        print(f"\n{severity.upper()} ({len(rows)}):", file=stream)
        for _, row in rows.iterrows():
            print(f"  [{row['rule_id']}] {row['message']}", file=stream)
            if row["location"]:
                print(f"      at: {row['location']}", file=stream)
    return 1 if (findings["severity"] == "error").any() else 0
