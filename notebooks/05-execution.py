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

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from budgetkit import execution
from budgetkit.compare import load_doc
from budgetkit.report import escape_md, show_figure

pd.set_option("display.max_rows", 300)
pd.set_option("display.max_columns", 30)
pd.set_option("display.width", 200)
doc = load_doc(processed_dir, doc_id)
kind = execution.document_kind_of(processed_dir, doc_id)
display(Markdown(f"## {escape_md(doc.metadata.get('title') or doc.label)}\n\n文件类别：**{'部门决算' if kind == 'final' else '部门预算'}**"))
if kind != "final":
    display(Markdown("This document is not a 决算: there is no execution to analyse."))

# %% [markdown]
# ## 1 · 收支结构 — the structure the 决算 narrative usually shows, redrawn from the 收支决算总表

# %%
for title, frame in (("本年收入（按来源）", execution.income_structure(doc.tidy)),
                     ("本年支出（按功能分类）", execution.expense_structure(doc.tidy)),
                     ("本年支出（基本支出 / 项目支出）", execution.basic_vs_project(doc.tidy))):
    if frame.empty:
        display(Markdown(f"{title}: not printed."))
        continue
    display(Markdown(f"### {title}"))
    display(frame)
    fig = execution.plot_structure(frame, title=f"{doc.label}：{title}，占比")
    show_figure(fig); plt.close(fig)
economic = execution.basic_by_economic_class(doc.tidy)
if not economic.empty:
    display(Markdown("### 一般公共预算财政拨款基本支出（按经济分类）"))
    display(economic)

# %% [markdown]
# ## 2 · “三公”经费 — planned against spent, from the 决算's own table

# %%
three = execution.three_public_execution(doc.tidy)
if three.empty:
    display(Markdown("This 决算 prints no “三公” table with 预算数 and 决算数."))
else:
    display(three.drop(columns=["item"]))
    fig = execution.plot_budget_vs_final(three, title=f"{doc.label}：“三公”经费 预算数与决算数（万元，右为执行率）", label_column="项目")
    show_figure(fig); plt.close(fig)

# %% [markdown]
# ## 3 · 情况说明的决算句 — 年初预算、决算、完成率 as the narrative states them
#
# `rate_pct` is recomputed from the two printed amounts; `stated_rate_pct` is what the text
# prints. Mismatches are checked (and located) in 03-reconcile (`narrative.final_execution`).

# %%
stated = execution.stated_execution(doc)
if stated.empty:
    display(Markdown("The narrative states no budget against 决算 figures."))
else:
    display(stated)
    by_class = execution.stated_by_class(stated, doc.tidy)
    if not by_class.empty:
        display(Markdown("### By 类 (sum of the 项 the narrative states; `coverage_pct` = their 决算 / the class's 决算 in the table)"))
        display(by_class)
        fig = execution.plot_budget_vs_final(by_class, title=f"{doc.label}：按功能分类（类）年初预算与决算（万元）", label_column="class_name")
        show_figure(fig); plt.close(fig)
table_budget = execution.table_execution(doc.tidy)
if not table_budget.empty:
    display(Markdown("### Budget columns printed in the 决算 tables"))
    display(table_budget)

# %% [markdown]
# ## 4 · 同年预算 — the same department's budget disclosure against these final accounts
#
# Matched by 科目编码 (类 / 款 / 项). `status`: 超支 (决算 > 预算), 未完成 (决算 < 预算), 持平,
# or a line in only one of the two. The budget counts what was planned at the start of the year;
# the 决算 includes money added or carried over during the year, so rates above 100 % are common
# for 财政拨款 lines that received in-year appropriations.

# %%
budget_id = execution.same_year_budget(processed_dir, doc_id)
if budget_id is None:
    display(Markdown("The same department's budget for this year is not among the processed documents: "
                     "extract it (`budgetkit extract …`) beside this 决算 to see it here."))
else:
    budget = load_doc(processed_dir, budget_id)
    display(Markdown(f"Budget disclosure: **{escape_md(budget.metadata.get('title') or budget_id)}** (`{escape_md(budget_id)}`)"))
    for budget_table, final_table, what in execution.matched_tables(budget, doc):
        frame = execution.budget_vs_final(budget, doc, budget_table, final_table)
        display(Markdown(f"### {escape_md(what)}"))
        display(frame)
        display(frame["status"].value_counts().to_frame("lines"))
        classes = frame[frame["level"] == "类"]
        fig = execution.plot_budget_vs_final(classes, title=f"{doc.label}：{what.split('（')[0]}，按类 预算与决算（万元，右为执行率）")
        show_figure(fig); plt.close(fig)
    economic_match = execution.economic_vs_budget(budget, doc)
    if not economic_match.empty:
        display(Markdown("### 基本支出按经济分类：预算 vs 决算"))
        display(economic_match)
