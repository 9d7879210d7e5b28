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
# # 04 · 比较 — year over year, the units inside the disclosure, and peer departments
#
# All numbers come from the tidy data in exact 元 and are shown in 万元 (Decimal). Year over
# year uses the other disclosures of the same department found in `processed_dir`; where there
# are none, the narrative's stated changes (比上年增加/减少 …) give the prior-year values they
# imply. Logic lives in `budgetkit.compare`; this notebook only shows it.

# %% tags=["parameters"]
doc_id = "qinshui-police-2025"
processed_dir = "../data/processed"

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from budgetkit import compare
from budgetkit.report import escape_md, show_figure

pd.set_option("display.max_rows", 200)
pd.set_option("display.max_columns", 30)
pd.set_option("display.width", 200)
doc = compare.load_doc(processed_dir, doc_id)
series = compare.load_docs(processed_dir, compare.same_department(processed_dir, doc_id))
years = [d.year for d in series]
display(Markdown(f"## {escape_md(doc.label)}\n\n同一部门的公开：{escape_md(', '.join(f'{d.doc_id} ({d.year})' for d in series))}"))

# %% [markdown]
# ## 1 · 上年比较 — by function class (类/款) and economic class

# %%
if len(series) > 1:
    by_function = compare.year_over_year(series, by="function")
    display(by_function)
    display(compare.year_over_year(series, by="economic", levels=("类",)))
    fig = compare.plot_year_over_year(by_function, title=f"{doc.label}：按功能分类（类），万元")
    show_figure(fig); plt.close(fig)
    fig = compare.plot_waterfall(by_function, years[-2], years[-1], title=f"{years[-2]}→{years[-1]} 按功能分类（类）变动，万元")
    show_figure(fig); plt.close(fig)
else:
    display(Markdown("Only this year's disclosure is at hand: see the prior-year values its narrative implies below."))

# %% [markdown]
# ## 2 · 说明中的增减 — stated changes, the prior year they imply, checked against last year's tables

# %%
position = [d.doc_id for d in series].index(doc_id)
prior = series[position - 1] if position > 0 else None
changes = compare.stated_changes(doc, prior)
display(Markdown(f"Prior-year disclosure: **{escape_md(prior.doc_id) if prior else 'none — values implied only'}**"))
display(changes.drop(columns=["sentence"]))
if not changes.empty:
    display(changes["status"].value_counts().to_frame("changes"))

# %% [markdown]
# ## 3 · 单位 — the units inside this disclosure

# %%
split = compare.unit_split(doc)
display(split if not split.empty else Markdown("This disclosure prints no table with one row per unit."))
unit_docs = [d for d in compare.list_docs(processed_dir).itertuples()
             if d.publisher == doc.metadata.get("publisher") and d.fiscal_year == doc.year and d.doc_id != doc_id]
for other in unit_docs:
    pair = sorted([doc, compare.load_doc(processed_dir, other.doc_id)], key=lambda d: "(unit)" in str(d.metadata.get("kind")))
    display(Markdown(f"### 部门预算 {escape_md(pair[0].doc_id)} vs 单位预算 {escape_md(pair[1].doc_id)}"))
    display(compare.dept_vs_unit(*pair))

# %% [markdown]
# ## 4 · 部门间比较 — normalised indicators across all processed disclosures

# %%
peers = compare.load_docs(processed_dir, compare.list_docs(processed_dir)["doc_id"])
frame = compare.indicators(peers)
compare.print_caveats(frame)
display(frame.drop(columns=["function_mix"]).set_index("doc_id").T)
display(compare.function_mix(frame))
fig = compare.plot_small_multiples(frame)
show_figure(fig); plt.close(fig)
