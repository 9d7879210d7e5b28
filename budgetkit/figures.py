"""Redraw the figures a 部门预算公开 prints, from its tidy data, deterministically.

Every figure function takes the tidy DataFrame of **one document** (all its tables, as written
by :func:`budgetkit.tidy.tidy_table` and concatenated) and returns a
:class:`matplotlib.figure.Figure` — or ``None`` when the table it needs is not printed or
printed empty, so that a report can say "not printed in this disclosure". Each figure states
its unit and its source table in a footnote (``单位：万元 · 来源：…``).

The numbers behind each figure come from :func:`figure_data`: one row a drawn element with the
exact amount (:class:`~decimal.Decimal`, in the printed unit), the share in percent computed
exactly and rounded half-up to 0.01, and the table cells it was read from. Which rows are parts
and which are totals is decided by :mod:`budgetkit.semantics` (a figure never counts a line and
its parts); whether a number agrees with the rest of the document is decided by the checks only:
given the findings, :func:`figure_data` puts their verdict beside each drawn number
(:mod:`budgetkit.verdicts`), and the figure itself judges nothing.

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

from budgetkit import semantics
from budgetkit.amounts import as_decimal
from budgetkit.catalog import load_catalog

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

    def text(self, amount: Decimal | None) -> str:
        """An amount of this figure as its table prints amounts: thousands separators and the
        printed number of decimals (``156,211,123`` for a table in 元 printed to the 元)."""
        if amount is None:
            return "—"
        printed = [r.get("amount_text") or "" for r in self.rows]
        places = max((len(t.split(".", 1)[1]) if "." in t else 0 for t in printed if t), default=2)
        return f"{amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):,.{places}f}"

    @property
    def total_recomputed(self) -> Decimal:
        return sum((r["amount"] for r in self.rows if r["amount"] is not None), Decimal(0))

    def frame(self) -> pd.DataFrame:
        columns = ["label", "group", "amount", "amount_text", "share_pct", "share_text"]
        extra = [c for c in ("recomputed", "cells") if any(c in r for r in self.rows)]
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


def _printed_text(text: Any) -> str | None:
    """A printed amount with thousands separators, its decimals as printed (``189767551`` → ``189,767,551``)."""
    value = as_decimal(text) if isinstance(text, str) and text.strip() else None
    if value is None:
        return None
    places = max(0, -value.as_tuple().exponent)
    return f"{value:,.{places}f}"


def _with_shares(rows: list[dict[str, Any]], whole: Decimal | None = None) -> list[dict[str, Any]]:
    total = whole if whole is not None else sum((r["amount"] for r in rows if r["amount"] is not None), Decimal(0))
    for r in rows:
        printed = _printed_text(r.get("printed"))
        r["amount_text"] = printed or (format_amount(r["amount"]) if r["amount"] is not None else "")
        if r["amount"] is None or total == 0:
            r["share_pct"] = None
            r["share_text"] = ""
        else:
            r["share_pct"] = share_pct(r["amount"], total)
            r["share_text"] = f"{r['share_pct']}%"
    return rows


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
        {"label": _clean_label(r["item"]), "group": r["code"], "code": r["code"], "amount": _amount(r), "cells": [_cell(r)],
         "printed": r.get("value_text")}
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


def _cell(record: Mapping[str, Any]) -> tuple[str, int, str]:
    """``(table_id, row_number, column_id)`` of a tidy row: how the checks name the cell."""
    return (str(record["table_id"]), int(record["row_number"]), str(record["column_id"]))


def _data_three_public_distribution(tidy: pd.DataFrame) -> FigureData | None:
    """因公出国（境）费, 公务接待费, 公务用车购置费, 公务用车运行维护费 — printed one a row or one a column."""
    table_id = "three_public"
    items = semantics.three_public_items(tidy)
    parts = semantics.three_public_parts(items)
    if not parts or all(p.amount is None for p in parts):
        return None
    notes: list[str] = []
    if any(p.key == "vehicle_total" for p in parts):
        notes.append("表中公务用车购置费与运行维护费未分列")
    drawn = [{"label": p.label, "group": None, "amount": p.amount, "cells": [p.cell], "printed": p.value_text} for p in parts]
    if any(r["amount"] is None for r in drawn):
        notes.append("“—”：表中该项空白或未列")
    whole = items.get("three_public_total")
    rows = _table(tidy, table_id)
    data = FigureData(
        "three_public_distribution",
        "三公经费分布图",
        next((p.unit for p in parts if p.unit), None),
        table_id,
        _title_of(rows, table_id),
        drawn,
        total_printed=whole.amount if whole is not None else None,
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
    more: tuple[tuple[str, str], ...] = (),
) -> FigureData | None:
    """The parts of a table's 合计 row, by column; ``more`` are parts drawn only where printed and
    not zero (Jiangsu's 单位预留机动经费), so that the parts add up to the printed total."""
    for table_id in table_ids:
        table = _table(tidy, table_id)
        drawn = []
        present = set(table["column_id"]) if len(table) else set()
        extra = tuple(p for p in more if p[0] in present)
        for column_id, label in parts + extra:
            total = semantics.total_cell(tidy, table_id, column_id)
            if total is not None and _amount(total) is not None:
                drawn.append({"label": label, "group": None, "amount": _amount(total), "cells": [_cell(total)], "printed": total["value_text"]})
                continue
            # No total row printed: add up the lines (what the total would be).
            lines = [r for r in semantics.lines(tidy, table_id, column_id).to_dict("records") if _amount(r) is not None]
            amount = sum((_amount(r) for r in lines), Decimal(0)) if lines else None
            drawn.append({"label": label, "group": None, "amount": amount, "cells": [_cell(r) for r in lines]})
        drawn = drawn[:len(parts)] + [r for r in drawn[len(parts):] if r["amount"]]
        if any(r["amount"] for r in drawn):
            total = semantics.total_cell(tidy, table_id, "total")
            data = FigureData(
                figure_id,
                title,
                _unit_of(table),
                table_id,
                _title_of(table, table_id),
                drawn,
                total_printed=_amount(total) if total is not None else None,
            )
            _with_shares(drawn, data.total_printed or None)
            return data
    return None


def _data_basic_vs_project(tidy: pd.DataFrame) -> FigureData | None:
    return _two_part(
        tidy,
        "basic_vs_project",
        "基本支出与项目支出",
        ("expenditure", "general_expenditure"),
        (("basic", "基本支出"), ("project", "项目支出")),
        (("reserve", "单位预留机动经费"), ("carry_forward", "结转下年资金")),
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


def _data_projects_by_amount(tidy: pd.DataFrame, top_n: int | None = 30) -> FigureData | None:
    table_id = "project_current"
    rows = semantics.project_rows(tidy, table_id)
    projects = rows[(rows["entity"] == "project") & rows["amount"].map(lambda a: bool(a))]
    if projects.empty:
        return None
    projects = projects.assign(_sort=[-a for a in projects["amount"]]).sort_values(["_sort", "row_number"], kind="stable")
    drawn = [
        {"label": _clean_label(r.name), "group": r.unit_name, "amount": r.amount, "row_number": r.row_number,
         "cells": [(table_id, int(r.row_number), "total")]}
        for r in projects.itertuples()
    ]
    notes = []
    if top_n is not None and len(drawn) > top_n:
        rest = drawn[top_n:]
        drawn = drawn[:top_n] + [
            {
                "label": f"其余{len(rest)}个项目",
                "group": None,
                "amount": sum((r["amount"] for r in rest), Decimal(0)),
                "row_number": None,
                "cells": [c for r in rest for c in r["cells"]],
            }
        ]
        notes.append(f"仅列金额最大的{top_n}个项目，其余合并")
    department = rows[rows["entity"] == "department"]
    printed = department["amount"].iloc[0] if len(department) else None
    table = _table(tidy, table_id)
    data = FigureData(
        "projects_by_amount",
        "项目支出（按项目）",
        _unit_of(table),
        table_id,
        _title_of(table, table_id),
        drawn,
        total_printed=printed,
        notes=notes,
    )
    total = printed if printed is not None else data.total_recomputed
    data.subtitle = f"共{len(projects)}个项目 · 合计 {data.text(total)} {data.unit or ''}".rstrip()
    _with_shares(drawn)
    return data


def _data_projects_by_unit(tidy: pd.DataFrame) -> FigureData | None:
    table_id = "project_current"
    rows = semantics.project_rows(tidy, table_id)
    units = rows[rows["entity"] == "unit"]
    if units.empty:
        return None
    drawn = []
    for unit in units.itertuples():
        members = rows[(rows["entity"] == "project") & (rows["unit_name"] == unit.name)]
        recomputed = sum((a for a in members["amount"] if a is not None), Decimal(0))
        drawn.append({"label": _clean_label(unit.name), "group": _clean_label(unit.name), "amount": unit.amount,
                      "recomputed": recomputed, "row_number": unit.row_number, "cells": [(table_id, int(unit.row_number), "total")]})
    drawn.sort(key=lambda r: (-(r["amount"] or Decimal(0)), r["row_number"]))
    department = rows[rows["entity"] == "department"]
    printed = department["amount"].iloc[0] if len(department) else None
    table = _table(tidy, table_id)
    data = FigureData(
        "projects_by_unit",
        "项目支出（按单位）",
        _unit_of(table),
        table_id,
        _title_of(table, table_id),
        drawn,
        total_printed=printed,
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
                    "cells": [_cell(r)],
                    "printed": r.get("value_text"),
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
    """Income by source, each amount once (:func:`budgetkit.semantics.income_sources`)."""
    sources = semantics.income_sources(tidy)
    if not any(s.amount for s in sources):
        return None
    drawn = [{"label": _clean_label(s.label), "group": None, "amount": s.amount, "cells": [s.cell], "printed": s.value_text} for s in sources]
    source_id = sources[0].table_id
    source = _table(tidy, source_id)
    # The grand total (收入总计) is printed in the summary table only.
    grand = semantics.total_cell(tidy, "summary", "income_amount", side="income")
    data = FigureData(
        "income_sources",
        "收入预算构成",
        _unit_of(source),
        source_id,
        _title_of(source, source_id),
        drawn,
        total_printed=_amount(grand) if grand is not None else None,
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
    ax.text(0, -0.1, data.text(total), ha="center", va="center", fontproperties=_font(SUBTITLE_SIZE_PT + 2))
    ax.set_aspect("equal")
    ax.set_xlim(-1.05, 1.05)
    ax.set_ylim(-1.05, 1.05)
    ax.axis("off")
    handles = [Patch(facecolor=colours[id(r)], edgecolor="none") for r in drawn]
    labels = [f"{r['label']} {r['share_text']}（{r['amount_text'] or data.text(r['amount'])}）" for r in drawn]
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


def _build(builder: Callable[..., FigureData | None], tidy: pd.DataFrame, **kwargs: Any) -> FigureData | None:
    return builder(tidy, **kwargs)


def appropriation_structure_by_class(
    tidy: pd.DataFrame,
    *,
    subject: str | None = None,
    data: FigureData | None = None,
) -> Figure | None:
    """一般公共预算当年拨款结构图: each 类's share of the 一般公共预算支出 total.

    Args:
        tidy: Tidy data of one document.
        subject: Optional prefix for the title (department, year).

    Returns:
        The figure, or ``None`` when the 一般公共预算支出表 is missing, empty or has no 类 rows.
    """
    data = data if data is not None else _build(_data_appropriation_structure_by_class, tidy)
    if data is None:
        return None
    total = data.total_printed if data.total_printed is not None else data.total_recomputed
    with figure_rc_context():
        return _donut(data, f"按支出功能分类（类）· 合计 {data.text(total)} {data.unit or ''}".rstrip(), subject)


def three_public_distribution(
    tidy: pd.DataFrame,
    *,
    subject: str | None = None,
    data: FigureData | None = None,
) -> Figure | None:
    """三公经费分布图: 因公出国（境）费, 公务接待费, 公务用车购置费, 公务用车运行维护费.

    Blank cells are drawn as "—" (nothing printed), not as zero.

    Returns:
        The figure, or ``None`` when the “三公”经费 table is missing or empty.
    """
    data = data if data is not None else _build(_data_three_public_distribution, tidy)
    if data is None:
        return None
    total = data.total_printed if data.total_printed is not None else data.total_recomputed
    with figure_rc_context():
        return _bars(data, f"合计 {data.text(total)} {data.unit or ''}".rstrip(), subject, label_width_em=12)


def basic_vs_project(
    tidy: pd.DataFrame,
    *,
    subject: str | None = None,
    data: FigureData | None = None,
) -> Figure | None:
    """基本支出与项目支出, from the 支出总表's 合计 row (else the 一般公共预算支出表's).

    Returns:
        The figure, or ``None`` when neither table prints 基本支出/项目支出.
    """
    data = data if data is not None else _build(_data_basic_vs_project, tidy)
    if data is None:
        return None
    with figure_rc_context():
        return _donut(data, "支出按性质", subject)


def personnel_vs_public(
    tidy: pd.DataFrame,
    *,
    subject: str | None = None,
    data: FigureData | None = None,
) -> Figure | None:
    """人员经费与公用经费, from the 一般公共预算基本支出经济分类表's 合计 row.

    Returns:
        The figure, or ``None`` when the table is missing or prints neither column.
    """
    data = data if data is not None else _build(_data_personnel_vs_public, tidy)
    if data is None:
        return None
    with figure_rc_context():
        return _donut(data, "一般公共预算基本支出", subject)


def projects_by_amount(
    tidy: pd.DataFrame,
    *,
    top_n: int | None = 30,
    subject: str | None = None,
    data: FigureData | None = None,
) -> Figure | None:
    """Projects of the 项目支出预算表（本年预算）, largest first, coloured by unit.

    Args:
        tidy: Tidy data of one document.
        top_n: Draw at most this many projects; the rest are added up into one bar.
        subject: Optional prefix for the title.

    Returns:
        The figure, or ``None`` when the table is missing or lists no project.
    """
    data = data if data is not None else _build(_data_projects_by_amount, tidy, top_n=top_n)
    if data is None:
        return None
    with figure_rc_context():
        return _bars(data, data.subtitle or "", subject, label_width_em=20, colour_by_group=True)


def projects_by_unit(
    tidy: pd.DataFrame,
    *,
    subject: str | None = None,
    data: FigureData | None = None,
) -> Figure | None:
    """项目支出 by unit (the unit rows of the 项目支出预算表), with their shares.

    Returns:
        The figure, or ``None`` when the table is missing or names no unit.
    """
    data = data if data is not None else _build(_data_projects_by_unit, tidy)
    if data is None:
        return None
    total = data.total_printed if data.total_printed is not None else data.total_recomputed
    with figure_rc_context():
        return _bars(data, f"合计 {data.text(total)} {data.unit or ''}".rstrip(), subject, label_width_em=16)


def function_classification(
    tidy: pd.DataFrame,
    *,
    level: str = "款",
    subject: str | None = None,
    data: FigureData | None = None,
) -> Figure | None:
    """一般公共预算支出 by function code at 款 (or 项) level, coloured by 类.

    Args:
        tidy: Tidy data of one document.
        level: ``"款"`` or ``"项"``.
        subject: Optional prefix for the title.

    Returns:
        The figure, or ``None`` when neither the 一般公共预算支出表 nor the 支出总表 prints codes.
    """
    data = data if data is not None else _build(_data_function_classification, tidy, level=level)
    if data is None:
        return None
    total = data.total_printed if data.total_printed is not None else data.total_recomputed
    with figure_rc_context():
        return _bars(
            data,
            f"合计 {data.text(total)} {data.unit or ''}".rstrip(),
            subject,
            label_width_em=16,
            colour_by_group=True,
        )


def income_sources(
    tidy: pd.DataFrame,
    *,
    subject: str | None = None,
    data: FigureData | None = None,
) -> Figure | None:
    """收入预算构成: 合计 row of the 收入总表 by source (else the 收支总表's income side).

    Returns:
        The figure, or ``None`` when neither table prints income amounts.
    """
    data = data if data is not None else _build(_data_income_sources, tidy)
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


def build(tidy: pd.DataFrame, figure_id: str, **kwargs: Any) -> FigureData | None:
    """The numbers of one figure (``None`` when its table is not printed): draw it with
    ``FIGURES[figure_id].draw(tidy, data=…)`` and tabulate it with :func:`data_frame`, built once."""
    return _build(FIGURES[figure_id].data, tidy, **kwargs)


def data_frame(data: FigureData, findings: Any = None) -> pd.DataFrame:
    """A figure's numbers as a frame (see :func:`figure_data`), with the checks' verdicts when
    ``findings`` (a findings frame or a :class:`budgetkit.verdicts.Verdicts`) is given."""
    frame = data.frame()
    if findings is not None:
        from budgetkit.verdicts import Verdicts

        verdicts = findings if isinstance(findings, Verdicts) else Verdicts(findings)
        attrs = frame.attrs
        frame = pd.concat([frame.reset_index(drop=True), verdicts.frame([r.get("cells") or [] for r in data.rows])], axis=1)
        frame.attrs.update(attrs)
    return frame


def figure_data(
    tidy: pd.DataFrame,
    figure_id: str,
    *,
    findings: pd.DataFrame | None = None,
    **kwargs: Any,
) -> pd.DataFrame | None:
    """The numbers a figure draws, with the checks' verdict on each when the findings are given.

    Args:
        tidy: Tidy data of one document.
        figure_id: A key of :data:`FIGURES` (the figure function's name).
        findings: The document's findings (:func:`budgetkit.checks.read_findings`): adds
            ``status`` (the worst status of the checks resting on the number), ``核对``,
            ``核对说明`` and ``说明所述`` (what the narrative states about it, with its line).
        **kwargs: Passed to the data builder (``top_n`` for ``projects_by_amount``, ``level``
            for ``function_classification``).

    Returns:
        ``None`` when the source table is not printed (or empty); else one row per drawn element
        with columns ``label``, ``group`` (unit, 类 or code), ``amount`` (Decimal, printed unit),
        ``amount_text`` (``"11,463.36"``), ``share_pct`` (Decimal, 2 decimals, half-up),
        ``share_text`` (``"93.42%"``) and ``cells`` (the table cells it was read from).
        ``DataFrame.attrs`` holds ``title``, ``unit``, ``source_table_id``, ``source_title``,
        ``total_printed``, ``total_recomputed`` and ``notes``.

    Raises:
        KeyError: Unknown figure id.
    """
    data = build(tidy, figure_id, **kwargs)
    return None if data is None else data_frame(data, findings)
