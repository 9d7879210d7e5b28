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
# # 02 · 图表 — every figure redrawn from the tables, with the checks' verdict on each number
#
# The disclosure prints figures (一般公共预算当年拨款结构图, 三公经费分布图 …); here each is redrawn
# from the tidy tables. Beside each figure: the numbers it draws, their share computed exactly, and
# what the checks found about each (the same verdict as on the reconciliation page — this page does
# not judge on its own), with what the narrative states about it. Each chart can be downloaded as
# PNG or SVG, with its numbers as CSV.

# %% tags=["parameters"]
doc_id = "qinshui-police-2025"
processed_dir = "../data/processed"
out_dir = "../reports/qinshui-police-2025"
root_dir = ".."

# %%
from budgetkit import pages
from budgetkit import figures
from budgetkit.verdicts import Verdicts

doc = pages.load(doc_id, processed_dir)
subject = f"{doc.metadata.get('publisher') or doc.doc_id}{doc.metadata.get('fiscal_year') or ''}年"
pages.show_html(pages.header_html(doc))

# %% [markdown]
# ## 图 · figures
#
# Shares are computed from the printed amounts with exact decimals, rounded half-up to 0.01 %.
# `结论` is the worst status among the checks that rest on the number (see 03 · 勾稽核对).

# %%
verdicts = Verdicts(doc.findings)
absent = []
for figure_id, spec in figures.FIGURES.items():
    numbers = figures.build(doc.tidy, figure_id)
    if numbers is None:
        absent.append(f"{spec.title}（{'、'.join(spec.source_table_ids)}）")
        continue
    pages.show_html(f"<h3>{pages.escape(spec.title)}</h3>")
    figure = spec.draw(doc.tidy, subject=subject, data=numbers)
    data = figures.data_frame(numbers, verdicts)
    pages.show_figure(figure, data, out_dir, figure_id)
    pages.show(pages.figure_table(data))
    attrs = data.attrs
    pages.show_html("<p class='bk-note'>" + pages.escape(
        f"单位：{attrs.get('unit') or '未注明'} · 来源：{attrs.get('source_title') or attrs.get('source_table_id')} · "
        f"印刷合计 {numbers.text(attrs.get('total_printed'))} · 图中各项合计 {numbers.text(attrs.get('total_recomputed'))}") + "</p>")
if absent:
    pages.show_html("<p class='bk-note'>本文件未印以下各图所需的表，或表为空：" + pages.escape("；".join(absent)) + "。</p>")
if doc.extraction.get("kind") == "final":
    pages.show_html('<p>决算的收支结构、“三公”经费预算数与决算数、与同年预算的逐项比较见 <a href="05-execution.html">05 预算执行</a>。</p>')

# %% [markdown]
# ## 各表的合计与重算 · every table: printed totals beside the recomputed ones
#
# For each table, every total the checks could recompute from its parts (类 = Σ款 = Σ项, 合计 rows
# and columns). `舍入差` is a difference within the rounding of the printed parts, not an error.

# %%
for table in doc.summary["tables"]:
    checks = pages.printed_vs_recomputed(doc, table["table_id"])
    pages.show_html(f"<h3>{pages.escape(table['title'])}</h3>")
    if table["empty"]:
        pages.show_html("<p class='bk-note'>本表无数据 — nothing to recompute.</p>")
    elif checks.empty:
        pages.show_html("<p class='bk-note'>No total in this table can be recomputed from its parts.</p>")
    else:
        pages.show(checks)
