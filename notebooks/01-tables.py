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
# # 01 · 报表 — every table of the disclosure (预算表 or 决算表), as printed and tidy
#
# Each standard table the disclosure prints (收支总表, 收入总表, 支出总表 …): where it stands in the
# source, its unit, the cells as printed, and its totals. Every amount is exact: the tidy data keeps
# the printed text beside the value in 元, and each row's role — `合计`, `小计/上级` (the sum of the
# rows under it) or `明细` — so that adding the 明细 rows of a column gives its printed total.

# %% tags=["parameters"]
doc_id = "qinshui-police-2025"
processed_dir = "../data/processed"
out_dir = "../reports/qinshui-police-2025"
root_dir = ".."

# %%
from budgetkit import pages

doc = pages.load(doc_id, processed_dir)
pages.show_html(pages.header_html(doc) + pages.downloads_html(doc))

# %% [markdown]
# ## 读取情况 · what was read
#
# Which standard tables the template leads us to expect, which were found, how many rows and how
# many printed numbers were read. A table printed as 注：本表无数据 is present and empty; a table
# the reader could not read reliably is said so — its numbers are then never reported as errors.

# %%
pages.show(pages.tables_overview(doc))
notes = []
if doc.extraction["tables_missing"]:
    notes.append("未找到：" + "、".join(doc.extraction["tables_missing"]))
notes += doc.extraction.get("warnings", [])
if notes:
    pages.show_html("".join(f'<p class="bk-note">⚠ {pages.escape(n)}</p>' for n in notes))

# %% [markdown]
# ## 各表 · the tables
#
# Each table as printed (columns named by their header), then its 合计 and 小计 rows with the printed
# text and the exact amount in 元.

# %%
for table in doc.summary["tables"]:
    table_id = table["table_id"]
    label = f"{table['label']} · " if table.get("label") else ""
    facts = f"单位：{table['unit'] or '未注明'} · {table['location']}" + (" · 本表无数据" if table["empty"] else "")
    pages.show_html(f"<h3>{pages.escape(label + table['title'])}</h3><p class='bk-note'>{pages.escape(facts)}</p>")
    if table_id in doc.tables:
        pages.show(pages.table_as_printed(doc, table_id))
    totals = pages.table_totals(doc, table_id)
    if not totals.empty:
        pages.show(totals, caption="合计与小计")

# %% [markdown]
# ## Tidy data
#
# The long form behind every check and figure: one row per printed amount cell (the first rows
# here; all of them in `tidy.csv` and the workbook). `row_role` says what the row is; `parent_row`
# the row it adds into. For analysis in pandas: `budgetkit.processed.load_tidy(folder, floats=True)`.

# %%
pages.show_html(f"<p>{len(doc.tidy):,} 个单元格，其中 {int(doc.tidy['amount'].notna().sum()):,} 个印有金额。</p>")
pages.show(pages.tidy_preview(doc))
