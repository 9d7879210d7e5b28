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
# # 05 · 执行 — final accounts (决算): what was budgeted against what was spent
#
# For a 部门决算 only. Three sources of a budget figure, each held against the 决算 figure it
# goes with: the 决算's own “三公” table (预算数 / 决算数) and any budget columns its tables print;
# its narrative's sentences (年初预算为 X 万元，支出决算为 Y 万元，完成年初预算的 Z%); and the same
# department's budget disclosure for that year when it is among the processed documents, matched
# line by line by 科目编码. Amounts are exact (Decimal) in 万元; execution rate = 决算 / 预算 × 100,
# rounded half-up to 0.01. Logic lives in `budgetkit.execution`; this notebook only shows it.

# %% tags=["parameters"]
doc_id = "swu-2024-final"
processed_dir = "../data/processed"
out_dir = "../reports/swu-2024-final"
root_dir = ".."

# %%
import matplotlib.pyplot as plt

from budgetkit import execution, pages
from budgetkit.compare import load_doc

doc = load_doc(processed_dir, doc_id)
kind = execution.document_kind_of(processed_dir, doc_id)
pages.show_html(pages.header_html(pages.load(doc_id, processed_dir))
                + f"<p>文件类别：<strong>{'部门决算' if kind == 'final' else '部门预算'}</strong></p>")
if kind != "final":
    pages.show_html("<p>本文件不是决算，没有预算执行可分析。</p>")

# %% [markdown]
# ## 1 · 收支结构 — the structure the 决算 narrative usually shows, redrawn from the 收支决算总表

# %%
for name, title, frame in (("income_structure", "本年收入（按来源）", execution.income_structure(doc.tidy)),
                           ("expense_structure", "本年支出（按功能分类）", execution.expense_structure(doc.tidy)),
                           ("basic_vs_project", "本年支出（基本支出 / 项目支出）", execution.basic_vs_project(doc.tidy))):
    if frame.empty:
        pages.show_html(f"<p>{pages.escape(title)}：本决算未印。</p>")
        continue
    pages.show(frame, caption=title)
    fig = execution.plot_structure(frame, title=f"{doc.label}：{title}，占比")
    pages.show_figure(fig, frame, out_dir, name); plt.close(fig)
economic = execution.basic_by_economic_class(doc.tidy)
if not economic.empty:
    pages.show(economic, caption="一般公共预算财政拨款基本支出（按经济分类）")

# %% [markdown]
# ## 2 · “三公”经费 — planned against spent, from the 决算's own table

# %%
three = execution.three_public_execution(doc.tidy)
if three.empty:
    pages.show_html("<p>本决算没有印出含预算数与决算数的“三公”经费表。</p>")
else:
    pages.show(three.drop(columns=["item"]))
    fig = execution.plot_budget_vs_final(three, title=f"{doc.label}：“三公”经费 预算数与决算数（万元，右为执行率）", label_column="项目")
    pages.show_figure(fig, three.drop(columns=["item"]), out_dir, "three_public_execution"); plt.close(fig)

# %% [markdown]
# ## 3 · 情况说明的决算句 — 年初预算、决算、完成率 as the narrative states them
#
# 执行率 % (`rate_pct`) is recomputed from the two printed amounts; 所述比率 % (`stated_rate_pct`) is what the text
# prints. Mismatches are checked (and located) in 03-reconcile (`narrative.final_execution`).

# %%
stated = execution.stated_execution(doc)
if stated.empty:
    pages.show_html("<p>情况说明没有写出年初预算与决算的对比。</p>")
else:
    pages.show(stated)
    by_class = execution.stated_by_class(stated, doc.tidy)
    if not by_class.empty:
        pages.show(by_class, caption="按类（情况说明所述各项之和；coverage_pct = 这些项的决算 / 表中该类的决算）")
        fig = execution.plot_budget_vs_final(by_class, title=f"{doc.label}：按功能分类（类）年初预算与决算（万元）", label_column="class_name")
        pages.show_figure(fig, by_class, out_dir, "stated_by_class"); plt.close(fig)
table_budget = execution.table_execution(doc.tidy)
if not table_budget.empty:
    pages.show(table_budget, caption="决算表中印出的预算栏")

# %% [markdown]
# ## 4 · 同年预算 — the same department's budget disclosure against these final accounts
#
# Matched by 科目编码 (类 / 款 / 项). 状态 (`status`): 超支 (决算 > 预算), 未完成 (决算 < 预算), 持平,
# or a line in only one of the two. The budget counts what was planned at the start of the year;
# the 决算 includes money added or carried over during the year, so rates above 100 % are common
# for 财政拨款 lines that received in-year appropriations.

# %%
budget_id = execution.same_year_budget(processed_dir, doc_id)
if budget_id is None:
    pages.show_html("<p>同一部门本年度的预算公开不在已处理的文件中：把它与本决算一起提取（<code>budgetkit extract …</code>）即可在此比较。</p>")
else:
    budget = load_doc(processed_dir, budget_id)
    pages.show_html(f"<p>预算公开：<strong>{pages.escape(budget.metadata.get('title') or budget_id)}</strong>"
                    f"（<a href=\"../{pages.escape(budget_id)}/01-tables.html\"><code>{pages.escape(budget_id)}</code></a>）</p>")
    for number, (budget_table, final_table, what) in enumerate(execution.matched_tables(budget, doc), start=1):
        frame = execution.budget_vs_final(budget, doc, budget_table, final_table)
        pages.show(frame, caption=what, sortable=True)
        pages.show(frame["status"].value_counts().rename_axis("status").reset_index(name="lines"))
        classes = frame[frame["level"] == "类"]
        fig = execution.plot_budget_vs_final(classes, title=f"{doc.label}：{what.split('（')[0]}，按类 预算与决算（万元，右为执行率）")
        pages.show_figure(fig, classes, out_dir, f"budget_vs_final_{number}"); plt.close(fig)
    economic_match = execution.economic_vs_budget(budget, doc)
    if not economic_match.empty:
        pages.show(economic_match, caption="基本支出按经济分类：预算与决算")
