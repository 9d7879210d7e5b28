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
# # 04 · 比较 — year over year, the units inside the disclosure
#
# All numbers come from the tidy data in exact 元 and are shown in 万元. Year over year uses the
# other disclosures of the same department found in `processed_dir`; where there are none, the
# narrative's stated changes (比上年增加/减少 …) give the prior-year values they imply. Every
# department beside every other: see the page comparing all documents.

# %% tags=["parameters"]
doc_id = "qinshui-police-2025"
processed_dir = "../data/processed"
out_dir = "../reports/qinshui-police-2025"
root_dir = ".."

# %%
import matplotlib.pyplot as plt

from budgetkit import compare, pages

doc = compare.load_doc(processed_dir, doc_id)
series = compare.load_docs(processed_dir, compare.same_department(processed_dir, doc_id))
years = [d.year for d in series]
pages.show_html(pages.header_html(pages.load(doc_id, processed_dir))
                + "<p>同一部门的公开：" + pages.escape("、".join(f"{d.doc_id}（{d.year}）" for d in series)) + "</p>"
                + '<p><a href="../compare.html">全部文件比较 →</a></p>')

# %% [markdown]
# ## 1 · 上年比较 — by function class (类/款) and economic class

# %%
if len(series) > 1:
    by_function = compare.year_over_year(series, by="function")
    pages.show(pages.yoy_table(by_function), caption="按功能分类（类、款）")
    pages.show(pages.yoy_table(compare.year_over_year(series, by="economic", levels=("类",))), caption="按经济分类（类）")
    fig = compare.plot_year_over_year(by_function, title=f"{doc.label}：按功能分类（类），万元")
    pages.show_figure(fig, by_function, out_dir, "year_over_year"); plt.close(fig)
    fig = compare.plot_waterfall(by_function, years[-2], years[-1], title=f"{years[-2]}→{years[-1]} 按功能分类（类）变动，万元")
    pages.show_figure(fig, None, out_dir, "waterfall"); plt.close(fig)
else:
    pages.show_html("<p>只有本年度的公开：上年数见下，由情况说明所述增减推算。</p>")

# %% [markdown]
# ## 2 · 说明中的增减 — stated changes, the prior year they imply, checked against last year's tables
#
# `结论`: the implied prior-year value against last year's disclosure (相符 / 存疑 / 未核对 when no
# prior disclosure or no cell of that name); `增减率核对`: the check of the stated rate (03 · 勾稽核对).

# %%
position = [d.doc_id for d in series].index(doc_id)
prior = series[position - 1] if position > 0 else None
changes = compare.stated_changes(doc, prior)
pages.show_html(f"<p>上年公开：<b>{pages.escape(prior.doc_id) if prior else '无（仅推算）'}</b></p>")
shown = changes.drop(columns=["sentence", "base"]).rename(columns={
    "subject": "项目", "unit": "单位", "current": "本年", "direction": "增减", "change": "增减额", "implied_prior": "推算上年",
    "stated_rate_pct": "所述增减率%", "rate_status": "增减率核对", "status": "结论", "prior_note": "说明",
    "prior_table_value": "上年表中数", "prior_cell": "上年单元格", "line": "位置"})
pages.show(shown, sortable=len(shown) > 10)

# %% [markdown]
# ## 3 · 单位 — the units inside this disclosure

# %%
split = compare.unit_split(doc)
if split.empty:
    pages.show_html("<p>本文件没有按单位列示的表。</p>")
else:
    pages.show(split.rename(columns={"table_id": "表", "unit_name": "单位", "amount_wan": "金额（万元）", "share_pct": "占比%",
                                     "department_total_wan": "部门合计（万元）", "units_sum_wan": "各单位之和（万元）"}))
unit_docs = [d for d in compare.list_docs(processed_dir).itertuples()
             if d.publisher == doc.metadata.get("publisher") and d.fiscal_year == doc.year and d.doc_id != doc_id]
for other in unit_docs:
    pair = sorted([doc, compare.load_doc(processed_dir, other.doc_id)], key=lambda d: "(unit)" in str(d.metadata.get("kind")))
    pages.show_html(f"<h3>部门预算 {pages.escape(pair[0].doc_id)} 与 单位预算 {pages.escape(pair[1].doc_id)}</h3>")
    pages.show(compare.dept_vs_unit(*pair).rename(columns={"indicator": "指标", "department_wan": "部门（万元）", "unit_wan": "本单位（万元）",
                                                           "other_units_wan": "其他单位（万元）", "unit_share_pct": "本单位占比%"}))
