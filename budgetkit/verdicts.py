"""The checks' verdict on a printed number, for any page that shows the number.

Figures and comparisons do not judge numbers themselves: they ask here what the checks found
about the cells they draw. :class:`Verdicts` indexes a document's findings by the table cells
they rest on (``refs`` of :mod:`budgetkit.checks.engine`) — and by the narrative numbers those
cells were held against, so a share stated beside an amount (``公共安全支出11,463.36万元，占
93.42%``) reaches the cell too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterable

import pandas as pd

from budgetkit.status import STATUS_ORDER, label, normalise, worst

Cell = tuple[str, int, str]


@dataclass
class Verdict:
    """What the checks say about one or more cells."""

    status: str | None
    findings: list[dict] = field(default_factory=list)
    stated: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return label(self.status) if self.status else "未核对"

    @property
    def summary(self) -> str:
        """``相符 · 3 项核对`` — the worst status and how many checks rest on the number."""
        if not self.findings:
            return "无核对"
        return f"{self.label} · {len(self.findings)} 项核对"


def _refs(value) -> list[dict]:
    if not isinstance(value, str) or not value:
        return []
    try:
        refs = json.loads(value)
    except ValueError:
        return []
    return refs if isinstance(refs, list) else []


def _cell(ref: dict) -> Cell | None:
    if ref.get("table_id") is None or ref.get("row_number") is None:
        return None
    return (str(ref["table_id"]), int(ref["row_number"]), str(ref["column_id"]))


def _narrative_key(ref: dict) -> tuple | None:
    """A narrative number: file, line and text as printed."""
    if _cell(ref) is not None or ref.get("line") is None:
        return None
    return (ref.get("file"), ref.get("page"), ref.get("line"), ref.get("text"))


class Verdicts:
    """A document's findings, indexed by the cells they rest on.

    Args:
        findings: The findings frame (:func:`budgetkit.checks.read_findings`), or ``None``.
    """

    def __init__(self, findings: pd.DataFrame | None):
        self.findings = findings if findings is not None else pd.DataFrame()
        self._by_cell: dict[Cell, list[int]] = {}
        self._by_narrative: dict[tuple, list[int]] = {}
        self._records = self.findings.to_dict("records") if len(self.findings) else []
        for position, record in enumerate(self._records):
            record["status"] = normalise(record.get("status"))
            for ref in _refs(record.get("refs")):
                cell = _cell(ref)
                if cell is not None:
                    self._by_cell.setdefault(cell, []).append(position)
                key = _narrative_key(ref)
                if key is not None:
                    self._by_narrative.setdefault(key, []).append(position)

    def __bool__(self) -> bool:
        return bool(self._records)

    def of(self, cells: Iterable[Cell]) -> Verdict:
        """The verdict on some cells: every finding resting on them, and on the narrative numbers
        held against them (the 占…% stated with an amount)."""
        positions: list[int] = []
        for cell in cells:
            positions.extend(self._by_cell.get(tuple(cell), []))
        stated: list[str] = []
        for position in list(positions):
            for ref in _refs(self._records[position].get("refs")):
                key = _narrative_key(ref)
                if key is None:
                    continue
                where = f"p.{key[1]} " if key[1] else ""
                stated.append(f"{ref.get('text')}{ref.get('unit') if ref.get('unit') not in (None, '%') else ''}（说明 {where}第{key[2]}行）")
                positions.extend(self._by_narrative.get(key, []))
        positions = sorted(set(positions), key=lambda p: (STATUS_ORDER.get(self._records[p]["status"], 99), p))
        records = [self._records[p] for p in positions]
        return Verdict(worst(r["status"] for r in records), records, list(dict.fromkeys(stated)))

    def frame(self, cells_per_row: list[list[Cell]]) -> pd.DataFrame:
        """Verdict columns for rows of drawn numbers: ``核对`` (status), ``核对说明``, ``说明所述``."""
        rows = []
        for cells in cells_per_row:
            verdict = self.of(cells)
            rows.append({
                "status": verdict.status,
                "核对": verdict.summary,
                "核对说明": "；".join(str(r["message"]) for r in verdict.findings[:3]) + ("…" if len(verdict.findings) > 3 else ""),
                "说明所述": "、".join(verdict.stated),
            })
        return pd.DataFrame(rows, columns=["status", "核对", "核对说明", "说明所述"])
