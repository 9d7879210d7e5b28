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
# # 全部文件比较 — normalised indicators across every processed disclosure
#
# Totals in 万元 and shares of the same definitions, read through the same table semantics for
# every document. What makes departments hard to compare (years, templates, levels, units) is said
# first.

# %% tags=["parameters"]
processed_dir = "../data/processed"
out_dir = "../reports"

# %%
import matplotlib.pyplot as plt

from budgetkit import compare, pages

peers = compare.load_docs(processed_dir, compare.list_docs(processed_dir)["doc_id"])
frame = compare.indicators(peers)
notes = compare.caveats(frame)
pages.show_html("<h2>全部文件</h2>" + "".join(f"<p class='bk-note'>⚠ {pages.escape(n)}</p>" for n in notes))

# %%
shown = frame.drop(columns=["function_mix"]).copy()
shown.insert(0, "报告", [pages.link(f"{d}/01-tables.html", d) for d in shown["doc_id"]])
pages.show(shown.drop(columns=["doc_id"]).rename(columns=pages.INDICATOR_LABELS), sortable=True)

# %% [markdown]
# ## 支出功能分类占比 · function mix (% of the classes printed)

# %%
pages.show(compare.function_mix(frame), index=True)

# %%
fig = compare.plot_small_multiples(frame)
pages.show_figure(fig, frame.drop(columns=["function_mix"]), out_dir, "indicators"); plt.close(fig)
