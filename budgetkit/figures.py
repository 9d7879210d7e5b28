"""Redraw the figures a 部门预算公开 prints, from its tidy data, deterministically.

Every figure function takes the tidy DataFrame of **one document** (all its tables, as written
by :func:`budgetkit.tidy.tidy_table` and concatenated) and returns a
:class:`matplotlib.figure.Figure` — or ``None`` when the table it needs is not printed or
printed empty, so that a report can say "not printed in this disclosure". Each figure states
its unit and its source table in a footnote (``单位：万元 · 来源：…``).

The numbers behind each figure come from :func:`figure_data`: one row a drawn element with the
exact amount (:class:`~decimal.Decimal`, in the printed unit), the share in percent computed
exactly and rounded half-up to 0.01, and — when the narrative's own numbers are passed in —
the stated amount/share beside it, so a report can print "printed vs recomputed".

Fonts: :func:`use_cjk_font` registers the OFL-licensed *Noto Sans CJK SC* shipped with the
``mplfonts`` package with matplotlib's font manager. Nothing global is changed: figures are
built inside :func:`figure_rc_context` and every text artist carries its font properties, so
no system CJK font, no ``matplotlibrc`` and no ``mplfonts init`` are needed.

Determinism: fixed figure sizes and manual axes placement (no tight/constrained layout), sorted
input, fixed colours, ``svg.hashsalt`` and no date metadata — :func:`save_figure` writes the
same PNG/SVG bytes for the same data.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

import matplotlib
import matplotlib.ticker
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, fontManager
from matplotlib.patches import Patch

from budgetkit.amounts import as_decimal
from budgetkit.catalog import fold, load_catalog

__all__ = [
    "FIGURES",
    "FigureSpec",
    "appropriation_structure_by_class",
    "basic_vs_project",
    "cjk_font_path",
    "figure_data",
    "figure_rc_context",
    "function_classification",
    "income_sources",
    "personnel_vs_public",
    "projects_by_amount",
    "projects_by_unit",
    "save_figure",
    "three_public_distribution",
    "use_cjk_font",
]

#: The bundled OFL font (Noto Sans CJK SC) inside the ``mplfonts`` package.
CJK_FONT_PACKAGE = "mplfonts"
CJK_FONT_FILE = "fonts/NotoSansCJKsc-Regular.otf"

#: Fixed salt for the ids matplotlib writes into SVG files.
SVG_HASH_SALT = "budgetkit"

FIG_WIDTH_IN = 8.0
DPI = 100
TITLE_SIZE_PT = 14.0
SUBTITLE_SIZE_PT = 10.0
LABEL_SIZE_PT = 9.0
FOOTNOTE_SIZE_PT = 8.0

#: Colour-blind friendly palette (Okabe–Ito without yellow, then Tol's muted), in drawing order.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#882255",
    "#44AA99",
    "#999933",
    "#332288",
    "#AA4499",
    "#117733",
)
#: Colour of parts beyond the palette and of aggregated rests (其余…).
OTHER_COLOUR = "#9A9A9A"
TEXT_COLOUR = "#222222"
MUTED_COLOUR = "#555555"

_HUNDREDTH = Decimal("0.01")
_HUNDRED = Decimal(100)
_ORDINAL_PREFIX_RE = re.compile(r"^(?:[（(]?[一二三四五六七八九十]+[）)、.．]|[（(]?\d{1,2}[）)、.．]|[①②③④⑤⑥⑦⑧⑨⑩])+")

THREE_PUBLIC_ITEMS = ("因公出国（境）费", "公务接待费", "公务用车购置费", "公务用车运行维护费")
INCOME_SOURCE_COLUMNS = (
    "fiscal_appropriation",  # 财政拨款收入 (Shanghai): dropped when its parts are printed too
    "general_public_budget",
    "government_fund",
    "state_capital",
    "special_account",
    "unit_funds",
    "carryover",
    "business_income",
    "operating_income",
    "other_income",
)


# --------------------------------------------------------------------------- fonts and rc


def cjk_font_path() -> Path:
    """The path of the bundled Noto Sans CJK SC font file (no network, no ``mplfonts init``).

    Raises:
        FileNotFoundError: ``mplfonts`` is installed without its font files.
    """
    path = Path(str(resources.files(CJK_FONT_PACKAGE).joinpath(CJK_FONT_FILE)))
    if not path.is_file():
        raise FileNotFoundError(f"CJK font not found at {path}; reinstall mplfonts")
    return path


@lru_cache(maxsize=1)
def use_cjk_font() -> FontProperties:
    """Register the bundled CJK font with matplotlib's font manager and return it.

    Only the in-process font list is extended (``fontManager.addfont``); rcParams and the
    user's ``matplotlibrc`` are left alone. Use the result as ``fontproperties=`` or its
    ``get_name()`` as a font family.

    Returns:
        Font properties naming the registered family (``"Noto Sans CJK SC"``).
    """
    path = cjk_font_path()
    fontManager.addfont(str(path))
    name = FontProperties(fname=str(path)).get_name()
    return FontProperties(family=name)


def figure_rc() -> dict[str, Any]:
    """The rcParams budgetkit's figures are built and saved with (used via ``rc_context``)."""
    family = use_cjk_font().get_family()[0]
    return {
        "font.family": [family, "DejaVu Sans"],
        "font.size": LABEL_SIZE_PT,
        "axes.unicode_minus": False,
        "svg.hashsalt": SVG_HASH_SALT,
        "svg.fonttype": "path",
        "svg.id": None,
        "path.simplify": True,
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
        "text.color": TEXT_COLOUR,
        "axes.edgecolor": "#888888",
        "axes.labelcolor": TEXT_COLOUR,
        "xtick.color": MUTED_COLOUR,
        "ytick.color": MUTED_COLOUR,
        "legend.frameon": False,
        "hatch.color": "#888888",
    }


@contextmanager
def figure_rc_context() -> Iterator[None]:
    """A ``matplotlib.rc_context`` with :func:`figure_rc`; restores everything on exit."""
    with matplotlib.rc_context(figure_rc()):
        yield


def save_figure(fig: Figure, path: str | Path, *, fmt: str | None = None) -> Path:
    """Write a figure as PNG or SVG, byte-for-byte repeatable.

    Args:
        fig: A figure from this module (or any matplotlib figure).
        path: Target file; parent directories are created.
        fmt: ``"png"`` or ``"svg"``; by default taken from the file suffix.

    Returns:
        The path written.

    Raises:
        ValueError: Another format was asked for.
    """
    if hasattr(path, "write"):  # a binary buffer: the notebooks embed PNG bytes
        with figure_rc_context():
            fig.savefig(path, format=fmt or "png", dpi=DPI, metadata={"Software": "budgetkit (matplotlib)"}, facecolor="white")
        return path
    target = Path(path)
    fmt = (fmt or target.suffix.lstrip(".")).lower()
    if fmt not in {"png", "svg"}:
        raise ValueError(f"save_figure writes png or svg, not {fmt!r}")
    target.parent.mkdir(parents=True, exist_ok=True)
    metadata = {"Date": None} if fmt == "svg" else {"Software": "budgetkit (matplotlib)"}
    with figure_rc_context():
        fig.savefig(target, format=fmt, dpi=DPI, metadata=metadata, facecolor="white")
    return target


# --------------------------------------------------------------------------- figure data


@dataclass
class FigureData:
    """The numbers one figure draws, with what the footnote says about them.

    Attributes:
        figure_id: Name of the figure function.
        title: The figure title (the one the disclosure prints where it has one).
        unit: The printed unit of the amounts (``"万元"``/``"元"``) or ``None``.
        source_table_id: Canonical id of the source table.
        source_title: The source table's title as printed (else the catalog title).
        rows: One row per drawn element, see :func:`figure_data`.
        total_printed: The total as printed in the source table, if any.
        notes: Extra footnote lines (blank cells, fallbacks used).
    """

    figure_id: str
    title: str
    unit: str | None
    source_table_id: str
    source_title: str
    rows: list[dict[str, Any]]
    total_printed: Decimal | None = None
    notes: list[str] = field(default_factory=list)
    subtitle: str | None = None

    @property
    def total_recomputed(self) -> Decimal:
        return sum((r["amount"] for r in self.rows if r["amount"] is not None), Decimal(0))

    def frame(self) -> pd.DataFrame:
        columns = ["label", "group", "amount", "amount_text", "share_pct", "share_text"]
        extra = [c for c in ("recomputed", "stated_amount", "stated_share_pct", "agrees") if any(c in r for r in self.rows)]
        df = pd.DataFrame([{c: r.get(c) for c in columns + extra} for r in self.rows], columns=columns + extra)
        df = df.astype(object)
        df.attrs.update(
            {
                "figure_id": self.figure_id,
                "title": self.title,
                "unit": self.unit,
                "source_table_id": self.source_table_id,
                "source_title": self.source_title,
                "total_printed": self.total_printed,
                "total_recomputed": self.total_recomputed,
                "notes": list(self.notes),
                "subtitle": self.subtitle,
            }
        )
        return df


def share_pct(part: Decimal, whole: Decimal) -> Decimal:
    """``part / whole`` in percent, exact, rounded half-up to 0.01 (``Decimal("93.42")``)."""
    if whole == 0:
        return Decimal("0.00")
    return (part * _HUNDRED / whole).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)


def format_amount(amount: Decimal | None) -> str:
    """``Decimal("11463.36")`` → ``"11,463.36"``; ``None`` → ``"—"``."""
    if amount is None:
        return "—"
    return f"{amount.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP):,.2f}"


def _clean_label(text: Any) -> str:
    label = unicodedata.normalize("NFKC", str(text or "")).strip()
    label = re.sub(r"\s+", "", label)
    label = label.replace("(", "（").replace(")", "）")
    stripped = _ORDINAL_PREFIX_RE.sub("", label)
    return stripped or label


def _table(tidy: pd.DataFrame, table_id: str) -> pd.DataFrame:
    if tidy is None or len(tidy) == 0 or "table_id" not in tidy.columns:
        return tidy.iloc[0:0] if tidy is not None else pd.DataFrame()
    rows = tidy[tidy["table_id"] == table_id].copy()
    # A CSV read as text gives "10" < "2"; order rows by their number, not its spelling.
    rows["row_number"] = pd.to_numeric(rows["row_number"])
    return rows.sort_values(["row_number", "column_id"], kind="stable")


def _column(rows: pd.DataFrame, column_id: str) -> pd.DataFrame:
    return rows[rows["column_id"] == column_id]


def _amount(row: Mapping[str, Any]) -> Decimal | None:
    return as_decimal(row.get("amount"))


def _none_if_na(value: Any) -> Any:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _has_amounts(rows: pd.DataFrame) -> bool:
    return len(rows) > 0 and any(_amount(r) is not None for r in rows.to_dict("records"))


def _unit_of(rows: pd.DataFrame) -> str | None:
    units = [u for u in rows.get("unit", pd.Series(dtype=object)).tolist() if _none_if_na(u)]
    return units[0] if units else None


def _title_of(rows: pd.DataFrame, table_id: str) -> str:
    titles = [t for t in rows.get("table_title", pd.Series(dtype=object)).tolist() if _none_if_na(t)]
    if titles:
        return re.sub(r"\s+", "", str(titles[0]))
    return load_catalog().table(table_id).title


def _total_row_amount(rows: pd.DataFrame) -> Decimal | None:
    for record in rows.to_dict("records"):
        if record.get("row_kind") == "total":
            amount = _amount(record)
            if amount is not None:
                return amount
    return None


def _with_shares(rows: list[dict[str, Any]], whole: Decimal | None = None) -> list[dict[str, Any]]:
    total = whole if whole is not None else sum((r["amount"] for r in rows if r["amount"] is not None), Decimal(0))
    for r in rows:
        r["amount_text"] = format_amount(r["amount"]) if r["amount"] is not None else ""
        if r["amount"] is None or total == 0:
            r["share_pct"] = None
            r["share_text"] = ""
        else:
            r["share_pct"] = share_pct(r["amount"], total)
            r["share_text"] = f"{r['share_pct']}%"
    return rows


def _label_matches(key: str, label: str) -> bool:
    a, b = fold(_clean_label(key)), fold(_clean_label(label))
    return bool(a and b) and (a == b or a in b or b in a)


def _apply_stated(
    data: FigureData,
    stated_amounts: Mapping[str, Any] | None,
    stated_shares_pct: Mapping[str, Any] | None,
) -> FigureData:
    """Put the narrative's numbers beside the recomputed ones (exact label match wins)."""
    for stated, key_amount, key_recomputed in (
        (stated_amounts, "stated_amount", "amount"),
        (stated_shares_pct, "stated_share_pct", "share_pct"),
    ):
        if not stated:
            continue
        for row in data.rows:
            row.setdefault(key_amount, None)
        for key, value in stated.items():
            candidates = [r for r in data.rows if fold(_clean_label(key)) == fold(_clean_label(r["label"]))]
            candidates = candidates or [r for r in data.rows if _label_matches(key, r["label"])]
            if not candidates:
                data.notes.append(f"说明所列“{key}”在图中无对应项")
                continue
            candidates[0][key_amount] = as_decimal(value)
        for row in data.rows:
            if row[key_amount] is None:
                continue
            recomputed = row[key_recomputed] if row[key_recomputed] is not None else Decimal(0)
            agrees = row[key_amount] == recomputed
            row["agrees"] = agrees if row.get("agrees") is None else (row["agrees"] and agrees)
            if not agrees:
                shown = f"{row[key_amount]}%" if key_amount == "stated_share_pct" else format_amount(row[key_amount])
                recomputed_text = f"{recomputed}%" if key_amount == "stated_share_pct" else format_amount(recomputed)
                data.notes.append(f"说明与表不一致：{row['label']} 说明 {shown}，表算 {recomputed_text}")
    for row in data.rows:
        if any(k in row for k in ("stated_amount", "stated_share_pct")):
            row.setdefault("agrees", None)
    return data


# -- data builders, one per figure ------------------------------------------------------


def _data_appropriation_structure_by_class(tidy: pd.DataFrame) -> FigureData | None:
    table_id = "general_expenditure"
    rows = _column(_table(tidy, table_id), "total")
    if not _has_amounts(rows):
        return None
    classes = [r for r in rows.to_dict("records") if r.get("code_level") == "类" and _amount(r)]
    if not classes:
        return None
    drawn = [
        {"label": _clean_label(r["item"]), "group": r["code"], "code": r["code"], "amount": _amount(r)}
        for r in classes
    ]
    drawn.sort(key=lambda r: (-r["amount"], r["code"] or ""))
    printed_total = _total_row_amount(rows)
    data = FigureData(
        "appropriation_structure_by_class",
        "一般公共预算当年拨款结构图",
        _unit_of(rows),
        table_id,
        _title_of(rows, table_id),
        drawn,
        total_printed=printed_total,
    )
    # Shares of the printed total (what the narrative quotes); the recomputed sum of the
    # 类 rows when the table prints no 合计.
    _with_shares(drawn, printed_total if printed_total else None)
    return data


def _three_public_key(item: str) -> str | None:
    name = fold(_clean_label(item))
    if "出国" in name:
        return "因公出国（境）费"
    if "接待" in name:
        return "公务接待费"
    if "购置" in name and "运行" in name:
        return "公务用车购置及运行费"
    if "购置" in name:
        return "公务用车购置费"
    if "运行" in name:
        return "公务用车运行维护费"
    return None


def _data_three_public_distribution(tidy: pd.DataFrame) -> FigureData | None:
    table_id = "three_public"
    table = _table(tidy, table_id)
    rows = _column(table, "total")
    if not _has_amounts(rows):
        rows = _column(table, "general_public_budget")
    if len(rows) == 0:
        return None
    found: dict[str, dict[str, Any]] = {}
    for record in rows.to_dict("records"):
        if record.get("row_kind") == "total":
            continue
        key = _three_public_key(record.get("item") or "")
        if key and key not in found:
            found[key] = record
    if not found:
        return None
    notes: list[str] = []
    keys = list(THREE_PUBLIC_ITEMS)
    if "公务用车购置费" not in found and "公务用车运行维护费" not in found and "公务用车购置及运行费" in found:
        keys = ["因公出国（境）费", "公务接待费", "公务用车购置及运行费"]
        notes.append("表中公务用车购置费与运行维护费未分列")
    drawn = []
    blank = False
    for key in keys:
        record = found.get(key)
        amount = _amount(record) if record is not None else None
        blank = blank or amount is None
        drawn.append({"label": key, "group": None, "amount": amount})
    if all(r["amount"] is None for r in drawn):
        return None
    if blank:
        notes.append("“—”：表中该项空白或未列")
    data = FigureData(
        "three_public_distribution",
        "三公经费分布图",
        _unit_of(rows),
        table_id,
        _title_of(rows, table_id),
        drawn,
        total_printed=_total_row_amount(rows),
        notes=notes,
    )
    _with_shares(drawn)
    return data


def _two_part(
    tidy: pd.DataFrame,
    figure_id: str,
    title: str,
    table_ids: Iterable[str],
    parts: tuple[tuple[str, str], ...],
) -> FigureData | None:
    for table_id in table_ids:
        table = _table(tidy, table_id)
        drawn = []
        for column_id, label in parts:
            col = _column(table, column_id)
            amount = _total_row_amount(col)
            if amount is None:
                # No 合计 row: add up the top-level (类) rows.
                tops = [r for r in col.to_dict("records") if r.get("code_level") == "类"]
                amounts = [_amount(r) for r in tops if _amount(r) is not None]
                amount = sum(amounts, Decimal(0)) if amounts else None
            drawn.append({"label": label, "group": None, "amount": amount})
        if any(r["amount"] for r in drawn):
            total_col = _column(table, "total")
            data = FigureData(
                figure_id,
                title,
                _unit_of(table),
                table_id,
                _title_of(table, table_id),
                drawn,
                total_printed=_total_row_amount(total_col),
            )
            _with_shares(drawn)
            return data
    return None


def _data_basic_vs_project(tidy: pd.DataFrame) -> FigureData | None:
    return _two_part(
        tidy,
        "basic_vs_project",
        "基本支出与项目支出",
        ("expenditure", "general_expenditure"),
        (("basic", "基本支出"), ("project", "项目支出")),
    )


def _data_personnel_vs_public(tidy: pd.DataFrame) -> FigureData | None:
    return _two_part(
        tidy,
        "personnel_vs_public",
        "基本支出：人员经费与公用经费",
        ("general_basic_economic",),
        (("personnel", "人员经费"), ("public", "公用经费")),
    )


# -- projects ---------------------------------------------------------------------------


@dataclass
class _ProjectRow:
    row_number: int
    item: str
    amount: Decimal | None
    unit: str | None = None
    is_unit: bool = False
    is_department: bool = False


def _unit_names(tidy: pd.DataFrame) -> set[str]:
    rows = _table(tidy, "admin_operation")
    names = set()
    records = rows.drop_duplicates("row_number").to_dict("records")
    if any(isinstance(r.get("code"), str) and r.get("row_kind") != "total" for r in records):
        return set()  # broken down by economic class (302 商品和服务支出 …), not by unit
    for record in records:
        if record.get("row_kind") == "total" or not record.get("item"):
            continue
        names.add(fold(record["item"]))
    return names


def _structural_groups(amounts: list[Decimal], candidates: list[int]) -> dict[int, int]:
    """Rows whose amount equals the sum of the next ≥2 candidate rows: {group index: end}.

    ``candidates`` are the indices still treated as leaves. Greedy, left to right.
    """
    groups: dict[int, int] = {}
    position = 0
    while position < len(candidates):
        start = candidates[position]
        running = Decimal(0)
        end = None
        for offset, index in enumerate(candidates[position + 1 :], start=1):
            running += amounts[index]
            if running == amounts[start] and offset >= 2:
                end = offset
                break
            if running > amounts[start] and amounts[start] >= 0:
                break
        if end is not None and amounts[start] != 0:
            groups[start] = position + end
            position += end + 1
        else:
            position += 1
    return groups


def _project_rows(tidy: pd.DataFrame, table_id: str = "project_current") -> tuple[list[_ProjectRow], pd.DataFrame]:
    """The rows of a project table, each marked as department row, unit row or project.

    Unit rows are the rows named like a unit of the 机关运行经费 table; without that table (or
    when it names none of the rows) a row whose amount equals the sum of the rows that follow it
    is a unit row, and a row that equals the sum of all unit rows is the department row.
    """
    rows = _column(_table(tidy, table_id), "total")
    records = [
        r
        for r in rows.to_dict("records")
        if r.get("row_kind") != "total" and r.get("item") and not re.fullmatch(r"\d+", str(r["item"]))
    ]
    out = [_ProjectRow(int(r["row_number"]), _clean_label(r["item"]), _amount(r)) for r in records]
    if not out:
        return out, rows
    amounts = [r.amount if r.amount is not None else Decimal(0) for r in out]
    names = _unit_names(tidy)
    unit_index = [i for i, r in enumerate(out) if fold(r.item) in names]
    if unit_index:
        # Units the 机关运行经费 table does not list (事业单位) still add up.
        leaves = [i for i in range(len(out)) if i not in unit_index]
        for start in _structural_groups(amounts, leaves):
            if start > unit_index[0]:
                unit_index.append(start)
        unit_index.sort()
    else:
        groups = _structural_groups(amounts, list(range(len(out))))
        unit_index = sorted(groups)
    for i in unit_index:
        out[i].is_unit = True
    unit_sum = sum((amounts[i] for i in unit_index), Decimal(0))
    for i, row in enumerate(out):
        if row.is_unit or (unit_index and i > unit_index[0]):
            continue
        if unit_index and amounts[i] == unit_sum:
            row.is_department = True
    # A single unit whose amount is the sum of everything else is the department itself.
    if len(unit_index) == 1 and unit_index[0] == 0:
        rest = sum(amounts[1:], Decimal(0))
        if amounts[0] == rest:
            out[0].is_unit = False
            out[0].is_department = True
            unit_index = []
    current: str | None = None
    for row in out:
        if row.is_department:
            continue
        if row.is_unit:
            current = row.item
            row.unit = current
        else:
            row.unit = current
    return out, rows


def _data_projects_by_amount(tidy: pd.DataFrame, top_n: int | None = 30) -> FigureData | None:
    table_id = "project_current"
    project_rows, rows = _project_rows(tidy, table_id)
    projects = [r for r in project_rows if not r.is_unit and not r.is_department and r.amount]
    if not projects:
        return None
    projects.sort(key=lambda r: (-r.amount, r.row_number))
    drawn = [{"label": r.item, "group": r.unit, "amount": r.amount, "row_number": r.row_number} for r in projects]
    notes = []
    if top_n is not None and len(drawn) > top_n:
        rest = drawn[top_n:]
        drawn = drawn[:top_n] + [
            {
                "label": f"其余{len(rest)}个项目",
                "group": None,
                "amount": sum((r["amount"] for r in rest), Decimal(0)),
                "row_number": None,
            }
        ]
        notes.append(f"仅列金额最大的{top_n}个项目，其余合并")
    department = [r for r in project_rows if r.is_department]
    printed = _total_row_amount(rows)
    if printed is None and department:
        printed = department[0].amount
    n_projects = len(projects)
    data = FigureData(
        "projects_by_amount",
        "项目支出（按项目）",
        _unit_of(rows),
        table_id,
        _title_of(rows, table_id),
        drawn,
        total_printed=printed,
        notes=notes,
    )
    total = printed if printed is not None else data.total_recomputed
    data.subtitle = f"共{n_projects}个项目 · 合计 {format_amount(total)} {data.unit or ''}".rstrip()
    _with_shares(drawn)
    return data


def _data_projects_by_unit(tidy: pd.DataFrame) -> FigureData | None:
    table_id = "project_current"
    project_rows, rows = _project_rows(tidy, table_id)
    units = [r for r in project_rows if r.is_unit]
    if not units:
        return None
    drawn = []
    for unit in units:
        recomputed = sum(
            (r.amount for r in project_rows if r.unit == unit.item and not r.is_unit and r.amount is not None),
            Decimal(0),
        )
        drawn.append(
            {
                "label": unit.item,
                "group": unit.item,
                "amount": unit.amount,
                "recomputed": recomputed,
                "row_number": unit.row_number,
            }
        )
    drawn.sort(key=lambda r: (-(r["amount"] or Decimal(0)), r["row_number"]))
    department = [r for r in project_rows if r.is_department]
    printed = _total_row_amount(rows)
    if printed is None and department:
        printed = department[0].amount
    notes = [
        f"{r['label']} 表列 {format_amount(r['amount'])}，项目合计 {format_amount(r['recomputed'])}"
        for r in drawn
        if r["amount"] != r["recomputed"]
    ]
    data = FigureData(
        "projects_by_unit",
        "项目支出（按单位）",
        _unit_of(rows),
        table_id,
        _title_of(rows, table_id),
        drawn,
        total_printed=printed,
        notes=notes,
    )
    _with_shares(drawn)
    return data


def _data_function_classification(tidy: pd.DataFrame, level: str = "款") -> FigureData | None:
    for table_id in ("general_expenditure", "expenditure"):
        rows = _column(_table(tidy, table_id), "total")
        records = [r for r in rows.to_dict("records") if r.get("code")]
        picked = [r for r in records if r.get("code_level") == level and _amount(r)]
        if not picked:
            continue
        class_names = {r["code"]: _clean_label(r["item"]) for r in records if r.get("code_level") == "类"}
        drawn = []
        for r in sorted(picked, key=lambda r: r["code"]):
            class_code = r["code"][:3]
            drawn.append(
                {
                    "label": f"{r['code']} {_clean_label(r['item'])}",
                    "group": f"{class_code} {class_names.get(class_code, '')}".strip(),
                    "code": r["code"],
                    "amount": _amount(r),
                }
            )
        printed = _total_row_amount(rows)
        data = FigureData(
            "function_classification",
            f"支出功能分类（{level}级）",
            _unit_of(rows),
            table_id,
            _title_of(rows, table_id),
            drawn,
            total_printed=printed,
        )
        _with_shares(drawn, printed if printed else None)
        return data
    return None


def _data_income_sources(tidy: pd.DataFrame) -> FigureData | None:
    catalog = load_catalog()
    table = _table(tidy, "income")
    drawn = []
    if _has_amounts(table):
        spec = catalog.table("income")
        printed = set(table["column_id"])
        for column_id in INCOME_SOURCE_COLUMNS:
            col = _column(table, column_id)
            if len(col) == 0:
                continue
            if column_id == "fiscal_appropriation" and printed & {"general_public_budget", "government_fund"}:
                continue  # a subtotal of parts drawn on their own
            amount = _total_row_amount(col)
            if amount is None:
                tops = [_amount(r) for r in col.to_dict("records") if r.get("code_level") == "类"]
                tops = [a for a in tops if a is not None]
                amount = sum(tops, Decimal(0)) if tops else None
            drawn.append({"label": spec.column(column_id).label, "group": None, "amount": amount})
        source_id, source = "income", table
    if not any(r["amount"] for r in drawn):
        drawn = []
        summary = _column(_table(tidy, "summary"), "income_amount")
        for record in summary.to_dict("records"):
            if record.get("row_kind") == "total" or not record.get("item"):
                continue
            if record.get("side") not in (None, "income"):
                continue
            drawn.append({"label": _clean_label(record["item"]), "group": None, "amount": _amount(record)})
        source_id, source = "summary", summary
    if not any(r["amount"] for r in drawn):
        return None
    # The grand total (收入总计) is printed in the summary table only.
    summary = _column(_table(tidy, "summary"), "income_amount")
    grand = [
        _amount(r)
        for r in summary.to_dict("records")
        if r.get("row_kind") == "total" and "总计" in fold(r.get("item") or "")
    ]
    data = FigureData(
        "income_sources",
        "收入预算构成",
        _unit_of(source),
        source_id,
        _title_of(source, source_id),
        drawn,
        total_printed=next((g for g in grand if g is not None), None),
    )
    _with_shares(drawn)
    return data


# --------------------------------------------------------------------------- drawing


def _text_width_em(text: str) -> float:
    """Width of a text in em: CJK and fullwidth characters 1, others about 0.55."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text)


def _wrap(text: str, width_em: float) -> str:
    lines, line, used = [], "", 0.0
    for char in text:
        w = _text_width_em(char)
        if used + w > width_em and line:
            lines.append(line)
            line, used = "", 0.0
        line += char
        used += w
    lines.append(line)
    return "\n".join(lines)


def _colour(index: int) -> str:
    return PALETTE[index] if index < len(PALETTE) else OTHER_COLOUR


def _new_figure(height_in: float) -> Figure:
    fig = Figure(figsize=(FIG_WIDTH_IN, height_in), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def _font(size_pt: float) -> FontProperties:
    """The CJK font at a size (the bundled font has a regular weight only)."""
    props = use_cjk_font().copy()
    props.set_size(size_pt)
    return props


def _frame_texts(fig: Figure, data: FigureData, subtitle: str | None, subject: str | None) -> None:
    """Title, subtitle and the unit/source footnote, placed in inches from the edges."""
    height_in = fig.get_figheight()
    title = f"{subject} {data.title}" if subject else data.title
    fig.text(0.25 / FIG_WIDTH_IN, 1 - 0.22 / height_in, title, fontproperties=_font(TITLE_SIZE_PT), va="top")
    if subtitle:
        fig.text(
            0.25 / FIG_WIDTH_IN,
            1 - 0.55 / height_in,
            subtitle,
            fontproperties=_font(SUBTITLE_SIZE_PT),
            color=MUTED_COLOUR,
            va="top",
        )
    unit = data.unit or "未注明"
    lines = [f"单位：{unit} · 来源：{data.source_title}"] + data.notes
    footnote = "\n".join(_wrap(line, (FIG_WIDTH_IN - 0.5) * 72 / FOOTNOTE_SIZE_PT - 2) for line in lines)
    fig.text(
        0.25 / FIG_WIDTH_IN,
        0.12 / height_in,
        footnote,
        fontproperties=_font(FOOTNOTE_SIZE_PT),
        color=MUTED_COLOUR,
        va="bottom",
        linespacing=1.4,
    )


def _footnote_height_in(data: FigureData) -> float:
    lines = 1 + len(data.notes)
    width_em = (FIG_WIDTH_IN - 0.5) * 72 / FOOTNOTE_SIZE_PT - 2
    wrapped = sum(_wrap(line, width_em).count("\n") for line in data.notes)
    return 0.2 + (lines + wrapped) * FOOTNOTE_SIZE_PT * 1.4 / 72


def _donut(data: FigureData, subtitle: str, subject: str | None) -> Figure:
    """A ring chart with a legend that carries label, share and amount of each part."""
    drawn = [r for r in data.rows if r["amount"] and r["amount"] > 0]
    undrawn = [r["label"] for r in data.rows if not (r["amount"] and r["amount"] > 0)]
    if undrawn:
        # Parts printed blank or zero stay in figure_data but get no swatch of their own.
        data = replace(data, notes=[*data.notes, f"空白或为零（未绘出）：{'、'.join(undrawn)}"])
    legend_rows = len(drawn)
    footnote_in = _footnote_height_in(data)
    chart_in = max(3.4, 0.32 * legend_rows + 0.8)
    height_in = 0.95 + chart_in + footnote_in
    fig = _new_figure(height_in)
    _frame_texts(fig, data, subtitle, subject)
    ring_in = min(chart_in - 0.2, 3.2)
    ax = fig.add_axes(
        (0.35 / FIG_WIDTH_IN, (footnote_in + (chart_in - ring_in) / 2) / height_in, ring_in / FIG_WIDTH_IN, ring_in / height_in)
    )
    colours = {id(r): _colour(i) for i, r in enumerate(drawn)}
    wedges, _ = ax.pie(
        [float(r["amount"]) for r in drawn],
        colors=[colours[id(r)] for r in drawn],
        startangle=90,
        counterclock=False,
        wedgeprops={"width": 0.38, "edgecolor": "white", "linewidth": 1.2},
    )
    for wedge, r in zip(wedges, drawn):
        if r["share_pct"] is not None and r["share_pct"] >= 8:
            angle = (wedge.theta1 + wedge.theta2) / 2
            x = 0.81 * math.cos(math.radians(angle))
            y = 0.81 * math.sin(math.radians(angle))
            ax.text(x, y, r["share_text"], ha="center", va="center", color="white", fontproperties=_font(LABEL_SIZE_PT))
    total = data.total_printed if data.total_printed is not None else data.total_recomputed
    ax.text(0, 0.08, "合计", ha="center", va="center", color=MUTED_COLOUR, fontproperties=_font(LABEL_SIZE_PT))
    ax.text(0, -0.1, format_amount(total), ha="center", va="center", fontproperties=_font(SUBTITLE_SIZE_PT + 2))
    ax.set_aspect("equal")
    ax.set_xlim(-1.05, 1.05)
    ax.set_ylim(-1.05, 1.05)
    ax.axis("off")
    handles = [Patch(facecolor=colours[id(r)], edgecolor="none") for r in drawn]
    labels = [f"{r['label']} {r['share_text']}（{format_amount(r['amount'])}）" for r in drawn]
    legend_left_in = 0.35 + ring_in + 0.35
    fig.legend(
        handles,
        [_wrap(label, 26) for label in labels],
        loc="center left",
        bbox_to_anchor=(legend_left_in / FIG_WIDTH_IN, (footnote_in + chart_in / 2) / height_in),
        prop=_font(LABEL_SIZE_PT + 1),
        handlelength=1.0,
        handleheight=1.0,
        labelspacing=0.8,
    )
    return fig


def _bars(
    data: FigureData,
    subtitle: str,
    subject: str | None,
    *,
    label_width_em: float = 16.0,
    colour_by_group: bool = False,
    value_texts: list[str] | None = None,
) -> Figure:
    """Horizontal bars, first row on top, value (and share) printed at the end of each bar."""
    rows = data.rows
    wrapped = [_wrap(r["label"], label_width_em) for r in rows]
    lines = [w.count("\n") + 1 for w in wrapped]
    bar_slot_in = [max(0.34, 0.17 * n + 0.12) for n in lines]
    groups = [r["group"] for r in rows]
    group_order = list(dict.fromkeys(g for g in groups if g))
    legend_cols = 2 if len(group_order) > 4 else 1
    legend_in = 0.2 + 0.2 * math.ceil(len(group_order) / legend_cols) if colour_by_group and len(group_order) > 1 else 0.0
    footnote_in = _footnote_height_in(data)
    plot_in = sum(bar_slot_in) + 0.2
    top_in = 0.95
    height_in = top_in + legend_in + plot_in + footnote_in + 0.4
    fig = _new_figure(height_in)
    _frame_texts(fig, data, subtitle, subject)
    label_col_in = min(max(_text_width_em(line) for w in wrapped for line in w.split("\n")) * LABEL_SIZE_PT / 72 + 0.3, 3.4)
    left_in = 0.25 + label_col_in
    right_in = 1.7
    ax = fig.add_axes(
        (
            left_in / FIG_WIDTH_IN,
            (footnote_in + 0.35) / height_in,
            (FIG_WIDTH_IN - left_in - right_in) / FIG_WIDTH_IN,
            plot_in / height_in,
        )
    )
    centres, edge = [], 0.0
    for slot in bar_slot_in:
        centres.append(edge + slot / 2)
        edge += slot
    heights = [min(0.24, slot * 0.7) for slot in bar_slot_in]
    values = [float(r["amount"]) if r["amount"] is not None else 0.0 for r in rows]
    if colour_by_group and group_order:
        colour_of = {g: _colour(i) for i, g in enumerate(group_order)}
        colours = [colour_of.get(g, OTHER_COLOUR) for g in groups]
    else:
        colours = [PALETTE[0]] * len(rows)
    ax.barh(centres, values, height=heights, color=colours)
    ax.set_ylim(edge + 0.1, -0.1)
    xmax = max(values) if values and max(values) > 0 else 1.0
    ax.set_xlim(0, xmax * 1.02)
    ax.set_yticks(centres)
    ax.set_yticklabels(wrapped, fontproperties=_font(LABEL_SIZE_PT), linespacing=1.3)
    ax.tick_params(axis="y", length=0, pad=6)
    ax.tick_params(axis="x", labelsize=FOOTNOTE_SIZE_PT)
    for tick in ax.get_xticklabels():
        tick.set_fontproperties(_font(FOOTNOTE_SIZE_PT))
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    texts = value_texts or [
        (f"{r['amount_text']}（{r['share_text']}）" if r["share_text"] else r["amount_text"]) if r["amount"] is not None else "—"
        for r in rows
    ]
    for centre, value, text in zip(centres, values, texts):
        ax.text(value + xmax * 0.01, centre, text, va="center", ha="left", fontproperties=_font(LABEL_SIZE_PT))
    if legend_in:
        handles = [Patch(facecolor=colour_of[g], edgecolor="none") for g in group_order]
        fig.legend(
            handles,
            group_order,
            loc="upper left",
            bbox_to_anchor=(0.25 / FIG_WIDTH_IN, 1 - (top_in - 0.05) / height_in),
            ncols=legend_cols,
            columnspacing=1.5,
            prop=_font(LABEL_SIZE_PT),
            handlelength=1.0,
            handleheight=1.0,
        )
    return fig


# --------------------------------------------------------------------------- public figures


def _build(
    builder: Callable[[pd.DataFrame], FigureData | None],
    tidy: pd.DataFrame,
    stated_amounts: Mapping[str, Any] | None,
    stated_shares_pct: Mapping[str, Any] | None,
    **kwargs: Any,
) -> FigureData | None:
    data = builder(tidy, **kwargs)
    if data is None:
        return None
    return _apply_stated(data, stated_amounts, stated_shares_pct)


def appropriation_structure_by_class(
    tidy: pd.DataFrame,
    *,
    stated_amounts: Mapping[str, Any] | None = None,
    stated_shares_pct: Mapping[str, Any] | None = None,
    subject: str | None = None,
) -> Figure | None:
    """一般公共预算当年拨款结构图: each 类's share of the 一般公共预算支出 total.

    Args:
        tidy: Tidy data of one document.
        stated_amounts: Amounts the narrative states, by label (``{"公共安全支出": "11463.36"}``),
            in the table's unit; disagreements are listed in the footnote.
        stated_shares_pct: Shares the narrative states in percent (``{"公共安全支出": "93.42"}``).
        subject: Optional prefix for the title (department, year).

    Returns:
        The figure, or ``None`` when the 一般公共预算支出表 is missing, empty or has no 类 rows.
    """
    data = _build(_data_appropriation_structure_by_class, tidy, stated_amounts, stated_shares_pct)
    if data is None:
        return None
    total = data.total_printed if data.total_printed is not None else data.total_recomputed
    with figure_rc_context():
        return _donut(data, f"按支出功能分类（类）· 合计 {format_amount(total)} {data.unit or ''}".rstrip(), subject)


def three_public_distribution(
    tidy: pd.DataFrame,
    *,
    stated_amounts: Mapping[str, Any] | None = None,
    stated_shares_pct: Mapping[str, Any] | None = None,
    subject: str | None = None,
) -> Figure | None:
    """三公经费分布图: 因公出国（境）费, 公务接待费, 公务用车购置费, 公务用车运行维护费.

    Blank cells are drawn as "—" (nothing printed), not as zero.

    Returns:
        The figure, or ``None`` when the “三公”经费 table is missing or empty.
    """
    data = _build(_data_three_public_distribution, tidy, stated_amounts, stated_shares_pct)
    if data is None:
        return None
    total = data.total_printed if data.total_printed is not None else data.total_recomputed
    with figure_rc_context():
        return _bars(data, f"合计 {format_amount(total)} {data.unit or ''}".rstrip(), subject, label_width_em=12)


def basic_vs_project(
    tidy: pd.DataFrame,
    *,
    stated_amounts: Mapping[str, Any] | None = None,
    stated_shares_pct: Mapping[str, Any] | None = None,
    subject: str | None = None,
) -> Figure | None:
    """基本支出与项目支出, from the 支出总表's 合计 row (else the 一般公共预算支出表's).

    Returns:
        The figure, or ``None`` when neither table prints 基本支出/项目支出.
    """
    data = _build(_data_basic_vs_project, tidy, stated_amounts, stated_shares_pct)
    if data is None:
        return None
    with figure_rc_context():
        return _donut(data, "支出按性质", subject)


def personnel_vs_public(
    tidy: pd.DataFrame,
    *,
    stated_amounts: Mapping[str, Any] | None = None,
    stated_shares_pct: Mapping[str, Any] | None = None,
    subject: str | None = None,
) -> Figure | None:
    """人员经费与公用经费, from the 一般公共预算基本支出经济分类表's 合计 row.

    Returns:
        The figure, or ``None`` when the table is missing or prints neither column.
    """
    data = _build(_data_personnel_vs_public, tidy, stated_amounts, stated_shares_pct)
    if data is None:
        return None
    with figure_rc_context():
        return _donut(data, "一般公共预算基本支出", subject)


def projects_by_amount(
    tidy: pd.DataFrame,
    *,
    top_n: int | None = 30,
    stated_amounts: Mapping[str, Any] | None = None,
    subject: str | None = None,
) -> Figure | None:
    """Projects of the 项目支出预算表（本年预算）, largest first, coloured by unit.

    Args:
        tidy: Tidy data of one document.
        top_n: Draw at most this many projects; the rest are added up into one bar.
        stated_amounts: Project amounts stated elsewhere, by project name.
        subject: Optional prefix for the title.

    Returns:
        The figure, or ``None`` when the table is missing or lists no project.
    """
    data = _build(_data_projects_by_amount, tidy, stated_amounts, None, top_n=top_n)
    if data is None:
        return None
    with figure_rc_context():
        return _bars(data, data.subtitle or "", subject, label_width_em=20, colour_by_group=True)


def projects_by_unit(
    tidy: pd.DataFrame,
    *,
    stated_amounts: Mapping[str, Any] | None = None,
    subject: str | None = None,
) -> Figure | None:
    """项目支出 by unit (the unit rows of the 项目支出预算表), with their shares.

    Returns:
        The figure, or ``None`` when the table is missing or names no unit.
    """
    data = _build(_data_projects_by_unit, tidy, stated_amounts, None)
    if data is None:
        return None
    total = data.total_printed if data.total_printed is not None else data.total_recomputed
    with figure_rc_context():
        return _bars(data, f"合计 {format_amount(total)} {data.unit or ''}".rstrip(), subject, label_width_em=16)


def function_classification(
    tidy: pd.DataFrame,
    *,
    level: str = "款",
    stated_amounts: Mapping[str, Any] | None = None,
    subject: str | None = None,
) -> Figure | None:
    """一般公共预算支出 by function code at 款 (or 项) level, coloured by 类.

    Args:
        tidy: Tidy data of one document.
        level: ``"款"`` or ``"项"``.
        stated_amounts: Amounts stated elsewhere, by label (``"20402 公安"`` or ``"公安"``).
        subject: Optional prefix for the title.

    Returns:
        The figure, or ``None`` when neither the 一般公共预算支出表 nor the 支出总表 prints codes.
    """
    data = _build(_data_function_classification, tidy, stated_amounts, None, level=level)
    if data is None:
        return None
    total = data.total_printed if data.total_printed is not None else data.total_recomputed
    with figure_rc_context():
        return _bars(
            data,
            f"合计 {format_amount(total)} {data.unit or ''}".rstrip(),
            subject,
            label_width_em=16,
            colour_by_group=True,
        )


def income_sources(
    tidy: pd.DataFrame,
    *,
    stated_amounts: Mapping[str, Any] | None = None,
    stated_shares_pct: Mapping[str, Any] | None = None,
    subject: str | None = None,
) -> Figure | None:
    """收入预算构成: 合计 row of the 收入总表 by source (else the 收支总表's income side).

    Returns:
        The figure, or ``None`` when neither table prints income amounts.
    """
    data = _build(_data_income_sources, tidy, stated_amounts, stated_shares_pct)
    if data is None:
        return None
    with figure_rc_context():
        return _donut(data, "按资金来源（含上年结转）", subject)


@dataclass(frozen=True)
class FigureSpec:
    """A figure of the report: its drawing function and the data builder behind it."""

    figure_id: str
    title: str
    draw: Callable[..., Figure | None]
    data: Callable[..., FigureData | None]
    source_table_ids: tuple[str, ...]


#: The figures in report order.
FIGURES: dict[str, FigureSpec] = {
    spec.figure_id: spec
    for spec in (
        FigureSpec("income_sources", "收入预算构成", income_sources, _data_income_sources, ("income", "summary")),
        FigureSpec("basic_vs_project", "基本支出与项目支出", basic_vs_project, _data_basic_vs_project, ("expenditure", "general_expenditure")),
        FigureSpec(
            "appropriation_structure_by_class",
            "一般公共预算当年拨款结构图",
            appropriation_structure_by_class,
            _data_appropriation_structure_by_class,
            ("general_expenditure",),
        ),
        FigureSpec(
            "function_classification",
            "支出功能分类",
            function_classification,
            _data_function_classification,
            ("general_expenditure", "expenditure"),
        ),
        FigureSpec("personnel_vs_public", "人员经费与公用经费", personnel_vs_public, _data_personnel_vs_public, ("general_basic_economic",)),
        FigureSpec("three_public_distribution", "三公经费分布图", three_public_distribution, _data_three_public_distribution, ("three_public",)),
        FigureSpec("projects_by_unit", "项目支出（按单位）", projects_by_unit, _data_projects_by_unit, ("project_current",)),
        FigureSpec("projects_by_amount", "项目支出（按项目）", projects_by_amount, _data_projects_by_amount, ("project_current",)),
    )
}


def figure_data(
    tidy: pd.DataFrame,
    figure_id: str,
    *,
    stated_amounts: Mapping[str, Any] | None = None,
    stated_shares_pct: Mapping[str, Any] | None = None,
    **kwargs: Any,
) -> pd.DataFrame | None:
    """The numbers a figure draws, for a "printed vs recomputed" table beside it.

    Args:
        tidy: Tidy data of one document.
        figure_id: A key of :data:`FIGURES` (the figure function's name).
        stated_amounts: The narrative's amounts by label, in the table's unit.
        stated_shares_pct: The narrative's shares in percent by label.
        **kwargs: Passed to the data builder (``top_n`` for ``projects_by_amount``, ``level``
            for ``function_classification``).

    Returns:
        ``None`` when the source table is not printed (or empty); else one row per drawn element
        with columns ``label``, ``group`` (unit, 类 or code), ``amount`` (Decimal, printed unit),
        ``amount_text`` (``"11,463.36"``), ``share_pct`` (Decimal, 2 decimals, half-up) and
        ``share_text`` (``"93.42%"``), plus ``stated_amount``/``stated_share_pct``/``agrees``
        when stated numbers are given. ``DataFrame.attrs`` holds ``title``, ``unit``,
        ``source_table_id``, ``source_title``, ``total_printed``, ``total_recomputed`` and
        ``notes``.

    Raises:
        KeyError: Unknown figure id.
    """
    spec = FIGURES[figure_id]
    data = _build(spec.data, tidy, stated_amounts, stated_shares_pct, **kwargs)
    return None if data is None else data.frame()


#: Which section of the 情况说明 restates each figure's numbers (a fragment of its heading).
NARRATIVE_SECTIONS: dict[str, str] = {
    "income_sources": "收入预算情况",
    "basic_vs_project": "支出预算情况",
    "appropriation_structure_by_class": "一般公共预算支出情况",
    "personnel_vs_public": "基本支出情况",
    "three_public_distribution": "三公",
}


def stated_numbers(figure_id: str, claims: pd.DataFrame) -> dict[str, dict[str, Decimal]]:
    """The amounts and shares the narrative states for a figure, keyed by subject.

    Args:
        figure_id: A key of :data:`FIGURES`.
        claims: ``claims.csv`` of the document (see :func:`budgetkit.narrative.claims_frame`).

    Returns:
        ``{"stated_amounts": {...}, "stated_shares_pct": {...}}`` ready to pass to a figure
        function or :func:`figure_data`; empty dicts when the narrative says nothing.
    """
    out: dict[str, dict[str, Decimal]] = {"stated_amounts": {}, "stated_shares_pct": {}}
    fragment = NARRATIVE_SECTIONS.get(figure_id)
    if fragment is None or claims is None or claims.empty:
        return out
    section = claims[claims["section"].fillna("").str.contains(fragment, regex=False)]
    for _, claim in section.iterrows():
        value = as_decimal(claim["value"])
        subject = str(claim["subject"] or "").strip()
        if value is None or not subject:
            continue
        # The whole (预算收入总计, 一般公共预算当年支出, 基本支出 over 人员/公用经费) is the figure's
        # total, not one of its parts: it is compared as ``total_printed`` instead.
        if re.search(r"(总计|合计|总额|当年支出)$", subject) or (figure_id == "personnel_vs_public" and subject == "基本支出"):
            continue
        if claim["kind"] == "share":
            out["stated_shares_pct"].setdefault(subject, value)
        elif claim["kind"] == "amount" and str(claim.get("unit", "")) in ("万元", "元"):
            out["stated_amounts"].setdefault(subject, value)
    return out

