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
# # 01 · 预算表 — every table of the disclosure, as printed and tidy
#
# This notebook shows each standard table the disclosure prints (收支总表, 收入总表, 支出总表 …),
# where it stands in the source, its unit, and its totals. Every amount is exact: the tidy
# data keeps the printed text beside the value in 元 (`amount_yuan`), so any number here can be
# traced back to its line or page. Run `make data` (or `budgetkit extract`) first.

# %% tags=["parameters"]
doc_id = "qinshui-police-2025"
processed_dir = "../data/processed"

# %%
import pandas as pd
from IPython.display import Markdown, display

from budgetkit.report import load_processed, table_as_printed, table_totals, tables_overview
from budgetkit.report import escape_md

pd.set_option("display.max_rows", 200)
pd.set_option("display.max_columns", 30)
doc = load_processed(doc_id, processed_dir)
meta = doc.summary["metadata"]
display(Markdown(f"## {escape_md(doc.title)}\n\n"
                 f"发布单位 {escape_md(meta.get('publisher', ''))} · {escape_md(meta.get('region', ''))} · "
                 f"{escape_md(meta.get('fiscal_year', ''))} 年度 · 模板 `{escape_md(meta.get('template', ''))}` · "
                 f"文件 {escape_md(', '.join(f['path'] for f in doc.summary['files']))}"))

# %% [markdown]
# ## Extraction report
#
# Which standard tables the template leads us to expect, which were found, how many rows and how
# many printed numbers were parsed. A table printed as 注：本表无数据 is present and empty.

# %%
display(tables_overview(doc))
if doc.extraction["tables_missing"]:
    display(Markdown("**Missing:** " + escape_md("、".join(doc.extraction["tables_missing"]))))
for warning in doc.extraction["warnings"]:
    display(Markdown("⚠ " + escape_md(warning)))

# %% [markdown]
# ## The tables
#
# Each table as printed (columns named by their header path), then its totals and 类 rows with
# the printed text and the exact amount in 元.

# %%
for table in doc.summary["tables"]:
    table_id = table["table_id"]
    label = f"{table['label']} · " if table.get("label") else ""
    display(Markdown(f"### {escape_md(label + table['title'])}\n\n"
                     f"`{table_id}` · 单位：{escape_md(table['unit'] or '未注明')} · {escape_md(table['location'])}"
                     + (" · **本表无数据**" if table["empty"] else "")))
    display(table_as_printed(doc, table_id))
    totals = table_totals(doc, table_id)
    if not totals.empty:
        display(Markdown("Totals and 类 rows:"))
        display(totals)

# %% [markdown]
# ## Tidy data
#
# The long form behind every check and figure: one row per printed amount cell.

# %%
print(f"{len(doc.tidy)} cells, {doc.tidy['amount'].notna().sum()} with a printed amount")
display(doc.tidy.head(12))
