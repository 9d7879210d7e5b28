# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 · 图表 — every figure redrawn, every printed number beside the recomputed one
#
# The disclosure prints figures (一般公共预算当年拨款结构图, 三公经费分布图 …) and restates numbers
# in its 情况说明. Here each figure is redrawn from the tidy tables; beside it, the numbers it
# shows, recomputed exactly, next to what the narrative states. Then, table by table, every
# printed total beside the sum of its parts.

# %% tags=["parameters"]
doc_id = "qinshui-police-2025"
processed_dir = "../data/processed"

# %%
import pandas as pd
from IPython.display import Markdown, display

from budgetkit.figures import FIGURES, figure_data
from budgetkit.report import escape_md, load_claims, load_processed, printed_vs_recomputed, show_figure

pd.set_option("display.max_colwidth", 120)
doc = load_processed(doc_id, processed_dir)
claims = load_claims(doc)
meta = doc.summary["metadata"]
subject = f"{meta.get('publisher') or doc.doc_id}{meta.get('fiscal_year') or ''}年"
display(Markdown(f"## {escape_md(doc.title)}"))

# %% [markdown]
# ## Figures
#
# Shares are computed from the printed amounts with exact decimals and rounded half-up to 0.01 %.
# Where the narrative states a number for a part of the figure, it stands beside the recomputed
# one (`agrees`).

# %%
for figure_id, spec in FIGURES.items():
    display(Markdown(f"### {escape_md(spec.title)}"))
    figure = spec.draw(doc.tidy, subject=subject)
    if figure is None:
        display(Markdown(f"*Not printed in this disclosure* (needs {escape_md(', '.join(spec.source_table_ids))})."))
        continue
    show_figure(figure)
    data = figure_data(doc.tidy, figure_id, findings=doc.findings)
    if data is not None:
        shown = data.drop(columns=[c for c in ("amount", "share_pct", "cells") if c in data.columns])
        display(shown)
        attrs = data.attrs
        display(Markdown(
            f"单位：{escape_md(attrs.get('unit', ''))} · 来源：{escape_md(attrs.get('source_title', attrs.get('source_table', '')))} · "
            f"printed total {escape_md(attrs.get('total_printed', '—'))}, recomputed {escape_md(attrs.get('total_recomputed', '—'))}"))

# %% [markdown]
# ## Every table: printed totals beside the recomputed ones
#
# For each table, every total the rules could recompute from its parts (类 = Σ款 = Σ项, 合计 rows
# and columns). `舍入差` is a difference within the rounding of the printed parts, not an error.

# %%
for table in doc.summary["tables"]:
    checks = printed_vs_recomputed(doc, table["table_id"])
    display(Markdown(f"### {escape_md(table['title'])}"))
    if table["empty"]:
        display(Markdown("本表无数据 — nothing to recompute."))
    elif checks.empty:
        display(Markdown("No total in this table can be recomputed from its parts."))
    else:
        display(checks)
